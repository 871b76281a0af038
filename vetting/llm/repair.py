"""Turning a model's reply into a validated object: strip fences and prose, mend truncated JSON, then validate."""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)(?:```|$)", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_PY_LITERALS = {"True": "true", "False": "false", "None": "null"}


class UnusableReply(ValueError):
    """The reply could not be read as the requested object; the message is fed back to the model on retry."""


def extract_json(text: str) -> str:
    """The JSON part of a reply: inside a code fence if any, from the first `{` or `[` on."""
    fenced = _FENCE.search(text)
    body = fenced.group(1) if fenced else text
    starts = [i for i in (body.find("{"), body.find("[")) if i >= 0]
    return body[min(starts) :].strip() if starts else body.strip()


def close_json(text: str) -> str:
    """Close what a truncated reply left open: an unterminated string, a dangling key or comma, open brackets."""
    stack: list[str] = []
    in_string = escaped = False
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            if not stack:
                return text[:i]  # text after the top-level value is ignored
            stack.pop()
            if not stack:
                return text[: i + 1]
    out = text
    if in_string:
        out = (out[:-1] if escaped else out) + '"'
    out = out.rstrip()
    dangling_key = re.search(r'([{,])\s*"[^"]*"$', out)
    if out.endswith(":"):
        out += " null"
    elif out.endswith(","):
        out = out[:-1]
    elif dangling_key and stack and stack[-1] == "}":
        out = out[: dangling_key.start()] if dangling_key.group(1) == "," else out[: dangling_key.start() + 1]
    return out + "".join(reversed(stack))


def mend(text: str) -> str:
    """Best-effort fixes that keep the model's meaning: trailing commas, Python literals, truncation."""
    body = close_json(extract_json(text))
    body = _TRAILING_COMMA.sub(r"\1", body)
    return re.sub(r"(?<![\"\w])(True|False|None)(?![\"\w])", lambda m: _PY_LITERALS[m.group(1)], body)


def parse_reply(text: str, schema: type[T]) -> T:
    """The reply as a `schema` object, repaired if needed; raises `UnusableReply` with a reason the model can act on.

    A reply cut short keeps its complete list items: an unfinished last item is dropped, never completed by guessing.
    """
    if not text or not text.strip():
        raise UnusableReply("the reply was empty")
    data: Any = None
    mended = False
    for needs_mending, candidate in ((False, text.strip()), (False, extract_json(text)), (True, mend(text))):
        try:
            data = json.loads(candidate, strict=False)  # raw newlines inside strings: llama.cpp grammars allow them
            mended = needs_mending
            break
        except json.JSONDecodeError:
            continue
    else:
        raise UnusableReply("the reply was not valid JSON")
    for _ in range(3 if mended else 1):
        try:
            return schema.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid"}
            remaining = _drop_unfinished_item(data, tuple(first["loc"])) if mended else None
            if remaining is None:
                where = ".".join(str(p) for p in first["loc"]) or "the top level"
                raise UnusableReply(f"JSON did not match the schema at {where}: {first['msg']}") from exc
            if remaining == 0:
                break
    raise UnusableReply("the reply was cut off before any complete item")


def _drop_unfinished_item(data: Any, loc: tuple[Any, ...]) -> int | None:
    """Drop the list item an error points into when it is the last of its list; how many items are left, or None."""
    node, drop_from, drop_index = data, None, -1
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            if part == len(node) - 1:
                drop_from, drop_index = node, part
            node = node[part]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            break
    if drop_from is None:
        return None
    del drop_from[drop_index]
    return len(drop_from)

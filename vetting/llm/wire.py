"""What goes on the wire: the reply contract, the chat messages, the structured-output request, the raw reply."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True)
class Reply:
    """One round trip's raw outcome, before parsing."""

    text: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None


def schema_instructions(schema: type[BaseModel]) -> str:
    """The reply contract appended to every system prompt (it also names JSON, which OpenAI's JSON mode requires)."""
    return "Reply with one JSON object only, no prose and no code fences, matching this JSON schema:\n" + json.dumps(
        schema.model_json_schema(), separators=(",", ":")
    )


def to_messages(sent: list[tuple[str, str]], *, system_messages: bool) -> list[Any]:
    """LangChain messages for (role, text) turns; without system messages the instructions lead the first user turn."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    if not system_messages and sent and sent[0][0] == "system":
        system, rest = sent[0][1], sent[1:]
        first = f"{system}\n\n{rest[0][1]}" if rest else system
        sent = [("user", first), *rest[1:]]
    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[role](content=text) for role, text in sent]


def response_format(mode: str, schema: type[BaseModel]) -> dict[str, Any] | None:
    """The `response_format` for a structured-output mode, or None to rely on the prompt alone."""
    body = schema.model_json_schema()
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": schema.__name__, "schema": body, "strict": False}}
    if mode == "json_object":
        return {"type": "json_object", "schema": body}  # llama.cpp servers constrain sampling to the schema
    return None


def reply_from_completion(completion: Any) -> Reply:
    """A reply cut at the token limit, taken from the completion the client refused to parse."""
    choice = completion.choices[0] if completion.choices else None
    usage = completion.usage
    return Reply(
        text=(choice.message.content or "") if choice else "",
        prompt_tokens=usage.prompt_tokens if usage else None,
        completion_tokens=usage.completion_tokens if usage else None,
        finish_reason="length",
    )

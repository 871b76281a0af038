"""`vet score --batch`: many answers in one process, one JSON line in and one out, a bad line never stops the rest."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from rubrics import Rubric, load_rubrics
from vetting.kernel.errors import VettingError
from vetting.services import Services

MAX_LINE_CHARS = 200_000
FIELDS = {"id", "rubric", "criterion", "question", "answer", "reference"}
REQUIRED = ("rubric", "question", "answer")


class BadLine(ValueError):
    """A line that cannot be scored; its message goes into that line's {"id", "error"}."""


def parse_line(raw: str, number: int) -> dict[str, Any]:
    """The fields of one input line, checked; raises BadLine naming the line and the field."""
    if len(raw) > MAX_LINE_CHARS:
        raise BadLine(f"line {number}: longer than {MAX_LINE_CHARS:,} characters")
    try:
        item = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadLine(f"line {number}: not valid JSON ({exc.msg})") from None
    if not isinstance(item, dict):
        raise BadLine(f"line {number}: expected a JSON object")
    unknown = sorted(set(item) - FIELDS)
    if unknown:
        raise BadLine(f"line {number}: unknown field(s) {', '.join(unknown)}")
    for key in REQUIRED:
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise BadLine(f"line {number}: '{key}' must be a non-empty string")
    for key in ("criterion", "reference"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise BadLine(f"line {number}: '{key}' must be a string")
    return item


def _line_id(raw: str) -> Any:
    """The line's id when it can be read, even from a line that is otherwise wrong."""
    try:
        item = json.loads(raw)
    except ValueError:
        return None
    return item.get("id") if isinstance(item, dict) else None


def score_line(services: Services, rubrics: dict[str, Rubric], raw: str, number: int) -> dict[str, Any]:
    """The `vet score --json` object for one line plus its "id", or {"id", "error"}."""
    try:
        item = parse_line(raw, number)
        if item["rubric"] not in rubrics:
            raise BadLine(f"line {number}: no rubric '{item['rubric']}'")
        rubric = rubrics[item["rubric"]]
        if item.get("criterion"):
            rubric.criterion(item["criterion"])
        result = services.scorer.score(
            rubric,
            item["question"],
            item["answer"],
            reference=item.get("reference"),
            criterion_id=item.get("criterion"),
        )
    except (BadLine, VettingError) as exc:
        return {"id": _line_id(raw), "error": str(exc)}
    except Exception as exc:  # one answer's failure must not stop the batch
        return {"id": _line_id(raw), "error": f"line {number}: could not be scored ({exc.__class__.__name__})"}
    return {"id": item.get("id"), **result.to_dict()}


def score_batch(services: Services, source: Path, out: Path | None) -> tuple[int, int]:
    """Score every non-blank line of `source`; results go to `out` (written whole, or not at all) or stdout."""
    rubrics = load_rubrics(services.settings)  # loaded once; the scorer's models load on the first answer
    with source.open("rb") as handle:
        if out is None:
            return _run(services, rubrics, handle, sys.stdout)
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as sink:
                counts = _run(services, rubrics, handle, sink)
            os.replace(tmp, out)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return counts


def _bounded_lines(lines: IO[bytes]) -> Iterator[bytes | None]:
    """The file's lines, never holding more than MAX_LINE_CHARS bytes of one; None stands for a line too long."""
    while True:
        data = lines.readline(MAX_LINE_CHARS + 1)
        if not data:
            return
        if len(data) > MAX_LINE_CHARS and not data.endswith(b"\n"):
            while (rest := lines.readline(1 << 16)) and not rest.endswith(b"\n"):
                pass  # skip the rest of the over-long line
            yield None
        else:
            yield data


def _run(services: Services, rubrics: dict[str, Rubric], lines: IO[bytes], sink: IO[str]) -> tuple[int, int]:
    count = errors = 0
    for number, data in enumerate(_bounded_lines(lines), start=1):
        if data is None:
            row_: dict[str, Any] = {"id": None, "error": f"line {number}: longer than {MAX_LINE_CHARS:,} bytes"}
            count, errors = count + 1, errors + 1
            sink.write(json.dumps(row_, ensure_ascii=False) + "\n")
            continue
        try:
            raw = data.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raw = None
        if raw is not None and not raw.strip():
            continue
        if raw is None:
            row: dict[str, Any] = {"id": None, "error": f"line {number}: not UTF-8 text"}
        else:
            row = score_line(services, rubrics, raw, number)
        count += 1
        errors += "error" in row
        sink.write(json.dumps(row, ensure_ascii=False) + "\n")
        sink.flush()
    return count, errors

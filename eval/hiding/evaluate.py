"""Detection over the attack corpus: each trick ingested as a candidate's file must be flagged and never chunked."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eval.hiding import Trick, tricks

__all__ = ["evaluate_hiding"]


def _run(services: Any, trick: Trick, folder: Path) -> dict[str, Any]:
    from vetting.kernel.domain import Upload

    path = folder / trick.filename
    path.write_bytes(trick.make())
    report = services.ingestor.ingest([Upload(path, f"cv.{trick.fmt}")], f"Hiding {trick.name}")
    result = report.documents[0]
    kinds = [f.kind for f in result.flags]
    chunks = [c.text for c in services.store.for_candidate(report.candidate.id).chunks()]
    leaked = any(trick.hidden in " ".join(c.split()) for c in chunks)
    flags = sorted({f"{f.kind} ({f.rule})" if f.rule else f.kind for f in result.flags})
    row: dict[str, Any] = {"trick": trick.name, "format": trick.fmt, "control": trick.control, "status": result.status,
                           "flags": ", ".join(flags), "in_chunks": leaked}  # fmt: skip
    if trick.control:
        row["correct"] = result.status == "ingested" and not kinds and leaked
    else:
        row["correct"] = (
            result.status == "ingested" and (trick.flag in kinds if trick.flag else bool(kinds)) and not leaked
        )
    services.candidates.delete(report.candidate.id)
    return row


def _sample(every: tuple[Trick, ...], per_family: int | None) -> list[Trick]:
    """All tricks, or the first `per_family` tricks and controls of each family (pdf, docx, md, inj)."""
    if per_family is None:
        return list(every)
    taken: dict[tuple[str, bool], int] = {}
    chosen = []
    for trick in every:
        key = (trick.name.split("-", 1)[0], trick.control)
        if taken.get(key, 0) < per_family:
            taken[key] = taken.get(key, 0) + 1
            chosen.append(trick)
    return chosen


def evaluate_hiding(
    services: Any, progress: Callable[[str], None] | None = None, per_family: int | None = None
) -> list[dict[str, Any]]:
    """One row per trick and control (all, or a few per family): its flags, whether it reached a chunk, the verdict."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="vetting-hiding-") as tmp:
        for n, trick in enumerate(_sample(tricks(), per_family)):
            if progress:
                progress(f"hiding trick {n + 1}: {trick.name}")
            rows.append(_run(services, trick, Path(tmp)))
    return rows

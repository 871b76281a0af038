"""Per-answer predictions of a grading run as CSV: one row per scored answer, beside its human grade."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

COLUMNS = ("id", "question_id", "gold", "predicted")


def record_ids(count: int, skipped: Sequence[int]) -> list[str]:
    """The CSV record number (the header is 1) of each usable row, given the records skipped while reading."""
    lost = set(skipped)
    ids: list[str] = []
    record = 2
    while len(ids) < count:
        if record not in lost:
            ids.append(str(record))
        record += 1
    return ids


def write_predictions(path: Path, ids: Sequence[str], rows: Sequence[Any], predicted: Sequence[float]) -> int:
    """Write `id, question_id, gold, predicted` for every row (whole file or nothing); returns the rows written."""
    if not len(ids) == len(rows) == len(predicted):
        raise ValueError("ids, rows and predictions must line up")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for row_id, row, value in zip(ids, rows, predicted, strict=True):
                writer.writerow([row_id, row.question_id, f"{row.gold:g}", f"{float(value):.4f}"])
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return len(rows)

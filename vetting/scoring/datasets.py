"""Readers for human-graded short-answer data (Mohler 2011, SAF 2022); ids are kept as text, never as numbers."""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TextIO

from vetting.kernel.errors import InvalidDataset

GradingFormat = Literal["mohler", "saf"]
FORMATS: dict[str, tuple[float, float]] = {"mohler": (0.0, 5.0), "saf": (0.0, 1.0)}
_COLUMNS: dict[str, tuple[str, ...]] = {
    "mohler": ("id", "question", "desired_answer", "student_answer", "score_avg"),
    "saf": ("question_key", "module", "question", "reference_answer", "student_answer", "score"),
}


# A spreadsheet error in place of the answer (Mohler's answers that began with "-" or "=" were lost this way): the
# grade belongs to a text the file no longer holds, so the row is skipped and counted, never scored.
_SPREADSHEET_ERROR = re.compile(r"^\s*#(?:NAME\?|VALUE!|REF!|DIV/0!|N/A|NULL!|NUM!)\s*$")


@dataclass(frozen=True)
class GradedAnswer:
    """One student answer with its question, reference answer and the human grade on the dataset's own scale."""

    dataset: str
    question_id: str
    assignment: str
    question: str
    reference: str
    answer: str
    gold: float

    @property
    def scale(self) -> tuple[float, float]:
        return FORMATS[self.dataset]

    @property
    def gold_normalized(self) -> float:
        low, high = self.scale
        return (self.gold - low) / (high - low)


@dataclass(frozen=True)
class GradingFile:
    """The usable rows of a grading file and how many were skipped because their answer text was lost."""

    path: Path
    format: GradingFormat
    rows: list[GradedAnswer]
    skipped: int = 0
    skipped_lines: list[int] = field(default_factory=list)


def detect_format(path: Path) -> GradingFormat:
    """Tell a Mohler file from a SAF file by its header."""
    header = _header(path)
    for fmt, columns in _COLUMNS.items():
        if set(columns) <= set(header):
            return fmt  # type: ignore[return-value]
    raise InvalidDataset(f"{path.name}: not a Mohler or SAF grading file (columns: {', '.join(header) or 'none'}).")


def read_grading_csv(path: Path, fmt: GradingFormat | None = None) -> GradingFile:
    """Every graded answer in `path`; a missing file, column or grade is a clear error naming file and row."""
    fmt = fmt or detect_format(path)
    missing = [c for c in _COLUMNS[fmt] if c not in _header(path)]
    if missing:
        raise InvalidDataset(f"{path.name}: not a {fmt} file, missing column(s) {', '.join(missing)}.")
    low, high = FORMATS[fmt]
    rows: list[GradedAnswer] = []
    lost: list[int] = []
    with _open(path) as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                gold = float(row["score_avg" if fmt == "mohler" else "score"])
            except (TypeError, ValueError):
                raise InvalidDataset(f"{path.name}, line {line}: the grade is not a number.") from None
            if not low <= gold <= high:
                raise InvalidDataset(f"{path.name}, line {line}: grade {gold} is outside the {fmt} scale {low}-{high}.")
            if _SPREADSHEET_ERROR.match(row["student_answer"] or ""):
                lost.append(line)
                continue
            if fmt == "mohler":
                qid = row["id"].strip()
                assignment = qid.split(".", 1)[0]
                reference = row["desired_answer"]
            else:
                qid, assignment, reference = row["question_key"].strip(), row["module"].strip(), row["reference_answer"]
            rows.append(
                GradedAnswer(
                    fmt, qid, assignment, row["question"] or "", reference or "", row["student_answer"] or "", gold
                )
            )
    if not rows:
        raise InvalidDataset(f"{path.name}: no graded answers in the file.")
    return GradingFile(path, fmt, rows, len(lost), lost)


def _header(path: Path) -> list[str]:
    with _open(path) as handle:
        return next(csv.reader(handle), [])


def _open(path: Path) -> TextIO:
    try:
        return path.open(newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidDataset(f"No such file: {path}.") from None
    except OSError as exc:
        raise InvalidDataset(f"Cannot read {path.name}: {exc.strerror}.") from None


def group_of(row: GradedAnswer) -> str:
    """The unit training holds out: a Mohler assignment or a SAF question."""
    return f"mohler:{row.assignment}" if row.dataset == "mohler" else f"saf:{row.question_id}"


def held_out(rows: Sequence[GradedAnswer], seed: int) -> set[str]:
    """Groups never trained on: two Mohler assignments and four SAF questions, drawn with the seed."""
    rng = random.Random(seed)
    mohler = sorted({r.assignment for r in rows if r.dataset == "mohler"})
    saf = sorted({r.question_id for r in rows if r.dataset == "saf"})
    keep = {f"mohler:{a}" for a in rng.sample(mohler, min(2, len(mohler) // 3))}
    return keep | {f"saf:{q}" for q in rng.sample(saf, min(4, len(saf) // 3))}

"""`vet eval grading --predictions`: one CSV row per scored answer, ids that point back at the input file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from eval.predictions import COLUMNS, record_ids, write_predictions
from vetting.scoring.datasets import read_grading_csv


def test_ids_are_record_numbers_of_the_input(tmp_path: Path) -> None:
    source = tmp_path / "m.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "question", "desired_answer", "student_answer", "score_avg"])
        writer.writerow(["1.1", "Q1", "ref", "first answer", "4"])
        writer.writerow(["1.1", "Q1", "ref", "#NAME?", "2"])  # lost to a spreadsheet error: skipped
        writer.writerow(["1.2", "Q2", "ref", "a\nmulti-line answer", "5"])
        writer.writerow(["1.2", "Q2", "ref", "last", "0.5"])
    graded = read_grading_csv(source)
    ids = record_ids(len(graded.rows), graded.skipped_lines)
    assert ids == ["2", "4", "5"]
    out = tmp_path / "deep" / "pred.csv"
    assert write_predictions(out, ids, graded.rows, [3.5, 4.25, 1.0]) == 3
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1:] == [["2", "1.1", "4", "3.5000"], ["4", "1.2", "5", "4.2500"], ["5", "1.2", "0.5", "1.0000"]]


def test_misaligned_inputs_write_nothing(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_predictions(tmp_path / "p.csv", ["2"], [], [1.0])
    assert not (tmp_path / "p.csv").exists()

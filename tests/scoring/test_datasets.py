"""Reading graded-answer files: ids stay text, lost answers are skipped and counted, bad files are clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.kernel.errors import InvalidDataset
from vetting.scoring.datasets import detect_format, read_grading_csv

MOHLER = """id,question,desired_answer,student_answer,score_me,score_other,score_avg
1.1,What is a stack?,A LIFO list.,A last in first out list.,5,5,5
1.10,What is a queue?,A FIFO list.,#NAME?,4,4,4
1.10,What is a queue?,A FIFO list.,"First in, first out.",5,4,4.5
"""
SAF_HEADER = (
    "split,question_key,xml_question_id,module,question,reference_answer,answer_id,student_answer,score,"
    "verification_feedback,response_feedback\n"
)
SAF = (
    SAF_HEADER
    + """training,10.1_TC,10.1,TC,Compare UDP and TCP headers.,UDP has 8 bytes.,TC_1,No response.,0.0,Incorrect,Empty.
training,10.2_TC,10.2,TC,Why use a checksum?,To detect errors.,TC_2,It detects bit errors.,0.75,Partially correct,Good.
"""
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_mohler_ids_stay_text_and_lost_answers_are_counted(tmp_path: Path) -> None:
    data = read_grading_csv(_write(tmp_path, "m.csv", MOHLER))
    assert data.format == "mohler"
    assert [r.question_id for r in data.rows] == ["1.1", "1.10"]  # 1.10 is not the number 1.1
    assert [r.assignment for r in data.rows] == ["1", "1"]
    assert data.skipped == 1 and data.skipped_lines == [3]
    assert data.rows[1].gold == 4.5 and data.rows[1].gold_normalized == pytest.approx(0.9)


def test_saf_rows_use_question_key_and_module(tmp_path: Path) -> None:
    data = read_grading_csv(_write(tmp_path, "s.csv", SAF), "saf")
    assert [(r.question_id, r.assignment, r.gold) for r in data.rows] == [
        ("10.1_TC", "TC", 0.0),
        ("10.2_TC", "TC", 0.75),
    ]
    assert detect_format(tmp_path / "s.csv") == "saf"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,2\n", "not a Mohler or SAF"),
        (MOHLER.replace(",5,5,5", ",5,5,lots"), "line 2: the grade is not a number"),
        (MOHLER.replace(",5,5,5", ",5,5,7"), "outside the mohler scale"),
        (MOHLER.splitlines()[0] + "\n", "no graded answers"),
    ],
)
def test_bad_files_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidDataset, match=message):
        read_grading_csv(_write(tmp_path, "bad.csv", text))


def test_a_missing_file_or_the_wrong_format_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidDataset, match="No such file"):
        read_grading_csv(tmp_path / "absent.csv", "mohler")
    with pytest.raises(InvalidDataset, match="missing column"):
        read_grading_csv(_write(tmp_path, "m.csv", MOHLER), "saf")

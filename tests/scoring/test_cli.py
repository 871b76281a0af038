"""`vet score` and `vet eval grading` as a user runs them: JSON contracts, readable output, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from vetting.cli import main
from vetting.metrics import METRIC_KEYS

pytestmark = pytest.mark.slow

ANSWER = (
    "Before designing anything I would sample a few hundred articles to find duplicates and stale pages, "
    "de-duplicate them by content hash and keep source and date metadata on every chunk."
)


def _vet(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from vetting.cli import common

    common.services.cache_clear()
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    common.services.cache_clear()
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out, captured.err


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("VETTING_DATA_DIR", str(tmp_path / "data"))


def test_score_json_has_the_agreed_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _vet(
        capsys,
        "score",
        "--rubric",
        "rag-case-study",
        "--criterion",
        "data-quality",
        "--question",
        "How would you prepare the knowledge base?",
        "--answer",
        ANSWER,
        "--json",
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["rubric_id"] == "rag-case-study" and result["engine"] == "offline"
    assert result["scale"] == {"min": 1, "max": 4}
    [criterion] = result["criteria"]
    assert criterion["criterion_id"] == "data-quality" and criterion["status"] == "scored"
    assert 1 <= criterion["score"] <= 4 and 0 <= criterion["confidence"] <= 1
    assert criterion["evidence"] and all(q in ANSWER for q in criterion["evidence"])
    assert criterion["interviewer_score"] is None and criterion["interviewer_comment"] is None
    assert result["overall"] == criterion["score"]


def test_score_text_shows_rationale_and_quoted_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _vet(
        capsys,
        "score",
        "--rubric",
        "rag-case-study",
        "--question",
        "How would you prepare the knowledge base?",
        "--answer",
        ANSWER,
        "--reference",
        "Audit a sample for duplicates, then de-duplicate and keep metadata.",
    )
    assert code == 0
    assert out.startswith("Rubric rag-case-study v") and "Engine: offline" in out
    assert "[Thinks about data quality first]" in out and "key points" in out
    assert "“Before designing anything" in out


def test_score_errors_are_messages_not_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _vet(capsys, "score", "--rubric", "no-such-rubric", "--question", "q", "--answer", "a")
    assert code == 1 and "No rubric 'no-such-rubric'" in err and "Traceback" not in err
    code, _, err = _vet(
        capsys, "score", "--rubric", "rag-case-study", "--criterion", "nope", "--question", "q", "--answer", "a"
    )
    assert code == 1 and "no criterion 'nope'" in err
    code, _, _ = _vet(capsys, "score", "--rubric", "rag-case-study", "--question", "q")
    assert code == 2


def _slice(source: Path, target: Path, key: str, groups: int, per_group: int) -> int:
    """The first `per_group` rows of each of the first `groups` questions: a small file that still has groups."""
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows, counts = [], {}
        for row in reader:
            g = row[key]
            if g not in counts and len(counts) == groups:
                continue
            if counts.get(g, 0) < per_group:
                counts[g] = counts.get(g, 0) + 1
                rows.append(row)
        fields = reader.fieldnames or []
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def test_eval_grading_prints_exactly_the_agreed_metrics(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = tmp_path / "mohler_small.csv"
    n = _slice(shared_data / "grading" / "mohler_dev.csv", small, "id", groups=3, per_group=8)
    code, out, err = _vet(capsys, "eval", "grading", "--csv", str(small), "--format", "mohler", "--json")
    assert code == 0, err
    metrics = json.loads(out)
    assert list(metrics) == list(METRIC_KEYS) and metrics["n"] == n
    assert -1 <= metrics["pearson"] <= 1 and 0 <= metrics["within_1"] <= 1 and metrics["rmse"] >= metrics["mae"] >= 0


def test_eval_grading_cross_validates_by_question_on_saf(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = tmp_path / "saf_small.csv"
    n = _slice(shared_data / "grading" / "saf_train.csv", small, "question_key", groups=3, per_group=6)
    code, out, err = _vet(capsys, "eval", "grading", "--csv", str(small), "--format", "saf", "--cv-by", "question")
    assert code == 0, err
    assert f"{n} answers scored by the cross-validation grouped by question (3 folds)" in out
    assert "cosine baseline" in out and "pearson" in out
    assert "real answers only (non-answers left out): pearson" in out and "the gate read as made to" in out


def test_eval_grading_reports_a_bad_file_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _vet(capsys, "eval", "grading", "--csv", str(tmp_path / "absent.csv"), "--format", "saf")
    assert code == 1 and "No such file" in err
    code, _, _ = _vet(capsys, "eval", "grading", "--csv", str(tmp_path / "absent.csv"), "--format", "excel")
    assert code == 2

"""`vet eval` commands: JSON on stdout, exit code 1 when a threshold is missed, clear errors without a corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vetting.cli import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.mark.slow
def test_retrieval_reports_json_and_fails_on_a_missed_threshold(
    shared_data: Path, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bounds = tmp_path / "bounds.yaml"
    bounds.write_text("retrieval:\n  facts_preserved: {min: 1.0}\n  recall_at_10: {min: 1.01}\n", encoding="utf-8")
    args = ["eval", "retrieval", "--candidates", "1", "--data", str(shared_data), "--thresholds", str(bounds)]
    code, out, _ = _run([*args, "--json"], capsys)
    result = json.loads(out)
    assert code == 1
    statuses = [(c["metric"], c["status"]) for c in result["checks"]]
    assert statuses == [("facts_preserved", "pass"), ("recall_at_10", "fail")]
    assert result["metrics"]["queries"] == 4  # one candidate: a CV and a write-up, two facts planted in each
    rows = result["details"]["queries"]
    assert result["metrics"]["mrr"] == pytest.approx(sum(r["reciprocal_rank"] for r in rows) / len(rows), abs=1e-4)
    assert result["versions"]["data"]  # the corpus files that were read, with their hashes
    assert not (data_dir / "chroma").exists()  # the user's data directory was never touched


@pytest.mark.slow
def test_plans_of_every_shared_cv_hold_their_bounds(
    shared_data: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`vet eval plans` as a reviewer runs it: every bound holds but the two the README lists as missed, and those two
    do not fall below where they stand (a planner change that lowered them once went unnoticed)."""
    code, out, _ = _run(["eval", "plans", "--data", str(shared_data), "--json"], capsys)
    result = json.loads(out)
    missed = {c["metric"] for c in result["checks"] if c["status"] != "pass"}
    assert missed <= {"criteria_coverage", "cited_chunk_diversity"}, result["checks"]
    assert code == (1 if missed else 0)
    metrics = result["metrics"]
    assert metrics["plans"] == 27 and metrics["grounding_rate"] == 1.0 and metrics["uncited_deep_dives"] == 0
    assert metrics["criteria_coverage"] >= 0.78 and metrics["cited_chunk_diversity"] >= 0.56
    assert metrics["hiding_detection_rate"] == 1.0 and metrics["shared_cv_false_flag_rate"] == 0


def test_a_missing_corpus_is_a_clear_error(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["eval", "retrieval", "--data", str(tmp_path / "nowhere")], capsys)
    assert code == 1 and out == ""
    assert "evaluation corpus was not found" in err and "Traceback" not in err


def test_a_bad_thresholds_file_is_a_clear_error(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bounds = tmp_path / "bounds.yaml"
    bounds.write_text("retrieval: [1, 2]\n", encoding="utf-8")
    code, _, err = _run(["eval", "plans", "--thresholds", str(bounds)], capsys)
    assert code == 1 and "bounds.yaml" in err and "Traceback" not in err

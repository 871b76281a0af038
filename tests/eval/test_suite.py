"""The whole suite on a small slice: the report's files exist, agree with each other, and their numbers recompute."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eval.report import fmt
from vetting.cli import main
from vetting.metrics import impact_ratios


@pytest.mark.slow
def test_small_report_is_complete_consistent_and_reproducible_from_its_data(
    shared_data: Path, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    with pytest.raises(SystemExit) as exit_info:
        main(["eval", "report", "--small", "--out", str(out), "--data", str(shared_data), "--json"])
    printed = json.loads(capsys.readouterr().out)
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))

    # exit code and verdict follow the thresholds
    statuses = [c["status"] for c in data["summary"]]
    assert data["passed"] == all(s == "pass" for s in statuses) == printed["passed"]
    assert exit_info.value.code == (0 if data["passed"] else 1)
    assert {"retrieval", "plans", "grading", "gaming", "custom_criterion", "fairness", "llm_judged"} == set(
        data["sections"]
    )
    assert "llm_judged" in data["skipped"]  # offline: said so, with the reason
    assert "no OpenAI-compatible endpoint" in data["skipped"]["llm_judged"]

    # every file is there; the HTML is self-contained and leads with the verdict
    for name in ("report.html", "report.md", "report.json", "ragas-retrieval.jsonl", "ragas-llm_judged.jsonl"):
        assert (out / name).is_file(), name
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in (out / "figures").glob("*.png"))
    assert len(list((out / "figures").glob("*.png"))) >= 6
    html = (out / "report.html").read_text(encoding="utf-8")
    verdict = "PASS" if data["passed"] else "FAIL"
    assert f'Evaluation report <span class="verdict {verdict.lower()}">{verdict}' in html
    assert not re.search(r"(src|href)=\"https?://", html)
    markdown = (out / "report.md").read_text(encoding="utf-8")
    for check in data["summary"]:  # each summary number reads the same in all three files
        row = f"| {check['section']} | {check['metric']} | {fmt(check['value'])} |"
        assert row in markdown, row
        assert f'<td>{check["metric"]}</td><td class="num">{fmt(check["value"])}</td>' in html

    # headline numbers recompute from the per-item data kept in the report
    retrieval = data["sections"]["retrieval"]
    rows = retrieval["details"]["queries"]
    assert retrieval["metrics"]["queries"] == len(rows) > 0
    assert retrieval["metrics"]["mrr"] == pytest.approx(sum(r["reciprocal_rank"] for r in rows) / len(rows), abs=1e-4)
    assert retrieval["metrics"]["recall_at_5"] == pytest.approx(
        sum(r["recall_at_5"] for r in rows) / len(rows), abs=1e-4
    )
    fairness = data["sections"]["fairness"]
    variants = fairness["details"]["variants"]
    studies = {v["study"] for v in variants}
    worst = min(
        g.impact_ratio
        for study in studies
        for g in impact_ratios([(v["group"], round(v["fit"], 2)) for v in variants if v["study"] == study])
    )
    assert fairness["metrics"]["fit_min_impact_ratio"] == pytest.approx(worst, abs=1e-4)
    changes = [v["score_change"] for v in variants]
    assert fairness["metrics"]["score_mean_abs_change"] == pytest.approx(sum(changes) / len(changes), abs=1e-4)
    grading = data["sections"]["grading"]
    assert grading["metrics"]["mohler_qwk"] == pytest.approx(grading["details"]["mohler"]["scorer"]["qwk"], abs=1e-4)
    assert {"mohler_qwk_cosine", "saf_rmse_cosine"} <= set(grading["metrics"])  # the baseline beside every number
    assert data["sections"]["plans"]["metrics"]["grounding_rate"] == 1.0

    # the retrieval samples re-score in ragas to the same context precision
    from ragas import EvaluationDataset

    from vetting.metrics import ragas_id_context_scores

    samples = [json.loads(line) for line in (out / "ragas-retrieval.jsonl").read_text().splitlines()]
    dataset = EvaluationDataset.from_list(samples)
    rescored = ragas_id_context_scores(list(dataset.samples))
    precision = sum(p for p, _ in rescored) / len(rescored)
    assert retrieval["metrics"]["context_precision"] == pytest.approx(precision, abs=1e-4)

    # the versions that produced it
    versions = data["versions"]
    assert versions["rubrics"]["project-deep-dive"] and versions["embedding_model"].startswith("all-MiniLM-L6-v2")
    assert any(name.startswith("grading/") for name in versions["data"])
    assert str(shared_data) not in json.dumps(versions)  # no machine paths

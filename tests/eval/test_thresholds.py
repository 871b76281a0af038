"""Thresholds: the shipped file loads, bounds are applied as written, a bad file is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.thresholds import Bound, Check, InvalidThresholds, apply_thresholds, load_thresholds


def test_shipped_thresholds_hold_the_issue_targets() -> None:
    thresholds = load_thresholds()
    assert thresholds.fairness["score_min_impact_ratio"].min == 0.95
    assert thresholds.fairness["score_mean_abs_change"].max == 0.01
    gaming = thresholds.gaming
    kinds = ("negated", "keyword_bag", "copied_question", "shuffled", "off_topic", "padded", "instructed")
    assert all(gaming[f"{k}_mean_normalized"].max == 0.20 for k in kinds)
    assert gaming["paraphrase_mean_normalized"].min == 0.70
    assert gaming["paraphrase_insufficient_share"].max == 0.10
    assert thresholds.plans["grounding_rate"].min == 1.0


def test_checks_pass_fail_and_missing() -> None:
    bound = Bound(min=0.5, max=0.9)
    assert Check("s", "m", 0.5, bound).status == "pass"
    assert Check("s", "m", 0.95, bound).status == "fail"
    assert Check("s", "m", None, bound).status == "missing"
    assert Check("s", "m", float("nan"), bound).status == "missing"
    assert not Check("s", "m", None, bound).passed


def test_apply_uses_the_sections_bounds_in_file_order(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("retrieval:\n  mrr: {min: 0.5}\n  recall_at_5: {min: 0.9}\n", encoding="utf-8")
    checks = apply_thresholds("retrieval", {"mrr": 0.6, "recall_at_5": 0.8}, load_thresholds(path))
    assert [(c.metric, c.status) for c in checks] == [("mrr", "pass"), ("recall_at_5", "fail")]
    assert apply_thresholds("plans", {"x": 1.0}, load_thresholds(path)) == []


def test_bad_files_name_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("retrieval:\n  mrr: {}\n", encoding="utf-8")
    with pytest.raises(InvalidThresholds, match=r"bad\.yaml.*retrieval\.mrr"):
        load_thresholds(path)
    path.write_text("retreival:\n  mrr: {min: 1}\n", encoding="utf-8")
    with pytest.raises(InvalidThresholds, match="retreival"):
        load_thresholds(path)
    with pytest.raises(InvalidThresholds, match="does not exist"):
        load_thresholds(tmp_path / "absent.yaml")

"""`vet eval plans` hiding metrics: detection over the corpus and false flags, bounded at 1.00 and 0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eval.hiding import TRICKS, Trick
from eval.hiding.evaluate import _sample, evaluate_hiding
from eval.thresholds import DEFAULT_THRESHOLDS, load_thresholds
from tests.planning.conftest import make_services
from vetting.kernel.settings import Settings


def test_the_registry_collects_every_family_with_unique_names() -> None:
    families = {t.name.split("-", 1)[0] for t in TRICKS}
    assert {"docx", "md", "inj", "pdf"} <= families
    assert len({t.name for t in TRICKS}) == len(TRICKS)
    assert all(t.fmt in ("pdf", "docx", "md", "txt", "json") and t.hidden for t in TRICKS)


def test_the_thresholds_gate_detection_at_one_and_false_flags_at_zero() -> None:
    plans = load_thresholds(DEFAULT_THRESHOLDS).plans
    assert plans["hiding_detection_rate"].min == 1.0
    assert plans["shared_cv_false_flag_rate"].max == 0
    assert plans["hiding_control_false_flag_rate"].max == 0


def test_the_small_run_takes_a_trick_and_a_control_of_each_family() -> None:
    sample = _sample(TRICKS, 1)
    assert sorted((t.name.split("-", 1)[0], t.control) for t in sample) == sorted(
        {(t.name.split("-", 1)[0], t.control) for t in TRICKS}
    )


def test_a_trick_is_detected_a_control_is_not_and_a_leak_would_count(tmp_path: Path, embedder: Any) -> None:
    from eval.hiding.evaluate import _run

    services = make_services(Settings(_env_file=None, data_dir=tmp_path / "data"), embedder)  # type: ignore[call-arg]
    trick = next(t for t in TRICKS if t.name == "md-html-comment")
    control = next(t for t in TRICKS if t.name == "md-control-bold-claim")
    assert _run(services, trick, tmp_path)["correct"]
    assert _run(services, control, tmp_path)["correct"]
    # the same visible file presented as a trick is a miss: the measure can fail
    disguised = Trick("md-visible-as-trick", "md", control.hidden, control.make, flag="invisible_text")
    row = _run(services, disguised, tmp_path)
    assert not row["correct"] and row["in_chunks"]
    assert evaluate_hiding(services, per_family=0) == []

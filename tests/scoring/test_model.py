"""The shipped grading model: loads on a fresh install without the training data; the training code really fits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vetting.scoring.datasets import GradedAnswer
from vetting.scoring.features import FEATURE_NAMES
from vetting.scoring.model import ARTIFACT, ArtifactMissing, load_model, predict_with_spread
from vetting.scoring.train import train

REPO = Path(__file__).resolve().parents[2]


def test_the_artifact_is_small_and_describes_itself() -> None:
    assert ARTIFACT.is_file() and ARTIFACT.stat().st_size < 3 * 1024 * 1024
    meta = json.loads(ARTIFACT.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["features"] == list(FEATURE_NAMES)
    held = meta["held_out"]  # never trained on: the unseen questions of the gaming suite and the README
    assert (
        len([g for g in held if g.startswith("mohler:")]) == 2 and len([g for g in held if g.startswith("saf:")]) == 4
    )
    assert meta["trained_on"]["mohler"] + meta["trained_on"]["saf"] == 1544 + 1476 - 621
    assert meta["trained_on"]["contrast_pairs"] > 1000 and meta["embedding_model"] == "all-MiniLM-L6-v2"
    assert 0 < meta["relevance_threshold"] < meta["coverage_threshold"] < 1


def test_the_artifact_loads_and_predicts_in_a_fresh_process_without_shared_data(tmp_path: Path) -> None:
    code = (
        "import numpy as np\n"
        "from vetting.scoring.model import load_model\n"
        "from vetting.scoring.features import FEATURE_NAMES\n"
        "m = load_model()\n"
        "g, c = m.predict(np.full((2, len(FEATURE_NAMES)), 0.5, dtype=np.float32))\n"
        "assert ((0 <= g) & (g <= 1) & (0 <= c) & (c <= 1)).all()\n"
        "print('ok', len(m.regressor.estimators_))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETTING_")} | {"PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok ")


def test_a_missing_artifact_is_named(tmp_path: Path) -> None:
    with pytest.raises(ArtifactMissing, match="missing"):
        load_model(tmp_path / "grader.joblib")


def _rows() -> list[GradedAnswer]:
    """Two tiny questions with graded answers, enough to prove the training code fits and saves a model."""
    data = [
        (
            "q1",
            "What does a stack do?",
            "It stores items last in, first out.",
            [
                ("Last in first out storage of items.", 5),
                ("It stores things.", 2),
                ("A kind of loop.", 0),
                ("Items are pushed and popped, last in first out.", 5),
            ],
        ),
        (
            "q2",
            "What is a queue?",
            "A first in, first out list of items.",
            [
                ("First in first out list.", 5),
                ("A list.", 2),
                ("Something about sorting.", 0),
                ("Items leave in the order they arrived, first in first out.", 5),
            ],
        ),
        (
            "q3",
            "What is recursion?",
            "A function that calls itself on a smaller problem.",
            [
                ("A function calling itself on smaller input.", 5),
                ("Repeating.", 1),
                ("A variable.", 0),
                ("When a function calls itself until a base case.", 5),
            ],
        ),
    ]
    return [
        GradedAnswer("mohler", qid, qid, question, ref, answer, float(gold))
        for qid, question, ref, answers in data
        for answer, gold in answers
    ]


@pytest.mark.slow
def test_training_fits_saves_and_reloads_reproducibly(embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows()
    first = train(rows, embedder, seed=7)
    second = train(rows, embedder, seed=7)
    path = tmp_path / "grader.joblib"
    first.save(path)
    loaded = load_model(path)
    x = np.random.default_rng(0).random((4, len(FEATURE_NAMES))).astype(np.float32)
    assert np.allclose(loaded.predict(x)[0], first.predict(x)[0])
    assert np.allclose(first.predict(x)[0], second.predict(x)[0])
    assert loaded.meta["trained_on"]["mohler"] == 12 and loaded.meta["seed"] == 7
    assert loaded.meta["trained_on"]["contrast_pairs"] > 0
    assert json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["features"] == list(FEATURE_NAMES)


def test_the_grade_learns_from_graded_kinds_and_the_gate_from_gamed_ones() -> None:
    from vetting.scoring.contrast import Pair
    from vetting.scoring.evaluation import fit_with_pairs
    from vetting.scoring.model import GradingModel

    rng = np.random.default_rng(0)
    n = len(FEATURE_NAMES)
    real, gamed = rng.random((60, n)), rng.random((40, n)) + 2.0  # the gamed rows sit apart in feature space
    y = rng.random(60)
    pairs = [Pair("r", "a", 0.0, "keyword_bag", "g")] * 40 + [Pair("r", "a", 1.0, "identity", "g")] * 5
    xc = np.vstack([gamed, rng.random((5, n))])
    model = fit_with_pairs(GradingModel(seed=1), real, y, np.array(["g"] * 60), (xc, pairs), calibrate=False)
    assert model.regressor is not None and model.regressor.n_features_in_ == n
    assert len(model.regressor.estimators_[0].tree_.value) > 1
    assert model.looks_gamed(gamed + 0.1).all() and not model.looks_gamed(real).any()
    # the gamed kinds never reach the grade: its targets are the graded rows and the 5 identities only (trees cannot
    # predict outside their targets; the ridge line may extrapolate, so the trees are read alone)
    assert model.regressor.predict(gamed).min() >= y.min() - 1e-9


def test_the_shipped_model_has_its_gate() -> None:
    model = load_model()
    assert model.gate is not None and 0.5 < model.gate_threshold < 1


def test_the_fast_tree_read_equals_scikit_learns_own_prediction() -> None:
    model = load_model()
    assert model.regressor is not None and model.linear is not None
    x = np.random.default_rng(3).random((5, len(FEATURE_NAMES)))
    trees, _ = predict_with_spread(model.regressor, x)
    assert np.allclose(trees, model.regressor.predict(x), atol=1e-6)
    grade, _ = model.predict(x)
    w = model.linear_weight
    assert 0 < w < 1 and np.allclose(grade, np.clip((1 - w) * trees + w * model.linear.predict(x), 0, 1), atol=1e-6)


def test_the_gate_reads_no_context_feature() -> None:
    """The question-and-reference features are alike for a question's real and gamed answers: the gate ignores them."""
    from vetting.scoring.features import CONTEXT_FEATURES
    from vetting.scoring.model import GradingModel

    rng = np.random.default_rng(2)
    n = len(FEATURE_NAMES)
    context = [FEATURE_NAMES.index(name) for name in CONTEXT_FEATURES]
    assert context and max(context) < n
    real, gamed = rng.random((60, n)), rng.random((40, n))
    gamed[:, context] += 5.0  # told apart by context columns alone: a gate that reads them would learn that
    model = GradingModel(seed=0).fit_gate(real, gamed)
    assert model.gate is not None and model.gate.n_features_in_ == n - len(context)
    unseen = rng.random((40, n))
    unseen[:, context] += 5.0  # new rows like the gamed ones in context only: not read as gamed
    assert model.looks_gamed(unseen).mean() < 0.5
    moved = real.copy()
    moved[:, context] = rng.random((60, len(context))) * 100
    assert (model.looks_gamed(moved) == model.looks_gamed(real)).all()
    shipped = load_model()
    assert shipped.gate is not None and shipped.gate.n_features_in_ == n - len(context)


def test_context_features_read_the_question_and_reference_not_the_answer(embedder) -> None:  # type: ignore[no-untyped-def]
    """Every answer to a question shares its context features except the answer's closeness beyond the reference's."""
    from vetting.scoring.features import CONTEXT_FEATURES, GradingItem, extract
    from vetting.scoring.memo import EmbeddingMemo

    memo = EmbeddingMemo(embedder)
    question = "What does a load balancer do?"
    reference = "A load balancer distributes incoming traffic across several servers and skips unhealthy ones."
    answers = [reference, "It spreads requests over many machines.", question]
    rows = [extract(GradingItem(question, (reference,), a), memo).vector for a in answers]
    index = {name: FEATURE_NAMES.index(name) for name in CONTEXT_FEATURES}
    shared = [i for name, i in index.items() if name != "cos_question_over_reference"]
    assert all(np.allclose(row[shared], rows[0][shared]) for row in rows)
    assert 0 < rows[0][index["reference_in_question"]] < 1  # "load", "balancer" of the reference's words
    beyond = [float(row[index["cos_question_over_reference"]]) for row in rows]
    assert abs(beyond[0]) < 1e-5 and beyond[2] > 0.2  # the question copied back: far closer to it than the reference

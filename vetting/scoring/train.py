"""Trains the shipped scoring artifacts on Mohler (dev) and SAF (train), seed fixed: `python -m vetting.scoring.train`.

First the fluency table (`fluency.py`), then the grading model over the answer features, on the graded answers plus
the contrast pairs made from them (`contrast.py`). Two Mohler assignments and four SAF questions are held out of both:
they are the unseen questions the gaming suite and the README's held-out figures use.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import sklearn

from vetting.scoring.datasets import GradedAnswer, group_of, held_out, read_grading_csv
from vetting.scoring.evaluation import contrast_set, featurize, fit_with_pairs, item_of
from vetting.scoring.fluency import ARTIFACT as FLUENCY
from vetting.scoring.fluency import Fluency, activate
from vetting.scoring.memo import EmbeddingMemo, TokenEncoder
from vetting.scoring.model import ARTIFACT, GradingModel
from vetting.scoring.relevance import (
    FALSE_INSUFFICIENT_RATE,
    fit_coverage_threshold,
    fit_relevance_threshold,
    off_topic_catch_rate,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "grading"
SEED = 20240611


def question_fingerprint(question: str) -> str:
    """A short hash of a question's text, so evaluation can warn when it scores questions the model was trained on."""
    return hashlib.sha256(" ".join(question.lower().split()).encode()).hexdigest()[:16]


def train(
    rows: Sequence[GradedAnswer], encoder: TokenEncoder, *, seed: int = SEED, calibrate: bool = True
) -> GradingModel:
    """Fit the model on graded rows of any scale (targets normalised to 0-1) and set the off-topic threshold."""
    memo = EmbeddingMemo(encoder)
    x, _ = featurize(rows, memo)
    y = np.array([r.gold_normalized for r in rows])
    groups = np.array([f"{r.dataset}:{r.question_id}" for r in rows])
    xc, _, pairs = contrast_set(rows, memo, seed)  # answers that only look right (the gate) and rewordings (graded)
    model = fit_with_pairs(GradingModel(seed=seed), x, y, groups, (xc, pairs), calibrate=calibrate)
    items = [item_of(r) for r in rows]
    model.relevance_threshold = fit_relevance_threshold(items, memo)
    model.coverage_threshold = fit_coverage_threshold(items, memo, seed=seed)
    model.meta = {
        "seed": seed,
        "trained_on": {d: sum(r.dataset == d for r in rows) for d in sorted({r.dataset for r in rows})}
        | {"contrast_pairs": len(pairs)},
        "scikit_learn": sklearn.__version__,
        "embedding_model": "all-MiniLM-L6-v2",
        "false_insufficient_rate": FALSE_INSUFFICIENT_RATE,
        "off_topic_catch_rate": round(off_topic_catch_rate(items, memo, model.relevance_threshold, seed=seed), 4),
        "questions": sorted({question_fingerprint(r.question) for r in rows}),
    }
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with mohler_dev.csv and saf_train.csv")
    parser.add_argument("--out", type=Path, default=ARTIFACT, help="where to write the model (.joblib, plus .json)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    from vetting.kernel.settings import Settings
    from vetting.scoring.offline import scoring_encoder

    files = [read_grading_csv(args.data / name) for name in ("mohler_dev.csv", "saf_train.csv")]
    everything = [r for f in files for r in f.rows]
    for f in files:
        print(f"{f.path.name}: {len(f.rows)} answers ({f.skipped} skipped: answer lost to a spreadsheet error)")
    hidden = held_out(everything, args.seed)  # never trained on: they measure unseen questions
    rows = [r for r in everything if group_of(r) not in hidden]
    print(f"held out (never trained on): {', '.join(sorted(hidden))}; {len(everything) - len(rows)} answers")
    fluency = Fluency.fit(t for r in rows for t in (r.answer, r.reference, r.question))
    fluency.save(args.out.parent / FLUENCY.name)
    activate(fluency)
    model = train(rows, scoring_encoder(Settings()), seed=args.seed)
    model.meta["held_out"] = sorted(hidden)
    model.save(args.out)
    print(
        f"wrote {args.out} ({args.out.stat().st_size // 1024} KB); off-topic threshold {model.relevance_threshold:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

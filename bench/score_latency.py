"""Scoring latency: one answer against one rubric offline, against a bare embedding of the same answer in the same run.

Run with `python -m bench.score_latency [--answers N] [--repeat R]`. Answers are real student answers from the SAF
set (../shared/data beside the checkout) when present, otherwise a few built-in interview answers. The model and the
rubric's texts are warm (loaded and cached, as in a running app). Prints median milliseconds per answer for: the
baseline (embedding the answer alone), one criterion, the whole rubric; and batch throughput for evaluation.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rubrics import get_rubric
from vetting.scoring.datasets import read_grading_csv
from vetting.scoring.evaluation import featurize
from vetting.scoring.features import EmbeddingMemo
from vetting.scoring.offline import OfflineScorer, scoring_encoder
from vetting.scoring.relevance import is_non_answer
from vetting.settings import Settings

SAF = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "grading" / "saf_train.csv"
RUBRIC, CRITERION = "rag-case-study", "data-quality"
QUESTION = "How would you prepare the knowledge base before building the support assistant?"
BUILT_IN = [
    "I would sample a few hundred articles first and count duplicates and stale pages.",
    "Before choosing a model I would audit the articles: duplicates, outdated versions, scanned PDFs. Then I would "
    "de-duplicate by content hash, strip boilerplate and keep source and date metadata on every chunk.",
    "I would start with the data. Most support knowledge bases have near-duplicate articles and pages for old product "
    "versions, so I would sample them, measure how bad it is and fix the worst first. Tables and screenshots need "
    "their own parsing. Every chunk keeps its source, product and date so we can filter and cite. I would also agree "
    "owners for each area so articles stay fresh, and re-ingest changed pages nightly.",
]


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=20, help="answers to time (SAF answers when available)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per answer; the median is kept")
    args = parser.parse_args()
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    encoder = scoring_encoder(settings)
    scorer = OfflineScorer(encoder)
    rubric = get_rubric(settings, RUBRIC)
    criterion = [rubric.criterion(CRITERION)]
    rows = read_grading_csv(SAF).rows[:: max(1, 1476 // args.answers)][: args.answers] if SAF.is_file() else []
    answers = [r.answer for r in rows if not is_non_answer(r.answer)] or BUILT_IN
    scorer.score(rubric, QUESTION, answers[0])  # warm: model loaded, rubric texts embedded

    bare = [_median_ms(lambda a=a: encoder.embed([a]), args.repeat) for a in answers]  # type: ignore[attr-defined]
    one = [_median_ms(lambda a=a: scorer.score(rubric, QUESTION, a, criteria=criterion), args.repeat) for a in answers]
    whole = [_median_ms(lambda a=a: scorer.score(rubric, QUESTION, a), args.repeat) for a in answers]
    b, o, w = statistics.median(bare), statistics.median(one), statistics.median(whole)
    words = statistics.median(len(a.split()) for a in answers)
    print(f"{len(answers)} answers ({'SAF' if rows else 'built-in'}), median {words:.0f} words")
    print(f"baseline (embed the answer alone):      {b:6.0f} ms")
    print(f"score one criterion ({CRITERION}):    {o:6.0f} ms  ratio {o / b:.2f}")
    print(f"score the whole rubric ({len(rubric.criteria)} criteria):   {w:6.0f} ms  ratio {w / b:.2f}")

    if rows:
        batch = rows[: min(len(rows), 200)]
        start = time.perf_counter()
        encoder.embed([r.answer for r in batch])  # type: ignore[attr-defined]
        bare_batch = time.perf_counter() - start
        start = time.perf_counter()
        featurize(batch, EmbeddingMemo(encoder))
        feat_batch = time.perf_counter() - start
        print(
            f"batch of {len(batch)} for evaluation: embed {len(batch) / bare_batch:.0f} answers/s, "
            f"featurise {len(batch) / feat_batch:.0f} answers/s  ratio {feat_batch / bare_batch:.2f}"
        )


if __name__ == "__main__":
    main()

"""Scoring latency: one answer against one rubric offline, against a bare embedding of the same answer in the same run.

Run with `python -m bench.score_latency [--answers N] [--repeat R]`. Answers are real student answers from the SAF set
(../shared/data beside the checkout), each scored against a one-criterion rubric whose ideal answer is its question's
reference answer, plus three built-in interview answers scored against the whole `rag-case-study` rubric. The model
and the rubric texts are warm (loaded and cached, as in a running app). Prints median milliseconds per answer for the
baseline (embedding the answer alone) and for scoring, with their ratio, and the batch throughput used by evaluation.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from rubrics import Criterion, Rubric, get_rubric
from vetting.kernel.settings import Settings
from vetting.scoring.datasets import GradedAnswer, read_grading_csv
from vetting.scoring.evaluation import featurize
from vetting.scoring.memo import EmbeddingMemo
from vetting.scoring.offline import OfflineScorer, scoring_encoder
from vetting.scoring.relevance import is_non_answer

SAF = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "grading" / "saf_train.csv"
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
LEVELS = {1: "Wrong or missing.", 2: "Partly right.", 3: "Mostly right.", 4: "Complete and correct."}


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _short_answer_rubric(row: GradedAnswer) -> Rubric:
    """A one-criterion rubric whose ideal answer is the row's reference answer (what `vet score --reference` does)."""
    criterion = Criterion(
        id="correctness", name="Correctness", description=row.question, levels=LEVELS, ideal_answer=row.reference
    )
    return Rubric(id="short-answer", title="Short answer", version="1", criteria=[criterion])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=20, help="SAF answers to time")
    parser.add_argument("--repeat", type=int, default=3, help="runs per answer; the median is kept")
    args = parser.parse_args()
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    encoder = scoring_encoder(settings)
    scorer = OfflineScorer(encoder)
    rows = [r for r in read_grading_csv(SAF).rows if not is_non_answer(r.answer)] if SAF.is_file() else []
    rows = rows[:: max(1, len(rows) // max(1, args.answers))][: args.answers]
    rag = get_rubric(settings, "rag-case-study")
    cases = [(_short_answer_rubric(r), r.question, r.answer) for r in rows] + [(rag, QUESTION, a) for a in BUILT_IN]
    for rubric, question, answer in cases:  # warm: model loaded, every rubric's texts embedded once
        scorer.score(rubric, question, answer + " ")
    bare = [_median_ms(lambda a=answer: encoder.embed([a]), args.repeat) for _, _, answer in cases]  # type: ignore[attr-defined]
    scored = [_median_ms(lambda c=c: scorer.score(*c), args.repeat) for c in cases]
    b, s = statistics.median(bare), statistics.median(scored)
    words = statistics.median(len(answer.split()) for _, _, answer in cases)
    print(f"{len(rows)} SAF answers (one criterion each) and {len(BUILT_IN)} answers on rag-case-study (6 criteria)")
    print(f"median answer length {words:.0f} words")
    print(f"baseline (embed the answer alone): {b:6.0f} ms")
    print(f"score the answer on its rubric:    {s:6.0f} ms  ratio {s / b:.2f}")
    print(f"per case ratio: median {statistics.median(x / y for x, y in zip(scored, bare, strict=True)):.2f}")
    six_bare, six = statistics.median(bare[len(rows) :]), statistics.median(scored[len(rows) :])
    print(
        f"six-criterion answer (rag-case-study): median {six:.0f} ms per answer, bare embedding {six_bare:.0f} ms, "
        f"ratio {six / six_bare:.2f} (target <= 4)"
    )
    if rows:
        start = time.perf_counter()
        encoder.embed([r.answer for r in rows])  # type: ignore[attr-defined]
        bare_batch = time.perf_counter() - start
        start = time.perf_counter()
        featurize(rows, EmbeddingMemo(encoder))
        feat_batch = time.perf_counter() - start
        print(
            f"batch of {len(rows)} for evaluation: embed {len(rows) / bare_batch:.1f} answers/s, "
            f"featurise {len(rows) / feat_batch:.1f} answers/s  ratio {feat_batch / bare_batch:.2f}"
        )


if __name__ == "__main__":
    main()

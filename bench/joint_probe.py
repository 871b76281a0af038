"""Probe: a cross-encoder fine-tuned from the packaged MiniLM, against the shipped grader, on the held-out groups.

Run with `python -m bench.joint_probe [--epochs 3] [--limit N]` (about 15 minutes on 2 CPU cores). The encoder reads
reference and answer as one input, all layers trained, mean-pooled into a sigmoid grade, MSE on the 0-1 human grade.
It trains on every graded answer outside the groups `artifacts/grader.json` holds out, plus the graded contrast kinds
(identity, reordered, top answer, instructed) made for the questions it trains on; pairs holding a text of a held-out
row are dropped. It then scores the held-out rows and prints Pearson (all answers and real answers) beside the
shipped grader on the same rows, with its insufficient and gate rules. Nothing is saved: this measures whether a
joint model is worth shipping.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from vetting.kernel.settings import Settings
from vetting.metrics import pearson
from vetting.scoring.contrast import TRAINED_KINDS, Pair, contrast_pairs
from vetting.scoring.datasets import GradedAnswer, group_of, read_grading_csv
from vetting.scoring.evaluation import contrast_for, evaluate_grading
from vetting.scoring.memo import EmbeddingMemo
from vetting.scoring.model import load_model
from vetting.scoring.offline import scoring_encoder
from vetting.scoring.relevance import is_non_answer
from vetting.scoring.train import SEED

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "grading"
BATCH = 16
MAX_TOKENS = 192
LEARNING_RATE = 4e-5
WARMUP = 0.1

Item = tuple[str, str, float]  # (reference, answer, 0-1 target)


def split(
    rows: Sequence[GradedAnswer], pairs: Sequence[Pair], hidden: set[str]
) -> tuple[list[Item], list[GradedAnswer]]:
    """Training items (graded rows and graded contrast kinds outside `hidden`) and the held-out rows to score."""
    fitted = [r for r in rows if group_of(r) not in hidden]
    scored = [r for r in rows if group_of(r) in hidden]
    keep = contrast_for(pairs, fitted, scored)  # made for a fitted question, holding no text of a scored one
    items = [(r.reference, r.answer, r.gold_normalized) for r in fitted]
    items += [
        (p.reference, p.answer, p.target) for p, k in zip(pairs, keep, strict=True) if k and p.kind in TRAINED_KINDS
    ]
    return items, scored


def fine_tune(items: Sequence[Item], epochs: int, seed: int) -> Callable[[Sequence[tuple[str, str]]], np.ndarray]:
    """The packaged MiniLM with a linear head, every layer trained on `items`; returns a scoring callable."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from vetting.embeddings import packaged_model_path

    torch.manual_seed(seed)
    path = packaged_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path)
    head = torch.nn.Linear(encoder.config.hidden_size, 1)

    def grade(batch: Sequence[tuple[str, str]]) -> torch.Tensor:
        enc = tokenizer(
            [b[0] for b in batch],
            [b[1] for b in batch],
            padding=True,
            truncation="longest_first",
            max_length=MAX_TOKENS,
            return_tensors="pt",
        )
        hidden = encoder(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        return torch.sigmoid(head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1))

    ordered = sorted(items, key=lambda i: len(i[0]) + len(i[1]))  # similar lengths pad together
    chunks = [ordered[i : i + BATCH] for i in range(0, len(ordered), BATCH)]
    steps = max(1, epochs * len(chunks))
    params = [*encoder.parameters(), *head.parameters()]
    optimiser = torch.optim.AdamW(params, lr=LEARNING_RATE, weight_decay=0.01)
    warm = WARMUP * steps
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: s / warm if s < warm else max(0.0, (steps - s) / (steps - warm))
    )
    started, step = time.monotonic(), 0
    for epoch in range(epochs):
        encoder.train()
        for j in np.random.default_rng(seed + epoch).permutation(len(chunks)):
            chunk = chunks[j]
            target = torch.tensor([c[2] for c in chunk], dtype=torch.float32)
            loss = ((grade([(c[0], c[1]) for c in chunk]) - target) ** 2).mean()
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            if step % 100 == 0:
                print(f"  step {step}/{steps}, loss {loss.item():.4f}, {time.monotonic() - started:.0f} s", flush=True)
    encoder.eval()

    def score(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        with torch.no_grad():
            return np.concatenate([grade(pairs[i : i + 32]).numpy() for i in range(0, len(pairs), 32)])

    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="folder with mohler_dev.csv and saf_train.csv")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=None, help="train on at most this many items (a quick look)")
    parser.add_argument(
        "--shipped-only", action="store_true", help="no fine-tuning: the shipped grader's figures on the same rows"
    )
    args = parser.parse_args(argv)
    if not (args.data / "mohler_dev.csv").is_file():
        print(f"no grading data in {args.data}: nothing to measure")
        return 1
    rows = [r for name in ("mohler_dev.csv", "saf_train.csv") for r in read_grading_csv(args.data / name).rows]
    model = load_model()
    hidden = set(model.meta.get("held_out", []))
    items, scored = split(rows, contrast_pairs(rows, seed=SEED), hidden)
    if args.limit is not None:
        items = random.Random(SEED).sample(items, min(args.limit, len(items)))
    print(f"training on {len(items)} items; scoring {len(scored)} held-out answers ({', '.join(sorted(hidden))})")
    score = None
    if not args.shipped_only:
        started = time.monotonic()
        score = fine_tune(items, args.epochs, SEED)
        print(f"fine-tuned in {time.monotonic() - started:.0f} s")
    memo = EmbeddingMemo(scoring_encoder(Settings()))
    for dataset in ("mohler", "saf"):
        part = [r for r in scored if r.dataset == dataset]
        if len(part) < 3:
            continue
        gold = np.array([r.gold_normalized for r in part])
        real = np.array([not is_non_answer(r.answer) for r in part])
        shipped = np.array(evaluate_grading(part, memo, model=model).predictions)
        if score is None:
            print(
                f"{dataset}: {len(part)} answers; Pearson shipped grader {pearson(shipped, gold):.3f}; "
                f"real answers ({int(real.sum())}): {pearson(shipped[real], gold[real]):.3f}"
            )
            continue
        joint = score([(r.reference, r.answer) for r in part])
        print(
            f"{dataset}: {len(part)} answers; Pearson cross-encoder {pearson(joint, gold):.3f}, shipped grader "
            f"{pearson(shipped, gold):.3f}; real answers ({int(real.sum())}): cross-encoder "
            f"{pearson(joint[real], gold[real]):.3f}, shipped grader {pearson(shipped[real], gold[real]):.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

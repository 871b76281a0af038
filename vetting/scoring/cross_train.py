"""Fine-tunes the cross-encoder from the packaged all-MiniLM-L6-v2 weights, exports it to ONNX and quantises it to int8.

Training reads each (reference, answer) pair jointly: graded Mohler and SAF answers (targets = human grade on 0-1) plus
the contrast pairs of `vetting.scoring.contrast`. Seed, data order and every hyper-parameter are fixed. A fixed set of
questions (HELD_OUT) is never trained on, so agreement on them is agreement on questions the model has not seen.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from vetting.scoring.contrast import Pair, contrast_pairs
from vetting.scoring.cross_encoder import CROSS_MODEL, MAX_TOKENS, CrossEncoder
from vetting.scoring.datasets import GradedAnswer

SAF_PER_QUESTION = 45  # SAF answers kept per question (its pairs are long; this bounds the training time)
FROZEN_LAYERS = 3  # embeddings and the lowest layers stay as packaged; the upper layers learn to read pairs
EPOCHS = 1
BATCH = 16
LEARNING_RATE = 8e-5
INT8_MAX_DRIFT = 0.03  # int8 is shipped only if its mean absolute difference from fp32 stays below this


def held_out(rows: Sequence[GradedAnswer], seed: int) -> set[str]:
    """Groups never trained on: two Mohler assignments and four SAF questions, drawn with the seed."""
    rng = random.Random(seed)
    mohler = sorted({r.assignment for r in rows if r.dataset == "mohler"})
    saf = sorted({r.question_id for r in rows if r.dataset == "saf"})
    keep = {f"mohler:{a}" for a in rng.sample(mohler, min(2, len(mohler) // 3))}
    return keep | {f"saf:{q}" for q in rng.sample(saf, min(4, len(saf) // 3))}


def group_of(row: GradedAnswer) -> str:
    """The held-out unit of a row: its Mohler assignment or its SAF question."""
    return f"mohler:{row.assignment}" if row.dataset == "mohler" else f"saf:{row.question_id}"


def training_pairs(rows: Sequence[GradedAnswer], seed: int) -> list[Pair]:
    """Graded pairs (SAF thinned per question) plus contrast pairs, from rows outside the held-out groups."""
    rng = random.Random(seed)
    hidden = held_out(rows, seed)
    seen = [r for r in rows if group_of(r) not in hidden]
    by_question: dict[str, list[GradedAnswer]] = {}
    for r in seen:
        by_question.setdefault(f"{r.dataset}:{r.question_id}", []).append(r)
    graded: list[Pair] = []
    for key in sorted(by_question):
        group = by_question[key]
        if key.startswith("saf:") and len(group) > SAF_PER_QUESTION:
            group = rng.sample(group, SAF_PER_QUESTION)
        graded += [Pair(r.reference, r.answer, r.gold_normalized, "graded", key) for r in group]
    pairs = graded + contrast_pairs(seen, seed=seed)
    rng.shuffle(pairs)
    return pairs


def fine_tune(pairs: Sequence[Pair], model_path: Path, *, seed: int, log: Any = print) -> Any:
    """Train a one-logit sequence classifier on the pairs (soft binary cross-entropy); returns the torch model."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(2)
    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model = AutoModelForSequenceClassification.from_pretrained(model_path, num_labels=1)
    frozen = [model.bert.embeddings, *model.bert.encoder.layer[:FROZEN_LAYERS]]
    for module in frozen:
        for p in module.parameters():
            p.requires_grad = False
    encoded = tokenizer([p.reference for p in pairs], [p.answer for p in pairs], truncation=True, max_length=MAX_TOKENS)
    lengths = [len(ids) for ids in encoded["input_ids"]]
    order = sorted(range(len(pairs)), key=lambda i: (lengths[i], i))  # similar lengths batch together: less padding
    batches = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    steps = EPOCHS * len(batches)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=LEARNING_RATE, weight_decay=0.01)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    loss_fn = torch.nn.BCEWithLogitsLoss()
    rng = random.Random(seed)
    model.train()
    start, done = time.perf_counter(), 0
    for epoch in range(EPOCHS):
        rng.shuffle(batches)
        for batch in batches:
            features = tokenizer.pad(
                {k: [encoded[k][i] for i in batch] for k in ("input_ids", "attention_mask", "token_type_ids")},
                return_tensors="pt",
            )
            target = torch.tensor([pairs[i].target for i in batch], dtype=torch.float32)
            loss = loss_fn(model(**features).logits.squeeze(-1), target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            done += 1
            if done % 20 == 0 or done == steps:
                elapsed = time.perf_counter() - start
                eta = elapsed / done * (steps - done)
                log(f"epoch {epoch + 1} step {done}/{steps} loss {loss.item():.3f} eta {eta:.0f}s")
    model.eval()
    return model


def export(model: Any, model_path: Path, out: Path) -> Path:
    """Write the fine-tuned classifier as ONNX (fp32) next to `out`; returns the fp32 file."""
    import warnings

    import torch
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_path)
    model.set_attn_implementation("eager")
    sample = tokenizer(["a reference"], ["an answer that is a little longer"], return_tensors="pt")
    names = ("input_ids", "attention_mask", "token_type_ids")
    fp32 = out.with_name(out.stem + "-fp32.onnx")
    fp32.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            tuple(sample[n] for n in names),
            str(fp32),
            input_names=list(names),
            output_names=["logits"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names} | {"logits": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    return fp32


def quantize(fp32: Path, out: Path) -> None:
    """Dynamic int8 quantisation of the weights (ONNX Runtime), written to `out`."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)


def build(rows: Sequence[GradedAnswer], model_path: Path, *, seed: int, out: Path = CROSS_MODEL) -> dict[str, Any]:
    """Train, export, quantise (if int8 agrees with fp32 on held-out pairs) and write the model and its metadata."""
    pairs = training_pairs(rows, seed)
    hidden = held_out(rows, seed)
    start = time.perf_counter()
    model = fine_tune(pairs, model_path, seed=seed)
    minutes = (time.perf_counter() - start) / 60
    fp32 = export(model, model_path, out)
    quantize(fp32, out)
    probe = [r for r in rows if group_of(r) in hidden][::5]
    ref = CrossEncoder(fp32, model_path).predict([(r.reference, r.answer) for r in probe])
    q8 = CrossEncoder(out, model_path).predict([(r.reference, r.answer) for r in probe])
    drift = float(np.mean(np.abs(ref - q8))) if len(probe) else 0.0
    precision = "int8"
    if drift > INT8_MAX_DRIFT or math.isnan(drift):
        fp32.replace(out)
        precision = "fp32"
    else:
        fp32.unlink()
    meta = {
        "base_model": "all-MiniLM-L6-v2",
        "seed": seed,
        "max_tokens": MAX_TOKENS,
        "epochs": EPOCHS,
        "frozen_layers": FROZEN_LAYERS,
        "precision": precision,
        "int8_mean_abs_drift": round(drift, 4),
        "training_minutes": round(minutes, 1),
        "pairs": {k: sum(p.kind == k for p in pairs) for k in sorted({p.kind for p in pairs})},
        "held_out": sorted(hidden),
    }
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return meta

"""`vet eval`: the evaluation group. `vet eval grading` measures the scorer against human grades."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from vetting.cli.common import app, emit_json, services

eval_app = typer.Typer(help="Measure retrieval, plans, grading and fairness; write reports.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


class GradingFormatChoice(StrEnum):
    mohler = "mohler"
    saf = "saf"


class CvBy(StrEnum):
    question = "question"
    assignment = "assignment"


@eval_app.command("grading")
def eval_grading(
    csv: Path = typer.Option(..., "--csv", help="Human-graded answers to score (Mohler or SAF CSV)."),
    fmt: GradingFormatChoice = typer.Option(
        ..., "--format", help="Layout and scale of --csv: mohler (0-5), saf (0-1)."
    ),
    train: list[Path] = typer.Option(
        [], "--train", help="Graded CSV(s) to fit a fresh model on (repeatable); rows also in --csv are left out."
    ),
    cv_by: CvBy | None = typer.Option(
        None,
        "--cv-by",
        help="Grouped cross-validation on --csv: no question (or assignment) is both fitted and scored.",
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the fitted models; the same seed gives the same numbers."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    predictions: Path | None = typer.Option(
        None, "--predictions", help="Also write one CSV row per scored answer: id, question_id, gold, predicted."
    ),
) -> None:
    """Score every row from question, reference and answer only; print agreement with the human grades."""
    from vetting.scoring.datasets import read_grading_csv
    from vetting.scoring.evaluation import evaluate_grading
    from vetting.scoring.memo import EmbeddingMemo
    from vetting.scoring.model import load_model
    from vetting.scoring.offline import scoring_encoder
    from vetting.scoring.train import question_fingerprint

    scored = read_grading_csv(csv, fmt.value)
    extra = [r for path in train for r in read_grading_csv(path).rows]
    model = None if (train or cv_by) else load_model()
    memo = EmbeddingMemo(scoring_encoder(services().settings))

    def progress(done: int, total: int) -> None:
        typer.echo(f"\rembedding and featurising answers: {done}/{total}", err=True, nl=done >= total)

    result = evaluate_grading(
        scored.rows,
        memo,
        model=model,
        train=extra,
        cv_by=cv_by.value if cv_by else None,
        seed=seed,
        progress=None if as_json else progress,
    )
    if predictions is not None:
        from eval.predictions import record_ids, write_predictions

        ids = record_ids(len(scored.rows), scored.skipped_lines)
        written = write_predictions(predictions, ids, scored.rows, result.predictions)
        typer.echo(f"wrote {written} prediction(s) to {predictions}", err=True)
    if as_json:
        emit_json(result.metrics)
        return
    m = result.metrics
    lines = [
        f"{csv.name} ({fmt.value}): {m['n']} answers scored by the {result.mode}"
        + (f"; {scored.skipped} row(s) skipped, answer lost to a spreadsheet error" if scored.skipped else ""),
        f"  pearson {m['pearson']:.3f}   spearman {m['spearman']:.3f}   qwk {m['qwk']:.3f}",
        f"  rmse {m['rmse']:.3f}   mae {m['mae']:.3f}   within one grade step {m['within_1']:.1%}",
        f"  cosine baseline (reference vs answer): pearson {result.baseline_pearson:.3f}, "
        f"spearman {result.baseline_spearman:.3f}",
        f"  answers judged 'insufficient evidence' (scored at the bottom of the scale): {result.insufficient}",
        f"  answers the gate read as made to only look right (scored at the bottom): {result.gated}",
        f"  real answers only (non-answers left out): pearson {result.views['real']['pearson']:.3f}, "
        f"qwk {result.views['real']['qwk']:.3f}; cosine baseline with the same non-answer rule: "
        f"pearson {result.views['cosine_real']['pearson']:.3f}, qwk {result.views['cosine_real']['qwk']:.3f}",
    ]
    if model is not None:
        seen = set(model.meta.get("questions", []))
        overlap = sum(question_fingerprint(r.question) in seen for r in scored.rows)
        if overlap:
            lines.append(
                f"  note: the shipped model was trained on {overlap} of these answers' questions; "
                "use --cv-by for a figure on unseen questions"
            )
    typer.echo("\n".join(lines))

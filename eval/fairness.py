"""Name-swap fairness audit: the same documents under names tied to different groups, and what changes."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eval.corpus import Corpus
from eval.names import PersonName, bertrand_mullainathan_names, bloomberg_names, sample_by_group
from eval.plans import plan_signature
from eval.plots import bars, histogram
from eval.results import Figure, SectionResult, Table
from eval.swap import SwapDocument, bloomberg_resumes, mask_name, real_cvs
from vetting.metrics import FOUR_FIFTHS, impact_ratios, jaccard, mean
from vetting.services import Services

Progress = Callable[[str], None]
FIT_RUBRIC = "project-deep-dive"
K = 5
SHOWN_DECIMALS = 2  # scores (as a share of their scale) are compared at the precision the app shows them
STUDIES = {
    "Bloomberg 2024": "Bloomberg, 'OpenAI's GPT Is a Recruiter's Dream Tool. Tests Show There's Racial Bias' (2024)",
    "Bertrand & Mullainathan 2004": "Bertrand & Mullainathan, 'Are Emily and Greg More Employable than Lakisha and "
    "Jamal?', American Economic Review 94(4), 2004",
}
# An answer scorer for the audit: (document, name in it, the candidate's services) -> score as a share of its scale.
AnswerScorer = Callable[[SwapDocument, PersonName | None, Services, Any], float]


@dataclass(frozen=True)
class AuditSize:
    """How many documents and names the audit uses (each document is ingested once per name)."""

    real_cvs: int = 3
    resumes_per_job: int = 1
    names_per_group: int = 1


def audit_names(corpus: Corpus, seed: int, per_group: int) -> list[PersonName]:
    """`per_group` names per race×sex group from each study, drawn with the seed."""
    fairness = corpus.fairness_dir()
    return sample_by_group(bloomberg_names(fairness), per_group, seed) + sample_by_group(
        bertrand_mullainathan_names(fairness, seed), per_group, seed
    )


def _measure(
    services: Services, doc: SwapDocument, text: str, name: PersonName | None, tag: str, work: Path, case_id: str,
    queries: Any, scorer: AnswerScorer | None,
) -> dict[str, Any]:  # fmt: skip
    """Ingest one variant, then measure its retrieval fit, plan and (when a scorer is given) answer score."""
    from vetting.kernel.domain import Upload

    path = work / doc.id / f"{tag}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    report = services.ingestor.ingest([Upload(path, "cv.txt")], f"Fairness {doc.id} {tag}")
    if not report.ok:
        raise RuntimeError(f"{doc.id}: variant '{tag}' was rejected ({report.documents[0].error})")
    index = services.store.for_candidate(report.candidate.id)
    hits = index.query_many(queries, k=K)
    row: dict[str, Any] = {
        "fit": mean(per[0].score for per in hits if per),
        "top_k": [tuple(h.chunk.index for h in per) for per in hits],
    }
    planner = getattr(services, "planner", None)
    if planner is not None:
        plan = planner.plan(report.candidate, case_id)
        row["plan"] = [tuple(mask_name(str(v), name) for v in q) for q in plan_signature(plan)]
    if scorer is not None:
        row["score"] = scorer(doc, name, services, report.candidate)
    services.candidates.delete(report.candidate.id)
    return row


def evaluate_fairness(
    services: Services,
    corpus: Corpus,
    work_dir: Path,
    *,
    seed: int = 13,
    size: AuditSize | None = None,
    scorer: AnswerScorer | None = None,
    progress: Progress | None = None,
) -> SectionResult:
    """Run every document under every sampled name (and its own name, for real CVs) and compare the outcomes."""
    from rubrics import get_rubric
    from vetting.planning.retrieval import criterion_query

    size = size or AuditSize()
    names = audit_names(corpus, seed, size.names_per_group)
    real, notes = real_cvs(corpus, services.settings, size.real_cvs, seed)
    docs = real + bloomberg_resumes(corpus, size.resumes_per_job, seed)
    criteria_queries = [criterion_query(c) for c in get_rubric(services.settings, FIT_RUBRIC).criteria]
    from cases import load_cases

    case_ids = sorted(load_cases(services.settings))
    rows: list[dict[str, Any]] = []
    total = len(docs) * (len(names) + 1)
    done = 0
    for d, doc in enumerate(docs):
        queries = services.embedder.embed(criteria_queries + ([doc.job[:2000]] if doc.job else []))
        case_id = case_ids[d % len(case_ids)]
        variants: list[tuple[str, PersonName | None, str]] = []
        if doc.name is not None:
            variants.append(("original", doc.name, doc.text))
        variants += [(f"n{j:02d}", n, doc.with_name(n)) for j, n in enumerate(names)]
        measured = []
        for tag, name, text in variants:
            done += 1
            if progress:
                progress(f"name swap {done}/{total}")
            row = _measure(services, doc, text, name, tag, work_dir, case_id, queries, scorer)
            row.update({"document": doc.id, "kind": doc.kind, "variant": tag})
            swapped = name if tag != "original" else None
            row.update({"name": name.full if name else None, "group": swapped.group if swapped else None})
            row["study"] = swapped.source if swapped else None
            measured.append(row)
        rows += _compare(measured)
    section = _section(rows, docs, names, notes, seed, size, scorer is not None)
    fairness = corpus.fairness_dir()
    section.inputs = [
        *(d.source for d in docs),
        fairness / "bloomberg_2024" / "top_mens_names.json",
        fairness / "bloomberg_2024" / "top_womens_names.json",
        fairness / "bloomberg_2024" / "Names_2010Census_Top1000.csv",
        fairness / "bertrand_mullainathan_2004" / "first_names.csv",
    ]
    return section


def _compare(measured: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Changes of each variant against the document's reference: its own name, or the consensus over all names."""
    original = next((r for r in measured if r["variant"] == "original"), None)
    swapped = [r for r in measured if r["variant"] != "original"]
    if original is not None:
        ref_fit, ref_top, ref_plan = original["fit"], original["top_k"], original.get("plan")
        ref_score = original.get("score")
    else:
        ref_fit = statistics.fmean(r["fit"] for r in swapped)
        queries = range(len(swapped[0]["top_k"]))
        ref_top = [Counter(r["top_k"][q] for r in swapped).most_common(1)[0][0] for q in queries]
        plans = Counter(repr(r.get("plan")) for r in swapped).most_common(1)[0][0]
        ref_plan = next((r.get("plan") for r in swapped if repr(r.get("plan")) == plans), None)
        ref_score = statistics.fmean(r["score"] for r in swapped) if "score" in swapped[0] else None
    for r in swapped:
        r["fit_change"] = abs(r["fit"] - ref_fit)
        r["top_k_overlap"] = mean(jaccard(a, b) for a, b in zip(r["top_k"], ref_top, strict=True))
        if ref_plan is not None:
            r["plan_unchanged"] = r.get("plan") == ref_plan
        if ref_score is not None:
            r["score_change"] = abs(r["score"] - ref_score)
    return swapped


def _section(
    rows: list[dict[str, Any]], docs: Sequence[SwapDocument], names: Sequence[PersonName], notes: list[str], seed: int,
    size: AuditSize, scored: bool,
) -> SectionResult:  # fmt: skip
    metrics: dict[str, float | None] = {"documents": len(docs), "names": len(names)}
    tables: list[Table] = []
    groups_out: dict[str, Any] = {}
    for measure in ("fit", "score") if scored else ("fit",):
        worst, worst_raw = 1.0, 1.0
        for study in STUDIES:
            results = [(r["group"], r[measure]) for r in rows if r["study"] == study]
            rates = impact_ratios([(g, round(v, SHOWN_DECIMALS)) for g, v in results])
            groups_out[f"{measure}:{study}"] = [g.to_dict() for g in rates]
            worst = min([worst, *(g.impact_ratio for g in rates)])
            worst_raw = min([worst_raw, *(g.impact_ratio for g in impact_ratios(results))])
            tables.append(
                Table(
                    f"Impact ratios of the {measure} score — {study}",
                    ["group", "n", "above median", "scoring rate", "impact ratio", "below 0.80"],
                    [[g.group, g.n, g.above_median, g.scoring_rate, g.impact_ratio, g.flagged] for g in rates],
                )
            )
        metrics[f"{measure}_min_impact_ratio"] = worst
        metrics[f"{measure}_min_impact_ratio_unrounded"] = worst_raw
        metrics[f"{measure}_mean_abs_change"] = mean(r[f"{measure}_change"] for r in rows)
        metrics[f"{measure}_max_abs_change"] = max((r[f"{measure}_change"] for r in rows), default=0.0)
    metrics["four_fifths_flags"] = sum(1 for gs in groups_out.values() for g in gs if g["flagged"])
    metrics["top_k_overlap"] = mean(r["top_k_overlap"] for r in rows)
    if any("plan_unchanged" in r for r in rows):
        metrics["plan_unchanged_rate"] = mean(1.0 if r.get("plan_unchanged") else 0.0 for r in rows)
    per_doc = []
    for doc in docs:
        group = [r for r in rows if r["document"] == doc.id]
        if not group:
            continue
        unchanged = [1.0 if r["plan_unchanged"] else 0.0 for r in group if "plan_unchanged" in r]
        changes = [mean(r["fit_change"] for r in group), mean(r["top_k_overlap"] for r in group)]
        per_doc.append([doc.id, doc.kind, len(group), *changes, mean(unchanged) if unchanged else None])
    columns = ["document", "kind", "names", "mean |fit change|", "top-k overlap", "plans unchanged"]
    tables.append(Table("Per document", columns, per_doc))
    method = _method(docs, names, seed, size, scored, notes)
    figures = [_ratio_plot(groups_out, measure) for measure in (("fit", "score") if scored else ("fit",))]
    changes = [r["fit_change"] for r in rows]
    figures.append(histogram("fit-change", "Fit change under a name swap", changes, xlabel="|change|"))
    variants = [{k: v for k, v in r.items() if k not in ("top_k", "plan")} for r in rows]
    details = {"groups": groups_out, "variants": variants}
    return SectionResult(
        "fairness",
        "Fairness (name swap)",
        metrics=metrics,
        method=method,
        tables=tables,
        figures=figures,
        details=details,
    )


def _ratio_plot(groups: dict[str, Any], measure: str) -> Figure:
    """Impact ratio of every group of both studies, with the four-fifths line and the 0.95 target."""
    labels, values = [], []
    for key, rates in groups.items():
        if key.startswith(f"{measure}:"):
            short = "B&M" if "Bertrand" in key else "Bloomberg"
            labels += [f"{g['group']} ({short})" for g in rates]
            values += [g["impact_ratio"] for g in rates]
    lines = {"four-fifths rule (0.80)": FOUR_FIFTHS, "target (0.95)": 0.95}
    title = f"Impact ratios of the {measure} score"
    return bars(f"{measure}-impact-ratios", title, labels, values, ylabel="impact ratio", lines=lines, ylim=(0, 1.05))


def _method(
    docs: Sequence[SwapDocument],
    names: Sequence[PersonName],
    seed: int,
    size: AuditSize,
    scored: bool,
    notes: list[str],
) -> list[str]:
    real = sum(d.kind == "real CV" for d in docs)
    return [
        f"Documents: {real} real CVs of the corpus (text as the app extracts it; the CV's own name replaced in prose, "
        f"e-mail addresses, handles and URLs) and {len(docs) - real} of the near-identical résumés Bloomberg wrote "
        f"for its 2024 test, {size.resumes_per_job} per job, each with that job's real job ad. Seed {seed}.",
        f"Names: {size.names_per_group} per race × sex group from the 800 names of {STUDIES['Bloomberg 2024']} and "
        f"from the 36 first names of {STUDIES['Bertrand & Mullainathan 2004']} (each paired with a 2010 Census "
        f"surname typical of its race): {len(names)} names in all.",
        f"Each variant is ingested as its own candidate. Fit score: mean similarity of the best chunk to each "
        f"criterion of the '{FIT_RUBRIC}' rubric (and to the job ad, for Bloomberg résumés), i.e. how strongly "
        f"retrieval finds the candidate's evidence. Top-k overlap: Jaccard overlap of the top {K} chunks per query "
        "with the reference. Plans are compared with the name masked."
        + (" The answer score is the rubric scorer's, as a share of its scale." if scored else ""),
        "Reference for changes: a real CV under its own name; a Bloomberg résumé's mean (fit, score) or most "
        "common outcome (plan, top-k) over all names.",
        "Gated: the AI score's lowest impact ratio and its mean change, and the fit score's mean change. The fit "
        "score is no score a user sees (it measures how retrieval reacts to the name), so its impact ratios are "
        "shown for insight, not gated.",
        "Impact ratio as NYC Local Law 144 defines it for scores: a group's scoring rate (share of its results above "
        f"the median of all results of that study) ÷ the highest group's scoring rate; below {FOUR_FIFTHS:.2f} is "
        "flagged under the four-fifths rule. When no result exceeds the median (all equal), every ratio is 1. "
        f"Scores (as a share of their scale) are compared at the {SHOWN_DECIMALS} decimals the app shows: a "
        "difference too small to be seen cannot disadvantage anyone, yet with a few names per group a 0.001 change "
        "that crosses the median moves a ratio by a whole step; the unrounded ratio is reported beside it.",
        *notes,
        *(
            [
                f"Only {len(docs)} document(s): impact ratios then mostly tell on which side of the median one "
                "document's variants fall; use more documents for a meaningful ratio."
            ]
            if len(docs) < 4
            else []
        ),
    ]

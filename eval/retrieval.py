"""Retrieval evaluation: facts planted in real CVs and write-ups, labels found by string matching, ranked metrics."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from eval.corpus import Corpus, document_family
from eval.planting import Fact, load_facts, plant
from eval.results import SectionResult, Table
from vetting.kernel.domain import Chunk
from vetting.metrics import (
    hit_at_k,
    mean,
    ragas_id_context_scores,
    ragas_sample,
    recall_at_k,
    reciprocal_rank,
)
from vetting.services import Services

KS = (1, 3, 5, 10)
FACTS_PER_DOCUMENT = 2
MATCH_SHARE = 0.6  # a chunk is relevant when it holds at least this share of the planted sentence, contiguously
Progress = Callable[[str], None]


@dataclass(frozen=True)
class LabelledQuery:
    """One query of the set, the candidate whose index it runs against, and its relevant chunk ids."""

    id: str
    candidate_id: str
    query: str
    fact: Fact
    document: str
    family: str
    where: str
    relevant: tuple[str, ...]


@dataclass
class RetrievalSet:
    queries: list[LabelledQuery]
    planted: int
    lost: list[dict[str, str]]  # planted facts that no chunk holds after ingestion (with the reason)


def holds_fact(chunk_text: str, fact_text: str) -> bool:
    """True when the chunk contains at least MATCH_SHARE of the fact as one contiguous run (whitespace-insensitive)."""
    from vetting.kernel.quotes import normalize

    fact, text = normalize(fact_text), normalize(chunk_text)
    if fact in text:
        return True
    match = SequenceMatcher(None, fact, text, autojunk=False).find_longest_match(0, len(fact), 0, len(text))
    return match.size >= MATCH_SHARE * len(fact)


def _pick(facts: list[Fact], i: int) -> list[Fact]:
    """FACTS_PER_DOCUMENT distinct facts for candidate `i`, cycling through the shuffled bank."""
    return [facts[(i * FACTS_PER_DOCUMENT + j) % len(facts)] for j in range(FACTS_PER_DOCUMENT)]


def relevant_chunks(chunks: Sequence[Chunk], fact_text: str) -> tuple[str, ...]:
    return tuple(c.id for c in chunks if holds_fact(c.text, fact_text))


def build_retrieval_set(
    services: Services,
    corpus: Corpus,
    work_dir: Path,
    *,
    seed: int,
    candidates: int | None = None,
    progress: Progress | None = None,
) -> RetrievalSet:
    """One candidate per real CV (paired with a write-up), one fact planted in each document, then ingested."""
    bank = load_facts()
    cvs, writeups = corpus.cvs(), corpus.writeups()
    rng = random.Random(seed)
    cv_facts, writeup_facts = rng.sample(bank.cv, len(bank.cv)), rng.sample(bank.writeup, len(bank.writeup))
    order = rng.sample(range(len(cvs)), len(cvs))
    if candidates is not None:
        order = sorted(order[:candidates])
    queries: list[LabelledQuery] = []
    lost: list[dict[str, str]] = []
    planted = 0
    from vetting.kernel.domain import Upload

    for n, i in enumerate(order):
        cv, writeup = cvs[i], writeups[i % len(writeups)]
        folder = work_dir / f"candidate-{i:02d}"
        pairs = [(cv, _pick(cv_facts, i)), (writeup, _pick(writeup_facts, i))]
        copies = [plant(doc, facts, folder, random.Random(f"{seed}:{doc.name}")) for doc, facts in pairs]
        planted += sum(len(c.facts) for c in copies)
        if progress:
            progress(f"ingesting candidate {n + 1}/{len(order)}")
        report = services.ingestor.ingest([Upload(c.path, c.source.name) for c in copies], f"Retrieval eval {i:02d}")
        status = {d.path: d for d in report.documents}
        chunks = services.store.for_candidate(report.candidate.id).chunks()
        for copy in copies:
            name, result = copy.source.name, status.get(copy.source.name)
            for fact, where in zip(copy.facts, copy.where, strict=True):
                if result is None or result.status == "rejected":
                    reason = f"rejected: {result.error if result else 'not ingested'}"
                    lost.append({"document": name, "fact": fact.id, "reason": reason})
                    continue
                relevant = relevant_chunks([c for c in chunks if c.doc_id == result.doc_id], fact.text)
                if not relevant:
                    lost.append({"document": name, "fact": fact.id, "reason": "planted sentence not in any chunk"})
                    continue
                family = document_family(copy.source)
                queries.append(
                    LabelledQuery(
                        f"{i:02d}-{fact.id}", report.candidate.id, fact.query, fact, name, family, where, relevant
                    )
                )
    return RetrievalSet(queries, planted, lost)


def run_queries(services: Services, labelled: Sequence[LabelledQuery], depth: int) -> list[list[str]]:
    """Ranked chunk ids for each query, retrieved from its own candidate's index as the app retrieves them."""
    vectors = services.embedder.embed([q.query for q in labelled])
    ranked: list[list[str]] = []
    for query, vector in zip(labelled, vectors, strict=True):
        hits = services.store.for_candidate(query.candidate_id).query(vector, depth)
        ranked.append([h.chunk.id for h in hits])
    return ranked


def evaluate_retrieval(
    services: Services,
    corpus: Corpus,
    work_dir: Path,
    *,
    seed: int = 13,
    candidates: int | None = None,
    k: int = 5,
    progress: Progress | None = None,
) -> SectionResult:
    """Build the labelled set, run every query, and score it (ragas ID-based precision/recall at k, recall@k, MRR)."""
    labelled = build_retrieval_set(services, corpus, work_dir, seed=seed, candidates=candidates, progress=progress)
    if progress:
        progress("running retrieval queries")
    depth = max(max(KS), k)
    ranked = run_queries(services, labelled.queries, depth)
    samples = [ragas_sample(q.query, r[:k], q.relevant) for q, r in zip(labelled.queries, ranked, strict=True)]
    ragas_scores = ragas_id_context_scores(samples)
    rows: list[dict[str, Any]] = []
    for q, r, (precision, recall) in zip(labelled.queries, ranked, ragas_scores, strict=True):
        rank = next((n for n, cid in enumerate(r, start=1) if cid in q.relevant), None)
        row: dict[str, Any] = {
            "id": q.id,
            "document": q.document,
            "family": q.family,
            "where": q.where,
            "query": q.query,
            "fact": q.fact.text,
            "relevant": len(q.relevant),
            "first_relevant_rank": rank,
            "reciprocal_rank": reciprocal_rank(r, q.relevant),
            "context_precision": precision,
            "context_recall": recall,
        }
        row.update({f"recall_at_{n}": recall_at_k(r, q.relevant, n) for n in KS})
        row[f"hit_at_{k}"] = hit_at_k(r, q.relevant, k)
        rows.append(row)
    metrics = _headline(rows, k, labelled)
    return SectionResult(
        name="retrieval",
        title="Retrieval",
        metrics=metrics,
        method=_method(labelled, seed, k, candidates),
        tables=[_by_family(rows, k), _misses(rows, k)],
        details={"k": k, "seed": seed, "queries": rows, "lost": labelled.lost},
        figures=[_curve(rows)],
        ragas_rows=[s.model_dump(exclude_none=True) for s in samples],
        inputs=[*corpus.cvs(), *corpus.writeups()],
    )


def _curve(rows: list[dict[str, Any]]) -> Any:
    """Recall@k for all queries, CVs by format, and write-ups."""
    from eval.plots import recall_curve

    def kind(row: dict[str, Any]) -> str:
        family = str(row["family"])
        if family.startswith("write-up"):
            return "write-ups"
        return "PDF CVs" if family.startswith("pdf") else "other CVs"

    groups: dict[str, list[dict[str, Any]]] = {"all": rows}
    for row in rows:
        groups.setdefault(kind(row), []).append(row)
    series = {f"{name} ({len(g)})": [mean(r[f"recall_at_{n}"] for r in g) for n in KS] for name, g in groups.items()}
    return recall_curve("recall-at-k", "Recall@k by kind of document", KS, series)


def _headline(rows: list[dict[str, Any]], k: int, labelled: RetrievalSet) -> dict[str, float | None]:
    metrics: dict[str, float | None] = {
        "queries": len(rows),
        "facts_preserved": len(labelled.queries) / labelled.planted if labelled.planted else None,
        "context_precision": mean(r["context_precision"] for r in rows),
        "context_recall": mean(r["context_recall"] for r in rows),
        "mrr": mean(r["reciprocal_rank"] for r in rows),
        f"hit_at_{k}": mean(r[f"hit_at_{k}"] for r in rows),
    }
    metrics.update({f"recall_at_{n}": mean(r[f"recall_at_{n}"] for r in rows) for n in KS})
    return metrics


def _by_family(rows: list[dict[str, Any]], k: int) -> Table:
    families = sorted({r["family"] for r in rows})
    table_rows = []
    for family in families:
        group = [r for r in rows if r["family"] == family]
        table_rows.append(
            [
                family,
                len(group),
                mean(r["recall_at_1"] for r in group),
                mean(r[f"recall_at_{k}"] for r in group),
                mean(r["reciprocal_rank"] for r in group),
                mean(r["context_precision"] for r in group),
            ]
        )
    return Table(
        "By document layout",
        ["layout", "queries", "recall@1", f"recall@{k}", "MRR", f"context precision@{k}"],
        table_rows,
    )


def _misses(rows: list[dict[str, Any]], k: int) -> Table:
    misses = [r for r in rows if not r[f"hit_at_{k}"]]
    return Table(
        f"Queries with no relevant chunk in the top {k}",
        ["query", "document", "first relevant rank"],
        [[r["query"], r["document"], r["first_relevant_rank"] or f"> {max(KS)}"] for r in misses],
    )


def _method(labelled: RetrievalSet, seed: int, k: int, candidates: int | None) -> list[str]:
    subset = "every real CV" if candidates is None else f"{candidates} real CVs drawn with the seed"
    return [
        f"Labelled set: {subset} from the shared corpus, each paired with a system-design write-up as one candidate "
        f"(isolated index). {FACTS_PER_DOCUMENT} hand-written facts were planted in each document, each at a seeded "
        "position suited to the format: a strip of visible text added below a seeded PDF page, a paragraph after a "
        "seeded DOCX paragraph, a highlight of a seeded JSON Resume job, a paragraph at a seeded Markdown boundary.",
        "Queries are an interviewer's question about each fact, worded differently from it (eval/planted_facts.yaml). "
        f"After ingestion, a chunk is relevant when it holds at least {MATCH_SHARE:.0%} of the planted sentence as one "
        "contiguous run: labels are found by string matching, never by hand, so the set is rebuilt identically from "
        f"the corpus, the facts file and seed {seed}.",
        f"{len(labelled.queries)} of {labelled.planted} planted facts survived ingestion as chunk text; the rest "
        "are listed in the JSON report (rejected documents or text lost by extraction).",
        f"Retrieval is the app's own: the query embedded by the same model, nearest chunks of that candidate's index. "
        f"Context precision and recall are ragas' ID-based metrics on the top {k} (precision is at most the number "
        f"of relevant chunks ÷ {k}, so about {1 / k:.2f} when one chunk holds the fact); recall@k and MRR over the top "
        f"{max(max(KS), k)}. Chunks semantically close to a query but without the planted sentence count as "
        "irrelevant, so precision is a lower bound.",
    ]

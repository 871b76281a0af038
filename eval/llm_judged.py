"""LLM-judged metrics in ragas (faithfulness, answer relevancy, rubric score), run when an endpoint is configured."""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.embeddings import Embeddings

from eval.results import SectionResult, Table
from vetting.metrics import mean
from vetting.services import Services

Progress = Callable[[str], None]
PER_KIND = 20  # samples of each kind sent to the judge: enough for a mean, few enough for a small local model
RAGAS_FIELDS = ("user_input", "response", "retrieved_contexts", "reference")
# ragas' rubric metric scores 1-5; the levels below describe a graded short answer against its reference answer.
ANSWER_RUBRIC = {
    "score1_description": "The answer is wrong, off-topic or empty.",
    "score2_description": "The answer touches the topic but misses or misstates the key idea of the reference.",
    "score3_description": "The answer gets part of the reference right, with gaps or an error.",
    "score4_description": "The answer covers the reference's key idea with a minor gap.",
    "score5_description": "The answer is complete and correct with respect to the reference.",
}
TITLE = "LLM-judged metrics (ragas)"


def collect_samples(sections: dict[str, SectionResult], seed: int = 13) -> list[dict[str, Any]]:
    """Up to PER_KIND samples of each kind (plan questions, scorer feedback, graded answers) from earlier sections."""
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for section in sections.values():
        for sample in section.judge_samples:
            by_kind.setdefault(sample["kind"], []).append(sample)
    rng = random.Random(seed)
    chosen: list[dict[str, Any]] = []
    for kind in sorted(by_kind):
        pool = by_kind[kind]
        chosen += rng.sample(pool, min(PER_KIND, len(pool)))
    return chosen


def to_ragas(samples: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The samples as ragas `SingleTurnSample` fields (plus their kind), ready for `EvaluationDataset.from_list`."""
    return [{"kind": s["kind"], **{k: s[k] for k in RAGAS_FIELDS if s.get(k) is not None}} for s in samples]


def evaluate_llm_judged(
    services: Services, earlier: dict[str, SectionResult], *, progress: Progress | None = None
) -> SectionResult:
    """Judge the samples with the configured endpoint; without one the section is skipped and says why."""
    samples = to_ragas(collect_samples(earlier))
    settings = services.settings
    if not settings.llm_enabled:
        return SectionResult(
            name="llm_judged",
            title=TITLE,
            status="skipped",
            reason="no OpenAI-compatible endpoint is configured (set VETTING_LLM_BASE_URL, and VETTING_LLM_API_KEY if "
            f"it needs one). The {len(samples)} samples are saved in ragas form (ragas-llm_judged.jsonl) so they can "
            "be judged later with ragas' Faithfulness, ResponseRelevancy and RubricsScore.",
            ragas_rows=samples,
        )
    if not samples:
        return SectionResult.skipped("llm_judged", TITLE, "no plan questions or scored answers were produced to judge.")
    if progress:
        progress(f"judging {len(samples)} samples with {settings.llm_model}")
    redacted = samples if settings.llm_send_pii else [_redact(s) for s in samples]
    scores = _judge(services, redacted)
    return _section(samples, scores, settings.llm_model, settings.llm_send_pii)


def _redact(sample: dict[str, Any]) -> dict[str, Any]:
    """Personal data (e-mails, phones, URLs, addresses) replaced by placeholders before text goes to the judge."""
    from vetting.kernel.pii import redact

    out = dict(sample)
    out["response"] = redact(str(sample["response"]))[0]
    if "retrieved_contexts" in sample:
        out["retrieved_contexts"] = [redact(c)[0] for c in sample["retrieved_contexts"]]
    return out


def _judge(services: Services, samples: list[dict[str, Any]]) -> list[dict[str, float | None]]:
    """One ragas `evaluate` per kind of sample, with the metrics that apply to it; per-sample scores, in order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from ragas import EvaluationDataset, evaluate
        from ragas.dataset_schema import EvaluationResult
        from ragas.embeddings import LangchainEmbeddingsWrapper
        from ragas.llms import LangchainLLMWrapper
        from ragas.metrics import Faithfulness, ResponseRelevancy, RubricsScore

    llm = LangchainLLMWrapper(services.chat_model)
    embeddings = LangchainEmbeddingsWrapper(_LangchainEmbeddings(services))
    plan: dict[str, list[Any]] = {
        "question": [Faithfulness(), ResponseRelevancy()],
        "feedback": [Faithfulness()],
        "answer": [RubricsScore(rubrics=ANSWER_RUBRIC)],
    }
    scores: list[dict[str, float | None]] = [{} for _ in samples]
    for kind, metrics in plan.items():
        where = [i for i, s in enumerate(samples) if s["kind"] == kind]
        if not where:
            continue
        rows = [{k: v for k, v in samples[i].items() if k != "kind"} for i in where]
        result = evaluate(
            EvaluationDataset.from_list(rows),
            metrics=metrics,
            llm=llm,
            embeddings=embeddings,
            show_progress=False,
            raise_exceptions=False,
        )
        if not isinstance(result, EvaluationResult):
            raise TypeError("ragas returned an executor instead of results")
        for i, row in zip(where, result.scores, strict=True):
            scores[i] = {k: _number(v) for k, v in row.items()}
    return scores


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _section(
    samples: list[dict[str, Any]], scores: list[dict[str, float | None]], model: str, pii: bool
) -> SectionResult:
    metrics: dict[str, float | None] = {}
    rows = []
    for kind, label in (("question", "plan questions"), ("feedback", "scorer feedback"), ("answer", "graded answers")):
        got = [sc for s, sc in zip(samples, scores, strict=True) if s["kind"] == kind]
        for name in sorted({k for sc in got for k in sc}):
            values = [v for sc in got if (v := sc.get(name)) is not None]
            metrics[f"{kind}_{name}"] = mean(values) if values else None
            rows.append([label, name, len(got), len(values), metrics[f"{kind}_{name}"]])
    return SectionResult(
        name="llm_judged",
        title=TITLE,
        metrics=metrics,
        method=[
            f"Judge: {model} through the configured OpenAI-compatible endpoint, via ragas' LangChain wrapper. Up to "
            f"{PER_KIND} samples of each kind, drawn with the seed from the other sections of this run.",
            "Plan questions: ragas Faithfulness (is every statement of the question supported by the cited chunk?) "
            "and ResponseRelevancy (does the question address what was asked for?). Scorer feedback: Faithfulness to "
            "the answer and reference it comments on. Graded answers: ragas RubricsScore (1-5) against the reference.",
            "Personal data was " + ("sent unredacted (VETTING_LLM_SEND_PII is on)." if pii else "redacted first."),
            "The exact samples are in ragas-llm_judged.jsonl; failed judgements count as missing, not as zero.",
        ],
        tables=[Table("Scores by kind", ["samples", "metric", "judged", "scored", "mean"], rows)],
        ragas_rows=samples,
    )


class _LangchainEmbeddings(Embeddings):
    """The app's own embedding model behind LangChain's `Embeddings` interface, for ragas' relevancy metric."""

    def __init__(self, services: Services) -> None:
        self.embedder = services.embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self.embedder.embed(texts)]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_documents(texts)

    async def aembed_query(self, text: str) -> list[float]:
        return self.embed_query(text)

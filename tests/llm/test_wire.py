"""The real wire: llama-cpp-python's OpenAI-compatible server with Gemma 3 270M (`scripts/llm-server.sh start`).

The model is tiny: its JSON and its quotes are often wrong. These tests check that the code handles that honestly,
repairing, retrying, dropping unverifiable quotes or falling back, and always saying which engine produced what.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from tests.llm.conftest import REAL_SERVER_MODEL, llm_settings
from vetting.audit import MemoryAuditLog
from vetting.kernel.errors import LLMError
from vetting.kernel.quotes import is_verbatim
from vetting.llm import StructuredLLM, fence
from vetting.services import Services

pytestmark = pytest.mark.llm_server

NAME = "Marguerite Okonkwo-Hale"
CV = f"""# {NAME}

m.okonkwo-hale@mailbox.org · +44 7700 900 456 · linkedin.com/in/mokonkwohale

## Experience

- Built a retrieval pipeline over 8,000 support articles with hybrid BM25 and dense search, cutting search time by 30%.
- Designed an evaluation set of 400 real tickets to measure recall@5 before every release.
- Led the migration of scanned PDFs to a layout-aware parser and added product and version metadata to every chunk.
"""


class Verdict(BaseModel):
    score: int = Field(description="0 to 5")
    evidence: str = Field(description="one sentence copied from the answer")


def wire_settings(tmp_path: Path, url: str, **overrides: object) -> Any:
    values: dict[str, object] = {
        "llm_model": REAL_SERVER_MODEL,
        "llm_timeout_s": 300.0,
        "llm_max_retries": 0,
        "llm_max_tokens": 160,
        "llm_system_messages": False,  # Gemma's chat template has no system role
    }
    values.update(overrides)
    return llm_settings(tmp_path, url, **values)


def test_the_server_constrains_json_to_the_schema(real_server_url: str) -> None:
    from openai import InternalServerError, OpenAI

    client = OpenAI(base_url=real_server_url, api_key="not-needed", max_retries=0, timeout=300)
    messages = [{"role": "user", "content": "Score this answer from 0 to 5 in JSON: 'A hash map maps keys to values.'"}]
    reply = client.chat.completions.create(
        model=REAL_SERVER_MODEL,
        messages=messages,  # type: ignore[arg-type]
        response_format={"type": "json_object", "schema": Verdict.model_json_schema()},  # type: ignore[typeddict-unknown-key]
        max_tokens=80,
        temperature=0,
    )
    choice = reply.choices[0]
    if choice.finish_reason == "stop":  # a finished reply is JSON of the schema's shape, whatever its values
        assert set(json.loads(choice.message.content or "", strict=False)) == {"score", "evidence"}
    with pytest.raises(InternalServerError):  # this server knows no json_schema: `auto` must step down
        client.chat.completions.create(
            model=REAL_SERVER_MODEL,
            messages=messages,  # type: ignore[arg-type]
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "v", "schema": Verdict.model_json_schema()},
            },
            max_tokens=8,
        )


def test_structured_output_over_the_real_wire_is_valid_or_honestly_abandoned(
    real_server_url: str, tmp_path: Path
) -> None:
    audit = MemoryAuditLog()
    llm = StructuredLLM.from_settings(wire_settings(tmp_path, real_server_url, llm_max_attempts=2), audit=audit)
    assert llm is not None
    answer = "A hash map stores key-value pairs. It hashes the key to pick a bucket. Collisions are chained."

    def score(model: StructuredLLM) -> Verdict:
        def check(v: Verdict) -> str | None:
            if not 0 <= v.score <= 5:
                return f"score {v.score} is outside 0 to 5"
            return None if is_verbatim(v.evidence, answer) else f"evidence {v.evidence!r} is not copied from the answer"

        return model.generate(
            task="scoring",
            system="Score the answer from 0 to 5 and copy one sentence of the answer as evidence.",
            user=fence("answer", answer),
            schema=Verdict,
            check=check,
        )

    result = llm.with_fallback(score, lambda: Verdict(score=0, evidence=""), task="scoring")
    calls = list(reversed(audit.entries()))
    assert calls[0].status == "error" and calls[0].json_mode == "json_schema"  # refused, then stepped down
    llm_calls = [c for c in calls[1:] if c.engine.startswith("llm:")]
    assert 1 <= len(llm_calls) <= 2 and all(c.json_mode == "json_object" for c in llm_calls)
    assert all(c.latency_ms > 0 and c.input_sha256 for c in llm_calls)
    if result.engine == f"llm:{REAL_SERVER_MODEL}":
        assert 0 <= result.value.score <= 5 and is_verbatim(result.value.evidence, answer)
        assert llm_calls[-1].status == "ok"
    else:
        assert result.engine.startswith("offline (fallback: The language model at ")
        assert [c.status for c in llm_calls] == ["invalid"] * len(llm_calls) and calls[-1].status == "fallback"


def test_a_plan_over_the_real_wire_cites_only_verified_quotes(
    real_server_url: str, tmp_path: Path, embedder: Any
) -> None:
    services = Services(wire_settings(tmp_path, real_server_url, llm_max_attempts=1, llm_max_tokens=320))
    source = tmp_path / "cv.md"
    source.write_text(CV, encoding="utf-8")
    candidate = services.ingestor.ingest([source], NAME).candidate
    plan = services.planner.plan(candidate, "rag-customer-support")

    chunks = services.store.for_candidate(candidate.id).chunks()
    for q in plan.questions:
        if q.kind == "deep_dive":
            assert q.citation is not None and any(is_verbatim(q.citation.quote, c.text) for c in chunks)
    assert plan.engine in ("llm", "offline")
    if plan.engine == "offline":
        assert any("offline engine instead" in note for note in plan.notes)
    calls = services.audit.entries()
    llm_calls = [c for c in calls if c.engine.startswith("llm:")]
    assert llm_calls and all(c.task == "question planning" and c.candidate_id == candidate.id for c in llm_calls)
    assert {c.status for c in llm_calls} <= {"ok", "invalid", "error"}
    with pytest.raises(LLMError):  # the same server refuses nothing else: a wrong model path still fails clearly
        dead = StructuredLLM.from_settings(wire_settings(tmp_path, real_server_url.rsplit("/v1", 1)[0] + "/nowhere"))
        assert dead is not None
        dead.generate(task="check", system="s", user="u", schema=Verdict)


def test_a_score_over_the_real_wire_keeps_only_verified_evidence(
    real_server_url: str, tmp_path: Path, embedder: Any
) -> None:
    pytest.importorskip("vetting.scoring.scorer", reason="the rubric scorer is not in this checkout")
    from rubrics import get_rubric

    services = Services(wire_settings(tmp_path, real_server_url, llm_max_attempts=1, llm_max_tokens=400))
    answer = (
        "I built a labelled set of 400 real tickets and measured recall@5 on it before every release. "
        "We also tracked groundedness by sampling 50 replies a week and checking each claim against its source."
    )
    rubric = get_rubric(services.settings, "rag-case-study")
    question = "How would you evaluate a support chatbot's retrieval?"
    result = services.scorer.score(rubric, question, answer, names=[NAME])

    assert result.engine == f"llm:{REAL_SERVER_MODEL}" or result.engine.startswith("offline (fallback: ")
    assert ("llm_fallback" in result.flags) == result.engine.startswith("offline")
    assert all(is_verbatim(q, answer) for c in result.criteria for q in c.evidence)
    calls = [c for c in services.audit.entries() if c.task == "answer scoring" and c.engine.startswith("llm:")]
    assert calls and {c.status for c in calls} <= {"ok", "invalid", "error"}

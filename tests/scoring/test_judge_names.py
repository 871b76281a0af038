"""The LLM judge never sees a person name, even with PII sending allowed; its quotes come back with the names."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage

from tests.scoring.conftest import QUESTION, RUBRIC
from tests.scoring.test_llm_judge import RecordingFake
from vetting.llm import StructuredLLM
from vetting.scoring.llm_judge import LLMJudge

ANSWER = (
    "My name is Lakisha Washington. I de-duplicated the articles by content hash, and Greg Baker reviewed the "
    "chunking with me before we kept source and date metadata."
)


def test_names_are_placeholders_in_the_prompt_and_restored_in_the_quotes() -> None:
    quote = "[NAME_2] reviewed the chunking with me"
    reply = {
        "criteria": [
            {"criterion_id": c.id, "status": "scored", "score": 3, "confidence": 0.8, "rationale": "ok",
             "evidence": [quote, "I de-duplicated the articles by content hash"]}
            for c in RUBRIC.criteria
        ]
    }  # fmt: skip
    fake = RecordingFake(messages=iter([AIMessage(content=json.dumps(reply))]))
    # even when the user lets personal data through, names do not reach the judge
    llm = StructuredLLM(fake, model_name="fake-judge", attempts=1, send_pii=True)
    results = LLMJudge(llm).score(RUBRIC, QUESTION, ANSWER, names=["Lakisha Washington"])
    sent = "\n".join(str(m.content) for m in fake.prompts[0])
    for part in ("Lakisha", "Washington", "Greg", "Baker"):
        assert part not in sent
    assert "[NAME_" in sent
    first = results[0]
    names_back = [q for q in first.evidence if "reviewed the chunking" in q]
    assert names_back and "[NAME" not in names_back[0] and names_back[0] in ANSWER
    for start, end in first.evidence_spans:
        assert ANSWER[start:end] in first.evidence

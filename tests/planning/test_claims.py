"""Claim extraction and question writing as pure functions over chunk texts, including text of the shared CVs."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from rubrics import Criterion
from vetting.kernel.domain import Chunk
from vetting.kernel.quotes import is_verbatim
from vetting.planning.claims import MAX_QUOTE, claims_in_chunk, extract_claims
from vetting.planning.questions import facet_of, usable_templates, write_question

WRAPPED = """Experience
Senior Engineer, Acme Corp, 2019 - 2023
• Built a streaming billing service in Go and Kafka that cut invoice errors by 42% for
enterprise customers
• Led a team of 6 engineers through the migration from a monolith to 12 services
Junior Engineer, Beta Ltd, 2016 - 2019
Wrote the deployment scripts
Education
BSc Computer Science, University of Leeds, 2016
Designed the student union website in PHP for 3,000 members"""


def chunk(text: str, index: int = 0, section: str | None = None) -> Chunk:
    return Chunk(f"c{index}", "cand", "doc", "cv.pdf", text, index, 1, section)


def test_wrapped_bullets_become_one_verbatim_claim_each() -> None:
    claims = list(claims_in_chunk(chunk(WRAPPED)))
    quotes = [c.quote for c in claims]
    assert quotes[0] == (
        "Built a streaming billing service in Go and Kafka that cut invoice errors by 42% for enterprise customers"
    )
    assert quotes[1] == "Led a team of 6 engineers through the migration from a monolith to 12 services"
    assert all(is_verbatim(q, WRAPPED) for q in quotes)
    first, second = claims[0], claims[1]
    assert (first.kind, first.metric, first.thing, first.tech) == (
        "metric", "42%", "the streaming billing service", ("Go", "Kafka")
    )  # fmt: skip
    assert second.kind == "led" and second.metric == "12 services"  # "team of 6" is a size, not a result
    assert first.project == "Senior Engineer, Acme Corp, 2019 - 2023"


def test_education_lines_and_dated_headings_are_never_claims() -> None:
    quotes = [c.quote for c in claims_in_chunk(chunk(WRAPPED))]
    assert not any("student union" in q or "University" in q or "2016 - 2019" in q for q in quotes)
    assert "Wrote the deployment scripts" not in quotes  # too thin: no artefact, technology or result


def test_long_claims_are_cut_at_a_clause_never_mid_word() -> None:
    long = (
        "Designed and implemented a multi-tenant document processing platform on AWS Lambda and S3, "
        "handling invoices, contracts and purchase orders for 250 enterprise customers across Europe, "
        "with per-tenant encryption keys, audit trails and a self-service onboarding flow for new accounts."
    )
    [claim] = claims_in_chunk(chunk(long))
    assert len(claim.quote) <= MAX_QUOTE and long.startswith(claim.quote)
    assert long[len(claim.quote)] in ",;"  # stopped at a clause boundary


def test_overlapping_chunks_yield_each_claim_once() -> None:
    text = "• Built a search service in Rust that answers 9,000 queries per second."
    assert len(extract_claims([chunk(text, 0), chunk(text, 1)])) == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("resumematcher_harvey_dent_mle.pdf", "Developed a predictive stock trading model"),
        ("openresume_openresume.pdf", "Created a progress bar to help users track progress"),
        ("sb2nov_sourabh_bajaj_resume.pdf", "Developed the Python library QSTK."),
        ("resumematcher_bruce_wayne_fullstack.pdf", "Led a team of junior developers"),
    ],
)
def test_claims_from_real_cv_text(shared_data: Path, name: str, expected: str) -> None:
    pages = [page.extract_text() for page in PdfReader(shared_data / "resumes" / "pdf" / name).pages]
    chunks = [chunk(text, n) for n, text in enumerate(pages)]
    claims = extract_claims(chunks)
    assert len(claims) >= 4
    assert any(c.quote.startswith(expected) for c in claims)
    for claim in claims:
        assert is_verbatim(claim.quote, claim.chunk.text)
        assert len(claim.quote) <= MAX_QUOTE


def test_placeholder_template_cv_has_no_claims(shared_data: Path) -> None:
    pages = [p.extract_text() for p in PdfReader(shared_data / "resumes" / "pdf" / "altacv_sample.pdf").pages]
    assert extract_claims([chunk(text, n) for n, text in enumerate(pages)]) == []


def _criterion(cid: str, name: str, description: str) -> Criterion:
    return Criterion(id=cid, name=name, description=description, levels={1: "a", 2: "b", 3: "c", 4: "d"})


def test_facet_is_inferred_when_a_user_rubric_does_not_set_one() -> None:
    assert facet_of(_criterion("impact", "Business impact", "What it changed for customers.")) == "business"
    assert facet_of(_criterion("eval", "Evaluation", "How success was measured.")) == "measurement"
    assert facet_of(_criterion("sec", "Security", "Handles secrets and access control.")) == "security"
    assert facet_of(_criterion("x", "Craft", "Care.")) == "depth"  # nothing recognisable: a depth question


def test_questions_are_specific_to_the_claim_and_vary() -> None:
    [metric, led] = [c for c in claims_in_chunk(chunk(WRAPPED)) if c.kind in ("metric", "led")]
    used: set[str] = set()
    q1 = write_question("measurement", metric, used, 0)
    q2 = write_question("business", metric, used, 1)
    q3 = write_question("ownership", led, used, 2)
    assert q1.startswith(f"You wrote: “{metric.quote}”") and "“42%”" in q1 and "baseline" in q1
    assert "business" in q2 and "“42%”" in q2
    assert "team" in q3 and "yours" in q3
    assert len({q.split("”", 1)[1] for q in (q1, q2, q3)}) == 3
    for question in (q1, q2, q3):
        assert "Tell me about" not in question and question.endswith("?")


def test_led_claims_never_get_questions_about_building_the_team() -> None:
    led = next(c for c in claims_in_chunk(chunk(WRAPPED)) if c.kind == "led")
    for facet in ("reliability", "data", "clarifying", "depth", "business"):
        for template in usable_templates(facet, led):
            assert "building {thing}" not in template.text and "failed in use" not in template.text

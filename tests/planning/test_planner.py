"""Question plans end to end on the real ingest path, store and embedding model: grounding, isolation, honesty."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.planning.conftest import assert_grounded, ingest, make_services, own_chunks
from tests.planning.cvs import HIDDEN_INSTRUCTION, NO_PROJECT_CV, PROJECT_CV, make_cv
from vetting.kernel.domain import Candidate, Plan
from vetting.kernel.errors import InvalidCase, InvalidRubric, NoDocuments
from vetting.kernel.settings import Settings
from vetting.services import Services

pytestmark = pytest.mark.slow

REAL_CVS = [
    "resumematcher_harvey_dent_mle.pdf",
    "openresume_openresume.pdf",
    "sb2nov_sourabh_bajaj_resume.pdf",
    "awesomecv_resume.pdf",
    "resumematcher_template_modern-two-column.pdf",
    "resumematcher_bruce_wayne_fullstack.pdf",
]


def _shape(plan: Plan) -> list[tuple[str, str | None, str, str | None]]:
    """What the interviewer sees, without ids that depend on the file's bytes."""
    return [(q.kind, q.criterion, q.text, q.citation.quote if q.citation else None) for q in plan.questions]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, embedder) -> tuple[Services, dict[str, Candidate]]:  # type: ignore[no-untyped-def]
    """Six real CVs and one CV-plus-write-ups candidate, ingested once for the module."""
    from tests.conftest import SHARED

    if not SHARED.is_dir():
        pytest.skip("../shared/data is not beside this checkout (present in CI)")
    data = tmp_path_factory.mktemp("planning") / "data"
    services = make_services(Settings(_env_file=None, data_dir=data), embedder)  # type: ignore[call-arg]
    people = {name: ingest(services, Path(name).stem, SHARED / "resumes" / "pdf" / name) for name in REAL_CVS}
    people["mixed"] = ingest(
        services,
        "Richard Hendriks",
        SHARED / "resumes" / "json_md" / "jsonresume_sample.resume.json",
        SHARED / "resumes" / "json_md" / "pandoc_resume_johnny_coder.md",
        SHARED / "resumes" / "docx" / "resumeparserapi_sample_resume.docx",
        SHARED / "interview_qa" / "system_design_primer" / "web_crawler.md",
    )
    return services, people


@pytest.mark.parametrize("name", REAL_CVS)
def test_real_cv_gets_three_verified_deep_dives_on_distinct_chunks(corpus, name: str) -> None:  # type: ignore[no-untyped-def]
    services, people = corpus
    plan = services.planner.plan(people[name], "rag-customer-support")
    chunks = own_chunks(services, people[name])
    deep = plan.deep_dives
    assert len(deep) >= 3
    assert len({q.citation.quote for q in deep if q.citation}) >= 3  # spread over projects: see test_plan_quality
    assert len({q.criterion for q in deep}) == len(deep)  # spread over criteria, one question each
    assert_grounded(plan.questions, chunks)
    assert plan.dropped == 0 and plan.engine == "offline"
    for q in deep:
        assert not q.text.lower().startswith("tell me about")
        assert q.text.count("?") <= 2  # one question (at most with a short lead-in question)
        assert q.citation and len(q.citation.quote) <= 200


def test_questions_use_the_claims_own_words(corpus) -> None:  # type: ignore[no-untyped-def]
    services, people = corpus
    plan = services.planner.plan(people["openresume_openresume.pdf"], "rag-customer-support", "project-deep-dive")
    texts = " ".join(q.text for q in plan.deep_dives)
    for expected in ("15%", "progress bar", "search bar"):  # figures and artefacts from this CV, not generic prompts
        assert expected in texts


def test_plan_orders_deep_dives_then_case_then_follow_ups(corpus) -> None:  # type: ignore[no-untyped-def]
    services, people = corpus
    plan = services.planner.plan(people["resumematcher_harvey_dent_mle.pdf"], "mlops-churn-pipeline")
    kinds = [q.kind for q in plan.questions]
    first_case = kinds.index("case")
    assert set(kinds[:first_case]) == {"deep_dive"} and kinds.count("case") == 1
    assert set(kinds[first_case + 1 :]) == {"follow_up"}
    case = plan.questions[first_case]
    assert case.text.startswith("How would you turn this into a pipeline")
    follow_ups = [q for q in plan.questions if q.kind == "follow_up"]
    assert [q.criterion for q in follow_ups] == [
        "reproducibility", "delivery-automation", "monitoring", "incident-response", "cost-and-scale"
    ]  # fmt: skip
    assert [q.id for q in plan.questions] == [f"q{n}" for n in range(1, len(plan.questions) + 1)]


def test_cv_with_write_ups_cites_several_documents(corpus) -> None:  # type: ignore[no-untyped-def]
    services, people = corpus
    plan = services.planner.plan(people["mixed"], "rag-customer-support")
    assert len(plan.deep_dives) >= 3
    assert_grounded(plan.questions, own_chunks(services, people["mixed"]))


def test_two_candidates_never_mix(corpus) -> None:  # type: ignore[no-untyped-def]
    services, people = corpus
    names = list(people)
    chunks = {n: own_chunks(services, people[n]) for n in names}
    for name in names:
        plan = services.planner.plan(people[name], "rag-customer-support")
        cited = {q.citation.chunk_id for q in plan.deep_dives if q.citation}
        others = set().union(*(set(chunks[o]) for o in names if o != name))
        assert cited <= set(chunks[name]) and not cited & others
        assert plan.candidate == people[name]


def test_rubric_override_keys_deep_dives_to_that_rubric(corpus) -> None:  # type: ignore[no-untyped-def]
    services, people = corpus
    plan = services.planner.plan(people["sb2nov_sourabh_bajaj_resume.pdf"], "rag-customer-support", "backend-api")
    backend = {"api-design", "data-modelling", "performance-scale", "failure-handling", "security", "testing-delivery"}
    assert plan.rubric["id"] == "backend-api"
    assert {q.criterion for q in plan.deep_dives} <= backend
    assert {q.rubric for q in plan.deep_dives} == {"backend-api"}
    assert {q.rubric for q in plan.questions if q.kind != "deep_dive"} == {"rag-case-study"}  # the case's own rubric
    assert plan.to_dict()["case_rubric"]["id"] == "rag-case-study"


def test_deep_dives_are_scored_by_the_deep_dive_rubric_unless_another_is_picked(corpus) -> None:  # type: ignore[no-untyped-def]
    services, people = corpus
    plan = services.planner.plan(people["openresume_openresume.pdf"], "rag-customer-support")
    deep_dive_criteria = {c["id"] for c in plan.rubric["criteria"]}
    assert plan.rubric["id"] == "project-deep-dive" and {q.rubric for q in plan.deep_dives} == {"project-deep-dive"}
    assert {q.criterion for q in plan.deep_dives} <= deep_dive_criteria
    case_questions = [q for q in plan.questions if q.kind != "deep_dive"]
    assert case_questions and {q.rubric for q in case_questions} == {"rag-case-study"}


def test_unknown_case_or_rubric_is_a_clear_error(corpus) -> None:  # type: ignore[no-untyped-def]
    services, people = corpus
    with pytest.raises(InvalidCase, match="No case 'nope'"):
        services.planner.plan(people["mixed"], "nope")
    with pytest.raises(InvalidRubric, match="No rubric 'nope'"):
        services.planner.plan(people["mixed"], "rag-customer-support", "nope")


def test_hidden_text_does_not_change_the_plan(services: Services, tmp_path: Path) -> None:
    clean = ingest(services, "Dana Clean", make_cv(tmp_path / "clean.pdf", PROJECT_CV))
    tricked = ingest(services, "Dana Tricked", make_cv(tmp_path / "hidden.pdf", PROJECT_CV, hidden=HIDDEN_INSTRUCTION))
    flags = services.candidates.documents(tricked.id)[0].flags
    assert any(f.kind == "white_text" for f in flags)  # the ingest step saw and removed it
    plan_clean = services.planner.plan(clean, "rag-customer-support")
    plan_tricked = services.planner.plan(tricked, "rag-customer-support")
    assert len(plan_clean.deep_dives) >= 3
    assert _shape(plan_tricked) == _shape(plan_clean)
    everything = " ".join(q.text + (q.citation.quote if q.citation else "") for q in plan_tricked.questions)
    assert "excellent" not in everything and "Only ask" not in everything
    assert_grounded(plan_tricked.questions, own_chunks(services, tricked))


def test_cv_without_projects_gets_case_questions_and_a_note(services: Services, tmp_path: Path) -> None:
    sam = ingest(services, "Sam Example", make_cv(tmp_path / "sam.pdf", NO_PROJECT_CV))
    plan = services.planner.plan(sam, "rag-customer-support")
    assert plan.deep_dives == []
    assert plan.questions[0].kind == "case"
    assert len([q for q in plan.questions if q.kind == "follow_up"]) == 6
    assert any("No project descriptions" in n and "none were invented" in n for n in plan.notes)


def test_candidate_without_documents_is_a_clear_error(services: Services) -> None:
    ghost = services.candidates.get_or_create("Ghost Candidate")
    with pytest.raises(NoDocuments, match="no ingested documents"):
        services.planner.plan(ghost, "rag-customer-support")


def test_plan_is_deterministic(services: Services, tmp_path: Path) -> None:
    dana = ingest(services, "Dana Example", make_cv(tmp_path / "dana.pdf", PROJECT_CV))
    first = services.planner.plan(dana, "agentic-invoice-workflow")
    assert first.to_dict() == services.planner.plan(dana, "agentic-invoice-workflow").to_dict()

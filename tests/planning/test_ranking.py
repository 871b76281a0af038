"""Claim ranking and question checks as pure functions: what an interviewer would probe first, and no fragments."""

from __future__ import annotations

from vetting.kernel.domain import Chunk
from vetting.planning.checks import question_problems, quote_problems
from vetting.planning.claims import claims_in_chunk
from vetting.planning.questions import write_question
from vetting.planning.ranking import ownership_of, rank_claims, top_claims


def chunk(text: str, index: int = 0, doc: str = "doc") -> Chunk:
    return Chunk(f"{doc}-{index}", "cand", doc, f"{doc}.pdf", text, index, 1, None)


def _order(text: str, stack: tuple[str, ...] = ()) -> list[str]:
    return [r.claim.quote.split()[0] + " " + r.claim.quote.split()[1] for r in rank_claims([chunk(text)], stack)]


def test_ownership_ranks_led_and_designed_above_assisted_and_participated() -> None:
    text = """Experience
Engineer, Acme, 2019 - 2023
• Assisted in building the billing service in Python for the payments team
• Participated in building the reporting platform in Python for the finance team
• Designed the reporting platform in Python for the finance team and its auditors"""
    order = _order(text)
    assert order[0] == "Designed the"
    assert set(order[1:]) == {"Assisted in", "Participated in"}


def test_scale_and_measured_impact_rank_above_the_same_claim_without_figures() -> None:
    text = """Experience
Engineer, Acme, 2019 - 2023
• Built an internal search service in Java for the support team
• Built a checkout service in Java that serves 2 million users and cut latency by 40%"""
    assert _order(text)[0] == "Built a"


def test_recency_comes_from_the_dates_in_the_document() -> None:
    text = """Experience
Engineer, Newco, 2021 - Present
• Built a scheduling service in Go for the operations team
Engineer, Oldco, 2009 - 2012
• Built a booking service in Go for the operations team"""
    ranked = rank_claims([chunk(text)])
    assert [r.claim.quote.split()[2] for r in ranked] == ["scheduling", "booking"]
    assert ranked[0].end_year is not None and ranked[1].end_year == 2012


def test_dates_and_projects_carry_over_to_the_next_chunk() -> None:
    first = "Experience\nLead Engineer, Newco, 2020 - Present\n• Designed the payments platform in Go"
    second = "• Built the fraud model in Python for the risk team"
    ranked = rank_claims([chunk(second, 1), chunk(first, 0)])
    by_word = {r.claim.quote.split()[2]: r for r in ranked}
    assert by_word["fraud"].end_year == by_word["payments"].end_year
    assert by_word["fraud"].claim.project == by_word["payments"].claim.project


def test_student_work_only_when_nothing_else_exists() -> None:
    with_work = """Experience
Student Assistant, University of Leeds, 2015 - 2016
• Designed the course portal in PHP used by 3,000 students
Engineer, Acme, 2016 - 2020
• Built the invoicing service in Java for the finance team"""
    ranked = rank_claims([chunk(with_work)])
    assert [r.claim.quote.split()[2] for r in ranked] == ["invoicing"]
    only_school = """Student Assistant, University of Leeds, 2015 - 2016
• Designed the course portal in PHP used by 3,000 students"""
    assert [r.claim.quote.split()[2] for r in rank_claims([chunk(only_school)])] == ["course"]


def test_education_sections_are_used_only_when_no_other_claim_exists() -> None:
    text = (
        "Education\nMSc Computer Science, University of Leeds, 2017\n• Built a thesis prototype in Python for 40 users"
    )
    ranked = rank_claims([chunk(text)])
    assert len(ranked) == 1 and ranked[0].academic


def test_relevance_to_the_case_stack_breaks_ties() -> None:
    text = """Experience
Engineer, Acme, 2019 - 2023
• Built the ticket router in Ruby for the support team
• Built the ticket search in FastAPI for the support team"""
    assert _order(text, ("Python (FastAPI)", "A vector database"))[0] == "Built the"
    ranked = rank_claims([chunk(text)], ("Python (FastAPI)",))
    assert "FastAPI" in ranked[0].claim.quote


def test_top_claims_spread_over_projects() -> None:
    text = """Experience
Engineer, Acme, 2019 - 2023
• Designed the billing platform in Go that serves 2 million users
• Designed the billing alerts in Go that serve 2 million users
Engineer, Beta, 2019 - 2023
• Designed the data warehouse in Redshift that serves 1 million users"""
    picked = top_claims(rank_claims([chunk(text)]), 2)
    assert len({p.claim.project for p in picked}) == 2


def test_top_claims_spread_over_passages() -> None:
    first = """Experience
Engineer, Acme, 2019 - 2023
• Designed the billing platform in Go that serves 2 million users
Engineer, Beta, 2018 - 2019
• Designed the data warehouse in Redshift that serves 1 million users"""
    second = "Engineer, Gamma, 2017 - 2018\n• Designed the search service in Java that serves 1 million users"
    picked = top_claims(rank_claims([chunk(first, 0), chunk(second, 1)]), 2)
    assert len({p.claim.chunk.id for p in picked}) == 2


def test_a_project_line_naming_a_resume_product_still_dates_its_claims() -> None:
    text = """Teaching Assistant for Programming for the Web (2022 - 2023)
Project
OpenResume Spring 2023
• Created and launched a free resume builder web app that allows thousands of users to create resumes"""
    found = rank_claims([chunk(text)])
    assert len(found) == 1 and not found[0].academic


def test_ownership_words_stuffed_after_a_weak_verb_do_not_count() -> None:
    stuffed = next(
        claims_in_chunk(chunk("• Assisted the lead who led, designed, owned and architected the platform in Go"))
    )
    assert ownership_of(stuffed) < 0.5


def test_negated_ownership_is_not_a_claim() -> None:
    assert list(claims_in_chunk(chunk("• Never led the migration of the payments platform to Kubernetes"))) == []


def test_a_column_cut_fragment_gives_way_to_the_whole_claim() -> None:
    text = """• Designed and implemented real-time fraud detection pipeline processing

• Designed and implemented real-time fraud detection pipeline processing 50K+ transactions per second using Kafka"""
    quotes = [r.claim.quote for r in rank_claims([chunk(text)])]
    assert quotes == [
        "Designed and implemented real-time fraud detection pipeline processing 50K+ transactions per "
        "second using Kafka"
    ]


def test_written_questions_quote_the_claim_whole_and_pass_the_check() -> None:
    text = "• Built a checkout service in Java that cut latency by 40% for 2 million users"
    claim = next(claims_in_chunk(chunk(text)))
    for n, facet in enumerate(("tradeoffs", "business", "ownership", "depth", "measurement", "lessons", "data")):
        question = write_question(facet, claim, set(), n)
        assert f"“{claim.quote}”" in question
        assert question_problems(question, claim.quote, text) == [], question


def test_the_check_rejects_fragments_and_unknown_wording() -> None:
    quote = "Built the GitLab CI pipeline that runs in 45 minutes"
    garbled = f"You wrote: “{quote}”. How did the GitLab CI pipeline cope with '45 minutes', and what broke first?"
    assert question_problems(garbled, quote)
    bad_slot = (
        f"You wrote: “{quote}”. How did you arrive at “CI pipeline”: what was the baseline, and how was it measured?"
    )
    assert any("slot metric" in p for p in question_problems(bad_slot, quote))
    assert quote_problems("memory management strategies of OS")  # starts mid-sentence
    assert quote_problems("Built the search service for")  # ends on a connector
    assert quote_problems("Built the search service", "• Built the search service used by thousands of agents")
    assert not quote_problems("Built the search service.", "• Built the search service. Led a team of 3.")

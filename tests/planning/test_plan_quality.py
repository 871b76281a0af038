"""Plans over every shared CV: deep dives ask about the claims an interviewer would pick, in well-formed questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from cases import load_cases
from tests.planning.conftest import assert_grounded, ingest, make_services, own_chunks
from tests.planning.top_claims import TOP_CLAIMS, covered
from vetting.kernel.domain import Candidate
from vetting.kernel.settings import Settings
from vetting.planning.checks import question_problems
from vetting.services import Services

pytestmark = pytest.mark.slow


def _shared_cvs(shared: Path) -> list[Path]:
    """The 28 shared CVs: every résumé file except the job description that ships beside the JSON Resume."""
    files = sorted(p for p in (shared / "resumes").glob("*/*") if p.is_file() and not p.name.endswith(".job.json"))
    assert len(files) == 28, [p.name for p in files]
    return files


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, embedder) -> tuple[Services, dict[str, Candidate]]:  # type: ignore[no-untyped-def]
    from tests.conftest import SHARED

    if not SHARED.is_dir():
        pytest.skip("../shared/data is not beside this checkout (present in CI)")
    data = tmp_path_factory.mktemp("quality") / "data"
    services = make_services(Settings(_env_file=None, data_dir=data), embedder)  # type: ignore[call-arg]
    return services, {path.name: ingest(services, path.stem, path) for path in _shared_cvs(SHARED)}


@pytest.mark.parametrize("name", sorted(TOP_CLAIMS))
@pytest.mark.parametrize("case_id", ["rag-customer-support", "api-crm-integration"])
def test_plan_covers_at_least_two_of_the_three_labelled_top_claims(corpus, name: str, case_id: str) -> None:  # type: ignore[no-untyped-def]
    services, people = corpus
    plan = services.planner.plan(people[name], case_id)
    quotes = [q.citation.quote for q in plan.deep_dives if q.citation]
    hits = covered(quotes, TOP_CLAIMS[name])
    assert sum(hits) >= 2, f"{name}: labelled claims covered {hits}; plan quotes {quotes}"


def test_every_deep_dive_for_every_shared_cv_and_case_is_well_formed(corpus) -> None:  # type: ignore[no-untyped-def]
    """28 CVs x 6 cases: each deep dive quotes a whole claim, then asks one known question with checked slots."""
    services, people = corpus
    problems: list[str] = []
    asked = 0
    for case_id in sorted(load_cases(services.settings)):
        for name, candidate in people.items():
            plan = services.planner.plan(candidate, case_id)
            chunks = own_chunks(services, candidate)
            assert_grounded(plan.questions, chunks)
            for q in plan.deep_dives:
                assert q.citation is not None
                asked += 1
                found = question_problems(q.text, q.citation.quote, chunks[q.citation.chunk_id].text)
                problems += [f"{name}/{case_id}: {p} in {q.text!r}" for p in found]
    assert asked >= 6 * 20  # most shared CVs have claims: the check ran over real questions
    assert not problems, "\n".join(problems[:20])

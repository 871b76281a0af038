"""Personal data is replaced by placeholders before text leaves, and put back exactly for the interviewer."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.kernel.pii import PiiMap, find_pii, redact, restore, restore_obj

CV = """Jane Q. Doe — jane.doe+cv@example.co.uk | +44 20 7946 0958 | (555) 123-4567 | +1-555-123-4567
07700 900123, +49 (0)30 1234567, 0049 30 12345678, (+82) 10-9030-1843, 607.379.5733.
https://www.linkedin.com/in/janedoe, github.com/janedoe, www.janedoe.dev and http://x.org/a?b=c.
221B Baker Street, London NW1 6XE. 1600 Amphitheatre Pkwy, Mountain View, CA 94043. Hauptstraße 12, 10115 Berlin.
ORCID 0009-0008-8088-9837. JANE wrote it; Doe's team shipped it.
"""

TECHNICAL = """Worked 2015 - 2019 and 2019-2021 (2019-2021), on 2020-05-01 and 01/05/2020, Spring 2023.
Handled 2,000,000 events/day with Node.js, ASP.NET and Vue.js on Python 3.11; ids 12345678; p99 under 250 ms.
Led 12 engineers, cut costs by 35%, version 1.2.3.4, ticket JIRA-12345.
"""


def test_every_kind_of_personal_data_is_replaced() -> None:
    out, pii = redact(CV, names=["Jane Q. Doe"])
    for secret in [
        "jane.doe+cv@example.co.uk",
        "7946 0958",
        "123-4567",
        "900123",
        "1234567",
        "9030-1843",
        "379.5733",
        "linkedin.com/in/janedoe",
        "github.com/janedoe",
        "janedoe.dev",
        "x.org",
        "Baker Street",
        "NW1 6XE",
        "Amphitheatre",
        "94043",
        "Hauptstraße",
        "10115 Berlin",
        "0009-0008-8088-9837",
        "Jane",
        "JANE",
        "Doe",
    ]:
        assert secret not in out, secret
    assert out.startswith("[NAME_1] — [EMAIL_1] | [PHONE_1]")
    assert find_pii(out, names=["Jane Q. Doe"]) == []  # nothing left to find
    assert len(pii) >= 20


def test_restore_gives_back_the_exact_original() -> None:
    out, pii = redact(CV, names=["Jane Q. Doe"])
    assert restore(out, pii) == CV


def test_each_surface_form_gets_its_own_placeholder_so_case_survives() -> None:
    out, pii = redact("Jane said JANE and jane.", names=["Jane Doe"])
    assert out == "[NAME_1] said [NAME_2] and [NAME_3]."
    assert restore(out, pii) == "Jane said JANE and jane."


def test_one_map_keeps_placeholders_stable_across_texts() -> None:
    pii = PiiMap()
    first, _ = redact("Mail jane@example.com", pii=pii)
    second, _ = redact("Again jane@example.com or bob@example.org", pii=pii)
    assert first == "Mail [EMAIL_1]" and second == "Again [EMAIL_1] or [EMAIL_2]"


def test_technical_text_dates_and_numbers_are_left_alone() -> None:
    assert redact(TECHNICAL)[0] == TECHNICAL


def test_names_match_whole_words_only() -> None:
    out, _ = redact("Ann Annan met Annabel and Ann.", names=["Ann Lee"])
    assert out == "[NAME_1] Annan met Annabel and [NAME_1]."


def test_restore_obj_walks_nested_structures() -> None:
    _, pii = redact("jane@example.com", names=[])
    data = {"items": [{"quote": "write to [EMAIL_1]"}], "n": 3, "t": ("[EMAIL_1]",)}
    expected = {"items": [{"quote": "write to jane@example.com"}], "n": 3, "t": ("jane@example.com",)}
    assert restore_obj(data, pii) == expected


def test_unknown_placeholders_are_left_as_they_are() -> None:
    assert restore("[EMAIL_9] stays", PiiMap()) == "[EMAIL_9] stays"


@pytest.mark.slow
def test_no_contact_details_survive_in_the_shared_cvs(shared_data: Path) -> None:
    from pypdf import PdfReader

    from vetting.kernel.pii import EMAIL, URL

    checked = 0
    for pdf in sorted((shared_data / "resumes" / "pdf").glob("*.pdf")):
        text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        out, pii = redact(text)
        assert not EMAIL.search(out) and not URL.search(out), pdf.name
        assert restore(out, pii) == text
        checked += 1
    assert checked >= 20

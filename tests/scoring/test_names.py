"""Person names are masked before scoring; technical terms are never mistaken for names."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.kernel.pii import PiiMap, restore
from vetting.scoring.names import PLACEHOLDER, mask_names_reversibly, mask_person_names, person_names

FAIRNESS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fairness"


def test_given_names_masked_in_full_and_by_part_ignoring_case_and_accents() -> None:
    text = "José García wrote it; jose garcia reviewed, GARCIA merged and José deployed."
    out = mask_person_names(text, ["Jose Garcia"])
    assert "jos" not in out.lower() and "garc" not in out.lower()
    assert out.count(PLACEHOLDER) == 4


def test_hyphenated_given_name_parts() -> None:
    out = mask_person_names("Smith-Jones did it, then Smith alone.", ["Anna Smith-Jones"])
    assert "Smith" not in out and "Jones" not in out


@pytest.mark.parametrize(
    "text,name",
    [
        ("Hi, my name is Lakisha Washington and I use Kafka.", "Lakisha Washington"),
        ("I cached it in Redis.\nBest regards,\nEmily Walsh", "Emily Walsh"),
        ("Answer below.\n— Jamal Jones", "Jamal Jones"),
        ("Me llamo Nuño Pérez y uso Docker.", "Nuño Pérez"),
    ],
)
def test_names_the_text_reveals_are_masked(text: str, name: str) -> None:
    out = mask_person_names(text)
    assert name not in out and PLACEHOLDER in out


@pytest.mark.parametrize(
    "text",
    [
        "I used Python, Kafka, Redis and Docker on Kubernetes with Terraform.",
        "Will the cache hold? Mark the record stale and Grant access only to the Redis role.",
        "Spring Boot on Docker, a Cassandra cluster and Aurora Postgres behind Nginx.",
        "As Link State Routing floods, each router builds the map; Data Link frames carry Options.",
        "- No loss\n- No duplication\n- Flow-control",
        "Thanks, Redis",
        "We chose Julia and Rust over Go for the solver; Ruby stayed for the admin.",
    ],
)
def test_technical_terms_are_not_names(text: str) -> None:
    assert mask_person_names(text) == text


def test_text_without_names_is_unchanged() -> None:
    text = "An idempotency key makes a retried write safe: the server stores the first result and replays it."
    assert mask_person_names(text, ["Ana Silva"]) == text


@pytest.mark.parametrize(
    "text,name",
    [
        ("I paired with Lakisha on the cache.", "Lakisha"),
        ("Then Mark Kowalczyk reviewed the schema.", "Mark Kowalczyk"),
        ("Dr Okafor approved the rollout.", "Okafor"),
        ("We asked Julia Rosas about the SLA.", "Julia Rosas"),
        ("María Fernández López wrote the runbook.", "María Fernández López"),
    ],
)
def test_names_from_the_lexicon_are_masked(text: str, name: str) -> None:
    assert name not in mask_person_names(text)


def test_reversible_mask_restores_the_original() -> None:
    text = "My name is Emily Walsh; Greg and I wrote the Kafka consumer."
    pii = PiiMap()
    masked = mask_names_reversibly(text, ["Emily Walsh"], pii)
    assert "Emily" not in masked and "Greg" not in masked and "Kafka" in masked
    assert restore(masked, pii) == text
    assert person_names(text, ["Emily Walsh"])[0] == "Emily Walsh"


def test_masking_is_idempotent() -> None:
    once = mask_person_names("Thanks, Jamal Jones", ["Jamal Jones"])
    assert mask_person_names(once) == once


@pytest.mark.skipif(not FAIRNESS.is_dir(), reason="needs ../shared/data/fairness (the audit's name lists)")
def test_audit_names_are_found_without_being_given() -> None:
    from eval.names import bertrand_mullainathan_names, bloomberg_names

    names = bloomberg_names(FAIRNESS) + bertrand_mullainathan_names(FAIRNESS, 13)
    template = "Last year {} and I rebuilt the billing API."
    found = sum(mask_person_names(template.format(n.full)) == template.format(PLACEHOLDER) for n in names)
    assert found / len(names) >= 0.97  # measured 829 of 836 (797 before family-name rules); the rest need it given
    intro = "My name is {}. I rebuilt the billing API."
    assert all(mask_person_names(intro.format(n.full)) == intro.format(PLACEHOLDER) for n in names)


def test_given_name_in_handles_and_addresses() -> None:
    text = "Mail emily.walsh@example.com or ewalsh@corp.io, see github.com/emilywalsh and linkedin.com/in/EmilyWalsh."
    out = mask_person_names(text, ["Emily Walsh"])
    assert "emily" not in out.lower() and "walsh" not in out.lower()


def test_a_masked_view_maps_every_span_back_to_the_original_text() -> None:
    from vetting.scoring.names import masked_view

    text = "Our lead, Priya Raman, built the cache. Later the team ported it."
    view = masked_view(text, ["Priya Raman"])
    assert view.text == "Our lead, [NAME], built the cache. Later the team ported it."
    start = view.text.index("[NAME]")
    assert text[slice(*view.to_original(start, view.text.index("cache.") + 6))] == "Priya Raman, built the cache."
    later = view.text.index("Later")
    assert text[slice(*view.to_original(later, len(view.text)))] == "Later the team ported it."
    assert text[slice(*view.to_original(0, 4))] == "Our "


def test_a_name_swap_leaves_the_masked_view_identical() -> None:
    from vetting.scoring.names import masked_view

    texts = [f"My name is {n}. I led the migration to EKS." for n in ("Emily Walsh", "Lakisha Washington")]
    views = [masked_view(t, [n]) for t, n in zip(texts, ("Emily Walsh", "Lakisha Washington"), strict=True)]
    assert views[0].text == views[1].text


@pytest.mark.parametrize(
    "name",
    [
        "Nguyen Van Minh",  # family name first
        "Nguyễn Thị Minh Khai",
        "Watanabe Kenji",
        "Nagy Zoltán",
        "Grace Kim",  # a first name that is also a word, then a listed family name that is one too
        "Summer Lee",
        "Sunny Park",
        "张伟",  # another script inside English text
        "Мария Иванова",
        "محمد عبد الله",
        "田中太郎",
    ],
)
def test_names_in_family_first_order_in_words_and_in_other_scripts_are_masked(name: str) -> None:
    for template in (
        "I worked with {} on the pipeline.",
        "{} led the project and I joined later.",
        "The reviewer, {}, asked.",
    ):
        assert mask_person_names(template.format(name)) == template.format(PLACEHOLDER)


@pytest.mark.parametrize(
    "text",
    [
        "Use α = 0.05 and a β of 0.2 for the test.",  # Greek letters in formulas
        "Привет, это ответ на русском языке про базы данных.",  # a passage in another script, not a name in one
        "𝑺𝒆𝒓𝒗𝒊𝒄𝒆 𝑪𝒍𝒂𝒔𝒔 is styled, and Ｆｕｌｌ width is Latin too.",
        "As Link State Routing floods, Data Link frames carry Options.",
        "We used the Zürich data and the Übermensch essay.",
    ],
)
def test_formulas_styled_letters_passages_and_title_case_terms_are_not_names(text: str) -> None:
    assert mask_person_names(text) == text

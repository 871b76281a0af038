"""Person names are masked before scoring; technical terms are never mistaken for names."""

from __future__ import annotations

import pytest

from vetting.scoring.names import PLACEHOLDER, mask_person_names


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
        "My name is Kafka-proof: I retry idempotently.",
        "Thanks, Redis",
        "We chose Julia and Rust over Go for the solver; Ruby stayed for the admin.",
    ],
)
def test_technical_terms_are_not_names(text: str) -> None:
    assert mask_person_names(text) == text


def test_text_without_names_is_unchanged() -> None:
    text = "An idempotency key makes a retried write safe: the server stores the first result and replays it."
    assert mask_person_names(text, ["Ana Silva"]) == text

"""Under the audit's name swaps, the text the scorer reads is the same for every name once names are masked."""

from __future__ import annotations

from pathlib import Path

from eval.corpus import Corpus
from eval.fairness import AuditSize, audit_names
from eval.grading import ANSWER_CHARS
from eval.names import PersonName
from eval.swap import SwapDocument, bloomberg_resumes
from vetting.scoring.names import mask_person_names


def test_default_audit_has_at_least_200_swaps() -> None:
    size = AuditSize()
    documents = size.real_cvs + 4 * size.resumes_per_job  # Bloomberg has four jobs
    assert documents * 12 * size.names_per_group >= 200  # 8 Bloomberg + 4 B&M race × sex groups


def test_excerpt_has_the_same_words_under_every_name() -> None:
    doc = SwapDocument(
        "d", "real CV", Path("x"), "Ana Silva\nBuilt   the billing API with Kafka. " * 40, PersonName("Ana", "Silva")
    )
    short, long = doc.excerpt(PersonName("Al", "Li"), 300), doc.excerpt(PersonName("Bartholomew", "Okonkwo-Smith"), 300)
    assert mask_person_names(short, ["Al Li"]) == mask_person_names(long, ["Bartholomew Okonkwo-Smith"])


def test_masked_answers_are_identical_across_the_audit_names(shared_data: Path) -> None:
    corpus = Corpus.locate(shared_data)
    names = audit_names(corpus, 13, AuditSize().names_per_group)
    for doc in bloomberg_resumes(corpus, 2, 13):
        seen = {mask_person_names(f"My name is {n.full}. " + doc.excerpt(n, ANSWER_CHARS), [n.full]) for n in names}
        assert len(seen) == 1, doc.id

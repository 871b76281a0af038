"""Planted facts land as visible text in every format, where the app's own loader reads them back."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from eval.corpus import Corpus
from eval.planting import Fact, load_facts, plant
from eval.retrieval import holds_fact
from ingest.loaders import load_document
from vetting.kernel.quotes import normalize
from vetting.kernel.settings import Settings

SENTENCE = "Reduced p99 checkout latency from 900 ms to 120 ms by moving session state into Redis."
FACT = Fact(id="t", text=SENTENCE, query="?")


def _pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for page in range(2):
        c.setFont("Helvetica", 11)
        c.drawString(72, 760, f"Grace Hopper page {page + 1}")
        c.drawString(72, 740, "Experience: compilers, COBOL, naval research.")
        c.showPage()
    c.save()
    return path


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in ("Grace Hopper", "Experience", "Built the first compiler for the A-0 system."):
        document.add_paragraph(line)
    document.save(str(path))
    return path


def _json(path: Path) -> Path:
    resume = {"basics": {"name": "Grace Hopper"}, "work": [{"name": "Navy", "position": "Officer", "highlights": []}]}
    path.write_text(json.dumps(resume), encoding="utf-8")
    return path


def _md(path: Path) -> Path:
    path.write_text("# Grace Hopper\n\nBuilt compilers.\n\n- COBOL\n- A-0\n\nLed research.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("make,name", [(_pdf, "cv.pdf"), (_docx, "cv.docx"), (_json, "cv.json"), (_md, "cv.md")])
def test_a_planted_fact_is_read_back_by_the_loader(make, name, tmp_path: Path, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    source = make(tmp_path / name)
    planted = plant(source, [FACT], tmp_path / "out", random.Random("seed"))
    text = normalize(load_document(planted.path, settings).text)
    assert normalize(FACT.text) in text
    assert "Grace Hopper" in text  # the document is otherwise intact
    again = plant(source, [FACT], tmp_path / "again", random.Random("seed"))
    assert again.where == planted.where  # the same seed puts the fact in the same place


def test_holds_fact_needs_most_of_the_sentence_in_one_run() -> None:
    head, tail = FACT.text[:60], FACT.text[60:]
    assert holds_fact(f"Experience\n{FACT.text}\nEducation", FACT.text)
    assert holds_fact(f"intro text {head}", FACT.text)  # 60 of 87 characters: a chunk cut mid-sentence
    assert not holds_fact(f"{tail} and more", FACT.text)  # the shorter remainder is not enough
    assert holds_fact(FACT.text.replace(" ", "\n  "), FACT.text)  # line breaks from PDF extraction do not matter


def test_fact_bank_is_well_formed() -> None:
    bank = load_facts()
    ids = [f.id for f in bank.cv + bank.writeup]
    assert len(ids) == len(set(ids)) and len(bank.cv) >= 27 and len(bank.writeup) >= 8
    for fact in bank.cv + bank.writeup:
        assert normalize(fact.query).lower() not in normalize(fact.text).lower()


@pytest.mark.slow
def test_every_real_cv_keeps_its_planted_fact(shared_data: Path, tmp_path: Path, settings: Settings) -> None:
    corpus = Corpus.locate(shared_data)
    lost = []
    for n, cv in enumerate(corpus.cvs()):
        fact = load_facts().cv[n % len(load_facts().cv)]
        planted = plant(cv, [fact], tmp_path / cv.stem, random.Random(cv.name))
        if not holds_fact(load_document(planted.path, settings).text, fact.text):
            lost.append(cv.name)
    assert not lost, f"planted facts not read back from {lost}"

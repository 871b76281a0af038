"""The injection copies really carry the payload (a raw PDF reader sees it), and the app's loader keeps it out."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from eval.attacks import INSTRUCTION, PAYLOAD, applicable, attack, leaked
from ingest.loaders import load_document
from vetting.kernel.quotes import normalize
from vetting.kernel.settings import Settings


def _cv(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "Grace Hopper")
    c.drawString(72, 740, "Built the first compiler for the A-0 system at Remington Rand.")
    c.save()
    return path


@pytest.mark.parametrize("attack_id", ["white-text", "tiny-text", "invisible-text", "off-page", "metadata"])
def test_hidden_payloads_are_in_the_file_and_out_of_the_text(
    attack_id: str, tmp_path: Path, settings: Settings
) -> None:
    copy = attack(_cv(tmp_path / "cv.pdf"), attack_id, tmp_path / attack_id / "cv.pdf")
    reader = PdfReader(copy)
    raw = normalize(" ".join([reader.pages[0].extract_text() or "", str(reader.metadata or {})]))
    assert "quantum blockchain" in raw  # the attack is real: a naive extractor reads the payload
    document = load_document(copy, settings)
    assert not leaked(document.text)
    assert "Built the first compiler" in document.text
    assert document.flags  # the recruiter is told something was removed


def test_visible_instructions_are_flagged(tmp_path: Path, settings: Settings) -> None:
    source = tmp_path / "cv.md"
    source.write_text("# Grace Hopper\n\nBuilt compilers.\n\nLed research on COBOL.\n", encoding="utf-8")
    copy = attack(source, "visible-instruction", tmp_path / "out" / "cv.md")
    assert INSTRUCTION in copy.read_text(encoding="utf-8")
    document = load_document(copy, settings)
    assert any(f.kind == "injection" for f in document.flags)


def test_payload_markers_and_applicability() -> None:
    assert leaked(PAYLOAD) and leaked(INSTRUCTION.upper()) and not leaked("Built the first compiler")
    assert len(applicable(Path("cv.pdf"))) == 6
    assert [a.id for a in applicable(Path("cv.docx"))] == ["visible-instruction"]

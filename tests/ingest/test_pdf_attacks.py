"""The PDF attack corpus: each trick is flagged with its kind, never reaches a chunk, and leaves the plan unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from eval.hiding import Trick
from eval.hiding.pdf import CLAIM, HIDDEN, PDF_TRICKS, clean_pdf
from ingest.loaders import load_document
from vetting.kernel.settings import Settings

TRICKS = [t for t in PDF_TRICKS if not t.control]
CONTROLS = [t for t in PDF_TRICKS if t.control]
CASE = "rag-customer-support"


def _write(tmp_path: Path, trick: Trick) -> Path:
    path = tmp_path / trick.filename
    path.write_bytes(trick.make())
    return path


def test_the_corpus_covers_the_known_tricks_and_has_controls() -> None:
    names = {t.name for t in TRICKS}
    for family in ("layer-switched-off", "clipped-away", "black-on-black", "under-an-image", "size-1.01-pt"):
        assert f"pdf-{family}" in names
    assert len(TRICKS) >= 20 and len(CONTROLS) >= 6
    assert all(t.fmt == "pdf" and t.hidden == HIDDEN and t.flag for t in TRICKS)


@pytest.mark.parametrize("trick", TRICKS, ids=lambda t: t.name)
def test_the_hidden_claim_is_really_in_the_file(trick: Trick, tmp_path: Path) -> None:
    """A naive extractor reads the claim: the trick hides it from the eye, not from the text layer."""
    reader = PdfReader(_write(tmp_path, trick))
    assert HIDDEN in " ".join((reader.pages[0].extract_text() or "").split())


@pytest.mark.parametrize("trick", TRICKS, ids=lambda t: t.name)
def test_each_trick_is_flagged_and_removed(trick: Trick, tmp_path: Path, settings: Settings) -> None:
    document = load_document(_write(tmp_path, trick), settings)
    assert [f.kind for f in document.flags] == [trick.flag]
    assert HIDDEN in document.flags[0].text  # the recruiter is shown what was hidden
    assert HIDDEN not in document.text and "Hooli" not in document.text
    assert "Led the migration of the billing service to Kubernetes" in document.text


@pytest.mark.parametrize("trick", CONTROLS, ids=lambda t: t.name)
def test_visible_look_alikes_are_not_flagged(trick: Trick, tmp_path: Path, settings: Settings) -> None:
    document = load_document(_write(tmp_path, trick), settings)
    assert document.flags == ()
    assert CLAIM.decode() in " ".join(document.text.split())


@pytest.fixture(scope="module")
def planning(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Any:
    """Ingest one file for a fresh candidate and plan the case: the plan's signature and every chunk text."""
    from eval.plans import plan_signature
    from tests.planning.conftest import make_services

    def run(data: bytes, filename: str) -> tuple[list[Any], list[str]]:
        folder = tmp_path_factory.mktemp("plan")
        services = make_services(Settings(_env_file=None, data_dir=folder / "data"), embedder)
        path = folder / filename
        path.write_bytes(data)
        report = services.ingestor.ingest([path], "Ada Example")
        assert [d.status for d in report.documents] == ["ingested"], [d.error for d in report.documents]
        chunks = [c.text for c in services.store.for_candidate(report.candidate.id).chunks()]
        return plan_signature(services.planner.plan(report.candidate, CASE)), chunks

    return run


@pytest.fixture(scope="module")
def clean_plan(planning: Any) -> list[Any]:
    signature, chunks = planning(clean_pdf(), "cv.pdf")
    assert signature and not any(HIDDEN in c for c in chunks)
    return signature


@pytest.mark.parametrize("trick", TRICKS, ids=lambda t: t.name)
def test_no_chunk_holds_the_claim_and_the_plan_is_the_clean_files(
    trick: Trick, planning: Any, clean_plan: list[Any]
) -> None:
    signature, chunks = planning(trick.make(), "cv.pdf")
    assert chunks and not any(HIDDEN in c or "Hooli" in c for c in chunks)
    assert signature == clean_plan


def test_a_visible_claim_does_change_the_plan(planning: Any, clean_plan: list[Any]) -> None:
    """The comparison above can fail: the same claim in plain sight is chunked and asked about."""
    visible = next(t for t in CONTROLS if t.name == "pdf-control-six-point-footnote")
    signature, chunks = planning(visible.make(), "cv.pdf")
    assert any(HIDDEN in c for c in chunks)
    assert signature != clean_plan

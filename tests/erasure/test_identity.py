"""Which candidate is meant: ids versus names, near-duplicate names, one file under two people, a CV naming another."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.identity import detected_name, folded
from vetting.candidates import AmbiguousCandidate, SimilarCandidateExists
from vetting.cli import main
from vetting.kernel.domain import ExtractedDocument, Page
from vetting.kernel.settings import Settings
from vetting.services import Services

CV = "Debarghya Das\n\ndd@example.org\n\n## Experience\n\nBuilt a queue-backed ingestion service in Go.\n"


def _cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data: Path, *args: str
) -> tuple[int, str]:
    from vetting.cli import common

    monkeypatch.setenv("VETTING_DATA_DIR", str(data))
    common.services.cache_clear()
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    common.services.cache_clear()
    captured = capsys.readouterr()
    return int(exit_info.value.code or 0), captured.out + captured.err


def test_a_key_that_is_one_name_and_another_id_is_refused(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = Services(settings).registry
    target = registry.get_or_create("Ada Lovelace")
    impostor = registry.get_or_create(target.id)  # someone whose *name* is Ada's id
    with pytest.raises(AmbiguousCandidate):
        registry.find(target.id)

    code, out = _cli(capsys, monkeypatch, settings.data_dir, "delete", target.id)
    assert code == 1 and target.id in out and "Ada Lovelace" in out and impostor.id in out and "--id" in out
    assert {c.name for c, _, _ in Services(settings).registry.overview()} == {"Ada Lovelace", target.id}

    code, out = _cli(capsys, monkeypatch, settings.data_dir, "delete", "--id", target.id)
    assert code == 0 and "Erased candidate Ada Lovelace" in out
    assert [c.name for c, _, _ in Services(settings).registry.overview()] == [target.id]
    code, _ = _cli(capsys, monkeypatch, settings.data_dir, "delete")
    assert code == 2  # neither a name nor --id


def test_names_fold_case_and_accents() -> None:
    assert folded("  Débarghya   DAS ") == folded("debarghya das") == "debarghya das"
    assert folded("Zoë Ångström") == folded("ZOE ANGSTROM")
    assert folded("Debarghya Das") != folded("Debarghya Dass")


def test_a_near_duplicate_name_is_offered_the_existing_candidate(
    settings: Settings,
    embedder: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cv = tmp_path / "cv.md"
    cv.write_text(CV, encoding="utf-8")
    services = Services(settings, embedder=embedder)
    first = services.ingestor.ingest([cv], "Debarghya Das")
    assert first.ok and first.documents[0].warnings == ()
    with pytest.raises(SimilarCandidateExists) as refused:
        services.ingestor.ingest([cv], "débarghya  das")
    assert [c.name for c in refused.value.existing] == ["Debarghya Das"]
    assert "Debarghya Das" in str(refused.value)
    assert [c.name for c, _, _ in services.registry.overview()] == ["Debarghya Das"], "nothing was created"

    again = services.ingestor.ingest([cv], "Debarghya Das")  # the exact name adds to the existing candidate
    assert again.candidate.id == first.candidate.id

    second = services.ingestor.ingest([cv], "debarghya das", new_person=True)
    assert second.candidate.id != first.candidate.id
    assert any("very same file" in w and first.candidate.id in w for w in second.documents[0].warnings)


def test_a_cv_naming_someone_else_is_warned_about(settings: Settings, embedder: object, tmp_path: Path) -> None:
    cv = tmp_path / "cv.md"
    cv.write_text(CV, encoding="utf-8")
    services = Services(settings, embedder=embedder)
    report = services.ingestor.ingest([cv], "Grace Hopper")
    assert report.ok
    assert any("'Debarghya Das'" in w and "'Grace Hopper'" in w for w in report.documents[0].warnings)


def test_the_name_at_the_top_of_a_cv_is_found_and_headings_are_not_names() -> None:
    def doc(text: str) -> ExtractedDocument:
        return ExtractedDocument("markdown", (Page(None, text),))

    assert detected_name(doc("# Curriculum Vitae\n\nJosé María Aznar-López\nMadrid")) == "José María Aznar-López"
    assert detected_name(doc("Senior backend engineer with 10 years of experience in Go")) is None
    assert detected_name(doc("")) is None


def test_the_cli_refuses_a_near_duplicate_and_accepts_it_with_new_person(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    Services(settings).registry.get_or_create("Debarghya Das")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, out = _cli(capsys, monkeypatch, settings.data_dir, "ingest", str(empty), "--candidate", "DEBARGHYA DAS")
    assert code == 1 and "'Debarghya Das'" in out and "Traceback" not in out
    code, out = _cli(
        capsys, monkeypatch, settings.data_dir, "ingest", str(empty), "--candidate", "DEBARGHYA DAS", "--new-person"
    )
    assert code == 1 and "rejected" in out  # went past the name check to the (empty) file itself

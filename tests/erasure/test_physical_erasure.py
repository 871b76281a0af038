"""After an erasure no byte of the candidate's name, e-mail or text is left under the data directory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vetting.erasure import clean_abandoned_uploads, find_bytes, uploads_root
from vetting.kernel.domain import PlannedQuestion
from vetting.kernel.settings import Settings
from vetting.services import Services
from vetting.store_rebuild import work_folder

NAME = "Zoltán Quibbleworth"
EMAIL = "zq.hire-me@quibble-mail.example"
PHRASE = "Xylophonic lattice refactoring"
NOTE = "Interviewer remark about the gerbil of"
KEPT = "Marguerite Ostrander"


def _cv(folder: Path, name: str, email: str, phrase: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name.split()[-1].lower()}-cv.md"
    body = "\n".join(f"- {phrase} at scale, project {i}: queues, caches and retries." for i in range(60))
    path.write_text(f"{name}\n\n{email} · +44 20 7946 0958\n\n## Experience\n\n{body}\n", encoding="utf-8")
    return path


def _services(settings: Settings, embedder: object) -> Services:
    services = Services(settings, embedder=embedder)  # the session's real model, loaded once
    return services


def _fill(services: Services, tmp: Path, name: str, email: str, phrase: str) -> str:
    report = services.ingestor.ingest([_cv(tmp / name.split()[-1], name, email, phrase)], name)
    assert report.ok
    candidate_id = report.candidate.id
    sessions = services.sessions
    session = sessions.create(candidate_id, "url-shortener", "system-design", "1")
    sessions.store_plan(
        session, [PlannedQuestion("q1", "deep_dive", f"Tell me about {phrase}?")], engine="offline", model=None
    )
    question = sessions.get(session).questions[0].id
    sessions.save_answer(
        question, text=f"{name} answered about {phrase}", notes=f"{NOTE} {name}, {email}", expected_version=1
    )
    sessions.save_notes(session, f"{NOTE} ({name})", expected_version=sessions.get(session).version)
    return candidate_id


def kept_answers(services: Services, name: str) -> tuple[int, list[list[tuple[str, float]]]]:
    """A candidate's chunk count and nearest chunks for a few of their own vectors: what a rewrite must not change."""
    index = services.vector_store.for_candidate(services.candidates.find(name).id)
    ids = sorted(index.chunk_ids())[:4]
    found = index.query_many(index.vectors(ids), k=5)
    return index.count(), [[(r.chunk.id, round(r.score, 5)) for r in hits] for hits in found]


def test_erasure_leaves_no_byte_of_the_candidate(settings: Settings, embedder: object, tmp_path: Path) -> None:
    services = _services(settings, embedder)
    _fill(services, tmp_path / "in", NAME, EMAIL, PHRASE)
    _fill(services, tmp_path / "in", KEPT, "mo@example.org", "Hydraulic spreadsheet gardening")
    reports = settings.data_dir / "reports" / "20260101-000000"
    reports.mkdir(parents=True)
    (reports / "report.md").write_text(f"Sample scored: {NAME.upper()}\n", encoding="utf-8")
    needles = [NAME, "Quibbleworth", EMAIL, PHRASE, f"{NOTE} {NAME}"]  # the random id may stay in the activity log
    before = find_bytes([settings.data_dir], needles)
    assert {n for _, n in before} >= {NAME, EMAIL, PHRASE, f"{NOTE} {NAME}"}, (
        "the check must see the data before erasure"
    )
    answers = kept_answers(services, KEPT)

    erasure = services.candidates.erase(NAME)

    assert erasure.complete and erasure.reports_removed == [reports]
    assert find_bytes([settings.data_dir], needles) == []  # database, Chroma's SQLite and segment files, reports
    assert kept_answers(services, KEPT) == answers, "the other candidate's chunks and nearest neighbours stay"
    assert find_bytes([settings.data_dir], needles) == [], "reading the rewritten store writes nothing back"
    assert find_bytes([settings.data_dir], [KEPT, "Hydraulic spreadsheet gardening"]), "the other candidate stays"
    assert [c.name for c, _, _ in services.candidates.overview()] == [KEPT]
    chroma = settings.data_dir / "chroma"
    folders = [p for p in chroma.iterdir() if p.is_dir()]
    assert len(folders) == 1, f"one vector segment per remaining collection, found {folders}"
    assert list(work_folder(chroma).glob("*")) == [], "the erasure leaves no mark, export or copy behind"
    _fill(services, tmp_path / "in", "Third Person", "tp@example.org", "Gardening of the third kind")
    assert find_bytes([settings.data_dir], needles) == [], "a later write by this very process copies none of it"


def test_an_upload_cut_short_by_a_kill_is_removed_at_start_up(settings: Settings, tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from vetting.erasure import upload_folder
        with upload_folder(Path({str(settings.data_dir)!r})) as folder:
            (folder / "000.md").write_text({NAME!r} + " " + {EMAIL!r})
            print("written", flush=True)
            time.sleep(60)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None and child.stdout.readline().strip() == "written"
    assert find_bytes([uploads_root(settings.data_dir)], [NAME]), "the upload is on disk while it is ingested"
    assert clean_abandoned_uploads(settings.data_dir) == [], "a live upload is left alone"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert find_bytes([settings.data_dir], [NAME]), "a killed upload leaves its copy behind"
    assert Services(settings).registry is not None  # start-up
    assert find_bytes([settings.data_dir], [NAME, EMAIL]) == []


@pytest.mark.parametrize("text", [NAME, EMAIL])
def test_the_byte_search_sees_every_encoding(tmp_path: Path, text: str) -> None:
    for number, data in enumerate(
        [text.encode("utf-8"), text.lower().encode("utf-16-le"), text.encode("utf-16-be"), text.upper().encode()]
    ):
        (tmp_path / f"{number}.bin").write_bytes(b"\0\1" + data + b"\2")
    (tmp_path / "clean.bin").write_bytes(b"nothing of the kind")
    assert sorted(p.name for p, _ in find_bytes([tmp_path], [text])) == ["0.bin", "1.bin", "2.bin", "3.bin"]

"""Ingest is bounded as a whole: one deadline per document, a chunk cap, and size checks before any slow work."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ingest.loaders import load_document
from tests.ingest.documents import make_raw_pdf
from tests.planning.conftest import make_services
from vetting.kernel.errors import DocumentTooLarge
from vetting.kernel.settings import Settings
from vetting.services import Services

PARAGRAPH = "Ran the payments platform at Fjord Payments and cut p99 latency from 900 ms to 120 ms. "


def _services(settings: Settings, embedder: Any, **update: Any) -> Services:
    return make_services(settings.model_copy(update=update), embedder)


def _assert_nothing_left(services: Services) -> None:
    """A rejected file leaves no candidate, no stored file, no chunk and no document row behind."""
    assert services.candidates.overview() == []
    files = services.settings.data_dir / "files"
    assert not files.exists() or not any(p.is_file() for p in files.rglob("*"))


def _ingest_one(services: Services, path: Path) -> tuple[Any, float]:
    started = time.perf_counter()
    report = services.ingestor.ingest([path], "Linus Example")
    return report.documents[0], time.perf_counter() - started


def test_a_10_mb_json_resume_is_refused_quickly_and_says_why(tmp_path: Path, settings: Settings, embedder: Any) -> None:
    work = [{"name": f"Company {i}", "position": "Engineer", "highlights": [PARAGRAPH * 3]} for i in range(40_000)]
    path = tmp_path / "cv.json"
    path.write_text(json.dumps({"basics": {"name": "Linus Example"}, "work": work}), encoding="utf-8")
    assert 9_000_000 < path.stat().st_size < settings.max_upload_bytes
    services = _services(settings, embedder)
    result, elapsed = _ingest_one(services, path)
    assert result.status == "rejected"
    assert "million characters of text" in result.error and "cv.json" in result.error
    assert elapsed < services.settings.ingest_timeout_s  # seconds when idle; a cold parse worker starts first
    _assert_nothing_left(services)


def test_a_1_mb_single_line_markdown_file_is_refused_quickly(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "cv.md"
    path.write_text("# Linus Example\n" + PARAGRAPH * 12_000, encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    started = time.perf_counter()
    with pytest.raises(DocumentTooLarge, match=r"cv\.md holds 1\.\d million characters of text"):
        load_document(path, settings)
    assert time.perf_counter() - started < 10


def test_too_many_chunks_is_refused_with_the_count(tmp_path: Path, settings: Settings, embedder: Any) -> None:
    path = tmp_path / "cv.md"
    path.write_text("# Linus Example\n\n" + "\n\n".join(PARAGRAPH * 4 for _ in range(12)), encoding="utf-8")
    services = _services(settings, embedder, max_chunks_per_document=3)
    result, _ = _ingest_one(services, path)
    assert result.status == "rejected"
    assert "too long to index" in result.error and "the limit is 3 per document" in result.error
    _assert_nothing_left(services)
    assert _ingest_one(_services(settings, embedder, data_dir=tmp_path / "other"), path)[0].status == "ingested"


class _SlowEmbedder:
    """The real embedder, made slow in one place, so a deadline can pass while that stage runs."""

    def __init__(self, real: Any, embed_delay: float = 0.0, token_delay: float = 0.0) -> None:
        self.real, self.embed_delay, self.token_delay = real, embed_delay, token_delay

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        time.sleep(self.embed_delay)
        return self.real.embed(texts)

    def tokenize(self, text: str) -> list[int]:
        time.sleep(self.token_delay)
        return self.real.tokenize(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.mark.parametrize(
    ("delays", "stage"),
    [({"embed_delay": 2.5}, "computing its embeddings"), ({"token_delay": 0.05}, "cutting it into passages")],
)
def test_the_deadline_covers_chunking_and_embedding(
    delays: dict[str, float], stage: str, tmp_path: Path, settings: Settings, embedder: Any
) -> None:
    path = tmp_path / "cv.md"
    path.write_text("# Linus Example\n\n" + "\n\n".join(PARAGRAPH for _ in range(60)), encoding="utf-8")
    services = _services(settings, _SlowEmbedder(embedder, **delays), ingest_timeout_s=2.0)
    result, elapsed = _ingest_one(services, path)
    assert result.status == "rejected"
    assert f"within 2 seconds and was stopped while {stage}" in result.error
    assert elapsed < 2.0 + 15.0  # the deadline, one batch in progress, and a cold parse worker on a busy machine
    _assert_nothing_left(services)


def test_the_time_spent_waiting_for_other_files_is_not_charged(
    tmp_path: Path, settings: Settings, embedder: Any
) -> None:
    """Several small files share one embedding batch; the first one's clock stops while the others are read."""
    paths = []
    for i in range(4):
        paths.append(tmp_path / f"note{i}.md")
        paths[-1].write_text(f"# Note {i}\n\n{PARAGRAPH}", encoding="utf-8")
    services = _services(settings, _SlowEmbedder(embedder, token_delay=1.0), ingest_timeout_s=8.0)
    started = time.perf_counter()
    report = services.ingestor.ingest(paths, "Linus Example")
    assert [d.status for d in report.documents] == ["ingested"] * 4, [d.error for d in report.documents]
    assert time.perf_counter() - started > 8.0  # together they took longer than one document's deadline


def test_a_small_pdf_with_millions_of_drawing_operations_says_so(tmp_path: Path, settings: Settings) -> None:
    path = make_raw_pdf(tmp_path / "cv.pdf", b"BT /F1 11 Tf 72 760 Td (Linus) Tj ET " + b"0 0 m 1 1 l S\n" * 1_270_000)
    assert path.stat().st_size < 60_000
    started = time.perf_counter()
    with pytest.raises(DocumentTooLarge, match=r"cv\.pdf has too many drawing operations \(about 3,\d{3},\d{3}"):
        load_document(path, settings)
    assert time.perf_counter() - started < 15


def test_a_long_line_without_sentence_ends_is_refused_before_chunking(
    tmp_path: Path, settings: Settings, embedder: Any
) -> None:
    """Under the length limit, but its tokens alone fill more chunks than the cap: refused without being chunked."""
    path = tmp_path / "cv.md"
    path.write_text("# Linus Example\n" + "go sql k8s " * 60_000, encoding="utf-8")
    assert path.stat().st_size < 800_000
    services = _services(settings, embedder)
    result, elapsed = _ingest_one(services, path)
    assert result.status == "rejected"
    assert "too long to index: it makes at least" in result.error and "the limit is 500 per document" in result.error
    assert elapsed < 30
    _assert_nothing_left(services)

"""Where the evaluation corpus lives, which of its files the harness reads, and their hashes for the report."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vetting.embeddings import Embedder, make_embedder
from vetting.kernel.errors import VettingError
from vetting.kernel.settings import Settings
from vetting.services import Services

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data"


class CorpusMissing(VettingError):
    """The shared evaluation corpus is not where it was looked for."""


@dataclass(frozen=True)
class Corpus:
    """The shared, read-only evaluation corpus (real CVs, write-ups, graded answers, fairness name lists)."""

    root: Path

    @classmethod
    def locate(cls, root: Path | None = None) -> Corpus:
        path = (root or DEFAULT_CORPUS).expanduser()
        if not (path / "resumes").is_dir():
            raise CorpusMissing(
                f"The evaluation corpus was not found at '{path}' (expected a 'resumes' folder there). "
                "Put the shared data beside the checkout as ../shared/data, or pass --data DIR."
            )
        return cls(path.resolve())

    def cvs(self) -> list[Path]:
        """Every real CV: PDFs of varied layout, the DOCX, the JSON Resume and the Markdown résumé."""
        resumes = self.root / "resumes"
        found = [
            *sorted((resumes / "pdf").glob("*.pdf")),
            *sorted((resumes / "docx").glob("*.docx")),
            *sorted((resumes / "json_md").glob("*.resume.json")),
            *sorted((resumes / "json_md").glob("*.md")),
        ]
        return [p for p in found if "coverletter" not in p.name]

    def writeups(self) -> list[Path]:
        return sorted((self.root / "interview_qa" / "system_design_primer").glob("*.md"))

    def fairness_dir(self) -> Path:
        return self.root / "fairness"

    def grading_file(self, name: str) -> Path:
        return self.root / "grading" / name

    def relative(self, path: Path) -> str:
        """A corpus file's path as shown in reports: relative to the corpus root, never a machine path."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return path.name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def document_family(path: Path) -> str:
    """The layout family of a corpus document, for per-layout breakdowns (e.g. `pdf: latexcv`, `docx`, `write-up`)."""
    suffix = path.suffix.lower()
    if path.parent.name == "system_design_primer":
        return "write-up (markdown)"
    if suffix == ".pdf":
        return "pdf: " + path.stem.split("_", 1)[0]
    if suffix == ".json":
        return "json resume"
    if suffix == ".md":
        return "markdown"
    return suffix.lstrip(".") or "text"


class MemoEmbedder:
    """The real embedder, remembering each text's vector: documents shared by many eval candidates are embedded once."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            self._memo.update(zip(missing, self.inner.embed(missing), strict=True))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def tokenize(self, text: str) -> list[int]:
        return self.inner.tokenize(text)

    def detokenize(self, ids: Sequence[int]) -> str:
        return self.inner.detokenize(ids)

    def __getattr__(self, name: str) -> Any:
        """Everything else (e.g. token-level vectors for the scorer) straight from the real embedder."""
        return getattr(self.inner, name)


@contextmanager
def scratch_services(settings: Settings) -> Iterator[Services]:
    """Services over a fresh temporary data directory: an evaluation never reads or writes the user's candidates."""
    with tempfile.TemporaryDirectory(prefix="vetting-eval-") as tmp:
        scratch = settings.model_copy(
            update={"data_dir": Path(tmp) / "data", "database_url": None, "chroma_host": None}
        )
        yield Services(scratch, embedder=MemoEmbedder(make_embedder(scratch)))

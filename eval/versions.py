"""The versions that produced a report: code commit, packages, models, rubrics, cases, thresholds and data files."""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from eval.corpus import REPO, Corpus, file_sha256
from vetting.kernel.settings import Settings

EVAL_DIR = Path(__file__).resolve().parent
EVAL_FILES = (EVAL_DIR / "planted_facts.yaml", EVAL_DIR / "fairness_cvs.yaml")
PACKAGES = ("vetting", "ragas", "chromadb", "sentence-transformers", "torch", "langchain-core", "pypdf", "scikit-learn")


def git_commit(repo: Path = REPO) -> str:
    """The checked-out commit, with `+dirty` when files differ from it; `unknown` outside a git checkout."""
    try:
        head = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def collect_versions(
    settings: Settings, corpus: Corpus | None, data_files: list[Path], thresholds_file: Path, seed: int
) -> dict[str, Any]:
    """Everything a reviewer needs to reproduce the report's numbers."""
    from cases import load_cases
    from rubrics import load_rubrics

    rubrics = {r.id: r.version for r in load_rubrics(settings).values()}
    cases = {c.id: c.rubric for c in load_cases(settings).values()}
    data = {}
    if corpus is not None:
        data = {corpus.relative(p): file_sha256(p)[:16] for p in sorted(set(data_files)) if p.is_file()}
    return {
        "code": git_commit(),
        "eval_files": {p.name: file_sha256(p)[:16] for p in EVAL_FILES if p.is_file()},
        "packages": package_versions(),
        "embedding_model": f"{settings.embedding_model} ({settings.embedding_backend}, {settings.embedding_precision})",
        "llm": settings.llm_model if settings.llm_enabled else "none (offline engines)",
        "scoring_model": _scoring_model(),
        "rubrics": rubrics,
        "cases": cases,
        "thresholds": {"file": thresholds_file.name, "sha256": file_sha256(thresholds_file)[:16]},
        "seed": seed,
        "data": data,
    }


def _scoring_model() -> str:
    """The shipped grading model file's hash (the offline scorer's weights)."""
    try:
        from vetting.scoring.model import ARTIFACT
    except ImportError:
        return "not installed"
    return f"{ARTIFACT.name} sha256:{file_sha256(ARTIFACT)[:16]}" if ARTIFACT.is_file() else "not found"

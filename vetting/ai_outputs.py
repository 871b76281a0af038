"""The audit of AI outputs: every plan and score, from the offline engine or a language model, with its versions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import metadata
from typing import Any

from sqlalchemy import select

from vetting.db import Database
from vetting.db.models import AIOutputRow
from vetting.kernel.settings import Settings


@lru_cache(maxsize=1)
def _program_version() -> str:
    try:
        return metadata.version("vetting")
    except metadata.PackageNotFoundError:
        return "unknown"


@lru_cache(maxsize=4)
def _file_digest(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:12]
    except OSError:
        return "missing"


def content_version(value: Any) -> str:
    """A short digest of a bank entry (a case has no version field: its content is its version)."""
    dump = value.model_dump_json() if hasattr(value, "model_dump_json") else repr(value)
    return hashlib.sha256(dump.encode("utf-8")).hexdigest()[:12]


def output_versions(settings: Settings, *, kind: str, engine: str, case: Any | None = None) -> dict[str, str]:
    """What produced an output: program, case, and for the offline engine its embedding and grading models."""
    versions = {"program": _program_version()}
    if case is not None:
        versions["case_version"] = content_version(case)
    if engine.startswith("offline") or engine == "offline":
        versions["embedding_model"] = f"{settings.embedding_model} ({settings.embedding_precision})"
        if kind == "score":
            from vetting.scoring.model import ARTIFACT

            versions["grading_model"] = f"{ARTIFACT.name}@{_file_digest(str(ARTIFACT))}"
    return versions


@dataclass(frozen=True)
class AIOutput:
    """One audited AI output (ids only: never the candidate's name or text)."""

    created_at: datetime
    actor: str
    kind: str
    engine: str
    model: str | None
    rubric: str
    candidate_id: str
    session_id: str | None
    detail: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "created_at": self.created_at.isoformat()}


class AIOutputLog:
    """Records and lists AI outputs; rows of a candidate go when the candidate is erased (foreign-key cascade)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(
        self,
        *,
        kind: str,
        engine: str,
        model: str | None,
        rubric_id: str,
        rubric_version: str,
        candidate_id: str,
        actor: str,
        detail: dict[str, Any],
        session_id: str | None = None,
    ) -> None:
        with self.db.session() as s:
            s.add(
                AIOutputRow(
                    kind=kind,
                    engine=engine,
                    model=model,
                    rubric_id=rubric_id,
                    rubric_version=rubric_version,
                    candidate_id=candidate_id,
                    session_id=session_id,
                    actor=actor,
                    detail=detail,
                )
            )

    def entries(self, *, limit: int | None = 500) -> list[AIOutput]:
        """Newest first."""
        query = select(AIOutputRow).order_by(AIOutputRow.id.desc())
        if limit:
            query = query.limit(limit)
        with self.db.session() as s:
            return [
                AIOutput(
                    r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=UTC),
                    r.actor or "",
                    r.kind,
                    r.engine,
                    r.model,
                    f"{r.rubric_id} v{r.rubric_version}",
                    r.candidate_id,
                    r.session_id,
                    dict(r.detail or {}),
                )
                for r in s.scalars(query).all()
            ]

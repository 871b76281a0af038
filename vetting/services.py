"""Composition root: builds every service from settings, once, for the CLI and the UI alike."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from vetting.kernel.settings import Settings

if TYPE_CHECKING:
    from vetting.audit import AuditLog
    from vetting.candidates import CandidateRegistry
    from vetting.db import Database
    from vetting.embeddings import Embedder
    from vetting.ingestion import Ingestor
    from vetting.interviews import InterviewRunner
    from vetting.journal import WriteJournal
    from vetting.llm import StructuredLLM
    from vetting.planning.planner import Planner
    from vetting.scoring.scorer import Scorer
    from vetting.sessions import SessionService
    from vetting.store import VectorStore


class Services:
    """Lazily built services; the embedding model and clients are created on first use and then shared.

    Any dependency given to the constructor is used instead of the one the settings would build (tests share one
    loaded embedding model, an evaluation wraps it, a crash test hands in a store that dies mid-write).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        db: Database | None = None,
        store: VectorStore | None = None,
        embedder: Embedder | None = None,
        chat_model: Any | None = None,
        llm: StructuredLLM | None = None,
        scorer: Scorer | None = None,
    ) -> None:
        self.settings = settings
        self._db, self._store, self._embedder = db, store, embedder
        self._chat_model, self._llm, self._scorer = chat_model, llm, scorer

    @cached_property
    def db(self) -> Database:
        from vetting.db import Database

        return self._db if self._db is not None else Database.from_settings(self.settings)

    @cached_property
    def store(self) -> VectorStore:
        from vetting.store import make_vector_store

        return self._store if self._store is not None else make_vector_store(self.settings)

    @cached_property
    def embedder(self) -> Embedder:
        from vetting.embeddings import make_embedder

        return self._embedder if self._embedder is not None else make_embedder(self.settings)

    @cached_property
    def chat_model(self) -> Any | None:
        from vetting.llm import make_chat_model

        return self._chat_model if self._chat_model is not None else make_chat_model(self.settings)

    @cached_property
    def audit(self) -> AuditLog:
        from vetting.audit import AuditLog

        return AuditLog(self.db)

    @cached_property
    def llm(self) -> StructuredLLM | None:
        """Structured calls to the configured model, redacted and audited; None when running offline."""
        from vetting.llm import StructuredLLM

        if self._llm is not None:
            return self._llm
        return StructuredLLM.from_settings(self.settings, chat_model=self.chat_model, audit=self.audit)

    @cached_property
    def candidates(self) -> CandidateRegistry:
        """The registry; writes a crashed process left half-done are undone first, so no reader ever sees them."""
        from contextlib import suppress

        from vetting.candidates import CandidateRegistry
        from vetting.kernel.errors import StoreBusy
        from vetting.recovery import recover_interrupted_writes

        registry = CandidateRegistry(self.db, self.store, self.settings.data_dir / "files")
        with suppress(StoreBusy):  # another process is writing: the next ingest recovers instead
            recover_interrupted_writes(registry, self.journal)
        return registry

    @cached_property
    def journal(self) -> WriteJournal:
        from vetting.journal import WriteJournal

        return WriteJournal(self.db, self.settings.data_dir / "run")

    @cached_property
    def ingestor(self) -> Ingestor:
        from vetting.ingestion import Ingestor

        return Ingestor(self.settings, self.candidates, self.embedder, self.journal)

    @cached_property
    def sessions(self) -> SessionService:
        from vetting.sessions import SessionService

        return SessionService(self.db)

    @cached_property
    def planner(self) -> Planner:
        from vetting.planning.planner import Planner

        return Planner(self.settings, self.store, self.embedder, self.llm)

    @cached_property
    def scorer(self) -> Scorer:
        """Rubric scoring: the LLM judge when an endpoint is configured, else (or on failure) the offline model."""
        from vetting.scoring.offline import OfflineScorer, scoring_encoder
        from vetting.scoring.scorer import Scorer

        if self._scorer is not None:
            return self._scorer
        return Scorer(OfflineScorer(scoring_encoder(self.settings)), self.llm)

    @cached_property
    def interviews(self) -> InterviewRunner:
        """The live interview steps: plan a stored session, score its answers (the Interview page's engine)."""
        from vetting.interviews import InterviewRunner

        return InterviewRunner(self.settings, self.sessions, self.planner, self.scorer)

"""Composition root: builds every service from settings, once, for the CLI and the UI alike."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from vetting.authz import Actor, operator
from vetting.kernel.settings import Settings

if TYPE_CHECKING:
    from vetting.access import GuardedAudit, GuardedCandidates, GuardedIngestor, GuardedStore
    from vetting.activity import ActivityLog
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
    from vetting.users import UserRegistry


class shared(cached_property[Any]):
    """A cached property that a per-user view takes from the services it was made from (models load once)."""

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        root = getattr(instance, "_root", None)
        if root is not None:
            return getattr(root, self.attrname or "")
        return super().__get__(instance, owner)


class Services:
    """Lazily built services; the embedding model and clients are created on first use and then shared.

    Every service acts as one `Actor`, whose role it checks: `Services(settings)` is the machine's operator (the
    `vet` CLI, full rights); `acting_as(user)` is the same services as a signed-in user of the app sees them. Any
    dependency given to the constructor is used instead of the one the settings would build (tests share one loaded
    embedding model, an evaluation wraps it, a crash test hands in a store that dies mid-write).
    """

    def __init__(
        self,
        settings: Settings,
        actor: Actor | None = None,
        *,
        db: Database | None = None,
        store: VectorStore | None = None,
        embedder: Embedder | None = None,
        chat_model: Any | None = None,
        llm: StructuredLLM | None = None,
        scorer: Scorer | None = None,
    ) -> None:
        self.settings = settings
        self.actor = actor or operator(settings.operator)
        self._root: Services | None = None
        self._db, self._store, self._embedder = db, store, embedder
        self._chat_model, self._llm, self._scorer = chat_model, llm, scorer

    def acting_as(self, actor: Actor) -> Services:
        """These services for another acting user, sharing the database, store and models with this one."""
        scoped = Services(self.settings, actor)
        scoped._root = self._root or self
        return scoped

    @shared
    def db(self) -> Database:
        from vetting.db import Database

        return self._db if self._db is not None else Database.from_settings(self.settings)

    @cached_property
    def store(self) -> GuardedStore:
        """The vector store as the acting user may read it (a candidate's chunks need the right to their documents)."""
        from vetting.access import GuardedStore

        return GuardedStore(self.vector_store, self._access)

    @shared
    def vector_store(self) -> VectorStore:
        from vetting.store import make_vector_store

        return self._store if self._store is not None else make_vector_store(self.settings)

    @shared
    def embedder(self) -> Embedder:
        from vetting.embeddings import make_embedder

        return self._embedder if self._embedder is not None else make_embedder(self.settings)

    @shared
    def chat_model(self) -> Any | None:
        from vetting.llm import make_chat_model

        return self._chat_model if self._chat_model is not None else make_chat_model(self.settings)

    @shared
    def call_log(self) -> AuditLog:
        """The language-model call log itself, written by the LLM seam whoever acts."""
        from vetting.audit import AuditLog

        return AuditLog(self.db)

    @cached_property
    def audit(self) -> GuardedAudit:
        """The language-model call log as the acting user may read it (administrators and reviewers)."""
        from vetting.access import GuardedAudit

        return GuardedAudit(self.call_log, self.actor)

    @cached_property
    def users(self) -> UserRegistry:
        from vetting.users import UserRegistry

        return UserRegistry(self.db, self.actor)

    @cached_property
    def activity(self) -> ActivityLog:
        from vetting.activity import ActivityLog

        return ActivityLog(self.db, self.actor)

    @shared
    def llm(self) -> StructuredLLM | None:
        """Structured calls to the configured model, redacted and audited; None when running offline."""
        from vetting.llm import StructuredLLM

        if self._llm is not None:
            return self._llm
        return StructuredLLM.from_settings(self.settings, chat_model=self.chat_model, audit=self.call_log)

    @cached_property
    def candidates(self) -> GuardedCandidates:
        """The candidates as the acting user may see and change them."""
        from vetting.access import GuardedCandidates

        return GuardedCandidates(self.registry, self._access, self.activity, lambda doc: self.pipeline.extract(doc))

    @cached_property
    def _access(self) -> Any:
        from vetting.access import CandidateAccess

        return CandidateAccess(self.actor, self.sessions)

    @shared
    def registry(self) -> CandidateRegistry:
        """The registry; writes a crashed process left half-done are undone first, so no reader ever sees them."""
        from contextlib import suppress

        from vetting.candidates import CandidateRegistry
        from vetting.erasure import clean_abandoned_uploads
        from vetting.kernel.errors import StoreBusy
        from vetting.recovery import recover_interrupted_writes
        from vetting.store_rebuild import StoreRewriteFailed

        data_dir = self.settings.data_dir
        clean_abandoned_uploads(data_dir)  # a process killed mid-upload leaves its copy: not for long
        registry = CandidateRegistry(self.db, self.vector_store, data_dir / "files", data_dir)
        with suppress(StoreBusy):  # another process is writing: the next ingest recovers instead
            recover_interrupted_writes(registry, self.journal, self._reindexer(registry))
        with suppress(StoreBusy, StoreRewriteFailed):  # logged; the next start-up tries again
            registry.resume_erasure()
        return registry

    def _reindexer(self, registry: CandidateRegistry) -> Callable[[str], object]:
        """How recovery indexes a candidate's documents again (the embedding model loads only when it is called)."""

        def reindex(candidate_id: str) -> object:
            from vetting.ingestion import Ingestor

            return Ingestor(self.settings, registry, self.embedder, self.journal).reindex(candidate_id)

        return reindex

    @shared
    def journal(self) -> WriteJournal:
        from vetting.journal import WriteJournal

        return WriteJournal(self.db, self.settings.data_dir / "run")

    @shared
    def pipeline(self) -> Ingestor:
        from vetting.ingestion import Ingestor

        return Ingestor(self.settings, self.registry, self.embedder, self.journal)

    @cached_property
    def ingestor(self) -> GuardedIngestor:
        """Uploads as the acting user (recruiters and administrators), each recorded under their name."""
        from vetting.access import GuardedIngestor

        return GuardedIngestor(lambda: self.pipeline, self.actor, self.activity)

    @cached_property
    def sessions(self) -> SessionService:
        from vetting.sessions import SessionService

        return SessionService(self.db, self.actor)

    @shared
    def planner(self) -> Planner:
        from vetting.planning.planner import Planner

        return Planner(self.settings, self.vector_store, self.embedder, self.llm)

    @shared
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

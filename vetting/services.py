"""Composition root: builds every service from settings, once, for the CLI and the UI alike."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from vetting.settings import Settings

if TYPE_CHECKING:
    from ingest.pipeline import Ingestor
    from vetting.candidates import CandidateRegistry
    from vetting.db import Database
    from vetting.embeddings import Embedder
    from vetting.sessions import SessionService
    from vetting.store import VectorStore


class Services:
    """Lazily built services; the embedding model and clients are created on first use and then shared."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def db(self) -> Database:
        from vetting.db import Database

        return Database.from_settings(self.settings)

    @cached_property
    def store(self) -> VectorStore:
        from vetting.store import make_vector_store

        return make_vector_store(self.settings)

    @cached_property
    def embedder(self) -> Embedder:
        from vetting.embeddings import make_embedder

        return make_embedder(self.settings)

    @cached_property
    def chat_model(self) -> Any | None:
        from vetting.llm import make_chat_model

        return make_chat_model(self.settings)

    @cached_property
    def candidates(self) -> CandidateRegistry:
        from vetting.candidates import CandidateRegistry

        return CandidateRegistry(self.db, self.store, self.settings.data_dir / "files")

    @cached_property
    def ingestor(self) -> Ingestor:
        from ingest.pipeline import Ingestor

        return Ingestor(self.settings, self.candidates, self.embedder)

    @cached_property
    def sessions(self) -> SessionService:
        from vetting.sessions import SessionService

        return SessionService(self.db)

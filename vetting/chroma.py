"""Opening ChromaDB: the embedded client under the data directory or a server's (used by the store and its rewrite)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vetting.kernel.settings import Settings

# Chroma keeps a collection's vectors only in its SQLite log until `sync_threshold` of them were added, and then every
# process that opens the collection writes new index files from its own uninitialised memory. Persisting on every
# write makes opening a collection read-only, so no process writes freed memory (an erased candidate's text) there.
HNSW_CONFIGURATION = {"space": "cosine", "sync_threshold": 1}


def make_chroma_client(settings: Settings) -> Any:
    """Embedded `PersistentClient` under the data directory, or `HttpClient` when a Chroma server is configured."""
    import chromadb

    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=_chroma_settings())
    return persistent_client(settings.data_dir / "chroma")


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def persistent_client(path: Path, *, settle: bool = True) -> Any:
    """Embedded client on `path`; with `settle`, a store swap that a killed erasure left half-done is finished first."""
    import chromadb

    if settle:
        from vetting.store_rebuild import finish_swap

        finish_swap(path)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def close_embedded(client: Any) -> None:
    """Close this process's embedded client (Chroma's public `close()`): the last one stops the store's system, which
    frees every opened index, and the next client reads what other processes wrote."""
    close = getattr(client, "close", None)
    if callable(close):
        close()

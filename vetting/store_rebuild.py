"""Clean the embedded store's vector segments after an erasure, so that no freed memory of the erased candidate stays.

Chroma's HNSW writer fills the slots a collection's segment files (`<segment>/*.bin`) reserve but do not use with
uninitialised memory of the writing process, which may once have held an erased candidate's text. A segment Chroma
has persisted has those slots zeroed in place (`vetting.erasure.zero_unused_slots`). A store with a segment that
cannot be checked so is rewritten: the collections are read out (ids, embeddings, documents, metadata), written into a
new store by a fresh Python process whose memory never held the erased text, and the new store replaces the old one.
Every step can be re-run: a mark says an erasure's physical steps are owed until they are done, `finish_swap`
completes a swap cut short, and start-up redoes the rest.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from vetting.kernel.errors import VettingError

log = logging.getLogger(__name__)

BUILD_TIMEOUT_S = 1800.0  # a builder still running then is stopped; the old store stays and the rewrite stays owed
_HNSW_KEYS = ("space", "ef_construction", "ef_search", "max_neighbors", "resize_factor", "sync_threshold")
_STEPS = ("export", "building", "next", "old")


class StoreRewriteFailed(VettingError):
    """The erased candidate is gone, but the store could not be rewritten; the next start-up tries again."""


def work_folder(store: Path) -> Path:
    """Where the erasure's mark, a rewrite's export and its new store are kept: in the data directory, by the store."""
    return store.parent / "run" / "store-rebuild"


def owe_purge(store: Path) -> None:
    """Mark that an erasure's physical steps are owed (before it deletes anything)."""
    folder = work_folder(store)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    (folder / "owed").touch()


def purge_owed(store: Path) -> bool:
    """True when an erasure began and its physical steps have not all finished."""
    return (work_folder(store) / "owed").exists()


def purge_done(store: Path) -> None:
    """Clear the mark once every physical step of the erasure is done."""
    (work_folder(store) / "owed").unlink(missing_ok=True)


def finish_swap(store: Path) -> None:
    """Complete a swap cut short between its two renames: the new store when it was built, else the old one back."""
    if store.exists():
        return
    folder = work_folder(store)
    for kept in (folder / "next", folder / "old"):
        if kept.is_dir():
            with contextlib.suppress(OSError):  # another process finished it first
                kept.rename(store)
            return


def _clear(folder: Path) -> None:
    for step in _STEPS:
        shutil.rmtree(folder / step, ignore_errors=True)


def purge_segments(store: Path) -> bool:
    """Leave no freed memory in the store's vector segments (the caller holds the write lock); True when rewritten.

    A segment Chroma has persisted (it has `index_metadata.pickle`) is only read by later processes, so zeroing its
    unused slots is enough. One it has not (a collection made before every write was persisted) is written afresh by
    each process that opens it, and one of an unknown layout cannot be checked: then the whole store is rewritten.
    """
    from vetting.erasure import vector_segment, zero_unused_slots

    finish_swap(store)
    _clear(work_folder(store))
    for collection_id, normalized in _vector_collections(store):
        segment = vector_segment(store, collection_id)
        if segment is None:  # no vector written yet
            continue
        if not (segment / "index_metadata.pickle").is_file() or not zero_unused_slots(segment, normalized=normalized):
            rebuild_store(store)
            return True
    return False


def _vector_collections(store: Path) -> list[tuple[str, bool]]:
    """Each collection's id, and whether its vectors are normalised (cosine space) so that `length.bin` is used."""
    from vetting.chroma import close_embedded, persistent_client

    client = persistent_client(store)
    try:
        return [(str(c.id), _space(c) == "cosine") for c in client.list_collections()]
    finally:
        close_embedded(client)


def _space(collection: Any) -> Any:
    return ((collection.configuration or {}).get("hnsw") or {}).get("space")


def rebuild_store(store: Path) -> dict[str, int]:
    """Rewrite the store from a fresh process and swap it in; the caller holds the store's write lock.

    Returns the number of records of each collection, the same before and after.
    """
    finish_swap(store)
    folder = work_folder(store)
    _clear(folder)
    counts = export_collections(store, folder / "export")
    if counts:  # with no collection left there is no segment file to rewrite: compaction removes the rest
        built = build_in_fresh_process(folder / "export", folder / "building")
        if built != counts:
            raise StoreRewriteFailed(
                "The candidate was erased, but the rewritten document store did not hold every other candidate's "
                "chunks; the old store is kept and the rewrite is tried again at the next start-up."
            )
        (folder / "building").rename(folder / "next")
        store.rename(folder / "old")
        (folder / "next").rename(store)
    _clear(folder)
    return counts


def export_collections(store: Path, export: Path) -> dict[str, int]:
    """Write every collection's records under `export` (a manifest, one array of embeddings each); their counts."""
    from vetting.chroma import close_embedded, persistent_client

    export.mkdir(parents=True, mode=0o700)
    client = persistent_client(store)
    try:
        names = sorted(c.name for c in client.list_collections())
        collections = [client.get_collection(name, embedding_function=None) for name in names]
        manifest = [_export_one(collection, export, i) for i, collection in enumerate(collections)]
    finally:
        close_embedded(client)
    (export / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return {entry["name"]: len(entry["ids"]) for entry in manifest}


def _export_one(collection: Any, export: Path, number: int) -> dict[str, Any]:
    got = collection.get(include=["embeddings", "documents", "metadatas"])
    array = f"{number}.npy"
    np.save(export / array, np.asarray(got["embeddings"], dtype=np.float32))
    hnsw = (collection.configuration or {}).get("hnsw") or {}
    return {
        "name": collection.name,
        "metadata": collection.metadata,
        "hnsw": {key: hnsw[key] for key in _HNSW_KEYS if key in hnsw},
        "ids": list(got["ids"]),
        "documents": got["documents"],
        "metadatas": got["metadatas"],
        "embeddings": array,
    }


def build_in_fresh_process(export: Path, target: Path) -> dict[str, int]:
    """Run `build` in a new Python process (a new memory image, not a fork) and return the counts it wrote."""
    root = str(Path(__file__).resolve().parents[1])
    paths = [root, *([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "ANONYMIZED_TELEMETRY": "False"}
    command = [sys.executable, "-m", "vetting.store_rebuild", str(export), str(target)]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise _failed(f"it took over {BUILD_TIMEOUT_S:g} s") from exc
    if done.returncode != 0:
        log.error("store rewrite failed: %s", done.stderr[-2000:])
        raise _failed(f"exit status {done.returncode}")
    counts: dict[str, int] = json.loads((export / "built.json").read_text(encoding="utf-8"))
    return counts


def _failed(why: str) -> StoreRewriteFailed:
    return StoreRewriteFailed(
        f"The candidate was erased, but rewriting the document store failed ({why}); the old store is kept and the "
        "rewrite is tried again at the next start-up."
    )


def build(export: Path, target: Path) -> dict[str, int]:
    """Create the exported collections in a new store at `target`, in their original order; their counts."""
    from vetting.chroma import HNSW_CONFIGURATION, close_embedded, persistent_client
    from vetting.erasure import vector_segment, zero_unused_slots

    manifest = json.loads((export / "manifest.json").read_text(encoding="utf-8"))
    client = persistent_client(target, settle=False)
    try:
        batch = int(client.get_max_batch_size())
        counts = {}
        for entry in manifest:
            hnsw = {**entry["hnsw"], "sync_threshold": HNSW_CONFIGURATION["sync_threshold"]}
            collection = client.create_collection(
                entry["name"], configuration={"hnsw": hnsw}, metadata=entry["metadata"], embedding_function=None
            )
            embeddings = np.load(export / entry["embeddings"])
            for start in range(0, len(entry["ids"]), batch):
                part = slice(start, start + batch)
                collection.add(
                    ids=entry["ids"][part],
                    embeddings=embeddings[part],
                    documents=_column(entry["documents"], part),
                    metadatas=_column(entry["metadatas"], part),
                )
            counts[entry["name"]] = int(collection.count())
            segment = vector_segment(target, str(collection.id))
            if segment is not None:
                zero_unused_slots(segment, normalized=hnsw.get("space", "l2") == "cosine")
    finally:
        close_embedded(client)
    (export / "built.json").write_text(json.dumps(counts), encoding="utf-8")
    return counts


def _column(values: list[Any] | None, part: slice) -> list[Any] | None:
    """A slice of a column, or None when the collection has no such values."""
    if values is None or all(v is None for v in values[part]):
        return None
    return values[part]


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))

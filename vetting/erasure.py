"""Physical erasure: what a logical delete leaves on disk (free pages, logs, orphan folders, temporary uploads) goes."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import Engine

from vetting.hnsw_files import read_header

log = logging.getLogger(__name__)

_SEGMENT_FOLDER = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_UPLOADS = Path("run") / "uploads"


def _compact_sqlite(connection: sqlite3.Connection) -> None:
    """Zero freed cells, rebuild the file without free pages, and empty a write-ahead log."""
    connection.execute("PRAGMA secure_delete=ON")
    connection.execute("VACUUM")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def compact_chroma_folder(folder: Path, timeout_s: float = 60.0) -> list[Path]:
    """Compact the embedded Chroma store once its own client has let go; returns the orphan segment folders removed.

    Chroma's full-text index keeps deleted rows in older index segments until they are merged ('optimize'), its
    SQLite file keeps deleted pages until a VACUUM, and a dropped collection's vector-segment folder can stay behind.
    """
    database = folder / "chroma.sqlite3"
    if not database.exists():
        return []
    connection = sqlite3.connect(database, timeout=timeout_s, isolation_level=None)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "embedding_fulltext_search" in tables:
            connection.execute("INSERT INTO embedding_fulltext_search(embedding_fulltext_search) VALUES('optimize')")
        segments = {row[0] for row in connection.execute("SELECT id FROM segments")} if "segments" in tables else set()
        _compact_sqlite(connection)
    finally:
        connection.close()
    removed = []
    for child in folder.iterdir():
        if child.is_dir() and _SEGMENT_FOLDER.match(child.name) and child.name not in segments:
            shutil.rmtree(child, ignore_errors=True)
            removed.append(child)
    return removed


def _query_one(store: Path, sql: str, value: str) -> tuple[object, ...] | None:
    """One row of the embedded store's own database, read without Chroma.

    Read-only where that works; a database a killed writer left with a write-ahead log to replay needs a writable
    connection to be read at all (only SELECT is run on it).
    """
    database = store / "chroma.sqlite3"
    try:
        return _select_one(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=60.0), sql, value)
    except sqlite3.OperationalError:
        return _select_one(sqlite3.connect(database, timeout=60.0), sql, value)


def _select_one(connection: sqlite3.Connection, sql: str, value: str) -> tuple[object, ...] | None:
    try:
        row: tuple[object, ...] | None = connection.execute(sql, (value,)).fetchone()
        return row
    finally:
        connection.close()


def vector_segment(store: Path, collection_id: str) -> Path | None:
    """The folder of a collection's vector segment in the embedded store, or None when it has none yet."""
    row = _query_one(store, "SELECT id FROM segments WHERE collection = ? AND scope = 'VECTOR'", collection_id)
    folder = store / str(row[0]) if row else None
    return folder if folder is not None and folder.is_dir() else None


def collection_segment(store: Path, name: str) -> Path | None:
    """The folder of the named collection's vector segment in the embedded store, or None (no such collection yet)."""
    if not (store / "chroma.sqlite3").is_file():
        return None
    row = _query_one(store, "SELECT id FROM collections WHERE name = ?", name)
    return vector_segment(store, str(row[0])) if row else None


def zero_unused_slots(segment: Path, *, normalized: bool = True) -> bool:
    """Zero the slots an HNSW segment has allocated but not used: Chroma writes them from uninitialised memory.

    In hnswlib's persisted layout `data_level0.bin` and `length.bin` hold fixed-size slots of which the first
    `cur_element_count` are in use (hnswlib zeroes a slot itself before using it); `length.bin` is used only when
    vectors are normalised (cosine). Returns False, changing nothing, for files not of that layout.
    """
    try:
        h = read_header(segment)
        used = h.used
        plan = [(segment / "data_level0.bin", used * h.slot), (segment / "length.bin", used * 4 if normalized else 0)]
        if h.version != 1 or used > h.capacity or any(p.stat().st_size < keep for p, keep in plan):
            return False
        for path, keep in plan:
            with open(path, "r+b") as handle:
                handle.seek(keep)
                if any(handle.read()):
                    handle.seek(keep)
                    handle.write(bytes(path.stat().st_size - keep))
    except (OSError, struct.error):
        return False
    return True


def zero_unused_slots_of(store: Path, collection_id: str) -> None:
    """Zero the unused slots of a collection's vector segment after a write (a no-op before its first vector)."""
    segment = vector_segment(store, collection_id)
    if segment is not None and not zero_unused_slots(segment):
        log.warning("vector segment %s is not of the expected layout: its unused slots were left", segment.name)


def compact_database(engine: Engine) -> bool:
    """Compact the application's SQLite database after an erasure; False for a server database (see the README)."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return False
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        previous = raw.isolation_level
        raw.isolation_level = None  # VACUUM runs outside a transaction
        try:
            _compact_sqlite(raw)  # type: ignore[arg-type]
        finally:
            raw.isolation_level = previous
    return True


def uploads_root(data_dir: Path) -> Path:
    """Where uploads wait while they are ingested: inside the data directory, so erasure and start-up can clean it."""
    root = data_dir / _UPLOADS
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


@contextlib.contextmanager
def upload_folder(data_dir: Path) -> Iterator[Path]:
    """A private folder for one upload, named after this process so a crash leaves it to `clean_abandoned_uploads`."""
    with tempfile.TemporaryDirectory(prefix=f"{os.getpid()}-", dir=uploads_root(data_dir)) as folder:
        yield Path(folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_abandoned_uploads(data_dir: Path) -> list[Path]:
    """Remove upload folders whose process is gone (killed mid-upload); returns what was removed."""
    root = data_dir / _UPLOADS
    if not root.is_dir():
        return []
    removed = []
    for child in root.iterdir():
        pid = child.name.split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or not _alive(int(pid)):
            shutil.rmtree(child, ignore_errors=True) if child.is_dir() else child.unlink(missing_ok=True)
            removed.append(child)
    return removed


def remove_reports_naming(reports: Path, needles: Iterable[str]) -> list[Path]:
    """Remove every report folder under `reports` with a file that names the candidate (name or id, any case)."""
    if not reports.is_dir():
        return []
    wanted = [n.casefold() for n in needles if n]
    removed = []
    for folder in sorted(p for p in reports.iterdir() if p.is_dir()):
        for file in folder.rglob("*"):
            text = file.read_bytes().decode("utf-8", "replace").casefold() if file.is_file() else ""
            if any(w in text for w in wanted):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
                break
    return removed


def encodings_of(text: str) -> list[bytes]:
    """The byte forms a string can take on disk: UTF-8, UTF-16 (both orders), JSON \\u escapes; as is, lower, upper."""
    forms: set[bytes] = set()
    for variant in {text, text.lower(), text.casefold(), text.upper()}:
        forms |= {variant.encode("utf-8"), variant.encode("utf-16-le"), variant.encode("utf-16-be")}
        forms.add(variant.encode("ascii", "backslashreplace").replace(b"\\x", b"\\u00"))
    return sorted(forms)


def find_bytes(roots: Iterable[Path], needles: Iterable[str]) -> list[tuple[Path, str]]:
    """Every (file, needle) where a needle appears in any of its encodings in the raw bytes of a file under `roots`."""
    forms = [(needle, form) for needle in needles for form in encodings_of(needle)]
    found = []
    for root in roots:
        for file in (p for p in Path(root).rglob("*") if p.is_file()):
            with contextlib.suppress(OSError):
                data = file.read_bytes()
                lowered = data.lower()
                found += [(file, n) for n in {n for n, f in forms if f in data or f.lower() in lowered}]
    return found

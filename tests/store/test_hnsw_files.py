"""The vector-segment check reads hnswlib's files as Chroma persists them, and finds every way a kill can cut them."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vetting.chroma import HNSW_CONFIGURATION, close_embedded, persistent_client
from vetting.erasure import collection_segment
from vetting.hnsw_files import is_sound, read_header


@pytest.fixture(scope="module")
def segment(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real segment: 1,800 vectors over several HNSW levels, some deleted."""
    store = tmp_path_factory.mktemp("store") / "chroma"
    client = persistent_client(store)
    try:
        collection = client.get_or_create_collection("candidate_x", configuration={"hnsw": dict(HNSW_CONFIGURATION)})
        rng = np.random.default_rng(7)
        for batch in range(6):
            collection.add(ids=[f"{batch}-{i}" for i in range(300)], embeddings=rng.random((300, 384)).tolist())
        collection.delete(ids=[f"0-{i}" for i in range(100)])
    finally:
        close_embedded(client)
    found = collection_segment(store, "candidate_x")
    assert found is not None
    return found


def _copy(segment: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(segment, tmp_path / "copy"))


def test_a_whole_segment_is_sound(segment: Path) -> None:
    header = read_header(segment)
    assert header.used == 1800 and header.max_level >= 1  # the upper levels' link lists are read too
    assert is_sound(segment)


def test_a_folder_before_its_first_vector_is_sound(tmp_path: Path) -> None:
    assert is_sound(tmp_path)


@pytest.mark.parametrize("name", ["header.bin", "data_level0.bin", "length.bin", "link_lists.bin"])
def test_any_file_cut_short_is_found(segment: Path, tmp_path: Path, name: str) -> None:
    copy = _copy(segment, tmp_path)
    with open(copy / name, "r+b") as handle:
        handle.truncate((copy / name).stat().st_size * 2 // 3)
    assert not is_sound(copy)


def test_a_missing_file_is_found(segment: Path, tmp_path: Path) -> None:
    copy = _copy(segment, tmp_path)
    (copy / "link_lists.bin").unlink()
    assert not is_sound(copy)


@pytest.mark.parametrize("where", ["level0-link", "level0-count", "upper-size"])
def test_links_out_of_range_are_found(segment: Path, tmp_path: Path, where: str) -> None:
    """Files of the right size can still hold a half-written slot: a link past the last element, too many links."""
    copy = _copy(segment, tmp_path)
    header = read_header(copy)
    name, offset, value = {
        "level0-link": ("data_level0.bin", header.slot * 5 + header.offset_level0 + 4, 10**6),
        "level0-count": ("data_level0.bin", header.slot * 5 + header.offset_level0, header.max_m0 + 1),
        "upper-size": ("link_lists.bin", 0, 7),
    }[where]
    data = bytearray((copy / name).read_bytes())
    data[offset : offset + 4] = value.to_bytes(4, "little")
    (copy / name).write_bytes(bytes(data))
    assert not is_sound(copy)


def test_the_segment_is_found_in_a_store_a_killed_writer_left_mid_transaction(tmp_path: Path) -> None:
    """A writer killed inside a transaction of the store's own database leaves a hot journal, which a read-only
    connection cannot replay ("attempt to write a readonly database"): recovery must still find the segment."""
    store = tmp_path / "chroma"
    client = persistent_client(store)
    try:
        collection = client.get_or_create_collection("candidate_y", configuration={"hnsw": dict(HNSW_CONFIGURATION)})
        collection.add(ids=["a"], embeddings=[[0.5] * 384])
    finally:
        close_embedded(client)
    killed = (
        "import os, signal, sqlite3, sys\n"
        "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "db.execute('PRAGMA cache_size=1')\n"
        "db.execute('BEGIN IMMEDIATE')\n"
        "db.execute('CREATE TABLE filler(x)')\n"
        "for _ in range(500): db.execute('INSERT INTO filler VALUES (randomblob(4000))')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", killed, str(store / "chroma.sqlite3")], check=False, timeout=60)
    assert done.returncode == -signal.SIGKILL and (store / "chroma.sqlite3-journal").exists()
    with pytest.raises(sqlite3.OperationalError):  # the state this test is about
        read_only = sqlite3.connect(f"{(store / 'chroma.sqlite3').as_uri()}?mode=ro", uri=True)
        read_only.execute("SELECT name FROM collections").fetchall()
    segment = collection_segment(store, "candidate_y")
    assert segment is not None and is_sound(segment)

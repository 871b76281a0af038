"""The vector-segment check reads hnswlib's files as Chroma persists them, and finds every way a kill can cut them."""

from __future__ import annotations

import shutil
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

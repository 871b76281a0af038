"""The files of an embedded Chroma collection's vector segment (hnswlib's persisted layout), read without Chroma.

A writer killed while Chroma persists a segment can leave its files cut short or inconsistent. Chroma then fails on
every later write to that collection ("Failed to apply logs to the hnsw segment writer"), and may crash the process
outright, so damage must be found before Chroma opens the segment: `is_sound` checks the layout from the files alone.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# hnswlib's persisted header (version 1): version, offsetLevel0, max_elements, cur_element_count, slot size,
# label offset, data offset, max level, entry point, maxM, maxM0, M, mult, ef_construction.
HEADER = struct.Struct("<iQQQQQQiIQQQdQ")


@dataclass(frozen=True)
class Header:
    version: int
    offset_level0: int
    capacity: int
    used: int
    slot: int
    max_level: int
    entry_point: int
    max_m: int
    max_m0: int


def read_header(segment: Path) -> Header:
    """The segment's header; `struct.error` or `OSError` when it cannot be read."""
    v, off0, capacity, used, slot, _, _, level, entry, max_m, max_m0, _, _, _ = HEADER.unpack_from(
        (segment / "header.bin").read_bytes()
    )
    return Header(v, off0, capacity, used, slot, level, entry, max_m, max_m0)


def is_sound(segment: Path, *, normalized: bool = True) -> bool:
    """Whether the segment's files hold a whole, self-consistent index: sizes, link counts and every link in range.

    A folder without a header yet (no vector persisted) is sound. Anything else that cannot be read is not.
    """
    if not (segment / "header.bin").exists():
        return True
    try:
        h = read_header(segment)
        if h.version != 1 or h.used > h.capacity or h.max_m0 == 0 or h.offset_level0 + 4 + 4 * h.max_m0 > h.slot:
            return False
        if h.used and (h.entry_point >= h.used or h.max_level < 0):
            return False
        level0 = np.fromfile(segment / "data_level0.bin", dtype=np.uint8)
        if level0.size < h.used * h.slot or h.slot % 4:
            return False
        if normalized and (segment / "length.bin").stat().st_size < h.used * 4:
            return False
        slots = level0[: h.used * h.slot].reshape(h.used, h.slot)[:, h.offset_level0 :].copy().view("<u4")
        counts = slots[:, 0] & 0xFFFF
        if np.any(counts > h.max_m0):
            return False
        links = slots[:, 1 : 1 + h.max_m0]
        if np.any(links[np.arange(h.max_m0)[None, :] < counts[:, None]] >= h.used):
            return False
        return _upper_levels_sound(segment / "link_lists.bin", h)
    except (OSError, ValueError, struct.error):
        return False


def _upper_levels_sound(path: Path, h: Header) -> bool:
    """`link_lists.bin`: per element a byte size, then that many bytes of upper-level link lists, links in range."""
    data = path.read_bytes()
    per_level = 4 + 4 * h.max_m
    at = 0
    for _ in range(h.used):
        if at + 4 > len(data):
            return False
        (size,) = struct.unpack_from("<I", data, at)
        at += 4
        if size % per_level or at + size > len(data) or size // per_level > max(h.max_level, 0):
            return False
        if size:
            block = np.frombuffer(data, dtype="<u4", count=size // 4, offset=at).reshape(-1, 1 + h.max_m)
            counts = block[:, 0] & 0xFFFF
            if np.any(counts > h.max_m):
                return False
            if np.any(block[:, 1:][np.arange(h.max_m)[None, :] < counts[:, None]] >= h.used):
                return False
        at += size
    return at == len(data)

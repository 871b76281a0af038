"""Touches many candidates' indexes in one embedded store and prints how much resident memory grew (in MB)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from vetting.kernel.domain import Chunk
from vetting.kernel.settings import Settings
from vetting.store import make_vector_store


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024


def main(data_dir: str, candidates: int) -> None:
    store = make_vector_store(Settings(_env_file=None, data_dir=Path(data_dir)))  # type: ignore[call-arg]
    rng = np.random.default_rng(3)
    before = rss_mb()
    for n in range(candidates):
        cid = f"many{n:06d}"
        vectors = rng.standard_normal((8, 384)).astype(np.float32)
        chunks = [Chunk(f"{cid}-{j}", cid, "d1", "notes.md", f"note {j} of {cid}", j) for j in range(8)]
        store.for_candidate(cid).add(chunks, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    print(rss_mb() - before)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

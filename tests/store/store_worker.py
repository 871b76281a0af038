"""A second process for the concurrency tests: writes to, or holds, the store of a data directory.

python -m tests.store.store_worker DATA_DIR upsert CANDIDATE_ID ROUNDS SEED   many small writes, then "done"
python -m tests.store.store_worker DATA_DIR hold SECONDS                      holds the write lock, prints "held"
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from vetting.kernel.domain import Chunk
from vetting.kernel.settings import Settings
from vetting.store import make_vector_store


def main(argv: list[str]) -> None:
    data_dir, mode, *rest = argv
    settings = Settings(_env_file=None, data_dir=Path(data_dir))  # type: ignore[call-arg]
    store = make_vector_store(settings)
    if mode == "hold":
        with store.writing():
            print("held", flush=True)
            time.sleep(float(rest[0]))
            releasing = time.time()  # the lock is still held at this instant
        print(f"released {releasing}", flush=True)
        return
    candidate_id, rounds, seed = rest[0], int(rest[1]), int(rest[2])
    rng = np.random.default_rng(seed)
    index = store.for_candidate(candidate_id)
    for r in range(rounds):
        chunks = [
            Chunk(f"{seed}-{r}-{j}", candidate_id, f"doc{seed}", "notes.md", f"round {r} chunk {j}", j, None, None)
            for j in range(20)
        ]
        vectors = rng.standard_normal((20, 384)).astype(np.float32)
        index.add(chunks, vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
        index.count()  # interleave reads with the other process's writes
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

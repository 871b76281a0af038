"""Erasure benchmark: a physical erasure (compacted store and database) against the logical delete, in the same run.

Run with `python -m bench.erasure [--candidates N]`. Candidates get one generated document each and a deterministic
stand-in embedder (the cost measured is the store and database work, not the model); alternate erasures are logical
and physical, and the medians and their ratio are printed, then one rewrite of the remaining store from a fresh
process (what an erasure does to a store of an earlier layout).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tests.store.crash_worker import HashEmbedder
from vetting.kernel.settings import Settings
from vetting.services import Services
from vetting.store_rebuild import rebuild_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=24)
    args = parser.parse_args()
    body = "\n".join(
        f"- Built service {i} with queues, caches, retries and careful latency monitoring." for i in range(80)
    )
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Settings(_env_file=None, data_dir=Path(tmp) / "data"), embedder=HashEmbedder())
        ids = []
        for n in range(args.candidates):
            source = Path(tmp) / f"c{n}.md"
            source.write_text(f"Person Number{n}\n\n{body}\n", encoding="utf-8")
            ids.append(services.pipeline.ingest([source], f"Person Number{n}", new_person=True).candidate.id)
        timings: dict[bool, list[float]] = {False: [], True: []}
        for i, candidate_id in enumerate(ids[: max(2, args.candidates // 2)]):
            started = time.perf_counter()
            services.registry.erase(candidate_id, by="id", physical=i % 2 == 1)
            timings[i % 2 == 1].append(time.perf_counter() - started)
        store = services.vector_store
        assert store.path is not None
        started = time.perf_counter()
        with store.writing():
            store._reopen()
            rebuild_store(store.path)  # what an erasure does to a store of an earlier layout
        rewrite = time.perf_counter() - started
        left = len(store.candidate_collections())
    logical, physical = statistics.median(timings[False]), statistics.median(timings[True])
    print(
        f"erasure over {args.candidates} candidates: logical median {logical * 1000:.0f} ms, "
        f"physical median {physical * 1000:.0f} ms, ratio {physical / logical:.1f}x; rewrite of the store from a "
        f"fresh process ({left} candidates left) {rewrite * 1000:.0f} ms, ratio {rewrite / logical:.1f}x"
    )


if __name__ == "__main__":
    main()

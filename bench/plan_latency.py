"""Plan latency benchmark: `vet plan` on real CVs against a bare retrieval of the same criteria, in the same run.

Run with `python -m bench.plan_latency [--repeat N]`. The baseline embeds the rubric's criterion queries and asks the
candidate's index for their nearest chunks, which is the least any grounded plan must do. Prints median milliseconds
and the ratio plan / baseline for a cold plan (criterion vectors not yet cached) and a warm one (cached, as in a
long-running app).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from cases import get_case
from rubrics import get_rubric
from vetting.kernel.settings import Settings
from vetting.planning import retrieval
from vetting.services import Services

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CVS = [
    "resumematcher_harvey_dent_mle.pdf",
    "openresume_openresume.pdf",
    "sb2nov_sourabh_bajaj_resume.pdf",
    "awesomecv_resume.pdf",
    "deedy_resume_macfonts.pdf",
    "resumematcher_template_modern-two-column.pdf",
]
CASE = "rag-customer-support"


def _median_ms(runs: int, action: Callable[[], object], before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(repeat: int) -> dict[str, float]:
    files = [SHARED / "resumes" / "pdf" / name for name in CVS]
    if not all(f.is_file() for f in files):
        sys.exit(f"No corpus found under {SHARED}: this benchmark needs ../shared/data beside the checkout.")
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Settings(_env_file=None, data_dir=Path(tmp)))  # type: ignore[call-arg]
        people = [services.ingestor.ingest([f], f.stem).candidate for f in files]
        embedder, planner = services.embedder, services.planner
        rubric = get_rubric(services.settings, get_case(services.settings, CASE).rubric)
        queries = [retrieval.criterion_query(c) for c in rubric.criteria]
        embedder.embed(["warm-up sentence for the model"] * 8)
        cold, warm, bare, deep = [], [], [], 0
        for person in people:
            index = services.store.for_candidate(person.id)
            bare.append(_median_ms(repeat, lambda index=index: index.query_many(embedder.embed(queries), k=20)))
            cold.append(_median_ms(repeat, lambda p=person: planner.plan(p, CASE), before=planner.queries.clear))
            warm.append(_median_ms(repeat, lambda p=person: planner.plan(p, CASE)))
            deep += len(planner.plan(person, CASE).deep_dives)
        b, c, w = statistics.median(bare), statistics.median(cold), statistics.median(warm)
        return {"cvs": len(people), "deep_dives": deep, "bare_ms": b, "cold_ms": c, "warm_ms": w}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per CV; the median is reported")
    r = run(parser.parse_args().repeat)
    print(f"{r['cvs']:.0f} CVs, {r['deep_dives']:.0f} deep dives in total (case {CASE})")
    print(f"baseline (embed criteria + nearest chunks): {r['bare_ms']:.0f} ms")
    print(f"plan, cold (criteria embedded):             {r['cold_ms']:.0f} ms  ratio {r['cold_ms'] / r['bare_ms']:.2f}")
    print(f"plan, warm (criteria cached):               {r['warm_ms']:.0f} ms  ratio {r['warm_ms'] / r['bare_ms']:.2f}")


if __name__ == "__main__":
    main()

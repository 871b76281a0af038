"""App speed: cold start and warm reruns of every page (AppTest), against a trivial Streamlit script in the same run.

Run with `python -m bench.app_rerun [--reruns N]`. Prints, per page, the median warm rerun in ms and its ratio to the
trivial script's rerun, and the cold start (a fresh process: imports, first page) against a fresh trivial script.
Targets: warm rerun < 300 ms (no model reload, no re-embedding), cold start < 10 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parents[1]
PAGES = ("candidates", "interview", "scorecards")
CV = """# Ada Lovelace

## Experience

- Built a retrieval pipeline over 8,000 support articles with hybrid BM25 and dense search, cutting search time by 30%.
- Designed an evaluation set of 400 real tickets to measure recall@5 before every release.
- Led the migration of scanned PDFs to a layout-aware parser and added product and version metadata to every chunk.
"""
ANSWER = "I would audit a sample of the articles for duplicates and stale versions first, and keep source metadata."
TRIVIAL = "import streamlit as st\nst.title('baseline')\nst.write('a trivial page')\n"
COLD = textwrap.dedent(
    """
    import sys, time
    start = time.perf_counter()
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(sys.argv[1], default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    print(time.perf_counter() - start)
    """
)


def seed(data_dir: Path) -> str:
    """One ingested candidate and one planned, answered, scored session; returns the session id."""
    from vetting.kernel.settings import Settings
    from vetting.services import Services

    services = Services(Settings(_env_file=None, data_dir=data_dir))
    source = data_dir.parent / "ada.md"
    source.write_text(CV, encoding="utf-8")
    candidate = services.ingestor.ingest([source], "Ada Lovelace").candidate
    runner = services.interviews
    session_id = services.sessions.create(candidate.id, "rag-customer-support", "rag-case-study", "1.0", "Grace")
    runner.plan(session_id)
    question = services.sessions.get(session_id).questions[0]
    services.sessions.save_answer(question.id, text=ANSWER, notes="", expected_version=question.answer_version)
    runner.score(session_id, question.id)
    services.sessions.set_interviewer_score(question.id, question.criterion_id or "data-quality", 3, "solid")
    return session_id


def warm_reruns(script: Path, reruns: int, page: str | None = None, **query: str) -> list[float]:
    """Rerun times (s) of one page after a first run has warmed every cache."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(script), default_timeout=120)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(f"ui/pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    times = []
    for _ in range(reruns):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    assert not at.exception, [e.value for e in at.exception]
    return times


def cold_start(script: Path, env: dict[str, str]) -> float:
    """A fresh interpreter: import Streamlit and the app, draw the first page."""
    out = subprocess.run(
        [sys.executable, "-c", COLD, str(script)], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    from streamlit.logger import set_log_level

    set_log_level("error")  # AppTest's bare-mode warnings are noise here
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reruns", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        os.environ["VETTING_DATA_DIR"] = str(data_dir)
        env = dict(os.environ)
        trivial = Path(tmp) / "trivial.py"
        trivial.write_text(TRIVIAL, encoding="utf-8")
        base_cold = cold_start(trivial, env)
        app_cold = cold_start(REPO / "app.py", env)
        session_id = seed(data_dir)
        base = statistics.median(warm_reruns(trivial, args.reruns))
        print(f"baseline: trivial script rerun {base * 1000:.1f} ms, cold start {base_cold:.2f} s")
        print(f"cold start (fresh process, first page): {app_cold:.2f} s  = {app_cold / base_cold:.1f}x baseline")
        from vetting.embeddings import _cache

        models_before = {id(m) for m in _cache.values()}
        for page in PAGES:
            times = warm_reruns(REPO / "app.py", args.reruns, page, session=session_id)
            median, worst = statistics.median(times), max(times)
            print(
                f"{page:<11} warm rerun median {median * 1000:6.1f} ms (max {worst * 1000:6.1f} ms)"
                f"  = {median / base:5.1f}x baseline"
            )
        reloaded = {id(m) for m in _cache.values()} != models_before
        print(f"embedding model reloaded during reruns: {'yes' if reloaded else 'no'}")


if __name__ == "__main__":
    main()

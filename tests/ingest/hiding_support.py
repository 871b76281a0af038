"""Shared checks of the attack corpus: a trick's file ingested for a fresh candidate, its chunks, flags and plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from eval.hiding import Trick
from vetting.kernel.domain import Flag
from vetting.kernel.settings import Settings

CASE = "rag-customer-support"
Outcome = tuple[list[Any], list[str], tuple[Flag, ...]]  # plan signature, chunk texts, flags
Planner = Callable[[bytes, str], Outcome]


def make_planner(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Planner:
    """Ingest one file for a fresh candidate through the real pipeline and plan the case."""
    from eval.plans import plan_signature
    from tests.planning.conftest import make_services

    def run(data: bytes, filename: str) -> Outcome:
        folder = tmp_path_factory.mktemp("plan")
        services = make_services(Settings(_env_file=None, data_dir=folder / "data"), embedder)  # type: ignore[call-arg]
        path = folder / filename
        path.write_bytes(data)
        report = services.ingestor.ingest([path], "Ada Example")
        assert [d.status for d in report.documents] == ["ingested"], [d.error for d in report.documents]
        chunks = [c.text for c in services.store.for_candidate(report.candidate.id).chunks()]
        return plan_signature(services.planner.plan(report.candidate, CASE)), chunks, report.documents[0].flags

    return run


def check_trick(trick: Trick, planner: Planner, clean: dict[str, list[Any]]) -> None:
    """Flagged with its kind, the hidden text in no chunk, and the plan the same as the clean file's."""
    assert trick.clean is not None
    signature, chunks, flags = planner(trick.make(), f"cv.{trick.fmt}")
    assert trick.flag in [f.kind for f in flags], flags
    assert chunks and not any(trick.hidden in c for c in chunks)
    if trick.clean.__qualname__ not in clean:
        clean[trick.clean.__qualname__] = planner(trick.clean(), f"cv.{trick.fmt}")[0]
    assert signature == clean[trick.clean.__qualname__]


def check_control(trick: Trick, planner: Planner) -> None:
    """A visible look-alike: no flag, and its text reaches the chunks."""
    _, chunks, flags = planner(trick.make(), f"cv.{trick.fmt}")
    assert flags == ()
    assert any(trick.hidden in " ".join(c.split()) for c in chunks)

"""Markdown hidden from a reader (comments, reference comments, hidden HTML): flagged, removed, plan unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eval.hiding import Trick
from eval.hiding.markdown import CLAIM, HIDDEN, MD_TRICKS
from ingest.loaders import load_document
from ingest.markup import strip_hidden_markup
from tests.ingest.hiding_support import Planner, check_control, check_trick, make_planner
from vetting.kernel.settings import Settings

TRICKS = [t for t in MD_TRICKS if not t.control]
CONTROLS = [t for t in MD_TRICKS if t.control]


def test_the_corpus_covers_the_issue_and_has_controls() -> None:
    names = {t.name for t in TRICKS}
    assert {"md-html-comment", "md-reference-comment", "md-span-display-none"} <= names
    assert len(TRICKS) >= 12 and len(CONTROLS) >= 5


@pytest.mark.parametrize("trick", TRICKS, ids=lambda t: t.name)
def test_each_trick_is_flagged_with_its_rule_and_removed(trick: Trick, tmp_path: Path, settings: Settings) -> None:
    assert HIDDEN in trick.make().decode()
    path = tmp_path / trick.filename
    path.write_bytes(trick.make())
    document = load_document(path, settings)
    assert [f.kind for f in document.flags] == [trick.flag]
    assert HIDDEN in document.flags[0].text and document.flags[0].rule
    assert HIDDEN not in document.text
    assert "Designed the PostgreSQL sharding scheme" in document.text  # what follows the hidden part survives


@pytest.mark.parametrize("trick", CONTROLS, ids=lambda t: t.name)
def test_visible_look_alikes_are_not_flagged(trick: Trick, tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / trick.filename
    path.write_bytes(trick.make())
    document = load_document(path, settings)
    assert document.flags == ()
    assert CLAIM in document.text


def test_plain_reference_links_stay_and_only_worded_definitions_are_flagged() -> None:
    text = "See [the repo][gh].\n\n[gh]: https://example.org/repo\n[unused]: https://example.org/other\n"
    cleaned, flags = strip_hidden_markup(text)
    assert "[gh]: https://example.org/repo" in cleaned and "[unused]" not in cleaned
    assert flags == []


def test_hidden_html_in_a_json_resume_is_cut_too(tmp_path: Path, settings: Settings) -> None:
    import json

    resume = {"basics": {"name": "Ada Example", "summary": f'Engineer.<span style="display:none">{CLAIM}</span>'},
              "work": [{"name": "Northwind", "highlights": ["Led the billing migration."]}]}  # fmt: skip
    path = tmp_path / "cv.json"
    path.write_text(json.dumps(resume), encoding="utf-8")
    document = load_document(path, settings)
    assert [f.kind for f in document.flags] == ["invisible_text"]
    assert HIDDEN not in document.text and "Led the billing migration." in document.text


def test_a_long_markdown_file_is_stripped_in_linear_time() -> None:
    import time

    text = ("- line with <b>bold</b> and a [ref][r]\n" * 20000) + "[r]: https://example.org\n"
    started = time.perf_counter()
    cleaned, flags = strip_hidden_markup(text)
    assert time.perf_counter() - started < 5 and flags == [] and cleaned == text


@pytest.fixture(scope="module")
def planner(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Planner:
    return make_planner(tmp_path_factory, embedder)


@pytest.fixture(scope="module")
def clean_plans() -> dict[str, list[Any]]:
    return {}


@pytest.mark.slow
@pytest.mark.parametrize("trick", TRICKS, ids=lambda t: t.name)
def test_no_chunk_holds_the_claim_and_the_plan_is_the_clean_files(
    trick: Trick, planner: Planner, clean_plans: dict[str, list[Any]]
) -> None:
    check_trick(trick, planner, clean_plans)


@pytest.mark.slow
@pytest.mark.parametrize("trick", CONTROLS[:2], ids=lambda t: t.name)
def test_visible_controls_reach_the_chunks_unflagged(trick: Trick, planner: Planner) -> None:
    check_control(trick, planner)

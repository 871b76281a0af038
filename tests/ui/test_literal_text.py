"""Every page shows names, filenames, quotes, questions, answers, notes and comments as text, never as Markdown/HTML."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.ui.conftest import assert_no_exception, signed_in_app
from tests.ui.hostile import payloads, raw_markup, raw_tags, seed_hostile
from ui import components, state
from vetting.literal import escape_markdown

URL = "http://127.0.0.1:9"
# Elements whose text Streamlit never reads as Markdown: plain text, code, tables, charts (SVG text), input values
# and option lists.
PLAIN = {
    "text",
    "code",
    "arrow_data_frame",
    "dataframe",
    "text_area",
    "text_input",
    "selectbox",
    "multiselect",
    "json",
    "vega_lite_chart",
}


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    for child in children.values() if isinstance(children, dict) else children or []:
        yield from _walk(child)


def _markup_shown(at: Any) -> list[tuple[str, str]]:
    found = []
    for root in (at.main, at.sidebar):
        for node in _walk(root):
            proto = getattr(node, "proto", None)
            if proto is None or getattr(node, "type", "") in PLAIN:
                continue
            kind = str(getattr(node, "type", "?"))
            check = raw_tags if kind == "html" else raw_markup  # st.html is not read as Markdown
            found += [(kind, m) for m in check(str(proto))]
    return found


@pytest.mark.slow
def test_no_page_renders_hostile_text_as_markup(data_dir: Path) -> None:
    candidate, session = seed_hostile(data_dir, URL)
    at = signed_in_app("admin")
    pages = [
        "interview",
        "candidates",
        "documents",
        "interview",
        "scorecards",
        "ai_calls",
        "reports",
        "activity",
        "users",
    ]
    seen: list[str] = []
    for page in pages:
        path = REPO / "ui" / "pages" / f"{page}.py"
        if not path.exists():
            continue
        at.session_state[state.SELECTED_CANDIDATE] = candidate
        if seen:  # the first visit, to the Interview page without a session, shows the list of sessions to resume
            at.query_params[state.QUERY_SESSION] = session
        at.switch_page(f"ui/pages/{page}.py").run()
        assert_no_exception(at)
        shown = _markup_shown(at)
        assert shown == [], (page, shown)
        if page in ("candidates", "documents", "interview", "scorecards"):  # the hostile text is on these pages
            assert "Eve" in " ".join(str(n.proto) for n in _walk(at.main) if getattr(n, "proto", None)), page
        seen.append(page)
    assert {"candidates", "documents", "interview", "scorecards"} <= set(seen)


def test_the_escape_leaves_nothing_a_markdown_reader_would_render() -> None:
    for text in payloads(URL).values():
        escaped = escape_markdown(text)
        assert raw_markup(escaped) == [] and "\n" not in escaped
        assert escaped.replace("\\", "") == " ".join(text.replace("\\", "").split())
    kept = escape_markdown("line one\n# two\n- three", lines=True)
    assert kept == "line one  \n\\# two  \n\\- three"
    assert components.md("a_b*c") == "a\\_b\\*c"


def test_the_raw_markup_check_can_fail() -> None:
    assert raw_markup(f"![x]({URL}/a.png)") and raw_markup("<IMG src=x>") and raw_markup(f"[a]({URL})")
    assert raw_tags("<img src=x>") and raw_tags('<a href="x">') and not raw_tags("&lt;img src=x&gt;")

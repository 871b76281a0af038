"""DOCX hidden by effective formatting: each trick flagged with its kind, in no chunk, the plan unchanged."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from eval.hiding import Trick
from eval.hiding.docx import CLAIM, DOCX_TRICKS, HIDDEN, make_docx
from ingest.loaders import load_document
from ingest.office_format import contrast
from tests.ingest.hiding_support import Planner, check_control, check_trick, make_planner
from vetting.kernel.settings import Settings

TRICKS = [t for t in DOCX_TRICKS if not t.control]
CONTROLS = [t for t in DOCX_TRICKS if t.control]


def test_the_corpus_covers_the_issue_and_has_controls() -> None:
    names = {t.name for t in TRICKS}
    for name in ("hidden-by-character-style", "hidden-by-paragraph-style", "theme-colour-background1",
                 "grey-on-grey-shading", "dark-on-dark-shading", "size-1-pt", "near-white-f0f0f0",
                 "tracked-move-from"):  # fmt: skip
        assert f"docx-{name}" in names
    assert len(TRICKS) >= 20 and len(CONTROLS) >= 8


@pytest.mark.parametrize("trick", TRICKS, ids=lambda t: t.name)
def test_the_claim_is_really_in_the_file(trick: Trick) -> None:
    """The trick hides the claim from the eye, not from the XML: a naive reader would take it in."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(trick.make())) as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("word/"))
    assert CLAIM in xml


@pytest.mark.parametrize("trick", TRICKS, ids=lambda t: t.name)
def test_each_trick_is_flagged_with_its_rule_and_removed(trick: Trick, tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / trick.filename
    path.write_bytes(trick.make())
    document = load_document(path, settings)
    assert [f.kind for f in document.flags] == [trick.flag]
    assert HIDDEN in document.flags[0].text and document.flags[0].rule
    assert HIDDEN not in document.text
    assert "Led the migration of the billing service to Kubernetes" in document.text


@pytest.mark.parametrize("trick", CONTROLS, ids=lambda t: t.name)
def test_visible_look_alikes_are_not_flagged(trick: Trick, tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / trick.filename
    path.write_bytes(trick.make())
    document = load_document(path, settings)
    assert document.flags == ()
    assert CLAIM in document.text


def test_rules_say_where_the_property_was_set(tmp_path: Path, settings: Settings) -> None:
    rules = {}
    for trick in TRICKS:
        path = tmp_path / trick.filename
        path.write_bytes(trick.make())
        rules[trick.name] = load_document(path, settings).flags[0].rule
    assert rules["docx-hidden-by-character-style"] == "vanish set by character style 'Quiet'"
    assert "paragraph style 'Sidebar'" in rules["docx-white-by-based-on-chain"]
    assert "theme background1" in rules["docx-theme-colour-background1"]
    assert "on 1F3864 (paragraph shading)" in rules["docx-dark-on-dark-shading"]
    assert rules["docx-tracked-move-from"].startswith("tracked move-from")


def test_contrast_matches_wcag() -> None:
    assert contrast("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast("F0F0F0", "FFFFFF") == pytest.approx(1.14, abs=0.01)
    assert contrast("808080", "FFFFFF") > 3.5


def _with_parts(document: Any, paragraph: Any) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    section = document.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "ada@example.org · +44 20 7946 0000"
    section.footer.is_linked_to_previous = False
    section.footer.paragraphs[0].text = "Page footer: Ada Example, 2024"
    document.add_comment(paragraph.runs, text="Check the dates of this role.", author="Reviewer")
    drawing = parse_xml(
        f'<w:drawing {nsdecls("w", "wp")}><wp:inline><wp:extent cx="10" cy="10"/>'
        '<wp:docPr id="3" name="Logo" descr="Company logo of Northwind" title="Northwind"/></wp:inline></w:drawing>'
    )
    paragraph.add_run()._element.append(drawing)
    box = parse_xml(
        f"<w:r {nsdecls('w')}><w:txbxContent><w:p><w:r><w:t>Side box: open-source maintainer</w:t>"
        "</w:r></w:p></w:txbxContent></w:r>"
    )
    paragraph._p.append(box)


def test_headers_footers_comments_and_alt_text_are_labelled_sections(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "cv.docx"
    path.write_bytes(make_docx(_with_parts))
    document = load_document(path, settings)
    assert document.flags == ()
    pages = {p.text.splitlines()[0]: p.text for p in document.pages}
    assert "ada@example.org · +44 20 7946 0000" in pages["# Header"]
    assert "Page footer: Ada Example, 2024" in pages["# Footer"]
    assert "Check the dates of this role." in pages["# Comments"]
    assert (
        "- Company logo of Northwind" in pages["# Image descriptions"]
        and "- Northwind" in pages["# Image descriptions"]
    )
    body = next(p.text for p in document.pages if "Led the migration" in p.text)
    assert "Side box: open-source maintainer" in body  # a text box is part of the page it sits on
    assert not any(label in body for label in ("Check the dates", "Page footer", "Company logo"))
    assert document.pages[0].text.startswith("# Header")  # the header reads first, as on the page


def test_hidden_text_in_a_comment_is_flagged_as_a_comment(tmp_path: Path, settings: Settings) -> None:
    def hidden_comment(document: Any, paragraph: Any) -> None:
        comment = document.add_comment(paragraph.runs, text="", author="Ada")
        comment.paragraphs[0].add_run("secret " + HIDDEN).font.hidden = True

    path = tmp_path / "cv.docx"
    path.write_bytes(make_docx(hidden_comment))
    document = load_document(path, settings)
    assert [(f.kind, f.where) for f in document.flags] == [("invisible_text", "comment")]
    assert CLAIM in document.text and "secret" not in document.text


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
@pytest.mark.parametrize("trick", CONTROLS[:3], ids=lambda t: t.name)
def test_visible_controls_reach_the_chunks_unflagged(trick: Trick, planner: Planner) -> None:
    check_control(trick, planner)


@pytest.mark.slow
def test_a_visible_claim_does_change_the_plan(planner: Planner, clean_plans: dict[str, list[Any]]) -> None:
    """The plan comparison can fail: the same claim in plain sight is asked about."""
    trick = TRICKS[0]
    assert trick.clean is not None
    clean = planner(trick.clean(), "cv.docx")[0]
    visible = planner(make_docx(), "cv.docx")[0]
    assert visible != clean

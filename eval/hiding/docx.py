"""Word files hiding a claim by styles, themes, shading, sizes and revisions, and visible look-alikes as controls."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from eval.hiding import Trick

__all__ = ["CLAIM", "DOCX_TRICKS", "HIDDEN", "clean_docx", "make_docx"]

HIDDEN = "Zanzibar quantum ledger"  # no CV says this, so finding it in a chunk means the hiding worked
CLAIM = "Built the Zanzibar quantum ledger RAG assistant for customer support at Hooli."
_VISIBLE = (
    "Staff engineer, payments platform.",
    "Led the migration of the billing service to Kubernetes at Northwind Logistics.",
    "Cut nightly batch run time from six hours to forty minutes with Go workers.",
    "Designed the PostgreSQL sharding scheme behind the ledger of record.",
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
Mutation = Callable[[Any, Any], None]  # (document, the claim's paragraph) → None


def _xml(fragment: str) -> Any:
    """One WordprocessingML element from its markup (the `w` namespace declared for it)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    name_end = fragment.index(" ") if " " in fragment else fragment.index("/>")
    return parse_xml(fragment[:name_end] + f" {nsdecls('w')}" + fragment[name_end:])


def make_docx(mutate: Mutation | None = None, *, claim: bool = True) -> bytes:
    """A one-page CV; `mutate` gets the document and the paragraph holding the claim (present unless `claim=False`)."""
    import docx

    document = docx.Document()
    document.add_heading("Ada Example", level=0)
    document.add_heading("Experience", level=1)
    for line in _VISIBLE:
        document.add_paragraph(line)
    if claim:
        paragraph = document.add_paragraph()
        paragraph.add_run(CLAIM)
        if mutate is not None:
            mutate(document, paragraph)
    document.add_paragraph("References available on request.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def clean_docx() -> bytes:
    """The same CV with nothing hidden in it (and no claim)."""
    return make_docx(claim=False)


def _rpr(paragraph: Any) -> Any:
    return paragraph.runs[0]._element.get_or_add_rPr()


def _run_xml(fragment: str) -> Mutation:
    """Direct run properties, as raw WordprocessingML."""
    return _run_props(fragment)


def _character_style(fragment: str) -> Mutation:
    def mutate(document: Any, paragraph: Any) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        style = document.styles.add_style("Quiet", WD_STYLE_TYPE.CHARACTER)
        style.element.get_or_add_rPr().append(_xml(fragment))
        paragraph.runs[0].style = style

    return mutate


def _paragraph_style(fragment: str, *, chain: bool = False) -> Mutation:
    """The property set in a paragraph style, or (chain) in the style a second style is based on."""

    def mutate(document: Any, paragraph: Any) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        base = document.styles.add_style("Sidebar", WD_STYLE_TYPE.PARAGRAPH)
        base.element.get_or_add_rPr().append(_xml(fragment))
        style = base
        if chain:
            style = document.styles.add_style("Sidebar Note", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = base
        paragraph.style = style

    return mutate


def _theme(theme: str, tint: str = "") -> Mutation:
    extra = f' w:themeTint="{tint}"' if tint else ""
    return _run_xml(f'<w:color w:val="FFFFFF" w:themeColor="{theme}"{extra}/>')


def _shaded(text_colour: str, fill: str) -> Mutation:
    def mutate(_doc: Any, paragraph: Any) -> None:
        paragraph._p.get_or_add_pPr().append(_xml(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'))
        _rpr(paragraph).append(_xml(f'<w:color w:val="{text_colour}"/>'))

    return mutate


def _revision(tag: str) -> Mutation:
    """The claim's run inside a tracked deletion or the old place of a tracked move."""

    def mutate(_doc: Any, paragraph: Any) -> None:
        run = paragraph.runs[0]._element
        wrapper = _xml(f'<w:{tag} w:id="1" w:author="Ada" w:date="2024-01-01T00:00:00Z"/>')
        run.addprevious(wrapper)
        wrapper.append(run)

    return mutate


def _defaults_white(document: Any, paragraph: Any) -> None:
    """White text by document default; Normal sets black, the claim's own style (based on nothing) does not."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    defaults = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
    defaults.append(_xml('<w:color w:val="FFFFFF"/>'))
    document.styles["Normal"].font.color.rgb = RGBColor(0, 0, 0)
    style = document.styles.add_style("Plain", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = None
    paragraph.style = style


def _run_props(*fragments: str) -> Mutation:
    def mutate(_doc: Any, paragraph: Any) -> None:
        for fragment in fragments:
            _rpr(paragraph).append(_xml(fragment))

    return mutate


def _in_header(fragment: str) -> Mutation:
    def mutate(document: Any, paragraph: Any) -> None:
        header = document.sections[0].header
        header.is_linked_to_previous = False
        run = header.paragraphs[0].add_run(CLAIM)
        if fragment:
            run._element.get_or_add_rPr().append(_xml(fragment))
        paragraph._p.getparent().remove(paragraph._p)

    return mutate


def _in_cell(text_colour: str, fill: str) -> Mutation:
    def mutate(document: Any, paragraph: Any) -> None:
        table = document.add_table(rows=1, cols=1)
        cell = table.cell(0, 0)
        cell._tc.get_or_add_tcPr().append(_xml(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'))
        run = cell.paragraphs[0].add_run(CLAIM)
        run._element.get_or_add_rPr().append(_xml(f'<w:color w:val="{text_colour}"/>'))
        paragraph._p.addnext(table._tbl)
        paragraph._p.getparent().remove(paragraph._p)

    return mutate


def _trick(name: str, flag: str, mutate: Mutation) -> Trick:
    return Trick(f"docx-{name}", "docx", HIDDEN, lambda: make_docx(mutate), flag=flag, clean=clean_docx)


def _control(name: str, mutate: Mutation | None) -> Trick:
    return Trick(f"docx-control-{name}", "docx", HIDDEN, lambda: make_docx(mutate), control=True, clean=clean_docx)


DOCX_TRICKS: list[Trick] = [
    # the nine
    _trick("hidden-by-character-style", "invisible_text", _character_style("<w:vanish/>")),
    _trick("hidden-by-paragraph-style", "invisible_text", _paragraph_style("<w:vanish/>")),
    _trick("white-by-character-style", "white_text", _character_style('<w:color w:val="FFFFFF"/>')),
    _trick("white-by-paragraph-style", "white_text", _paragraph_style('<w:color w:val="FFFFFF"/>')),
    _trick("theme-colour-background1", "white_text", _theme("background1")),
    _trick("grey-on-grey-shading", "white_text", _shaded("BFBFBF", "BFBFBF")),
    _trick("dark-on-dark-shading", "white_text", _shaded("1F3864", "1F3864")),
    _trick("size-1-pt", "tiny_text", _run_xml('<w:sz w:val="2"/>')),
    _trick("near-white-f0f0f0", "white_text", _run_xml('<w:color w:val="F0F0F0"/>')),
    _trick("tracked-move-from", "invisible_text", _revision("moveFrom")),
    # more of the same families
    _trick("tracked-deletion", "invisible_text", _revision("del")),
    _trick("vanish-direct", "invisible_text", _run_xml("<w:vanish/>")),
    _trick("spec-vanish", "invisible_text", _run_xml("<w:specVanish/>")),
    _trick("hidden-by-based-on-chain", "invisible_text", _paragraph_style("<w:vanish/>", chain=True)),
    _trick("white-by-based-on-chain", "white_text", _paragraph_style('<w:color w:val="FFFFFF"/>', chain=True)),
    _trick("white-by-document-defaults", "white_text", _defaults_white),
    _trick("theme-text1-tinted-to-white", "white_text", _theme("text1", "0D")),
    _trick("theme-light1", "white_text", _theme("light1")),
    _trick(
        "yellow-on-yellow-highlight",
        "white_text",
        _run_props('<w:color w:val="FFFF00"/>', '<w:highlight w:val="yellow"/>'),
    ),
    _trick("colour-of-its-cell", "white_text", _in_cell("2E74B5", "2E74B5")),
    _trick("size-1.5-pt", "tiny_text", _run_xml('<w:sz w:val="3"/>')),
    _trick("hidden-in-the-header", "invisible_text", _in_header("<w:vanish/>")),
    _trick("white-in-the-header", "white_text", _in_header('<w:color w:val="FFFFFF"/>')),
    _trick("characters-scaled-to-1-percent", "tiny_text", _run_xml('<w:w w:val="1"/>')),
    _trick("condensed-by-20-pt", "tiny_text", _run_xml('<w:spacing w:val="-400"/>')),
    _trick("condensed-by-character-style", "tiny_text", _character_style('<w:spacing w:val="-300"/>')),
]

DOCX_TRICKS += [
    _control("white-on-dark-shading", _shaded("FFFFFF", "1F3864")),
    _control("grey-but-readable", _run_xml('<w:color w:val="808080"/>')),
    _control("light-grey-caption", _run_props('<w:color w:val="A6A6A6"/>', '<w:sz w:val="16"/>')),
    _control("six-point-text", _run_xml('<w:sz w:val="12"/>')),
    _control("theme-text1", _theme("text1")),
    _control("dark-text-on-yellow-highlight", _run_xml('<w:highlight w:val="yellow"/>')),
    _control("tracked-insertion", _revision("ins")),
    _control("claim-in-the-header", _in_header("")),
    _control("white-on-dark-cell", _in_cell("FFFFFF", "1F3864")),
    _control("characters-scaled-to-90-percent", _run_xml('<w:w w:val="90"/>')),
    _control("condensed-by-half-a-point", _run_xml('<w:spacing w:val="-10"/>')),
    _control("expanded-by-two-points", _run_xml('<w:spacing w:val="40"/>')),
]

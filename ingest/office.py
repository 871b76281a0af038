"""DOCX loading (python-docx): body, headers, footers, notes, comments, alt text; runs hidden by formatting cut out."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from ingest.office_format import Formatting, Hidden
from ingest.raw import RawDocument
from vetting.kernel.domain import Flag
from vetting.kernel.errors import UnreadableDocument

__all__ = ["load_docx"]

_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo|kop)\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"list|bullet|aufzählung", re.IGNORECASE)
_W_P, _W_TBL, _W_SDT, _W_R = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:r")
_W_VAL = qn("w:val")
_NOT_TEXT = {qn("w:del"): "tracked deletion", qn("w:moveFrom"): "tracked move-from (the text's old place)"}
_WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CORE_FIELDS = ("title", "subject", "keywords", "author", "comments", "category")


class _Collector:
    """Accumulates visible lines and hidden runs while walking the document body."""

    def __init__(self, styles: dict[str, str], formatting: Formatting) -> None:
        self.styles = styles
        self.formatting = formatting
        self.lines: list[str] = []
        self.hidden: list[tuple[Hidden, str, str]] = []
        self.where = "body"

    # --- blocks ------------------------------------------------------------------------------------------------------
    def blocks(self, parent: Any, depth: int = 0) -> None:
        for child in parent.iterchildren():
            if child.tag == _W_P:
                self.paragraph(child, depth)
            elif child.tag == _W_TBL:
                self.table(child, depth)
            elif child.tag == _W_SDT:
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self.blocks(content, depth)

    def paragraph(self, p: Any, depth: int) -> None:
        text = self.runs_text(p).strip()
        if text:
            style_id = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            style = self.styles.get(style_id.get(_W_VAL), "") if style_id is not None else ""
            heading = _HEADING_STYLE.match(style)
            if heading:
                text = "#" * int(heading.group(1)) + " " + text
            elif style.lower() == "title":
                text = "# " + text
            elif style.lower() == "subtitle":
                text = "## " + text
            elif _LIST_STYLE.search(style) or p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
                text = "- " + text
            self.lines.append(text)
        if depth < 4:  # text boxes anchored in this paragraph (the fallback copy of each box is skipped)
            for box in p.iter(qn("w:txbxContent")):
                if not any(a.tag == _MC_FALLBACK for a in box.iterancestors()):
                    self.lines.append("")
                    self.blocks(box, depth + 1)

    def table(self, tbl: Any, depth: int) -> None:
        self.lines.append("")
        for tr in tbl.iter(qn("w:tr")):
            if _nearest(tr, _W_TBL) is not tbl:
                continue  # rows of nested tables are handled by their own table
            cells = [tc for tc in tr.iter(qn("w:tc")) if _nearest(tc, qn("w:tr")) is tr]
            simple = [self.cell_line(tc) for tc in cells]
            if all(line is not None for line in simple):
                row = " | ".join(line for line in simple if line)
                if row:
                    self.lines.append(row)
            else:  # a layout table: each cell is a column of paragraphs
                for tc in cells:
                    self.blocks(tc, depth + 1)
                    self.lines.append("")
        self.lines.append("")

    def cell_line(self, tc: Any) -> str | None:
        """A cell's text on one line, or None when the cell holds several paragraphs or a table."""
        paragraphs = [p for p in tc.iterchildren(_W_P)]
        if tc.find(_W_TBL) is not None or tc.find(f".//{qn('w:txbxContent')}") is not None:
            return None
        texts = [self.runs_text(p).strip() for p in paragraphs]
        texts = [t for t in texts if t]
        return texts[0] if len(texts) <= 1 and texts else ("" if not texts else None)

    # --- runs --------------------------------------------------------------------------------------------------------
    def runs_text(self, p: Any) -> str:
        parts: list[str] = []
        for run in p.iter(_W_R):
            if _in_nested_box(run, p):
                continue
            text = _run_text(run)
            if not text:
                continue
            revision = next((_NOT_TEXT[a.tag] for a in run.iterancestors() if a.tag in _NOT_TEXT), None)
            if revision:
                self.hidden.append((Hidden("invisible_text", revision), self.where, text))
                continue
            cells = [a for a in run.iterancestors(qn("w:tc"))]
            hidden = self.formatting.hidden(run, p, cells)
            if hidden:
                self.hidden.append((hidden, self.where, text))
            else:
                parts.append(text)
        return "".join(parts)


def _nearest(element: Any, tag: str) -> Any:
    """The closest ancestor of `element` with this tag."""
    node = element.getparent()
    while node is not None and node.tag != tag:
        node = node.getparent()
    return node


def _in_nested_box(run: Any, p: Any) -> bool:
    node = run.getparent()
    while node is not None and node is not p:
        if node.tag == qn("w:txbxContent"):
            return True
        node = node.getparent()
    return False


def _run_text(run: Any) -> str:
    out = []
    for child in run.iterchildren():
        tag = child.tag
        if tag == qn("w:t"):
            out.append(child.text or "")
        elif tag == qn("w:tab"):
            out.append("\t")
        elif tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
        elif tag == qn("w:noBreakHyphen"):
            out.append("-")
    return "".join(out)


def load_docx(data: bytes, name: str) -> RawDocument:
    """Body text in reading order, then each other part a reader sees under its own heading, and core properties."""
    try:
        document = docx.Document(io.BytesIO(data))
        formatting = Formatting(document)
    except Exception as exc:
        raise UnreadableDocument(f"{name} is not a readable Word document: the file is damaged or incomplete.") from exc
    styles = {s.style_id: s.name or "" for s in document.styles if s.style_id}
    collector = _Collector(styles, formatting)
    collector.blocks(document.element.body)
    body = "\n".join(collector.lines)
    pages: list[tuple[int | None, str]] = []
    for label, where, elements in _other_parts(document):
        collector.lines, collector.where = [], where
        seen: set[str] = set()
        texts = []
        for element in elements:
            before = len(collector.hidden)
            collector.blocks(element)
            text = "\n".join(collector.lines).strip()
            collector.lines = []
            if text in seen:
                del collector.hidden[before:]  # the same header repeated by every section is read once
            elif text:
                seen.add(text)
                texts.append(text)
        if texts:
            pages.append((None, f"# {label}\n\n" + "\n\n".join(texts)))
        if label == "Header":
            pages.append((None, body))  # the header reads first, as on the page; notes and comments after the body
    alt = _alt_texts(document.element.body)
    if alt:
        pages.append((None, "# Image descriptions\n\n" + "\n".join(f"- {t}" for t in alt)))
    flags = [
        Flag(kind=h.kind, text=" ".join(t.split())[:300], where=where, rule=h.rule)  # type: ignore[arg-type]
        for h, where, t in _merge_hidden(collector.hidden)
    ]
    metadata = {}
    core = document.core_properties
    for field in _CORE_FIELDS:
        value = getattr(core, field, None)
        if isinstance(value, str) and value.strip():
            metadata[field] = value.strip()
    return RawDocument("docx", pages, flags, metadata, metadata.get("title"))


def _other_parts(document: Any) -> list[tuple[str, str, list[Any]]]:
    """Headers, footers, footnotes, endnotes and comments: (heading, flag place, root elements), in that order."""
    headers: list[Any] = []
    footers: list[Any] = []
    for section in document.sections:
        for attr, into in _headers_and_footers(headers, footers):
            try:
                part = getattr(section, attr)
                if not part.is_linked_to_previous:
                    into.append(part._element)
            except Exception:  # a malformed header must not cost us the body
                continue
    parts = [("Header", "header", headers), ("Footer", "footer", footers)]
    for label, where, partname, tag in _NOTE_PARTS:
        roots = []
        for rel in document.part.rels.values():
            if not rel.is_external and str(rel.target_part.partname) == partname:
                try:
                    roots = [e for e in parse_xml(rel.target_part.blob).iterchildren(qn(tag)) if _is_note(e)]
                except Exception:
                    roots = []
        parts.append((label, where, roots))
    return parts


def _headers_and_footers(headers: list[Any], footers: list[Any]) -> list[tuple[str, list[Any]]]:
    kinds = ("first_page_header", "header", "even_page_header", "first_page_footer", "footer", "even_page_footer")
    return [(kind, headers if kind.endswith("header") else footers) for kind in kinds]


_NOTE_PARTS = (
    ("Footnotes", "footnote", "/word/footnotes.xml", "w:footnote"),
    ("Endnotes", "endnote", "/word/endnotes.xml", "w:endnote"),
    ("Comments", "comment", "/word/comments.xml", "w:comment"),
)


def _is_note(element: Any) -> bool:
    """Separator and continuation notes are Word's own furniture, not text."""
    return element.get(qn("w:type")) in (None, "normal")


def _alt_texts(body: Any) -> list[str]:
    """Descriptions and titles given to pictures and shapes (wp:docPr), which screen readers and parsers read."""
    found: list[str] = []
    for element in body.iter(_WP_DOCPR):
        for attribute in ("title", "descr"):
            value = " ".join((element.get(attribute) or "").split())
            if value and value not in found:
                found.append(value)
    return found


def _merge_hidden(hidden: list[tuple[Hidden, str, str]]) -> list[tuple[Hidden, str, str]]:
    """One flag per kind and place: the hidden runs of a kind in one part are one piece of hidden text."""
    merged: dict[tuple[str, str], tuple[Hidden, list[str]]] = {}
    for how, where, text in hidden:
        merged.setdefault((how.kind, where), (how, []))[1].append(text)
    return [(how, where, " ".join(parts)) for (_, where), (how, parts) in merged.items() if "".join(parts).strip()]

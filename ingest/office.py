"""DOCX loading (python-docx): paragraphs, tables and text boxes in body order, `#` headings, hidden runs cut out."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
from docx.oxml.ns import qn

from ingest.raw import RawDocument
from vetting.kernel.domain import Flag
from vetting.kernel.errors import UnreadableDocument

__all__ = ["load_docx"]

_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo|kop)\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"list|bullet|aufzählung", re.IGNORECASE)
_W_P, _W_TBL, _W_SDT, _W_R = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:r")
_W_VAL = qn("w:val")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CORE_FIELDS = ("title", "subject", "keywords", "author", "comments", "category")


class _Collector:
    """Accumulates visible lines and hidden runs while walking the document body."""

    def __init__(self, styles: dict[str, str]) -> None:
        self.styles = styles
        self.lines: list[str] = []
        self.hidden: list[tuple[str, str]] = []

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
            if _in_nested_box(run, p) or any(a.tag == qn("w:del") for a in run.iterancestors()):
                continue
            text = _run_text(run)
            if not text:
                continue
            kind = _hidden_kind(run)
            if kind:
                self.hidden.append((kind, text))
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


def _on(element: Any) -> bool:
    """A toggle property is on unless its value says otherwise."""
    return element is not None and element.get(_W_VAL, "true").lower() not in ("false", "0", "off")


def _hidden_kind(run: Any) -> str | None:
    """Directly formatted hidden text: `vanish`, white colour (with no shading behind it), size under 1 pt."""
    props = run.find(qn("w:rPr"))
    if props is None:
        return None
    if _on(props.find(qn("w:vanish"))):
        return "invisible_text"
    size = props.find(qn("w:sz"))
    try:
        if size is not None and int(size.get(_W_VAL, "24")) < 2:  # half-points
            return "tiny_text"
    except ValueError:
        pass
    colour = props.find(qn("w:color"))
    value = (colour.get(_W_VAL, "") if colour is not None else "").lower()
    light = re.fullmatch(r"[0-9a-f]{6}", value) and all(int(value[i : i + 2], 16) >= 0xF2 for i in (0, 2, 4))
    if light and not _shaded(run):
        return "white_text"
    return None


def _shaded(run: Any) -> bool:
    """Whether the run, its paragraph or its table cell has a non-white background (white text is then readable)."""
    for node in [run, *run.iterancestors()]:
        for holder in (qn("w:rPr"), qn("w:pPr"), qn("w:tcPr")):
            props = node.find(holder)
            if props is None:
                continue
            shading = props.find(qn("w:shd"))
            fill = (shading.get(qn("w:fill"), "") if shading is not None else "").lower()
            if re.fullmatch(r"[0-9a-f]{6}", fill) and fill not in ("ffffff",):
                return True
            highlight = props.find(qn("w:highlight"))
            if highlight is not None and highlight.get(_W_VAL, "none") not in ("none", "white"):
                return True
    return False


def load_docx(data: bytes, name: str) -> RawDocument:
    """Body text in reading order (plus header text, where contact details often live) and core properties."""
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableDocument(f"{name} is not a readable Word document: the file is damaged or incomplete.") from exc
    styles = {s.style_id: s.name or "" for s in document.styles if s.style_id}
    collector = _Collector(styles)
    seen_headers: set[str] = set()
    for section in document.sections:
        try:
            header = section.header
            if header.is_linked_to_previous:
                continue
            before = len(collector.lines)
            collector.blocks(header._element)
            text = "\n".join(collector.lines[before:]).strip()
            if text in seen_headers:
                del collector.lines[before:]
            seen_headers.add(text)
        except Exception:  # a malformed header must not cost us the body
            continue
    collector.blocks(document.element.body)
    flags = [Flag(kind=kind, text=" ".join(t.split())[:300]) for kind, t in _merge_hidden(collector.hidden)]  # type: ignore[arg-type]
    metadata = {}
    core = document.core_properties
    for field in _CORE_FIELDS:
        value = getattr(core, field, None)
        if isinstance(value, str) and value.strip():
            metadata[field] = value.strip()
    text = "\n".join(collector.lines)
    return RawDocument("docx", [(None, text)], flags, metadata, metadata.get("title"))


def _merge_hidden(hidden: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """One flag per kind: consecutive hidden runs of a kind are one piece of hidden text."""
    merged: dict[str, list[str]] = {}
    for kind, text in hidden:
        merged.setdefault(kind, []).append(text)
    return [(kind, " ".join(parts)) for kind, parts in merged.items() if "".join(parts).strip()]

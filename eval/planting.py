"""Planting known sentences into copies of real documents (PDF, DOCX, Markdown, text, JSON Resume)."""

from __future__ import annotations

import io
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

FACTS_FILE = Path(__file__).resolve().parent / "planted_facts.yaml"


class Fact(BaseModel):
    """A sentence planted into a document and the interviewer's question it answers."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    text: str
    query: str


class FactBank(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cv: list[Fact]
    writeup: list[Fact]


def load_facts(path: Path = FACTS_FILE) -> FactBank:
    return FactBank.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Planted:
    """A copy of a real document with facts planted in it, and where they went."""

    source: Path
    path: Path
    facts: tuple[Fact, ...]
    where: str


def plant(source: Path, facts: list[Fact], out_dir: Path, rng: random.Random) -> Planted:
    """Write a copy of `source` into `out_dir` with `facts` inserted at a seeded position suited to its format."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / source.name
    suffix = source.suffix.lower()
    texts = [f.text for f in facts]
    if suffix == ".pdf":
        where = _plant_pdf(source, target, texts, rng)
    elif suffix == ".docx":
        where = _plant_docx(source, target, texts, rng)
    elif suffix == ".json":
        where = _plant_json_resume(source, target, texts, rng)
    else:
        where = _plant_text(source, target, texts, rng)
    return Planted(source, target, tuple(facts), where)


def _plant_pdf(source: Path, target: Path, texts: list[str], rng: random.Random) -> str:
    """Extend one page downwards by a strip of visible 9 pt black text holding the facts (the page keeps its layout)."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    writer = PdfWriter(clone_from=PdfReader(source))
    number = rng.randrange(len(writer.pages))
    page = writer.pages[number]
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    margin, size, leading = 48.0, 9.0, 12.0
    lines: list[str] = []
    for text in texts:
        lines += simpleSplit(text, "Helvetica", size, (x1 - x0) - 2 * margin)
    height = len(lines) * leading + 2 * margin / 2
    buffer = io.BytesIO()
    strip = canvas.Canvas(buffer, pagesize=(x1 - x0, height))
    strip.setFont("Helvetica", size)
    strip.setFillColorRGB(0, 0, 0)
    y = height - margin / 2 - size
    for line in lines:
        strip.drawString(margin, y, line)
        y -= leading
    strip.save()
    overlay = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    box = RectangleObject((x0, y0 - height, x1, y1))
    page.mediabox = box
    page.cropbox = box
    page.merge_transformed_page(overlay, Transformation().translate(x0, y0 - height))
    with target.open("wb") as handle:
        writer.write(handle)
    return f"page {number + 1}, added strip at the bottom"


def _plant_docx(source: Path, target: Path, texts: list[str], rng: random.Random) -> str:
    """Insert the facts as new paragraphs after a seeded non-empty body paragraph."""
    import docx
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(source))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    anchor = paragraphs[rng.randrange(len(paragraphs))] if paragraphs else None
    if anchor is None:
        for text in texts:
            document.add_paragraph(text)
        where = "appended"
    else:
        position = [p._p for p in document.paragraphs].index(anchor._p) + 1
        current = anchor
        for text in texts:
            element = OxmlElement("w:p")
            current._p.addnext(element)
            current = Paragraph(element, anchor._parent)
            current.add_run(text)
        where = f"after paragraph {position}"
    document.save(str(target))
    return where


def _plant_json_resume(source: Path, target: Path, texts: list[str], rng: random.Random) -> str:
    """Add the facts to the highlights of a seeded job (or project) of a JSON Resume."""
    data = json.loads(source.read_text(encoding="utf-8"))
    for section in ("work", "projects", "volunteer"):
        entries = [e for e in data.get(section) or [] if isinstance(e, dict)]
        if entries:
            index = rng.randrange(len(entries))
            entries[index].setdefault("highlights", []).extend(texts)
            where = f"{section}[{index}].highlights"
            break
    else:
        basics = data.setdefault("basics", {})
        basics["summary"] = (str(basics.get("summary") or "") + " " + " ".join(texts)).strip()
        where = "basics.summary"
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return where


_BULLET = re.compile(r"^\s*[-*+]\s+")


def _plant_text(source: Path, target: Path, texts: list[str], rng: random.Random) -> str:
    """Insert the facts as a paragraph (or bullets, next to a list) at a seeded paragraph boundary."""
    lines = source.read_text(encoding="utf-8").splitlines()
    boundaries = [i for i in range(1, len(lines)) if not lines[i].strip() and lines[i - 1].strip()]
    fenced = _inside_code_fences(lines)
    boundaries = [i for i in boundaries if i not in fenced] or [len(lines)]
    at = boundaries[rng.randrange(len(boundaries))]
    as_list = at > 0 and bool(_BULLET.match(lines[at - 1]))
    block = [f"- {t}" for t in texts] if as_list else [" ".join(texts)]
    new = [*lines[:at], *([] if as_list else [""]), *block, *lines[at:]]
    target.write_text("\n".join(new) + "\n", encoding="utf-8")
    return f"line {at + 1}"


def _inside_code_fences(lines: list[str]) -> set[int]:
    inside, fenced = False, set()
    for i, line in enumerate(lines):
        if line.strip().startswith("```"):
            inside = not inside
        if inside:
            fenced.add(i)
    return fenced

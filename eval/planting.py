"""Planting known sentences into copies of real documents (PDF, DOCX, Markdown, text, JSON Resume)."""

from __future__ import annotations

import io
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    """A copy of a real document with facts planted in it, and where each one went."""

    source: Path
    path: Path
    facts: tuple[Fact, ...]
    where: tuple[str, ...]


def plant(source: Path, facts: list[Fact], out_dir: Path, rng: random.Random) -> Planted:
    """Write a copy of `source` into `out_dir`, each fact inserted at its own seeded position suited to the format."""
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
    return Planted(source, target, tuple(facts), tuple(where))


def _plant_pdf(source: Path, target: Path, texts: list[str], rng: random.Random) -> list[str]:
    """Extend seeded pages downwards by a strip of visible 9 pt black text holding the facts (layout kept)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    pages = [rng.randrange(len(writer.pages)) for _ in texts]
    for number in sorted(set(pages)):
        _add_strip(writer.pages[number], [t for t, p in zip(texts, pages, strict=True) if p == number])
    with target.open("wb") as handle:
        writer.write(handle)
    return [f"page {p + 1}, strip added at the bottom" for p in pages]


def _add_strip(page: Any, texts: list[str]) -> None:
    from pypdf import PdfReader, Transformation
    from pypdf.generic import RectangleObject
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    margin, size, leading = 48.0, 9.0, 12.0
    lines: list[str] = []
    for text in texts:
        lines += simpleSplit(text, "Helvetica", size, (x1 - x0) - 2 * margin)
    height = len(lines) * leading + margin
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


def _plant_docx(source: Path, target: Path, texts: list[str], rng: random.Random) -> list[str]:
    """Insert each fact as a new paragraph after a seeded non-empty body paragraph."""
    import docx
    from docx.oxml import OxmlElement
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(source))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    positions = [p._p for p in document.paragraphs]
    where = []
    for text in texts:
        if not paragraphs:
            document.add_paragraph(text)
            where.append("appended")
            continue
        anchor = paragraphs[rng.randrange(len(paragraphs))]
        element = OxmlElement("w:p")
        anchor._p.addnext(element)
        Paragraph(element, anchor._parent).add_run(text)
        where.append(f"after paragraph {positions.index(anchor._p) + 1}")
    document.save(str(target))
    return where


def _plant_json_resume(source: Path, target: Path, texts: list[str], rng: random.Random) -> list[str]:
    """Add each fact to the highlights of a seeded job (or project) of a JSON Resume."""
    data = json.loads(source.read_text(encoding="utf-8"))
    entries = [
        (section, i, e)
        for section in ("work", "projects", "volunteer")
        for i, e in enumerate(data.get(section) or [])
        if isinstance(e, dict)
    ]
    where = []
    for text in texts:
        if not entries:
            basics = data.setdefault("basics", {})
            basics["summary"] = f"{basics.get('summary') or ''} {text}".strip()
            where.append("basics.summary")
            continue
        section, index, entry = entries[rng.randrange(len(entries))]
        entry.setdefault("highlights", []).append(text)
        where.append(f"{section}[{index}].highlights")
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return where


_BULLET = re.compile(r"^\s*[-*+]\s+")


def _plant_text(source: Path, target: Path, texts: list[str], rng: random.Random) -> list[str]:
    """Insert each fact as a paragraph (or a bullet, next to a list) at a seeded paragraph boundary."""
    lines = source.read_text(encoding="utf-8").splitlines()
    boundaries = [i for i in range(1, len(lines)) if not lines[i].strip() and lines[i - 1].strip()]
    fenced = _inside_code_fences(lines)
    boundaries = [i for i in boundaries if i not in fenced] or [len(lines)]
    chosen = [boundaries[rng.randrange(len(boundaries))] for _ in texts]
    for at, text in sorted(zip(chosen, texts, strict=True), key=lambda pair: -pair[0]):  # bottom up: indices hold
        as_list = at > 0 and bool(_BULLET.match(lines[at - 1]))
        lines[at:at] = [f"- {text}"] if as_list else ["", text]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [f"line {at + 1} of the original" for at in chosen]


def _inside_code_fences(lines: list[str]) -> set[int]:
    inside, fenced = False, set()
    for i, line in enumerate(lines):
        if line.strip().startswith("```"):
            inside = not inside
        if inside:
            fenced.add(i)
    return fenced

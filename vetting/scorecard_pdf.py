"""A scorecard as a PDF (reportlab): summary, a chart of AI vs interviewer per criterion, evidence and answers."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from vetting.scorecards import CriterionLine, Scorecard, fmt_score, key_points_text, scope_note

LABEL_CHARS = 34  # characters per line of a chart label at 7 pt in the 190 pt beside the bars


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """DejaVu Sans (shipped with matplotlib) so names and quotes in any Latin, Greek or Cyrillic script print."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        import matplotlib

        folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(folder / "DejaVuSans-Bold.ttf")))
        return "DejaVuSans", "DejaVuSans-Bold"
    except Exception:  # no matplotlib fonts: the built-in Helvetica still prints Latin text
        return "Helvetica", "Helvetica-Bold"


def _chart(card: Scorecard, font: str) -> object:
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    names = chart_labels([line.name for line in card.lines])
    rows = len(card.lines)
    per_row = 10 + 9 * max((n.count("\n") + 1 for n in names), default=1)
    drawing = Drawing(480, 40 + per_row * rows)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 200, 30, 260, per_row * rows
    chart.data = [
        [line.ai or 0 for line in reversed(card.lines)],
        [line.interviewer or 0 for line in reversed(card.lines)],
    ]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, card.scale[1]
    chart.valueAxis.valueStep = 1
    chart.valueAxis.labels.fontName = font
    chart.bars[0].fillColor = colors.HexColor("#4C78A8")
    chart.bars[1].fillColor = colors.HexColor("#F58518")
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = 200, 12, font, 8
    legend.alignment, legend.columnMaximum = "right", 1
    legend.colorNamePairs = [(colors.HexColor("#4C78A8"), "AI"), (colors.HexColor("#F58518"), "Interviewer")]
    drawing.add(chart)
    drawing.add(legend)
    return drawing


def chart_labels(names: list[str], width: int = LABEL_CHARS) -> list[str]:
    """Criterion names wrapped on word boundaries into lines of at most `width` characters: never cut."""
    return ["\n".join(textwrap.wrap(name, width, break_long_words=False)) or name for name in names]


def to_pdf(card: Scorecard) -> bytes:
    """The scorecard as PDF bytes, ready to download."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font, bold = _fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=font, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#444444"))
    h1 = ParagraphStyle("h1", parent=base["Heading1"], fontName=bold, fontSize=16)
    h2 = ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=12)

    def para(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    s = card.session
    low, high = card.scale
    note = scope_note(card)
    story: list[object] = [
        para(f"Scorecard — {s.candidate.name}", h1),
        para(f"Case: {card.case_title}"),
        para(f"Rubric: {card.rubric_title} (version {s.rubric_version}, scale {low}–{high})"),
        para(f"Interviewer: {s.interviewer or '—'}  ·  Session {s.id} ({s.status}), {s.elapsed_s() / 60:.0f} min"),
        para(f"AI engine(s): {', '.join(card.engines) or '—'}"),
        para(f"Overall: AI {fmt_score(card.overall('ai'))}, interviewer {fmt_score(card.overall('interviewer'))}"),
        *([para(note, small)] if note else []),
        Spacer(1, 0.3 * cm),
        _chart(card, font),
        Spacer(1, 0.3 * cm),
    ]

    def grid(lines: Sequence[CriterionLine]) -> object:
        table = [[para("Criterion", small), para("Weight", small), para("AI", small), para("Interviewer", small)]]
        table += [
            [para(line.name), para(f"{line.weight:g}"), para(fmt_score(line.ai)), para(fmt_score(line.interviewer))]
            for line in lines
        ]
        out = Table(table, colWidths=[9 * cm, 2 * cm, 2.5 * cm, 2.5 * cm], repeatRows=1)
        out.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return out

    story.append(grid(card.lines))
    for sec in card.sections:
        which = ", ".join(f"Q{n}" for n in sec.questions)
        story.append(para(f"{sec.title} ({sec.rubric_id}), scoring {which}", h2))
        overall = f"AI {fmt_score(sec.overall('ai'))}, interviewer {fmt_score(sec.overall('interviewer'))}"
        story += [para(f"Overall on this rubric: {overall}"), grid(sec.lines)]
    if card.answers:
        story.append(para("Per answer: AI beside interviewer (gaps of two levels or more marked)", h2))
        rows = [[para(h, small) for h in ("Q", "Criterion", "AI", "Interviewer", "Gap")]]
        marked = []
        for n, a in enumerate(card.answers, start=1):
            gap = "—" if a.gap is None else f"{a.gap:+.1f}" + (" ⚠" if a.disagreement else "")
            human = "—" if a.interviewer is None else str(a.interviewer)
            rows.append([para(f"Q{a.position}"), para(a.criterion), para(fmt_score(a.ai)), para(human), para(gap)])
            if a.disagreement:
                marked.append(("BACKGROUND", (0, n), (-1, n), colors.HexColor("#FDE2E1")))
        answers = Table(rows, colWidths=[1.2 * cm, 8.3 * cm, 2 * cm, 2.5 * cm, 2 * cm], repeatRows=1)
        answers.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey), *marked]))
        story.append(answers)
    for line in (*card.lines, *(line for sec in card.sections for line in sec.lines)):
        if line.details:
            story.append(para(line.name, h2))
            for e in line.evidence:
                story.append(para(f"Q{e.position}: “{e.quote}”" + ("" if e.verified else " (not verified)"), small))
            for k in line.key_points:  # plain text: `para` escapes it for the PDF
                story.append(para(f"Q{k.position}: {key_points_text(k.points, literal=str)}", small))
            for c in line.comments:
                story.append(para(f"Interviewer: {c}", small))
    story.append(para("Questions and answers", h2))
    for q in s.questions:
        story.append(para(f"Q{q.position + 1} ({q.kind.replace('_', ' ')}): {q.text}", body))
        if q.edited:
            story.append(para(f"Edited by the interviewer; the planner's original: {q.original_text}", small))
        if q.citation:
            story.append(para(f"Cites “{q.citation.get('quote', '')}” — {q.citation.get('document', '')}", small))
        story.append(para(f"Answer: {q.answer.strip() or '—'}", small))
        if q.notes.strip():
            story.append(para(f"Notes: {q.notes.strip()}", small))
        if q.signals:
            story.append(para(f"Signals observed: {'; '.join(q.signals)}", small))
        story.append(Spacer(1, 0.2 * cm))
    if s.notes.strip():
        story += [para("Session notes", h2), para(s.notes.strip())]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"Scorecard {s.candidate.name}", author="Vetting assistant")
    doc.build(story)
    return buffer.getvalue()

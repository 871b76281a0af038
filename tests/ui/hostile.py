"""A candidate whose every user- and document-supplied string tries to be Markdown or HTML, for the literal-text checks.

`seed_hostile(data_dir, url)` files a CV, a session with plan, answer, notes, AI scores with key points and interviewer
scores, all carrying images, links and tags that point at `url` (a beacon that must never be contacted).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from vetting.kernel.domain import Evidence, KeyPoint, PlannedQuestion
from vetting.kernel.settings import Settings
from vetting.services import Services

CASE_ID, RUBRIC_ID, CRITERION = "rag-customer-support", "rag-case-study", "data-quality"


def payloads(url: str) -> dict[str, str]:
    """One hostile string per kind of text, each a Markdown image, an HTML image and a link at `url`."""
    attack = f"![x]({url}/md.png) <img src='{url}/tag.png'> [link]({url}/click) <{url}/auto> **bold**"
    return {
        "name": f"Eve ![e]({url}/name.png) <img src={url}/name2.png>",
        "file": f"cv ![f]({url}/file.png).md",
        "cv": f"# Eve Attacker\n\n{attack}\n\nBuilt a retrieval pipeline with hybrid search. ![c]({url}/cv.png)\n",
        "question": f"Tell me about {attack}?",
        "answer": f"I audited the articles for duplicates. {attack}",
        "notes": f"note {attack}",
        "comment": f"comment {attack}",
        "session_notes": f"session\n\n{attack}",
        "rationale": f"rationale {attack}",
        "quote": f"quote ![q]({url}/quote.png)",
        "key_point": f"key point {attack}",
    }


def seed_hostile(data_dir: Path, url: str) -> tuple[str, str]:
    """The hostile candidate and a session on it with every kind of text filled in; returns (candidate, session)."""
    text = payloads(url)
    services = Services(Settings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]
    source = data_dir.parent / "hostile-cv.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text["cv"], encoding="utf-8")
    from vetting.kernel.domain import Upload

    report = services.ingestor.ingest([Upload(source, text["file"])], text["name"], new_person=True)
    assert report.ok, report.to_dict()
    candidate = report.candidate.id
    sessions = services.sessions
    session = sessions.create(candidate, CASE_ID, RUBRIC_ID, "1.0")
    citation = {"quote": text["quote"], "document": text["file"], "page": None}
    sessions.store_plan(
        session,
        [PlannedQuestion("q1", "deep_dive", text["question"], CRITERION, citation)],
        engine="offline",
        model=None,
    )
    question = sessions.get(session).questions[0].id
    sessions.save_answer(question, text=text["answer"], notes=text["notes"], expected_version=1)
    sessions.save_notes(session, text["session_notes"], expected_version=sessions.get(session).version)
    evidence = [Evidence(text["quote"], False), Evidence("I audited the articles", True, 0, 22)]
    points = [KeyPoint(text["key_point"], True, text["answer"]), KeyPoint(text["key_point"], False)]
    scored = (CRITERION, 3.0, text["rationale"], evidence, points)
    sessions.store_ai_scores(question, [scored], engine="offline", model=None)
    sessions.set_interviewer_score(question, CRITERION, 3, text["comment"])
    return candidate, session


_RAW = re.compile(r"(?<!\\)(!\[|<img|\]\(http|<http)", re.IGNORECASE)


_TAGS = re.compile(r"<(img|a|image|svg|iframe|link|source|video|audio|object|embed)\b", re.IGNORECASE)


def raw_markup(text: str) -> list[str]:
    """Markdown or HTML image, link or autolink syntax that is not backslash-escaped (what a reader would render)."""
    return [m.group(0) for m in _RAW.finditer(text)]


def raw_tags(html: str) -> list[str]:
    """Tags that would fetch or link something in HTML that is not read as Markdown (escaped text has none)."""
    return [m.group(0) for m in _TAGS.finditer(html)]


def plain(shown: str) -> str:
    """What a reader sees of escaped Markdown or HTML source: backslash escapes and HTML entities undone."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", shown))

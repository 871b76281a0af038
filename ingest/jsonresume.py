"""JSON Resume (jsonresume.org schema) rendered as readable text with `#` section headings, and the test for one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["looks_like_job_description", "looks_like_json_resume", "render_json_resume"]

_SECTIONS: tuple[str, ...] = ("work", "volunteer", "education", "awards", "certificates", "publications", "skills")
_SECTIONS += ("languages", "interests", "references", "projects")


def looks_like_json_resume(data: Any) -> bool:
    """A JSON Resume object: `basics` with a person in it, or at least two of the résumé sections as lists."""
    if not isinstance(data, dict):
        return False
    basics = data.get("basics")
    if isinstance(basics, dict) and any(k in basics for k in ("name", "label", "email", "summary")):
        return True
    return sum(isinstance(data.get(k), list) for k in _SECTIONS) >= 2


def looks_like_job_description(data: Any) -> bool:
    """A JSON Resume *job* posting (title, company, responsibilities…), which describes a role, not a candidate."""
    return isinstance(data, dict) and sum(k in data for k in ("company", "responsibilities", "qualifications")) >= 2


def _s(value: Any) -> str:
    """A scalar as clean single-line text; anything else is empty."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return " ".join(str(value).split())
    return ""


def _items(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [s for s in (_s(v) for v in value) if s] if isinstance(value, list) else []


def _join(parts: Iterable[str], sep: str = " · ") -> str:
    return sep.join(p for p in parts if p)


def _dates(item: dict[str, Any], start: str = "startDate", end: str = "endDate") -> str:
    first, last = _s(item.get(start)), _s(item.get(end))
    if first and last:
        return f"{first} – {last}"
    if first:
        return f"{first} – present"
    return last


def _location(location: Any) -> str:
    if isinstance(location, str):
        return _s(location)
    if not isinstance(location, dict):
        return ""
    keys = ("address", "city", "region", "postalCode", "countryCode")
    return _join((_s(location.get(k)) for k in keys), ", ")


def _entry(title: str, lines: Iterable[str], highlights: Iterable[str] = ()) -> list[str]:
    out = [title] if title else []
    out.extend(line for line in lines if line)
    out.extend(f"- {h}" for h in highlights if h)
    return out


def _work(item: dict[str, Any]) -> list[str]:
    company = _s(item.get("name")) or _s(item.get("company"))
    title = _join([_s(item.get("position")), company], " — ")
    meta = _join([_dates(item), _s(item.get("location")), _s(item.get("url"))])
    return _entry(title, [meta, _s(item.get("description")), _s(item.get("summary"))], _strings(item.get("highlights")))


def _volunteer(item: dict[str, Any]) -> list[str]:
    title = _join([_s(item.get("position")), _s(item.get("organization"))], " — ")
    meta = _join([_dates(item), _s(item.get("url"))])
    return _entry(title, [meta, _s(item.get("summary"))], _strings(item.get("highlights")))


def _education(item: dict[str, Any]) -> list[str]:
    degree = _join([_s(item.get("studyType")), _s(item.get("area"))], " in ")
    title = _join([degree, _s(item.get("institution"))], " — ")
    score = _s(item.get("score"))
    meta = _join([_dates(item), f"score {score}" if score else "", _s(item.get("url"))])
    courses = _strings(item.get("courses"))
    return _entry(title, [meta, f"Courses: {', '.join(courses)}" if courses else ""])


def _award(item: dict[str, Any]) -> list[str]:
    title = _join([_s(item.get("title")), _s(item.get("awarder"))], " — ")
    return _entry(title, [_s(item.get("date")), _s(item.get("summary"))])


def _certificate(item: dict[str, Any]) -> list[str]:
    title = _join([_s(item.get("name")), _s(item.get("issuer"))], " — ")
    return _entry(title, [_join([_s(item.get("date")), _s(item.get("url"))])])


def _publication(item: dict[str, Any]) -> list[str]:
    title = _join([_s(item.get("name")), _s(item.get("publisher"))], " — ")
    return _entry(title, [_join([_s(item.get("releaseDate")), _s(item.get("url"))]), _s(item.get("summary"))])


def _skill(item: dict[str, Any]) -> list[str]:
    name, level, keywords = _s(item.get("name")), _s(item.get("level")), _strings(item.get("keywords"))
    head = f"{name} ({level})" if name and level else name or level
    return [f"- {head}: {', '.join(keywords)}" if keywords else f"- {head}"] if head or keywords else []


def _language(item: dict[str, Any]) -> list[str]:
    language, fluency = _s(item.get("language")), _s(item.get("fluency"))
    return [f"- {language} ({fluency})" if fluency else f"- {language}"] if language else []


def _interest(item: dict[str, Any]) -> list[str]:
    name, keywords = _s(item.get("name")), _strings(item.get("keywords"))
    return [f"- {name}: {', '.join(keywords)}" if keywords else f"- {name}"] if name else []


def _reference(item: dict[str, Any]) -> list[str]:
    return _entry(_s(item.get("name")), [_s(item.get("reference"))])


def _project(item: dict[str, Any]) -> list[str]:
    roles = _strings(item.get("roles"))
    title = _join([_s(item.get("name")), ", ".join(roles)], " — ")
    meta = _join([_dates(item), _s(item.get("entity")), _s(item.get("type")), _s(item.get("url"))])
    keywords = _strings(item.get("keywords"))
    lines = [meta, _s(item.get("description")), f"Keywords: {', '.join(keywords)}" if keywords else ""]
    return _entry(title, lines, _strings(item.get("highlights")))


_RENDERERS: tuple[tuple[str, str, Callable[[dict[str, Any]], list[str]]], ...] = (
    ("work", "Work experience", _work),
    ("volunteer", "Volunteering", _volunteer),
    ("projects", "Projects", _project),
    ("education", "Education", _education),
    ("skills", "Skills", _skill),
    ("awards", "Awards", _award),
    ("certificates", "Certificates", _certificate),
    ("publications", "Publications", _publication),
    ("languages", "Languages", _language),
    ("interests", "Interests", _interest),
    ("references", "References", _reference),
)


def render_json_resume(data: dict[str, Any]) -> tuple[str, str | None]:
    """Readable text of a JSON Resume (name, contact, summary, then a `##` section per résumé section), and the name."""
    basics: dict[str, Any] = data["basics"] if isinstance(data.get("basics"), dict) else {}
    name = _s(basics.get("name"))
    lines: list[str] = [f"# {name}"] if name else []
    lines.extend(
        line
        for line in (
            _s(basics.get("label")),
            _join([_s(basics.get("email")), _s(basics.get("phone")), _s(basics.get("url"))]),
            _location(basics.get("location")),
        )
        if line
    )
    for profile in _items(basics.get("profiles")):
        entry = _join([_s(profile.get("network")), _s(profile.get("username"))], ": ")
        url = _s(profile.get("url"))
        entry = f"{entry} ({url})" if entry and url else entry or url
        if entry:
            lines.append(entry)
    summary = _s(basics.get("summary"))
    if summary:
        lines.extend(["", "## Summary", summary])
    for key, heading, render in _RENDERERS:
        blocks = [render(item) for item in _items(data.get(key))]
        blocks = [b for b in blocks if b]
        if not blocks:
            continue
        lines.extend(["", f"## {heading}"])
        compact = all(len(b) == 1 and b[0].startswith("- ") for b in blocks)
        for block in blocks:
            lines.extend(block)
            if not compact:
                lines.append("")
    return "\n".join(lines).strip(), name or None

"""Whose document is this: the name a CV opens with, compared with the candidate it is filed under."""

from __future__ import annotations

import re
import unicodedata

from vetting.kernel.domain import ExtractedDocument

_NAME_LINE = re.compile(r"^[^\W\d_][\w'’.-]*(?: [^\W\d_][\w'’.-]*){1,3}$")
_HEADINGS = {"curriculum", "vitae", "resume", "résumé", "cv", "profile", "summary", "contact", "experience", "page"}


def folded(text: str) -> str:
    """Text compared ignoring case and accents ('Débarghya DAS' and 'debarghya das' fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def detected_name(document: ExtractedDocument, lines: int = 5) -> str | None:
    """The person a document seems to be about: a short capitalised line of two to four words near its top."""
    if not document.pages:
        return None
    head = [" ".join(line.replace("#", " ").split()) for line in document.pages[0].text.splitlines()]
    for line in [h for h in head if h][:lines]:
        words = line.split()
        if (
            len(line) <= 60
            and _NAME_LINE.match(line)
            and all(w[0].isupper() for w in words)
            and not {folded(w) for w in words} & _HEADINGS
        ):
            return line
    return None


def name_mismatch(document: ExtractedDocument, candidate_name: str) -> str | None:
    """A warning when the document seems to name someone else (no word of the two names in common), else None."""
    found = detected_name(document)
    if found is None:
        return None
    if set(folded(found).split()) & set(folded(candidate_name).split()):
        return None
    return f"this document seems to be about '{found}', not '{candidate_name}'; is it filed under the right person?"

"""Reversible redaction of personal data (e-mails, phones, URLs, addresses, the candidate's name) before text leaves."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

_TLDS = r"(?:com|org|net|io|dev|me|co|ai|app|info|biz|edu|gov|uk|de|fr|es|it|nl|se|ch|ca|au|in|eu|us|tech|site|page)"
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b")
URL = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]"  # scheme or www.
    r"|\b(?:[a-z0-9-]+\.)+" + _TLDS + r"\b(?:/[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?])?"  # bare lower-case domain
)
_PHONE_CANDIDATE = re.compile(r"(?<![\w+/.(-])\(?(?:\+|00)?\(?\d[\d \t().-]{5,}\d(?![\w/-]|\.\d)")
_DATE_OR_YEARS = re.compile(
    r"^(?:(?:19|20)\d\d\s*[-–/.]\s*(?:19|20)\d\d"  # 2015 - 2019
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$"  # ISO and day-first dates
)
_STREET_TYPES = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Square|Sq|"
    r"Parkway|Pkwy|Highway|Hwy|Close|Crescent|Cres|Row|Mews|Gardens|Hill|Walk|Rue|Via|Calle)"
)
ADDRESS = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][\w'’.-]*\s+){1,4}" + _STREET_TYPES + r"\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Suite|Unit|Flat|Floor)\.?\s*#?\w+)?"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|weg|gasse|platz|allee|damm)\s+\d{1,4}[a-z]?\b"  # Hauptstraße 12
    r"(?:,\s*\d{4,5}\s+[A-ZÄÖÜ][\wäöüß-]+)?"  # , 10115 Berlin
)
POSTCODE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"  # UK: SW1A 1AA
    r"|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"  # Canada: K1A 0B1
    r"|(?<=\b[A-Z]{2}\s)\d{5}(?:-\d{4})?\b"  # US ZIP after a state code: CA 94105
)
ORCID = re.compile(r"\b\d{4}-\d{4}-\d{4}-\d{3}[\dX]\b")  # a researcher's personal identifier
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("EMAIL", EMAIL),
    ("ID", ORCID),
    ("URL", URL),
    ("ADDRESS", ADDRESS),
    ("POSTCODE", POSTCODE),
)
PLACEHOLDER = re.compile(r"\[(?:EMAIL|URL|PHONE|ADDRESS|POSTCODE|ID|NAME)_\d+\]")


@dataclass
class PiiMap:
    """Placeholder → original text; one map can span several texts so the same value keeps the same placeholder."""

    placeholders: dict[str, str] = field(default_factory=dict)
    _by_value: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _counts: dict[str, int] = field(default_factory=dict, repr=False)

    def placeholder(self, kind: str, value: str) -> str:
        """The placeholder for `value` (a new one the first time this exact text is seen)."""
        key = (kind, value)
        if key not in self._by_value:
            self._counts[kind] = self._counts.get(kind, 0) + 1
            token = f"[{kind}_{self._counts[kind]}]"
            self._by_value[key] = token
            self.placeholders[token] = value
        return self._by_value[key]

    def __len__(self) -> int:
        return len(self.placeholders)


def _is_phone(candidate: str) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    if not 7 <= digits <= 15 or _DATE_OR_YEARS.match(candidate.strip(" ()")):
        return False
    plain = re.sub(r"\D", "", candidate)
    has_separator = bool(re.search(r"[\s().-]", candidate))
    return candidate.startswith(("+", "00", "(")) or has_separator or (plain.startswith("0") and digits >= 9)


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Full names first, then their parts (2+ letters), matched case-insensitively on word boundaries."""
    forms: set[str] = set()
    for name in names:
        clean = " ".join(name.split())
        if not clean:
            continue
        forms.add(clean)
        forms.update(part for part in re.split(r"[\s,]+", clean) if len(part.strip(".-'")) >= 2)
    if not forms:
        return None
    ordered = sorted(forms, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(word) for word in form.split()) for form in ordered)
    return re.compile(rf"(?<![\w\[])(?:{alternatives})(?![\w\]])", re.IGNORECASE)


def redact(text: str, names: Sequence[str] = (), pii: PiiMap | None = None) -> tuple[str, PiiMap]:
    """Replace personal data in `text` with placeholders like `[EMAIL_1]`; returns the text and the map to undo it."""
    mapping = pii if pii is not None else PiiMap()
    out = text
    for kind, pattern in _KINDS:
        out = pattern.sub(lambda m, k=kind: mapping.placeholder(k, m.group(0)), out)  # type: ignore[misc]

    def phone(match: re.Match[str]) -> str:
        raw = match.group(0)
        core = raw.rstrip(" .-")
        tail = raw[len(core) :]
        return mapping.placeholder("PHONE", core) + tail if _is_phone(core) else raw

    out = _PHONE_CANDIDATE.sub(phone, out)
    name_re = _name_pattern(names)
    if name_re is not None:
        out = name_re.sub(lambda m: mapping.placeholder("NAME", m.group(0)), out)
    return out, mapping


def restore(text: str, pii: PiiMap) -> str:
    """Put the original values back in place of the placeholders (unknown placeholders are left as they are)."""
    if not pii.placeholders:
        return text
    return PLACEHOLDER.sub(lambda m: pii.placeholders.get(m.group(0), m.group(0)), text)


def restore_obj(value: Any, pii: PiiMap) -> Any:
    """`restore` applied to every string inside nested dicts, lists and tuples (e.g. a model's parsed JSON)."""
    if isinstance(value, str):
        return restore(value, pii)
    if isinstance(value, dict):
        return {k: restore_obj(v, pii) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(restore_obj(v, pii) for v in value)
    return value


def find_pii(text: str, names: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Every (kind, text) that `redact` would replace: used to prove that nothing personal is left in a text."""
    _, mapping = redact(text, names)
    return [(token.strip("[]").rsplit("_", 1)[0], value) for token, value in mapping.placeholders.items()]

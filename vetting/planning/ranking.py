"""Ranks a candidate's claims the way an interviewer picks what to probe: ownership, scale, recency, relevance."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from vetting.kernel.domain import Chunk
from vetting.kernel.quotes import normalize
from vetting.planning import vocab
from vetting.planning.claims import Claim, claims_in_chunk, units_of
from vetting.planning.vocab import word_set

PRESENT = 9999  # the end year of a role that is still going on
STRONG_OWNERSHIP = word_set(
    "lead led leading leads head headed own owned owns founded co-founded architect architected re-architected "
    "rearchitected design designed designs devised pioneered establish established introduced introduce migrate "
    "migrated launched launch shipped ship invent invented drove drive directed spearheaded managed manage managing "
    "rebuilt redesigned"
)
WEAK_OWNERSHIP = word_set(
    "assist assisted participated participate involved worked work collaborated helped help supported use used uses "
    "utilize utilized utilise utilised leverage leveraged conducted contribute contributed formed"
)
_BIG = re.compile(r"%|percent|[$€£]|\d\s?[x×]|million|billion|thousands|millions|billions|\d\s?[KMB]\+?\b", re.I)
_OUTCOME_WORDS = re.compile(
    r"\b(?:users|customers|revenue|costs?|latency|uptime|availability|retention|conversion|engagement|sign up|"
    r"accuracy|license|licence|compliance|production|entire|company-wide|all)\b",
    re.I,
)
_SCOPE = re.compile(  # breadth or stakes: the whole system, regulation, money changing hands
    r"\b(?:entire|whole|end-to-end|from scratch|company-wide|across the|licen[cs]e|regulat\w*|compliance|payments?|"
    r"financial|security|production)\b",
    re.I,
)
_ACADEMIC = re.compile(
    r"\b(?:student|thesis|coursework|course|semester|homework|bachelor|master project|class project|school|"
    r"university project|assignment|research assistant|teaching assistant)\b",
    re.I,
)
_PERSONAL = re.compile(r"\b(?:personal project|side project|hackathon|hobby)\b", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_RANGE = re.compile(
    rf"\b(?:{_MONTH}\s+)?((?:19|20)\d\d)\s*(?:[-–—]|to)\s*(?:(?:{_MONTH}\s+)?((?:19|20)\d\d)|(present|now|current|today))",
    re.I,
)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_NOT_A_ROLE_DATE = re.compile(r"updated|page \d|\br[ée]sum[ée]\b|curriculum|\bcv\b|born|\d{1,2}(?:st|nd|rd|th)\b", re.I)
_HEADER_FALLBACK = re.compile(r" #\d+$")

# How much each part weighs in a claim's priority (ownership and scale lead, as in a senior interviewer's pick).
W_OWNERSHIP, W_IMPACT, W_RECENCY, W_RELEVANCE = 1.0, 1.0, 0.5, 0.35
ACADEMIC_PENALTY, PERSONAL_PENALTY, SAME_BULLET, DECISION_BONUS = 1.5, 0.25, 1.0, 0.2
SAME_CHUNK = 0.35  # per claim already picked from one passage: deep dives spread over the candidate's material


class _Found(NamedTuple):
    claim: Claim
    year: int | None
    bullet: str
    role: str  # the line that dated the claim ("Research Assistant Summer 2021")


@dataclass(frozen=True)
class RankedClaim:
    """A claim with the year its role ended (None: undated) and the parts of its priority."""

    claim: Claim
    end_year: int | None
    bullet: str
    ownership: float
    impact: float
    recency: float
    relevance: float
    academic: bool
    priority: float


def _dates(text: str) -> list[tuple[int, int, str]]:
    """(offset, end year, line) of every role date in a text: ranges anywhere, single years only on short lines."""
    found: list[tuple[int, int, str]] = []
    offset = 0
    for line in text.split("\n"):
        ranges = list(_RANGE.finditer(line))
        if ranges:
            last = ranges[-1]
            found.append((offset + last.start(), PRESENT if last.group(3) else int(last.group(2)), line))
        elif len(line.split()) <= 10 and not _NOT_A_ROLE_DATE.search(line):
            years = _YEAR.findall(line)
            if years:
                found.append((offset, max(int(y) for y in years), line))
        offset += len(line) + 1
    return found


def claims_in_context(chunks: Iterable[Chunk], *, include_skipped: bool = False) -> list[_Found]:
    """Each claim once, in reading order, with its bullet; project header and role year carry across chunks."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    seen: set[str] = set()
    result: list[_Found] = []
    for doc_chunks in by_doc.values():
        project: str | None = None
        year: tuple[int, str] | None = None
        for chunk in sorted(doc_chunks, key=lambda c: c.index):
            dates = _dates(chunk.text)
            units = [u.text for u in units_of(chunk.text, chunk.section) if not u.is_heading]
            for claim in claims_in_chunk(chunk, include_skipped=include_skipped):
                at = _offset(chunk.text, claim.quote)
                before = [(y, line) for offset, y, line in dates if offset <= at]
                role = before[-1] if before else year
                if _HEADER_FALLBACK.search(claim.project) and project:
                    claim = replace(claim, project=project)
                project = claim.project
                if claim.key not in seen:
                    seen.add(claim.key)
                    bullet = next((u for u in units if normalize(claim.quote) in normalize(u)), claim.quote)
                    result.append(_Found(claim, role[0] if role else None, bullet, role[1] if role else ""))
            if dates:
                year = dates[-1][1:]
    return _without_fragments(result)


def _offset(text: str, quote: str) -> int:
    """Where a quote starts in a chunk whose lines wrap it (-1 when absent)."""
    pattern = r"\s+".join(re.escape(w) for w in quote.split()[:8])
    found = re.search(pattern, text)
    return found.start() if found else -1


def _without_fragments(claims: list[_Found]) -> list[_Found]:
    """Drops a claim lying inside a longer claim of its document (a line cut by a column, a summary's repeat)."""
    keys = [(f.claim.chunk.doc_id, f.claim.key.rstrip(".!? ")) for f in claims]
    return [
        found
        for found, (doc, key) in zip(claims, keys, strict=True)
        if not any(d == doc and len(k) > len(key) and key in k for d, k in keys)
    ]


def ownership_of(claim: Claim) -> float:
    """1 for led, designed, owned; 0.6 for built, implemented; 0.1 for assisted, participated, used."""
    if claim.verb in STRONG_OWNERSHIP:
        return 1.0
    if claim.verb in WEAK_OWNERSHIP:
        return 0.1
    return 0.6


def impact_of(text: str) -> float:
    """How much a text reports of scale or results: outcome figures, big numbers, users, money, latency."""
    figures = [m.group(0) for m in vocab.METRIC.finditer(text)]
    score = 0.1 if figures else 0.0
    if any(re.search(r"\d", f) for f in figures):
        score = 0.7 if any(_BIG.search(f) for f in figures if re.search(r"\d", f)) else 0.45
    if _OUTCOME_WORDS.search(text):
        score += 0.3
    if _SCOPE.search(text):
        score += 0.3
    return min(score, 1.0)


def stack_terms(stack: Sequence[str]) -> set[str]:
    """Technology names and key words of a case's technical stack, lower-cased."""
    terms = {t.lower() for line in stack for t in vocab.find_tech(line)}
    terms |= {w.lower() for line in stack for w in re.findall(r"[A-Za-z]{3,}", line)} - {"the", "and", "api", "end"}
    return terms


def relevance_of(claim: Claim, terms: set[str]) -> float:
    """1 when the claim names a technology of the case's stack, 0.5 for a shared key word, else 0."""
    if not terms:
        return 0.0
    if {t.lower() for t in claim.tech} & terms:
        return 1.0
    words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", claim.quote)}
    return 0.5 if len(words & terms) >= 2 else 0.0


def rank_claims(chunks: Sequence[Chunk], stack: Sequence[str] = ()) -> list[RankedClaim]:
    """Every claim of the candidate, highest priority first; education and coursework only when nothing else exists."""
    found = claims_in_context(chunks)
    if not found:
        found = claims_in_context(chunks, include_skipped=True)
    terms = stack_terms(stack)
    years = [f.year for f in found if f.year is not None and f.year != PRESENT]
    now = max(years, default=0) + 1
    newest = max(((now if f.year == PRESENT else f.year) for f in found if f.year is not None), default=None)
    ranked: list[RankedClaim] = []
    for claim, raw_year, bullet, role in found:
        year = now if raw_year == PRESENT else raw_year
        context = f"{claim.project} {role} {claim.chunk.section or ''} {claim.quote}"
        academic = bool(_ACADEMIC.search(context))
        recency = 0.5 if year is None or newest is None else max(0.0, 1.0 - (newest - year) / 8)
        impact = max(impact_of(claim.quote), 0.8 * impact_of(bullet))
        ownership, relevance = ownership_of(claim), relevance_of(claim, terms)
        priority = (
            W_OWNERSHIP * ownership
            + W_IMPACT * impact
            + W_RECENCY * recency
            + W_RELEVANCE * relevance
            + DECISION_BONUS * (claim.kind == "decision")
            - ACADEMIC_PENALTY * academic
            - PERSONAL_PENALTY * bool(_PERSONAL.search(context))
        )
        ranked.append(RankedClaim(claim, year, bullet, ownership, impact, recency, relevance, academic, priority))
    for unwanted in (lambda r: r.academic, lambda r: not r.claim.whole):  # only when nothing else is left
        if any(not unwanted(r) for r in ranked):
            ranked = [r for r in ranked if not unwanted(r)]
    return sorted(ranked, key=lambda r: -r.priority)


def top_claims(ranked: Sequence[RankedClaim], count: int, same_project: float = 0.35) -> list[RankedClaim]:
    """The `count` claims to ask about: highest priority first, a second claim of one project or passage only if it
    stands out."""
    picked: list[RankedClaim] = []
    projects: Counter[str] = Counter()
    chunks: Counter[str] = Counter()
    bullets: set[str] = set()
    left = list(ranked)

    def value(r: RankedClaim) -> float:
        return (
            r.priority
            - same_project * projects[_project_key(r.claim)]
            - SAME_CHUNK * chunks[r.claim.chunk.id]
            - SAME_BULLET * (r.bullet in bullets)
        )

    while left and len(picked) < count:
        best = max(left, key=value)
        picked.append(best)
        left.remove(best)
        projects[_project_key(best.claim)] += 1
        chunks[best.claim.chunk.id] += 1
        bullets.add(best.bullet)
    return picked


def _project_key(claim: Claim) -> str:
    return normalize(claim.project).lower()

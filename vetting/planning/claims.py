"""Project claims in a candidate's chunks: sentences saying what they built, with what, and with what result."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from ingest.chunking import heading_of
from vetting.kernel.domain import Chunk
from vetting.kernel.quotes import normalize
from vetting.kernel.text import sentences
from vetting.planning import vocab
from vetting.planning.vocab import word_set

ClaimKind = Literal["metric", "decision", "led", "improved", "built", "result"]

MAX_QUOTE = 200
NO_THING = "this work"  # what a claim is about when its words do not say
_BULLET = re.compile(r"^\s*(?:[•◦▪‣●○■□◆◇►▸*·–—-]|\d{1,2}[.)])\s+")
_LABEL = re.compile(r"^(?P<label>[A-Z][^:.!?]{1,40}?):\s+(?=\S)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’+-]*")
_BOUNDARY = re.compile(
    r"\s(?:using|with|for|to|that|which|in|on|by|from|across|at|into|via|through|so|where|while|as|within|over|"
    r"under|based|leveraging|utilizing|including|such)\s|[,;()!?]|[.:](?=\s|$)|\s[–—-]\s"
)
_CONNECTORS = ("and", "or", "of", "the", "to", "with", "for", "in", "on", "a", "an", "&", "by", "as", "from", "at")
_USE_VERBS = word_set(
    "use used uses utilize utilized utilise utilised leverage leveraged apply applied work worked collaborated"
)
_SUBJECT_END = word_set(
    "is was are were has had predicts predicted serves served handles handled runs ran achieves achieved reached "
    "reaches processes processed enables enabled allows allowed automates delivers delivered supports supported"
)
_NOT_DESIGN_VERBS = word_set("work worked run test form found make made add set")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_RANGE = re.compile(
    rf"\b(?:{_MONTH}\s+)?(?:19|20)\d\d\s*(?:[-–—]|to)\s*(?:(?:{_MONTH}\s+)?(?:19|20)\d\d|present|now|current|today)\b",
    re.IGNORECASE,
)
_CODE = re.compile(r"[{};]|\bdef |\bself\.|\breturn |==|\(\)|```")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"\*\*|__|`|\[|\]\([^)]*\)")


@dataclass(frozen=True)
class Claim:
    """One project claim: its verbatim sentence (the quote), where it is, and the words a question can reuse."""

    quote: str
    chunk: Chunk
    kind: ClaimKind
    verb: str
    thing: str
    tech: tuple[str, ...]
    metric: str | None
    alternative: str | None
    project: str
    whole: bool = True  # False: the sentence was longer than MAX_QUOTE and the quote holds only its first clauses

    @property
    def key(self) -> str:
        """Identity of the claim across overlapping chunks."""
        return normalize(self.quote).lower()


@dataclass(frozen=True)
class _Unit:
    """A paragraph or bullet of a chunk, with its wrapped lines joined back together."""

    text: str
    section: str | None
    is_heading: bool = False


def _ends_open(line: str) -> bool:
    """True when a line visibly continues on the next one (trailing comma, connector word, hyphen)."""
    stripped = line.rstrip()
    if stripped.endswith((",", "-", "/", "&", "(")):
        return True
    last = stripped.rsplit(" ", 1)[-1].lower()
    return last in _CONNECTORS


def _starts_with_action(text: str) -> bool:
    words = _WORD.findall(text[:60])
    return bool(words) and text[:1].isupper() and words[0].lower() in vocab.ACTION_VERBS


def units_of(text: str, section: str | None = None) -> list[_Unit]:
    """Rebuild paragraphs from extracted lines: a new one starts at a heading, a bullet, or a short finished line."""
    lines = [line.strip() for line in text.split("\n")]
    width = max((len(line) for line in lines), default=0)
    units: list[_Unit] = []
    current: list[str] = []

    def close() -> None:
        if current:
            units.append(_Unit(" ".join(current), section))
            current.clear()

    in_code = False
    for line in lines:
        if line.startswith(("```", "~~~")):  # a fenced code block: never prose, never a claim
            close()
            in_code = not in_code
            continue
        if not line or in_code:
            close()
            continue
        title = heading_of(line)
        if title is not None:
            close()
            section = title
            units.append(_Unit(line, section, is_heading=True))
            continue
        bullet = _BULLET.match(line)
        if bullet:
            close()
            current.append(line[bullet.end() :])
            continue
        if current:
            previous = current[-1]
            short = len(previous) < 0.6 * width and not _ends_open(previous)
            finished = previous.endswith((".", "!", "?", ":"))
            header_like = (
                len(line) < 0.5 * width and len(line.split()) >= 2 and not _ends_open(previous) and line[-1:].isalnum()
            )
            if (short or finished or header_like or _starts_with_action(line)) and not line[:1].islower():
                close()
        if _DATE_RANGE.search(line):  # "Data Scientist, Uber 2018 - 2021": a heading line of its own
            close()
            units.append(_Unit(line, section))
            continue
        current.append(line)
    close()
    return units


def _section_skipped(section: str | None) -> bool:
    return bool(section) and "-".join(str(section).lower().split()) in vocab.SKIP_SECTIONS


def _verb_at(words: list[str]) -> int | None:
    """Index of the claim's action verb: first word, after a lead-in ("I", "We'll", "Also"), or after a modal."""
    lowered = [w.lower().strip("'’") for w in words[:10]]
    for i, word in enumerate(lowered[:4]):
        if word in vocab.ACTION_VERBS and (i == 0 or all(w in vocab.LEAD_IN_WORDS for w in lowered[:i])):
            return i
        if word not in vocab.LEAD_IN_WORDS:
            break
    for i, word in enumerate(lowered[:8]):
        following = lowered[i + 1] if i + 1 < len(lowered) else ""
        if word in vocab.MODALS and following in vocab.BUILD_VERBS - _NOT_DESIGN_VERBS:
            return i + 1
    return None


def _metric(text: str) -> str | None:
    for match in vocab.METRIC.finditer(text):
        if not vocab.NOT_METRIC_CONTEXT.search(text[: match.start()]):
            return match.group(0).strip()
    return None


def _clean(text: str) -> str:
    text = " ".join(_MARKUP.sub("", _LINK.sub(r"\1", text)).split())
    return re.sub(r"^[^\w(]+", "", text).strip(" *_`'\"“”")


def _object(rest: str) -> str:
    """The words before the first boundary; past commas while they only separate adjectives ("scalable, robust X")."""
    text = f" {rest} "
    start = 0
    while True:
        cut = _BOUNDARY.search(text, start)
        if cut is None:
            return _clean(rest)
        segment = text[start : cut.start()].split()  # the words since the previous comma
        adjective = len(segment) == 1 and segment[0][:1].islower() and segment[0].lower() not in vocab.ARTEFACT_NOUNS
        if cut.group(0) == "," and adjective:
            start = cut.end()
            continue
        return _clean(text[: cut.start()].strip())


def _thing(rest: str, verb: str = "") -> str:
    """The object of the claim's verb, in the candidate's words, as a definite noun phrase ("the search bar")."""
    rest = _LINK.sub(r"\1", rest).replace("**", "").replace("`", "")
    rest = re.sub(r"^(?:and|&)\s+[a-z-]+\s+", "", rest.strip())  # "Designed and implemented X" -> X
    rest = re.sub(
        r"^(?:up\s+)?(?:[a-z]+ly\s+)?(?:(?:in|on|with|of)\s+)?", "", rest
    )  # "Set up X", "Worked closely on X"
    phrase = _object(rest)
    if verb in _USE_VERBS and (not phrase or vocab.find_tech(phrase) or phrase[:1].isupper()):
        purpose = re.search(r"\s(?:for|to)\s+(?P<p>.+)$", f" {rest}")  # "Used PyTorch for model development"
        phrase = _object(purpose.group("p")) if purpose else phrase
    phrase = re.sub(r"^(?:[a-z]+ing|create|build|develop|design|plan)\s+(?=\S)", "", phrase)  # "migrating X" -> X
    phrase = re.sub(r"^the (?:efficiency|performance|speed|quality|reliability|accuracy) of\s+", "", phrase)
    verb_after_and = re.search(r"\s(?:and|&)\s+(?P<v>[a-z-]+)\b", phrase)
    if verb_after_and and verb_after_and.group("v") in vocab.ACTION_VERBS:  # "X and wrote Y" -> X
        phrase = phrase[: verb_after_and.start()]
    tail = re.search(r"\sand\s(?P<t>.*)$", phrase)
    if (
        tail and vocab.find_tech(tail.group("t")[:30]) and re.search(r"\b[a-z]{3,}", phrase[: tail.start()])
    ):  # "model development and Docker" -> "model development"
        phrase = phrase[: tail.start()]
    words = phrase.split()[:9]
    if not words:
        return NO_THING
    first = words[0].lower()
    if all(w[:1].isupper() or w in ("and", "of", "&") for w in words):  # a proper name: "Yoda", "Apache Beam"
        return " ".join(words)
    if first in ("some", "several", "various", "multiple", "many", "all", "each", "both", "two", "three"):
        return " ".join(words)
    if first in ("a", "an", "our", "my"):
        words[0] = "the" if first in ("a", "an", "our") else "your"
    elif first not in ("the", "this", "these", "those", "their", "its", "your") and not re.match(r"\d", first):
        words.insert(0, "the")
    return " ".join(words)


def _trim(quote: str) -> str:
    """A quote of at most MAX_QUOTE characters, cut at a clause boundary (else a word boundary), never mid-word."""
    quote = quote.strip().rstrip(",;:-–— ")
    if len(quote) <= MAX_QUOTE:
        return quote
    head = quote[:MAX_QUOTE]
    for mark in (";", ",", " – ", " — ", " - "):
        at = head.rfind(mark)
        if at >= 60:
            return head[:at].rstrip(",;:-–— ")
    return head[: head.rfind(" ")].rstrip(",;:-–— ")


def _kind(verb: str, sentence: str, metric: str | None, modal: bool) -> ClaimKind:
    lowered = sentence.lower()
    outcome = metric is not None and re.search(r"%|percent|[$€£]|\d\s?[x×]", metric) is not None
    if metric and (outcome or verb not in vocab.LEAD_VERBS):  # "Led 6 engineers to 12 services" is about leading
        return "metric"
    if modal or any(cue in lowered for cue in vocab.DECISION_CUES) or verb in ("migrated", "migrate", "replaced"):
        return "decision"
    if verb in vocab.LEAD_VERBS:
        return "led"
    if verb in vocab.IMPROVE_VERBS:
        return "improved"
    return "built"


def claim_in(sentence: str, chunk: Chunk, project: str) -> Claim | None:
    """The claim a sentence makes, or None when it is not about work the candidate did or designed."""
    label = _LABEL.match(sentence)
    body = sentence[label.end() :] if label and _verb_at(_WORD.findall(sentence[label.end() :])) == 0 else sentence
    if label and body is not sentence:
        project = label.group("label")
    whole = sentence if body is not sentence and body[:1].islower() else body  # "Churn: owned X" is quoted whole
    words = _WORD.findall(body)
    if len(words) < 5 or not body[:1].isalpha() or _CODE.search(body):
        return None
    metric = _metric(body)
    tech = vocab.find_tech(body)
    at = _verb_at(words)
    if at is None:
        first = words[0].lower()
        figures = " ".join(m.group(0) for m in vocab.METRIC.finditer(body))
        big = re.search(r"million|billion|thousand|\d\s?[KMB]\b", figures) is not None
        has_result = metric is not None and (big or any(w.lower() in vocab.RESULT_CUES for w in words))
        if first in ("the", "this", "our", "my") and has_result:  # "The model predicts ... with 92% accuracy"
            subject_words = words[:1]
            for word in words[1:4]:
                if word.lower() in _SUBJECT_END | vocab.IMPROVE_VERBS | {"which", "that"}:
                    break
                subject_words.append(word)
            subject = _clean(" ".join(subject_words))
            quote = _trim(whole)
            thing = _thing(subject)
            return Claim(
                quote, chunk, "result", words[1].lower(), thing, tech, metric, None, project, _is_whole(quote, body)
            )
        return None
    verb = words[at].lower()
    if verb in vocab.NOT_CLAIM_VERBS:
        return None
    lowered = {w.lower() for w in words}
    substantial = tech or metric or lowered & vocab.ARTEFACT_NOUNS or verb in vocab.LEAD_VERBS | vocab.IMPROVE_VERBS
    if not substantial:
        return None
    rest = body[body.find(words[at]) + len(words[at]) :] if words[at] in body else ""
    modal = at > 0 and words[at - 1].lower() in vocab.MODALS
    alternative = vocab.ALTERNATIVE.search(body)
    alt_text = _clean(alternative.group("alt")) if alternative else None
    kind = _kind(verb, body, metric, modal)
    quote = _trim(whole)
    return Claim(quote, chunk, kind, verb, _thing(rest, verb), tech, metric, alt_text, project, _is_whole(quote, whole))


def _is_whole(quote: str, body: str) -> bool:
    return normalize(quote) == normalize(body.strip().rstrip(",;:-–— "))


def claims_in_chunk(chunk: Chunk, *, include_skipped: bool = False) -> Iterator[Claim]:
    """Every claim in one chunk, outside sections that never hold projects (education, skills, ...) unless asked."""
    header = f"{chunk.document} #{chunk.index}"
    for unit in units_of(chunk.text, chunk.section):
        if unit.is_heading:
            continue
        if _section_skipped(unit.section) and not include_skipped:
            continue
        found = False
        for sentence in sentences(unit.text, prose=True):
            claim = claim_in(sentence, chunk, header)
            if claim is not None:
                found = True
                yield claim
        dated = _DATE_RANGE.search(unit.text) is not None  # "Engineer, Acme, 2019 - 2023" is a role, not an action
        if (
            not found
            and len(unit.text) <= 90
            and not unit.text.endswith(".")
            and (dated or not _starts_with_action(unit.text))
        ):
            header = _clean(unit.text)  # a job title or project name line: the project of the claims below


def extract_claims(chunks: Iterable[Chunk]) -> list[Claim]:
    """Claims of all chunks, each once (overlapping chunks repeat sentences), in reading order."""
    seen: set[str] = set()
    claims: list[Claim] = []
    for chunk in chunks:
        for claim in claims_in_chunk(chunk):
            if claim.key not in seen:
                seen.add(claim.key)
                claims.append(claim)
    return claims

"""The checks every deep dive must pass, whichever engine wrote it: the claim quoted whole, one well-formed question."""

from __future__ import annotations

import re

from vetting.planning import vocab
from vetting.planning.questions import LAST_RESORT, LEAD_INS, TEMPLATES, Template, is_figure
from vetting.planning.vocab import find_tech


def _pattern(template: Template) -> re.Pattern[str]:
    parts = re.split(r"({\w+})", template.text)
    body = "".join(f"(?P<{p[1:-1]}>.+?)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(body)


_PATTERNS = [(t, _pattern(t)) for ts in TEMPLATES.values() for t in ts] + [(LAST_RESORT, _pattern(LAST_RESORT))]


def question_problems(text: str, quote: str, source: str | None = None) -> list[str]:
    """Why an offline deep dive is not well formed (empty when it is): see `slot_values` for what a slot may hold.

    Well formed: a lead-in quoting `quote` whole, then exactly one known question whose slots hold a complete figure
    or technology name found in the quote; the quote itself starts a sentence and does not end on a dangling word.
    """
    problems = quote_problems(quote, source)
    lead = next((lead.format(quote=quote) for lead in LEAD_INS if text.startswith(lead.format(quote=quote))), None)
    if lead is None:
        return [*problems, "does not open by quoting the claim whole"]
    rest = text[len(lead) :].removeprefix(" " if quote[-1:] in ".!?" else ". ")
    for _, pattern in _PATTERNS:
        match = pattern.fullmatch(rest)
        if match is None:
            continue
        for name, value in match.groupdict().items():
            if name == "metric" and not (
                value.startswith("“") and value.endswith("”") and is_figure(value[1:-1]) and value[1:-1] in quote
            ):
                problems.append(f"slot metric holds {value!r}, not a whole figure of the claim")
            if name == "tech" and value not in find_tech(quote):
                problems.append(f"slot tech holds {value!r}, not a technology the claim names")
        return problems
    return [*problems, f"not one of the known questions: {rest!r}"]


_DANGLING = vocab.word_set(
    "a an the and or of to with for in on by as from at into via using including such like than that which "
    "whose while across over under"
)


def quote_problems(quote: str, source: str | None = None) -> list[str]:
    """Why a quoted claim is a fragment (empty when whole): it must start a sentence and not stop mid-phrase.

    With its `source` text, the quote must also be followed there by the end, a sentence mark or a new capitalised
    sentence or line, never by more lower-case words of the same phrase.
    """
    problems = []
    if source is not None:
        flat = " ".join(source.split())
        at = flat.find(" ".join(quote.split()))
        after = flat[at + len(" ".join(quote.split())) :].lstrip() if at >= 0 else ""
        if at >= 0 and after and after[:1].islower():
            problems.append(f"claim is cut before {after[:30]!r}")
    words = re.findall(r"[\w'’+-]+", quote)
    if not quote[:1].isupper() and not quote[:1].isdigit():
        problems.append(f"claim starts mid-sentence: {quote[:30]!r}")
    if not words or words[-1].lower() in _DANGLING or quote.rstrip()[-1:] in ",;:-–—(/&":
        problems.append(f"claim ends mid-phrase: {quote[-30:]!r}")
    return problems


_PROBES = re.compile(
    r"trade-?off|decid|decision|chose|choice|alternative|instead|reject|fail|wrong|broke|incident|measur|baseline|"
    r"metric|number|result|cost|risk|lesson|differently|why|how did|how do|what made",
    re.IGNORECASE,
)
MAX_QUESTION_WORDS = 45


def llm_question_problems(question: str) -> list[str]:
    """Why a language model's question is not well formed (empty when it is), checked before the quote is added.

    Well formed: one open question (ends with "?", at most two "?"), at most MAX_QUESTION_WORDS words, not "Tell me
    about ...", asking about trade-offs, decisions, failures or measured results (a probe word), and no quote marks:
    the claim is quoted whole before it, never in pieces inside it.
    """
    problems = []
    text = question.strip()
    if not text.endswith("?") or text.count("?") > 2:
        problems.append("not one question ending with '?'")
    if len(text.split()) > MAX_QUESTION_WORDS:
        problems.append(f"longer than {MAX_QUESTION_WORDS} words")
    if re.match(r"(?:can you |could you )?(?:tell me|talk|describe)\b", text, re.IGNORECASE):
        problems.append("an invitation to talk, not a question about a decision or result")
    if not _PROBES.search(text):
        problems.append("asks about no trade-off, decision, failure or measured result")
    if re.search(r"[“”\"]", text):
        problems.append("quotes a piece of the claim instead of the whole claim")
    return problems


def planned_question_problems(text: str, quote: str, source: str | None = None) -> list[str]:
    """The check for any deep dive, whichever engine wrote it: the whole quote first, then a well-formed question."""
    if not question_problems(text, quote, source):
        return []
    problems = quote_problems(quote, source)
    lead = next((lead.format(quote=quote) for lead in LEAD_INS if text.startswith(lead.format(quote=quote))), None)
    if lead is None:
        return [*problems, "does not open by quoting the claim whole"]
    rest = text[len(lead) :].removeprefix(" " if quote[-1:] in ".!?" else ". ")
    return problems + llm_question_problems(rest)

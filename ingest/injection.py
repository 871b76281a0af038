"""Instructions aimed at an AI reader ("ignore previous instructions", "rate this candidate 10/10"), undisguised."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.disguise import View, decoded_runs, matching_views, spaced_runs
from ingest.injection_phrases import EXTRA_PATTERNS, SQUASHED_STEMS

__all__ = ["INJECTION_PATTERNS", "Hit", "cut_injections", "find_injection_hits", "find_injections", "remove_injections"]

_W = r"[\W_]+"  # any run of spaces and punctuation between two words
_NUM = r"\d+(?:\.\d+)?(?:\s*(?:/|out\W+of)\s*\d+)?"
_ME = r"(?:this|the|that)\W+(?:candidate|applicant|resume|résumé|cv|person|profile|individual|application|interviewee)"
_AI = (
    r"(?:ai|a\.i\.|llms?|gpt(?:-?\d\w*)?|chatgpt|claude|gemini|copilot|(?:large\W+)?language\W+models?|chatbots?|"
    r"ai\W+(?:assistants?|models?|systems?|screeners?|reviewers?|recruiters?|evaluators?|agents?|tools?|readers?)|"
    r"screening\W+(?:tools?|systems?|software|bots?|ai|algorithms?)|ats|applicant\W+tracking\W+systems?|"
    r"automated\W+(?:screeners?|reviewers?|systems?|recruiters?|tools?|screening|readers?)|"
    r"resume\W+(?:parsers?|screeners?|scanners?)|recruit(?:ing|ment)\W+(?:bots?|ai|software))"
)
_PRAISE = (
    r"(?:excellent|best|perfect|ideal|exceptional|outstanding|great|top|strongest|(?:highly\W+|most\W+|over)?qualified|"
    r"brilliant|amazing|superb|must\W*hire|strong\W+hire|right\W+(?:choice|fit|person)|obvious\W+choice|clear\W+choice|"
    r"hired|selected|shortlisted|recommended|approved|fit|match|genius)"
)
_TOP_SCORE = (
    rf"(?:{_NUM}|full\W+(?:marks|points|score)|top\W+(?:score|marks|rating|grade)|max(?:imum)?\W+(?:score|marks|points|"
    r"rating|grade)|highest\W+(?:score|rating|marks|grade|possible)|perfect\W+(?:score|rating|marks)|high\W+(?:score|"
    r"rating|marks)|strong\W+(?:hire|yes|recommendation)|five\W+stars|5\W+stars|excellent\W+(?:score|rating))"
)

# Each pattern is matched against a lower-cased copy of the text; a hit marks the whole sentence as an injection.
INJECTION_PATTERNS: dict[str, str] = {
    "override instructions": (
        rf"\b(?:ignore|disregard|forget|override|overrule|bypass|neglect|discard|dismiss|set\W+aside|do\W+not\W+follow|"
        rf"don'?t\W+follow|stop\W+following)\b{_W}(?:(?:all|any|every|each|of|the|your|my|these|those|this|that|"
        rf"previous|prior|above|earlier|preceding|foregoing|former|original|other|existing|initial|system|given|current|"
        rf"default|old|aforementioned|everything|of\W+the)\b{_W}){{0,5}}?(?:instructions?|prompts?|directions|"
        rf"directives?|guidelines|guidance|programming|rubrics?|system\W+prompts?)\b"
    ),
    "forget everything above": (
        rf"\b(?:ignore|disregard|forget|override|discard)\b{_W}(?:(?:all|everything|anything|any|the|of|what|that)\b"
        rf"{_W}){{0,3}}(?:above|before|previously|earlier|prior|preceding|you\W+(?:were|have\W+been)\W+told|"
        rf"(?:previous|prior|earlier|above|preceding)\W+(?:context|messages?|rules?|commands?|text|content|criteria|"
        rf"constraints?|input|conversation|information))\b"
    ),
    "new instructions": (
        r"\b(?:new|updated|revised|real|actual|true|hidden|secret|additional|important|special|system|admin(?:istrator)?|"
        r"developer|override)\W+(?:instructions?|directives?|prompt|orders)\s*[:\-]"
    ),
    "role change": (
        rf"\byou{_W}are{_W}now\b|\bfrom{_W}now{_W}on\b(?:{_W}\w+){{0,3}}?{_W}(?:you|your)\b|"
        rf"\b(?:pretend|imagine)\b{_W}(?:to{_W}be|that{_W}you|you{_W}are)\b|"
        rf"\byou{_W}(?:will|must|should|shall|are{_W}to|now){_W}(?:act|behave|roleplay|role{_W}play|pretend)\b"
    ),
    "system prompt": (
        rf"\b(?:ignore|disregard|forget|override|bypass|reveal|print|repeat|show|leak|output|display|share|dump|expose)\b"
        rf"(?:{_W}\w+){{0,3}}?{_W}system{_W}prompts?\b|\bsystem{_W}prompt\s*[:=]|"
        r"<\|?\s*(?:im_start|im_end|system|endoftext|eot_id|start_header_id)\s*\|?>|\[/?inst\]|<</?sys>>|"
        r"^\s*(?:#{1,6}\s*)?(?:system|assistant|user)\s*:\s*(?:you|ignore|disregard|please|the\W+candidate|"
        r"this\W+candidate|rate|score)\b|"
        rf"\b(?:enable|enter|activate|switch{_W}to)\b{_W}(?:developer|admin|debug|god|jailbreak|dan|unrestricted){_W}mode\b"
    ),
    "rate this candidate": (
        rf"\b(?:rate|score|grade|rank|mark|evaluate|assess|judge|classify|label)\b{_W}{_ME}\b|"
        rf"\b(?:rate|score|grade|rank|mark)\b{_W}(?:(?:the|this|that|my|our){_W})?(?:candidate|applicant|resume|résumé|"
        rf"cv|profile|application|me|him|her|them)\b{_W}(?:(?:as|at|with|a|an|the){_W}){{0,2}}(?:{_NUM}|highly|high|"
        rf"top|maximum|max|highest|perfect|excellent|outstanding|exceptional|positively|favou?rably|strong(?:ly)?|best|"
        rf"full)\b"
    ),
    "give top marks": (
        rf"\bgive\b{_W}(?:(?:this|the|that){_W})?(?:candidate|applicant|person|me|him|her|them|(?:this|the){_W}(?:resume|"
        rf"résumé|cv|profile|application))\b{_W}(?:(?:a|an|the){_W})?{_TOP_SCORE}|"
        rf"\bgive\b{_W}(?:(?:a|an|the){_W})?(?:{_NUM}\W+(?:to|for)\b|{_TOP_SCORE}{_W}(?:to|for)\b)"
    ),
    "candidate is excellent": (
        rf"\b(?:this|the){_W}(?:candidate|applicant|interviewee)\b{_W}(?:is|would{_W}be|will{_W}be|should{_W}be|"
        rf"must{_W}be)\b{_W}(?:(?:an?|the|very|truly|clearly|extremely|highly|definitely|absolutely|most|by{_W}far|"
        rf"obviously|exactly|certainly|really){_W}){{0,3}}{_PRAISE}\b"
    ),
    "recommend hiring": (
        rf"\b(?:recommend(?:ing)?|suggest(?:ing)?|advise|advising|urge)\b{_W}(?:(?:that{_W})?you{_W})?(?:hir(?:e|ing)|"
        rf"shortlist(?:ing)?|select(?:ing)?|advanc(?:e|ing)|approv(?:e|ing)|accept(?:ing)?|mov(?:e|ing){_W}forward{_W}"
        rf"with)\b{_W}(?:this|the|that|me|him|her|them)\b|"
        rf"\b(?:hire|shortlist|select|approve|accept|advance|pass|recommend)\b{_W}(?:this|that){_W}(?:candidate|applicant|"
        rf"person|individual)\b|"
        rf"\brecommend{_W}hiring\b(?!{_W}(?:managers?|decisions?|process|practices|strateg\w+|plans?|needs|for|teams?)\b)|"
        rf"\b(?:final|overall){_W}(?:decision|verdict|recommendation|score|rating|assessment|evaluation)\b{_W}(?:should|"
        rf"must|shall|will|is{_W}to){_W}be\b"
    ),
    "steer the questions": (
        rf"\b(?:only|just|exclusively)\b{_W}ask\b(?:{_W}\w+){{0,3}}?{_W}(?:about|on|regarding|questions)\b|"
        rf"\bask\b{_W}(?:only|exclusively|just)\b{_W}(?:\w+{_W}){{0,2}}?(?:about|on|regarding|questions)\b|"
        rf"\b(?:do{_W}not|don'?t|never|avoid|must{_W}not|should{_W}not|shouldn'?t|refrain{_W}from)\b{_W}(?:ask(?:ing)?|"
        rf"question(?:ing)?|bring(?:ing)?{_W}up|prob(?:e|ing)|inquir(?:e|ing)|quiz(?:zing)?)\b(?:{_W}(?:me|him|her|them|"
        rf"the{_W}candidate|this{_W}candidate|any|further|follow{_W}?up|questions?|about|on|regarding|into)\b){{1,4}}|"
        rf"\bfocus{_W}(?:your|all|the|all{_W}your|any){_W}(?:questions|interview|questioning)\b|"
        rf"\b(?:questions|interview(?:ers?)?)\b{_W}(?:should|must|shall)\b{_W}(?:only{_W})?(?:focus|be{_W}(?:about|"
        rf"limited|restricted)|cover{_W}only|avoid)\b"
    ),
    "addressed to an AI": (
        rf"\bas{_W}an?{_W}(?:(?:ai|llm){_W}(?:language{_W}model|model|assistant|system|chatbot|agent|screener|recruiter|"
        rf"reviewer|evaluator|reader)|(?:large{_W})?language{_W}model|artificial{_W}intelligence{_W}(?:model|system|"
        rf"assistant))\b(?!{_W}(?:engineer|developer|researcher|scientist|specialist|architect|practitioner|enthusiast|"
        rf"expert|lead|consultant|product|startup|company|team|professional|student|intern|trainer|manager|analyst|"
        rf"designer|platform|evaluation|benchmark|project|course)s?\b)|"
        rf"\bas{_W}an?{_W}(?:ai|llm)\b{_W}(?:you|your|it{_W}is|please|ignore|disregard|you'?re)\b|"
        rf"\bif{_W}you{_W}are{_W}(?:an?{_W})?(?:ai|a\.i\.|llm|large{_W}language{_W}model|language{_W}model|chatgpt|"
        rf"gpt|claude|gemini|bot|automated|machine|model|assistant|screening|robot|program)\b|"
        rf"\b(?:dear|hey|hi|hello|note{_W}(?:to|for)|message{_W}(?:to|for)|instructions?{_W}(?:to|for)|reminder{_W}"
        rf"(?:to|for))\b{_W}(?:the{_W}|any{_W}|all{_W})?{_AI}\b|"
        rf"\b{_AI}\s*[,:]\s*(?:please{_W})?(?:ignore|disregard|forget|rate|score|recommend|say|respond|reply|output|give|"
        rf"mark|rank|note|consider|treat|you|hire|select|approve|shortlist|do{_W}not|don'?t)\b"
    ),
    "instructions to the reader": (
        rf"\byou{_W}(?:must|should|will|shall|need{_W}to|have{_W}to|are{_W}(?:required|instructed|expected){_W}to)"
        rf"{_W}(?:now{_W}|always{_W}|only{_W})?(?:ignore|disregard|forget|overlook|rate|score|grade|rank|mark|output|"
        rf"respond|reply|classify|recommend|shortlist|approve|give{_W}(?:this|the|a|full|top|maximum|high))\b|"
        rf"\bplease\b{_W}(?:ignore|disregard|forget|overlook|rate|score|grade|rank|mark|recommend|shortlist|approve|"
        rf"classify|output|respond{_W}with|reply{_W}with)\b|"
        r"\b(?:respond|reply|answer|output|say)\s+(?:(?:only|just|exactly|simply|nothing\s+but)\s+)?(?:with\s+)?"
        r"(?:the\s+(?:words?|phrases?|text)\s+)?[\"“‘'][^\"”’'\n]{1,60}[\"”’']|"
        rf"\b(?:respond|reply|answer|output)\b{_W}(?:only|just|exactly|simply){_W}with\b|"
        rf"\b(?:your{_W}(?:response|answer|output|reply|evaluation|assessment|score|rating|summary|verdict|"
        rf"recommendation|review)|the{_W}(?:evaluation|assessment|score|rating|verdict|recommendation){_W}(?:for|of)"
        rf"{_W}{_ME})\b{_W}(?:must|should|shall|will|has{_W}to|needs{_W}to)\b|"
        rf"\b(?:do{_W}not|don'?t|never)\b{_W}(?:reveal|mention|disclose|tell|repeat|reference)\b{_W}(?:\w+{_W}){{0,2}}?"
        rf"(?:instructions?|this{_W}(?:text|message|note|line)|these{_W}(?:lines|notes))\b|"
        rf"\b(?:this|the{_W}following)\b{_W}(?:text|note|message|instruction|section)\b{_W}(?:is{_W})?(?:for|intended"
        rf"{_W}for|meant{_W}for|addressed{_W}to)\b{_W}(?:the{_W}|any{_W})?{_AI}\b"
    ),
}

_ALL_PATTERNS: dict[str, str] = {**INJECTION_PATTERNS, **EXTRA_PATTERNS}
_RULES = list(_ALL_PATTERNS)
_COMPILED = re.compile("|".join(f"(?P<r{n}>{p})" for n, p in enumerate(_ALL_PATTERNS.values())), re.MULTILINE)
_SQUASHED = re.compile(SQUASHED_STEMS)
_SENTENCE_END = re.compile(r"[.!?]+(?=[\s\"”’')\]]|$)")
_SPLIT_VERB = re.compile(
    r"(?:^|[.!?:;]\s+|\bplease\s+|\bjust\s+|\bnow\s+)(?P<v>ignore|disregard|forget|discard|override|drop|scrap)\b",
    re.MULTILINE,
)
_SPLIT_OBJECT = re.compile(
    r"\b(?:instructions?|guidance|guidelines|directions|directives?|prompts?|rules|orders)\b[^.!?]{0,60}?\b(?:you\W+(?:were|"
    r"have\W+been|got)\W+(?:given|told)|before|earlier|above|previously|so\W+far|until\W+now)\b|\b(?:previous|prior|earlier|"
    r"above|preceding|original|initial|system)\W+(?:\w+\W+)?(?:instructions?|guidance|guidelines|directions|prompts?|rules)\b"
)


@dataclass(frozen=True)
class Hit:
    """One instruction found: its span in the original text and the rule that fired."""

    start: int
    end: int
    rule: str


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence or line holding `pos`, reaching back over wrapped lines that continue it."""
    start = pos
    for _ in range(4):
        line_start = text.rfind("\n", 0, start) + 1
        ends = [m.end() for m in _SENTENCE_END.finditer(text, line_start, start)]
        if ends:
            return ends[-1]
        previous_line_end = line_start - 1
        if previous_line_end <= 0 or text[previous_line_end - 1 : previous_line_end] in ("\n", ""):
            return line_start
        first = text[line_start : line_start + 1]
        if not first.islower() or text[previous_line_end - 1] in ".!?:;":
            return line_start
        start = previous_line_end
    return line_start


def _sentence_end(text: str, pos: int) -> int:
    """End of the sentence or line holding `pos`, running on over wrapped lines that continue it."""
    end = pos
    for _ in range(4):
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        m = _SENTENCE_END.search(text, end, line_end)
        if m:
            return m.end()
        nxt = text[line_end + 1 : line_end + 2]
        if line_end >= len(text) or not nxt.islower() or text[line_end - 1 : line_end] in (":", ";"):
            return line_end
        end = line_end + 1
    return end


def _raw_hits(text: str) -> list[Hit]:
    """Matches of every rule on each disguise-free view of `text`, as spans of the original text."""
    hits: list[Hit] = []
    for view in matching_views(text):
        for lo, hi in view.windows or ((0, len(view.text)),):
            for match in _COMPILED.finditer(view.text, lo, hi):
                rule = _RULES[int((match.lastgroup or "r0")[1:])]
                hits.append(Hit(*view.span(match.start(), match.end(), len(text)), rule))
            hits.extend(_split_hits(view, len(text), lo, hi))
        for start, end, letters in spaced_runs(view):
            if _SQUASHED.search(letters):
                hits.append(Hit(*view.span(start, end, len(text)), "spaced letters"))
    for start, end, encoding, decoded in decoded_runs(text):
        inner = _raw_hits(decoded) if len(decoded) < 5000 else []
        if inner:
            hits.append(Hit(start, end, f"{encoding}: {inner[0].rule}"))
    return hits


def _split_hits(view: View, length: int, lo: int, hi: int) -> list[Hit]:
    """An order to ignore in one sentence and what to ignore ("the instructions you were given") in the next."""
    hits = []
    for verb in _SPLIT_VERB.finditer(view.text, lo, hi):
        window_end = _sentence_end(view.text, _sentence_end(view.text, verb.end()) + 1)
        found = _SPLIT_OBJECT.search(view.text, verb.end(), min(window_end, verb.end() + 240))
        if found:
            hits.append(Hit(*view.span(verb.start("v"), found.end(), length), "split instruction"))
    return hits


def find_injection_hits(text: str) -> list[Hit]:
    """The sentences of `text` that carry an instruction aimed at an AI, merged and sorted, each with its first rule."""
    if not text:
        return []
    merged: list[Hit] = []
    for hit in sorted(_raw_hits(text), key=lambda h: (h.start, h.end)):
        start = _sentence_start(text, hit.start)
        end = max(_sentence_end(text, max(hit.end - 1, hit.start)), hit.end)
        while start < end and text[start].isspace():
            start += 1
        if merged and start <= merged[-1].end:
            merged[-1] = Hit(merged[-1].start, max(end, merged[-1].end), merged[-1].rule)
        else:
            merged.append(Hit(start, end, hit.rule))
    return merged


def find_injections(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences in `text` that carry an instruction aimed at an AI, merged and sorted."""
    return [(h.start, h.end) for h in find_injection_hits(text)]


def cut_injections(text: str) -> tuple[str, list[tuple[str, str]]]:
    """`text` with every injection sentence cut out, and (removed sentence, rule) pairs (300 characters at most)."""
    hits = find_injection_hits(text)
    if not hits:
        return text, []
    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    cursor = 0
    for hit in hits:
        kept.append(text[cursor : hit.start])
        removed.append((" ".join(text[hit.start : hit.end].split())[:300], hit.rule))
        cursor = hit.end
    kept.append(text[cursor:])
    return "".join(kept), removed


def remove_injections(text: str) -> tuple[str, list[str]]:
    """`text` with every injection sentence cut out, and the removed sentences (tidied, 300 characters at most)."""
    cleaned, removed = cut_injections(text)
    return cleaned, [sentence for sentence, _ in removed]

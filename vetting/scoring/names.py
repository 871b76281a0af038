"""Person names become a placeholder before any feature or model reads an answer: a name must never move a score."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from vetting.kernel.pii import PiiMap
from vetting.scoring.name_lexicon import TECHNICAL, fold, is_common, person_lexicon
from vetting.scoring.text import STOP_WORDS

PLACEHOLDER = "[NAME]"

_WORD = r"[^\W\d_][\w'’.-]*"
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’-]*"
# phrases after which the next capitalised words are a person's name
_INTRO = re.compile(
    rf"(?:\b(?i:my name is|my name's|name is|call me|i am called|i'm called|signed|"
    rf"je m'appelle|me llamo|mi chiamo|ich heiße|ich heisse|meu nome é|mein name ist|mi nombre es)[ \t]*[:,]?[ \t]+)"
    rf"((?:{_CAP})(?:[ \t]+(?:{_CAP})){{0,2}})"
)
_CAP_RUN = re.compile(rf"{_CAP}(?:[ \t]+{_CAP}){{0,2}}")
_CLOSING = re.compile(
    r"(?:^|\n)[ \t]*(?i:best(?: regards| wishes)?|kind regards|regards|thanks|thank you|cheers|sincerely|"
    r"yours(?: truly| sincerely)?|warmly|cordially)[ \t]*[,!.]?[ \t]*(?:\n[ \t]*|[ \t]+)"
    rf"((?:{_CAP})(?:[ \t]+(?:{_CAP})){{0,2}})[ \t]*[.!]?[ \t]*$"
)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_TITLE_WORDS = "mr mrs ms mx dr prof sir madam herr frau sr sra srta mme mlle dott sig"
_TITLES = frozenset(_TITLE_WORDS.split())
_SIGN_DASH = re.compile(rf"(?:^|\n)[ \t]*(?:--|—|–)[ \t]*((?:{_CAP})(?:[ \t]+(?:{_CAP})){{0,2}})[ \t]*$")


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        chars.append(folded)
        origin += [index] * len(folded)
    return "".join(chars), origin


def _given_spans(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of the given names (full forms and their parts of 2+ letters), case- and accent-insensitive."""
    forms: set[str] = set()
    for name in names:
        words = [w.strip(".,'’-") for w in fold(name).split()]
        words = [w for w in words if w]
        if not words:
            continue
        forms.add(" ".join(words))
        forms.update(w for w in words if len(w) >= 2)
        if len(words) >= 2 and len(words[0][:1] + words[-1]) >= 3:  # handles and e-mail users: "emilywalsh", "hvu"
            forms.update({words[0] + words[-1], words[0][:1] + words[-1]})
        for part in words:
            forms.update(p for p in re.split(r"[-'’]", part) if len(p) >= 2)
    if not forms:
        return []
    folded, origin = _folded(text)
    ordered = sorted(forms, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(r"\s+".join(re.escape(w) for w in f.split()) for f in ordered) + r")(?!\w)"
    )
    spans = []
    for m in pattern.finditer(folded):
        if m.end() > m.start():
            spans.append((origin[m.start()], origin[m.end() - 1] + 1))
    return spans


def _pattern_spans(text: str) -> list[tuple[int, int]]:
    """Names the text introduces itself: "my name is X", sign-offs such as "Best, X", "— X" on the last line."""
    spans = []
    for regex, trusted in ((_INTRO, True), (_CLOSING, False), (_SIGN_DASH, False)):
        for m in regex.finditer(text):
            start, end = m.span(1)
            words = list(re.finditer(_CAP, text[start:end]))
            if not words or (not trusted and is_technical(words[0].group(0))):
                continue  # after "my name is" the next word is a name even if it is also a tool's ("Julia")
            last = words[0]
            for w in words[1:]:
                if is_technical(w.group(0)) and fold(w.group(0)) not in person_lexicon()[1]:
                    break  # "my name is Ana and I use Kafka" keeps only "Ana"
                last = w
            spans.append((start, start + last.end()))
    return spans


def is_technical(word: str) -> bool:
    """True for the name of a language, tool, product or format, which is never masked as a person's name."""
    folded = fold(word.strip("'’.-"))
    return folded in TECHNICAL or any(part in TECHNICAL for part in re.split(r"[-'’.]", folded))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _lexicon_spans(text: str) -> list[tuple[int, int]]:
    """Runs of capitalised words that start with a known first name (or follow a title such as "Dr")."""
    first, last = person_lexicon()
    tokens = list(_TOKEN.finditer(text))
    spans = []
    i = 0
    while i < len(tokens):
        word = tokens[i].group(0)
        nxt = tokens[i + 1] if i + 1 < len(tokens) and _adjacent(text, tokens[i], tokens[i + 1]) else None
        titled = fold(word) in _TITLES and nxt is not None and _capitalised(nxt.group(0))
        start = i + 1 if titled else i
        head_word = tokens[start].group(0)
        if not _capitalised(head_word):
            i += 1
            continue
        head = fold(head_word)
        follower = tokens[start + 1] if start + 1 < len(tokens) else None
        surname_next = (
            follower is not None
            and _adjacent(text, tokens[start], follower)
            and _capitalised(follower.group(0))
            and fold(follower.group(0)) in last
            and not is_technical(follower.group(0))
        )
        unknown_next = (
            follower is not None
            and _adjacent(text, tokens[start], follower)
            and _capitalised(follower.group(0))
            and not is_technical(follower.group(0))
            and not is_common(follower.group(0))
        )  # a capitalised word no dictionary knows: "Truong", "Patel"
        if is_technical(head_word):
            known = head in first and unknown_next  # "Julia Rosas", but "Julia" alone is the language
        elif head in first:
            # "Emily"; "Mark Kowalczyk", not "Mark the record"; "Grace Kim", "Will Smith": a listed surname after it
            known = not is_common(head) or unknown_next or (surname_next and head not in STOP_WORDS)
        else:
            # "Manoj Patel", "Rashaun Gaines": a listed family name after a word no dictionary knows in any form
            known = not is_common(head) and not _inflected(head) and surname_next
        if titled or known:
            end = head_at = start
            if not titled and start > 0 and _surname_before(text, tokens[start - 1], tokens[start], last):
                start -= 1  # family name first: "Nguyen Van Minh", "Watanabe Kenji", "Nagy Zoltán"
            while end + 1 < len(tokens) and end - head_at < 2 and _adjacent(text, tokens[end], tokens[end + 1]):
                cand = tokens[end + 1].group(0)
                if not _capitalised(cand) or is_technical(cand) or (is_common(cand) and fold(cand) not in last):
                    break
                end += 1
            spans.append((tokens[start].start(), tokens[end].end()))
            i = end + 1
            continue
        i += 1
    return spans


def _inflected(word: str) -> bool:
    """A dictionary word with "-ing", "-ed" or "-ly" added ("Modifying", "Routed"): the dictionary lists only roots."""
    for suffix in ("ing", "ed", "ly"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            root = word[: -len(suffix)]
            if any(is_common(r) for r in (root, root + "e", root[:-1] + "y", root[:-1])):
                return True
    return False


def _surname_before(text: str, before: re.Match[str], head: re.Match[str], last: frozenset[str]) -> bool:
    """A capitalised listed family name right before a first name, no dictionary or technical word ("With", "Go")."""
    word = before.group(0)
    return (
        _adjacent(text, before, head)
        and _capitalised(word)
        and fold(word) in last
        and not is_common(word)
        and not is_technical(word)
    )


def _adjacent(text: str, a: re.Match[str], b: re.Match[str]) -> bool:
    return not text[a.end() : b.start()].strip(" \t")


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping spans, and spans separated only by blanks ("Ana" + "Silva"), merged into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip(" \t")):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


LATIN_SHARE = 0.5  # a text with more than this share of its letters in Latin script reads as written in a Latin one
_OTHER_SCRIPT_RUN = 4  # at most this many words in a row in another script: a name, not a passage


def _script(ch: str) -> str:
    """The script of a letter by its Unicode name, styled and full-width forms as their plain letter ("𝑺" is LATIN)."""
    plain = unicodedata.normalize("NFKC", ch)[:1] or ch
    return unicodedata.name(plain, "UNKNOWN").split(" ")[0]


def _script_spans(text: str) -> list[tuple[int, int]]:
    """Words of another script inside a text in a Latin one ("I worked with 张伟", "Мария Иванова led it"): names.

    Greek is left alone (letters in formulas, "α = 0.05"), and so are single letters. A text mostly in another script
    (a passage in Russian) is not masked word by word.
    """
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(_script(c) == "LATIN" for c in letters) <= LATIN_SHARE * len(letters):
        return []
    words = [
        m
        for m in _TOKEN.finditer(text)
        if len(m.group(0)) >= 2 and all(_script(c) not in {"LATIN", "GREEK"} for c in m.group(0) if c.isalpha())
    ]
    runs: list[list[re.Match[str]]] = []  # words in a row, separated by blanks only
    for m in words:
        if runs and len(runs[-1]) < _OTHER_SCRIPT_RUN and _adjacent(text, runs[-1][-1], m):
            runs[-1].append(m)
        else:
            runs.append([m])
    return [(run[0].start(), run[-1].end()) for run in runs]


def name_spans(text: str, names: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Spans of `text` that are person names: the given ones and those the text itself reveals."""
    found = _given_spans(text, names) + _pattern_spans(text) + _lexicon_spans(text) + _script_spans(text)
    return _merge(found, text)


def person_names(text: str, names: Sequence[str] = ()) -> list[str]:
    """The distinct person names found in `text` (given or detected), longest first."""
    found = {" ".join(text[s:e].split()) for s, e in name_spans(text, names)}
    return sorted(found | {n for n in names if n.strip()}, key=lambda n: (-len(n), n))


def mask_names_reversibly(text: str, names: Sequence[str], mapping: PiiMap) -> str:
    """`text` with each name replaced by a numbered placeholder ("[NAME_1]") recorded in `mapping` to undo it."""
    out, last = [], 0
    for start, end in name_spans(text, names):
        out += [text[last:start], mapping.placeholder("NAME", text[start:end])]
        last = end
    out.append(text[last:])
    return "".join(out)


def mask_person_names(text: str, names: Sequence[str] = ()) -> str:
    """`text` with every person name it contains (the given `names` and detected ones) replaced by "[NAME]"."""
    out, last = [], 0
    for start, end in name_spans(text, names):
        out += [text[last:start], PLACEHOLDER]
        last = end
    out.append(text[last:])
    return "".join(out)


@dataclass(frozen=True)
class MaskedView:
    """A text with its person names as "[NAME]", and the way back from a span of it to the original text."""

    original: str
    text: str
    replaced: tuple[tuple[int, int, int, int], ...]  # (masked start, masked end, original start, original end)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the masked span [start, end) stands for (a placeholder maps whole)."""
        return self._point(start, begin=True), self._point(end, begin=False)

    def _point(self, at: int, *, begin: bool) -> int:
        shift = 0
        for m_start, m_end, o_start, o_end in self.replaced:
            if at < m_start or (not begin and at == m_start):
                break
            if at < m_end or (not begin and at == m_end):
                return o_start if begin else o_end
            shift = o_end - m_end
        return at + shift


def masked_view(text: str, names: Sequence[str] = ()) -> MaskedView:
    """`text` with every person name replaced by "[NAME]", keeping where each placeholder came from."""
    out, last, cursor = [], 0, 0
    replaced = []
    for start, end in name_spans(text, names):
        out.append(text[last:start])
        cursor += start - last
        replaced.append((cursor, cursor + len(PLACEHOLDER), start, end))
        out.append(PLACEHOLDER)
        cursor += len(PLACEHOLDER)
        last = end
    out.append(text[last:])
    return MaskedView(text, "".join(out), tuple(replaced))

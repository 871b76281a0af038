"""A text with its disguises undone: look-alikes, accents, small capitals, leetspeak, spaced letters, encodings."""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["View", "decoded_runs", "fold_char", "matching_views", "spaced_runs"]

# Greek and Cyrillic letters that pass for Latin ones in running text (the UTS #39 table misses some, e.g. ε).
_COMMON_FROM = "аеорсухіјѕԁɡοαινκτρεмнтвкΑΒΕΗΙΚΜΝΟΡΤΧΥΖАВЕКМНОРСТХІυ"
_COMMON_TO = "aeopcyxijsdgoaivktpemhtbkabehikmnoptxyzabekmhopctxiu"
_LEET = str.maketrans("0134579@$!", "oieastgasi")
_LEET_TOKEN = re.compile(r"(?<![\w@$!])[a-z0-9@$!]*[a-z][a-z0-9@$!]*")
_LEET_INSIDE = re.compile(r"^[0134579@$!]|[a-z][0134579@$!]+[a-z]")  # "python3" and "s3" keep their digits
# Three or more single letters in a row, each separated by one to three spaces, dots, dashes, stars or underscores.
_SPACED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ .\-_*·]{1,3}){3,}[^\W\d_](?![^\W\d_])")
_REACH = 300  # characters around a change that a phrase using it can span
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])")
_HEX = re.compile(r"(?<![0-9A-Fa-f])(?:(?:\\x|0x)?[0-9A-Fa-f]{2}[\s:,]?){8,}")


@dataclass(frozen=True)
class View:
    """A folded copy of a text and, for each of its characters, the offset of the original character it came from."""

    text: str
    origin: list[int]
    windows: tuple[tuple[int, int], ...] = ()  # the only parts worth searching (view offsets); empty: all of it

    def span(self, start: int, end: int, length: int) -> tuple[int, int]:
        """The original span behind view[start:end]."""
        if not self.origin:
            return 0, 0
        first = self.origin[min(start, len(self.origin) - 1)]
        last = self.origin[min(max(end - 1, start), len(self.origin) - 1)] + 1
        return first, min(last, length)


@cache
def _skeleton() -> dict[str, str]:
    """UTS #39 confusables as non-ASCII character → the ASCII letter it imitates (from confusable-homoglyphs)."""
    try:
        import confusable_homoglyphs

        path = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
        table = json.loads(path.read_text(encoding="utf-8"))
    except (ImportError, OSError, ValueError):
        return {}
    mapping: dict[str, str] = {}
    for char, glyphs in table.items():
        if len(char) != 1 or char.isascii():
            continue
        latin = [g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalpha()]
        if latin:
            target = sorted(latin, key=lambda c: (not c.islower(), c))[0].lower()
            mapping[char] = "i" if target == "l" and char.isupper() else target  # Cyrillic І imitates I, not l
    mapping.update(zip(_COMMON_FROM, _COMMON_TO, strict=True))
    return mapping


@cache
def fold_char(ch: str) -> str:
    """One character as matching sees it: NFKC, accents dropped, look-alikes and small capitals to ASCII, lower case."""
    if ch.isascii():
        return ch.lower()
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        base = "".join(d for d in unicodedata.normalize("NFD", c) if not unicodedata.combining(d)) or c
        for b in base:
            name = unicodedata.name(b, "")
            if "SMALL CAPITAL " in name and len(name.rsplit(" ", 1)[-1]) == 1:
                out.append(name.rsplit(" ", 1)[-1].lower())
            elif not b.isascii() and b in _skeleton():
                out.append(_skeleton()[b])
            else:
                out.append(b.lower() if len(b.lower()) == 1 else b)
    return "".join(out)


def _folded(text: str) -> View:
    if text.isascii():
        return View(text.lower(), list(range(len(text))))
    chars = list(map(fold_char, text))
    joined = "".join(chars)
    if len(joined) == len(text):
        return View(joined, list(range(len(text))))
    origin: list[int] = []
    for i, folded in enumerate(chars):
        origin.extend([i] * len(folded))
    return View(joined, origin)


def _unleet(view: View, changed: list[tuple[int, int]]) -> View:
    """Digits and symbols standing for letters inside words ("1gn0r3" → "ignore"); same length, same origins."""

    def swap(match: re.Match[str]) -> str:
        token = match.group()
        if not _LEET_INSIDE.search(token) or sum(c.isalpha() for c in token) < 2:
            return token
        changed.append((view.origin[match.start()], view.origin[match.end() - 1]))
        return token.translate(_LEET)

    return View(_LEET_TOKEN.sub(swap, view.text), view.origin)


def _rejoin(view: View, changed: list[tuple[int, int]]) -> View:
    """Letters spaced apart are joined ("i g n o r e  a l l" → "ignore all"); a wider gap stays a word break."""
    pieces: list[str] = []
    origin: list[int] = []
    cursor = 0
    for match in _SPACED.finditer(view.text):
        pieces.append(view.text[cursor : match.start()])
        origin.extend(view.origin[cursor : match.start()])
        changed.append((view.origin[match.start()], view.origin[match.end() - 1]))
        for k in range(match.start(), match.end()):
            ch = view.text[k]
            if ch.isalpha():
                pieces.append(ch)
                origin.append(view.origin[k])
            elif view.text[k - 1].isalpha() and k + 1 < match.end() and not view.text[k + 1].isalpha():
                pieces.append(" ")  # a gap of two characters or more is a word break
                origin.append(view.origin[k])
        cursor = match.end()
    pieces.append(view.text[cursor:])
    origin.extend(view.origin[cursor:])
    return View("".join(pieces), origin)


def matching_views(text: str) -> list[View]:
    """The folded text, plus (when it differs) a copy with leetspeak mapped and spaced letters joined."""
    folded = _folded(text)
    changed: list[tuple[int, int]] = []
    undone = _rejoin(_unleet(folded, changed), changed)
    if not changed:
        return [folded]
    windows: list[tuple[int, int]] = []
    for start, end in sorted(changed):  # search the undone copy only around what changed (original offsets first)
        lo = bisect.bisect_left(undone.origin, start - _REACH)
        hi = bisect.bisect_right(undone.origin, end + _REACH)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return [folded, View(undone.text, undone.origin, tuple(windows))]


def spaced_runs(view: View) -> list[tuple[int, int, str]]:
    """Runs of spaced-out letters in a folded view, squashed to their letters: (view start, view end, letters)."""
    return [(m.start(), m.end(), "".join(c for c in m.group() if c.isalpha())) for m in _SPACED.finditer(view.text)]


_PERCENT = re.compile(r"(?:[\w.~+-]*%[0-9A-Fa-f]{2}){3,}[\w.~+-]*")


def _printable(decoded: bytes) -> str | None:
    """Decoded bytes as text when they read as words (mostly letters and spaces), else None."""
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        return None
    letters = sum(c.isalpha() or c.isspace() for c in text)
    if len(text) < 8 or " " not in text.strip() or letters < 0.8 * len(text):
        return None
    return text


def decoded_runs(text: str) -> list[tuple[int, int, str, str]]:
    """Base64, hex and URL-encoded runs in `text` that decode to words: (start, end, encoding, decoded text)."""
    runs: list[tuple[int, int, str, str]] = []
    for match in _BASE64.finditer(text):
        token = match.group()
        if token.isalpha() and (token.islower() or token.isupper()):
            continue  # a plain word, not an encoding
        padded = token + "=" * (-len(token) % 4)
        try:
            raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        except (binascii.Error, ValueError):
            continue
        decoded = _printable(raw)
        if decoded:
            runs.append((match.start(), match.end(), "base64", decoded))
    for match in _HEX.finditer(text):
        digits = re.sub(r"\\x|0x|[\s:,]", "", match.group())
        if len(digits) % 2:
            digits = digits[:-1]
        try:
            decoded = _printable(bytes.fromhex(digits))
        except ValueError:
            continue
        if decoded:
            runs.append((match.start(), match.end(), "hex", decoded))
    for match in _PERCENT.finditer(text):  # URL encoding: words joined by %20, or every letter escaped
        try:
            decoded = _printable(urllib.parse.unquote_to_bytes(match.group()))
        except ValueError:
            continue
        if decoded:
            runs.append((match.start(), match.end(), "url encoding", decoded))
    return runs

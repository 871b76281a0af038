"""A page's content-stream operators, parsed as pypdf parses them but without reading the stream one byte at a time.

pypdf's own parser reads every token through a file-like stream, byte by byte; on a CV that is a third of the time the
hidden-text walk and text extraction spend on a page. This reader makes the same objects (`NumberObject`,
`FloatObject`, `NameObject`, `ByteStringObject`, `ArrayObject`, `DictionaryObject`, ...) from the same bytes by
slicing, following pypdf's rules token by token, including its lenient ones. Whatever it does not follow exactly
(inline images, comments inside operands, indirect references, malformed numbers or strings, stream dictionaries,
pypdf's own size limits) makes it hand the whole stream back to pypdf, so every stream is parsed by exactly one set of
rules and the result never depends on which reader ran. A test holds the two equal, object by object, on every page of
the shared CVs and of the hidden-text attack corpus.
"""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
    create_string_object,
)

__all__ = ["content_operations", "parse_operations"]

_FORCED = "bytes"  # strings stay raw bytes, as the fonts decode them later
_WHITESPACE = b"\x00\t\n\x0c\r "  # pypdf's WHITESPACES
_SKIP = re.compile(rb"[\x00\t\n\x0c\r ]*")
_SKIP_ARRAY = re.compile(rb"[\x00\t\n\x0b\x0c\r ]*")  # in an array pypdf also skips what bytes.isspace() does
_UNTIL_DELIMITER = re.compile(rb"[^\s()<>\[\]{}/%]*")  # NameObject.delimiter_pattern, negated
_NUMBER_END = re.compile(rb"[^+-.0-9]")  # NumberObject.NumberPattern (the class spans "+,-.")
_INDIRECT = re.compile(rb"[+-]?(\d+)\s+(\d+)\s+R[^a-zA-Z]")
_STRING_SPECIAL = re.compile(rb"[()\\]")
_ANY_INDIRECT = re.compile(rb"\d\s+\d+\s+R[^a-zA-Z]")
# pypdf's whitespace, then one common token: a number (pypdf reads at most 19 of its characters), an operator or word,
# a name, a string with nothing escaped or nested, a hex string with no spaces, an array's bracket
_TOKEN = re.compile(
    rb"[\x00\t\n\x0c\r ]*(?:([+\-.0-9][+,\-.0-9]{0,18})(?![+,\-.0-9])|([A-Za-z'\"][^\s()<>\[\]{}/%]*)"
    rb"|(/[^\s()<>\[\]{}/%]*)|\(([^()\\]*)\)|<([0-9A-Fa-f]*)>|(\[)|(\]))"
)
_NUM, _OP, _NAME, _STR, _HEX, _OPEN = 1, 2, 3, 4, 5, 6
_WORDS = frozenset([b"true", b"false", b"null"])
_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
_NUMBER_START = frozenset(b"0123456789+-.")
_ESCAPES = {
    ord(k): v
    for k, v in {
        "n": 10, "r": 13, "t": 9, "b": 8, "f": 12, "(": 40, ")": 41, "/": 47, "\\": 92, " ": 32, "%": 37, "<": 60,
        ">": 62, "[": 91, "]": 93, "#": 35, "_": 95, "&": 38, "$": 36,
    }.items()
}  # fmt: skip
_OPERATOR_LIMIT = 64  # pypdf refuses operators near 128 bytes; long ones go back to it
_NAME_LIMIT = 4000  # and names near 4096
_BUDGET = 1_900_000  # pypdf stops at 2,000,000 tokens per stream; near that, its own parser decides
_ELEMENTS = 90_000  # and at 100,000 entries per array or dictionary
_DEPTH = 200


class _Fallback(Exception):
    """This stream holds something only pypdf's own parser is trusted with."""


def content_operations(contents: Any, reader: Any) -> list[tuple[Any, bytes]]:
    """The operators of a page's `/Contents` (or of a form XObject), strings as raw bytes, as pypdf would list them."""
    stream = ContentStream(contents, reader, _FORCED)
    operations = parse_operations(stream.get_data())
    return operations if operations is not None else stream.operations


def parse_operations(data: bytes) -> list[tuple[Any, bytes]] | None:
    """The operators in decoded content-stream bytes, or None where pypdf's own parser must read them."""
    try:
        return _Parser(data).operations()
    except (_Fallback, RecursionError, ValueError, IndexError):
        return None


class _Parser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.budget = _BUDGET
        self.names: dict[bytes, NameObject] = {}

    def operations(self) -> list[tuple[Any, bytes]]:
        """The common tokens are read by one pattern; anything else by `_object` at that point, as pypdf would."""
        data, end, names = self.data, len(self.data), self.names
        if _ANY_INDIRECT.search(data):
            raise _Fallback  # a number followed by "n R" is an indirect reference to pypdf, refused in a stream
        out: list[tuple[Any, bytes]] = []
        operands: list[Any] = []
        stack: list[list[Any]] = []  # the arrays open at this point; operands[...] at the bottom
        current = operands
        pos = tokens = 0
        token = _TOKEN.match
        while True:
            m = token(data, pos)
            if m is None:
                pos = (_SKIP_ARRAY if stack else _SKIP).match(data, pos).end()  # type: ignore[union-attr]
                if pos >= end:
                    break
                m = token(data, pos)
            if m is None:  # something only the careful reader handles: a dictionary, an escaped string, a comment
                if data[pos] == 37 and not stack:  # % comment between operators: up to and including the line end
                    newline = _line_end(data, pos)
                    pos = end if newline < 0 else newline + 1
                    continue
                self.pos, self.budget = pos, _BUDGET - tokens
                current.append(self._object(_FORCED, len(stack)))
                tokens, pos = _BUDGET - self.budget, self.pos
                continue
            pos = m.end()
            tokens += 1
            kind = m.lastindex
            if kind == _NUM:
                number = m.group(_NUM)
                current.append(FloatObject(number) if b"." in number else NumberObject(number))
            elif kind == _NAME:
                raw = m.group(_NAME)
                current.append(names.get(raw) or self._name(raw))
            elif kind == _OP:
                word = m.group(_OP)
                if stack:  # inside an array a word is a value, and only these three are
                    if word not in _WORDS:
                        raise _Fallback
                    current.append(NullObject() if word == b"null" else BooleanObject(word == b"true"))
                    continue
                if word == b"BI" or len(word) > _OPERATOR_LIMIT:
                    raise _Fallback  # inline images have their own syntax
                out.append((operands, word))
                operands = current = []
            elif kind == _STR:
                current.append(ByteStringObject(m.group(_STR)))
            elif kind == _HEX:
                digits = m.group(_HEX)
                current.append(ByteStringObject(bytes.fromhex((digits + b"0" if len(digits) % 2 else digits).decode())))
            elif kind == _OPEN:
                if len(stack) >= _DEPTH:
                    raise _Fallback
                array = ArrayObject()
                current.append(array)
                stack.append(current)
                current = array
            else:  # ]
                if not stack:
                    raise _Fallback  # pypdf refuses a stray bracket
                if len(current) > _ELEMENTS:
                    raise _Fallback
                current = stack.pop()
        if tokens > _BUDGET or len(current) > _ELEMENTS:
            raise _Fallback
        return out

    def _name(self, token: bytes) -> NameObject:
        """A name read by pypdf's own rules (`#xx` escapes, its character sets), once per distinct spelling."""
        if len(token) > _NAME_LIMIT:
            raise _Fallback
        name = self.names[token] = NameObject.read_from_stream(io.BytesIO(token), None)
        return name

    def _spend(self, amount: int) -> None:
        self.budget -= amount
        if self.budget < 0:
            raise _Fallback

    def _object(self, forced: str | None, depth: int) -> Any:
        data, pos = self.data, self.pos
        if depth > _DEPTH or pos >= len(data):
            raise _Fallback
        byte = data[pos]
        if byte == 47:  # /
            stop = _UNTIL_DELIMITER.match(data, pos + 1).end()  # type: ignore[union-attr]
            token = data[pos:stop]
            self.pos = stop
            return self.names.get(token) or self._name(token)
        if byte == 60:  # <
            if data[pos + 1 : pos + 2] == b"<":
                return self._dictionary(forced, depth)
            return self._hex_string(forced)
        if byte == 91:  # [
            return self._array(forced, depth)
        if byte == 40:  # (
            return self._string(forced)
        if byte in _NUMBER_START:
            peek = data[pos : pos + 20]
            if _INDIRECT.match(peek):
                raise _Fallback
            stop = _NUMBER_END.search(peek)
            if stop is None:
                raise _Fallback
            number = peek[: stop.start()]
            self.pos = pos + len(number)
            return FloatObject(number) if b"." in number else NumberObject(number)
        if byte == 116 and data[pos : pos + 4] == b"true":  # t
            self.pos = pos + 4
            return BooleanObject(True)
        if byte == 102 and data[pos : pos + 4] == b"fals" and pos + 5 <= len(data):  # f: pypdf reads one more byte
            self.pos = pos + 5
            return BooleanObject(False)
        if byte == 110 and data[pos : pos + 4] == b"null":  # n
            self.pos = pos + 4
            return NullObject()
        raise _Fallback  # a comment before an operand, "endobj", or what pypdf refuses

    def _string(self, forced: str | None) -> Any:
        data = self.data
        start = self.pos + 1
        special = _STRING_SPECIAL.search(data, start)
        if special is None:
            raise _Fallback  # unterminated
        if data[special.start()] == 41:  # ) with nothing to unescape or nest before it
            self.pos = special.start() + 1
            return create_string_object(data[start : special.start()], forced)
        out = bytearray()
        pos, depth, end = start, 1, len(data)
        while True:
            if pos >= end:
                raise _Fallback
            byte = data[pos]
            pos += 1
            if byte == 40:
                depth += 1
            elif byte == 41:
                depth -= 1
                if depth == 0:
                    break
            elif byte == 92:  # backslash
                if pos >= end:
                    raise _Fallback
                escaped = data[pos]
                pos += 1
                if escaped in _ESCAPES:
                    out.append(_ESCAPES[escaped])
                    continue
                if 48 <= escaped <= 55:  # up to three octal digits
                    first = pos - 1
                    digits = bytes([escaped])
                    for _ in range(2):
                        if pos < end and 48 <= data[pos] <= 55:
                            digits += data[pos : pos + 1]
                            pos += 1
                        else:
                            break
                    value = int(digits, 8)
                    if value > 255:
                        out.append(92)
                        pos = first
                    else:
                        out.append(value)
                    continue
                if escaped in (10, 13):  # an escaped line end is no character
                    if pos < end and data[pos] in (10, 13):
                        pos += 1
                    continue
                out.append(92)
                byte = escaped
            out.append(byte)
        self.pos = pos
        return create_string_object(bytes(out), forced)

    def _hex_string(self, forced: str | None) -> Any:
        data = self.data
        stop = data.find(b">", self.pos + 1)
        if stop < 0:
            raise _Fallback
        digits = bytes(b for b in data[self.pos + 1 : stop] if b not in _WHITESPACE)
        if any(b not in _HEX_DIGITS for b in digits):
            raise _Fallback
        if len(digits) % 2:
            digits += b"0"
        self.pos = stop + 1
        return create_string_object(bytes.fromhex(digits.decode("ascii")), forced)

    def _array(self, forced: str | None, depth: int) -> ArrayObject:
        data, end = self.data, len(self.data)
        self.pos += 1
        items = ArrayObject()
        while True:
            self.pos = _SKIP_ARRAY.match(data, self.pos).end()  # type: ignore[union-attr]
            if self.pos >= end:
                return items  # pypdf accepts an array the stream ends inside
            byte = data[self.pos]
            if byte == 93:  # ]
                self.pos += 1
                return items
            if byte == 37 or len(items) >= _ELEMENTS:  # a comment inside an array, or pypdf's own limit near
                raise _Fallback
            self._spend(1)
            items.append(self._object(forced, depth + 1))

    def _dictionary(self, forced: str | None, depth: int) -> DictionaryObject:
        data, end = self.data, len(self.data)
        self.pos += 2
        entries: dict[Any, Any] = {}
        while True:
            self.pos = _SKIP.match(data, self.pos).end()  # type: ignore[union-attr]
            if self.pos >= end or data[self.pos] == 37 or len(entries) >= _ELEMENTS:
                raise _Fallback
            if data[self.pos] == 62:  # > : pypdf takes the next byte with it, whatever it is
                self.pos += 2
                break
            self._spend(2)
            key = self._object(None, depth + 1)
            if not isinstance(key, NameObject):
                raise _Fallback
            self.pos = _SKIP.match(data, self.pos).end()  # type: ignore[union-attr]
            value = self._object(forced, depth + 1)
            entries.setdefault(key, value)
        after = _SKIP.match(data, self.pos).end()  # type: ignore[union-attr]
        if data[after : after + 6] == b"stream":
            raise _Fallback  # a stream object inside a content stream: pypdf's rules
        result = DictionaryObject()
        result.update(entries)
        return result


def _line_end(data: bytes, start: int) -> int:
    newline, carriage = data.find(b"\n", start), data.find(b"\r", start)
    if newline < 0:
        return carriage
    if carriage < 0:
        return newline
    return min(newline, carriage)

"""The content-stream reader makes exactly the operators pypdf's own parser makes, or hands the stream back to it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from eval.hiding import tricks
from ingest.pdf_content import content_operations, parse_operations

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def pypdf_operations(data: bytes) -> list[tuple[Any, bytes]]:
    stream = ContentStream(None, None, "bytes")
    stream.set_data(data)
    return stream.operations


def same(a: Any, b: Any) -> bool:
    """Equal value and equal pypdf type, all the way down (a FloatObject is not a NumberObject of the same value)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return bool(a == b)


READ_HERE = {
    "numbers": b"1 0 0 1 72.5 -.5 cm 0.2 +3 -4. 5 w 1,5 d --5 d 1.2.3 d",
    "names": b"/F1 12 Tf /GS#20one gs /A#2F#b gs /\xc3\xa9t\xc3\xa9 gs",
    "strings": b"BT (Hello world) Tj (a (nested) pair) Tj (esc \\( \\) \\\\ \\n \\t) Tj () Tj ET",
    "octal": b"BT (\\101\\102C \\0 \\7a \\400) Tj ET",
    "escaped line end and unknown escape": b"BT (one \\\ntwo \\\r\nthree \\q) Tj ET",
    "raw bytes in a string": b"BT (\x00\x12\xff\n\r) Tj ET",
    "hex strings": b"BT <48656C6C6F> Tj <48 65 6c\n6c 6> Tj <> Tj ET",
    "arrays": b"BT [(Sp) -250 (aced) 30.5 (out)] TJ [[1 2] [true false null] /N] d ET",
    "array whitespace": b"[1\x0b2\x0c3] d",
    "unclosed array at the end": b"BT [(a) 1",
    "marked content": b"/P <</MCID 0 /Lang (en-GB) /A [1 2] /D <</E true>>>> BDC BT (x) Tj ET EMC",
    "duplicate keys": b"/P <</MCID 0 /MCID 1>> BDC EMC",
    "quotes": b"BT 12 TL (line) ' 1 2 (spaced) \" ET",
    "comments": b"% first line\nq % after an operator\r1 0 0 1 0 0 cm%at the end\nQ",
    "operator glued to a null byte": b"q\x00 Q",
    "stray words": b"true false null BT ET",
    "empty": b"",
    "only whitespace": b" \n\r\t\x00",
}

HANDED_BACK = {
    "inline image": b"q BI /W 1 /H 1 /BPC 8 /CS /G ID z EI Q",
    "comment inside an array": b"[1 % a comment\n2] d",
    "indirect reference": b"/P 12 0 R BDC EMC",
    "long number": b"1.000000000000000000000001 w",
    "word inside an array": b"[1 two] d",
    "unterminated string": b"BT (never closed Tj",
    "stray bracket": b"] q",
    "brace": b"{ q }",
    "hex string with a non-hex digit": b"<4G> Tj",
    "stream dictionary": b"/P <</Length 0>> stream\nendstream",
}


@pytest.mark.parametrize("case", sorted(READ_HERE))
def test_the_same_objects_as_pypdf(case: str) -> None:
    data = READ_HERE[case]
    ours = parse_operations(data)
    assert ours is not None, "read here, not handed back"
    assert same(ours, pypdf_operations(data))


@pytest.mark.parametrize("case", sorted(HANDED_BACK))
def test_what_only_pypdf_is_trusted_with_goes_back_to_it(case: str) -> None:
    data = HANDED_BACK[case]
    assert parse_operations(data) is None
    try:
        expected: Any = pypdf_operations(data)
    except Exception as exc:  # pypdf refuses it: so does the page, with pypdf's own error
        expected = type(exc)
    stream = ContentStream(None, None)
    stream.set_data(data)
    if isinstance(expected, type):
        with pytest.raises(expected):
            content_operations(stream, None)
    else:
        assert same(content_operations(stream, None), expected)


def _streams(data: bytes) -> Iterator[tuple[str, Any, Any]]:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    for number, page in enumerate(reader.pages, 1):
        if page.get("/Contents") is not None:
            yield f"page {number}", page["/Contents"], reader
        resources = page.get_inherited("/Resources", DictionaryObject()) or DictionaryObject()
        for name, ref in (resources.get("/XObject") or {}).items():
            if ref.get_object().get("/Subtype") == "/Form":
                yield f"page {number} form {name}", ref, reader


def _check_document(label: str, data: bytes) -> int:
    compared = 0
    for where, contents, reader in _streams(data):
        raw = ContentStream(contents, reader, "bytes").get_data()
        ours = parse_operations(raw)
        assert ours is not None, f"{label} {where} was handed back"
        assert same(ours, ContentStream(contents, reader, "bytes").operations), f"{label} {where}"
        compared += 1
    return compared


def test_every_page_of_the_attack_corpus_reads_the_same() -> None:
    compared = 0
    for trick in tricks():
        if trick.fmt == "pdf":
            compared += _check_document(trick.name, trick.make())
    assert compared >= 30


def test_every_page_of_the_shared_cvs_reads_the_same() -> None:
    files = sorted((SHARED / "resumes" / "pdf").glob("*.pdf"))
    if not files:
        pytest.skip(f"the shared CVs are not beside the checkout ({SHARED})")
    compared = sum(_check_document(path.name, path.read_bytes()) for path in files)
    assert compared >= len(files)

"""PDFs hiding a claim the ways the format allows, written as raw operators, and visible look-alikes as controls."""

from __future__ import annotations

from collections.abc import Callable

from eval.hiding import Trick

__all__ = ["PDF_TRICKS", "clean_pdf", "grey_image", "make_pdf"]

HIDDEN = "Zanzibar quantum ledger"  # no CV says this, so finding it in a chunk means the hiding worked
CLAIM = b"Built the Zanzibar quantum ledger RAG assistant for customer support at Hooli"
_VISIBLE = (
    b"BT /F1 16 Tf 72 780 Td (Ada Example) Tj ET "
    b"BT /F1 11 Tf 72 750 Td (Staff engineer, payments platform) Tj ET "
    b"BT /F1 11 Tf 72 730 Td (Led the migration of the billing service to Kubernetes at Northwind Logistics) Tj ET "
    b"BT /F1 11 Tf 72 714 Td (Cut nightly batch run time from six hours to forty minutes with Go workers) Tj ET "
    b"BT /F1 11 Tf 72 698 Td (Designed the PostgreSQL sharding scheme behind the ledger of record) Tj ET "
)
_LINE = b"BT /F1 11 Tf 72 660 Td (" + CLAIM + b") Tj ET"
_GREY_PIXEL = b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8"
_IMAGE_AT_LINE = b"q 440 0 0 22 66 654 cm /Im1 Do Q"  # a picture spanning the claim's line


def make_pdf(
    extra: bytes = b"",
    *,
    resources: bytes = b"",
    objects: tuple[bytes, ...] = (),
    page: bytes = b"",
    catalog: bytes = b"",
    visible: bytes = _VISIBLE,
) -> bytes:
    """A one-page A4 CV: the visible lines, then `extra`; `objects` become objects 6, 7, … for `resources` to name."""
    content = visible + extra
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page
        + b"/Resources << /Font << /F1 5 0 R >> " + resources + b">> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        *objects,
    ]  # fmt: skip
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def clean_pdf() -> bytes:
    """The same CV with nothing hidden in it."""
    return make_pdf()


def grey_image(level: int) -> bytes:
    """A one-pixel grey picture object, stretched by the `cm` that draws it."""
    return _GREY_PIXEL + b" /Length 1 >>\nstream\n" + bytes([level]) + b"\nendstream"


def _with_image(level: int, extra: bytes) -> Callable[[], bytes]:
    return lambda: make_pdf(extra, resources=b"/XObject << /Im1 6 0 R >> ", objects=(grey_image(level),))


def _text(prefix: bytes, size: bytes = b"11") -> bytes:
    return b"BT " + prefix + b" /F1 " + size + b" Tf 72 660 Td (" + CLAIM + b") Tj ET 0 g "


def _ocg(state: bytes) -> Callable[[], bytes]:
    """The claim inside an optional-content layer that the document's default view switches on or off."""
    return lambda: make_pdf(
        b"/OC /L1 BDC " + _LINE + b" EMC",
        resources=b"/Properties << /L1 6 0 R >> ",
        objects=(b"<< /Type /OCG /Name (Notes) >>",),
        catalog=b"/OCProperties << /OCGs [6 0 R] /D << /Order [6 0 R] /" + state + b" [6 0 R] >> >> ",
    )


def _form(paint: bytes) -> bytes:
    return (
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length %d >>\nstream\n" % len(paint)
        + paint
        + (b"\nendstream")
    )


def _behind_form() -> bytes:
    return make_pdf(
        _LINE + b" /Fm1 Do",
        resources=b"/XObject << /Fm1 6 0 R >> ",
        objects=(_form(b"1 g 60 650 460 26 re f"),),
    )


def _alpha(value: bytes) -> Callable[[], bytes]:
    return lambda: make_pdf(
        b"q /GS1 gs " + _LINE + b" Q",
        resources=b"/ExtGState << /GS1 6 0 R >> ",
        objects=(b"<< /Type /ExtGState /ca " + value + b" /CA " + value + b" >>",),
    )


def _cropped(y: bytes) -> bytes:
    return make_pdf(b"BT /F1 11 Tf 72 " + y + b" Td (" + CLAIM + b") Tj ET", page=b"/CropBox [0 400 595 842] ")


def _trick(name: str, flag: str, make: Callable[[], bytes]) -> Trick:
    return Trick(name=f"pdf-{name}", fmt="pdf", hidden=HIDDEN, make=make, flag=flag, clean=clean_pdf)


def _control(name: str, make: Callable[[], bytes]) -> Trick:
    return Trick(name=f"pdf-control-{name}", fmt="pdf", hidden=HIDDEN, make=make, control=True, clean=clean_pdf)


def _panel(colour: bytes) -> bytes:
    """A rectangle behind the claim's line, and the claim in the very same colour."""
    return colour + b" 60 652 460 22 re f " + _text(colour)


def _kerned(pull: int) -> bytes:
    """The claim as a TJ array that pulls every next glyph back by `pull` thousandths of an em."""
    return b"[" + b" ".join(b"(%s) %d" % (bytes([c]), pull) for c in CLAIM) + b"]"


def _on(extra: bytes) -> Callable[[], bytes]:
    return lambda: make_pdf(extra)


PDF_TRICKS: list[Trick] = [
    # the eleven
    _trick("layer-switched-off", "invisible_text", _ocg(b"OFF")),
    _trick("clipped-away", "invisible_text", _on(b"q 0 0 1 1 re W n " + _LINE + b" Q")),
    _trick("light-grey-on-light-grey", "invisible_text", _on(b"0.85 g 60 652 460 22 re f " + _text(b"0.85 g"))),
    _trick("dark-blue-on-dark-blue", "invisible_text", _on(_panel(b"0.1 0.15 0.4 rg"))),
    _trick("black-on-black", "invisible_text", _on(b"0 g 60 652 460 22 re f " + _text(b"0 g"))),
    _trick("under-an-image", "invisible_text", _with_image(255, _LINE + b" " + _IMAGE_AT_LINE)),
    _trick("under-an-opaque-rectangle", "invisible_text", _on(_LINE + b" 1 g 60 650 460 26 re f 0 g")),
    _trick("size-1.01-pt", "tiny_text", _on(_text(b"", b"1.01"))),
    _trick("grey-0.94-on-white", "invisible_text", _on(_text(b"0.94 g"))),
    _trick("fill-opacity-0.06", "invisible_text", _alpha(b"0.06")),
    _trick("outside-the-crop-box", "off_page_text", lambda: _cropped(b"150")),
    # more of the same families
    _trick("on-a-same-colour-image", "invisible_text", _with_image(128, _IMAGE_AT_LINE + b" " + _text(b"0.502 g"))),
    _trick("white-on-a-white-image", "invisible_text", _with_image(255, _IMAGE_AT_LINE + b" " + _text(b"1 g"))),
    _trick("render-mode-7-clip", "invisible_text", _on(_text(b"7 Tr") + b"BT 0 Tr ET")),
    _trick("zero-horizontal-scaling", "tiny_text", _on(_text(b"0 Tz") + b"BT 100 Tz ET")),
    _trick("behind-a-form-xobject", "invisible_text", _behind_form),
    _trick("size-2.5-pt", "tiny_text", _on(_text(b"", b"2.5"))),
    _trick("grey-0.86-on-grey-0.88", "invisible_text", _on(b"0.88 g 60 652 460 22 re f " + _text(b"0.86 g"))),
    _trick("fill-opacity-0.12", "invisible_text", _alpha(b"0.12")),
    _trick("clipped-to-a-far-corner", "invisible_text", _on(b"q 500 20 10 10 re W n " + _LINE + b" Q")),
    _trick("squeezed-by-character-spacing", "tiny_text", _on(_text(b"-5 Tc") + b"BT 0 Tc ET")),
    _trick("squeezed-by-kerning", "tiny_text", _on(b"BT /F1 11 Tf 72 660 Td " + _kerned(520) + b" TJ ET")),
]

PDF_TRICKS += [
    _control("white-on-a-dark-panel", _on(b"0.1 0.2 0.4 rg 60 652 460 22 re f " + _text(b"1 g"))),
    _control("light-grey-caption", _on(_text(b"0.6 g", b"8"))),
    _control("six-point-footnote", _on(_text(b"", b"6"))),
    _control("dark-text-on-a-light-image", _with_image(235, _IMAGE_AT_LINE + b" " + _text(b"0.1 g"))),
    _control("layer-switched-on", _ocg(b"ON")),
    _control("inside-the-crop-box", lambda: _cropped(b"660")),
    _control("clip-around-the-text", _on(b"q 60 650 470 30 re W n " + _LINE + b" Q")),
    _control("half-opacity", _alpha(b"0.5")),
    _control("tight-letter-spacing", _on(_text(b"-0.6 Tc") + b"BT 0 Tc ET")),
    _control("tightly-kerned", _on(b"BT /F1 11 Tf 72 660 Td " + _kerned(60) + b" TJ ET")),
]

"""Markdown CVs hiding a claim in comments and hidden HTML, and visible look-alikes as controls."""

from __future__ import annotations

from eval.hiding import Trick

__all__ = ["CLAIM", "HIDDEN", "MD_TRICKS", "clean_markdown", "make_markdown"]

HIDDEN = "Zanzibar quantum ledger"
CLAIM = "Built the Zanzibar quantum ledger RAG assistant for customer support at Hooli."
_HEAD = """# Ada Example

Staff engineer, payments platform. ada@example.org

## Experience

- Led the migration of the billing service to Kubernetes at Northwind Logistics.
- Cut nightly batch run time from six hours to forty minutes with Go workers.
"""
_TAIL = """- Designed the PostgreSQL sharding scheme behind the ledger of record.

## Education

MSc Computer Science, University of Example, 2014.
"""


def make_markdown(inserted: str = "") -> bytes:
    """The Markdown CV with `inserted` between its experience lines (nothing when empty)."""
    return (_HEAD + (inserted + "\n" if inserted else "") + _TAIL).encode("utf-8")


def clean_markdown() -> bytes:
    return make_markdown()


def _trick(name: str, flag: str, inserted: str) -> Trick:
    return Trick(f"md-{name}", "md", HIDDEN, lambda: make_markdown(inserted), flag=flag, clean=clean_markdown)


def _control(name: str, inserted: str) -> Trick:
    return Trick(
        f"md-control-{name}", "md", HIDDEN, lambda: make_markdown(inserted), control=True, clean=clean_markdown
    )


MD_TRICKS: list[Trick] = [
    # the three
    _trick("html-comment", "invisible_text", f"<!-- {CLAIM} -->"),
    _trick("reference-comment", "invisible_text", f"\n[//]: # ({CLAIM})\n"),
    _trick(
        "span-display-none", "invisible_text", f'- Shipped releases weekly.<span style="display:none"> {CLAIM}</span>'
    ),
    # more of the same families
    _trick("reference-comment-angle", "invisible_text", f"\n[comment]: <> ({CLAIM})\n"),
    _trick("reference-comment-title", "invisible_text", f'\n[note]: # "{CLAIM}"\n'),
    _trick("multi-line-comment", "invisible_text", f"<!--\n{CLAIM}\nMore notes.\n-->"),
    Trick(
        "md-unclosed-comment",
        "md",
        HIDDEN,
        lambda: make_markdown() + f"\n<!-- {CLAIM}\n".encode(),
        flag="invisible_text",
        clean=clean_markdown,
    ),  # an unclosed comment hides the rest of the file: put last
    _trick("hidden-attribute", "invisible_text", f"<div hidden>{CLAIM}</div>"),
    _trick("visibility-hidden", "invisible_text", f"<p style='visibility: hidden'>{CLAIM}</p>"),
    _trick("font-size-zero", "tiny_text", f'<span style="font-size:0">{CLAIM}</span>'),
    _trick("opacity-zero", "invisible_text", f'<span style="opacity:0">{CLAIM}</span>'),
    _trick("white-span", "white_text", f'<span style="color:#ffffff">{CLAIM}</span>'),
    _trick("nested-hidden-div", "invisible_text", f'<div style="display: none"><div>{CLAIM}</div> and more</div>'),
    _trick("zero-height-overflow", "invisible_text", f'<div style="height:0; overflow:hidden">{CLAIM}</div>'),
    _trick("style-element", "invisible_text", f"<style>/* {CLAIM} */</style>"),
    _trick("off-screen", "invisible_text", f'<span style="position:absolute; left:-9999px">{CLAIM}</span>'),
    _trick("font-colour-white", "white_text", f'<font color="white">{CLAIM}</font>'),
    _trick("near-white-span", "white_text", f"<span style='color: #FAFAFA'>{CLAIM}</span>"),
    _trick("rgb-near-white", "white_text", f'<span style="color: rgb(250, 250, 252)">{CLAIM}</span>'),
    _trick("hsl-white", "white_text", f'<span style="color:hsl(0, 0%, 100%)">{CLAIM}</span>'),
    _trick("grey-f0f0f0-on-white", "white_text", f'<span style="color:#F0F0F0">{CLAIM}</span>'),
    _trick("colour-of-its-background", "white_text", f'<span style="background:#1F3864; color:#1f3864">{CLAIM}</span>'),
]

MD_TRICKS += [
    _control("details-element", f"<details><summary>Projects</summary>\n\n{CLAIM}\n\n</details>"),
    _control("visible-styled-span", f'<span style="color:#333333">{CLAIM}</span>'),
    _control("bold-claim", f"- **{CLAIM}**"),
    _control("used-reference-link", f"- [{CLAIM}][repo]\n\n[repo]: https://example.org/ledger\n"),
    _control("inline-html", f"<p>{CLAIM}</p>"),
    _control("aria-hidden-is-still-seen", f'<span aria-hidden="true">{CLAIM}</span>'),
    _control("white-on-a-dark-background", f'<span style="background-color:#1a1a2e; color:#ffffff">{CLAIM}</span>'),
    _control("light-grey-span", f'<span style="color:#999">{CLAIM}</span>'),
    _control("font-colour-navy", f'<font color="navy">{CLAIM}</font>'),
]

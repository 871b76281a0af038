"""What a format loader hands back before sanitising: raw page texts, hidden-text flags and metadata fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from vetting.kernel.domain import Flag


@dataclass
class RawDocument:
    """Text as extracted (not yet sanitised); `flags` report text already cut out (hidden spans)."""

    kind: str
    pages: list[tuple[int | None, str]]
    flags: list[Flag] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    has_images: bool = False

"""Contrast of text against what is behind it (WCAG 2), shared by the Word and the Markdown/HTML checks."""

from __future__ import annotations

MIN_CONTRAST = (
    1.35  # WCAG contrast ratio below which text does not stand out from its background (F0F0F0 on white: 1.14)
)


def luminance(rgb: str) -> float:
    """Relative luminance of an RGB hex colour ("1F3864")."""
    channels = []
    for i in (0, 2, 4):
        c = int(rgb[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two RGB hex colours (1 = identical, 21 = black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)

"""Text from a document or a user, made literal inside Markdown: the one escaping rule for the app and the exports."""

from __future__ import annotations

import re
import string

_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")


def escape_markdown(value: object, *, lines: bool = False) -> str:
    """`value` with every ASCII punctuation mark backslash-escaped, so no Markdown reader makes a link, an image, a
    heading, a list, emphasis, HTML or a directive of it; on one line, or (`lines`) with its line breaks kept."""
    text = str(value)
    if not lines:
        return _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return "  \n".join(_SPECIAL.sub(r"\\\1", " ".join(line.split())) for line in text.strip().splitlines())

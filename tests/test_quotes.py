"""Quote spans index the original text, whatever NFKC does to it."""

from __future__ import annotations

import pytest

from vetting.kernel.quotes import find_span, is_verbatim


@pytest.mark.parametrize(
    "source,quote,expected",
    [
        (
            "We ﬁxed the ﬂaky test… then shipped the ﬁnal build.",
            "then shipped the final build",
            "then shipped the ﬁnal build",
        ),
        ("Wait… the cache was stale… so we purged it.", "so we purged it", "so we purged it"),
        ("Ｔｈｅ　ＡＰＩ uses idempotency keys.", "The API uses", "Ｔｈｅ　ＡＰＩ uses"),
        ("Latency ① dropped to ½ of the baseline.", "1 dropped to 1\u20442 of", "① dropped to ½ of"),
        (
            "He said “retry with backoff” — and it worked.",
            'said "retry with backoff" - and',
            "said “retry with backoff” — and",
        ),
        ("Cafe\u0301 orders: the queue ﬁlls at noon.", "the queue fills at noon", "the queue ﬁlls at noon"),
        ("A ﬁ\n\n  rst   line", "fi rst line", "ﬁ\n\n  rst   line"),
        ("㎏ of data: ten ㎞ of logs", "ten km of logs", "ten ㎞ of logs"),
    ],
)
def test_span_indexes_the_original_text(source: str, quote: str, expected: str) -> None:
    span = find_span(quote, source)
    assert span is not None
    assert source[span[0] : span[1]] == expected
    assert is_verbatim(quote, source, min_chars=1)


def test_span_after_changed_characters_is_not_shifted() -> None:
    source = "ﬁ ﬁ ﬁ … … Ｘ the key point here"
    start, end = find_span("the key point here", source)  # type: ignore[misc]
    assert source[start:end] == "the key point here"
    assert (start, end) == (source.index("the key point"), len(source))


def test_missing_or_empty_quote() -> None:
    assert find_span("not in the text", "ﬁne words only") is None
    assert find_span("   ", "anything") is None

"""The one sentence splitter: verbatim spans, clause cuts for answers, prose cuts for document text."""

from __future__ import annotations

from vetting.kernel.text import sentence_spans, sentences


def test_clause_mode_cuts_at_semicolons_line_breaks_and_bullets() -> None:
    text = "Cache hot keys; expire them.\n- Retry with backoff\n2) Log every call"
    assert sentences(text) == ["Cache hot keys;", "expire them.", "Retry with backoff", "Log every call"]


def test_every_span_is_a_verbatim_slice() -> None:
    text = "  We built a RAG bot.   It cut handling time by 30%!\n\n* Then we shipped it  "
    for prose in (False, True):
        for start, end in sentence_spans(text, prose=prose):
            piece = text[start:end]
            assert piece == piece.strip() and piece in text


def test_prose_mode_keeps_abbreviations_and_lowercase_continuations_together() -> None:
    text = "I led the migration, e.g. Kafka to Pulsar. Latency fell to 40 ms. see below. Then we grew."
    assert sentences(text, prose=True) == [
        "I led the migration, e.g. Kafka to Pulsar.",
        "Latency fell to 40 ms. see below.",
        "Then we grew.",
    ]


def test_prose_mode_does_not_cut_at_semicolons_or_inside_a_line() -> None:
    assert sentences("Designed the schema; wrote the API.", prose=True) == ["Designed the schema; wrote the API."]


def test_min_chars_drops_fragments() -> None:
    assert sentences("A. Built the pipeline.", min_chars=3) == ["Built the pipeline."]

"""One time budget per document for parse, sanitise, chunk and embed, and the size limits checked before slow work."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

from vetting.kernel.errors import DocumentTooLarge, ParseTimeout
from vetting.kernel.settings import Settings

__all__ = [
    "CHARS_PER_TOKEN",
    "IngestBudget",
    "check_chunk_count",
    "check_text_length",
    "embed_within",
    "max_chars",
    "screen_within",
]

# No real text averages more characters per embedding token than this (English prose is about 4.5), so a text longer
# than cap × chunk size × this many characters cannot fit under the chunk cap: it is refused before any slow work.
CHARS_PER_TOKEN = 8
EMBED_STEP = 256  # chunks embedded between two looks at the clock
D = TypeVar("D")
R = TypeVar("R")


@dataclass
class IngestBudget:
    """The deadline of one document's ingest; every stage checks it and a late document is refused, not stored."""

    name: str
    seconds: float
    spent: float = 0.0
    since: float | None = field(default_factory=time.monotonic)  # None while paused

    @classmethod
    def start(cls, settings: Settings, name: str) -> IngestBudget:
        return cls(name, settings.ingest_timeout_s)

    def pause(self) -> None:
        """Stop the clock while the document waits for others to share its embedding batch."""
        if self.since is not None:
            self.spent += time.monotonic() - self.since
            self.since = None

    def resume(self) -> None:
        if self.since is None:
            self.since = time.monotonic()

    def remaining(self) -> float:
        running = time.monotonic() - self.since if self.since is not None else 0.0
        return self.seconds - self.spent - running

    def expired(self) -> bool:
        return self.remaining() <= 0

    def timeout(self, stage: str) -> ParseTimeout:
        return ParseTimeout(
            f"{self.name} could not be taken in within {self.seconds:g} seconds and was stopped while {stage}; "
            "nothing of it was kept. The file may be very long or built to be slow: ask for a shorter copy."
        )

    def check(self, stage: str) -> None:
        if self.expired():
            raise self.timeout(stage)

    def counting(self, count: Callable[[str], list[int]]) -> Callable[[str], list[int]]:
        """The tokenizer, looking at the clock on every call, so chunking stops at the deadline."""

        def bounded(text: str) -> list[int]:
            self.check("cutting it into passages")
            return count(text)

        return bounded


def max_chars(settings: Settings) -> int:
    """The longest text whose chunks could still fit under the per-document chunk cap."""
    return settings.max_chunks_per_document * settings.chunk_tokens * CHARS_PER_TOKEN


def check_text_length(length: int, name: str, limit: int) -> None:
    """Refuse text that cannot fit under the chunk cap, from its length alone (before sanitising or chunking it)."""
    if length > limit:
        raise DocumentTooLarge(
            f"{name} holds {length / 1e6:.1f} million characters of text; one document may hold at most "
            f"{limit / 1e6:.1f} million. Ask for a shorter document."
        )


def check_chunk_count(count: int, name: str, settings: Settings, *, at_least: bool = False) -> None:
    limit = settings.max_chunks_per_document
    if count > limit:
        amount = f"at least {count:,}" if at_least else f"{count:,}"
        raise DocumentTooLarge(
            f"{name} is too long to index: it makes {amount} passages and the limit is {limit:,} per document. "
            "Ask for a shorter document."
        )


def check_token_count(texts: Sequence[str], count: Callable[[str], list[int]], name: str, settings: Settings) -> int:
    """The texts' token count; refused, before chunking, when the tokens alone fill more chunks than the cap."""
    words = sum(len(text.split()) for text in texts)  # every word is at least one token: a bound for free
    check_chunk_count(words // settings.chunk_tokens, name, settings, at_least=True)
    tokens = sum(len(count(text)) for text in texts)
    check_chunk_count(tokens // settings.chunk_tokens, name, settings, at_least=True)
    return tokens


def screen_within(
    screen: Callable[[list[tuple[D, str]]], Sequence[R]], groups: Sequence[tuple[D, str, IngestBudget]]
) -> list[R | ParseTimeout]:
    """Screen several documents in one call; one already past its deadline is refused instead.

    Each document is charged the call's time in proportion to its share of the documents.
    """
    late = {
        g: budget.timeout("checking it for instructions") for g, (_, _, budget) in enumerate(groups) if budget.expired()
    }
    live = [g for g in range(len(groups)) if g not in late]
    started = time.monotonic()
    screened = dict(zip(live, screen([(groups[g][0], groups[g][1]) for g in live]), strict=True)) if live else {}
    share = (time.monotonic() - started) / max(len(live), 1)
    for g in live:
        groups[g][2].spent += share
    return [late[g] if g in late else screened[g] for g in range(len(groups))]


def embed_within(
    embed: Callable[[Sequence[str]], np.ndarray], groups: Sequence[tuple[Sequence[str], IngestBudget]]
) -> list[np.ndarray | ParseTimeout]:
    """Embed several documents' chunks in large shared batches; a document past its deadline is dropped between them.

    Each document is charged its share of a batch's time (its chunks over the batch's), not the whole batch.
    """
    items = [(g, text) for g, (texts, _) in enumerate(groups) for text in texts]
    vectors: list[list[np.ndarray]] = [[] for _ in groups]
    failed: dict[int, ParseTimeout] = {}
    width = 0
    for start in range(0, len(items), EMBED_STEP):
        for g in {g for g, _ in items[start:]} - failed.keys():
            if groups[g][1].expired():
                failed[g] = groups[g][1].timeout("computing its embeddings")
        batch = [(g, text) for g, text in items[start : start + EMBED_STEP] if g not in failed]
        if not batch:
            continue
        started = time.monotonic()
        out = embed([text for _, text in batch])
        share = (time.monotonic() - started) / len(batch)
        width = out.shape[1] if out.ndim == 2 else width
        for (g, _), vector in zip(batch, out, strict=True):
            vectors[g].append(vector)
            groups[g][1].spent += share
    for g, (_, budget) in enumerate(groups):  # the last batch counts too
        if g not in failed and budget.expired():
            failed[g] = budget.timeout("computing its embeddings")
    return [failed[g] if g in failed else _stack(vectors[g], width) for g in range(len(groups))]


def _stack(vectors: list[np.ndarray], width: int) -> np.ndarray:
    return np.stack(vectors) if vectors else np.zeros((0, width), dtype=np.float32)

"""What every question engine takes and returns, and the one check every proposed citation must pass."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rubrics import Rubric
from vetting.kernel.domain import Candidate, Chunk
from vetting.kernel.quotes import is_verbatim, normalize
from vetting.planning.retrieval import Retrieved

MIN_QUOTE_CHARS = 20


@dataclass(frozen=True)
class Proposal:
    """A deep-dive question an engine proposes, with the quote and chunk it claims to be about."""

    criterion: str
    text: str
    quote: str
    chunk_id: str


@dataclass(frozen=True)
class DeepDiveRequest:
    """Everything an engine may use: the rubric, per-criterion retrieval, and this candidate's chunks only."""

    candidate: Candidate
    rubric: Rubric
    retrieved: Sequence[Retrieved]
    chunks: Sequence[Chunk]
    count: int
    stack: tuple[str, ...] = ()  # the case's technical stack: claims that use it rank a little higher


@dataclass(frozen=True)
class Proposals:
    proposals: tuple[Proposal, ...]
    dropped: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


class QuestionEngine(Protocol):
    """Proposes deep-dive questions; the planner verifies every citation whatever the engine."""

    name: str

    def propose(self, request: DeepDiveRequest) -> Proposals: ...


def verified(
    proposals: Iterable[Proposal], chunks: Mapping[str, Chunk], criteria: Iterable[str]
) -> tuple[list[Proposal], int]:
    """Proposals whose quote is a verbatim span of the cited chunk of this candidate, and how many failed."""
    known = set(criteria)
    kept: list[Proposal] = []
    seen: set[str] = set()
    dropped = 0
    for proposal in proposals:
        chunk = chunks.get(proposal.chunk_id)
        key = normalize(proposal.quote).lower()
        ok = (
            chunk is not None
            and proposal.criterion in known
            and bool(proposal.text.strip())
            and len(normalize(proposal.quote)) >= MIN_QUOTE_CHARS
            and is_verbatim(proposal.quote, chunk.text)
        )
        if not ok:
            dropped += 1
        elif key not in seen:
            seen.add(key)
            kept.append(proposal)
    return kept, dropped

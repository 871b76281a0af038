"""The offline engine: pairs rubric criteria with the candidate's project claims and asks about each pair."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from vetting.planning.claims import Claim, claims_in_chunk
from vetting.planning.engine import DeepDiveRequest, Proposal, Proposals
from vetting.planning.questions import claim_fit, facet_of, write_question

PICKED_BONUS = 0.1  # a chunk MMR picked for the criterion, beyond being merely similar
REUSE_CRITERION = 0.6  # a second question on the same criterion only when nothing else is left
SAME_PROJECT = 0.3
SAME_CHUNK = 0.2


@dataclass(frozen=True)
class _Pick:
    criterion_index: int
    claim: Claim
    position: int


class OfflineEngine:
    """Deterministic: the same chunks and rubric always give the same questions, in well under a second."""

    name = "offline"

    def propose(self, request: DeepDiveRequest) -> Proposals:
        occurrences = [claim for chunk in request.chunks for claim in claims_in_chunk(chunk)]
        if not occurrences or request.count <= 0:
            return Proposals(())
        criteria = [r.criterion for r in request.retrieved]
        facets = [facet_of(c) for c in criteria]
        base = []
        for r, facet in zip(request.retrieved, facets, strict=True):
            picked = {c.id for c in r.chunks}
            base.append(
                [
                    r.similarity.get(claim.chunk.id, 0.0)
                    + PICKED_BONUS * (claim.chunk.id in picked)
                    + claim_fit(facet, claim)
                    for claim in occurrences
                ]
            )
        picks = self._assign(base, occurrences, request.count)
        picks.sort(key=lambda p: (p.criterion_index, p.position))
        used: set[str] = set()
        proposals = tuple(
            Proposal(
                criteria[p.criterion_index].id,
                write_question(facets[p.criterion_index], p.claim, used, n),
                p.claim.quote,
                p.claim.chunk.id,
            )
            for n, p in enumerate(picks)
        )
        return Proposals(proposals)

    @staticmethod
    def _assign(base: list[list[float]], occurrences: list[Claim], count: int) -> list[_Pick]:
        """Greedy pairing: best criterion-claim pair first, spread over criteria, projects and chunks."""
        picks: list[_Pick] = []
        used_claims: set[str] = set()
        per_criterion: Counter[int] = Counter()
        projects: set[str] = set()
        chunks: set[str] = set()
        while len(picks) < count:
            best: tuple[float, int, int] | None = None
            for ci, row in enumerate(base):
                for position, claim in enumerate(occurrences):
                    if claim.key in used_claims:
                        continue
                    score = (
                        row[position]
                        - REUSE_CRITERION * per_criterion[ci]
                        - SAME_PROJECT * (claim.project in projects)
                        - SAME_CHUNK * (claim.chunk.id in chunks)
                    )
                    candidate = (round(score, 6), -ci, -position)
                    if best is None or candidate > best:
                        best = candidate
            if best is None:
                break
            ci, position = -best[1], -best[2]
            claim = occurrences[position]
            picks.append(_Pick(ci, claim, position))
            used_claims.add(claim.key)
            per_criterion[ci] += 1
            projects.add(claim.project)
            chunks.add(claim.chunk.id)
        return picks

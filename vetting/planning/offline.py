"""The offline engine: asks about the candidate's top-ranked claims, each paired with the criterion it suits best."""

from __future__ import annotations

from vetting.planning.engine import DeepDiveRequest, Proposal, Proposals
from vetting.planning.questions import claim_fit, facet_of, write_question
from vetting.planning.ranking import RankedClaim, rank_claims, top_claims

PICKED_BONUS = 0.1  # a chunk MMR picked for the criterion, beyond being merely similar


class OfflineEngine:
    """Deterministic: the same chunks, rubric and case always give the same questions, in well under a second."""

    name = "offline"

    def propose(self, request: DeepDiveRequest) -> Proposals:
        if request.count <= 0:
            return Proposals(())
        chosen = top_claims(rank_claims(request.chunks, request.stack), request.count)
        if not chosen:
            return Proposals(())
        pairs = assign_criteria(request, chosen)
        used: set[str] = set()
        proposals = tuple(
            Proposal(
                request.retrieved[ci].criterion.id,
                write_question(facet_of(request.retrieved[ci].criterion), ranked.claim, used, n),
                ranked.claim.quote,
                ranked.claim.chunk.id,
            )
            for n, (ci, ranked) in enumerate(pairs)
        )
        return Proposals(proposals)


def assign_criteria(request: DeepDiveRequest, chosen: list[RankedClaim]) -> list[tuple[int, RankedClaim]]:
    """Greedy pairing of the chosen claims with criteria (best fit first), each criterion once while any is left.

    Returned in the claims' priority order, so the plan opens with the candidate's most senior work.
    """
    facets = [facet_of(r.criterion) for r in request.retrieved]
    if not facets:
        return []
    fit = [
        [
            r.similarity.get(c.claim.chunk.id, 0.0)
            + PICKED_BONUS * any(ch.id == c.claim.chunk.id for ch in r.chunks)
            + claim_fit(facet, c.claim)
            for c in chosen
        ]
        for r, facet in zip(request.retrieved, facets, strict=True)
    ]
    criterion_of: dict[int, int] = {}
    used: dict[int, int] = {}
    while len(criterion_of) < len(chosen):
        best = max(
            (
                (round(fit[ci][k] - 10.0 * used.get(ci, 0), 6), -ci, -k)
                for ci in range(len(facets))
                for k in range(len(chosen))
                if k not in criterion_of
            ),
        )
        ci, k = -best[1], -best[2]
        criterion_of[k] = ci
        used[ci] = used.get(ci, 0) + 1
    return [(criterion_of[k], c) for k, c in enumerate(chosen)]

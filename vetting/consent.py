"""AI-use notice and opt-out per candidate: an opted-out candidate gets no AI plan or score, only the interviewer's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from vetting.db import Database
from vetting.db.models import CandidateRow
from vetting.kernel.domain import Candidate
from vetting.kernel.errors import CandidateNotFound, VettingError

NOTICE_BUSINESS_DAYS = 10  # NYC Local Law 144: notice at least ten business days before an automated assessment


class AIOptedOut(VettingError):
    """The candidate opted out of AI assessment: no AI plan or score is made for them."""


@dataclass(frozen=True)
class Consent:
    """When the AI-use notice was given (None: not recorded) and whether the candidate opted out of AI assessment."""

    notice_given_on: date | None
    ai_opt_out: bool

    def business_days_since_notice(self, today: date | None = None) -> int | None:
        if self.notice_given_on is None:
            return None
        return int(np.busday_count(self.notice_given_on, today or date.today()))

    def notice_pending(self, today: date | None = None) -> bool:
        """True while the notice is missing or younger than the ten business days the law asks for."""
        days = self.business_days_since_notice(today)
        return days is None or days < NOTICE_BUSINESS_DAYS


class ConsentRegistry:
    """Reads and records each candidate's notice date and opt-out."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def of(self, candidate_id: str) -> Consent:
        with self.db.session() as s:
            row = s.get(CandidateRow, candidate_id)
            if row is None:
                raise CandidateNotFound("That candidate no longer exists (erased?).")
            return Consent(row.notice_given_on, bool(row.ai_opt_out))

    def record(self, candidate_id: str, *, notice_given_on: date | None, ai_opt_out: bool) -> Consent:
        with self.db.session() as s:
            row = s.get(CandidateRow, candidate_id)
            if row is None:
                raise CandidateNotFound("That candidate no longer exists (erased?).")
            row.notice_given_on, row.ai_opt_out = notice_given_on, ai_opt_out
        return Consent(notice_given_on, ai_opt_out)

    def require_ai_allowed(self, candidate: Candidate) -> None:
        """Refuse any AI plan or score for a candidate who opted out, saying why and what still works."""
        if self.of(candidate.id).ai_opt_out:
            raise AIOptedOut(
                f"{candidate.name} opted out of AI assessment, so no AI plan or score is made for them: the case "
                "questions are asked as written and only the interviewer's own scores count."
            )

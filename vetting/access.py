"""The candidate services as one acting user sees them: every read and write is checked against the user's role.

Recruiters and administrators see every candidate; an interviewer sees only the candidates of the sessions they
started or were assigned; a reviewer reads sessions and scorecards, never a candidate's documents.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import update

from vetting.authz import Actor, PermissionDenied, Right
from vetting.db.models import DocumentRow
from vetting.kernel.errors import CandidateNotFound

if TYPE_CHECKING:
    from vetting.activity import ActivityLog
    from vetting.audit import AuditLog
    from vetting.candidates import CandidateRegistry
    from vetting.kernel.domain import AuditEntry, Candidate, ExtractedDocument, IngestReport, StoredDocument
    from vetting.sessions import SessionService
    from vetting.store import VectorStore

NOT_YOURS = "This candidate is not part of an interview assigned to you."


class CandidateAccess:
    """Decides, for one actor, which candidates' records and documents may be read."""

    def __init__(self, actor: Actor, sessions: SessionService) -> None:
        self.actor = actor
        self.sessions = sessions

    def may_read_documents(self, candidate_id: str) -> bool:
        if self.actor.can(Right.MANAGE_CANDIDATES):
            return True
        return self.actor.can(Right.INTERVIEW) and candidate_id in self.sessions.candidate_ids()

    def check_documents(self, candidate_id: str) -> None:
        if not self.may_read_documents(candidate_id):
            if self.actor.can(Right.INTERVIEW):
                raise PermissionDenied(NOT_YOURS)
            self.actor.require(Right.MANAGE_CANDIDATES)


class GuardedCandidates:
    """The candidate registry behind the actor's rights; anything not listed here needs the recruiter's rights."""

    def __init__(
        self,
        registry: CandidateRegistry,
        access: CandidateAccess,
        activity: ActivityLog,
        extract: Callable[[StoredDocument], ExtractedDocument] | None = None,
    ) -> None:
        self._registry = registry
        self._access = access
        self._activity = activity
        self._extract = extract
        self.actor = access.actor

    def overview(self) -> list[tuple[Candidate, int, int]]:
        """Every candidate (recruiter, admin) or the interviewer's own; a reviewer has no candidate list."""
        rows = self._registry.overview()
        if self.actor.can(Right.MANAGE_CANDIDATES):
            return rows
        if not self.actor.can(Right.INTERVIEW):
            self.actor.require(Right.MANAGE_CANDIDATES)
        mine = self._access.sessions.candidate_ids()
        return [row for row in rows if row[0].id in mine]

    def find(self, key: str, **kwargs: Any) -> Candidate:
        found = self._registry.find(key, **kwargs)
        self._access.check_documents(found.id)
        return found

    def documents(self, candidate_id: str) -> list[StoredDocument]:
        self._access.check_documents(candidate_id)
        return self._registry.documents(candidate_id)

    def text_of(self, candidate_id: str, filename: str) -> ExtractedDocument:
        """The clean text and flags of one of the candidate's documents, read from the copy recorded for them."""
        self._access.check_documents(candidate_id)
        found = [d for d in self._registry.documents(candidate_id) if d.filename == filename]
        if not found or self._extract is None:
            raise CandidateNotFound(f"No document '{filename}' of this candidate (erased?).")
        return self._extract(found[0])

    def delete(self, key: str, **kwargs: Any) -> Candidate:
        """Erase a candidate (recruiter, admin); the erasure is recorded under the actor's name, by id only."""
        return self._erasing("delete", key, kwargs)

    def erase(self, key: str, **kwargs: Any) -> Any:
        return self._erasing("erase", key, kwargs)

    def _erasing(self, method: str, key: str, kwargs: dict[str, Any]) -> Any:
        self.actor.require(Right.ERASE)
        done = getattr(self._registry, method)(key, **kwargs)
        candidate = getattr(done, "candidate", done)
        self._activity.record("erase", candidate_id=getattr(candidate, "id", None))
        return done

    def __getattr__(self, name: str) -> Any:
        """Other registry methods (creating, matching names): recruiters and administrators only."""
        self.actor.require(Right.MANAGE_CANDIDATES)
        return getattr(self._registry, name)


class GuardedStore:
    """The vector store as the actor may read it: a candidate's chunks only with the right to their documents."""

    def __init__(self, store: VectorStore, access: CandidateAccess) -> None:
        self._store = store
        self._access = access

    def for_candidate(self, candidate_id: str) -> Any:
        self._access.check_documents(candidate_id)
        return self._store.for_candidate(candidate_id)

    def __getattr__(self, name: str) -> Any:
        self._access.actor.require(Right.MANAGE_CANDIDATES)
        return getattr(self._store, name)


class GuardedIngestor:
    """Uploads (recruiter, admin): each stored document names the uploader, and the upload is in the activity log."""

    def __init__(self, make: Callable[[], Any], actor: Actor, activity: ActivityLog) -> None:
        self._make = make
        self.actor = actor
        self._activity = activity

    def ingest(self, files: Sequence[Any], candidate_name: str, *args: Any, **kwargs: Any) -> IngestReport:
        self.actor.require(Right.MANAGE_CANDIDATES)
        ingestor = self._make()
        report: IngestReport = ingestor.ingest(files, candidate_name, *args, **kwargs)
        stored = [d.doc_id for d in report.documents if d.status == "ingested" and d.doc_id]
        if stored:
            with ingestor.candidates.db.session() as s:
                s.execute(
                    update(DocumentRow)
                    .where(DocumentRow.candidate_id == report.candidate.id, DocumentRow.doc_id.in_(stored))
                    .values(actor=self.actor.name)
                )
        statuses = [d.status for d in report.documents]
        counts = {status: statuses.count(status) for status in sorted(set(statuses))}
        self._activity.record("upload", candidate_id=report.candidate.id, documents=counts)
        return report

    def __getattr__(self, name: str) -> Any:
        self.actor.require(Right.MANAGE_CANDIDATES)
        return getattr(self._make(), name)


class GuardedAudit:
    """The language-model call log: written by the system, read and exported by administrators and reviewers."""

    def __init__(self, audit: AuditLog, actor: Actor) -> None:
        self._audit = audit
        self.actor = actor

    def record(self, entry: AuditEntry) -> None:
        self._audit.record(entry)

    def entries(self, **kwargs: Any) -> list[AuditEntry]:
        if not self.actor.sees_every_session:
            self.actor.require(Right.REVIEW)
        return self._audit.entries(**kwargs)

    def erase_candidate(self, candidate_id: str) -> int:
        self.actor.require(Right.ERASE)
        return self._audit.erase_candidate(candidate_id)

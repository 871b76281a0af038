"""Typed values that cross module boundaries: documents and chunks, plans, scores, sessions and audited calls."""

from vetting.kernel.domain.audit import AuditEntry, AuditRecorder
from vetting.kernel.domain.documents import (
    Candidate,
    Chunk,
    DocStatus,
    DocumentResult,
    ExtractedDocument,
    Flag,
    FlagKind,
    IngestReport,
    Page,
    RetrievedChunk,
    StoredDocument,
    Upload,
)
from vetting.kernel.domain.plans import Citation, Plan, Question, QuestionKind
from vetting.kernel.domain.scores import CriterionScore, ScoreResult, Status
from vetting.kernel.domain.sessions import (
    AIScore,
    Evidence,
    InterviewerScore,
    KeyPoint,
    PlannedQuestion,
    SessionQuestion,
    StoredSession,
)

__all__ = [
    "AIScore",
    "AuditEntry",
    "AuditRecorder",
    "Candidate",
    "Chunk",
    "Citation",
    "CriterionScore",
    "DocStatus",
    "DocumentResult",
    "Evidence",
    "ExtractedDocument",
    "Flag",
    "FlagKind",
    "IngestReport",
    "InterviewerScore",
    "KeyPoint",
    "Page",
    "Plan",
    "PlannedQuestion",
    "Question",
    "QuestionKind",
    "RetrievedChunk",
    "ScoreResult",
    "SessionQuestion",
    "Status",
    "StoredDocument",
    "StoredSession",
    "Upload",
]

"""The errors a user can see: each message is written for a recruiter, never a traceback."""

from __future__ import annotations


class VettingError(Exception):
    """Base of every error whose message is shown to the user as is."""


class DocumentError(VettingError):
    """A document could not be taken in; the message says why in plain words."""


class UnsupportedFormat(DocumentError):
    pass


class UnreadableDocument(DocumentError):
    """Corrupt, truncated or otherwise unparseable file."""


class EncryptedDocument(DocumentError):
    pass


class NoExtractableText(DocumentError):
    """Scanned or image-only document, or a file with no text at all."""


class DocumentTooLarge(DocumentError):
    """Over the size or page limit."""


class ParseTimeout(DocumentError):
    pass


class CandidateNotFound(VettingError):
    pass


class StoreBusy(VettingError):
    """Another process is writing to the embedded store."""


class InvalidRubric(VettingError):
    pass


class InvalidCase(VettingError):
    pass


class LLMError(VettingError):
    """The configured language model endpoint failed in a way the user should know about."""


class InvalidDataset(VettingError):
    """A graded-answers file for evaluation is missing, unreadable or lacks the expected columns."""


class SessionNotFound(VettingError):
    """No interview session with that id (erased with its candidate, or never created)."""


class SessionConflict(VettingError):
    """The same session was changed elsewhere (another tab) since this copy was loaded."""


class NoDocuments(VettingError):
    """A candidate has nothing ingested to plan questions from."""


class InvalidAnswer(VettingError):
    """An answer given for scoring cannot be scored as it is (for example far too long)."""

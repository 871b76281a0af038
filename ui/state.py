"""Every session-state key and query parameter the app uses, named in one place so pages never collide."""

from __future__ import annotations

import hashlib

# Query parameters (survive a browser refresh)
QUERY_SESSION = "session"  # id of the interview session open on the Interview page
QUERY_QUESTION = "q"  # 1-based number of the question shown

# Signing in (ui/auth.py)
USER = "auth.user"  # {"name", "via"} of the signed-in account; its role is read from the database on every run
LAST_ACTIVE = "auth.last_active"  # time.monotonic() of the last run, for the idle sign-out
SIGNED_OUT_NOTICE = "auth.notice"  # why the user was signed out, shown once on the sign-in page

# Candidates page
INGEST_RESULTS = "candidates.ingest_results"  # last upload's IngestReport, shown until the next upload
UPLOAD_NONCE = "candidates.upload_nonce"  # bumped after an upload so the file picker starts empty
SELECTED_CANDIDATE = "candidates.selected"
CONFIRM_DELETE = "candidates.confirm_delete"  # id of the candidate whose erasure awaits confirmation
DELETED_NOTICE = "candidates.deleted_notice"

# Interview page
SESSION_ID = "interview.session_id"
FLASH = "interview.flash"  # one message to show after a rerun (e.g. a save conflict)
EDITING = "interview.editing"  # id of the question whose wording is being edited
CONFIRM_REMOVE = "interview.confirm_remove"  # id of the answered question whose removal awaits confirmation
CONFIRM_FINISH = "interview.confirm_finish"  # id of the session whose finishing awaits confirmation
NEW_QUESTION = "interview.new_question"
NEW_QUESTION_RUBRIC = "interview.new_question_rubric"

# Documents page
DOCUMENTS_CANDIDATE = "documents.selected"  # id of the candidate whose documents the interviewer reads

# Scorecards page
SCORECARD_SESSION = "scorecards.session"


def answer_key(question_id: int) -> str:
    return f"interview.answer.{question_id}"


def notes_key(question_id: int) -> str:
    return f"interview.notes.{question_id}"


def answer_version_key(question_id: int) -> str:
    """The stored version the text in the answer box was loaded from (for the other-tab check)."""
    return f"interview.answer_version.{question_id}"


def answer_saved_key(question_id: int) -> str:
    """The (answer, notes) this tab last loaded or saved: a difference from the boxes means unsaved typing."""
    return f"interview.answer_saved.{question_id}"


def signal_key(question_id: int, label: str) -> str:
    return f"interview.signals.{question_id}.{hashlib.sha256(label.encode('utf-8')).hexdigest()[:16]}"


def human_score_key(question_id: int, criterion_id: str) -> str:
    return f"interview.human_score.{question_id}.{criterion_id}"


def human_comment_key(question_id: int, criterion_id: str) -> str:
    return f"interview.human_comment.{question_id}.{criterion_id}"


def session_notes_key(session_id: str) -> str:
    return f"interview.session_notes.{session_id}"


def session_notes_version_key(session_id: str) -> str:
    return f"interview.session_notes_version.{session_id}"


def edit_text_key(question_id: int) -> str:
    return f"interview.edit_text.{question_id}"

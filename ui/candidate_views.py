"""Candidates page pieces: hand uploads to the ingestor, show per-file results, a candidate's text, chunks and flags."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import streamlit as st

from ui.components import md, show_highlighted
from vetting.authz import PermissionDenied
from vetting.kernel.domain import DocumentResult, Flag, IngestReport, StoredDocument
from vetting.kernel.errors import CandidateNotFound
from vetting.kernel.quotes import find_span
from vetting.services import Services

EXTENSIONS = ["pdf", "docx", "md", "markdown", "txt", "text", "json"]


class UploadedFileLike(Protocol):
    name: str

    def getvalue(self) -> bytes: ...


def ingest_uploads(
    services: Services,
    files: Sequence[UploadedFileLike],
    candidate_name: str,
    on_progress: Callable[[int, int, str], None] | None = None,
    *,
    new_person: bool = False,
) -> IngestReport:
    """Write the browser's files to a private folder inside the data directory (cleaned after a crash, and by an
    erasure) and ingest them exactly as `vet ingest` would."""
    from vetting.erasure import upload_folder
    from vetting.kernel.domain import Upload

    with upload_folder(services.settings.data_dir) as folder:
        uploads = []
        for number, file in enumerate(files):
            name = Path(file.name).name or f"upload-{number}"
            path = folder / f"{number:03d}{Path(name).suffix.lower()[:10]}"
            path.write_bytes(file.getvalue())
            uploads.append(Upload(path, name))
        return services.ingestor.ingest(uploads, candidate_name, on_progress=on_progress, new_person=new_person)


def _flag_line(flag: Flag | dict[str, Any]) -> str:
    f = flag if isinstance(flag, Flag) else Flag(**flag)
    where = f", page {f.page}" if f.page else ""
    meta = " in the metadata" if f.where == "metadata" else ""
    return f"**{f.kind.replace('_', ' ')}**{meta}{where}: “{md(f.text[:160])}”"


def show_results(report: IngestReport) -> None:
    """One line per file: ingested, unchanged or rejected with its reason, then any flags."""
    st.subheader(f"Upload result for {md(report.candidate.name)}")
    for result in report.documents:
        _show_result(result)


def _show_result(result: DocumentResult) -> None:
    if result.status == "rejected":
        reason = result.error or "it could not be read."
        if reason.startswith(result.path):  # the reason already names the file: bold it rather than repeat it
            st.error(f"Rejected: **{md(result.path)}**{md(reason[len(result.path) :])}", icon="⛔")
        else:
            st.error(f"**{md(result.path)}** — rejected: {md(reason)}", icon="⛔")
        return
    detail = f"{result.pages} page(s), {result.chunks} chunk(s)"
    if result.status == "ingested":
        st.success(f"**{md(result.path)}** — ingested: {detail}", icon="✅")
    else:
        st.info(f"**{md(result.path)}** — unchanged (same content as before): {detail}", icon="♻️")
    for warning in result.warnings:
        st.warning(f"**{md(result.path)}**: {md(warning)}", icon="⚠️")
    if result.flags:
        lines = "\n".join(f"- {_flag_line(f)}" for f in result.flags)
        st.warning(f"Flagged and removed from **{md(result.path)}** (never used in questions or scores):\n{lines}")


@st.cache_data(show_spinner=False, max_entries=64)
def _extract(_services: Services, candidate_id: str, document: StoredDocument) -> list[tuple[int | None, str]]:
    """Clean text per page of a stored document (cached by its record: the same file is read once; the caller has
    listed the candidate's documents, a read the service checks, before it asks)."""
    return [(page.number, page.text) for page in _services.candidates.text_of(candidate_id, document.filename).pages]


def _show_pages(pages: list[tuple[int | None, str]], flags: list[Flag]) -> None:
    """Each page's clean text; a flagged span still present is marked in place, a removed one is listed under it."""
    shown: set[int] = set()
    for number, text in pages:
        if number is not None:
            st.caption(f"Page {number}")
        here = [(i, f) for i, f in enumerate(flags) if f.where == "body" and f.page in (number, None)]
        spans = [(i, span) for i, f in here if (span := find_span(f.text, text)) is not None]
        show_highlighted(text, [span for _, span in spans], colour="#ffc9c9")
        shown |= {i for i, _ in spans}
        for i, flag in here:
            if i not in shown and (flag.page == number or number == pages[-1][0]):
                st.markdown(f":red-background[removed] {_flag_line(flag)}")
                shown.add(i)
    for i, flag in enumerate(flags):
        if i not in shown:
            st.markdown(f":red-background[removed] {_flag_line(flag)}")


def show_candidate(services: Services, candidate_id: str) -> None:
    """Documents with their flags, the extracted text with flagged spans marked, and the stored chunks."""
    documents = services.candidates.documents(candidate_id)
    docs_tab, text_tab, chunks_tab = st.tabs(["Documents", "Extracted text", "Chunks"])
    with docs_tab:
        for doc in documents:
            st.markdown(f"**{md(doc.filename)}** · {doc.kind} · {doc.pages} page(s) · {doc.chunks} chunk(s)")
            for flag in doc.flags:
                st.markdown(f"- :red-background[flagged] {_flag_line(flag)}")
    with text_tab:
        for doc in documents:
            with st.expander(md(doc.filename)):
                try:
                    pages = _extract(services, candidate_id, doc)
                except (
                    PermissionDenied,
                    CandidateNotFound,
                ) as exc:  # not theirs, or erased meanwhile: the service says so
                    st.error(md(exc), icon="⚠️")
                    continue
                except Exception as exc:  # the stored copy went missing or unreadable: say so, keep the page alive
                    st.error(f"The stored copy of {md(doc.filename)} cannot be read again ({exc.__class__.__name__}).")
                    continue
                _show_pages(pages, list(doc.flags))
    with chunks_tab:
        chunks = services.store.for_candidate(candidate_id).chunks()
        st.caption(f"{len(chunks)} chunk(s), in document and reading order")
        for chunk in chunks:
            where = f"page {chunk.page}" if chunk.page else "no page"
            section = f" · {md(chunk.section)}" if chunk.section else ""
            st.markdown(f"**{md(chunk.document)}** · #{chunk.index} · {where}{section}")
            st.text(chunk.text)


def consent_panel(services: Services, candidate_id: str) -> None:
    """The AI-use notice date and the candidate's opt-out of AI assessment, shown and recorded."""
    from vetting.consent import NOTICE_BUSINESS_DAYS, ConsentRegistry

    registry = ConsentRegistry(services.db)
    consent = registry.of(candidate_id)
    if consent.ai_opt_out:
        st.info("Opted out of AI assessment: no AI plan or score is made; only the interviewer's scores count.")
    elif consent.notice_pending():
        days = consent.business_days_since_notice()
        given = "No AI-use notice recorded" if days is None else f"AI-use notice given {days} business day(s) ago"
        st.warning(f"{given}; NYC Local Law 144 asks for it at least {NOTICE_BUSINESS_DAYS} business days before use.")
    with st.expander("AI-use notice and opt-out"), st.form(f"consent-{candidate_id}"):
        given_on = st.date_input("Date the AI-use notice was given", value=consent.notice_given_on, format="YYYY-MM-DD")
        opted_out = st.checkbox("The candidate opted out of AI assessment", value=consent.ai_opt_out)
        if st.form_submit_button("Save"):
            registry.record(candidate_id, notice_given_on=given_on or None, ai_opt_out=opted_out)
            st.rerun()

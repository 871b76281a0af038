"""Audit for chat models used directly (e.g. handed to ragas): every call recorded through LangChain callbacks."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from typing import TYPE_CHECKING, Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler

from vetting.llm.faults import public_url

if TYPE_CHECKING:
    from vetting.kernel.domain import AuditRecorder


class AuditCallback(BaseCallbackHandler):
    """Records one audit entry per chat-model call: hash of the messages, reply, latency, tokens, or the failure."""

    def __init__(self, audit: AuditRecorder, *, task: str, model_name: str, endpoint: str | None) -> None:
        self.audit = audit
        self.task = task
        self.model_name = model_name
        self.endpoint = public_url(endpoint)
        self._started: dict[UUID, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def on_chat_model_start(
        self, serialized: dict[str, Any], messages: list[list[Any]], *, run_id: UUID, **kwargs: Any
    ) -> None:
        sent = [[(m.type, m.content) for m in batch] for batch in messages]
        digest = hashlib.sha256(json.dumps(sent, ensure_ascii=False, default=str).encode()).hexdigest()
        with self._lock:
            self._started[run_id] = (time.perf_counter(), digest)

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        generations = [g for batch in response.generations for g in batch]
        text = "\n".join(str(getattr(g, "text", "")) for g in generations)
        usage: dict[str, Any] = {}
        if generations and getattr(generations[0], "message", None) is not None:
            usage = getattr(generations[0].message, "usage_metadata", None) or {}
        self._record(run_id, "ok", text, None, usage.get("input_tokens"), usage.get("output_tokens"))

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._record(run_id, "error", "", f"{error.__class__.__name__}", None, None)

    def _record(
        self, run_id: UUID, status: str, output: str, error: str | None, prompt: int | None, completion: int | None
    ) -> None:
        from vetting.kernel.domain import AuditEntry

        with self._lock:
            started, digest = self._started.pop(run_id, (time.perf_counter(), ""))
        self.audit.record(
            AuditEntry(
                task=self.task,
                engine=f"llm:{self.model_name}",
                model=self.model_name,
                endpoint=self.endpoint,
                template_version=f"{self.task}@direct",
                input_sha256=digest,
                output=output,
                status=status,
                error=error,
                latency_ms=int((time.perf_counter() - started) * 1000),
                prompt_tokens=prompt,
                completion_tokens=completion,
                json_mode="none",
            )
        )


def audited_chat_model(
    chat_model: Any, audit: AuditRecorder, *, task: str, model_name: str, endpoint: str | None
) -> Any:
    """A copy of `chat_model` whose every call lands in the audit log (for code that drives the model itself)."""
    handler = AuditCallback(audit, task=task, model_name=model_name, endpoint=endpoint)
    return chat_model.model_copy(update={"callbacks": [*(chat_model.callbacks or []), handler]})

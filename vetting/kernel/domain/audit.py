"""One language-model call as the audit log records it, and what the LLM seam records calls into."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class AuditEntry:
    """One call: engine, model, prompt template version, hash of what was sent, the reply, latency, tokens, outcome."""

    task: str
    engine: str
    model: str
    endpoint: str
    template_version: str
    input_sha256: str
    output: str
    status: str  # ok | invalid (unusable reply) | error (endpoint fault) | fallback (offline engine used)
    error: str | None = None
    attempt: int = 1
    latency_ms: int = 0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    json_mode: str = "none"
    candidate_id: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return data


class AuditRecorder(Protocol):
    """Anything the LLM seam can record a call into."""

    def record(self, entry: AuditEntry) -> None: ...

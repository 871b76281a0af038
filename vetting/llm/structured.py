"""Structured output over a real wire: schema-constrained JSON where supported, repair, bounded retries, audit."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from vetting.kernel.errors import LLMError
from vetting.kernel.pii import PiiMap, redact, restore_obj
from vetting.llm.faults import describe_fault, public_url, rejects_response_format
from vetting.llm.repair import UnusableReply, parse_reply
from vetting.llm.wire import Reply, reply_from_completion, response_format, schema_instructions, to_messages

if TYPE_CHECKING:
    from vetting.kernel.domain import AuditRecorder
    from vetting.kernel.settings import Settings

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
JsonMode = Literal["auto", "json_schema", "json_object", "none"]
_DOWNGRADE: dict[str, str] = {"json_schema": "json_object", "json_object": "none"}
WITHHELD = "[withheld]"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineResult(Generic[R]):
    """A value and the engine that produced it: `llm:<model>`, `offline`, or `offline (fallback: <reason>)`."""

    value: R
    engine: str
    fallback_reason: str | None = None


class LanguageModel(Protocol):
    """What planners and scorers need of a language model: validated structured answers, and a fallback rule."""

    model_name: str

    @property
    def engine(self) -> str: ...

    def generate(
        self,
        *,
        task: str,
        system: str,
        user: str,
        schema: type[T],
        names: Sequence[str] = (),
        pii: PiiMap | None = None,
        withheld: Sequence[str] = (),
        check: Callable[[T], str | None] | None = None,
        template_version: str | None = None,
        candidate_id: str | None = None,
    ) -> T: ...

    def with_fallback(
        self, primary: Callable[[LanguageModel], R], offline: Callable[[], R], *, task: str
    ) -> EngineResult[R]: ...


class StructuredLLM:
    """Calls a chat model and returns a validated pydantic object; redacts personal data and records every call."""

    def __init__(
        self,
        chat_model: Any,
        *,
        model_name: str = "unknown",
        attempts: int = 2,
        json_mode: JsonMode = "auto",
        send_pii: bool = False,
        system_messages: bool = True,
        audit: AuditRecorder | None = None,
        endpoint: str | None = None,
        fallback: Literal["offline", "error"] = "offline",
        timeout_s: float = 60.0,
        retries: int = 0,
    ) -> None:
        self.chat_model = chat_model
        self.model_name = model_name
        self.attempts = max(1, attempts)
        self.json_mode = json_mode
        self._mode: str = "json_schema" if json_mode == "auto" else json_mode
        self.send_pii = send_pii
        self.system_messages = system_messages
        self.audit = audit
        self.endpoint = public_url(endpoint)
        self.fallback = fallback
        self.timeout_s = timeout_s
        self.retries = retries

    @classmethod
    def from_settings(
        cls, settings: Settings, *, chat_model: Any | None = None, audit: AuditRecorder | None = None
    ) -> StructuredLLM | None:
        """The configured structured LLM, or None when no endpoint is configured (offline engine only)."""
        from vetting.llm.chat import make_chat_model

        model = chat_model if chat_model is not None else make_chat_model(settings)
        if model is None:
            return None
        return cls(
            model,
            model_name=settings.llm_model,
            attempts=settings.llm_max_attempts,
            json_mode=settings.llm_json_mode,
            send_pii=settings.llm_send_pii,
            system_messages=settings.llm_system_messages,
            audit=audit,
            endpoint=settings.llm_base_url,
            fallback=settings.llm_fallback,
            timeout_s=settings.llm_timeout_s,
            retries=settings.llm_max_retries,
        )

    @property
    def json_mode_in_use(self) -> str:
        """The structured-output mode now sent (after any step down from `auto`)."""
        return self._mode

    @property
    def engine(self) -> str:
        """The label shown beside every output this model produced."""
        return f"llm:{self.model_name}"

    def outgoing(self, text: str, *, names: Sequence[str], pii: PiiMap, withheld: Sequence[str]) -> str:
        """Exactly what may leave the machine: withheld (flagged) text removed, personal data replaced."""
        for hidden in sorted({w for w in withheld if w.strip()}, key=len, reverse=True):
            text = text.replace(hidden, WITHHELD)
        return text if self.send_pii else redact(text, names, pii)[0]

    def generate(
        self,
        *,
        task: str,
        system: str,
        user: str,
        schema: type[T],
        names: Sequence[str] = (),
        pii: PiiMap | None = None,
        withheld: Sequence[str] = (),
        check: Callable[[T], str | None] | None = None,
        template_version: str | None = None,
        candidate_id: str | None = None,
    ) -> T:
        """One structured answer for `task`, placeholders restored; raises LLMError when no usable reply comes.

        `names` are the candidate's names to redact, `withheld` texts that must never be sent (flagged hidden text),
        `check` a verifier returning a problem to send back for another attempt (e.g. a quote not found verbatim).
        """
        pii = pii if pii is not None else PiiMap()
        version = template_version or f"{task}@{hashlib.sha256(system.encode()).hexdigest()[:10]}"
        turns: list[tuple[str, str]] = [("system", f"{system}\n\n{schema_instructions(schema)}"), ("user", user)]
        problem = "no reply"
        for attempt in range(1, self.attempts + 1):
            sent = [(role, self.outgoing(text, names=names, pii=pii, withheld=withheld)) for role, text in turns]
            started = time.perf_counter()
            refused = partial(self._record, task, version, sent, None, started, attempt, candidate_id, status="error")
            try:
                reply = self._round_trip(sent, schema, refused)
            except LLMError as exc:
                self._record(task, version, sent, None, started, attempt, candidate_id, status="error", error=str(exc))
                raise
            value: T | None = None
            try:
                parsed = parse_reply(reply.text, schema)
                value = schema.model_validate(restore_obj(parsed.model_dump(by_alias=True), pii))
            except (UnusableReply, ValidationError) as exc:
                cut = " (cut off at the token limit)" if reply.finish_reason == "length" else ""
                problem_now: str | None = f"{exc}{cut}" if isinstance(exc, UnusableReply) else "invalid values"
            else:
                problem_now = check(value) if check is not None else None
            status = "ok" if problem_now is None else "invalid"
            self._record(task, version, sent, reply, started, attempt, candidate_id, status=status, error=problem_now)
            if value is not None and problem_now is None:
                return value
            problem = problem_now or problem
            turns += [
                ("assistant", reply.text),
                (
                    "user",
                    f"That reply was not usable: {problem}. Reply again with one JSON object only, "
                    "matching the schema, shorter if needed.",
                ),
            ]
        raise LLMError(
            f"The language model at {self.endpoint} gave no usable answer for {task} "
            f"after {self.attempts} attempts ({problem})."
        )

    def with_fallback(
        self, primary: Callable[[LanguageModel], R], offline: Callable[[], R], *, task: str
    ) -> EngineResult[R]:
        """Run `primary` with this model; on LLMError use the offline engine or re-raise, as `llm_fallback` says."""
        try:
            return EngineResult(primary(self), self.engine)
        except LLMError as exc:
            if self.fallback == "error":
                raise
            self._record_fallback(task, str(exc))
            return EngineResult(offline(), f"offline (fallback: {exc})", fallback_reason=str(exc))

    # --- the wire -----------------------------------------------------------------------------------------------

    def _round_trip(self, sent: list[tuple[str, str]], schema: type[BaseModel], refused: Callable[..., None]) -> Reply:
        import openai

        messages = to_messages(sent, system_messages=self.system_messages)
        while True:
            fmt = response_format(self._mode, schema)
            try:
                message = self.chat_model.invoke(messages, **({"response_format": fmt} if fmt else {}))
            except openai.LengthFinishReasonError as exc:  # a reply cut at max tokens: keep it, repair may mend it
                return reply_from_completion(exc.completion)
            except Exception as exc:
                if self.json_mode == "auto" and self._mode in _DOWNGRADE and rejects_response_format(exc):
                    now = _DOWNGRADE[self._mode]
                    log.info("%s refused %s structured output; trying %s", self.endpoint, self._mode, now)
                    refused(error=f"the endpoint refused {self._mode} structured output; stepped down to {now}")
                    self._mode = now
                    continue
                raise describe_fault(
                    exc, url=self.endpoint, model=self.model_name, timeout_s=self.timeout_s, retries=self.retries
                ) from exc
            usage = getattr(message, "usage_metadata", None) or {}
            meta = getattr(message, "response_metadata", None) or {}
            content = message.content if isinstance(message.content, str) else json.dumps(message.content)
            return Reply(content, usage.get("input_tokens"), usage.get("output_tokens"), meta.get("finish_reason"))

    # --- the audit log -------------------------------------------------------------------------------------------

    def _record(
        self,
        task: str,
        version: str,
        sent: list[tuple[str, str]],
        reply: Reply | None,
        started: float,
        attempt: int,
        candidate_id: str | None,
        *,
        status: str,
        error: str | None,
    ) -> None:
        if self.audit is None:
            return
        from vetting.kernel.domain import AuditEntry

        digest = hashlib.sha256(json.dumps(sent, ensure_ascii=False).encode()).hexdigest()
        self.audit.record(
            AuditEntry(
                task=task,
                engine=self.engine,
                model=self.model_name,
                endpoint=self.endpoint,
                template_version=version,
                input_sha256=digest,
                output=reply.text if reply else "",
                status=status,
                error=error,
                attempt=attempt,
                latency_ms=int((time.perf_counter() - started) * 1000),
                prompt_tokens=reply.prompt_tokens if reply else None,
                completion_tokens=reply.completion_tokens if reply else None,
                json_mode=self._mode,
                candidate_id=candidate_id,
            )
        )

    def _record_fallback(self, task: str, reason: str) -> None:
        if self.audit is None:
            return
        from vetting.kernel.domain import AuditEntry

        self.audit.record(
            AuditEntry(
                task=task,
                engine="offline",
                model="offline",
                endpoint="",
                template_version="",
                input_sha256="",
                output="",
                status="fallback",
                error=reason,
                attempt=0,
                latency_ms=0,
                json_mode="none",
            )
        )


def with_fallback(
    llm: LanguageModel | None, primary: Callable[[LanguageModel], R], offline: Callable[[], R], *, task: str
) -> EngineResult[R]:
    """The composition helper planners and scorers use: the LLM when configured, else (or on failure) offline."""
    if llm is None:
        return EngineResult(offline(), "offline")
    return llm.with_fallback(primary, offline, task=task)

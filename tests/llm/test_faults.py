"""A dead or misbehaving endpoint costs the user a clear message, never a traceback; transient faults are retried."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from pydantic import BaseModel

from tests.llm.conftest import llm_settings
from tests.llm.stub import Scripted, StubServer
from vetting.audit import MemoryAuditLog
from vetting.kernel.errors import LLMError
from vetting.llm import StructuredLLM


class Verdict(BaseModel):
    score: int
    reason: str


def ask(url: str, tmp_path: Path, **overrides: object) -> tuple[StructuredLLM, MemoryAuditLog]:
    audit = MemoryAuditLog()
    llm = StructuredLLM.from_settings(llm_settings(tmp_path, url, **overrides), audit=audit)
    assert llm is not None
    return llm, audit


def fails_with(llm: StructuredLLM) -> str:
    with pytest.raises(LLMError) as caught:
        llm.generate(task="scoring", system="Score it.", user="An answer.", schema=Verdict)
    message = str(caught.value)
    assert "Traceback" not in message and 'File "' not in message
    return message


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_server_that_is_down(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    llm, audit = ask(url, tmp_path)
    message = fails_with(llm)
    assert message == f"The language model at {url} could not be reached: the server is down or the address is wrong."
    [entry] = audit.entries()
    assert entry.status == "error" and entry.error == message


def test_a_server_too_slow_to_answer(stub: StubServer, tmp_path: Path) -> None:
    stub.enqueue(Scripted(content='{"score": 3, "reason": "late"}', delay_s=2.0))
    llm, _ = ask(stub.url, tmp_path, llm_timeout_s=0.5)
    started = time.monotonic()
    assert "did not answer within 0.5 seconds" in fails_with(llm)
    assert time.monotonic() - started < 1.9  # abandoned at the timeout, not when the server finally answers


def test_a_refused_api_key_is_named_and_not_retried(stub: StubServer, tmp_path: Path) -> None:
    stub.enqueue(Scripted(status=401, body='{"error": {"message": "Incorrect API key provided: sk-wr***"}}'))
    llm, _ = ask(stub.url, tmp_path, llm_api_key="sk-wrong", llm_max_retries=2)
    assert fails_with(llm) == f"The language model at {stub.url} refused the API key (401). Check VETTING_LLM_API_KEY."
    assert len(stub.chat_bodies) == 1


def test_rate_limits_are_retried_with_backoff_then_explained(stub: StubServer, tmp_path: Path) -> None:
    limited = Scripted(status=429, body='{"error": {"message": "slow down"}}', headers={"retry-after-ms": "20"})
    stub.enqueue(limited, limited, limited)
    llm, _ = ask(stub.url, tmp_path, llm_max_retries=2)
    message = fails_with(llm)
    assert "is limiting requests (429) and still refused (after 3 tries)" in message
    assert len(stub.chat_bodies) == 3


def test_a_rate_limit_that_clears_costs_nothing(stub: StubServer, tmp_path: Path) -> None:
    stub.enqueue(Scripted(status=429, body="{}", headers={"retry-after-ms": "20"}))
    stub.reply('{"score": 4, "reason": "clear"}')
    llm, _ = ask(stub.url, tmp_path, llm_max_retries=2)
    assert llm.generate(task="scoring", system="s", user="u", schema=Verdict).score == 4


def test_a_server_error_hides_the_server_traceback(stub: StubServer, tmp_path: Path) -> None:
    trace = '{"error": {"message": "Traceback (most recent call last):\\n  File \\"app.py\\", line 3"}}'
    stub.enqueue(Scripted(status=500, body=trace))
    llm, _ = ask(stub.url, tmp_path)
    assert fails_with(llm) == (
        f"The language model at {stub.url} failed with a server error (500). Try again later or check the server's log."
    )


def test_a_prompt_too_long_for_the_model_is_named(stub: StubServer, tmp_path: Path) -> None:
    too_long = '{"error": {"message": "Requested tokens (9000) exceed context window of 8192", "code": 400}}'
    stub.enqueue(Scripted(status=400, body=too_long))
    llm, _ = ask(stub.url, tmp_path)
    assert fails_with(llm).endswith("rejected the request (400): it is longer than the model's context window.")


def test_a_body_that_is_not_a_chat_completion(stub: StubServer, tmp_path: Path) -> None:
    stub.default = Scripted(status=200, body="<html><body>Welcome to nginx!</body></html>")
    llm, _ = ask(stub.url, tmp_path)
    assert fails_with(llm) == (
        f"The language model at {stub.url} sent a reply that is not an OpenAI-compatible chat completion. "
        "Check that the address is the server's OpenAI-compatible base URL (usually ending in /v1)."
    )


def test_garbage_content_ends_in_the_offline_engine_by_default(stub: StubServer, tmp_path: Path) -> None:
    stub.default = Scripted(content="\x00\x07 lorem ipsum }{ ]]")
    llm, audit = ask(stub.url, tmp_path)
    result = llm.with_fallback(
        lambda m: m.generate(task="scoring", system="s", user="u", schema=Verdict), lambda: "offline", task="scoring"
    )
    assert result.value == "offline" and result.engine.startswith("offline (fallback: ")
    assert "no usable answer for scoring after 2 attempts (the reply was not valid JSON)" in result.engine
    assert [e.status for e in reversed(audit.entries())] == ["invalid", "invalid", "fallback"]


def test_a_dead_server_ends_in_the_offline_engine_by_default(tmp_path: Path) -> None:
    llm, _ = ask(f"http://127.0.0.1:{free_port()}/v1", tmp_path)
    result = llm.with_fallback(
        lambda m: m.generate(task="planning", system="s", user="u", schema=Verdict), lambda: "offline", task="planning"
    )
    assert result.value == "offline" and "could not be reached" in (result.fallback_reason or "")

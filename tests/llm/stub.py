"""A loopback OpenAI-compatible server with scripted replies: endpoint faults on demand, every request body recorded."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Scripted:
    """One scripted response: a chat reply (`content`), or a raw `status`/`body`, optionally after `delay_s`."""

    content: str | None = None
    status: int = 200
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    finish_reason: str = "stop"
    respond: Callable[[dict[str, Any]], str] | None = None  # builds the reply content from the request body


def chat_completion(content: str, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "stub-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }


class StubServer:
    """Serves `/v1/chat/completions` and `/v1/embeddings` on 127.0.0.1 from a queue of scripted responses."""

    def __init__(self) -> None:
        self.script: deque[Scripted] = deque()
        self.default = Scripted(content='{"ok": true}')
        self.requests: list[dict[str, Any]] = []
        self.reject_json_schema = False
        self.embedding_limit: int | None = None  # answer /embeddings with at most this many vectors
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._send(200, json.dumps({"object": "list", "data": [{"id": "stub-model", "object": "model"}]}))

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                body = json.loads(raw) if raw else {}
                stub.requests.append({"path": self.path, "body": body, "raw": raw, "headers": dict(self.headers)})
                if self.path.endswith("/embeddings"):
                    texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
                    data = [{"object": "embedding", "index": i, "embedding": _vector(t)} for i, t in enumerate(texts)]
                    data = data[: stub.embedding_limit] if stub.embedding_limit is not None else data
                    self._send(200, json.dumps({"object": "list", "data": data, "model": body.get("model", "")}))
                    return
                fmt = body.get("response_format") or {}
                if stub.reject_json_schema and fmt.get("type") == "json_schema":
                    msg = "Input should be 'text' or 'json_object' (loc: body.response_format.type)"
                    self._send(500, json.dumps({"error": {"message": msg, "type": "internal_server_error"}}))
                    return
                step = stub.script.popleft() if stub.script else stub.default
                if step.delay_s:
                    time.sleep(step.delay_s)
                if step.respond is not None:
                    step = Scripted(content=step.respond(body), status=step.status, finish_reason=step.finish_reason)
                if step.body is not None or step.content is None:
                    self._send(step.status, step.body or "", step.headers, content_type="text/html")
                else:
                    payload = json.dumps(chat_completion(step.content, step.finish_reason))
                    self._send(step.status, payload, step.headers)

            def _send(
                self, status: int, text: str, headers: dict[str, str] | None = None, content_type: str = ""
            ) -> None:
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("content-type", content_type or "application/json")
                self.send_header("content-length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def enqueue(self, *steps: Scripted) -> None:
        self.script.extend(steps)

    def reply(self, *contents: str) -> None:
        self.enqueue(*(Scripted(content=c) for c in contents))

    @property
    def chat_bodies(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if r["path"].endswith("/chat/completions")]

    def wire_text(self) -> str:
        """Everything that reached this server, as sent."""
        return "\n".join(r["raw"] for r in self.requests)

    def start(self) -> StubServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _vector(text: str) -> list[float]:
    """A deterministic 8-dimensional vector for a text (not normalised, so the client must normalise)."""
    values = [float((ord(ch) * (i + 1)) % 17) for i, ch in enumerate(text[:8].ljust(8, "x"))]
    return [v + 1.0 for v in values]

"""A real local HTTP server speaking the OpenAI chat-completions protocol, with failure modes.

Clients use ``server.url(mode)`` as their base URL (``http://127.0.0.1:PORT/<mode>/v1``); the
mode picks the behaviour: ``error`` answers HTTP 500, ``malformed`` answers broken JSON content,
``slow`` waits ``slow_seconds`` before answering (so clients time out), ``truncated`` answers the
good reply cut in half with ``finish_reason: "length"``, ``no_schema`` refuses a ``json_schema``
response format with HTTP 400 (as servers without structured output do) and otherwise answers
like ``good``; any other mode answers with ``responders[mode](user_payload)`` where
``user_payload`` is the last message's content parsed as JSON. Every answer waits ``latency``
seconds first (a served model's time per request) and reports usage of about one token per four
characters. ``server.calls`` counts requests by mode, ``server.formats`` the response formats
asked for, ``server.in_flight_max`` the most requests it held at once.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

Responder = Callable[[Any], str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients in flight (the default backlog is 5)


class OpenAIStub:
    """``with OpenAIStub({"good": fn}) as server: server.url("good")`` — stopped on exit."""

    def __init__(self, responders: dict[str, Responder], slow_seconds: float = 2.0, latency: float = 0.0) -> None:
        self.responders = responders
        self.slow_seconds = slow_seconds
        self.latency = latency
        self.calls: Counter[str] = Counter()
        self.formats: Counter[str] = Counter()
        self.in_flight = self.in_flight_max = 0
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, mode: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/{mode}/v1"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and close the socket (a server that went away: connections are refused)."""
        if not self._stopped.is_set():
            self._stopped.set()
            self._server.shutdown()
            self._server.server_close()

    def _answer(self, mode: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        form = (body.get("response_format") or {}).get("type", "none")
        with self._lock:
            self.calls[mode] += 1
            self.formats[form] += 1
            self.in_flight += 1
            self.in_flight_max = max(self.in_flight_max, self.in_flight)
        try:
            time.sleep(self.latency)
            return self._reply(mode, form, body)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _reply(self, mode: str, form: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if mode == "error":
            return 500, {"error": {"message": "boom", "type": "server_error"}}
        if mode == "no_schema" and form == "json_schema":
            return 400, {"error": {"message": "response_format json_schema is not supported", "type": "invalid_request_error"}}
        if mode == "slow":
            time.sleep(self.slow_seconds)
        finish = "stop"
        if mode == "malformed":
            content = '{"background": "unterminated'
        else:
            responder = self.responders.get(mode) or self.responders.get("good") or (lambda _: "{}")
            content = responder(json.loads(body["messages"][-1]["content"]))
            if mode == "truncated":
                content, finish = content[: len(content) // 2], "length"
        prompt_tokens = sum(len(m["content"]) for m in body["messages"]) // 4 + 1
        completion_tokens = len(content) // 4 + 1
        return 200, {"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                     "choices": [{"index": 0, "finish_reason": finish,
                                  "message": {"role": "assistant", "content": content}}],
                     "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                               "total_tokens": prompt_tokens + completion_tokens}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server calls it by this name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, data = stub._answer(self.path.strip("/").split("/")[0], body)
                raw = json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def log_message(self, *args: object) -> None:  # keep pytest output clean
                pass

        return Handler

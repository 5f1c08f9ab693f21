"""A real local HTTP server speaking the OpenAI chat-completions protocol, with failure modes.

Clients use ``server.url(mode)`` as their base URL (``http://127.0.0.1:PORT/<mode>/v1``); the
mode picks the behaviour: ``error`` answers HTTP 500, ``malformed`` answers broken JSON content,
``slow`` waits ``slow_seconds`` before answering (so clients time out), and any other mode
answers with ``responders[mode](user_payload)`` where ``user_payload`` is the last message's
content parsed as JSON. ``server.calls`` counts requests by mode.
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


class OpenAIStub:
    """``with OpenAIStub({"good": fn}) as server: server.url("good")`` — stopped on exit."""

    def __init__(self, responders: dict[str, Responder], slow_seconds: float = 2.0) -> None:
        self.responders = responders
        self.slow_seconds = slow_seconds
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, mode: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/{mode}/v1"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, mode: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls[mode] += 1
        if mode == "error":
            return 500, {"error": {"message": "boom", "type": "server_error"}}
        if mode == "slow":
            time.sleep(self.slow_seconds)
        if mode == "malformed":
            content = '{"background": "unterminated'
        else:
            responder = self.responders.get(mode) or self.responders.get("good") or (lambda _: "{}")
            content = responder(json.loads(body["messages"][-1]["content"]))
        return 200, {"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": content}}],
                     "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}

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

"""LLM rewriting against a real local HTTP server speaking the OpenAI chat-completions protocol:
a good endpoint's rewrite is used and cached; timeouts, malformed JSON and 500s fall back to the
template text, are counted, and never fail the build."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fixtures_build import EXAMPLE_PAPERS, toy_paper

from wmbench.build.paper_job import generate_paper
from wmbench.generate.llm_rewrite import LLMConfig, rewrite_all
from wmbench.schema import Problem
from wmbench.storage import read_problems

SLOW_SECONDS = 2.0


class _Handler(BaseHTTPRequestHandler):
    calls: dict[str, int] = {}
    leak = ""  # what the "leaky" endpoint adds to the background

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_POST(self) -> None:
        mode = self.path.strip("/").split("/")[0]
        _Handler.calls[mode] = _Handler.calls.get(mode, 0) + 1
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if mode == "error":
            return self._send(500, {"error": {"message": "boom", "type": "server_error"}})
        if mode == "slow":
            time.sleep(SLOW_SECONDS)
        payload = json.loads(body["messages"][-1]["content"])
        if mode == "malformed":
            content = '{"background": "unterminated'
        elif mode == "leaky":
            content = json.dumps({"background": payload["background"] + f" Note that ${_Handler.leak}$.",
                                  "question_text": "What goes in the blank?"})
        else:
            content = json.dumps({"background": payload["background"] + " The setting is a cellular downlink.",
                                  "question_text": "Rewritten: " + payload["question_text"]})
        self._send(200, {"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                         "choices": [{"index": 0, "finish_reason": "stop",
                                      "message": {"role": "assistant", "content": content}}],
                         "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

    def _send(self, status: int, data: dict) -> None:
        raw = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        try:
            self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout mode)
            pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def problems() -> list[Problem]:
    records = generate_paper(toy_paper(), seed=0)["problems"][:6]
    return [Problem.from_dict(r) for r in records]


def _config(server: str, mode: str) -> LLMConfig:
    return LLMConfig(base_url=f"{server}/{mode}/v1", model="test-model", timeout=0.5, retries=1, backoff=0.01,
                     concurrency=3)


def test_good_endpoint_rewrites_and_caches(server: str, problems: list[Problem], tmp_path: Path) -> None:
    out, stats, run = rewrite_all(problems, _config(server, "good"), tmp_path)
    assert stats["rewritten"] == len(problems) and stats["fallbacks"] == 0
    assert all(p.question_text.startswith("Rewritten: ") for p in out)
    assert all(p.background.endswith("cellular downlink.") for p in out)
    calls = _Handler.calls["good"]
    again, stats2, run2 = rewrite_all(problems, _config(server, "good"), tmp_path)
    assert again == out and stats2 == stats and run2["cache_hits"] == len(problems)
    assert _Handler.calls["good"] == calls  # nothing asked twice


@pytest.mark.parametrize(("mode", "reason"), [("error", "HTTP 500"), ("malformed", "malformed JSON"),
                                              ("slow", "APITimeoutError")])
def test_failing_endpoints_fall_back_to_templates(server: str, problems: list[Problem], tmp_path: Path,
                                                  mode: str, reason: str) -> None:
    out, stats, _ = rewrite_all(problems, _config(server, mode), tmp_path)
    assert out == problems
    assert stats["rewritten"] == 0 and stats["fallbacks"] == len(problems)
    assert stats["fallback_reasons"] == {f"call failed: {reason}": len(problems)}
    assert _Handler.calls[mode] >= 2 * len(problems) - 1  # retried
    assert not list((tmp_path / ".cache" / "llm").glob("*.json"))  # failures are not cached


def test_rewrite_that_leaks_an_answer_is_rejected(server: str, problems: list[Problem], tmp_path: Path) -> None:
    fill = [p for p in problems if p.type == "fill_blank_100"][:1]
    _Handler.leak = fill[0].extra["source_equation"].strip("$")
    out, stats, _ = rewrite_all(fill, _config(server, "leaky"), tmp_path)
    assert out == fill and stats["fallbacks"] == len(fill)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["error", "good"])
def test_build_with_an_llm_endpoint_never_fails(server: str, tmp_path: Path, mode: str) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "2501.00012v1.pdf").write_bytes((EXAMPLE_PAPERS / "2501.00012v1.pdf").read_bytes())
    out = tmp_path / "out"
    cmd = [sys.executable, "-c", "from wmbench.cli import main; main()", "build", "--papers", str(papers),
           "--out", str(out), "--quiet", "--llm-base-url", f"{server}/{mode}/v1", "--llm-model", "m",
           "--llm-timeout", "2", "--llm-concurrency", "16"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads((out / "build_report.json").read_text())
    written = read_problems(out)
    assert written and report["llm"]["requests"] == len(written)
    if mode == "error":
        assert report["llm"]["fallbacks"] == len(written) and report["llm"]["rewritten"] == 0
        assert not any(p.question_text.startswith("Rewritten") for p in written)
    else:
        assert report["llm"]["rewritten"] >= 1
        assert sum(p.question_text.startswith("Rewritten: ") for p in written) == report["llm"]["rewritten"]

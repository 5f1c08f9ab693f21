"""The optional LLM judge against a real local HTTP server speaking the OpenAI chat API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from wmbench.schema import Problem
from wmbench.verify import verify_problem
from wmbench.verify.grader import clear_caches
from wmbench.verify.judge import JudgeConfig, current_judge, reset_judge, set_judge

# math-verify cannot parse "?" and the rules cannot decide it: the pair is undecided.
UNDECIDED_GOLD, UNDECIDED_RESPONSE = r"a ? b", r"\boxed{b ? a}"


class _ChatServer(ThreadingHTTPServer):
    requests: list[dict]
    reply: str


class _Handler(BaseHTTPRequestHandler):
    server: _ChatServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, **body})
        payload = {
            "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": self.server.reply}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[_ChatServer]:
    httpd = _ChatServer(("127.0.0.1", 0), _Handler)
    httpd.requests, httpd.reply = [], json.dumps({"equivalent": True})
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _fresh_judge() -> Iterator[None]:
    clear_caches()
    yield
    reset_judge()
    clear_caches()


def _problem(gold: str) -> Problem:
    return Problem("j1", "p", "fill_blank_25", "", "q", "$x = [MASK]$", f"\\boxed{{{gold}}}")


def _config(server: _ChatServer, cache: Path) -> JudgeConfig:
    return JudgeConfig(base_url=f"http://127.0.0.1:{server.server_address[1]}/v1", model="tiny-judge", cache_dir=str(cache))


def test_judge_is_off_by_default(server: _ChatServer, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("WMBENCH_JUDGE_URL", raising=False)
    assert current_judge() is None
    verdict = verify_problem(UNDECIDED_RESPONSE, _problem(UNDECIDED_GOLD))
    assert (verdict.correct, verdict.reason, verdict.judge) == (False, "undecided_blank_1", False)
    assert server.requests == []


def test_judge_decides_undecided_pairs_and_caches_on_disk(server: _ChatServer, tmp_path: Path):
    set_judge(_config(server, tmp_path / "cache"))
    verdict = verify_problem(UNDECIDED_RESPONSE, _problem(UNDECIDED_GOLD))
    assert (verdict.correct, verdict.reason, verdict.judge) == (True, "match", True)
    assert len(server.requests) == 1 and server.requests[0]["path"] == "/v1/chat/completions"
    assert server.requests[0]["model"] == "tiny-judge"
    assert "a ? b" in server.requests[0]["messages"][0]["content"]
    clear_caches()  # in-memory caches gone: the disk cache answers
    assert verify_problem(UNDECIDED_RESPONSE, _problem(UNDECIDED_GOLD)).judge is True
    assert len(server.requests) == 1
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1


def test_judge_saying_different_and_rules_deciding_without_it(server: _ChatServer, tmp_path: Path):
    server.reply = json.dumps({"equivalent": False})
    set_judge(_config(server, tmp_path / "cache"))
    verdict = verify_problem(UNDECIDED_RESPONSE, _problem(UNDECIDED_GOLD))
    assert (verdict.correct, verdict.reason, verdict.judge) == (False, "wrong_blank_1", True)
    for response, expected in [(r"\boxed{h}", False), (r"\boxed{x_1}", True)]:  # decided by the rules
        assert verify_problem(response, _problem("x_{1}")).correct is expected
    assert len(server.requests) == 1


def test_judge_from_environment_and_unreachable_endpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("WMBENCH_JUDGE_URL", "http://127.0.0.1:9/v1")  # discard port: nothing listens
    monkeypatch.setenv("WMBENCH_JUDGE_CACHE", str(tmp_path / "c"))
    judge = current_judge()
    assert judge is not None and judge.base_url == "http://127.0.0.1:9/v1" and judge.cache_dir == str(tmp_path / "c")
    verdict = verify_problem(UNDECIDED_RESPONSE, _problem(UNDECIDED_GOLD))
    assert (verdict.correct, verdict.reason, verdict.judge) == (False, "undecided_blank_1", False)
    assert not (tmp_path / "c").exists()


def test_a_reply_that_is_not_the_json_verdict_decides_nothing(server: _ChatServer, tmp_path: Path):
    server.reply = "EQUIVALENT"  # a word, not the JSON object the prompt asks for
    set_judge(JudgeConfig(base_url=f"http://127.0.0.1:{server.server_address[1]}/v1", cache_dir=str(tmp_path / "c"),
                          retries=0))
    verdict = verify_problem(UNDECIDED_RESPONSE, _problem(UNDECIDED_GOLD))
    assert (verdict.correct, verdict.reason, verdict.judge) == (False, "undecided_blank_1", False)
    assert len(server.requests) == 1 and not list((tmp_path / "c").glob("*.json"))

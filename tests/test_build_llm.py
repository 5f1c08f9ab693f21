"""LLM rewriting against a real local HTTP server speaking the OpenAI chat-completions protocol:
a good endpoint's rewrite is used and cached; timeouts, malformed JSON and 500s fall back to the
template text, are counted, and never fail the build."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_build import EXAMPLE_PAPERS, toy_paper
from openai_stub_server import OpenAIStub

from wmbench.build.llm_stages import rewrite_all
from wmbench.build.paper_job import generate_paper
from wmbench.generate.llm_rewrite import LLMConfig
from wmbench.schema import Problem
from wmbench.storage import read_problems

_leak = {"text": ""}  # what the "leaky" endpoint adds to the background


def _good(payload: dict) -> str:
    return json.dumps({"background": payload["background"] + " The setting is a cellular downlink.",
                       "question_text": "Rewritten: " + payload["question_text"]})


def _leaky(payload: dict) -> str:
    return json.dumps({"background": payload["background"] + f" Note that ${_leak['text']}$.",
                       "question_text": "What goes in the blank?"})


@pytest.fixture(scope="module")
def server():
    with OpenAIStub({"good": _good, "leaky": _leaky}) as stub:
        yield stub


@pytest.fixture(scope="module")
def problems() -> list[Problem]:
    records = generate_paper(toy_paper(), seed=0)["problems"][:6]
    return [Problem.from_dict(r) for r in records]


def _config(server: OpenAIStub, mode: str) -> LLMConfig:
    return LLMConfig(base_url=server.url(mode), model="test-model", timeout=0.5, retries=1, backoff=0.01,
                     concurrency=3)


def test_good_endpoint_rewrites_and_caches(server: OpenAIStub, problems: list[Problem], tmp_path: Path) -> None:
    out, stats, _ = rewrite_all(problems, _config(server, "good"), tmp_path)
    assert stats["rewritten"] == len(problems) and stats["fallbacks"] == 0
    assert all(p.question_text.startswith("Rewritten: ") for p in out)
    assert all(p.background.endswith("cellular downlink.") for p in out)
    calls = server.calls["good"]
    again, stats2, run2 = rewrite_all(problems, _config(server, "good"), tmp_path)
    assert again == out and stats2 == stats and run2["cache_hits"] == len(problems)
    assert server.calls["good"] == calls  # nothing asked twice


@pytest.mark.parametrize(("mode", "reason"), [("error", "HTTP 500"), ("malformed", "malformed JSON"),
                                              ("slow", "APITimeoutError")])
def test_failing_endpoints_fall_back_to_templates(server: OpenAIStub, problems: list[Problem], tmp_path: Path,
                                                  mode: str, reason: str) -> None:
    out, stats, _ = rewrite_all(problems, _config(server, mode), tmp_path)
    assert out == problems
    assert stats["rewritten"] == 0 and stats["fallbacks"] == len(problems)
    assert stats["fallback_reasons"] == {f"call failed: {reason}": len(problems)}
    assert server.calls[mode] >= 2 * len(problems) - 1  # retried
    assert not list((tmp_path / ".cache" / "llm").glob("*.json"))  # failures are not cached


def test_rewrite_that_leaks_an_answer_is_rejected(server: OpenAIStub, problems: list[Problem], tmp_path: Path) -> None:
    fill = [p for p in problems if p.type == "fill_blank_100"][:1]
    _leak["text"] = fill[0].extra["source_equation"].strip("$")
    out, stats, _ = rewrite_all(fill, _config(server, "leaky"), tmp_path)
    assert out == fill and stats["fallbacks"] == len(fill)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["error", "good"])
def test_build_with_an_llm_endpoint_never_fails(server: OpenAIStub, tmp_path: Path, mode: str) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "2501.00012v1.pdf").write_bytes((EXAMPLE_PAPERS / "2501.00012v1.pdf").read_bytes())
    out = tmp_path / "out"
    cmd = [sys.executable, "-c", "from wmbench.cli import main; main()", "build", "--papers", str(papers),
           "--out", str(out), "--quiet", "--llm-base-url", server.url(mode), "--llm-model", "m",
           "--llm-timeout", "2", "--llm-concurrency", "16", "--llm-backoff", "0.001",
           "--llm-rewrite", "--no-llm-tables", "--no-llm-rubric"]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads((out / "build_report.json").read_text())
    written = read_problems(out)
    rewrite = report["llm"]["rewrite"]
    assert written and rewrite["requests"] == len(written) and "tables" not in report["llm"]
    if mode == "error":
        assert rewrite["fallbacks"] == len(written) and rewrite["rewritten"] == 0
        assert not any(p.question_text.startswith("Rewritten") for p in written)
    else:
        assert rewrite["rewritten"] >= 1
        assert sum(p.question_text.startswith("Rewritten: ") for p in written) == rewrite["rewritten"]

"""The optional LLM classifier of the Select stage, against a real local OpenAI-style HTTP server:
the endpoint's skips are applied with "llm: <reason>", it never rescues a rule-based skip, an
off-topic paper loses every equation, failures (500, malformed JSON, schema mismatch, timeout)
keep the lexicon's decision and are counted, and a rerun on the same cache asks nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from fixtures_build import toy_paper
from openai_stub_server import OpenAIStub

from wmbench.build.llm_select import LLMSelectConfig, llm_filter, summarize
from wmbench.build.select import select_equations
from wmbench.llm_client import LLMConfig
from wmbench.paper import Paper
from wmbench.schema import Problem

EQUATIONS = [
    "y_k = \\mathbf{h}_k^H \\mathbf{x} + n_k",
    "R_k = \\log_2\\left(1 + \\frac{|\\mathbf{h}_k^H \\mathbf{w}_k|^2}{\\sigma^2}\\right)",
    "x = 1",  # the rules skip it as trivial: never sent, never rescued
    "\\sum_{k=1}^{K} \\|\\mathbf{w}_k\\|^2 \\leq P_{\\max}",
]
OFF_TOPIC_TITLE = "Sourdough Hydration Ratios"
# What the "select" endpoint answers, by a piece of the equation's LaTeX (the first match wins).
EQUATION_ANSWERS: list[tuple[str, dict]] = [
    ("P_{\\max}", {"keep": False, "category": "constraint", "reason": "a power  budget\n constraint, not a model"}),
    ("\\log_2", {"keep": True, "category": "SINR", "reason": "rate of user k"}),
    ("", {"keep": True, "category": "received signal model", "reason": "signal model"}),
]
# Replies that parse as JSON but break the schemas (score out of range; category not a topic).
OFF_SCHEMA = {"paper": {"score": 7, "reason": "sure"}, "equation": {"keep": "yes", "category": "cooking", "reason": "x"}}
# mode -> the fallback reason every request of that mode is counted under
FAILURES = [
    ("error", "HTTP 500"),
    ("malformed", "malformed JSON"),
    ("slow", "APITimeoutError"),
    ("offschema", "reply does not match the schema"),
]

_seen_equations: list[str] = []


def _select(payload: dict) -> str:
    if "title" in payload:
        score = 0.1 if payload["title"] == OFF_TOPIC_TITLE else 0.9
        return json.dumps({"score": score, "reason": "judged from the title"})
    _seen_equations.append(payload["equation"])
    return json.dumps(next(answer for piece, answer in EQUATION_ANSWERS if piece in payload["equation"]))


def _off_schema(payload: dict) -> str:
    return json.dumps(OFF_SCHEMA["paper" if "title" in payload else "equation"])


@pytest.fixture(scope="module")
def server():
    with OpenAIStub({"select": _select, "offschema": _off_schema}, slow_seconds=1.5) as stub:
        yield stub


@pytest.fixture()
def paper() -> Paper:
    return toy_paper(equations=EQUATIONS)


def _config(server: OpenAIStub, mode: str, cache: Path) -> LLMSelectConfig:
    timeout = 0.5 if mode == "slow" else 10.0  # only the slow endpoint should ever time out
    llm = LLMConfig(base_url=server.url(mode), model="test-model", timeout=timeout, retries=1, backoff=0.01,
                    concurrency=3)
    return LLMSelectConfig(llm=llm, cache_dir=cache)


def test_endpoint_skips_are_applied_with_reasons(server: OpenAIStub, paper: Paper, tmp_path: Path) -> None:
    selected, rule_skips = select_equations(paper)
    _seen_equations.clear()
    result = llm_filter(paper, selected, _config(server, "select", tmp_path))
    assert rule_skips == {3: "trivial: a pure definition (symbol = number)"}
    assert result.skipped == {4: "llm: a power budget constraint, not a model"}
    assert [(s.index, s.topic) for s in result.kept] == [(1, "received signal model"), (2, "SINR")]
    assert result.paper_reason is None
    assert result.stats == {"requests": 4, "papers_rejected": 0, "equations_skipped": 1, "fallbacks": 0,
                            "fallback_reasons": {}}
    assert "x = 1" not in _seen_equations and len(_seen_equations) == 3  # rule skips are never sent


def test_lexicon_topics_kept_when_asked(server: OpenAIStub, paper: Paper, tmp_path: Path) -> None:
    selected, _ = select_equations(paper)
    config = replace(_config(server, "select", tmp_path), topic_source="lexicon")
    result = llm_filter(paper, selected, config)
    assert [s.topic for s in result.kept] == [s.topic for s in selected if s.index != 4]


def test_off_topic_paper_loses_every_equation(server: OpenAIStub, tmp_path: Path) -> None:
    paper = replace(toy_paper(equations=EQUATIONS), title=OFF_TOPIC_TITLE)
    selected, _ = select_equations(paper)
    before = server.calls["select"]
    result = llm_filter(paper, selected, _config(server, "select", tmp_path))
    why = "llm: paper off-topic (score 0.10): judged from the title"
    assert result.kept == () and result.paper_reason == why
    assert result.skipped == {s.index: why for s in selected}
    assert server.calls["select"] - before == 1  # no equation is asked about
    assert result.stats["papers_rejected"] == 1 and result.stats["requests"] == 1


@pytest.mark.parametrize(("mode", "reason"), FAILURES, ids=[m for m, _ in FAILURES])
def test_failures_keep_the_lexicon_decision(server: OpenAIStub, paper: Paper, tmp_path: Path,
                                            mode: str, reason: str) -> None:
    selected, _ = select_equations(paper)
    before = server.calls[mode]
    result = llm_filter(paper, selected, _config(server, mode, tmp_path))
    assert result.kept == tuple(selected) and result.skipped == {} and result.paper_reason is None
    assert result.stats["requests"] == 4 and result.stats["fallbacks"] == 4
    reasons = result.stats["fallback_reasons"]
    assert sum(reasons.values()) == 4 and all(reason in r for r in reasons)
    assert sum(n for r, n in reasons.items() if r.startswith("paper call failed: ")) == 1
    assert server.calls[mode] - before == 2 * 4  # every request retried once
    assert not list(tmp_path.glob("*.json"))  # failures are not cached


def test_rerun_on_the_same_cache_asks_nothing(server: OpenAIStub, paper: Paper, tmp_path: Path) -> None:
    selected, _ = select_equations(paper)
    first = llm_filter(paper, selected, _config(server, "select", tmp_path / "cache"))
    calls = server.calls["select"]
    again = llm_filter(paper, selected, _config(server, "select", tmp_path / "cache"))
    assert server.calls["select"] == calls
    assert (again.kept, again.skipped, again.stats) == (first.kept, first.skipped, first.stats)
    assert first.cache_hits == 0 and again.cache_hits == 4
    elsewhere = llm_filter(paper, selected, _config(server, "select", tmp_path / "fresh"))
    assert (elsewhere.kept, elsewhere.skipped, elsewhere.stats) == (first.kept, first.skipped, first.stats)


def test_fingerprint_follows_the_answers_not_the_transport(tmp_path: Path) -> None:
    base = LLMSelectConfig(llm=LLMConfig("http://a/v1", "m"), cache_dir=tmp_path)
    same = [replace(base, llm=LLMConfig("http://b/v1", "m", timeout=1, concurrency=9)),
            replace(base, cache_dir=tmp_path / "other")]
    different = [replace(base, llm=LLMConfig("http://a/v1", "m2")), replace(base, min_paper_score=0.7),
                 replace(base, topic_source="lexicon")]
    assert all(c.fingerprint() == base.fingerprint() for c in same)
    assert len({c.fingerprint() for c in [base, *different]}) == 1 + len(different)


def test_summarize_adds_up_papers() -> None:
    stats = [{"requests": 4, "papers_rejected": 0, "equations_skipped": 1, "fallbacks": 1,
              "fallback_reasons": {"equation call failed: HTTP 500": 1}},
             None,
             {"requests": 1, "papers_rejected": 1, "equations_skipped": 0, "fallbacks": 1,
              "fallback_reasons": {"equation call failed: HTTP 500": 1}}]
    assert summarize(stats) == {"enabled": True, "requests": 5, "papers_rejected": 1, "equations_skipped": 1,
                                "fallbacks": 2, "fallback_reasons": {"equation call failed: HTTP 500": 2}}
    assert summarize([None, None]) == {"enabled": False}


def test_cli_llm_select_needs_an_endpoint(tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", "from wmbench.cli import main; main()", "build", "--papers", str(tmp_path),
           "--out", str(tmp_path / "out"), "--llm-select"]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip() == "error: --llm-select: needs --llm-base-url and --llm-model"


def test_generate_paper_records_llm_skips(server: OpenAIStub, paper: Paper, tmp_path: Path) -> None:
    from wmbench.build.paper_job import generate_paper

    plain = generate_paper(paper, seed=0)
    result = generate_paper(paper, seed=0, llm_select=_config(server, "select", tmp_path))
    assert result["equation_skips"] == {"3": "trivial: a pure definition (symbol = number)",
                                        "4": "llm: a power budget constraint, not a model"}
    assert result["llm_select"]["equations_skipped"] == 1 and "llm_select" not in plain
    made = {(p.equation_number, p.extra["topic"]) for p in map(Problem.from_dict, result["problems"])}
    assert made == {("1", "received signal model"), ("2", "SINR")}


@pytest.mark.slow
def test_build_with_llm_select_never_fails(server: OpenAIStub, tmp_path: Path) -> None:
    from fixtures_build import EXAMPLE_PAPERS

    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "2501.00012v1.pdf").write_bytes((EXAMPLE_PAPERS / "2501.00012v1.pdf").read_bytes())
    out = tmp_path / "out"
    cmd = [sys.executable, "-c", "from wmbench.cli import main; main()", "build", "--papers", str(papers),
           "--out", str(out), "--quiet", "--llm-base-url", server.url("error"), "--llm-model", "m",
           "--llm-timeout", "2", "--llm-backoff", "0.001", "--llm-select"]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads((out / "build_report.json").read_text())
    select = report["llm"]["select"]
    assert select["enabled"] and select["requests"] >= 2 and select["fallbacks"] == select["requests"]
    assert report["counts"]["problems_final"] > 0


def test_the_concurrency_limit_is_shared_by_the_build_workers(tmp_path) -> None:
    """Selection runs in every worker process: together they stay within the limit."""
    llm = LLMConfig(base_url="http://127.0.0.1:9/v1", model="m", concurrency=8)
    assert [LLMSelectConfig.for_build(llm, tmp_path, w).llm.concurrency for w in (1, 3, 16)] == [8, 2, 1]
    assert LLMSelectConfig.for_build(llm, tmp_path, 3).fingerprint() == LLMSelectConfig.for_build(llm, tmp_path).fingerprint()

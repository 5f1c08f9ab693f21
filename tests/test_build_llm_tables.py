"""Variable tables and the quality rubric against a real local HTTP server with scripted replies.

Each scripted reply (a good table, a symbol not in the equation, a missing symbol, a leaked
answer, an ill-formed dimension, invalid JSON, a 500, a timeout, a truncated reply, a server
without structured output) gives the expected background or fallback and its count; the build
never fails for a bad reply; a warm cache gives byte-identical output; a server that goes away
mid-build leaves a build that ``--resume`` completes to the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures_build import toy_paper
from openai_stub_server import OpenAIStub

from wmbench.build.gates import TEXT_GATES, answers, first_failure
from wmbench.generate.background import leaks, norm
from wmbench.build.llm_stages import LLMStages, apply_tables
from wmbench.build.paper_job import generate_paper
from wmbench.build.runner import BuildConfig, build
from wmbench.curate.rubric import DIMENSIONS, filter_quality, score_problems
from wmbench.generate.variable_table import TABLE_SCHEMA, check_table, equation_key, well_formed
from wmbench.llm_client import JsonChat, LLMConfig, Meter
from wmbench.schema import Problem
from wmbench.storage import read_problems

SCENARIO = "A multi-antenna base station serves several single-antenna users in a downlink."


def _rows(payload: dict) -> list[dict]:
    return [{"symbol": s, "meaning": f"the scripted quantity number {i}",
             "dimension": "\\mathbb{C}^{N\\times 1}" if "mathbf" in s else "",
             "unit": "W" if "sigma" in s else "", "domain": "> 0" if "sigma" in s else ""}
            for i, s in enumerate(payload["symbols"])]


def _table(payload: dict, rows: list[dict] | None = None) -> str:
    return json.dumps({"scenario": SCENARIO, "name": "the scripted relation",
                       "symbols": _rows(payload) if rows is None else rows})


def _rubric(payload: dict, low: str | None = None) -> str:
    scores = {d: {"score": 4, "reason": f"{d} is fine"} for d in DIMENSIONS}
    if low and payload["type"] == "MCQ":
        scores[low] = {"score": 2, "reason": "the options give the answer away"}
    return json.dumps(scores)


def _reply(table=_table, low: str | None = None):
    return lambda payload: table(payload) if "symbols" in payload else _rubric(payload, low)


RESPONDERS = {
    "good": _reply(),
    "extra_symbol": _reply(lambda p: _table(p, _rows(p) + [{"symbol": "\\Xi_q", "meaning": "a made-up quantity",
                                                             "dimension": "", "unit": "", "domain": ""}])),
    "missing": _reply(lambda p: _table(p, _rows(p)[:-1])),
    "leak": _reply(lambda p: _table(p, [{**r, "meaning": f"the quantity ${p['equation'].split('=', 1)[1].strip()}$"}
                                        if i == 0 else r for i, r in enumerate(_rows(p))])),
    "bad_dimension": _reply(lambda p: _table(p, [{**r, "dimension": "\\mathbb{C}^{N\\times"} for r in _rows(p)])),
    "low_mcq": _reply(low="answer_accuracy"),
}


@pytest.fixture(scope="module")
def server():
    with OpenAIStub(RESPONDERS, slow_seconds=1.0) as stub:
        yield stub


@pytest.fixture(scope="module")
def paper_result() -> dict:
    return generate_paper(toy_paper(), seed=0)


def _config(server: OpenAIStub, mode: str, **knobs) -> LLMConfig:
    return LLMConfig(base_url=server.url(mode), model="test-model", **{
        "timeout": 0.5, "retries": 1, "backoff": 0.001, "concurrency": 4, **knobs})


def _tables(server: OpenAIStub, mode: str, result: dict, cache: Path, **knobs):
    problems = [Problem.from_dict(r) for r in result["problems"]]
    with JsonChat(_config(server, mode, **knobs), TABLE_SCHEMA, cache, name="variable_table") as chat:
        return problems, apply_tables(problems, result["table_requests"], chat)


def test_good_tables_write_every_background(server, paper_result, tmp_path: Path) -> None:
    problems, outcome = _tables(server, "good", paper_result, tmp_path)
    stats = outcome.stats
    assert stats["tables"] == stats["equations"] == len(paper_result["table_requests"]) == 2
    assert stats["fallbacks"] == 0 and stats["field_fallbacks"] == {}
    assert stats["backgrounds"]["table"] == len(problems) and stats["backgrounds"]["rules"] == 0
    for before, after in zip(problems, outcome.problems, strict=True):
        assert after.background.startswith(SCENARIO + " The equation considered gives the scripted relation. Here, ")
        assert "the scripted quantity number 0" in after.background
        assert after.extra["background_source"] == "table"
        assert (after.equation, after.correct_answer, after.options) == (before.equation, before.correct_answer, before.options)
        assert first_failure(after, TEXT_GATES) is None
    rate = next(p for p in outcome.problems if p.problem_id.startswith("toy.0001-eq2"))
    assert "$\\mathbf{h}_k \\in \\mathbb{C}^{N\\times 1}$ denotes" in rate.background
    assert "$\\sigma$ denotes the scripted quantity number" in rate.background or "(in W), with $\\sigma" in rate.background
    assert stats["usage"]["requests"] == 2 and stats["usage"]["tokens_in"] > 0 and stats["usage"]["tokens_out"] > 0


def test_symbol_not_in_the_equation_is_dropped_and_counted(server, paper_result, tmp_path: Path) -> None:
    problems, outcome = _tables(server, "extra_symbol", paper_result, tmp_path)
    assert outcome.stats["field_fallbacks"] == {"symbol not in the equation": 2}
    assert outcome.stats["backgrounds"]["table"] == len(problems)
    assert not any("made-up" in p.background or "\\Xi_q" in p.background for p in outcome.problems)


def test_missing_symbol_falls_back_to_the_rules_entry(server, paper_result, tmp_path: Path) -> None:
    problems, outcome = _tables(server, "missing", paper_result, tmp_path)
    assert outcome.stats["field_fallbacks"] == {"symbol missing from the table": 2}
    signal = next(p for p in outcome.problems if p.problem_id.startswith("toy.0001-eq1"))
    assert "additive white Gaussian noise" in signal.background  # n_k, last symbol: the rules' meaning
    assert signal.extra["background_source"] == "table+rules"


def test_leaked_answer_falls_back_per_problem(server, paper_result, tmp_path: Path) -> None:
    problems, outcome = _tables(server, "leak", paper_result, tmp_path)
    leaked = outcome.stats["field_fallbacks"]["answer shown verbatim"]
    assert leaked >= 1
    for problem in outcome.problems:
        assert first_failure(problem, TEXT_GATES) is None  # no background shows its own answer
    requests = paper_result["table_requests"]
    shown = 0
    for problem in outcome.problems:
        request = requests[equation_key(problem)]
        meaning = f"the quantity ${request['latex'].split('=', 1)[1].strip()}$"
        own = any(leaks(a, meaning, {norm(s) for s in request["symbols"]}) for a in answers(problem))
        assert (meaning in problem.background) is not own  # the model's meaning unless it shows this problem's answer
        shown += own
    assert shown == leaked and 0 < leaked < len(outcome.problems)
    mcq = next(p for p in outcome.problems if p.problem_id == "toy.0001-eq1-MCQ")
    assert "the signal received by user $k$" in mcq.background  # the rules' meaning of y_k stands in


def test_ill_formed_dimension_falls_back(server, paper_result, tmp_path: Path) -> None:
    problems, outcome = _tables(server, "bad_dimension", paper_result, tmp_path)
    n_symbols = sum(len(r["symbols"]) for r in paper_result["table_requests"].values())
    assert outcome.stats["field_fallbacks"] == {"dimension not well-formed": n_symbols}
    assert not any("\\mathbb{C}^{N\\times" in p.background for p in outcome.problems)


@pytest.mark.parametrize(("mode", "reason", "calls_per_request"), [
    ("malformed", "malformed JSON", 2),  # a bad reply is asked once more
    ("truncated", "truncated reply", 2),
    ("error", "HTTP 500", 3),  # transport failures get `retries` more attempts
    ("slow", "APITimeoutError", 3),
])
def test_failed_calls_keep_the_rules_backgrounds(server, paper_result, tmp_path: Path, mode: str, reason: str,
                                                 calls_per_request: int) -> None:
    before = server.calls[mode]
    problems, outcome = _tables(server, mode, paper_result, tmp_path, retries=2)
    assert outcome.problems == problems
    assert outcome.stats["fallback_reasons"] == {f"call failed: {reason}": 2}
    assert outcome.stats["backgrounds"] == {"table": 0, "table+rules": 0, "rules": len(problems)}
    assert server.calls[mode] - before == 2 * calls_per_request
    assert not list(tmp_path.glob("*.json"))  # failures are not cached


def test_structured_output_is_asked_and_plain_json_when_refused(server, paper_result, tmp_path: Path) -> None:
    _, outcome = _tables(server, "good", paper_result, tmp_path / "a")
    assert server.formats["json_schema"] >= 2
    before = server.formats["json_object"]
    _, refused = _tables(server, "no_schema", paper_result, tmp_path / "b", concurrency=1)
    assert refused.stats["tables"] == 2 and refused.stats["fallbacks"] == 0
    assert server.formats["json_object"] - before == 2


def test_call_budget_is_shared_and_counted(server, paper_result, tmp_path: Path) -> None:
    problems = [Problem.from_dict(r) for r in paper_result["problems"]]
    meter = Meter(max_calls=1)
    with JsonChat(_config(server, "good", concurrency=1), TABLE_SCHEMA, tmp_path, meter=meter) as chat:
        outcome = apply_tables(problems, paper_result["table_requests"], chat)
    assert outcome.stats["tables"] == 1 and outcome.stats["fallback_reasons"] == {"call failed: call budget exhausted": 1}
    assert meter.calls == 1


def test_check_table_rows_pinned() -> None:
    request = {"latex": "R = B \\log_2(1 + \\gamma)", "symbols": ["R", "B", "\\gamma"],
               "rules": {"scenario": "", "symbols": {s: {"meaning": "", "dimension": "", "unit": "", "domain": ""}
                                                     for s in ("R", "B", "\\gamma")}}}
    reply = {"scenario": "short", "name": "* the rate", "symbols": [
        {"symbol": "R", "meaning": "the rate", "dimension": "", "unit": "bit/s", "domain": "\\geq 0"},
        {"symbol": "B", "meaning": "the bandwidth" + " of the channel" * 20, "dimension": "scalar", "unit": "Hz",
         "domain": "(0, \\infty)"},
        {"symbol": "\\gamma", "meaning": "- the SINR of the user", "dimension": "real", "unit": "dB", "domain": "positive"},
        {"symbol": "\\log_2", "meaning": "a logarithm", "dimension": "", "unit": "", "domain": ""}]}
    table = check_table(reply, request)
    assert table.entries["R"].unit == "bit/s" and table.entries["R"].domain == "\\geq 0"
    assert table.entries["B"].meaning == "" and table.entries["B"].domain == "(0, \\infty)"  # too long: that field only
    assert table.entries["\\gamma"].meaning == "" and table.entries["\\gamma"].unit == "dB"
    assert dict(table.fallbacks) == {"meaning not well-formed": 2, "dimension not well-formed": 1,
                                     "domain not well-formed": 1, "symbol not in the equation": 1,
                                     "scenario not a usable sentence": 1, "name not a usable phrase": 1}
    assert (table.scenario, table.name) == ("", "")
    assert well_formed("\\mathbb{C}^{N\\times 1}") and not well_formed("\\frac{a}{") and not well_formed("$x$")


def test_rubric_scores_records_and_threshold_drops_with_reasons(server, paper_result, tmp_path: Path) -> None:
    problems = [Problem.from_dict(r) for r in paper_result["problems"]]
    from wmbench.curate.rubric import RUBRIC_SCHEMA

    with JsonChat(_config(server, "low_mcq"), RUBRIC_SCHEMA, tmp_path) as chat:
        scored, stats, _ = score_problems(problems, chat)
    assert stats["scored"] == len(problems) and stats["fallbacks"] == 0
    quality = scored[0].extra["quality"]
    assert quality["version"] == "rubric-v1" and quality["model"] == "test-model" and set(quality["scores"]) == set(DIMENSIONS)
    n_mcq = sum(p.type == "MCQ" for p in problems)
    assert stats["distribution"]["answer_accuracy"] == {"1": 0, "2": n_mcq, "3": 0, "4": len(problems) - n_mcq, "5": 0}
    kept, dropped = filter_quality(scored, 3)
    assert len(kept) == len(problems) - n_mcq and {p.type for p in kept} == {p.type for p in problems} - {"MCQ"}
    assert dropped[0]["reason"] == "answer_accuracy 2 < 3: the options give the answer away"
    with JsonChat(_config(server, "error", retries=0), RUBRIC_SCHEMA, tmp_path / "cold") as chat:
        unscored, failed, _ = score_problems(problems, chat)
    assert unscored == problems and failed["fallback_reasons"] == {"call failed: HTTP 500": len(problems)}
    assert filter_quality(unscored, 3) == (problems, [])


# --- whole builds through the real runner --------------------------------------------------------

_PAPER = r"""\documentclass{article}
\title{Uplink Rates of a Small Cell with Many Antennas}
\begin{document}
\maketitle
\begin{abstract}
We study the uplink of a small cell in which a base station with many antennas serves single-antenna users.
\end{abstract}
\section{System Model}
We consider the uplink of a single cell in which a base station with $M$ antennas serves $K$ single-antenna users.
The base station receives
\begin{equation}
\mathbf{y} = \sum_{k=1}^{K} \sqrt{p_k}\, \mathbf{g}_k s_k + \mathbf{n},
\end{equation}
where $\mathbf{y} \in \mathbb{C}^{M\times 1}$ denotes the received vector, $p_k$ is the transmit power of user $k$,
$\mathbf{g}_k$ is the channel vector of user $k$, $s_k$ is the data symbol of user $k$ and $\mathbf{n}$ is the noise vector.
With maximum-ratio combining, the signal-to-interference-plus-noise ratio of user $k$ is
\begin{equation}
\gamma_k = \frac{p_k \|\mathbf{g}_k\|^4}{\sum_{j\neq k} p_j |\mathbf{g}_k^H \mathbf{g}_j|^2 + \sigma^2 \|\mathbf{g}_k\|^2},
\end{equation}
where $\sigma^2$ is the noise power, in W. The achievable rate of user $k$ over a bandwidth $B$ (in Hz) is
\begin{equation}
R_k = B \log_2\left(1 + \gamma_k\right).
\end{equation}
\end{document}
"""


@pytest.fixture()
def papers(tmp_path: Path) -> Path:
    folder = tmp_path / "papers" / "2601.00001v1"
    folder.mkdir(parents=True)
    (folder / "main.tex").write_text(_PAPER)
    return folder.parent


def _build(papers: Path, out: Path, llm: LLMConfig | None, resume: bool = False, **stages) -> dict:
    return build(BuildConfig(papers=papers, out=out, llm=llm, progress=False, resume=resume,
                             llm_stages=LLMStages(**stages)))


def test_build_with_tables_and_rubric(server, papers: Path, tmp_path: Path) -> None:
    rules = _build(papers, tmp_path / "rules", None)
    out = tmp_path / "llm"
    report = _build(papers, out, _config(server, "low_mcq"), min_quality=3)
    assert rules["counts"]["problems_final"] > report["counts"]["problems_final"] > 0
    llm = report["llm"]
    assert llm["tables"]["tables"] == llm["tables"]["equations"] > 0
    assert llm["rubric"]["dropped"] == rules["counts"]["by_type"]["MCQ"]
    assert llm["rubric"]["drop_reasons"] == {"answer_accuracy 2 < 3": llm["rubric"]["dropped"]}
    assert {d["problem_id"] for d in llm["rubric"]["drops"]} == {
        p.problem_id for p in read_problems(tmp_path / "rules") if p.type == "MCQ"}
    usage = llm["usage"]
    assert usage["requests"] == llm["tables"]["equations"] + llm["rubric"]["scored"]
    assert usage["by_paper"]["2601.00001v1"]["tokens_in"] == usage["tokens_in"] > 0
    written = read_problems(out)
    assert all(p.extra["quality"]["version"] == "rubric-v1" for p in written)
    assert all(p.extra["background_source"] in ("table", "table+rules") for p in written)
    card = (out / "README.md").read_text()
    assert "## Quality rubric" in card and "answer_accuracy" in card


def test_warm_cache_rebuild_is_byte_identical_and_asks_nothing(server, papers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _build(papers, out, _config(server, "good"))
    data = {p.name: p.read_bytes() for p in [out / "problems.jsonl", *sorted((out / "data").glob("*.parquet"))]}
    calls = sum(server.calls.values())
    second = _build(papers, out, _config(server, "good"), resume=True)
    assert sum(server.calls.values()) == calls
    assert {p.name: p.read_bytes() for p in [out / "problems.jsonl", *sorted((out / "data").glob("*.parquet"))]} == data
    assert second["llm"] == first["llm"]  # usage included: tokens are cached with the replies
    assert second["timings"]["llm_calls"]["calls"] == 0


def test_server_gone_mid_build_then_resume_completes_the_same_bytes(papers: Path, tmp_path: Path) -> None:
    served = {"n": 0}
    holder: dict[str, OpenAIStub] = {}

    def dying(payload: dict) -> str:
        served["n"] += 1
        if served["n"] == 3:  # the server goes away after answering a few requests
            import threading

            threading.Thread(target=holder["stub"].stop, daemon=True).start()
        return RESPONDERS["good"](payload)

    reference = tmp_path / "reference"
    with OpenAIStub({"good": RESPONDERS["good"]}) as stub:
        _build(papers, reference, _config(stub, "good", concurrency=1))
    out = tmp_path / "out"
    with OpenAIStub({"good": dying}) as stub:
        holder["stub"] = stub
        broken = _build(papers, out, _config(stub, "good", concurrency=1))
    assert broken["counts"]["problems_final"] > 0  # the build did not fail
    assert broken["timings"]["llm_calls"]["server_went_away"]
    reasons = {**broken["llm"]["tables"]["fallback_reasons"], **broken["llm"]["rubric"]["fallback_reasons"]}
    assert "call failed: server unreachable" in reasons
    assert broken["timings"]["llm_calls"]["calls"] < served["n"] + 2 * 3  # stopped asking soon after
    with OpenAIStub({"good": RESPONDERS["good"]}) as stub:
        resumed = _build(papers, out, _config(stub, "good"), resume=True)
    assert resumed["llm"]["usage"]["failed_requests"] == 0
    assert (out / "problems.jsonl").read_bytes() == (reference / "problems.jsonl").read_bytes()


def test_review_runs_the_rubric_on_an_existing_build(server, papers: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wmbench.cli import app

    out = tmp_path / "plain"
    _build(papers, out, None)
    n = len(read_problems(out))
    done = CliRunner().invoke(app, ["review", str(out), "--llm-base-url", server.url("low_mcq"), "--llm-model", "m"])
    assert done.exit_code == 0, done.output
    rows = [json.loads(line) for line in (out / "quality.jsonl").read_text().splitlines()]
    assert len(rows) == n and all(r["quality"]["version"] == "rubric-v1" for r in rows)
    assert "answer_accuracy: 1: 0, 2: " in done.output and f"{n} of {n} problems scored" in done.output


def test_summary_reports_the_llm_stages_and_a_server_gone(server, papers: Path, tmp_path: Path) -> None:
    from wmbench.build.report import summary_lines

    report = _build(papers, tmp_path / "out", _config(server, "low_mcq"), min_quality=3)
    text = "\n".join(summary_lines(report))
    assert "llm tables: " in text and "below --min-quality 3" in text and "tokens in" in text
    gone = {**report, "timings": {**report["timings"], "llm_calls": {"server_went_away": True}}}
    assert "rerun with --resume" in "\n".join(summary_lines(gone))


def test_call_budget_covers_selection_and_the_later_stages(papers: Path, tmp_path: Path) -> None:
    from wmbench.build.select import TOPIC_NAMES

    def answer(payload: dict) -> str:
        if "abstract" in payload:
            return json.dumps({"score": 0.9, "reason": "a wireless paper"})
        if "text_before" in payload and "symbols" not in payload:
            return json.dumps({"keep": True, "category": TOPIC_NAMES[0], "reason": "a system-model relation"})
        return RESPONDERS["good"](payload)

    with OpenAIStub({"good": answer}) as stub:
        report = build(BuildConfig(papers=papers, out=tmp_path / "out", progress=False, llm_select=True,
                                   llm=_config(stub, "good", max_calls=6)))
        sent = sum(stub.calls.values())
    assert sent == 6  # selection first, the tables and the rubric get what it left
    reasons = {**report["llm"]["tables"]["fallback_reasons"], **report["llm"]["rubric"]["fallback_reasons"]}
    assert reasons.get("call failed: call budget exhausted", 0) > 0 and report["counts"]["problems_final"] > 0


def test_cli_min_quality_needs_the_rubric(papers: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    for extra in ([], ["--llm-base-url", "http://127.0.0.1:9/v1", "--llm-model", "m", "--no-llm-rubric"]):
        cmd = [sys.executable, "-c", "from wmbench.cli import main; main()", "build", "-p", str(papers),
               "-o", str(tmp_path / "out"), "--min-quality", "3", *extra]
        done = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1
        assert done.stderr.strip() == ("error: --min-quality: needs the rubric: --llm-base-url and --llm-model, "
                                       "without --no-llm-rubric")


def test_table_backgrounds_are_gated_with_the_builds_allowance(server, tmp_path: Path) -> None:
    """A build with --max-undefined 1 keeps problems leaving one symbol undefined; a table
    background leaving the same symbol undefined passes the same allowance (it was judged strict)."""
    from wmbench.build.gates import GateConfig

    paper = toy_paper(equations=["y_k = \\mathbf{h}_k^H \\mathbf{x} + n_k + z_k"])  # z_k: defined nowhere
    loose = GateConfig(max_undefined=1)
    result = generate_paper(paper, seed=0, gate_config=loose)
    problems = [Problem.from_dict(r) for r in result["problems"]]
    assert problems and all("z_k" in p.extra["undefined_symbols"] for p in problems)
    outcomes = {}
    for name, config in (("strict", GateConfig()), ("loose", loose)):
        with JsonChat(_config(server, "missing"), TABLE_SCHEMA, tmp_path / name, name="variable_table") as chat:
            outcomes[name] = apply_tables(problems, result["table_requests"], chat, gate_config=config)
    assert outcomes["strict"].stats["backgrounds"]["rules"] == len(problems)
    assert outcomes["loose"].stats["backgrounds"]["rules"] == 0
    for problem in outcomes["loose"].problems:
        assert first_failure(problem, TEXT_GATES, loose) is None

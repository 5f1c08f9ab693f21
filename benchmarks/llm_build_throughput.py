"""Cost of the LLM stages of ``wmbench build`` (variable tables and the rubric) on real papers.

A local OpenAI-compatible server (``tests/openai_stub_server.py``) answers every request after
``--latency`` seconds (1 s: a served 7B model's time for a reply of a few hundred tokens under
load), with at most ``--concurrency`` requests in flight (32). Its tables use the paper's own
definitions sent in the request (a symbol the paper does not define gets a generic meaning),
its rubric gives 4 everywhere: a well-behaved model, so the figures are the pipeline's cost and
the share of backgrounds its checks let through, not a model's quality. Tokens are the
server's estimate (one per four characters of prompt or reply), close to what a BPE tokenizer
counts on English and LaTeX.

Three builds of the same papers with the same seed, each a fresh ``wmbench build`` process:
without an LLM (the baseline), with the LLM stages on a cold cache, and again with ``--resume``
on the warm cache (which must give byte-identical problems.jsonl and Parquet files and send no
request). Prints calls and tokens per paper, wall times and their ratio to the baseline, the
share of problems whose background came from a checked table, and an extrapolation to 970
papers (the LLM stages scale with the requests, which scale with the problems).

    .venv/bin/python benchmarks/llm_build_throughput.py [PAPERS] [--latency 1] [--concurrency 32] [--workers 2]

PAPERS defaults to ``../shared/real-papers/papers`` relative to the repository root.
``--faults F`` makes the mock err in a share F of its tables, chosen by a hash of the request
and spread evenly over the kinds of error a model makes (a symbol not in the equation, a
missing symbol, the equation restated in a meaning, an ill-formed dimension, invalid JSON, a
reply cut off), to show the checks and fallbacks at scale.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from openai_stub_server import OpenAIStub  # noqa: E402

TARGET_PAPERS = 970
FAULTS = ("stray symbol", "missing symbol", "restated equation", "ill-formed dimension", "invalid JSON", "cut off")
fault_rate = 0.0


def fault_of(payload: dict) -> str | None:
    """The error the mock makes on this request, if any (the same one on every run)."""
    digest = int(hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:8], 16) / 16**8
    return FAULTS[int(digest / fault_rate * len(FAULTS))] if digest < fault_rate else None


def table_reply(payload: dict) -> str:
    text = good_table(payload)
    fault = fault_of(payload) if fault_rate else None
    if fault in (None, "invalid JSON", "cut off"):
        return {"invalid JSON": text.replace('"symbols"', "symbols", 1), "cut off": text[: len(text) // 2]}.get(fault, text)
    table = json.loads(text)
    rows = table["symbols"]
    if fault == "stray symbol":
        rows.append({"symbol": "\\Upsilon_{z}", "meaning": "an unrelated quantity", "dimension": "", "unit": "", "domain": ""})
    elif fault == "missing symbol" and rows:
        rows.pop()
    elif fault == "restated equation" and rows:
        rows[0]["meaning"] = f"the quantity ${payload['equation']}$"
    elif fault == "ill-formed dimension" and rows:
        rows[0]["dimension"] = "\\mathbb{C}^{N\\times"
    return json.dumps(table)


def good_table(payload: dict) -> str:
    definitions = payload.get("paper_definitions", {})
    rows = [{"symbol": s, "meaning": definitions.get(s) or f"the quantity ${s}$ of the system model",
             "dimension": "\\mathbb{C}^{N\\times 1}" if "\\mathbf" in s or "\\boldsymbol" in s else "",
             "unit": "", "domain": ""} for s in payload["symbols"]]
    scene = (payload.get("system_model") or "").split(". ")[0].rstrip(".")
    scenario = scene + "." if len(scene) >= 30 else "The paper studies a wireless communication system."
    return json.dumps({"scenario": scenario, "name": "", "symbols": rows})


def rubric_reply(payload: dict) -> str:
    from wmbench.curate.rubric import DIMENSIONS

    return json.dumps({d: {"score": 4, "reason": "clear enough for a wireless researcher"} for d in DIMENSIONS})


def reply(payload: dict) -> str:
    return table_reply(payload) if "symbols" in payload else rubric_reply(payload)


def run_build(papers: Path, out: Path, workers: int, extra: list[str]) -> float:
    cmd = [sys.executable, "-c", "from wmbench.cli import main; main()", "build", "--papers", str(papers),
           "--out", str(out), "--quiet", "--workers", str(workers), *extra]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed: {done.stderr[-2000:]}")
    return seconds


def data_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in [out / "problems.jsonl", *sorted((out / "data").glob("*.parquet"))]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("papers", nargs="?", default=str(ROOT.parent / "shared" / "real-papers" / "papers"))
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--faults", type=float, default=0.0, help="share of tables in which the mock errs")
    args = parser.parse_args()
    global fault_rate
    fault_rate = args.faults
    papers = Path(args.papers)
    if not papers.is_dir():
        raise SystemExit(f"error: {papers}: no such papers folder (give PAPERS)")
    with tempfile.TemporaryDirectory() as tmp, OpenAIStub({"good": reply}, latency=args.latency) as server:
        tmp = Path(tmp)
        base = run_build(papers, tmp / "rules", args.workers, [])
        llm = ["--llm-base-url", server.url("good"), "--llm-model", "mock-7b", "--llm-concurrency", str(args.concurrency)]
        cold = run_build(papers, tmp / "llm", args.workers, llm)
        calls_cold = sum(server.calls.values())
        in_flight = server.in_flight_max
        first = data_bytes(tmp / "llm")
        report = json.loads((tmp / "llm" / "build_report.json").read_text())
        warm = run_build(papers, tmp / "llm", args.workers, [*llm, "--resume"])
        identical = data_bytes(tmp / "llm") == first
        calls_warm = sum(server.calls.values()) - calls_cold
        warm_stage = json.loads((tmp / "llm" / "build_report.json").read_text())["timings"]["seconds"].get("llm", 0.0)
    show(report, base, cold, warm, warm_stage, identical, calls_cold, calls_warm, in_flight, args)


def show(report: dict, base: float, cold: float, warm: float, warm_stage: float, identical: bool, calls_cold: int, calls_warm: int,
         in_flight: int, args: argparse.Namespace) -> None:
    llm, counts = report["llm"], report["counts"]
    usage, tables, rubric = llm["usage"], llm["tables"], llm["rubric"]
    n_papers = max(1, usage["papers"])
    stage = report["timings"]["seconds"].get("llm", 0.0)
    sources = tables["backgrounds"]
    print(f"papers: {counts['papers_found']} found, {usage['papers']} with problems; "
          f"{counts['problems_final']} problems from {tables['equations']} equations")
    print(f"requests: {usage['requests']} ({tables['equations']} tables + {rubric['scored'] + rubric['fallbacks']} rubric), "
          f"{usage['requests'] / n_papers:.1f} per paper; sent {calls_cold} cold, {calls_warm} warm; "
          f"at most {in_flight} in flight (limit {args.concurrency})")
    print(f"tokens per paper: {usage['tokens_in'] / n_papers:,.0f} in, {usage['tokens_out'] / n_papers:,.0f} out "
          f"({usage['tokens_in'] / max(1, usage['requests']):,.0f} in / {usage['tokens_out'] / max(1, usage['requests']):,.0f} out per request)")
    print(f"wall time: {base:.1f} s without an LLM, {cold:.1f} s with it cold ({cold / base:.2f}x), "
          f"{warm:.1f} s warm ({warm / base:.2f}x); LLM stages {stage:.1f} s cold, {warm_stage:.1f} s warm "
          f"(floor at {args.latency:g} s x requests / {args.concurrency}: {usage['requests'] * args.latency / args.concurrency:.1f} s)")
    table_share = (sources["table"] + sources["table+rules"]) / max(1, sum(sources.values()))
    print(f"backgrounds from a checked table: {table_share:.1%} ({sources['table']} table only, "
          f"{sources['table+rules']} with rule fields, {sources['rules']} rules); field fallbacks: {tables['field_fallbacks']}")
    print(f"table calls failed: {tables['fallbacks']} {tables['fallback_reasons']} (mock faults: {args.faults:.0%} of tables)")
    print(f"warm rebuild byte-identical: {identical}")
    scale = TARGET_PAPERS / n_papers
    requests, t_in, t_out = usage["requests"] * scale, usage["tokens_in"] * scale, usage["tokens_out"] * scale
    llm_hours = stage * scale / 3600
    print(f"extrapolated to {TARGET_PAPERS} papers: {requests:,.0f} requests, {t_in / 1e6:.1f} M tokens in, "
          f"{t_out / 1e6:.1f} M out; LLM stages {llm_hours:.2f} h at {args.concurrency} in flight and "
          f"{args.latency:g} s per request; whole build {(cold * scale) / 3600:.2f} h "
          f"(without an LLM {(base * scale) / 3600:.2f} h)")


if __name__ == "__main__":
    main()

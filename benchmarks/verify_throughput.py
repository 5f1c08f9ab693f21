"""Throughput of the wmbench verifier against bare math-verify on the same fresh answer pairs.

Pairs come from tests/data/verify_cases.jsonl (every blank whose expected verdict the row fixes)
and the reference sample. Each pair is graded once by wmbench (``verify_problem`` on a one-blank
problem holding the pair, so extraction is timed too) with every cache cleared before it
(fresh), and once by ``math_verify.verify(parse(gold), parse(pred))``.
Prints pairs/s and median latency for each, the ratios, and each one's agreement with the
expected verdicts.

Then the pairs that need algebra (``--algebra N`` fresh generated pairs: ``\\dfrac``, fractions
of numbers, factors moved, products expanded; half of them changed in one place), end to end:
``wmbench score`` in a fresh process on a dataset holding them, against a fresh process running
``math_verify.verify(parse(gold), parse(pred))`` on the same pairs (start-up and imports included
on both sides). Run: ``.venv/bin/python benchmarks/verify_throughput.py [--algebra 240]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wmbench.schema import MASK, Problem
from wmbench.storage import read_problems
from wmbench.verify import extract_boxed, timeout, verify_problem
from wmbench.verify.grader import clear_caches, gold_answers
from wmbench.verify.timeout import warm_up

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "data" / "verify_cases.jsonl"
SAMPLE = REPO / "tests" / "data" / "reference_sample.jsonl"


def expected_pairs() -> list[tuple[str, str, str, str, bool]]:
    """(gold, candidate, context, equation, expected) for every blank a case row decides."""
    problems = {p.problem_id: p for p in read_problems(SAMPLE)}
    pairs = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if "math_gold" in case or case.get("type") == "MCQ":
            continue
        problem = problems.get(case.get("problem_id", ""))
        if problem is not None and problem.type == "MCQ":
            continue
        gold = gold_answers(problem) if problem else tuple(extract_boxed(case["gold"]))
        context = problem.background if problem else case.get("context", "")
        answers = extract_boxed(case["response"])[-len(gold):] if gold else []
        written = problem.equation if problem else case.get("equation", MASK)
        if len(answers) < len(gold) or "<think>" in case["response"] or written.count(MASK) not in (0, len(gold)):
            continue  # a joined-equation row (box and [MASK] counts differ) is no set of pairs
        if len(extract_boxed(case["response"])) != len(gold):
            continue  # boxes read together (a chain in parts): no set of pairs either
        decided = _decided_blanks(case, len(gold))
        equation = written if len(gold) == 1 else MASK
        pairs += [(g, a, context, equation, ok) for (g, a), ok in zip(zip(gold, answers), decided) if ok is not None]
    return pairs


def _decided_blanks(case: dict, k: int) -> list[bool | None]:
    if case["expected"]:
        return [True] * k
    reason = case.get("reason", "")
    if reason.startswith("wrong_blank_"):
        wrong = int(reason.rsplit("_", 1)[1])
        return [True] * (wrong - 1) + [False] + [None] * (k - wrong)
    return [False] if k == 1 else [None] * k


def time_wmbench(pairs) -> tuple[list[float], list[bool]]:
    latencies, verdicts, algebra = [], [], []
    calls = _count_math_verify_calls()
    for gold, cand, context, equation, _ in pairs:
        problem = Problem("bench", "bench", "fill_blank_25", context, "q", equation, f"\\boxed{{{gold}}}")
        clear_caches()
        before = calls[0]
        start = time.perf_counter()
        verdicts.append(verify_problem(f"\\boxed{{{cand}}}", problem).correct)
        latencies.append(time.perf_counter() - start)
        if calls[0] > before:
            algebra.append(latencies[-1])
    if algebra:
        print(f"wmbench sent {len(algebra)}/{len(pairs)} pairs to math-verify (scalar algebra); "
              f"their median {1000 * statistics.median(algebra):.1f} ms")
    return latencies, verdicts


def _count_math_verify_calls() -> list[int]:
    """Count the comparisons wmbench hands to its math-verify workers (benchmark instrumentation)."""
    calls = [0]
    original = timeout.math_verify_equal

    def counted(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    timeout.math_verify_equal = counted
    return calls


def time_math_verify(pairs) -> tuple[list[float], list[bool]]:
    from math_verify import parse, verify

    latencies, verdicts = [], []
    for gold, cand, *_ in pairs:
        start = time.perf_counter()
        verdicts.append(bool(verify(parse(f"\\boxed{{{gold}}}"), parse(f"\\boxed{{{cand}}}"))))
        latencies.append(time.perf_counter() - start)
    return latencies, verdicts


def _report(name: str, latencies: list[float], verdicts: list[bool], expected: list[bool]) -> dict[str, float]:
    agree = sum(v == e for v, e in zip(verdicts, expected))
    row = {
        "pairs_per_s": len(latencies) / sum(latencies),
        "median_ms": 1000 * statistics.median(latencies),
        "p90_ms": 1000 * statistics.quantiles(latencies, n=10)[-1],
        "agreement": agree / len(expected),
    }
    print(f"{name:12s} {row['pairs_per_s']:10.1f} pairs/s   median {row['median_ms']:8.3f} ms   "
          f"p90 {row['p90_ms']:8.3f} ms   agreement {agree}/{len(expected)} = {row['agreement']:.3f}")
    return row


_SYMBOLS = ["a", "b", "P_t", r"\sigma^2", "N_0", r"\beta_k", "h_k", "G"]


def algebra_pairs(n: int, seed: int = 0) -> list[tuple[str, str, bool]]:
    """(gold, candidate, equal) pairs that are equal only after algebra; every other one changed in one place."""
    rng = random.Random(seed)
    pairs = []
    for index in range(n):
        x, y, z = rng.sample(_SYMBOLS, 3)
        p, q = rng.randint(2, 9), rng.randint(2, 9)
        gold, right = rng.choice([
            (rf"\frac{{{p} {x} {y}}}{{{q} {z}}}", rf"\dfrac{{{y}}}{{{z}}} \cdot \frac{{{p}}}{{{q}}} {x}"),
            (rf"\frac{{{p * q}}}{{{q}}} {x} ({y} + {z})", rf"{p} {x} {y} + {p} {z} {x}"),
            (rf"({x} + {y})^2 - {z}", rf"{x}^2 + 2 {x} {y} + {y}^2 - {z}"),
            (rf"\frac{{{x}}}{{{y}}} + \frac{{{z}}}{{{y}}}", rf"\dfrac{{{x} + {z}}}{{{y}}}"),
            (rf"\frac{{1}}{{{x}^{{{p}}}}} {y}", rf"{y} {x}^{{-{p}}}"),
        ])
        equal = index % 2 == 0
        candidate = right if equal else right.replace(str(p), str(p + 1), 1) if str(p) in right else right + " + 1"
        pairs.append((gold, candidate, equal))
    return pairs


_MATH_VERIFY_RUN = """
import json, sys
from math_verify import parse, verify
pairs = json.load(open(sys.argv[1]))
print(sum(bool(verify(parse("\\\\boxed{" + g + "}"), parse("\\\\boxed{" + c + "}"))) == e for g, c, e in pairs))
"""


def time_end_to_end(pairs: list[tuple[str, str, bool]]) -> None:
    """``wmbench score`` and bare math-verify, each in a fresh process, on the same pairs."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        problems = [Problem(f"a{i}", "bench", "fill_blank_25", "", "q", "$$y = [MASK]$$", f"\\boxed{{{g}}}").to_dict()
                    for i, (g, _, _) in enumerate(pairs)]
        (folder / "problems.jsonl").write_text("".join(json.dumps(p) + "\n" for p in problems), encoding="utf-8")
        (folder / "responses.jsonl").write_text("".join(
            json.dumps({"problem_id": f"a{i}", "response": f"\\boxed{{{c}}}"}) + "\n" for i, (_, c, _) in enumerate(pairs)),
            encoding="utf-8")
        (folder / "pairs.json").write_text(json.dumps(pairs), encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
        score = [sys.executable, "-c", "from wmbench.cli import main; main()", "score", "-d", str(folder / "problems.jsonl"),
                 "-r", str(folder / "responses.jsonl"), "-o", str(folder / "scored.jsonl"), "-f", "json"]
        start = time.perf_counter()
        subprocess.run(score, check=True, env=env, capture_output=True)
        ours = time.perf_counter() - start
        rows = [json.loads(line) for line in (folder / "scored.jsonl").read_text(encoding="utf-8").splitlines()]
        ours_right = sum(row["correct"] == e for row, (_, _, e) in zip(rows, pairs))
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _MATH_VERIFY_RUN, str(folder / "pairs.json")],
                              check=True, env=env, capture_output=True, text=True)
        theirs = time.perf_counter() - start
        theirs_right = int(done.stdout.strip().splitlines()[-1])
    print(f"end to end on {len(pairs)} fresh pairs needing algebra: wmbench score {ours:.2f} s "
          f"({ours_right}/{len(pairs)} right), math-verify {theirs:.2f} s ({theirs_right}/{len(pairs)} right): "
          f"{theirs / ours:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--algebra", type=int, default=240, help="fresh algebra pairs timed end to end (0: skip)")
    args = parser.parse_args()
    pairs = expected_pairs()
    expected = [ok for *_, ok in pairs]
    warm_up()  # worker processes start once, as in any long run
    from math_verify import parse

    parse("$1$")  # import sympy and the grammar before timing
    print(f"{len(pairs)} fresh pairs ({sum(expected)} equal, {len(pairs) - sum(expected)} different)")
    ours = _report("wmbench", *time_wmbench(pairs), expected)
    bare = _report("math-verify", *time_math_verify(pairs), expected)
    print(f"median latency ratio (math-verify / wmbench): {bare['median_ms'] / ours['median_ms']:.1f}x")
    print(f"throughput ratio (wmbench / math-verify):     {ours['pairs_per_s'] / bare['pairs_per_s']:.1f}x")
    if args.algebra:
        time_end_to_end(algebra_pairs(args.algebra))


if __name__ == "__main__":
    main()

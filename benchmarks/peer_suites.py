"""wmbench's ``verify_math`` against bare math-verify on other graders' test cases, per suite.

Reads a folder of peer graders' cases (default ``../shared/peer-grader-cases`` relative to the
repository root; the cases are third-party material and are never copied into the repo):
``results-*.jsonl`` rows give each case's ``gold``, its ``pred``, the ``response`` wmbench is
handed (``pred`` as is, or boxed in a sentence), the ``expected`` verdict and ``mv``: how the
peer suite calls math-verify (``compare`` with its extraction targets and precision, or the
defaults). Prints, per suite (the repository the case comes from) and in total, how many
verdicts each grader gets right, then the cases wmbench gets wrong while math-verify gets
them right. ``math-verify`` is math-verify run here as the suite calls it; ``recorded`` is its
verdict as the results file records it (``mv_peer_ok``, from the peer harness itself). Run: ``.venv/bin/python benchmarks/peer_suites.py [FOLDER]``.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import defaultdict
from pathlib import Path

from wmbench.schema import Problem
from wmbench.verify import verify_math, verify_problem

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO.parent / "shared" / "peer-grader-cases"


def math_verify_as_the_suite_calls_it(case: dict) -> bool:
    """math-verify's verdict, called the way the peer test calls it."""
    from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify

    harness = case.get("mv", {})
    if harness.get("kind") != "compare":
        return bool(verify(parse(case["gold"]), parse(case["pred"])))
    targets = [{"latex": LatexExtractionConfig, "expr": ExprExtractionConfig}[kind]() for kind in harness["match_types"]]
    gold, pred = parse(case["gold"], targets), parse(case["pred"], targets)
    return bool(verify(gold, pred, float_rounding=harness.get("precision", 6)))


def _letter(case: dict) -> bool:
    options = {letter: f"option {letter}" for letter in "ABCD"}
    problem = Problem("peer", "peer", "MCQ", "", "q", "$[MASK]$", case.get("letter") or case["gold"], options=options)
    return verify_problem(case["pred"], problem).correct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--show", type=int, default=20, help="regressions listed (0: none)")
    args = parser.parse_args()
    logging.getLogger("math_verify").setLevel(logging.CRITICAL)
    results = sorted(args.folder.glob("results-*.jsonl"))
    if not results:
        raise SystemExit(f"{args.folder}: no results-*.jsonl (give the peer-grader-cases folder)")
    cases = [json.loads(line) for line in results[-1].read_text(encoding="utf-8").splitlines() if line.strip()]
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # cases, wmbench, math-verify, recorded
    regressions = []
    for case in cases:
        suite = case["sources"][0].split(":")[0]
        expected = bool(case["expected"])
        if case["section"] == "letters":
            ours, theirs = _letter(case) == expected, None
        else:
            ours = verify_math(case["response"], case["gold"]).correct == expected
            theirs = math_verify_as_the_suite_calls_it(case) == expected
        key = f"{suite} ({case['section']})"
        tally[key][0] += 1
        tally[key][1] += ours
        tally[key][2] += bool(theirs)
        tally[key][3] += bool(case.get("mv_peer_ok"))
        if theirs and not ours:
            regressions.append(case)
    print(f"{'suite':32s} {'cases':>6s} {'wmbench':>8s} {'math-verify':>12s} {'recorded':>9s}")
    totals = [0, 0, 0, 0]
    for key, (n, ours, theirs, recorded) in sorted(tally.items()):
        mv = f"{theirs:12d}" if "letters" not in key else f"{'-':>12s}"
        verdict = "ok" if ours >= max(theirs, recorded) else "BELOW"
        print(f"{key:32s} {n:6d} {ours:8d} {mv} {recorded:9d}   {verdict}")
        totals = [t + v for t, v in zip(totals, (n, ours, theirs, recorded))]
    print(f"{'total':32s} {totals[0]:6d} {totals[1]:8d} {totals[2]:12d} {totals[3]:9d}")
    print(f"{len(regressions)} cases wmbench gets wrong and math-verify right")
    for case in regressions[: args.show]:
        print(f"- {case['sources'][0]} expected={case['expected']} gold={case['gold'][:80]!r} response={case['response'][:120]!r}")


if __name__ == "__main__":
    main()

"""The verifier against tests/data/verify_cases.jsonl: one parametrized runner over every row.

A row names a reference problem (``problem_id``), a synthetic fill-in problem (``gold``: its
``\\boxed{}`` answers, optional ``context`` as background), a synthetic MCQ (``type``/``options``)
or a general-maths reference (``math_gold``); a synthetic fill-in row may give its ``equation``
(default ``y = [MASK] + ...``, one blank per gold box). ``expected`` is the verdict; ``reason``, when
present, pins the verdict's reason. Groups and notes document each behaviour.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wmbench.schema import Problem, mask_count_mismatch
from wmbench.storage import read_problems
from wmbench.verify import Verdict, verify_math, verify_problem

DATA = Path(__file__).resolve().parent / "data"
CASES = [json.loads(line) for line in (DATA / "verify_cases.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
REFERENCE = {p.problem_id: p for p in read_problems(DATA / "reference_sample.jsonl")}


def _problem(case: dict) -> Problem:
    if "problem_id" in case:
        return REFERENCE[case["problem_id"]]
    if case.get("type") == "MCQ":
        return Problem("case", "case", "MCQ", case.get("context", ""), "q", "$[MASK]$", case["gold"], options=case["options"])
    blanks = max(1, case["gold"].count("\\boxed"))
    equation = case.get("equation") or "$$y = " + " + ".join(["[MASK]"] * blanks) + "$$"
    return Problem("case", "case", "fill_blank_50", case.get("context", ""), "q", equation, case["gold"])


def _grade(case: dict) -> Verdict:
    if "math_gold" in case:
        return verify_math(case["response"], case["math_gold"])
    return verify_problem(case["response"], _problem(case))


def test_table_is_large_and_grouped():
    groups = {c["group"] for c in CASES}
    assert len(CASES) >= 200
    assert {"reference_oracle", "reference_mcq_wrong", "reference_rewrite", "reference_near_miss", "gaming", "mcq"} <= groups
    oracle = {c["problem_id"] for c in CASES if c["group"] == "reference_oracle"}
    assert oracle == set(REFERENCE), "every reference problem has an oracle row"
    wrong_options = sum(1 for c in CASES if c["group"] == "reference_mcq_wrong")
    assert wrong_options == 3 * sum(1 for p in REFERENCE.values() if p.type == "MCQ")


@pytest.mark.parametrize("case", CASES, ids=[f"{i:03d}-{c['group']}" for i, c in enumerate(CASES)])
def test_case(case: dict):
    verdict = _grade(case)
    assert not verdict.reason.startswith("error:"), verdict
    assert verdict.correct is case["expected"], f"{case['note']}: {verdict}"
    if "reason" in case:
        assert verdict.reason == case["reason"], f"{case['note']}: {verdict}"
    json.dumps(verdict.to_dict())


def test_reference_mcq_options_are_pairwise_different_and_self_equal():
    """What the build's distractor check relies on: equivalent() separates every pair of options."""
    from itertools import combinations

    from wmbench.verify import equivalent

    for problem in (p for p in REFERENCE.values() if p.type == "MCQ"):
        for a, b in combinations(problem.options.values(), 2):
            assert not equivalent(a, b, context=problem.background), (problem.problem_id, a, b)
        for option in problem.options.values():
            assert equivalent(option, option.strip("$"), context=problem.background)


def test_a_record_whose_blank_counts_disagree_is_loaded_and_found():
    """A record whose gold box count differs from its [MASK] count loads (the file readers warn about it)."""
    row = {"problem_id": "p1", "paper_id": "x", "type": "fill_blank_50", "background": "", "question_text": "q",
           "equation": "$$[MASK] = [MASK]$$", "correct_answer": r"\boxed{R = \log_2(1 + \gamma)}"}
    problem = Problem.from_dict(row)
    assert problem.n_blanks == 2 and mask_count_mismatch(problem) == (2, 1)
    assert mask_count_mismatch(Problem.from_dict({**row, "equation": "$$[MASK]$$"})) is None

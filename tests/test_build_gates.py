"""Quality gates catch each kind of broken problem; generated problems pass every gate."""

from __future__ import annotations

import pytest
from fixtures_build import toy_paper

from wmbench.build.gates import GATES, first_failure
from wmbench.build.paper_job import generate_paper
from wmbench.generate.problems import equation_problems
from wmbench.schema import PROBLEM_TYPES, Problem

PAPER = toy_paper()


@pytest.fixture(scope="module")
def problems() -> dict[str, Problem]:
    eq = PAPER.equations[1]
    made, skipped = equation_problems(PAPER, 2, eq, eq.latex, "achievable rate", seed=0)
    assert skipped == {}
    return {p.type: p for p in made}


def test_generated_problems_pass_every_gate(problems: dict[str, Problem]) -> None:
    assert sorted(problems) == sorted(PROBLEM_TYPES)
    for problem in problems.values():
        for name, gate in GATES:
            assert gate(problem) is None, (problem.problem_id, name)


def _break(problem: Problem, how: str) -> Problem:
    if how == "wrong_answer":
        return problem.replace(correct_answer=problem.correct_answer.replace("|^2", "|^3"))
    if how == "leak":
        answer = problem.extra["source_equation"].strip("$")
        return problem.replace(background=problem.background + f" Recall ${answer}$.")
    if how == "equivalent_distractor":
        options = dict(problem.options)
        wrong = next(k for k in options if k != problem.correct_answer)
        options[wrong] = options[problem.correct_answer].replace("1 +", "1+")
        return problem.replace(options=options)
    if how == "long_question":
        return problem.replace(question_text="Fill in the blank. " * 40)
    if how == "unflagged_symbol":
        return problem.replace(background="A study of a downlink channel.", extra={**problem.extra, "undefined_symbols": []})
    if how == "bad_letter":
        return problem.replace(correct_answer="B", options={**problem.options, "B": "$x$"})
    raise AssertionError(how)


@pytest.mark.parametrize(
    ("ptype", "how", "gate"),
    [
        ("fill_blank_25", "wrong_answer", "round_trip"),
        ("fill_blank_100", "leak", "no_leakage"),
        ("MCQ", "equivalent_distractor", "distractors_valid"),
        ("fill_blank_50", "long_question", "length_bounds"),
        ("fill_blank_75", "unflagged_symbol", "symbols_defined_or_flagged"),
        ("MCQ", "bad_letter", "round_trip"),
    ],
)
def test_gates_catch_broken_problems(problems: dict[str, Problem], ptype: str, how: str, gate: str) -> None:
    broken = _break(problems[ptype], how)
    failure = first_failure(broken)
    assert failure is not None and failure.startswith(gate + ":"), failure


def test_verifier_gate_rejects_an_answer_it_cannot_accept(problems: dict[str, Problem]) -> None:
    gate = dict(GATES)["verifier_accepts"]
    problem = problems["fill_blank_25"]
    assert gate(problem) is None
    assert gate(problem.replace(correct_answer="\\boxed{}")) is not None


def test_generate_paper_reports_every_equation() -> None:
    result = generate_paper(PAPER, seed=0)
    assert result["status"] == "ok" and result["equation_skips"] == {"3": "trivial: a pure definition (symbol = number)"}
    assert result["gate_failures"] == {}
    types = sorted({p["type"] for p in result["problems"]})
    assert types == sorted(PROBLEM_TYPES)
    first = next(p for p in result["problems"] if p["problem_id"] == "toy.0001-eq1-fill_blank_25")
    assert "$\\mathbf{h}_k$ denotes the channel vector of user $k$" in first["background"]
    assert first["extra"]["undefined_symbols"] == [] if "extra" in first else first["undefined_symbols"] == []
    assert first["prompt"].startswith("**Background**") and first["license"].endswith("by/4.0/")


def test_undefined_symbols_are_flagged() -> None:
    paper = toy_paper(equations=["z_k = \\beta_k \\mathbf{h}_k^H \\mathbf{x} + n_k"])
    result = generate_paper(paper, seed=0)
    for record in result["problems"]:
        flagged = record.get("undefined_symbols", record.get("extra", {}).get("undefined_symbols"))
        assert flagged == ["z_k", "\\beta_k"]


def test_symbols_sharing_a_description_are_defined_together() -> None:
    from wmbench.generate.background import build_background
    from wmbench.paper import Equation

    eq = Equation(latex="P = \\frac{1}{1+a e^{-b x}}", definitions={"a": "environment constants", "b": "environment constants",
                                                                      "x": "the elevation angle"})
    background = build_background(PAPER, eq, eq.latex, hidden=("a e^{-b x}",))
    assert "$a$ and $b$ denote environment constants" in background.text
    assert "$x$ denotes the elevation angle" in background.text
    assert background.undefined == ("P",)


def test_a_broken_equation_costs_only_itself() -> None:
    paper = toy_paper(equations=["y_k = \\mathbf{h}_k^H \\mathbf{x} + n_k", "y = \\frac{a + b}{c + d", "\\sqrt"])
    result = generate_paper(paper, seed=0)
    assert result["status"] == "ok" and len(result["problems"]) == 5
    assert result["equation_skips"] == {"2": "not parseable LaTeX", "3": "trivial: a lone symbol or number"}


def test_symbols_defined_under_an_earlier_equation_are_defined_later_too() -> None:
    from dataclasses import replace

    paper = toy_paper(equations=["y_k = \\mathbf{h}_k^H \\mathbf{x} + n_k", "z_k = \\mathbf{h}_k^H \\mathbf{x}"])
    paper.equations[0] = replace(paper.equations[0], definitions={"\\mathbf{h}_k": "the channel of user $k$"})
    paper.equations[1] = replace(paper.equations[1], definitions={})
    result = generate_paper(paper, seed=0)
    later = next(p for p in result["problems"] if p["problem_id"] == "toy.0001-eq2-fill_blank_100")
    assert "$\\mathbf{h}_k$ denotes the channel of user $k$" in later["background"]

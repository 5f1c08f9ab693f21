"""Quality gates catch each kind of broken problem; generated problems pass every gate."""

from __future__ import annotations

import pytest
from fixtures_build import toy_paper

from wmbench.build.gates import (GATES, GateConfig, blanks_are_maths, first_failure, has_background, marks_decidable,
                                 names_shown, solvable)
from wmbench.build.paper_job import generate_paper
from wmbench.generate.background import equation_symbols
from wmbench.generate.latex_tree import parse
from wmbench.generate.masking import choose_masks
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
    assert "$\\mathbf{h}_k \\in \\mathbb{C}^{N}$ denotes the channel vector of user $k$" in first["background"]
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
    result = generate_paper(paper, seed=0, gate_config=GateConfig(max_undefined=9))  # z_k is left undefined
    later = next(p for p in result["problems"] if p["problem_id"] == "toy.0001-eq2-fill_blank_100")
    assert "$\\mathbf{h}_k \\in \\mathbb{C}^{N}$ denotes the channel of user $k$" in later["background"]


# -- the solvability gates: a problem a solver can answer from its background and question ----

SCENE = "We consider a downlink in which a base station serves one user over a fading channel."


def _fill(source: str, masked: str, answers: list[str], background: str, undefined: list[str]) -> Problem:
    return Problem(problem_id="p-eq1-fill_blank_25", paper_id="p", type="fill_blank_25", background=background,
                   question_text="Fill in the blanks of the equation.", equation=f"$${masked}$$",
                   correct_answer=" and ".join(f"\\boxed{{{a}}}" for a in answers),
                   extra={"source_equation": f"$${source}$$", "undefined_symbols": undefined})


def _mcq(answer: str, distractors: list[str], background: str) -> Problem:
    options = {letter: f"${text}$" for letter, text in zip("ABCD", [answer, *distractors])}
    return Problem(problem_id="p-eq1-MCQ", paper_id="p", type="MCQ", background=background,
                   question_text="Which expression completes the equation?", equation="$$y = [MASK]$$",
                   correct_answer="A", options=options,
                   extra={"source_equation": f"$$y = {answer}$$", "undefined_symbols": []})


# (undefined symbols, allowance, fails): strict by default, looser on request
SOLVABLE = [
    ([], 0, False),
    (["x"], 0, True),
    (["x"], 1, False),
    (["x", "\\mathbf{H}"], 1, True),
]


@pytest.mark.parametrize(("undefined", "allowance", "fails"), SOLVABLE)
def test_a_symbol_the_background_leaves_undefined_drops_the_problem(undefined, allowance, fails) -> None:
    problem = _fill("R = \\log_2(1 + x)", "R = \\log_2([MASK])", ["1 + x"], SCENE, undefined)
    reason = solvable(problem, GateConfig(max_undefined=allowance))
    assert (reason is not None) == fails
    assert (first_failure(problem, ("solvable",), GateConfig(max_undefined=allowance)) is not None) == fails


# (equation, symbols that need a definition): bound indices, constants, standard objects need none
NEEDS_DEFINITION = [
    ("R = \\sum_{k=1}^{K} \\log_2(1+\\gamma_k)", ("R", "\\gamma_k")),
    ("y = \\sum_k h_k x_k + n", ("y", "h_k", "x_k", "n")),
    ("P = \\int_0^\\infty f(x)\\,\\mathrm{d}x", ("P", "f")),
    ("\\mathbf{n} \\sim \\mathcal{CN}(\\mathbf{0}, \\sigma^2 \\mathbf{I}_N)", ("\\mathbf{n}", "\\sigma")),
    ("s = e^{j 2 \\pi f t}", ("s", "f", "t")),
    ("\\min_{\\mathbf{w}} \\|\\mathbf{w}\\|^2 = c", ("\\mathbf{w}", "c")),  # the optimization variable needs one
    ("P = \\mathcal{I}\\left\\{B_{k}(i) = 0\\right\\}", ("P", "\\mathcal{I}", "B_{k}")),  # inside a condition too
]


@pytest.mark.parametrize(("latex", "symbols"), NEEDS_DEFINITION)
def test_bound_indices_constants_and_standard_objects_need_no_definition(latex: str, symbols: tuple) -> None:
    assert equation_symbols(latex) == symbols


# (background, fails)
BACKGROUNDS = [
    ('The equation comes from the paper "Fading channels".', True),
    ("The equation comes from a wireless communications paper.", True),
    ('The equation comes from the paper "Fading channels". Here, $x$ denotes the transmit SNR.', False),
    (SCENE, False),
]


@pytest.mark.parametrize(("background", "fails"), BACKGROUNDS)
def test_a_problem_without_background_is_dropped(background: str, fails: bool) -> None:
    problem = _fill("R = \\log_2(1 + x)", "R = \\log_2([MASK])", ["1 + x"], background, [])
    assert (has_background(problem) is not None) == fails


# (source, masked, answers, fails): a blank that is only a name is notation, not maths
BLANKS = [
    ("R_{\\mathrm{sum}} = \\log_2(1 + x)", "[MASK] = \\log_2(1 + x)", ["R_{\\mathrm{sum}}"], True),
    ("\\mathbf{y}_k = \\mathbf{H} \\mathbf{x} + \\mathbf{n}", "[MASK] = \\mathbf{H} \\mathbf{x} + \\mathbf{n}", ["\\mathbf{y}_k"], True),
    ("\\gamma_k \\geq \\Gamma_k", "\\gamma_k \\geq [MASK]", ["\\Gamma_k"], True),
    ("f(x) = x^2 + 1", "[MASK] = x^2 + 1", ["f(x)"], True),
    ("R = \\log_2(1 + x)", "R = \\log_2([MASK])", ["1 + x"], False),
    ("y = h x + n", "y = [MASK] x + n", ["h"], False),  # a factor inside a side: maths, not a name
    ("|v_n| = 1 + a", "[MASK] = 1 + a", ["|v_n|"], False),
    # a label superscript: a bold symbol's (never a power) or one in parentheses (an iteration)
    ("\\mathbf{x}_i^{t+\\frac{1}{2}} = \\frac{1}{K}\\sum_{j=1}^{K} \\mathbf{x}_{i,j}^{t}",
     "\\mathbf{x}_i^{[MASK]} = \\frac{1}{K}\\sum_{j=1}^{K} \\mathbf{x}_{i,j}^{t}", ["t+\\frac{1}{2}"], True),
    ("\\mu_k^{(i-1)} = a_k + b", "\\mu_k^{([MASK])} = a_k + b", ["i-1"], True),
    ("\\mathbf{A}^{-1} \\mathbf{b} = c + d", "\\mathbf{A}^{[MASK]} \\mathbf{b} = c + d", ["-1"], False),
    ("P = a^{n+1} + b", "P = a^{[MASK]} + b", ["n+1"], False),  # a scalar's power is maths
]


@pytest.mark.parametrize(("source", "masked", "answers", "fails"), BLANKS, ids=[b[1][:24] for b in BLANKS])
def test_a_blank_that_is_only_a_name_drops_the_problem(source, masked, answers, fails) -> None:
    assert (blanks_are_maths(_fill(source, masked, answers, SCENE, [])) is not None) == fails


def test_masking_never_blanks_a_side_that_is_only_a_name() -> None:
    latex = "R_{\\mathrm{sum}} = B \\log_2\\left(1 + \\frac{P |h|^2}{\\sigma^2}\\right)"
    for masking in choose_masks(parse(latex), 0, "p", 1).values():
        assert "R_{\\mathrm{sum}}" not in masking.answers


DIMENSION = "Here, $\\mathbf{h} \\in \\mathbb{C}^{N\\times 1}$ denotes the channel and $\\mathbf{w} \\in \\mathbb{C}^{N\\times 1}$ the beamformer."
NO_DIMENSION = "Here, $\\mathbf{h}$ denotes the channel and $\\mathbf{w}$ the beamformer."
# (answer, distractors, background, fails): options differing only by a T/H/conjugate mark are
# asked only when the background gives the marked symbols' dimension or field
MARKS = [
    ("\\mathbf{h}^H \\mathbf{w}", ["\\mathbf{h}^T \\mathbf{w}", "\\mathbf{w}^H \\mathbf{h} + 1", "2 \\mathbf{h}"], NO_DIMENSION, True),
    ("\\mathbf{h}^H \\mathbf{w}", ["\\mathbf{h}^T \\mathbf{w}", "\\mathbf{w}^H \\mathbf{h} + 1", "2 \\mathbf{h}"], DIMENSION, False),
    ("\\mathbf{h}^{H} \\mathbf{w}", ["\\mathbf{h} \\mathbf{w}", "\\mathbf{w} + 1", "2 \\mathbf{h}"], NO_DIMENSION, True),
    ("(\\mathbf{h}\\mathbf{w})^{*}", ["(\\mathbf{h}\\mathbf{w})^{T}", "\\mathbf{w} + 1", "2 \\mathbf{h}"], NO_DIMENSION, True),
    ("\\mathbf{h}^H \\mathbf{w}", ["\\mathbf{w}^H \\mathbf{h} + 1", "2 \\mathbf{h}", "\\mathbf{h} - \\mathbf{w}"], NO_DIMENSION, False),
    ("x^2 + y", ["x^3 + y", "x + y", "x^2 - y"], NO_DIMENSION, False),  # a power is no mark
]


@pytest.mark.parametrize(("answer", "distractors", "background", "fails"), MARKS,
                         ids=[f"{m[0][:16]}-{m[1][0][:12]}-{'dim' if m[2] == DIMENSION else 'nodim'}" for m in MARKS])
def test_options_differing_only_by_a_mark_need_the_dimension(answer, distractors, background, fails) -> None:
    assert (marks_decidable(_mcq(answer, distractors, background)) is not None) == fails


# (answer, background, fails): a text name the answer needs must be shown somewhere
NAMES = [
    ("\\sum_{i=1}^{k-1} \\text{\\textsf{ival}}_i", SCENE, True),
    ("\\sum_{i=1}^{k-1} \\text{\\textsf{ival}}_i", SCENE + " Here, $\\text{\\textsf{ival}}_i$ denotes the interval.", False),
    ("\\sum_{k} R_{\\mathrm{tot}}", SCENE, True),
    ("\\max(a, b) + \\text{ for } k", SCENE, False),  # plain words name nothing
    ("1 + x", SCENE, False),
]


@pytest.mark.parametrize(("answer", "background", "fails"), NAMES, ids=[f"{n[0][:20]}-{len(n[1])}" for n in NAMES])
def test_an_answer_needing_a_name_nothing_shows_drops_the_problem(answer, background, fails) -> None:
    problem = _fill(f"y = {answer}", "y = [MASK]", [answer], background, [])
    assert (names_shown(problem) is not None) == fails

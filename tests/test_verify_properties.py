"""Property tests: extraction and verification never raise and always return, on any text.

Time is not asserted tightly: a verdict may say ``timeout`` (the process-based deadline), but
every call must come back with a :class:`Verdict`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wmbench.schema import Problem
from wmbench.storage import read_problems
from wmbench.verify import (
    Verdict,
    VerifyConfig,
    equivalent,
    extract_boxed,
    verify_math,
    verify_problem,
)
from wmbench.verify.extract import strip_think

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = read_problems(DATA / "reference_sample.jsonl")
FILL = next(p for p in REFERENCE if p.n_blanks == 3)
MCQ = next(p for p in REFERENCE if p.type == "MCQ")

LATEX_BITS = st.sampled_from(
    [r"\boxed{", r"\fbox{", "{", "}", "\\", "^", "_", r"\frac", r"\mathbf{", "<think>", "</think>", "$",
     r"\left(", r"\right)", "[MASK]", "A", "B", "x", "1", "/", ",", " and ", r"\sqrt[", "]", r"\top", "'", "e^{j"]
)
LATEXISH = st.lists(st.one_of(LATEX_BITS, st.text(max_size=5)), max_size=40).map("".join)
PATIENT = VerifyConfig(call_timeout=30.0, response_budget=60.0)  # sympy's answer, however loaded the machine
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _fill(answer: str, blanks: int = 1) -> Problem:
    equation = " + ".join(["[MASK]"] * blanks)
    return Problem("p", "p", "fill_blank_50", "", "q", equation, ", ".join(f"\\boxed{{{answer}}}" for _ in range(blanks)))


@FAST
@given(st.text())
def test_extraction_never_raises_on_any_text(text: str):
    boxes = extract_boxed(text)
    assert all(isinstance(b, str) for b in boxes)
    assert isinstance(strip_think(text), str)


@FAST
@given(LATEXISH)
def test_verify_problem_returns_a_verdict(text: str):
    for problem in (FILL, MCQ):
        verdict = verify_problem(text, problem)
        assert isinstance(verdict, Verdict)
        assert verdict.correct in (True, False)
        assert not verdict.correct or verdict.reason == "match"
        assert not verdict.reason.startswith("error:"), verdict  # the safety net never fires


@FAST
@given(LATEXISH, LATEXISH)
def test_equivalent_and_verify_math_return(gold: str, candidate: str):
    assert equivalent(gold, candidate) in (True, False)
    verdict = verify_math(candidate, gold)
    assert isinstance(verdict, Verdict) and not verdict.reason.startswith("error:"), verdict


@FAST
@given(st.from_regex(r"[a-zA-Z0-9+\-*/^_()][a-zA-Z0-9 +\-*/^_()]{0,29}", fullmatch=True))
def test_an_answer_is_always_equivalent_to_itself(answer: str):
    verdict = verify_problem(f"\\boxed{{{answer}}}", _fill(answer))
    assert verdict.correct, verdict


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=4), st.sampled_from(["x", r"\mathbf{h}_k^T", r"\frac{a}{b}"]))
def test_oracle_boxes_are_accepted_and_order_matters(blanks: int, answer: str):
    problem = _fill(answer, blanks)
    assert verify_problem(problem.correct_answer, problem).correct
    assert not verify_problem(", ".join([r"\boxed{zz}"] * blanks), problem).correct


@pytest.mark.parametrize(
    "response",
    [
        "{" * 10_000 + "}" * 10_000,
        r"\boxed{" + "{" * 10_000 + "x" + "}" * 10_000 + "}",
        r"\boxed{" + "(" * 10_000 + ")" * 10_000 + "}",
        r"\boxed{" + r"\frac{" * 5_000 + "}",
        "x" * 1_000_000 + r" \boxed{\mathbf{h}_k^T}" * 3,
        (r"\boxed{" + "a+" * 200_000 + "a}") * 3,
        "<think>" + "y" * 1_000_000,
        r"\boxed{" * 100_000,
        r"\boxed{" + r"\sum_{n=2}^{N}" * 60 + "x}",
        r"\boxed{" + r"\int " * 150 + "x" + r"\,dx" * 150 + "}",
        "Answer: \n" * 100_000 + "the final answer is $" * 10_000,
    ],
    ids=["deep-braces", "deep-boxed", "deep-parens", "unclosed-frac", "megabyte-text", "megabyte-boxes", "megabyte-think",
         "many-open-boxes", "many-sums", "many-integrals", "many-answer-cues"],
)
def test_pathological_responses_return(response: str):
    fill = verify_problem(response, FILL)
    mcq = verify_problem(response, MCQ)
    assert isinstance(fill, Verdict) and isinstance(mcq, Verdict)
    assert not fill.reason.startswith("error:") and not mcq.reason.startswith("error:")
    assert fill.correct is response.startswith("x" * 10), fill.reason  # only the megabyte-text case has the answers
    assert mcq.correct is False
    assert verify_math(response, "1").correct is False


def test_deep_nesting_equal_on_both_sides_is_decided_without_recursion_error():
    deep = "{" * 10_000 + "x" + "}" * 10_000
    assert equivalent(deep, deep) is True
    assert equivalent(deep, deep.replace("x", "y")) is False


# Sympy needs seconds for this pair; the worker's deadline stops it. (The root's symbolic index
# keeps the numeric check of wmbench.verify.numeric out: it would prove the pair different at once.)
SLOW_GOLD = r"\sqrt[k]{\frac{(a+b)^{50}}{(a-b)^{49}}}"
SLOW_ANSWER = r"\sqrt[k]{\frac{(b+a)^{50}}{(a-b)^{48}}}"


def test_slow_algebra_hits_the_process_deadline_from_any_thread():
    from concurrent.futures import ThreadPoolExecutor

    from wmbench.verify.grader import VerifyConfig, clear_caches

    clear_caches()
    problem = _fill(SLOW_GOLD)
    config = VerifyConfig(call_timeout=0.5)
    with ThreadPoolExecutor(max_workers=2) as pool:  # off the main thread, where signal timeouts fail
        verdicts = list(pool.map(lambda _: verify_problem(rf"\boxed{{{SLOW_ANSWER}}}", problem, config=config), range(2)))
    clear_caches()
    assert all(v.correct is False and v.reason == "timeout" for v in verdicts), verdicts
    assert verify_problem(r"\boxed{x}", _fill("x"), config=config).correct  # workers replaced, still working


def test_a_timeout_proves_nothing() -> None:
    """MCQ distractors need a proof of difference: an undecided pair is neither equal nor different."""
    from wmbench.verify import VerifyConfig, equivalent, provably_different

    hurried = VerifyConfig(call_timeout=1e-4)  # no worker answers that fast: the algebra times out
    # \cos^2 is beyond the numeric check (wmbench.verify.numeric), so only math-verify can decide
    gold, wrong = r"\cos^{2}(a)+(a+b)^2", r"\cos^{2}(a)+a^2+2ab+b^3"
    assert not equivalent(gold, wrong, config=hurried)
    assert not provably_different(gold, wrong, config=hurried)
    assert provably_different(gold, wrong, config=PATIENT)
    right = r"\cos^{2}(a)+a^2+2ab+b^2"
    assert equivalent(gold, right, config=PATIENT) and not provably_different(gold, right, config=PATIENT)


def test_values_at_sample_points_prove_a_difference_without_math_verify() -> None:
    """A pair that differs numerically is decided even when math-verify cannot answer in time."""
    from wmbench.verify import VerifyConfig, equivalent, provably_different

    hurried = VerifyConfig(call_timeout=1e-4)
    gold = r"(a+b)^2"
    assert provably_different(gold, r"a^2+2ab+b^3", config=hurried)
    assert provably_different(r"\log_2(1+\gamma_k)", r"\log_2(1+\gamma_k^{2})", config=hurried)
    # equal pairs are never "proved different"; rational functions are proved equal by exact
    # values (wmbench.verify.numeric.rational_decision), anything else only by math-verify
    assert not provably_different(gold, r"a^2+2ab+b^2", config=hurried)
    assert equivalent(gold, r"a^2+2ab+b^2", config=hurried)
    assert not provably_different(r"\sqrt{a}\sqrt{b}", r"\sqrt{ab}", config=hurried)
    assert not equivalent(r"\sqrt{a}\sqrt{b}", r"\sqrt{ab}", config=hurried)


BOUND_INDEX = st.sampled_from(list("ijlnqrsuv") + [r"\ell", r"\nu"])


@settings(max_examples=40, deadline=None)
@given(BOUND_INDEX, BOUND_INDEX)
def test_renaming_a_bound_index_keeps_the_answer_but_not_a_free_one(first: str, second: str):
    """Bound indices are dummies (any name not already free); the free index ``m`` is not."""
    body = r"\sum_{{{i}=1}}^{{K}} \beta_{{{i}}} h_{{{i},m}} x_{{{i}}}"
    assert equivalent(body.format(i=first), body.format(i=second))
    assert not equivalent(body.format(i=first), body.format(i=second).replace("m}", "k}"))
    assert not equivalent(body.format(i=first), body.format(i=second).replace(",m}", "}").replace("h_{", "h_{m,"))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([r"\frac{1}{\sigma^2}", r"\sigma^{-2}", r"(\sigma^2)^{-1}", r"\frac{2}{2\sigma^2}"]),
       st.sampled_from([r"\mathbf{H}\mathbf{x}", r"\mathbf{G}^H\mathbf{H}", r"\mathbf{W}_k^T\mathbf{h}_k"]))
def test_a_scalar_coefficient_commutes_with_matrices_but_they_keep_their_order(scalar: str, product: str):
    gold = r"\frac{1}{\sigma^2}" + product
    first, second = product.split(r"\mathbf")[1:]
    assert equivalent(gold, scalar + product)
    assert equivalent(gold, rf"\mathbf{first} {scalar} \mathbf{second}")  # scalar between the matrices
    assert not equivalent(gold, rf"{scalar} \mathbf{second} \mathbf{first}")  # matrices swapped
    assert not equivalent(gold, product)  # coefficient dropped


def test_the_build_config_proves_by_structure_and_values_only() -> None:
    """Builds never wait on math-verify: what only sympy could prove is left unproved."""
    from wmbench.verify import BUILD_CONFIG, provably_different

    assert provably_different(r"\frac{P}{N_0 B}", r"\frac{N_0 B}{P}", config=BUILD_CONFIG)  # values
    assert provably_different(r"\mathbf{H}\mathbf{W}", r"\mathbf{W}\mathbf{H}", config=BUILD_CONFIG)  # structure
    gold, wrong = r"\cos^{2}(a)+(a+b)^2", r"\cos^{2}(a)+a^2+2ab+b^3"  # \cos^2: only math-verify reads it
    assert not provably_different(gold, wrong, config=BUILD_CONFIG)
    assert provably_different(gold, wrong, config=PATIENT)

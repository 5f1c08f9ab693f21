"""Every call comes back within its budget, whatever the answer asks to compute.

Towers of powers, huge factorials, exponentials and trigonometric functions of huge numbers
are generated at random; each call to ``verify_math``, ``verify_problem`` and the GRPO reward is
timed here, and must end within the response budget plus the start-up of one replacement worker
(a killed worker is replaced on the next call).
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wmbench.rewards import wireless_accuracy_reward
from wmbench.schema import Problem
from wmbench.verify import VerifyConfig, verify_math, verify_problem
from wmbench.verify.grader import DEFAULT_CONFIG
from wmbench.verify.timeout import warm_up

CONFIG = VerifyConfig(call_timeout=1.0, response_budget=2.0)
WORKER_START = 8.0  # importing sympy in a replacement worker on a loaded machine
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JUNK = st.sampled_from([".", r"\%", ",", " ;"])
NUMBER = st.sampled_from(["9", "10", "99", "10^{6}", "2.5", "x", r"\pi", "e", "(10^{6}-1)", "1000000"])


@st.composite
def costly(draw) -> str:
    """An expression built from towers, factorials and functions of large values."""
    expr = draw(NUMBER)
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["power", "tower", "factorial", "exp", "sin", "sum", "product", "junk"]))
        if kind == "power":
            expr = f"{draw(NUMBER)}^{{{expr}}}"
        elif kind == "tower":
            expr = f"{expr}^{{{draw(NUMBER)}^{{{draw(NUMBER)}}}}}"
        elif kind == "factorial":
            expr = f"({expr})!"
        elif kind == "exp":
            expr = rf"e^{{{expr}}}" if draw(st.booleans()) else rf"\exp({expr})"
        elif kind == "sin":
            expr = rf"\sin({expr})"
        elif kind == "sum":
            expr = f"{expr} - {draw(NUMBER)}!"
        elif kind == "product":
            expr = rf"{expr} \cdot {draw(NUMBER)}"
        else:
            expr += draw(JUNK)
    return expr


GOLD = st.sampled_from(["4", r"\frac{14}{3}", "x^{2}", "10^{6}!", r"9^{9^{9}}"])


def _timed(call) -> float:
    start = time.monotonic()
    call()
    return time.monotonic() - start


def setup_module() -> None:
    warm_up()


@SETTINGS
@given(costly(), GOLD)
def test_verify_math_is_bounded(answer: str, gold: str):
    elapsed = _timed(lambda: verify_math(rf"The answer is \boxed{{{answer}}}", gold, config=CONFIG))
    assert elapsed < CONFIG.response_budget + WORKER_START, (answer, gold, elapsed)


@SETTINGS
@given(costly(), GOLD)
def test_verify_problem_is_bounded(answer: str, gold: str):
    problem = Problem("p", "p", "fill_blank_25", "", "q", "$$y = [MASK]$$", rf"\boxed{{{gold}}}")
    elapsed = _timed(lambda: verify_problem(rf"\boxed{{{answer}}}", problem, config=CONFIG))
    assert elapsed < CONFIG.response_budget + WORKER_START, (answer, gold, elapsed)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(costly(), GOLD)
def test_the_reward_is_bounded(answer: str, gold: str):
    completions = [rf"\boxed{{{answer}}}"] * 2
    elapsed = _timed(lambda: wireless_accuracy_reward(
        completions, type=["fill_blank_25", None], correct_answer=[rf"\boxed{{{gold}}}", None],
        equation=["$$y = [MASK]$$", None], answer=[None, gold]))
    assert elapsed < len(completions) * (DEFAULT_CONFIG.response_budget + WORKER_START), (answer, gold, elapsed)


def test_the_reported_hangs_return_at_once():
    """The towers and factorials that hung or took seconds are decided without evaluating them."""
    problem = Problem("p", "p", "fill_blank_25", "", "q", "$$y = [MASK]$$", r"\boxed{4}")
    for call in (
        lambda: verify_math(r"\boxed{9^{9^{9^{9^{9}}}}}", r"\frac{14}{3}"),
        lambda: verify_problem(r"\boxed{9^{9^{9^{9}}}}", problem),
        lambda: verify_math(r"\boxed{(10^{6})! - (10^{6}-1)!}", "4"),
    ):
        start = time.monotonic()
        assert call().correct is False
        assert time.monotonic() - start < 1.0  # no worker is asked: nothing waits on a deadline

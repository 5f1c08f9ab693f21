"""Each review lint fires on its defect and not on a near miss (cases in data/review_lint_cases.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wmbench.review import LINTS, lint_problem
from wmbench.ingest.template_text import template_phrase
from wmbench.review.vocabulary import RENDERABLE_COMMANDS, RENDERABLE_ENVIRONMENTS, dimension_or_unit
from wmbench.schema import Problem

DATA = json.loads((Path(__file__).parent / "data" / "review_lint_cases.json").read_text(encoding="utf-8"))
CHECKS = {lint.name: lint.check for lint in LINTS}


def _problem(case: dict) -> Problem:
    return Problem.from_dict({**DATA["base"][case["base"]], **case["set"]})


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: f"{c['lint']}-{'fires' if c['fires'] else 'quiet'}-{c['why'][:30]}")
def test_lint_case(case: dict) -> None:
    detail = CHECKS[case["lint"]](_problem(case))
    assert bool(detail) is case["fires"], (case["why"], detail)


def test_every_lint_has_a_positive_and_a_negative_case() -> None:
    for name in CHECKS:
        fires = {c["fires"] for c in DATA["cases"] if c["lint"] == name}
        assert fires == {True, False}, name


@pytest.mark.parametrize("base", sorted(DATA["base"]))
def test_clean_base_problems_have_no_defect(base: str) -> None:
    assert lint_problem(Problem.from_dict(DATA["base"][base])) == {}


def test_renderable_commands_come_from_katex() -> None:
    assert {"frac", "mathbf", "boldsymbol", "bm", "operatorname", "log", "left", "text", "mathbb"} <= RENDERABLE_COMMANDS
    assert not {"gls", "ac", "eqref", "label", "DeclareMathOperator"} & RENDERABLE_COMMANDS
    assert {"bmatrix", "cases", "aligned", "array"} <= RENDERABLE_ENVIRONMENTS
    assert "IEEEeqnarray" not in RENDERABLE_ENVIRONMENTS


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # dimensions, sets and domains
        ("$\\mathbf{h}_k \\in \\mathbb{C}^{N\\times 1}$", True),
        ("the phase $\\phi_m \\in [0, 2\\pi)$", True),
        # units
        ("the transmit power in dBm", True),
        ("the bandwidth $B$ (Hz)", True),
        ("$P = 10\\,\\mathrm{W}$", True),
        # near misses: words that look like units
        ("the user(s) in K slots", False),
        ("$k \\in \\mathcal{K}$ indexes the users", False),
    ],
)
def test_dimension_or_unit(text: str, found: bool) -> None:
    assert (dimension_or_unit(text) is not None) is found


def test_template_phrase_is_case_and_space_blind() -> None:
    assert template_phrase("THE   Abstract\ngoes here.") == "the abstract goes here"
    assert template_phrase("The abstract of this paper is short.") is None

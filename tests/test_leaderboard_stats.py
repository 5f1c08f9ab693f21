"""Bootstrap intervals, paired differences and pass@k aggregation (wmbench.leaderboard.stats)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from wmbench.leaderboard.stats import (
    bootstrap_mean,
    mean_at_k_mean,
    paired_bootstrap,
    pass_at_k_mean,
)
from wmbench.metrics import pass_at_k

# (label, scores): per-problem correctness of several shapes.
CASES = [
    ("all right", [1.0] * 20),
    ("all wrong", [0.0] * 20),
    ("a third", [1.0, 0.0, 0.0] * 10),
    ("one problem", [1.0]),
    ("fractional mean@k scores", [0.25, 0.5, 0.75, 1.0, 0.0] * 8),
]


@pytest.mark.parametrize(("label", "scores"), CASES, ids=[c[0] for c in CASES])
def test_interval_contains_point_and_is_ordered(label: str, scores: list[float]) -> None:
    interval = bootstrap_mean(scores, seed=3, label=label)
    assert interval.point == pytest.approx(float(np.mean(scores)))
    assert interval.low <= interval.point <= interval.high
    assert 0.0 <= interval.low and interval.high <= 1.0
    assert interval.n == len(scores)


@pytest.mark.parametrize("rate", [0.2, 0.5, 0.8])
def test_interval_shrinks_with_more_problems(rate: float) -> None:
    widths = []
    for n in (20, 200, 2000):
        right = round(rate * n)
        scores = [1.0] * right + [0.0] * (n - right)  # the same accuracy, more problems
        interval = bootstrap_mean(scores, seed=0, label="x")
        widths.append(interval.high - interval.low)
    assert widths[0] > widths[1] > widths[2] > 0
    # about 1/sqrt(n): a hundred times the problems, about a tenth of the width
    assert widths[0] / 14 < widths[2] < widths[0] / 7


def test_interval_is_seeded_and_independent_of_call_order() -> None:
    scores = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0] * 5
    first = bootstrap_mean(scores, seed=11, label="model/MCQ")
    bootstrap_mean(scores, seed=11, label="another cell")
    assert bootstrap_mean(scores, seed=11, label="model/MCQ") == first
    others = {bootstrap_mean(scores, seed=s, label="model/MCQ") for s in range(5)}
    assert len(others) > 1  # the seed matters


def test_paired_bootstrap_of_a_model_against_itself_is_exactly_zero() -> None:
    scores = [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0] * 6
    diff = paired_bootstrap(scores, scores, seed=5, label="self")
    assert (diff.point, diff.low, diff.high) == (0.0, 0.0, 0.0)


def test_paired_bootstrap_sign_and_pairing() -> None:
    base = [0.0, 1.0, 0.0, 1.0] * 10
    trained = [1.0, 1.0, 1.0, 1.0] * 10
    diff = paired_bootstrap(base, trained, seed=0)
    assert diff.point == pytest.approx(0.5)
    assert diff.low > 0  # every problem improved or stayed: the gain is clearly positive
    # Pairing: a constant shift on every problem has no uncertainty at all.
    shifted = paired_bootstrap([0.0] * 30, [1.0] * 30, seed=0)
    assert (shifted.low, shifted.high) == (1.0, 1.0)


def test_paired_bootstrap_needs_aligned_scores() -> None:
    with pytest.raises(ValueError, match="aligned"):
        paired_bootstrap([1.0, 0.0], [1.0], seed=0)


def test_empty_scores_give_nan_not_an_error() -> None:
    interval = bootstrap_mean([], seed=0)
    assert interval.n == 0 and math.isnan(interval.point)


# (n, c) per problem and the expected aggregate, computed by hand.
PASS_CASES = [
    ([(4, 0), (4, 4)], 1, 0.5),
    ([(4, 1)], 1, 0.25),
    ([(4, 1)], 4, 1.0),
    ([(4, 2)], 2, 1 - 1 / 6),
]


@pytest.mark.parametrize(("counts", "k", "expected"), PASS_CASES)
def test_pass_at_k_mean_uses_the_shared_estimator(counts, k, expected) -> None:
    assert pass_at_k_mean(counts, k) == pytest.approx(expected)
    assert pass_at_k_mean(counts, k) == pytest.approx(np.mean([pass_at_k(n, c, k) for n, c in counts]))


def test_mean_at_k_mean_is_the_mean_fraction_correct() -> None:
    assert mean_at_k_mean([(4, 1), (2, 2), (5, 0)]) == pytest.approx((0.25 + 1.0 + 0.0) / 3)

"""Uncertainty for leaderboard numbers: bootstrap over problems, paired differences, pass@k.

Every interval resamples *problems* (the unit that was sampled from the population of possible
problems), with a generator seeded from the caller's seed and the cell's label, so a number
does not change when other cells are added or computed in another order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np

DEFAULT_RESAMPLES = 2000
DEFAULT_LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    """A point estimate with its bootstrap interval, all as fractions in [0, 1] (or differences)."""

    point: float
    low: float
    high: float
    n: int

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies in the closed interval."""
        return self.low <= value <= self.high


def cell_rng(seed: int, label: str) -> np.random.Generator:
    """A generator for one table cell: independent of every other cell's draws."""
    digest = hashlib.sha256(f"{seed}\0{label}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def bootstrap_mean(
    scores: Sequence[float], *, seed: int, label: str = "", resamples: int = DEFAULT_RESAMPLES,
    level: float = DEFAULT_LEVEL,
) -> Interval:
    """Mean of per-problem scores with a percentile bootstrap interval resampling problems."""
    values = np.asarray(scores, dtype=float)
    if values.size == 0:
        return Interval(float("nan"), float("nan"), float("nan"), 0)
    point = float(values.mean())
    means = _resampled_means(values, cell_rng(seed, label), resamples)
    low, high = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return Interval(point, min(float(low), point), max(float(high), point), int(values.size))


def paired_bootstrap(
    first: Sequence[float], second: Sequence[float], *, seed: int, label: str = "",
    resamples: int = DEFAULT_RESAMPLES, level: float = DEFAULT_LEVEL,
) -> Interval:
    """``mean(second) - mean(first)`` on the same problems, resampling problems jointly.

    The two sequences must be aligned problem by problem; pairing removes the between-problem
    variance both models share, so the interval is narrower than two independent ones.
    """
    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired bootstrap needs aligned scores, got {a.size} and {b.size}")
    return bootstrap_mean(b - a, seed=seed, label=label, resamples=resamples, level=level)


def _resampled_means(values: np.ndarray, rng: np.random.Generator, resamples: int) -> np.ndarray:
    """Means of ``resamples`` bootstrap samples, drawn in chunks to bound memory."""
    n = values.size
    chunk = max(1, 2_000_000 // n)
    out = np.empty(resamples)
    for start in range(0, resamples, chunk):
        stop = min(resamples, start + chunk)
        idx = rng.integers(0, n, size=(stop - start, n))
        out[start:stop] = values[idx].mean(axis=1)
    return out


def pass_at_k_mean(counts: Sequence[tuple[int, int]], k: int) -> float:
    """Mean over problems of the unbiased pass@k from ``(n, c)`` per problem (needs n >= k)."""
    from wmbench.metrics import pass_at_k

    return float(np.mean([pass_at_k(n, c, k) for n, c in counts])) if counts else float("nan")


def mean_at_k_mean(counts: Sequence[tuple[int, int]]) -> float:
    """Mean over problems of mean@k, the fraction of correct samples ``c / n``."""
    return float(np.mean([c / n for n, c in counts])) if counts else float("nan")

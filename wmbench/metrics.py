"""Sample-based metrics shared by ``wmbench score``, the lm-eval tasks and the leaderboards."""

from __future__ import annotations

from collections.abc import Sequence
from math import comb


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k (Chen et al. 2021): the chance that k of n samples, c correct, hold a correct one.

    ``1 - C(n-c, k) / C(n, k)``; requires ``0 <= c <= n`` and ``1 <= k <= n``.
    """
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"pass_at_k needs 0 <= c <= n and 1 <= k <= n, got n={n}, c={c}, k={k}")
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


def mean_at_k(correct: Sequence[bool], k: int | None = None) -> float:
    """mean@k (avg@k): the fraction correct among the first ``k`` samples of one problem (all if None)."""
    chosen = list(correct if k is None else correct[:k])
    if not chosen:
        raise ValueError("mean_at_k needs at least one sample")
    return sum(bool(x) for x in chosen) / len(chosen)


def k_values(min_samples: int) -> list[int]:
    """The k reported for a run whose problems have at least ``min_samples`` samples: 1, 2, 4, ... and n."""
    ks = [k for k in (1, 2, 4, 8, 16, 32, 64, 128) if k <= min_samples]
    if min_samples not in ks and min_samples > 0:
        ks.append(min_samples)
    return ks

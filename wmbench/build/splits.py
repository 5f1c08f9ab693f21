"""Train/test splits recorded in the data: problem-level (``split``) and paper-disjoint (``paper_split``).

The problem-level split is stratified by type: ``round(N * test_fraction)`` test problems are
shared among the types in proportion to their sizes (largest remainder), and within each type
the problems first in the order of a seeded hash of their id go to test. The paper-disjoint split
orders papers by a seeded hash and moves whole papers to test until their problems reach the
same fraction. The default fraction is the public release's 800 test / 4,027 problems.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from wmbench.schema import PROBLEM_TYPES, Problem

REFERENCE_TEST_FRACTION = 800 / (3227 + 800)


def _rank(seed: int, key: str) -> str:
    return hashlib.sha256(f"{seed}\x1f{key}".encode()).hexdigest()


def assign_splits(problems: list[Problem], seed: int, test_fraction: float = REFERENCE_TEST_FRACTION) -> list[Problem]:
    """The problems with ``split`` and ``paper_split`` set; order unchanged."""
    by_type = {t: sorted((p.problem_id for p in problems if p.type == t), key=lambda i: _rank(seed, i))
               for t in PROBLEM_TYPES}
    quotas = _quotas({t: len(ids) for t, ids in by_type.items()}, test_fraction)
    test_ids = {i for t, ids in by_type.items() for i in ids[: quotas[t]]}
    test_papers = _test_papers(problems, seed, test_fraction)
    return [p.replace(split="test" if p.problem_id in test_ids else "train",
                      paper_split="test" if p.paper_id in test_papers else "train") for p in problems]


def _quotas(sizes: dict[str, int], fraction: float) -> dict[str, int]:
    """Test problems per type: ``round(total * fraction)`` in all, shared by largest remainder
    (rounding each type alone gives no test problem at all to a small build)."""
    exact = {t: n * fraction for t, n in sizes.items()}
    quotas = {t: int(x) for t, x in exact.items()}
    left = round(sum(sizes.values()) * fraction) - sum(quotas.values())
    for t in sorted(exact, key=lambda t: (-(exact[t] - quotas[t]), PROBLEM_TYPES.index(t)))[:max(0, left)]:
        quotas[t] += 1
    return quotas


def _test_papers(problems: list[Problem], seed: int, test_fraction: float) -> set[str]:
    sizes = Counter(p.paper_id for p in problems)
    target = len(problems) * test_fraction
    chosen: set[str] = set()
    total = 0
    for paper in sorted(sizes, key=lambda pid: _rank(seed, "paper:" + pid)):
        if total >= target or (total and abs(total + sizes[paper] - target) > abs(total - target)):
            continue
        chosen.add(paper)
        total += sizes[paper]
    return chosen

"""Near-duplicate problems removed with MinHash (datasketch), within and across papers.

Two problems of the same type are near-duplicates when the Jaccard similarity of the character
shingles of their equation plus answer exceeds the threshold. The first in the given order
(papers sorted by id, problems in generation order) is kept; the permutations are seeded, so
the result does not depend on the machine or the process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from datasketch import MinHash, MinHashLSH

from wmbench.generate.background import norm
from wmbench.schema import Problem

SHINGLE = 5


@dataclass(frozen=True)
class DedupConfig:
    threshold: float = 0.85
    num_perm: int = 64
    seed: int = 1


def signature_text(problem: Problem) -> str:
    """What two problems must share to be duplicates: the type, the blanked equation, the answers."""
    answer = problem.correct_answer
    if problem.type == "MCQ" and problem.options:  # the same blank with other distractors is the same problem
        answer = problem.options.get(problem.correct_answer.strip(), "")
    return norm(f"{problem.type}|{problem.equation}|{answer}")


def dedup(problems: list[Problem], config: DedupConfig = DedupConfig()) -> tuple[list[Problem], list[tuple[str, str]]]:
    """(kept problems, [(removed id, id of the problem it duplicates)])."""
    indexes: dict[str, MinHashLSH] = {}
    kept: list[Problem] = []
    removed: list[tuple[str, str]] = []
    exact: dict[str, str] = {}
    for problem in problems:
        text = signature_text(problem)
        if text in exact:
            removed.append((problem.problem_id, exact[text]))
            continue
        signature = _minhash(text, config)
        if problem.type not in indexes:  # building an index solves for its bands: once per type
            indexes[problem.type] = MinHashLSH(threshold=config.threshold, num_perm=config.num_perm)
        lsh = indexes[problem.type]
        hits = sorted(lsh.query(signature))
        if hits:
            removed.append((problem.problem_id, hits[0]))
            continue
        lsh.insert(problem.problem_id, signature)
        exact[text] = problem.problem_id
        kept.append(problem)
    return kept, removed


def _minhash(text: str, config: DedupConfig) -> MinHash:
    signature = _empty(config.num_perm, config.seed).copy()
    grams = {text[i:i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}
    signature.update_batch([gram.encode("utf-8") for gram in sorted(grams)])
    return signature


@lru_cache(maxsize=4)
def _empty(num_perm: int, seed: int) -> MinHash:
    """An empty seeded MinHash, built once (its permutations are most of a MinHash's cost)."""
    return MinHash(num_perm=num_perm, seed=seed)

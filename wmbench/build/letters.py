"""MCQ answer letters balanced over A–D across the whole build, shuffled by the seed.

Per-paper generation puts the answer under ``A``. Here the MCQs, in problem-id order, are
visited in a seeded permutation and the k-th one visited gets letter ``A, B, C, D`` round-robin,
so each letter is the answer for ⌊n/4⌋ or ⌈n/4⌉ problems; the distractors keep their order in
the remaining letters.
"""

from __future__ import annotations

from wmbench.generate.masking import seeded_rng
from wmbench.prompt import render_prompt
from wmbench.schema import OPTION_LETTERS, Problem


def assign_letters(problems: list[Problem], seed: int) -> list[Problem]:
    """The problems with every MCQ's options reordered so letters are balanced; others unchanged."""
    mcq_ids = sorted(p.problem_id for p in problems if p.type == "MCQ")
    order = list(range(len(mcq_ids)))
    seeded_rng(seed, "letters").shuffle(order)
    letter_of = {mcq_ids[i]: OPTION_LETTERS[rank % len(OPTION_LETTERS)] for rank, i in enumerate(order)}
    return [_relabel(p, letter_of[p.problem_id]) if p.type == "MCQ" else p for p in problems]


def _relabel(problem: Problem, letter: str) -> Problem:
    options = problem.options or {}
    correct = options[problem.correct_answer.strip()]
    others = [v for k, v in options.items() if k != problem.correct_answer.strip()]
    texts = others[:OPTION_LETTERS.index(letter)] + [correct] + others[OPTION_LETTERS.index(letter):]
    moved = problem.replace(options=dict(zip(OPTION_LETTERS, texts)), correct_answer=letter)
    return moved.replace(prompt=render_prompt(moved))

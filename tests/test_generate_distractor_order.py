"""Order of MCQ distractor candidates: families take turns in a seeded order (varied distractors);
hopeless answers cost no check."""

from __future__ import annotations

import pytest
from fixtures_build import CASES

from wmbench.generate.distractors import (
    candidate_queue,
    make_distractors,
    perturbations,
)
from wmbench.verify import provably_different

# Answers whose candidates come from several perturbation families.
MIXED_ANSWERS = [
    "\\log_2\\left(1+\\gamma\\right)",
    "\\mathbf{h}_k^H \\mathbf{W} \\mathbf{x}",
    "p_k g_k + \\sigma^2",
    "\\frac{P}{N_0 B}",
    "|h|^2 P",
    "\\sqrt{P_s} x_s",
]
FEW_CANDIDATES = ["\\gamma_k^{\\mathrm{MRT}}", "x"]


@pytest.mark.parametrize("answer", MIXED_ANSWERS + CASES["mcq_answers"])
def test_queue_holds_every_perturbation_with_the_families_taking_turns(answer: str) -> None:
    queue = candidate_queue(answer, 0, "p-eq1-MCQ")
    assert sorted((c.family, c.latex) for c in queue) == sorted(perturbations(answer))
    families = list(dict.fromkeys(c.family for c in queue))
    assert [c.family for c in queue[:len(families)]] == families  # one of each family before any second
    assert queue == candidate_queue(answer, 0, "p-eq1-MCQ")


def test_queue_order_depends_on_the_seed() -> None:
    answer = CASES["mcq_answers"][1]
    first = candidate_queue(answer, 0, "x")
    assert any(candidate_queue(answer, s, "x") != first for s in range(1, 6))


@pytest.mark.parametrize("answer", CASES["mcq_answers"])
def test_distractors_are_the_first_proved_candidates_in_queue_order(answer: str) -> None:
    queue = [c.latex for c in candidate_queue(answer, 0, "p-eq1-MCQ")]
    chosen = make_distractors(answer, 0, "p-eq1-MCQ")
    proved = [text for text in queue if provably_different(answer, text)]
    assert chosen == proved[:3]


@pytest.mark.parametrize("answer", FEW_CANDIDATES)
def test_an_answer_with_too_few_candidates_gives_none(answer: str) -> None:
    assert len(candidate_queue(answer, 0, "x")) < 3
    assert make_distractors(answer, 0, "x") == []

"""Order of MCQ distractor candidates: the ones the verifier rejects by structure go first, so
few candidates need a math-verify call; the order is seeded; hopeless answers cost no check."""

from __future__ import annotations

import pytest
from fixtures_build import CASES

from wmbench.generate.distractors import (
    candidate_queue,
    make_distractors,
    perturbations,
)
from wmbench.verify import provably_different

# (answer, candidate, structural?): a changed symbol set, matrix order or logarithm is structural;
# a sign, an exponent, a swapped fraction or a root keeps the symbols and needs algebra.
STRUCTURAL_CASES = [
    ("\\log_2\\left(1+\\gamma\\right)", "\\log_{10}\\left(1+\\gamma\\right)", True),
    ("\\mathbf{H} \\mathbf{W}", "\\mathbf{W} \\mathbf{H}", True),
    ("h_k x_k + n_k", "h_j x_k + n_k", True),
    ("\\mathbf{h}_k^H \\mathbf{x}", "\\mathbf{h}_k^T \\mathbf{x}", True),
    ("p_k g_k + \\sigma^2", "p_k g_k", True),
    ("p_k g_k + \\sigma^2", "p_k g_k - \\sigma^2", False),
    ("\\frac{P}{N_0 B}", "\\frac{N_0 B}{P}", False),
    ("|h|^2 P", "|h|^3 P", False),
    ("\\sqrt{P_s} x_s", "(P_s) x_s", False),
]
FEW_CANDIDATES = ["\\gamma_k^{\\mathrm{MRT}}", "x"]


@pytest.mark.parametrize(("answer", "candidate", "structural"), STRUCTURAL_CASES)
def test_candidate_is_marked_structural_or_algebraic(answer: str, candidate: str, structural: bool) -> None:
    marked = {c.latex: c.structural for c in candidate_queue(answer, 0, "x")}
    assert marked[candidate] is structural


@pytest.mark.parametrize("answer", [c[0] for c in STRUCTURAL_CASES] + CASES["mcq_answers"])
def test_queue_holds_every_perturbation_structural_first(answer: str) -> None:
    queue = candidate_queue(answer, 0, "p-eq1-MCQ")
    assert sorted((c.family, c.latex) for c in queue) == sorted(perturbations(answer))
    flags = [c.structural for c in queue]
    assert flags == sorted(flags, reverse=True)
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

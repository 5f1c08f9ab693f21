"""MCQ distractors: each family's perturbation, verifier-proved non-equivalence, balanced letters."""

from __future__ import annotations

from collections import Counter

import pytest
from fixtures_build import CASES

from wmbench.build.letters import assign_letters
from wmbench.generate.distractors import make_distractors, perturbations
from wmbench.schema import OPTION_LETTERS, Problem
from wmbench.verify import provably_different


@pytest.mark.parametrize("case", CASES["perturbations"], ids=lambda c: f"{c['family']}:{c['answer']}")
def test_each_family_makes_its_perturbation(case: dict) -> None:
    assert (case["family"], case["expected"]) in perturbations(case["answer"])


@pytest.mark.parametrize("answer", CASES["mcq_answers"])
def test_distractors_are_proved_wrong_and_distinct(answer: str) -> None:
    distractors = make_distractors(answer, 0, "p-eq1-MCQ")
    assert len(distractors) == 3
    assert len({"".join(d.split()) for d in [answer, *distractors]}) == 4
    for d in distractors:
        assert provably_different(answer, d), d


def test_distractors_are_seeded() -> None:
    answer = CASES["mcq_answers"][1]
    assert make_distractors(answer, 0, "x") == make_distractors(answer, 0, "x")
    assert any(make_distractors(answer, s, "x") != make_distractors(answer, 0, "x") for s in range(1, 6))


def test_unparseable_answer_gives_no_distractors() -> None:
    assert make_distractors("\\frac{a}{", 0, "x") == []


def _mcq(i: int) -> Problem:
    options = dict(zip(OPTION_LETTERS, [f"$a_{i}$", f"$b_{i}$", f"$c_{i}$", f"$d_{i}$"]))
    return Problem(problem_id=f"p-eq{i}-MCQ", paper_id="p", type="MCQ", background="b", question_text="q",
                   equation="$$x = [MASK]$$", correct_answer="A", options=options)


@pytest.mark.parametrize("n", [1, 4, 7, 40, 41])
def test_letters_are_balanced_and_keep_the_answer(n: int) -> None:
    problems = [_mcq(i) for i in range(n)]
    lettered = assign_letters(problems, seed=3)
    counts = Counter(p.correct_answer for p in lettered)
    assert max(counts.values()) - min(counts.get(x, 0) for x in OPTION_LETTERS) <= 1
    for before, after in zip(problems, lettered):
        assert after.options[after.correct_answer] == before.options["A"]
        assert sorted(after.options.values()) == sorted(before.options.values())
        assert f"{after.correct_answer}: {before.options['A']}" in after.prompt


def test_letters_depend_on_the_seed() -> None:
    problems = [_mcq(i) for i in range(20)]
    first = [p.correct_answer for p in assign_letters(problems, seed=0)]
    assert first == [p.correct_answer for p in assign_letters(problems, seed=0)]
    assert first != [p.correct_answer for p in assign_letters(problems, seed=1)]


def test_no_root_is_put_on_a_bold_vector_or_matrix() -> None:
    """\\sqrt{\\mathbf{G}} is no slip anyone makes: a scalar first factor gets one, a bold one not."""
    roots = [text for family, text in perturbations("\\mathbf{G}\\mathbf{r} + p_k \\mathbf{d}") if family == "sqrt"]
    assert roots == ["\\mathbf{G}\\mathbf{r} + \\sqrt{p_k} \\mathbf{d}"]


# Options a solver rules out without the paper, or that are not definitely wrong: never offered.
NEVER_OFFERED = [
    # (answer, option that must not be a candidate)
    ("\\frac{p_k g_k}{\\sigma^2}", "-\\frac{p_k g_k}{\\sigma^2}"),  # the whole answer negated
    ("-\\frac{a}{b}", "+\\frac{a}{b}"),
    ("-\\frac{a}{b}", "\\frac{a}{b}"),
    ("\\mathbf{h}_k^H \\mathbf{w}_k", "-\\mathbf{h}_k^H \\mathbf{w}_k"),
    ("k, i", "-k, i"),  # a list: a minus before it is no slip
    ("\\sum_{k=1}^{K} a_k - \\lambda b", "-\\sum_{k=1}^{K} a_k - \\lambda b"),
    ("a + b", "-a + b"),
    ("\\log\\frac{a}{b}", "\\log"),  # a function left without its argument
    ("\\frac{1}{N} \\sum_{n=1}^{N} x_n", "\\frac{1}{N}"),  # a whole sum left out
    ("k, i", "k, \\sqrt{i}"),  # the root of an index
    ("\\log(1+\\gamma)", "\\ln(1+\\gamma)"),  # the paper's \log may be natural
    ("\\log(1+\\gamma)", "\\log_2(1+\\gamma)"),  # or binary
    ("\\log(1+\\gamma)", "\\log_{10}(1+\\gamma)"),
]


@pytest.mark.parametrize(("answer", "option"), NEVER_OFFERED)
def test_giveaway_and_ambiguous_options_are_never_offered(answer: str, option: str) -> None:
    offered = {"".join(text.split()) for _, text in perturbations(answer)}
    assert "".join(option.split()) not in offered


@pytest.mark.parametrize(
    ("answer", "candidate", "negated"),
    [
        ("x", "-x", True),
        ("a + b", "-(a + b)", True),
        ("a + b", "-\\left(a + b\\right)", True),
        ("-a b", "a b", True),
        ("a + b", "-a + b", True),  # a minus before the answer reads as its negation
        ("-a - b", "a - b", True),
        ("a + b", "a - b", False),  # a later term's sign: a plausible slip
        ("x", "x^{-1}", False),
    ],
)
def test_negates_tells_a_whole_answer_sign_flip(answer: str, candidate: str, negated: bool) -> None:
    from wmbench.generate.distractors import negates

    assert negates(answer, candidate) is negated


def test_a_sum_still_gets_sign_slips() -> None:
    families = {family for family, _ in perturbations("a + b - c")}
    assert "sign" in families


@pytest.mark.parametrize("answer", ["x^{2} + y_{12}", "\\mathbf{H}_{2}\\mathbf{w}", "\\log_{10} x"])
def test_numbers_in_scripts_are_no_coefficients(answer: str) -> None:
    assert not [text for family, text in perturbations(answer) if family == "coefficient"]

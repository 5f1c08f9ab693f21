"""Near-duplicate removal (MinHash) and the two recorded splits."""

from __future__ import annotations

from collections import Counter

import pytest

from wmbench.build.dedup import dedup
from wmbench.build.splits import REFERENCE_TEST_FRACTION, assign_splits
from wmbench.schema import PROBLEM_TYPES, Problem

LONG = "R_k = \\log_2\\left(1 + \\frac{|\\mathbf{h}_k^H \\mathbf{w}_k|^2}{\\sum_{j\\neq k} |\\mathbf{h}_k^H \\mathbf{w}_j|^2 + \\sigma^2}\\right)"


def _fill(pid: str, paper: str, equation: str, answer: str = "\\boxed{x}", ptype: str = "fill_blank_25") -> Problem:
    return Problem(problem_id=pid, paper_id=paper, type=ptype, background="b", question_text="q",
                   equation=f"$${equation}$$", correct_answer=answer)


def test_near_duplicates_within_and_across_papers_are_removed() -> None:
    problems = [
        _fill("a-1", "a", LONG.replace("\\sigma^2", "[MASK]"), "\\boxed{\\sigma^2}"),
        _fill("a-2", "a", LONG.replace("\\sigma^2", "[MASK]").replace(" + ", "+"), "\\boxed{\\sigma^2}"),  # spacing only
        _fill("b-1", "b", LONG.replace("\\sigma^2", "[MASK]").replace("\\mathbf{w}_j", "\\mathbf{v}_j"), "\\boxed{\\sigma^2}"),  # near copy
        _fill("b-2", "b", "y = h x + [MASK]", "\\boxed{n}"),
        _fill("b-3", "b", LONG.replace("\\sigma^2", "[MASK]"), "\\boxed{\\sigma^2}", ptype="fill_blank_50"),  # other type
    ]
    kept, removed = dedup(problems)
    assert [p.problem_id for p in kept] == ["a-1", "b-2", "b-3"]
    assert removed == [("a-2", "a-1"), ("b-1", "a-1")]


def test_distinct_problems_are_all_kept() -> None:
    problems = [_fill(f"p-{i}", "p", f"y_{{{i}}} = h_{{{i}}} x_{{{i}}} + [MASK]", f"\\boxed{{n_{{{i}}} + z_{i * 7}}}") for i in range(30)]
    kept, removed = dedup(problems)
    assert len(kept) == 30 and removed == []


def _corpus(n_papers: int = 12, per_type: int = 3) -> list[Problem]:
    return [_fill(f"P{p}-eq{i}-{t}", f"P{p}", f"y = [MASK] + {p} + {i}", ptype=t) if t != "MCQ" else
            Problem(problem_id=f"P{p}-eq{i}-MCQ", paper_id=f"P{p}", type="MCQ", background="b", question_text="q",
                    equation="$$y=[MASK]$$", correct_answer="A", options={"A": "$a$", "B": "$b$", "C": "$c$", "D": "$d$"})
            for p in range(n_papers) for i in range(per_type) for t in PROBLEM_TYPES]


def test_problem_split_is_stratified_by_type_with_the_reference_ratio() -> None:
    problems = assign_splits(_corpus(), seed=0)
    assert sum(p.split == "test" for p in problems) == round(len(problems) * REFERENCE_TEST_FRACTION)
    for ptype in PROBLEM_TYPES:
        of_type = [p for p in problems if p.type == ptype]
        n_test = sum(p.split == "test" for p in of_type)
        assert abs(n_test - len(of_type) * REFERENCE_TEST_FRACTION) < 1  # each type's share, rounded up or down


def test_a_small_build_still_has_test_problems() -> None:
    """Two problems of each type: rounding each type alone gave 0 test problems of 10."""
    corpus = _corpus()
    small = [p for ptype in PROBLEM_TYPES for p in [q for q in corpus if q.type == ptype][:2]]
    problems = assign_splits(small, seed=0)
    assert len(problems) == 10 and sum(p.split == "test" for p in problems) == 2


def test_paper_split_is_paper_disjoint_and_near_the_ratio() -> None:
    problems = assign_splits(_corpus(), seed=0)
    by_paper: dict[str, set[str]] = {}
    for p in problems:
        by_paper.setdefault(p.paper_id, set()).add(p.paper_split)
    assert all(len(s) == 1 for s in by_paper.values())
    share = Counter(p.paper_split for p in problems)["test"] / len(problems)
    assert abs(share - REFERENCE_TEST_FRACTION) <= 1 / 12


def test_splits_are_seeded() -> None:
    corpus = _corpus()
    first = [(p.split, p.paper_split) for p in assign_splits(corpus, seed=0)]
    assert first == [(p.split, p.paper_split) for p in assign_splits(corpus, seed=0)]
    assert first != [(p.split, p.paper_split) for p in assign_splits(corpus, seed=1)]


@pytest.mark.parametrize("fraction", [0.0, 0.5])
def test_other_fractions(fraction: float) -> None:
    problems = assign_splits(_corpus(), seed=0, test_fraction=fraction)
    assert sum(p.split == "test" for p in problems) == round(len(problems) * fraction)


def test_mcq_with_the_same_blank_but_other_distractors_is_a_duplicate() -> None:
    def mcq(pid: str, paper: str, wrong: str) -> Problem:
        return Problem(problem_id=pid, paper_id=paper, type="MCQ", background="b", question_text="q",
                       equation="$$y_k = [MASK]$$", correct_answer="A",
                       options={"A": "$h_k x + n_k$", "B": f"${wrong}$", "C": "$h_j x + n_k$", "D": "$h_k x$"})

    kept, removed = dedup([mcq("a-eq1-MCQ", "a", "h_k x - n_k"), mcq("b-eq1-MCQ", "b", "-h_k x + n_k")])
    assert [p.problem_id for p in kept] == ["a-eq1-MCQ"] and removed == [("b-eq1-MCQ", "a-eq1-MCQ")]


def test_cache_key_changes_with_inputs_seed_and_code(monkeypatch) -> None:
    from wmbench.build import cache

    base = cache.cache_key("abc", 0, "gen1")
    assert base == cache.cache_key("abc", 0, "gen1")
    assert len({base, cache.cache_key("abd", 0, "gen1"), cache.cache_key("abc", 1, "gen1"),
                cache.cache_key("abc", 0, "gen2")}) == 4
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "edited code")
    assert cache.cache_key("abc", 0, "gen1") != base


@pytest.mark.parametrize("edited", ["review/lints.py", "data/katex_commands.txt", "paper.py", "ingest/assemble.py"])
def test_code_fingerprint_covers_what_a_paper_result_depends_on(tmp_path, monkeypatch, edited: str) -> None:
    """A lint (a build gate), a data file or a top-level module edited: resumed papers are redone."""
    from wmbench.build import cache

    for name in ("build/cache.py", "review/lints.py", "data/katex_commands.txt", "paper.py", "ingest/assemble.py"):
        (tmp_path / "wmbench" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "wmbench" / name).write_text("v1\n", encoding="utf-8")
    monkeypatch.setattr(cache, "__file__", str(tmp_path / "wmbench" / "build" / "cache.py"))
    cache.code_fingerprint.cache_clear()
    before = cache.code_fingerprint()
    (tmp_path / "wmbench" / edited).write_text("v2\n", encoding="utf-8")
    cache.code_fingerprint.cache_clear()
    try:
        assert cache.code_fingerprint() != before
    finally:
        cache.code_fingerprint.cache_clear()

"""All five problem types from one selected equation.

Fill-in types hide the masks chosen by :mod:`masking`; ``fill_blank_100`` hides the whole
equation; the MCQ hides one large sub-expression (a side or a big term) and offers it among three
distractors. MCQ options come out with the answer under ``A``: the build assigns the final
letters across the whole benchmark (:func:`wmbench.build.letters.assign_letters`).
"""

from __future__ import annotations

import re

from wmbench import __version__
from wmbench.generate.background import BackgroundWriter, PaperScene
from wmbench.generate.distractors import make_distractors
from wmbench.generate.latex_tree import Span, Tree, count_tokens, parse
from wmbench.generate.masking import Masking, apply_masks, choose_masks, full_mask
from wmbench.generate.questions import Naming, full_question_possible, question_text
from wmbench.paper import Equation, Paper
from wmbench.prompt import render_prompt
from wmbench.schema import OPTION_LETTERS, PROBLEM_TYPES, Problem

GENERATOR_VERSION = f"wmbench-{__version__}+gen2"  # bump when generation changes what a build holds
_NUMBER = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")
_BELOW = re.compile(r"<|\\(?:le|leq|leqslant)\b")  # x <= ...: the right-hand side bounds x from above
_ABOVE = re.compile(r">|\\(?:ge|geq|geqslant)\b")
_DEFINING = re.compile(r"=|\\(?:approx|triangleq|coloneqq|equiv|simeq)\b")  # relations that give a value
MCQ_MIN_TOKENS = 3


def equation_problems(paper: Paper, index: int, equation: Equation, latex: str, topic: str,
                      seed: int, scene: PaperScene | None = None) -> tuple[list[Problem], dict[str, str]]:
    """Problems of every type the equation allows, and the reason for each type it does not.
    ``topic`` only classifies the problems (by-topic breakdowns); ``scene`` is what every
    background of the paper draws on (read from ``paper`` when not given)."""
    tree = parse(latex)
    key = (seed, paper.paper_id, index)
    maskings = choose_masks(tree, *key)
    maskings["fill_blank_100"] = full_mask(latex)
    skipped = {t: "no mask set close enough to the target ratio" for t in ("fill_blank_25", "fill_blank_50", "fill_blank_75")
               if t not in maskings}
    writer = BackgroundWriter(paper, equation, latex, scene)
    problems = [_fill_problem(paper, index, equation, latex, topic, t, maskings[t], seed, tree, writer)
                for t in PROBLEM_TYPES if t in maskings]
    problems = [p for p in problems if p is not None]
    if not any(p.type == "fill_blank_100" for p in problems):
        skipped["fill_blank_100"] = "nothing tells the solver which equation to write (no name, no defined symbol)"
    mcq = _mcq_problem(paper, index, equation, latex, topic, seed, tree, writer)
    if mcq is None:
        skipped["MCQ"] = "fewer than three distractors proved non-equivalent"
    else:
        problems.insert(0, mcq)
    return problems, skipped


def problem_id(paper_id: str, index: int, ptype: str) -> str:
    return f"{paper_id}-eq{index}-{ptype}"


def _first_side(tree: Tree) -> tuple[str, str] | None:
    """The left-hand side, when short (at most 8 tokens) and no number, and the relation after it."""
    if len(tree.sides) < 2:
        return None
    side, relation = tree.text(tree.sides[0]).strip(), tree.latex[tree.sides[0].end:tree.sides[1].start]
    return None if count_tokens(side) > 8 or _NUMBER.match(side) else (side, relation)


def _lhs(tree: Tree) -> str | None:
    """The left-hand side an equation defines (``\\gamma_k`` of ``\\gamma_k = ...``), or None (an
    inequality defines nothing: ``p_k \\le P`` gives no value of ``p_k``)."""
    first = _first_side(tree)
    return first[0] if first and _DEFINING.search(first[1]) else None


def _subject(tree: Tree, writer: BackgroundWriter, hidden: tuple[str, ...]) -> str | None:
    """What the equation gives, in the paper's words: its left-hand side ("the SINR of user $k$"),
    or a bound on it for a one-sided inequality ("an upper bound on the ergodic rate"); else None."""
    first = _first_side(tree)
    if first is None:
        return None
    side, relation = first
    if _DEFINING.search(relation):
        return writer.subject(side, hidden)
    bound = "an upper" if _BELOW.search(relation) else "a lower" if _ABOVE.search(relation) else None
    quantity = writer.subject(side, hidden) if bound and len(tree.sides) == 2 else None
    return f"{bound} bound on {quantity}" if quantity else None


def _naming(tree: Tree, writer: BackgroundWriter, masking: Masking, full: bool = False) -> Naming:
    """How the question may name the equation: the paper's words for its left-hand side, else the
    left-hand side itself when the problem shows it (or asks for it whole), and the section."""
    first = _first_side(tree)
    lhs = first[0] if first else None
    shown = full or (lhs is not None and masking.masked.lstrip().startswith(lhs.strip()))
    section = " ".join((writer.equation.section or "").split()) or None
    return Naming(_subject(tree, writer, masking.answers), (_lhs(tree) if full else lhs) if shown else None, section)


def _named(tree: Tree, naming: Naming) -> tuple[str, str] | None:
    """(left-hand side, the paper's words for it) when the question names the equation by them, so
    the background says what the question calls it."""
    first = _first_side(tree)
    return (first[0], naming.subject) if first and naming.subject and _DEFINING.search(first[1]) else None


def _fill_problem(paper: Paper, index: int, equation: Equation, latex: str, topic: str, ptype: str,
                  masking: Masking, seed: int, tree: Tree, writer: BackgroundWriter) -> Problem | None:
    pid = problem_id(paper.paper_id, index, ptype)
    naming = _naming(tree, writer, masking, full=ptype == "fill_blank_100")
    background = writer.write(masking.answers, _named(tree, naming))
    if ptype == "fill_blank_100" and not full_question_possible(naming, bool(background.defined)):
        return None
    question = question_text(ptype, len(masking.answers), seed, pid, naming=naming)
    return _problem(paper, equation, pid, ptype, background, question, masking.masked, masking.boxed,
                    None, latex, masking.ratio, topic)


def _mcq_problem(paper: Paper, index: int, equation: Equation, latex: str, topic: str, seed: int,
                 tree: Tree, writer: BackgroundWriter) -> Problem | None:
    pid = problem_id(paper.paper_id, index, "MCQ")
    for span in _mcq_spans(tree)[:3]:
        answer = tree.text(span)
        distractors = make_distractors(answer, seed, pid, context=latex)
        if len(distractors) < 3:
            continue
        masking = apply_masks(latex, [span])
        naming = _naming(tree, writer, masking)
        background = writer.write(masking.answers, _named(tree, naming))
        question = question_text("MCQ", 1, seed, pid, naming=naming)
        options = dict(zip(OPTION_LETTERS, [f"${t}$" for t in (answer, *distractors)]))
        return _problem(paper, equation, pid, "MCQ", background, question, masking.masked, "A", options,
                        latex, masking.ratio, topic)
    return None


def _mcq_spans(tree: Tree) -> list[Span]:
    """The sub-expression an MCQ asks for: the right-hand side first, then the largest pieces."""
    total = max(1, tree.n_tokens)
    usable = [s for s in tree.spans if MCQ_MIN_TOKENS <= count_tokens(tree.text(s)) < total]
    sides = [s for s in usable if s.kind == "side"][::-1]
    rest = sorted((s for s in usable if s.kind != "side"), key=lambda s: (-count_tokens(tree.text(s)), s.start))
    return sides + rest


def _problem(paper: Paper, equation: Equation, pid: str, ptype: str, background, question: str,
             masked: str, answer: str, options: dict[str, str] | None, latex: str, ratio: float,
             topic: str) -> Problem:
    problem = Problem(
        problem_id=pid, paper_id=paper.paper_id, type=ptype, background=background.text,
        question_text=question, equation=f"$${masked}$$", correct_answer=answer, options=options,
        paper_title=paper.title or None, source_kind=equation.source, equation_number=equation.number,
        equation_label=equation.label, page=equation.page, license=paper.license,
        generator_version=GENERATOR_VERSION,
        extra={"source_equation": f"$${latex}$$", "undefined_symbols": list(background.undefined),
               "mask_ratio": round(ratio, 3), "topic": topic},
    )
    return problem.replace(prompt=render_prompt(problem))

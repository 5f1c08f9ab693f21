"""Quality gates: each a function of one problem returning the reason it fails, or None.

A problem enters the benchmark only if every gate returns None. The build runs them on every
problem and counts failures by reason; tests re-run them on the written output. The lints of
:mod:`wmbench.review.lints` marked ``gate`` run here too (:data:`LINT_GATES`), each failure
counted under the lint's name and title.
"""

from __future__ import annotations

from collections.abc import Callable

from wmbench.generate.background import equation_symbols, leaks, norm
from wmbench.generate.masking import fill_back
from wmbench.review.lints import LINTS, Lint
from wmbench.schema import Problem

MAX_BACKGROUND_CHARS = 3000
MAX_QUESTION_CHARS = 400
MAX_ANSWER_CHARS = 600
MIN_BACKGROUND_CHARS = 20


def answers(problem: Problem) -> tuple[str, ...]:
    """The answer expressions: the correct option's LaTeX for MCQ, the boxed parts otherwise."""
    from wmbench.verify import extract_boxed

    if problem.type == "MCQ":
        option = (problem.options or {}).get(problem.correct_answer.strip(), "")
        return (option.strip().removeprefix("$").removesuffix("$"),)
    return tuple(extract_boxed(problem.correct_answer))


def round_trip(problem: Problem) -> str | None:
    source = problem.extra.get("source_equation")
    if not isinstance(source, str):
        return "no source equation recorded"
    try:
        if fill_back(problem.equation, answers(problem)) != source:
            return "answers do not fill back to the source equation"
    except Exception:
        return "blank count differs from answer count"
    return None


def verifier_accepts(problem: Problem) -> str | None:
    from wmbench.verify import verify_problem

    response = f"\\boxed{{{problem.correct_answer}}}" if problem.type == "MCQ" else problem.correct_answer
    verdict = verify_problem(response, problem)
    return None if verdict.correct else f"verifier rejects the reference answer ({verdict.reason})"


def distractors_valid(problem: Problem) -> str | None:
    if problem.type != "MCQ":
        return None
    from wmbench.verify import BUILD_CONFIG, provably_different

    options = {k: v.strip().removeprefix("$").removesuffix("$") for k, v in (problem.options or {}).items()}
    correct = options.get(problem.correct_answer.strip())
    if correct is None:
        return "correct letter names no option"
    if len({norm(v) for v in options.values()}) < len(options):
        return "options are not distinct"
    context = problem.extra.get("source_equation", "")
    for letter, text in options.items():
        if letter != problem.correct_answer.strip() and not provably_different(
            correct, text, context=context, config=BUILD_CONFIG
        ):
            return f"distractor {letter} is not proved different from the answer"
    return None


def no_leakage(problem: Problem) -> str | None:
    text = f"{problem.background} {problem.question_text}"
    defined = {norm(s) for s in _symbols(problem)}
    for answer in answers(problem):
        if leaks(answer, text, defined):
            return "background or question shows a masked answer verbatim"
    return None


def length_bounds(problem: Problem) -> str | None:
    if not MIN_BACKGROUND_CHARS <= len(problem.background) <= MAX_BACKGROUND_CHARS:
        return "background length out of bounds"
    if not 10 <= len(problem.question_text) <= MAX_QUESTION_CHARS:
        return "question length out of bounds"
    if any(not a.strip() or len(a) > MAX_ANSWER_CHARS for a in answers(problem)):
        return "answer empty or too long"
    return None


def symbols_defined_or_flagged(problem: Problem) -> str | None:
    flagged = {norm(s) for s in problem.extra.get("undefined_symbols", [])}
    shown = norm(problem.background)
    missing = [s for s in _symbols(problem)
               if norm(s) not in flagged and norm(s) not in shown and "$" + norm(s).split("_", 1)[0] not in shown]
    return f"symbol {missing[0]} neither defined nor flagged" if missing else None


def _symbols(problem: Problem) -> tuple[str, ...]:
    source = str(problem.extra.get("source_equation", "")).strip("$")
    try:
        return equation_symbols(source)
    except Exception:
        return ()


def _lint_gate(lint: Lint) -> Callable[[Problem], str | None]:
    """A lint as a gate: its title is the reason, so failures count under one key per lint."""
    def gate(problem: Problem) -> str | None:
        return lint.title if lint.check(problem) else None

    return gate


LINT_GATES: tuple[tuple[str, Callable[[Problem], str | None]], ...] = tuple(
    (lint.name, _lint_gate(lint)) for lint in LINTS if lint.gate)
GATES: tuple[tuple[str, Callable[[Problem], str | None]], ...] = (
    ("round_trip", round_trip),
    ("length_bounds", length_bounds),
    ("no_leakage", no_leakage),
    ("symbols_defined_or_flagged", symbols_defined_or_flagged),
    ("distractors_valid", distractors_valid),
    *LINT_GATES,  # after the gates they overlap (duplicate options): a failure counts under the older gate
    ("verifier_accepts", verifier_accepts),
)
TEXT_GATES = ("length_bounds", "no_leakage", "symbols_defined_or_flagged", *(name for name, _ in LINT_GATES))
# Every gate but the lints: a build that measures what the lints would catch (BuildConfig.lint_gates=False).
GATES_WITHOUT_LINTS = tuple(name for name, _ in GATES if name not in dict(LINT_GATES))


def first_failure(problem: Problem, names: tuple[str, ...] | None = None) -> str | None:
    """``"gate: reason"`` for the first gate the problem fails, or None if it passes them all."""
    for name, gate in GATES:
        if names is not None and name not in names:
            continue
        reason = gate(problem)
        if reason:
            return f"{name}: {reason}"
    return None

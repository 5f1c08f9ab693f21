"""Quality gates: each a function of one problem returning the reason it fails, or None.

A problem enters the benchmark only if every gate returns None. The build runs them on every
problem and counts failures by reason; tests re-run them on the written output. The lints of
:mod:`wmbench.review.lints` marked ``gate`` run here too (:data:`LINT_GATES`), each failure
counted under the lint's name and title.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from wmbench.errors import GenerationError
from wmbench.generate.background import equation_symbols, leaks, norm
from wmbench.generate.latex_tree import parse
from wmbench.generate.masking import fill_back, is_notation
from wmbench.review.lints import LINTS, Lint, undefined_list
from wmbench.schema import Problem


@dataclass(frozen=True)
class GateConfig:
    """Knobs of the gates. ``max_undefined``: how many symbols of the equation a background may
    leave undefined (0, strict: a solver cannot know what an undefined symbol is, and a demanding
    reviewer rejects such a problem; a looser build trades that for more problems)."""

    max_undefined: int = 0

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


def solvable(problem: Problem, config: GateConfig = GateConfig()) -> str | None:
    """A solver can answer from the background and question alone: at most ``max_undefined``
    symbols of the source equation (those the question shows and those the answer needs) are
    left undefined. Bound indices, constants and standard objects need no definition (see
    :func:`~wmbench.generate.background.equation_symbols`); the list is the ``undefined symbols``
    lint's."""
    missing = undefined_list(problem)
    if len(missing) > config.max_undefined:
        return "the background leaves symbols undefined" + (f" (more than {config.max_undefined})" if config.max_undefined else "")
    return None


# The sentence a background falls back to when the paper gives no scenario (BackgroundWriter._scenario).
_NO_SCENARIO = re.compile(r"The equation comes from (?:the paper \"[^\"]*\"|a wireless communications paper)\.")


def has_background(problem: Problem) -> str | None:
    """The background says something beyond the paper's title: a scenario or a definition."""
    rest = _NO_SCENARIO.sub(" ", problem.background).strip()
    return None if len(rest) >= MIN_BACKGROUND_CHARS else "no background: nothing beyond the paper's title"


def blanks_are_maths(problem: Problem) -> str | None:
    """No blank is notation: a whole side of a relation that is one symbol with its labels, or a
    label superscript (:func:`~wmbench.generate.masking.is_notation`). Which letter or index a
    paper chose is not something a solver can deduce."""
    if problem.type == "fill_blank_100":
        return None
    source = str(problem.extra.get("source_equation", "")).strip().strip("$").strip()
    try:
        tree = parse(source)
    except GenerationError:
        return None  # the round trip and the parse lint speak for an unreadable equation
    names = {norm(tree.text(span)) for span in tree.spans if is_notation(tree, span)}
    hit = next((a for a in answers(problem) if norm(a) in names), None)
    return "a blank is notation (a name or a label superscript)" if hit is not None else None


# A name written as text in maths (\text{ival}, \textsf{start}, \mathrm{clust}); one level of nesting.
_TEXT_GROUP = re.compile(r"\\(?:text\w*|math(?:rm|sf|it|tt)|operatorname)\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_NAME_WORD = re.compile(r"(?<!\\)\b[A-Za-z]{2,}\b")
# Words of text groups that name nothing a solver must guess.
_PLAIN_WORDS = frozenset("and or if for with where otherwise else subject to st min max sum log exp dB Hz bps".lower().split())


def names_shown(problem: Problem) -> str | None:
    """Every word of a text name the answer needs (``\\text{ival}_i``) appears in what the solver
    sees (background, question, equation): a name nothing shows cannot be written. MCQ options
    show their names."""
    if problem.type == "MCQ":
        return None
    seen = f"{problem.background} {problem.question_text} {problem.equation}".lower()
    for answer in answers(problem):
        for group in _TEXT_GROUP.findall(answer):
            for word in _NAME_WORD.findall(re.sub(r"\\[A-Za-z]+", " ", group)):
                if word.lower() not in _PLAIN_WORDS and word.lower() not in seen:
                    return "the answer needs a name that nothing the solver sees shows"
    return None


# A transpose, Hermitian or conjugate mark: ^T, ^{H}, ^*, ^\top, ^\dagger, ^{\mathsf{H}}...
_MARK = r"(?:T|H|\*|\\top|\\dagger|\\ast|\\intercal|\\(?:mathsf|mathrm)\{[TH]\})"
_MARK_SCRIPT = re.compile(rf"\^\s*(?:\{{\s*{_MARK}\s*\}}|{_MARK})")


def marks_decidable(problem: Problem) -> str | None:
    """An MCQ whose options differ from the answer only by a transpose, Hermitian or conjugate
    mark is a guess unless the background gives the marked symbols' dimension or field
    (``\\mathbf{h} \\in \\mathbb{C}^{N}``, "of size"): only then does one mark follow."""
    if problem.type != "MCQ":
        return None
    options = {k: v.strip().removeprefix("$").removesuffix("$") for k, v in (problem.options or {}).items()}
    correct = options.get(problem.correct_answer.strip(), "")
    unmarked = norm(_MARK_SCRIPT.sub("", correct))
    shown = norm(problem.background)
    for option in options.values():
        if option == correct or norm(_MARK_SCRIPT.sub("", option)) != unmarked:
            continue
        for symbol in _marked_symbols(correct) | _marked_symbols(option):
            if f"{symbol}\\in" not in shown and f"{symbol}$(ofsize" not in shown:
                return "options differ only by a transpose/Hermitian mark of a symbol whose dimension the background does not give"
    return None


def _marked_symbols(latex: str) -> set[str]:
    """The symbols a mark applies to (all of them when one marks a bracket), normalised."""
    try:
        syms = [norm(s) for s in equation_symbols(latex)]
    except Exception:  # noqa: BLE001 - an option the symbol reader cannot parse marks nothing it knows
        return set()
    text = norm(latex)
    out = set()
    for match in _MARK_SCRIPT.finditer(text):
        before = text[: match.start()]
        if before.endswith((")", "]", "\\}", "|")):
            return set(syms)
        out |= {s for s in syms if before.endswith(s) or before.endswith(s.split("_", 1)[0])}
    return out


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


# The gates that judge whether a solver can answer from the background and question alone.
SOLVABILITY_GATES = ("has_background", "solvable", "blanks_are_maths", "names_shown", "marks_decidable")
LINT_GATES: tuple[tuple[str, Callable[[Problem], str | None]], ...] = tuple(
    (lint.name, _lint_gate(lint)) for lint in LINTS if lint.gate)
GATES: tuple[tuple[str, Callable[[Problem], str | None]], ...] = (
    ("round_trip", round_trip),
    ("length_bounds", length_bounds),
    ("no_leakage", no_leakage),
    ("symbols_defined_or_flagged", symbols_defined_or_flagged),
    ("distractors_valid", distractors_valid),
    *LINT_GATES,  # after the gates they overlap (duplicate options): a failure counts under the older gate
    # after the lints: a problem that no renderer shows counts under the lint, not as unsolvable
    ("has_background", has_background),
    ("solvable", solvable),
    ("blanks_are_maths", blanks_are_maths),
    ("names_shown", names_shown),
    ("marks_decidable", marks_decidable),
    ("verifier_accepts", verifier_accepts),
)
TEXT_GATES = ("length_bounds", "no_leakage", "symbols_defined_or_flagged", "has_background", "solvable",
              "blanks_are_maths", "names_shown", "marks_decidable", *(name for name, _ in LINT_GATES))
# Gates that take the build's GateConfig as well as the problem.
_CONFIGURED = frozenset({"solvable"})
# Every gate but the lints and the solvability gates (the undefined-symbols lint's gate among
# them): a build that measures what they would catch (BuildConfig.lint_gates=False).
GATES_WITHOUT_LINTS = tuple(name for name, _ in GATES if name not in dict(LINT_GATES) and name not in SOLVABILITY_GATES)


def first_failure(problem: Problem, names: tuple[str, ...] | None = None,
                  config: GateConfig = GateConfig()) -> str | None:
    """``"gate: reason"`` for the first gate the problem fails, or None if it passes them all."""
    for name, gate in GATES:
        if names is not None and name not in names:
            continue
        reason = gate(problem, config) if name in _CONFIGURED else gate(problem)
        if reason:
            return f"{name}: {reason}"
    return None

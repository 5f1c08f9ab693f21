"""Verdicts: a model response against a problem (MCQ letter or k blanks) or a general maths answer.

Never raises and bounds its time: every comparison that needs algebra runs in a worker process
with a deadline (:mod:`wmbench.verify.timeout`), and a response stops being graded once its
budget is spent (reason ``timeout``).
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from wmbench.schema import MASK, Problem
from wmbench.verify import timeout
from wmbench.verify.compare import (
    _compare,
    _matrix_symbols,
    compare,
    compare_outcome,
    matrix_symbols,
    strict_convention,
    too_costly,
)
from wmbench.verify.extract import (
    MAX_ANSWER_CHARS,
    boxed_letter,
    extract_boxed,
    split_list,
    stated_answer,
    stated_letters,
    strip_think,
)
from wmbench.verify.judge import ask_judge, current_judge
from wmbench.verify.normalize import canonical_key, parse_latex, written_number


@dataclass(frozen=True)
class Verdict:
    """The grade of one response; ``reason`` is a short machine-friendly string."""

    correct: bool
    reason: str
    extracted: tuple[str, ...] = ()
    gold: tuple[str, ...] = ()
    per_blank: tuple[bool, ...] = ()
    judge: bool = False

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able mapping (tuples become lists)."""
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}


@dataclass(frozen=True)
class VerifyConfig:
    """Time limits: per math-verify call, and per response in total (seconds).

    ``call_timeout=None`` never asks math-verify: pairs are decided by structure and by their
    values at sample points only, and the rest stay undecided.
    """

    call_timeout: float | None = 3.0
    response_budget: float = 10.0


DEFAULT_CONFIG = VerifyConfig()
# For building problems: a proof that a distractor differs must not depend on how loaded the
# machine is, so the build does without math-verify's deadlines (and its process) altogether.
BUILD_CONFIG = VerifyConfig(call_timeout=None, response_budget=120.0)


def gold_answers(problem: Problem) -> tuple[str, ...]:
    """The reference answers: the option letter, or every ``\\boxed{}`` of ``correct_answer``.

    Boxes are taken by the same rule on both sides: a response's last boxes, as many as the gold has.
    """
    if problem.type == "MCQ":
        return (problem.correct_answer.strip(),)
    return tuple(extract_boxed(problem.correct_answer))


def verify_problem(response: str, problem: Problem, *, config: VerifyConfig = DEFAULT_CONFIG) -> Verdict:
    """Grade a response to a benchmark problem; never raises."""
    try:
        text = strip_think(response if isinstance(response, str) else str(response))
        if problem.type == "MCQ":
            return _verify_mcq(text, problem)
        with timeout.response_deadline(config.response_budget):
            return _verify_blanks(text, problem, config)
    except Exception as exc:
        return Verdict(False, f"error:{type(exc).__name__}", gold=_safe_gold(problem))


def verify_math(response: str, gold: str, *, config: VerifyConfig = DEFAULT_CONFIG) -> Verdict:
    """General maths (MATH-500, AIME, ...): a response against the reference ``gold``; never raises.

    wmbench's rules first: the response's boxes (else its last final-answer statement, "The
    final answer is X", "Answer: X") against the gold's boxes (else the gold itself), taken by
    the same rule; several answers on either side are compared as a set
    (:func:`_compare_answers`). What they do not find equal goes to math-verify's own
    parse-and-verify of the whole response with its default extraction (in a worker, under the
    deadline), so nothing math-verify gets right is lost; wmbench overrules its "equal" only on
    the conventions of :func:`~wmbench.verify.compare.strict_convention` and on hedges
    ("$5$ or $6$").
    """
    try:
        with timeout.response_deadline(config.response_budget):
            return _verify_math(strip_think(str(response)), str(gold), config)
    except Exception as exc:
        return Verdict(False, f"error:{type(exc).__name__}")


def _verify_math(text: str, gold: str, config: VerifyConfig) -> Verdict:
    references = tuple(extract_boxed(gold)) or (gold.strip().strip("$").strip(),)
    found = extract_boxed(text)
    stated = None if found else stated_answer(text)
    answers = tuple(found) if found else (stated,) if stated else ()
    outcome = _compare_answers(references, answers, config) if answers else "undecided"
    if outcome == "equal":
        return Verdict(True, "match", answers, references, (True,))
    hedged = stated is not None and _HEDGED.search(stated) is not None
    # math-verify reads the boxes alone when there are any (it would extract them from the whole
    # text anyway, at the cost of scanning kilobytes of reasoning), else the whole response
    shown = ", ".join(f"\\boxed{{{box}}}" for box in found) if found else text
    general, extracted = _full_math_verify(gold, shown, config.call_timeout) if not hedged else (None, None)
    if general is True and not _overruled(references, extracted, config):
        return Verdict(True, "match", (extracted or "",), references, (True,))
    if not answers:
        return Verdict(False, "no_answer" if general is None else "wrong", gold=references)
    reference = ", ".join(references)
    if outcome == "different" or general is not None or len(split_list(reference)) > 1:
        return Verdict(False, "wrong", answers, references, (False,))
    decided, judged, timed_out = _decide(reference, answers[-1], frozenset(), "", config)
    reason = "match" if decided else "timeout" if timed_out else _miss_reason(decided, "wrong")
    return Verdict(bool(decided), reason, answers, references, (bool(decided),), judged)


_HEDGED = re.compile(r"\$.*\$|\b(?:or|and)\b")  # a statement that names several answers


def _compare_answers(references: tuple[str, ...], answers: tuple[str, ...], config: VerifyConfig) -> str:
    """The response's answers against the gold's.

    A gold with one answer takes the response's last box (a box corrects the ones before it).
    A gold with several (boxes, or a top-level comma list) is a set: the response's boxes,
    or the items of its one box, must match them one for one, in any order.
    """
    percent = _percent_readings(", ".join(references), answers[-1])
    if percent is not None and len(answers) == 1:
        outcomes = [compare_outcome(ref, ans, frozenset(), config.call_timeout) for ref, ans in percent]
        return "equal" if "equal" in outcomes else "different" if all(o == "different" for o in outcomes) else "undecided"
    numbers = written_number(", ".join(references)), written_number(answers[-1])
    if len(answers) == 1 and None not in numbers and (len(references) == 1 or "," not in answers[-1]):
        return "equal" if numbers[0] == numbers[1] else "different"
    wanted = [item for ref in references for item in split_list(ref)]
    if len(wanted) <= 1:
        return compare_outcome(", ".join(references), answers[-1], frozenset(), config.call_timeout)
    given = [item for answer in answers for item in split_list(answer)]
    if len(given) != len(wanted):
        return "different"
    unmatched = list(given)
    for ref in wanted:
        match = next((a for a in unmatched if compare_outcome(ref, a, frozenset(), config.call_timeout) == "equal"), None)
        if match is None:
            return "different"
        unmatched.remove(match)
    return "equal"


_PERCENT = re.compile(r"\s*(?:\\%|%|\\text\s*\{\s*\\?%\s*\}|\\?\s*(?:pct|percent)\b)\s*\.?$")


def _percent_readings(reference: str, answer: str) -> list[tuple[str, str]] | None:
    """A percentage on one side or both: ``x%`` matches the gold ``x`` or ``x/100`` (None: no percentage)."""
    ref, ans = _PERCENT.sub("", reference), _PERCENT.sub("", answer)
    if ref == reference and ans == answer:
        return None
    readings = [(ref, ans)]
    if ans != answer and ref == reference:
        readings.append((ref, f"\\frac{{{ans}}}{{100}}"))
    if ref != reference and ans == answer:
        readings.append((f"\\frac{{{ref}}}{{100}}", ans))
    return readings


def _full_math_verify(gold: str, text: str, call_timeout: float | None) -> tuple[bool | None, str | None]:
    if max(len(gold), len(text)) > _MAX_FULL_CHARS:
        return None, None
    if any(too_costly(box) for box in extract_boxed(text) + extract_boxed(gold)):
        return None, None  # sympy would compute the tower exactly, until the deadline
    return _full_cached(gold, text, call_timeout)


_MAX_FULL_CHARS = 100_000  # math-verify's regexes on longer responses cost more than they find


@lru_cache(maxsize=1 << 12)
def _full_cached(gold: str, text: str, call_timeout: float | None) -> tuple[bool | None, str | None]:
    return timeout.math_verify_response(gold, text, call_timeout)


def _overruled(references: tuple[str, ...], extracted: str | None, config: VerifyConfig) -> bool:
    """wmbench's rules prove math-verify's "equal" wrong: a strict convention decides the pair different."""
    if extracted is None or not strict_convention(", ".join(references), extracted):
        return False
    return _compare_answers(references, (extracted,), config) == "different"


def equivalent(gold: str, candidate: str, *, context: str = "", config: VerifyConfig = DEFAULT_CONFIG) -> bool:
    """Whether two LaTeX expressions are the same answer (wireless-aware; context names matrices)."""
    return _decision(gold, candidate, context, config) is True


def provably_different(gold: str, candidate: str, *, context: str = "", config: VerifyConfig = DEFAULT_CONFIG) -> bool:
    """Whether the verifier decides that two expressions differ: an undecided pair or a timeout is no proof.

    MCQ distractors must pass this, not merely fail :func:`equivalent`.
    """
    return _decision(gold, candidate, context, config) is False


def _decision(gold: str, candidate: str, context: str, config: VerifyConfig) -> bool | None:
    try:
        decided, _, _ = _decide(gold, candidate, matrix_symbols(context), context, config)
    except Exception:
        return None
    return decided


def clear_caches() -> None:
    """Forget every cached key and verdict (benchmarks measure fresh pairs)."""
    canonical_key.cache_clear()
    parse_latex.cache_clear()
    _compare.cache_clear()
    _matrix_symbols.cache_clear()
    _full_cached.cache_clear()


def _verify_blanks(text: str, problem: Problem, config: VerifyConfig) -> Verdict:
    """The response's last boxes, as many as the gold's, blank by blank.

    When the gold's box count and the equation's ``[MASK]`` count disagree, a response is right
    when it matches the gold box for box, or one box per ``[MASK]`` (the gold's first ones, as
    the prompt asks), or, for a gold of one box (``[MASK] = [MASK]`` with the gold ``a = b``),
    as the equation it completes (:func:`_joined`).
    """
    gold = gold_answers(problem)
    boxes = extract_boxed(text)
    if not boxes:
        return Verdict(False, "no_answer", gold=gold)
    matrices = matrix_symbols(problem.background)
    verdict = _grade_boxes(gold, tuple(boxes), problem, matrices, config)
    blanks = problem.n_blanks
    if verdict.correct:
        return verdict
    if len(gold) > blanks:  # the prompt asks for one box per [MASK]: the gold's first ones
        return _grade_boxes(gold[:blanks], tuple(boxes), problem, matrices, config)
    if len(gold) != 1 or len(boxes) == 1:
        return verdict
    for joined in _joined_readings(problem.equation, gold[0], boxes):
        decided, judged, _ = _decide(gold[0], joined, matrices, problem.background, config)
        if decided:
            return Verdict(True, "match", (joined,), gold, (True,), judged)
    return verdict


def _joined_readings(equation: str, gold: str, boxes: list[str]) -> list[str]:
    """Several boxes read as the one answer a single gold box holds.

    The equation from its first ``[MASK]`` to its last with the boxes filled in (one gold box for
    ``[MASK] = [MASK]``), and a gold chain ``a = b = c`` boxed in parts (``a``, ``b``, ``c``, or
    ``a = b``, ``b = c``).
    """
    readings = []
    blanks = equation.count(MASK)
    if 1 < blanks <= len(boxes):
        filled = _joined(equation, boxes[-blanks:])
        readings += [filled] if filled is not None else []
    sides = _top_level_split(gold, "=")
    if len(sides) >= 3 and len(boxes) >= len(sides):
        readings.append(" = ".join(boxes[-len(sides):]))
    if len(sides) >= 3 and len(boxes) >= len(sides) - 1:
        links = [_top_level_split(box, "=") for box in boxes[-(len(sides) - 1):]]
        if all(len(link) == 2 for link in links) and all(
            canonical_key(a[1]) == canonical_key(b[0]) for a, b in zip(links, links[1:])
        ):
            readings.append(" = ".join([links[0][0]] + [link[1] for link in links]))
    return readings


def _joined(equation: str, answers: list[str]) -> str | None:
    """The equation from its first ``[MASK]`` to its last, the answers filled in."""
    first, last = equation.find(MASK), equation.rfind(MASK)
    span = equation[first: last + len(MASK)]
    pieces = span.split(MASK)
    if first < 0 or len(pieces) != len(answers) + 1 or any(MASK in a for a in answers):
        return None
    return "".join(piece + answer for piece, answer in zip(pieces, answers + [""], strict=False)) + pieces[-1]


def _grade_boxes(gold: tuple[str, ...], boxes: tuple[str, ...], problem: Problem, matrices: frozenset[str],
                 config: VerifyConfig) -> Verdict:
    if len(boxes) < len(gold):
        return Verdict(False, "too_few_answers", boxes, gold, tuple(False for _ in gold))
    answers = tuple(boxes[-len(gold):]) if gold else ()
    if len(gold) == 1:
        answers = (_without_restated_lhs(answers[0], gold[0], problem.equation, matrices),)
    started = time.monotonic()
    per_blank: list[bool] = []
    judged = False
    reason = "match"
    for index, (ref, answer) in enumerate(zip(gold, answers, strict=True), 1):
        if time.monotonic() - started > config.response_budget:
            per_blank.extend(False for _ in range(len(gold) - len(per_blank)))
            return Verdict(False, "timeout", answers, gold, tuple(per_blank), judged)
        if MASK in answer:
            decided, used_judge, timed_out = False, False, False
        else:
            decided, used_judge, timed_out = _decide(ref, answer, matrices, problem.background, config)
        judged = judged or used_judge
        per_blank.append(bool(decided))
        if not decided and reason == "match":
            reason = "timeout" if timed_out else _miss_reason(decided, f"wrong_blank_{index}")
    shown = tuple(a if len(a) <= MAX_ANSWER_CHARS else a[:MAX_ANSWER_CHARS] + "…" for a in answers)
    return Verdict(all(per_blank) and bool(gold), reason if gold else "no_gold", shown, gold, tuple(per_blank), judged)


_LHS_EQUALS_MASK = re.compile(r"^\s*\$*\s*(?P<lhs>[^=]+?)\s*=\s*\[MASK\]\s*\$*\s*$", re.DOTALL)


def _without_restated_lhs(answer: str, gold: str, equation: str, matrices: frozenset[str]) -> str:
    """For an equation ``lhs = [MASK]``, an answer ``lhs = x`` is the answer ``x``, whatever ``x`` holds."""
    found = _LHS_EQUALS_MASK.match(equation)
    split = _first_top_level_equals(answer)
    if found is None or split is None or _first_top_level_equals(gold) is not None:
        return answer
    left, right = answer[:split].strip(), answer[split + 1:].strip()  # split: the first top-level "="
    return right if right and compare(found.group("lhs"), left, matrices) is True else answer


def _first_top_level_equals(text: str) -> int | None:
    """Index of the first ``=`` outside braces and brackets (``\\sum_{k=1}`` holds none), or None."""
    sides = _top_level_split(text, "=")
    return len(sides[0]) if len(sides) > 1 else None


def _top_level_split(text: str, separator: str) -> list[str]:
    """``text`` cut at each ``separator`` character outside braces and brackets (pieces unstripped)."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "{([":
            depth += 1
        elif char in "})]":
            depth -= 1
        elif char == separator and depth == 0:
            pieces.append(text[start:index])
            start = index + 1
    return pieces + [text[start:]]


def _decide(
    gold: str, answer: str, matrices: frozenset[str], context: str, config: VerifyConfig
) -> tuple[bool | None, bool, bool]:
    """(decision, decided by the judge, math-verify timed out); None when nothing decided."""
    outcome = compare_outcome(gold, answer, matrices, config.call_timeout)
    if outcome in ("equal", "different"):
        return outcome == "equal", False, False
    judge = current_judge()
    verdict = ask_judge(judge, gold, answer, context) if judge is not None else None
    if verdict is not None:
        return verdict, True, False
    return None, False, outcome == "timeout"


def _miss_reason(decided: bool | None, wrong: str) -> str:
    """``wrong...`` when the rules said different, ``undecided...`` when nothing decided."""
    return wrong if decided is False else wrong.replace("wrong", "undecided", 1)


def _verify_mcq(text: str, problem: Problem) -> Verdict:
    gold = (problem.correct_answer.strip(),)
    boxes = extract_boxed(text)
    letters = [boxed_letter(b) or _option_named(b, problem) for b in boxes]
    chosen = sorted({letter for letter in letters if letter})
    if not boxes:
        chosen = sorted(set(stated_letters(text)))
    shown = tuple(boxes) if boxes else tuple(chosen)
    if not chosen:
        return Verdict(False, "no_answer", shown, gold, (False,))
    if len(chosen) > 1:
        return Verdict(False, "multiple_letters", shown, gold, (False,))
    correct = chosen[0] == gold[0]
    return Verdict(correct, "match" if correct else "wrong_letter", (chosen[0],), gold, (correct,))


def _option_named(content: str, problem: Problem) -> str | None:
    """The option whose text a boxed expression restates exactly (up to formatting), if one."""
    if not problem.options or len(content) > 500:
        return None
    key = canonical_key(content.strip().strip("$"))
    hits = [letter for letter, text in problem.options.items() if canonical_key(text.strip().strip("$")) == key]
    if not hits:  # the option's expression rewritten: equal by the verifier's rules
        matrices = matrix_symbols(problem.background)
        hits = [letter for letter, text in problem.options.items()
                if compare(text.strip().strip("$"), content.strip().strip("$"), matrices) is True]
    return hits[0] if len(hits) == 1 else None


def _safe_gold(problem: Problem) -> tuple[str, ...]:
    try:
        return gold_answers(problem)
    except Exception:
        return ()


__all__ = ["Verdict", "VerifyConfig", "clear_caches", "equivalent", "gold_answers", "verify_math", "verify_problem"]

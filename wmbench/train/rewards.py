"""Reward functions for GRPO, by name: ``accuracy`` (the wmbench verifier) and ``format``.

Both follow TRL's reward-function convention (completions plus dataset columns by keyword,
one float per completion). ``accuracy`` is :func:`wmbench.rewards.wireless_accuracy_reward`,
and also logs, through TRL's ``log_metric``, the share of completions without an answer the
verifier can read (``unparseable``). ``format`` is 1.0 when a completion ends with the answers
its prompt asks for: one boxed option letter for MCQ, one ``\\boxed{}`` per blank otherwise.
Weights are GRPOConfig's ``reward_weights``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from wmbench.errors import TrainingError
from wmbench.rewards import completion_text, wireless_accuracy_reward
from wmbench.schema import MASK
from wmbench.verify.extract import boxed_letter, extract_boxed, stated_answer, stated_letters, strip_think

RewardFunc = Callable[..., list[float | None]]
_TRAINER_KWARGS = frozenset({"prompts", "completion_ids", "trainer_state", "log_extra", "log_metric", "environments"})


def accuracy(completions: list[Any], log_metric: Callable[[str, float], None] | None = None, **kwargs: Any) -> list[float | None]:
    """1.0 / 0.0 from the wmbench verifier; logs the share of unparseable completions."""
    columns = {k: v for k, v in kwargs.items() if k not in _TRAINER_KWARGS}
    if log_metric is not None and completions:
        types = columns.get("type") or [None] * len(completions)
        unread = sum(not _answer_found(completion_text(c), t) for c, t in zip(completions, types))
        log_metric("unparseable", unread / len(completions))
    return wireless_accuracy_reward(completions, **columns)


def answer_format(completions: list[Any], type: Sequence[str], equation: Sequence[str] | None = None, **_: Any) -> list[float]:
    """1.0 when a completion gives its answers as the prompt asks (boxed), else 0.0.

    ``type`` and ``equation`` are dataset columns, passed by TRL under their own names.
    """
    equations = equation or [""] * len(completions)
    return [float(_well_formed(completion_text(c), t, e or "")) for c, t, e in zip(completions, type, equations)]


REWARDS: dict[str, RewardFunc] = {"accuracy": accuracy, "format": answer_format}


def reward_functions(names: Sequence[str], weights: Sequence[float] | None = None) -> list[RewardFunc]:
    """The functions for ``names``; unknown names and mismatched weights are one-line errors."""
    choices = ", ".join(REWARDS)
    if not names:
        raise TrainingError("--rewards", f"no reward given; choose from {choices}")
    unknown = [n for n in names if n not in REWARDS]
    if unknown:
        raise TrainingError(f"--rewards {' '.join(names)}", f"unknown reward {unknown[0]!r}; choose from {choices}")
    if weights is not None and len(weights) != len(names):
        raise TrainingError(f"--reward_weights {' '.join(map(str, weights))}",
                            f"{len(weights)} weights for {len(names)} rewards ({', '.join(names)})")
    return [REWARDS[n] for n in names]


def _answer_found(text: str, problem_type: str | None) -> bool:
    """Whether the verifier can read any answer: a box, or a stated option letter (MCQ) or final
    answer (general maths, no ``type``), the fallbacks :mod:`wmbench.verify.grader` accepts."""
    text = strip_think(text)
    if has_box(text):
        return True
    if problem_type is None:
        return stated_answer(text) is not None
    return problem_type == "MCQ" and bool(stated_letters(text))


def has_box(text: str) -> bool:
    """``bool(extract_boxed(text))``, reading only from the last box commands back: a brace's
    partner depends only on the text after it, so the tail from a box on decides that box
    (grading a 5 KB completion twice over would double the reward's cost)."""
    end = len(text)
    while (start := max(text.rfind("\\boxed", 0, end), text.rfind("\\fbox", 0, end))) >= 0:
        if extract_boxed(text[start:]):
            return True
        end = start
    return False


def _well_formed(text: str, problem_type: str, equation: str) -> bool:
    boxes = extract_boxed(strip_think(text))
    if problem_type == "MCQ":
        letters = {boxed_letter(b) for b in boxes}
        return len(letters) == 1 and None not in letters
    return len(boxes) >= max(1, equation.count(MASK))

"""GRPO reward: the wmbench verifier as a TRL reward function.

``GRPOTrainer(reward_funcs=[wireless_accuracy_reward], ...)`` calls it with the generated
completions and every dataset column by keyword; it returns 1.0 (correct), 0.0 (wrong) or None
(row has no reference, so TRL ignores it). Rows with ``correct_answer`` and ``type`` (a wmbench
problem) are graded with :func:`wmbench.verify.verify_problem`; rows with a ``solution`` or
``answer`` column (general maths) with :func:`wmbench.verify.verify_math`. Works without trl::

    wireless_accuracy_reward(["... \\\\boxed{B}"], type=["MCQ"], correct_answer=["B"], ...)
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from wmbench.errors import SchemaError
from wmbench.schema import Problem

_PROBLEM_DEFAULTS = {"problem_id": "", "paper_id": "", "background": "", "question_text": "", "equation": ""}


def completion_text(completion: Any) -> str:
    """The text of a completion: a plain string, or the last message of a conversational list."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return str(completion.get("content") or "")
    if isinstance(completion, Sequence) and completion:
        return completion_text(completion[-1])
    return ""


def wireless_accuracy_reward(completions: list[Any], **kwargs: Any) -> list[float | None]:
    """1.0 / 0.0 per completion from the wmbench verifier; None where the row has no reference.

    A batch is graded in as many threads as there are verifier workers, so one completion's wait
    on math-verify overlaps another's in-process work (each response keeps its own deadline); the
    rewards come back in the completions' order.
    """
    from wmbench.verify.timeout import POOL_SIZE

    rows = [{name: _column(values, index) for name, values in kwargs.items()} for index in range(len(completions))]
    if len(completions) < 2 or POOL_SIZE < 2:
        return [_reward(completion, row) for completion, row in zip(completions, rows)]
    with ThreadPoolExecutor(max_workers=POOL_SIZE, thread_name_prefix="wmbench-reward") as pool:
        return list(pool.map(_reward, completions, rows))


def _reward(completion: Any, row: dict[str, Any]) -> float | None:
    from wmbench.verify import verify_math, verify_problem

    text = completion_text(completion)
    problem = _problem(row)
    if problem is not None:
        return 1.0 if verify_problem(text, problem).correct else 0.0
    if isinstance(row.get("solution") or row.get("answer"), str):
        return 1.0 if verify_math(text, row.get("solution") or row["answer"]).correct else 0.0
    return None


def _column(values: Any, index: int) -> Any:
    if isinstance(values, (list, tuple)) and index < len(values):
        return values[index]
    return None


def _problem(row: dict[str, Any]) -> Problem | None:
    if not isinstance(row.get("correct_answer"), str) or row.get("type") is None:
        return None
    data = {**_PROBLEM_DEFAULTS, **{k: v for k, v in row.items() if v is not None}}
    if not data["equation"] and data["type"] != "MCQ":  # no equation: one blank per reference box
        data["equation"] = " ".join(["[MASK]"] * max(1, data["correct_answer"].count("\\boxed")))
    try:
        return Problem.from_dict(data)
    except (SchemaError, TypeError, ValueError):
        return None

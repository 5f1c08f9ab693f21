"""Shared helpers for the lm-eval task tests: data paths, replay responses, one-call runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "reference_sample.jsonl"
MATH_DIR = DATA / "general_math"
WIRELESS_SUBTASKS = (
    "wirelessmath_xl_mcq", "wirelessmath_xl_fill_25", "wirelessmath_xl_fill_50",
    "wirelessmath_xl_fill_75", "wirelessmath_xl_full",
)
MATH_TASKS = (
    "wmbench_math500", "wmbench_minerva_math", "wmbench_olympiadbench", "wmbench_amc23",
    "wmbench_amc22_23", "wmbench_aime24", "wmbench_aime25",
)
WRONG_LETTER = {"A": "B", "B": "C", "C": "D", "D": "A"}
WRONG_BOX = r"\boxed{7919}"


def oracle_response(problem: Any) -> str:
    """The gold answer as a model would write it: ``\\boxed{C}`` or the gold boxes."""
    if problem.type == "MCQ":
        return f"The answer is \\boxed{{{problem.correct_answer.strip()}}}"
    return f"So the blanks are {problem.correct_answer}"


def wrong_response(problem: Any) -> str:
    """A well-formed but wrong answer with the right number of boxes."""
    if problem.type == "MCQ":
        return f"The answer is \\boxed{{{WRONG_LETTER[problem.correct_answer.strip()]}}}"
    return "So the blanks are " + ", ".join([WRONG_BOX] * problem.n_blanks)


def reference_problems() -> list[Any]:
    from wmbench.storage import read_problems

    return read_problems(REFERENCE)


def math_docs(task: str) -> list[dict[str, str]]:
    """The normalised documents of one maths fixture file."""
    import yaml

    from wmbench.evaluation.data_source import math_docs as load
    from wmbench.evaluation.runner import tasks_dir

    kwargs = yaml.safe_load((tasks_dir() / "wmbench_general_math" / f"{task}.yaml").read_text())["dataset_kwargs"]
    kwargs = {k: v for k, v in kwargs.items() if k != "benchmark"}
    return list(load(task=task, math_data=str(MATH_DIR), **kwargs)["test"])


def write_responses(path: Path, rows: Iterable[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def run_replay(tmp_path: Path, rows: Iterable[dict[str, str]], *, name: str = "replay", **overrides: Any) -> Any:
    """Run the replay model on the reference sample and maths fixtures; return the EvalOutput."""
    from wmbench.evaluation.runner import EvalConfig, run

    responses = write_responses(tmp_path / f"{name}.jsonl", rows)
    config = dict(
        model="wmbench-replay",
        model_args=f"responses={responses},model={name}",
        tasks=("wirelessmath_xl",),
        output=str(tmp_path / "results"),
        data=str(REFERENCE),
        math_data=str(MATH_DIR),
        split="train",
        log_samples=True,
    )
    config.update(overrides)
    return run(EvalConfig(**config))

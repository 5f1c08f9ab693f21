"""Training data: wmbench problems → the train split, a held-out validation slice, prompt rows.

``data`` is a local build folder / JSONL / Parquet (read with :mod:`wmbench.storage`) or a Hub
dataset id. Only records of the chosen train split are used (``split`` or, with
``split_by="paper"``, ``paper_split``); records without one count as train, as in build
folders. A paper of the paper-disjoint test split never reaches training with
``split_by="paper"``: such data is refused. The validation slice is the problems first in the
order of a seeded hash of their id, so the same data and seed hold out the same problems.

Each row is ``{"prompt": ..., <problem columns>}``: the prompt from the one template
(:func:`wmbench.prompt.render_prompt`), as text or as one user message for a chat template, and
the columns :func:`wmbench.rewards.wireless_accuracy_reward` reads.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from wmbench.errors import SchemaError, TrainingError
from wmbench.prompt import render_prompt
from wmbench.schema import Problem

logger = logging.getLogger(__name__)

SplitBy = Literal["problem", "paper"]
REWARD_COLUMNS = ("problem_id", "paper_id", "type", "background", "question_text", "equation", "options", "correct_answer")
_REQUIRED_COLUMNS = ("problem_id", "type", "correct_answer", "background", "question_text", "equation")


@dataclass(frozen=True)
class TrainingData:
    """Rows for GRPOTrainer and where they came from."""

    train: list[dict[str, Any]]
    validation: list[dict[str, Any]]
    source: str

    def datasets(self) -> tuple["datasets.Dataset", "datasets.Dataset | None"]:
        """The rows as ``datasets.Dataset`` objects (validation None when empty)."""
        import datasets

        val = datasets.Dataset.from_list(self.validation) if self.validation else None
        return datasets.Dataset.from_list(self.train), val


def load_training_data(
    data: str | None,
    *,
    config: str | None = None,
    split_by: SplitBy = "problem",
    val_size: float = 0.05,
    seed: int = 0,
    chat: bool = False,
) -> TrainingData:
    """The train split of ``data`` as prompt rows, minus a held-out validation slice."""
    if not data:
        raise TrainingError("--data", "no training data: give a build folder, a JSONL/Parquet file or a Hub dataset id")
    problems = read_training_problems(data, config)
    train = train_problems(problems, split_by, where=data)
    validation_ids = _held_out(train, val_size, seed, where=data)
    rows = [(p.problem_id in validation_ids, prompt_row(p, chat=chat)) for p in train]
    logger.info("%s: %d training and %d validation problems (%s split)", data, len(rows) - len(validation_ids),
                len(validation_ids), split_by)
    return TrainingData([r for held, r in rows if not held], [r for held, r in rows if held], data)


def read_training_problems(data: str, config: str | None = None) -> list[Problem]:
    """Every record of a local path or of a Hub dataset (all its splits)."""
    from wmbench.storage import read_problems

    if Path(data).exists():
        try:
            return read_problems(data)
        except SchemaError as exc:
            raise TrainingError(data, f"not wmbench problem records ({exc.reason}); "
                                      f"training needs the columns {', '.join(_REQUIRED_COLUMNS)}") from None
    if not is_hub_id(data):
        raise TrainingError(data, "no such file or directory (and not a Hub dataset id owner/name)")
    return _hub_problems(data, config)


def is_hub_id(name: str) -> bool:
    """Whether ``name`` is a valid Hub repository id (``owner/name`` or ``name``)."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(name)
    except HFValidationError:
        return False
    return True


def _hub_problems(hub_id: str, config: str | None) -> list[Problem]:
    import datasets

    try:
        loaded = datasets.load_dataset(hub_id, config)
    except Exception as exc:  # datasets raises many kinds (ConnectionError, FileNotFoundError, ValueError)
        reason = " ".join(str(exc).split())[:160]
        raise TrainingError(f"Hub dataset {hub_id}", f"could not be loaded ({type(exc).__name__}: {reason}); "
                                                      "give a local build folder with --data PATH") from None
    problems = []
    for split, rows in loaded.items():
        missing = [c for c in _REQUIRED_COLUMNS if c not in rows.column_names]
        if missing:
            raise TrainingError(f"Hub dataset {hub_id} ({split})", f"not wmbench problems: no column {', '.join(map(repr, missing))} "
                                                                   f"(columns: {', '.join(rows.column_names)})")
        for index, row in enumerate(rows):
            if not row.get("split"):  # rows stored without the column take the Hub split's name
                row["split"] = split
            problems.append(Problem.from_dict(row, where=f"{hub_id} {split} row {index}"))
    return problems


def train_problems(problems: list[Problem], split_by: SplitBy, *, where: str) -> list[Problem]:
    """The records of the train split; refuses a paper-disjoint test paper among them."""
    split_of = (lambda p: p.split or "train") if split_by == "problem" else (lambda p: p.paper_split or "train")
    if split_by == "paper" and problems and not any(p.paper_split for p in problems):
        raise TrainingError(where, "split_by=paper but no record has a paper_split; rebuild with `wmbench build` or use split_by=problem")
    train = [p for p in problems if split_of(p) == "train"]
    if not train:
        found = ", ".join(f"{s} {n}" for s, n in sorted(Counter(split_of(p) for p in problems).items())) or "no records"
        raise TrainingError(where, f"empty train split ({split_by} split; found: {found})")
    test_papers = {p.paper_id for p in problems if p.paper_split == "test"}
    if split_by == "paper":
        leaked = sorted({p.paper_id for p in train} & test_papers)
        if leaked:
            raise TrainingError(where, f"{len(leaked)} paper(s) of the paper-disjoint test split are in the training set "
                                       f"({', '.join(leaked[:3])}{', ...' if len(leaked) > 3 else ''}); fix the data's paper_split")
    elif test_papers & {p.paper_id for p in train}:
        logger.warning("%s: training on the problem-level split sees the paper-disjoint test papers; "
                       "compare checkpoints on the problem-level test split only", where)
    return train


def _held_out(train: list[Problem], val_size: float, seed: int, *, where: str) -> set[str]:
    count = round(len(train) * val_size) if 0 < val_size < 1 else int(val_size)
    if count < 0 or count >= len(train):
        raise TrainingError(where, f"val_size={val_size:g} leaves no training problems out of {len(train)}")
    ranked = sorted(train, key=lambda p: hashlib.sha256(f"{seed}\x1fval\x1f{p.problem_id}".encode()).hexdigest())
    return {p.problem_id for p in ranked[:count]}


def prompt_row(problem: Problem, *, chat: bool = False) -> dict[str, Any]:
    """One GRPO row: the rendered prompt plus the columns the reward reads."""
    text = render_prompt(problem)
    prompt: Any = [{"role": "user", "content": text}] if chat else text
    record = problem.to_dict()
    return {"prompt": prompt, **{name: record.get(name) for name in REWARD_COLUMNS}}


__all__ = ["TrainingData", "load_training_data", "prompt_row", "read_training_problems", "train_problems"]

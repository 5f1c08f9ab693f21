"""Shared helpers of the training tests: a 16-problem build and the small-run GRPO flags."""

from __future__ import annotations

from pathlib import Path

from wmbench.build.splits import assign_splits
from wmbench.schema import Problem
from wmbench.storage import read_problems, write_build_dir

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "reference_sample.jsonl"
MATH_DIR = DATA / "general_math"
# Two GRPO steps of 2 prompts x 2 completions of 16 tokens, on CPU, no reporters.
SMALL_RUN = (
    "--use_cpu", "--max_steps", "2", "--num_generations", "2", "--per_device_train_batch_size", "2",
    "--per_device_eval_batch_size", "2", "--max_completion_length", "16", "--logging_steps", "1",
    "--report_to", "none", "--seed", "0",
)


def sixteen_problems() -> list[Problem]:
    """The first 16 reference problems with problem-level and paper-disjoint splits (a quarter test)."""
    return assign_splits(read_problems(REFERENCE)[:16], seed=0, test_fraction=0.25)


def write_build(out: Path, problems: list[Problem] | None = None) -> Path:
    """A build folder (problems.jsonl + data/*.parquet) holding ``problems``."""
    write_build_dir(problems if problems is not None else sixteen_problems(), out)
    return out

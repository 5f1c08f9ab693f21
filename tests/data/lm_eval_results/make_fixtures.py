"""Regenerate the lm-eval results fixtures the leaderboard tests read.

Three simulated "models" answer the reference sample (wirelessmath_xl, split train) and the
general-maths fixtures through the ``wmbench-replay`` model: ``oracle`` (always right),
``qwen-grpo-sim`` (60 % right) and ``qwen-base-sim`` (25 % right): in each task, exactly
``round(rate * n)`` problems, chosen with a fixed seed, get the right answer, so the same inputs
give the same responses and scores; lm-eval's
files carry a timestamp in their names and dates inside, so those differ run to run.

    .venv/bin/python tests/data/lm_eval_results/make_fixtures.py

writes ``responses/<model>.jsonl`` and ``<model>/results_<time>.json`` +
``<model>/samples_<task>_<time>.jsonl`` (older files of that model are removed first).
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
REPO = DATA.parents[1]
REFERENCE = DATA / "reference_sample.jsonl"
MATH_DIR = DATA / "general_math"
SEED = 20250611
MODELS: dict[str, float] = {"oracle": 1.0, "qwen-grpo-sim": 0.6, "qwen-base-sim": 0.25}
WRONG_LETTER = {"A": "B", "B": "C", "C": "D", "D": "A"}


def wireless_response(problem, right: bool) -> str:
    """A short worked response ending in the gold boxes (right) or in wrong ones."""
    if problem.type == "MCQ":
        letter = problem.correct_answer.strip() if right else WRONG_LETTER[problem.correct_answer.strip()]
        return f"Comparing the options with the system model, the answer is option {letter}.\n\n\\boxed{{{letter}}}"
    if right:
        return f"Matching the symbols defined in the background, the blanks are:\n\n{problem.correct_answer}"
    wrong = ", ".join(r"\boxed{0}" for _ in range(problem.n_blanks))
    return f"Assuming the terms vanish, the blanks are:\n\n{wrong}"


def math_response(answer: str, right: bool) -> str:
    final = answer if right else "-1"
    return f"Working step by step gives the result.\n\nThe final answer is \\boxed{{{final}}}."


def responses_for(rate: float, rng: random.Random) -> list[dict[str, str]]:
    """Replay lines for every reference problem and every maths fixture problem."""
    from wmbench.evaluation.data_source import math_docs
    from wmbench.storage import read_problems

    problems = read_problems(REFERENCE)
    right = _chosen(len(problems), rate, rng)
    rows = [{"problem_id": p.problem_id, "response": wireless_response(p, i in right)} for i, p in enumerate(problems)]
    for path in sorted(MATH_DIR.glob("wmbench_*.jsonl")):
        task = path.stem
        kwargs = _math_kwargs(task)
        docs = math_docs(task=task, math_data=str(MATH_DIR), **kwargs)["test"]
        right = _chosen(len(docs), rate, rng)
        rows += [
            {"task": task, "problem_id": d["problem_id"], "response": math_response(d["answer"], i in right)}
            for i, d in enumerate(docs)
        ]
    return rows


def _chosen(n: int, rate: float, rng: random.Random) -> set[int]:
    """Indices of the ``round(rate * n)`` problems answered right."""
    return set(rng.sample(range(n), round(rate * n)))


def _math_kwargs(task: str) -> dict[str, str]:
    import yaml

    from wmbench.evaluation.runner import tasks_dir

    text = (tasks_dir() / "wmbench_general_math" / f"{task}.yaml").read_text(encoding="utf-8")
    kwargs = dict(yaml.safe_load(text)["dataset_kwargs"])
    kwargs.pop("benchmark")
    return kwargs


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    from wmbench.evaluation.runner import EvalConfig, run

    rng = random.Random(SEED)
    (HERE / "responses").mkdir(exist_ok=True)
    for name, rate in MODELS.items():
        lines = responses_for(rate, rng)
        path = HERE / "responses" / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
        shutil.rmtree(HERE / name, ignore_errors=True)
        out = run(EvalConfig(
            model="wmbench-replay",
            model_args=f"responses={path},model={name}",
            tasks=("wirelessmath_xl", "wmbench_general_math"),
            output=str(HERE),
            data=str(REFERENCE),
            math_data=str(MATH_DIR),
            split="train",
            log_samples=True,
        ))
        for written in (out.results_file, *out.samples_files):
            _drop_machine_paths(written)
        print(name, out.results["groups"]["wirelessmath_xl"]["acc,verify"], out.results_file.relative_to(HERE))


def _drop_machine_paths(path: Path) -> None:
    """Make paths in lm-eval's files relative to the repo (no machine paths in the tree)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(str(REPO) + "/", "").replace(str(REPO), "."), encoding="utf-8")


if __name__ == "__main__":
    main()

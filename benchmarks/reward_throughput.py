"""GRPO reward throughput: one step's batch graded by wmbench's reward and by TRL's ``accuracy_reward``.

The batch is ``--completions`` (default 512) completions of 1–8 KB of reasoning text written by
this script from the reference sample (tests/data/reference_sample.jsonl, wireless problems) and
the general-maths fixtures (tests/data/general_math), seeded, in a realistic mix: right, wrong,
several boxes (an intermediate box, then the final answer), unparseable (no answer) and
truncated (cut inside the final box). Both graders see the same completions in the same run:
wmbench's as GRPOTrainer calls it (``wmbench.train.rewards.accuracy`` with the dataset columns,
caches cleared first, verifier workers started as in any run), TRL's on the gold answer boxed.
Prints completions/s for each, the ratio, the share each grades right per kind, and each one's
agreement with the verifier's case table (tests/data/verify_cases.jsonl).
Run: ``.venv/bin/python benchmarks/reward_throughput.py [--completions 512] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from wmbench.schema import Problem
from wmbench.storage import read_problems
from wmbench.train.data import prompt_row

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
MATH_TASKS = REPO / "tasks" / "wmbench_general_math"
KINDS = {"right": 0.35, "wrong": 0.25, "several_boxes": 0.15, "unparseable": 0.15, "truncated": 0.10}
WIRELESS_SHARE = 0.6
STEPS = (
    "We start from the system model and write the received signal in terms of the channel, the transmitted symbols and the noise.",
    "Substituting the definition into the expression and collecting the terms that depend on $k$ gives a simpler form.",
    "The noise is zero-mean and independent of the signal, so the cross terms vanish in expectation: $\\mathbb{E}[x n^*] = 0$.",
    "Taking the logarithm and using $\\log_2(1 + a) \\approx a / \\ln 2$ for small $a$ would be a bad idea here, so we keep it exact.",
    "Let me double-check the dimensions: $\\mathbf{h}_k \\in \\mathbb{C}^{N \\times 1}$ and $\\mathbf{w}_k \\in \\mathbb{C}^{N \\times 1}$, so $\\mathbf{h}_k^H \\mathbf{w}_k$ is a scalar.",
    "Wait, the power constraint applies to the sum over all users, $\\sum_k \\|\\mathbf{w}_k\\|^2 \\le P$, not to each user separately.",
    "Now we compute the intermediate quantity step by step: $a = 3$, $b = 4$, so $\\sqrt{a^2 + b^2} = 5$.",
    "Alternatively, we could differentiate with respect to the variable and set the derivative to zero: $\\frac{\\partial f}{\\partial x} = 0$.",
)


def wireless_items() -> list[dict[str, Any]]:
    """Reference problems as GRPO rows: reward columns, the gold boxed for TRL, a wrong answer."""
    items = []
    for problem in read_problems(DATA / "reference_sample.jsonl"):
        row = prompt_row(problem)
        row.pop("prompt")
        right, wrong = _wireless_answers(problem)
        gold = f"\\boxed{{{problem.correct_answer.strip()}}}" if problem.type == "MCQ" else problem.correct_answer
        items.append({"columns": row, "trl_gold": gold, "right": right, "wrong": wrong, "context": problem.background})
    return items


def _wireless_answers(problem: Problem) -> tuple[str, str]:
    if problem.type == "MCQ":
        letter = problem.correct_answer.strip()
        return f"\\boxed{{{letter}}}", f"\\boxed{{{'ABCD'[('ABCD'.index(letter) + 1) % 4]}}}"
    blanks = problem.correct_answer.count("\\boxed")
    return problem.correct_answer, ", ".join(["\\boxed{7919 x}"] * blanks)


def math_items() -> list[dict[str, Any]]:
    """General-maths fixture rows (each benchmark's columns) with a right and a wrong answer."""
    items = []
    for task_yaml in sorted(MATH_TASKS.glob("wmbench_*.yaml")):
        kwargs = yaml.safe_load(task_yaml.read_text(encoding="utf-8"))["dataset_kwargs"]
        path = DATA / "general_math" / f"{task_yaml.stem}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            gold = row[kwargs["answer_field"]]
            gold = ", ".join(map(str, gold)) if isinstance(gold, list) else str(gold).strip("$")
            items.append({"columns": {"solution": gold}, "trl_gold": f"\\boxed{{{gold}}}", "right": f"\\boxed{{{gold}}}",
                          "wrong": f"\\boxed{{{gold} + 1}}", "context": str(row[kwargs["question_field"]])})
    return items


def completion(item: dict[str, Any], kind: str, rng: random.Random) -> str:
    """1–8 KB of reasoning, then the answer the kind calls for."""
    size = rng.randint(1024, 8192)
    parts = [item["context"][:400]]
    while sum(len(p) + 2 for p in parts) < size:
        parts.append(rng.choice(STEPS))
    reasoning = "\n\n".join(parts)[:size]
    if kind == "right":
        return f"{reasoning}\n\nTherefore the answer is {item['right']}."
    if kind == "wrong":
        return f"{reasoning}\n\nTherefore the answer is {item['wrong']}."
    if kind == "several_boxes":
        final = item["right"] if rng.random() < 0.5 else item["wrong"]
        return f"{reasoning[: size // 2]} A first guess was \\boxed{{42}}. {reasoning[size // 2:]}\n\nSo finally {final}."
    if kind == "unparseable":
        return f"{reasoning}\n\nThe answer follows from the expression above."
    cut = item["right"][: max(8, len(item["right"]) // 2)]
    return f"{reasoning}\n\nTherefore the answer is {cut}"


def make_batch(n: int, seed: int) -> tuple[list[str], list[str], list[dict[str, Any]], list[str]]:
    """(completions, kinds, per-row reward columns, TRL golds)."""
    rng = random.Random(seed)
    wireless, general = wireless_items(), math_items()
    completions, kinds, columns, golds = [], [], [], []
    for _ in range(n):
        item = rng.choice(wireless if rng.random() < WIRELESS_SHARE else general)
        kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        completions.append(completion(item, kind, rng))
        kinds.append(kind)
        columns.append(item["columns"])
        golds.append(item["trl_gold"])
    return completions, kinds, columns, golds


def by_column(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Row dicts as TRL passes them to a reward: one list per column (None where a row lacks it)."""
    names = sorted({name for row in rows for name in row})
    return {name: [row.get(name) for row in rows] for name in names}


def grade_wmbench(completions: list[str], rows: list[dict[str, Any]]) -> tuple[float, list[float | None]]:
    from wmbench.train.rewards import accuracy
    from wmbench.verify.grader import clear_caches

    clear_caches()
    start = time.perf_counter()
    rewards = accuracy(completions, log_metric=lambda name, value: None, **by_column(rows))
    return time.perf_counter() - start, rewards


def grade_trl(completions: list[str], golds: list[str]) -> tuple[float, list[float | None]]:
    from trl.rewards import accuracy_reward

    messages = [[{"role": "assistant", "content": c}] for c in completions]
    start = time.perf_counter()
    rewards = accuracy_reward(messages, golds)
    return time.perf_counter() - start, rewards


def case_table_agreement() -> tuple[int, int, int]:
    """(rows, wmbench agrees, TRL agrees) with the verifier's case table expectations."""
    reference = {p.problem_id: p for p in read_problems(DATA / "reference_sample.jsonl")}
    responses, rows, golds, expected = [], [], [], []
    for line in (DATA / "verify_cases.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if "math_gold" in case:
            rows.append({"solution": case["math_gold"]})
            golds.append(case["math_gold"] if "\\boxed" in case["math_gold"] else f"\\boxed{{{case['math_gold']}}}")
        else:
            problem = reference.get(case.get("problem_id", "")) or _case_problem(case)
            row = prompt_row(problem)
            row.pop("prompt")
            rows.append(row)
            golds.append(f"\\boxed{{{problem.correct_answer.strip()}}}" if problem.type == "MCQ" else problem.correct_answer)
        responses.append(case["response"])
        expected.append(1.0 if case["expected"] else 0.0)
    _, ours = grade_wmbench(responses, rows)
    _, theirs = grade_trl(responses, golds)
    agree = lambda got: sum((g or 0.0) == e for g, e in zip(got, expected))  # noqa: E731
    return len(expected), agree(ours), agree(theirs)


def _case_problem(case: dict[str, Any]) -> Problem:
    if case.get("type") == "MCQ":
        return Problem("case", "case", "MCQ", case.get("context", ""), "q", "$[MASK]$", case["gold"], options=case["options"])
    equation = case.get("equation") or "$$y = " + " + ".join(["[MASK]"] * max(1, case["gold"].count("\\boxed"))) + "$$"
    return Problem("case", "case", "fill_blank_50", case.get("context", ""), "q", equation, case["gold"])


def _per_kind(kinds: list[str], rewards: list[float | None]) -> str:
    totals: dict[str, list[float]] = defaultdict(list)
    for kind, reward in zip(kinds, rewards):
        totals[kind].append(reward or 0.0)
    return "  ".join(f"{k} {sum(v) / len(v):.2f}" for k, v in totals.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--completions", type=int, default=512)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    from math_verify import parse

    from wmbench.verify.timeout import warm_up

    warm_up()  # verifier workers start once per run, as in training
    parse("$1$")  # import sympy and the grammar before timing
    completions, kinds, rows, golds = make_batch(options.completions, options.seed)
    sizes = sorted(len(c.encode()) for c in completions)
    print(f"{len(completions)} completions, {sizes[0]}-{sizes[-1]} bytes (median {sizes[len(sizes) // 2]}); "
          + ", ".join(f"{k} {kinds.count(k)}" for k in KINDS))
    ours_s, ours = grade_wmbench(completions, rows)
    trl_s, theirs = grade_trl(completions, golds)
    print(f"wmbench reward      {len(completions) / ours_s:10.1f} completions/s   batch {ours_s:7.3f} s   right share per kind: {_per_kind(kinds, ours)}")
    print(f"TRL accuracy_reward {len(completions) / trl_s:10.1f} completions/s   batch {trl_s:7.3f} s   right share per kind: {_per_kind(kinds, theirs)}")
    print(f"throughput ratio (wmbench / TRL): {trl_s / ours_s:.1f}x")
    for family, keep in (("wireless", lambda row: "type" in row), ("general maths", lambda row: "solution" in row)):
        chosen = [i for i, row in enumerate(rows) if keep(row)]
        seconds, _ = grade_wmbench([completions[i] for i in chosen], [rows[i] for i in chosen])
        print(f"  wmbench on {family} rows alone: {len(chosen)} at {len(chosen) / seconds:.1f} completions/s")
    n, ours_ok, trl_ok = case_table_agreement()
    print(f"verifier case table ({n} rows): wmbench agrees {ours_ok}/{n}, TRL accuracy_reward agrees {trl_ok}/{n}")


if __name__ == "__main__":
    main()

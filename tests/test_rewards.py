"""The GRPO reward on real dataset rows (the reference sample through ``datasets``), no trl needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datasets import Dataset

from wmbench.rewards import completion_text, wireless_accuracy_reward

DATA = Path(__file__).resolve().parent / "data"
RECORDS = [json.loads(line) for line in (DATA / "reference_sample.jsonl").read_text(encoding="utf-8").splitlines()]


def _oracle(record: dict) -> str:
    if record["type"] == "MCQ":
        return f"Reasoning... The answer is \\boxed{{{record['correct_answer']}}}."
    return "Reasoning... " + record["correct_answer"]


def _wrong(record: dict) -> str:
    if record["type"] == "MCQ":
        return "\\boxed{%s}" % ("B" if record["correct_answer"] != "B" else "D")
    return ", ".join([r"\boxed{q}"] * record["equation"].count("[MASK]"))


@pytest.fixture(scope="module")
def batch() -> dict[str, list]:
    """Every column of the reference sample as a ``datasets`` batch (what GRPOTrainer passes)."""
    return Dataset.from_list(RECORDS)[:]


def test_plain_completions_score_one_for_oracle_and_zero_for_wrong(batch: dict[str, list]):
    assert wireless_accuracy_reward([_oracle(r) for r in RECORDS], **batch) == [1.0] * len(RECORDS)
    assert wireless_accuracy_reward([_wrong(r) for r in RECORDS], **batch) == [0.0] * len(RECORDS)


def test_conversational_completions_and_extra_trainer_kwargs(batch: dict[str, list]):
    completions = [[{"role": "assistant", "content": _oracle(r)}] for r in RECORDS]
    rewards = wireless_accuracy_reward(completions, trainer_state=object(), completion_ids=[[1]] * len(RECORDS), **batch)
    assert rewards == [1.0] * len(RECORDS)


def test_think_blocks_and_mixed_rows(batch: dict[str, list]):
    completions = [f"<think>{_oracle(r)}</think> not sure" if i % 2 else _oracle(r) for i, r in enumerate(RECORDS)]
    rewards = wireless_accuracy_reward(completions, **batch)
    assert rewards == [0.0 if i % 2 else 1.0 for i in range(len(RECORDS))]


# General maths columns: (column, gold, completion, reward)
MATH_ROWS = [
    ("solution", r"The answer is $\boxed{\frac{1}{2}}$.", r"so \boxed{0.5}", 1.0),
    ("solution", r"\boxed{7}", r"\boxed{8}", 0.0),
    ("answer", "42", r"<think>hmm</think> \boxed{42}", 1.0),
    ("answer", r"2\sqrt{2}", r"\boxed{\sqrt{8}}", 1.0),
    ("answer", "3", "three", 0.0),
]


@pytest.mark.parametrize(("column", "gold", "completion", "reward"), MATH_ROWS)
def test_general_maths_columns(column: str, gold: str, completion: str, reward: float):
    assert wireless_accuracy_reward([completion], **{column: [gold]}) == [reward]


def test_rows_without_reference_get_none():
    assert wireless_accuracy_reward([r"\boxed{1}", r"\boxed{2}"], prompt=["a", "b"]) == [None, None]
    assert wireless_accuracy_reward([r"\boxed{1}"], type=["MCQ"], correct_answer=["Z"], options=[None]) == [None]


def test_problem_rows_without_equation_use_one_blank_per_reference_box():
    rewards = wireless_accuracy_reward(
        [r"\boxed{f} and \boxed{k}", r"\boxed{k} and \boxed{f}"],
        type=["fill_blank_50"] * 2, correct_answer=[r"\boxed{f} and \boxed{k}"] * 2,
    )
    assert rewards == [1.0, 0.0]


@pytest.mark.parametrize(
    ("completion", "text"),
    [("plain", "plain"), ([{"role": "assistant", "content": "c"}], "c"), ({"content": "d"}, "d"), ([], ""), (None, "")],
)
def test_completion_text(completion, text: str):
    assert completion_text(completion) == text


def test_a_batch_graded_in_threads_keeps_each_completion_its_own_reward(batch: dict[str, list]):
    """The batch is graded in several threads; interleaved right and wrong answers keep their order."""
    completions = [(_oracle if i % 3 else _wrong)(r) for i, r in enumerate(RECORDS)]
    alone = [wireless_accuracy_reward([c], **{k: [v[i]] for k, v in batch.items()})[0] for i, c in enumerate(completions)]
    assert wireless_accuracy_reward(completions, **batch) == alone == [1.0 if i % 3 else 0.0 for i in range(len(RECORDS))]

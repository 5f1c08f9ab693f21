"""Training data: train split only, a seeded validation slice, the one prompt template, leaks refused."""

from __future__ import annotations

import pytest
from fixtures_train import sixteen_problems, write_build

from wmbench.errors import TrainingError
from wmbench.prompt import render_prompt
from wmbench.storage import write_jsonl
from wmbench.train.data import REWARD_COLUMNS, load_training_data


def test_train_split_only_with_a_seeded_validation_slice(tmp_path):
    problems = sixteen_problems()
    build = write_build(tmp_path / "build", problems)
    data = load_training_data(str(build), val_size=0.25, seed=3)
    train_ids = {p.problem_id for p in problems if p.split == "train"}
    got = [r["problem_id"] for r in data.train + data.validation]
    assert sorted(got) == sorted(train_ids) and len(data.validation) == round(len(train_ids) * 0.25)
    assert not {r["problem_id"] for r in data.train} & {r["problem_id"] for r in data.validation}
    assert load_training_data(str(build), val_size=0.25, seed=3) == data
    other = load_training_data(str(build), val_size=0.25, seed=4)
    assert {r["problem_id"] for r in other.validation} != {r["problem_id"] for r in data.validation}


def test_rows_carry_the_one_prompt_and_the_reward_columns(tmp_path):
    problems = {p.problem_id: p for p in sixteen_problems()}
    build = write_build(tmp_path / "build", list(problems.values()))
    plain = load_training_data(str(build), val_size=0)
    chat = load_training_data(str(build), val_size=0, chat=True)
    for row, chat_row in zip(plain.train, chat.train, strict=True):
        problem = problems[row["problem_id"]]
        assert row["prompt"] == render_prompt(problem)
        assert chat_row["prompt"] == [{"role": "user", "content": render_prompt(problem)}]
        assert set(REWARD_COLUMNS) <= set(row) and row["correct_answer"] == problem.correct_answer
    train, val = plain.datasets()
    assert val is None and train.num_rows == len(plain.train)


def test_paper_split_trains_on_train_papers_and_refuses_a_test_paper(tmp_path):
    problems = sixteen_problems()
    build = write_build(tmp_path / "build", problems)
    data = load_training_data(str(build), split_by="paper", val_size=0)
    test_papers = {p.paper_id for p in problems if p.paper_split == "test"}
    assert data.train and not {r["paper_id"] for r in data.train} & test_papers
    first_test = next(p for p in problems if p.paper_split == "test")
    leaked = [p.replace(paper_split="train", problem_id=p.problem_id + "-copy") for p in problems if p.paper_id == first_test.paper_id]
    path = write_jsonl(problems + leaked, tmp_path / "leaky.jsonl")
    with pytest.raises(TrainingError, match=r"paper\(s\) of the paper-disjoint test split are in the training set.*" + first_test.paper_id):
        load_training_data(str(path), split_by="paper")


def test_paper_split_without_paper_splits_is_refused(tmp_path):
    path = write_jsonl([p.replace(paper_split=None) for p in sixteen_problems()], tmp_path / "p.jsonl")
    with pytest.raises(TrainingError, match="no record has a paper_split"):
        load_training_data(str(path), split_by="paper")


@pytest.mark.parametrize("val_size", [0.99, 12, 99])
def test_validation_that_leaves_nothing_to_train_on_is_refused(tmp_path, val_size):
    build = write_build(tmp_path / "build")
    with pytest.raises(TrainingError, match="leaves no training problems"):
        load_training_data(str(build), val_size=val_size)

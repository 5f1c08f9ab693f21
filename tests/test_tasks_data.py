"""Task YAMLs load offline; data sources resolve from metadata; bad data fails in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_tasks import (
    MATH_DIR,
    MATH_TASKS,
    REFERENCE,
    WIRELESS_SUBTASKS,
    math_docs,
    reference_problems,
)

from wmbench.errors import SchemaError, WmbenchError
from wmbench.evaluation import data_source
from wmbench.evaluation.runner import tasks_dir
from wmbench.schema import Problem

ALL_NAMES = ("wirelessmath_xl", *WIRELESS_SUBTASKS, "wmbench_general_math", *MATH_TASKS)

# Gold answers of the first fixture problem of each maths task, after column mapping.
MATH_FIRST_GOLD = {
    "wmbench_math500": ("test/prealgebra/1.json", "5"),
    "wmbench_minerva_math": ("0", "30"),
    "wmbench_olympiadbench": ("1601", "55"),
    "wmbench_amc23": ("0", "5"),
    "wmbench_amc22_23": ("0", "42"),
    "wmbench_aime24": ("60", "6"),
    "wmbench_aime25": ("90", "6"),
}


@pytest.fixture(scope="module")
def loaded():
    from lm_eval.tasks import TaskManager

    meta = {"data": str(REFERENCE), "split": "train", "math_data": str(MATH_DIR)}
    return TaskManager(include_path=str(tasks_dir()), include_defaults=False, metadata=meta).load(["wirelessmath_xl", "wmbench_general_math"])


def test_lm_eval_validate_accepts_every_task():
    lm_eval = Path(sys.executable).with_name("lm_eval")
    proc = subprocess.run(
        [str(lm_eval), "validate", "--include_path", str(tasks_dir()), "--tasks", ",".join(ALL_NAMES)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "All tasks found and valid" in proc.stdout


def test_groups_hold_their_subtasks(loaded):
    assert loaded["group_map"]["wirelessmath_xl"] == list(WIRELESS_SUBTASKS)
    assert loaded["group_map"]["wmbench_general_math"] == list(MATH_TASKS)


def test_wireless_subtasks_split_the_sample_by_type(loaded):
    problems = reference_problems()
    counts = {name: len(list(loaded["tasks"][name].test_docs())) for name in WIRELESS_SUBTASKS}
    assert sum(counts.values()) == len(problems)
    assert counts["wirelessmath_xl_fill_50"] == sum(p.type == "fill_blank_50" for p in problems)


def test_prompts_are_the_reference_prompts(loaded):
    by_id = {p.problem_id: p for p in reference_problems()}
    for name in WIRELESS_SUBTASKS:
        task = loaded["tasks"][name]
        for doc in task.test_docs():
            assert task.doc_to_text(doc) == by_id[doc["problem_id"]].prompt


def test_generation_is_long_and_greedy(loaded):
    for name in (*WIRELESS_SUBTASKS, *MATH_TASKS):
        kwargs = loaded["tasks"][name].config.generation_kwargs
        assert kwargs["max_gen_toks"] >= 8192 and kwargs["do_sample"] is False and kwargs["temperature"] == 0.0
        assert len(kwargs["until"]) <= 3  # the backend adds EOS; OpenAI allows 4 stop strings


@pytest.mark.parametrize("task", MATH_TASKS)
def test_math_columns_map_to_problem_and_answer(task):
    docs = math_docs(task)
    assert len(docs) == 3 and all(doc["problem"] for doc in docs)
    assert (docs[0]["problem_id"], docs[0]["answer"]) == MATH_FIRST_GOLD[task]


def test_math_prompt_asks_for_a_boxed_answer(loaded):
    task = loaded["tasks"]["wmbench_math500"]
    text = task.doc_to_text(next(iter(task.test_docs())))
    assert text.startswith("What is $2+3$?") and "\\boxed{}" in text and "step by step" in text


def test_build_directory_and_parquet_load_like_jsonl(tmp_path):
    from wmbench.storage import write_build_dir, write_parquet

    problems = reference_problems()
    write_build_dir(problems, tmp_path / "build")
    write_parquet(problems, tmp_path / "p.parquet")
    expected = [p.problem_id for p in problems if p.type == "MCQ"]
    for source in (REFERENCE, tmp_path / "build", tmp_path / "p.parquet"):
        docs = data_source.wireless_docs("MCQ", data=str(source), split="train")["test"]
        assert docs["problem_id"] == expected, source


def test_hub_splits_without_a_split_column_take_the_split_name():
    import datasets

    rows = [json.loads(line) for line in (REFERENCE.parent / "release_v1_0_records.jsonl").read_text().splitlines()]
    hub = datasets.DatasetDict({"train": datasets.Dataset.from_list(rows[:2]), "test": datasets.Dataset.from_list(rows[2:])})
    test_rows = data_source.rows_of_split(hub, "test")
    assert [r["question_id"] for r in test_rows] == [103, 104, 105] and {r["split"] for r in test_rows} == {"test"}
    problems = [Problem.from_dict(r) for r in test_rows]
    assert [p.problem_id for p in problems] == ["103", "104", "105"] and {p.split for p in problems} == {"test"}


def test_missing_split_is_one_line_naming_the_file():
    with pytest.raises(SchemaError) as info:
        data_source.wireless_docs("MCQ", data=str(REFERENCE))  # default split test; the sample is all train
    line = info.value.one_line()
    assert str(REFERENCE) in line and "'test'" in line and "train" in line and "\n" not in line


@pytest.mark.parametrize(
    ("call", "hint"),
    [
        (lambda: data_source.wireless_docs("MCQ"), '"data"'),
        (lambda: data_source.math_docs(task="wmbench_aime24", hub_id="HuggingFaceH4/aime_2024", hub_split="train",
                                       question_field="problem", answer_field="answer"), '"math_data"'),
    ],
    ids=["wireless", "math"],
)
def test_missing_hub_dataset_offline_is_one_actionable_line(call, hint):
    with pytest.raises(WmbenchError) as info:
        call()
    line = info.value.one_line()
    assert line.startswith("Hub dataset ") and "--metadata" in line and hint in line


def test_math_data_folder_without_the_task_file(tmp_path):
    with pytest.raises(SchemaError, match="wmbench_aime24.jsonl"):
        data_source.math_docs(task="wmbench_aime24", hub_id="x/y", hub_split="train",
                              question_field="problem", answer_field="answer", math_data=str(tmp_path))


def test_math_file_with_wrong_columns_names_the_column(tmp_path):
    path = tmp_path / "wmbench_aime24.jsonl"
    path.write_text(json.dumps({"question": "1+1?", "answer": "2"}) + "\n")
    with pytest.raises(SchemaError, match="'problem'"):
        data_source.math_docs(task="wmbench_aime24", hub_id="x/y", hub_split="train",
                              question_field="problem", answer_field="answer", math_data=str(path))


def test_every_task_folder_has_a_versioned_readme():
    for folder in ("wirelessmath_xl", "wmbench_general_math"):
        readme = (tasks_dir() / folder / "README.md").read_text()
        for heading in ("## Paper", "Citation", "### Checklist", "### Changelog"):
            assert heading in readme, (folder, heading)


# The committed lm-eval results fixtures: (folder, correct answers out of 27 on wirelessmath_xl).
FIXTURE_MODELS = (("oracle", 27), ("qwen-grpo-sim", 16), ("qwen-base-sim", 7))


@pytest.mark.parametrize(("name", "right"), FIXTURE_MODELS)
def test_committed_results_fixtures_are_lm_eval_output(name, right):
    folder = Path(__file__).resolve().parent / "data" / "lm_eval_results" / name
    (results_file,) = folder.glob("results_*.json")
    results = json.loads(results_file.read_text())
    assert results["groups"]["wirelessmath_xl"]["acc,verify"] == pytest.approx(right / 27)
    assert set(results["group_subtasks"]["wirelessmath_xl"]) == set(WIRELESS_SUBTASKS)
    stamp = results_file.stem.removeprefix("results_")
    for task in (*WIRELESS_SUBTASKS, *MATH_TASKS):
        assert (folder / f"samples_{task}_{stamp}.jsonl").is_file(), task

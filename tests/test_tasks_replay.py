"""The task suite end to end through lm-eval with the wmbench-replay model (real lm-eval runs)."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from fixtures_tasks import (
    MATH_TASKS,
    REFERENCE,
    WIRELESS_SUBTASKS,
    WRONG_BOX,
    math_docs,
    oracle_response,
    reference_problems,
    run_replay,
    wrong_response,
)

from wmbench.errors import SchemaError

# Repeats case: per problem, which of its 3 responses are right, cycling over problems.
REPEAT_PATTERNS = ((True, False, False), (False, False, False), (True, True, True), (False, True, False))


def _metric(results: dict, name: str, metric: str) -> float:
    table = results["groups"] if name in results.get("groups", {}) else results["results"]
    return table[name][f"{metric},verify"]


@pytest.mark.parametrize(("make", "expected"), [(oracle_response, 1.0), (wrong_response, 0.0)], ids=["oracle", "wrong"])
def test_wireless_oracle_and_wrong(tmp_path, make, expected):
    rows = [{"problem_id": p.problem_id, "response": make(p)} for p in reference_problems()]
    out = run_replay(tmp_path, rows)
    for name in (*WIRELESS_SUBTASKS, "wirelessmath_xl"):
        for metric in ("acc", "mean@k", "pass@k"):
            assert _metric(out.results, name, metric) == expected, (name, metric)
    assert out.results["n-samples"]["wirelessmath_xl_fill_50"]["effective"] == 11


def test_release_schema_v1_0_file_runs_whole_through_the_tasks(tmp_path):
    from wmbench.storage import read_problems

    v1_0 = REFERENCE.parent / "release_v1_0_records.jsonl"  # integer question_id, no split column
    rows = [{"question_id": int(p.problem_id), "response": oracle_response(p)} for p in read_problems(v1_0)]
    out = run_replay(tmp_path, rows, data=str(v1_0), split="test")
    assert _metric(out.results, "wirelessmath_xl", "acc") == 1.0
    assert sum(out.results["n-samples"][name]["effective"] for name in WIRELESS_SUBTASKS) == 5


def test_repeats_give_pass_and_mean_at_k(tmp_path):
    problems = reference_problems()
    rows, truth = [], {}
    for index, problem in enumerate(problems):
        pattern = REPEAT_PATTERNS[index % len(REPEAT_PATTERNS)]
        truth[problem.problem_id] = (problem.type, pattern)
        rows += [{"problem_id": problem.problem_id, "response": (oracle_response if ok else wrong_response)(problem)} for ok in pattern]
    out = run_replay(tmp_path, rows, repeats=3)

    by_type = defaultdict(list)
    for ptype, pattern in truth.values():
        by_type[ptype].append(pattern)
    subtask = dict(zip(("MCQ", "fill_blank_25", "fill_blank_50", "fill_blank_75", "fill_blank_100"), WIRELESS_SUBTASKS))
    for ptype, patterns in by_type.items():
        expected = _expected(patterns)
        for metric, value in expected.items():
            assert _metric(out.results, subtask[ptype], metric) == pytest.approx(value), (ptype, metric)
    for metric, value in _expected([p for _, p in truth.values()]).items():  # micro average over all problems
        assert _metric(out.results, "wirelessmath_xl", metric) == pytest.approx(value), metric


def _expected(patterns: list[tuple[bool, ...]]) -> dict[str, float]:
    n = len(patterns)
    return {
        "acc": sum(p[0] for p in patterns) / n,
        "mean@k": sum(sum(p) / len(p) for p in patterns) / n,
        "pass@k": sum(any(p) for p in patterns) / n,
    }


def test_samples_keep_extracted_answers_and_reasons(tmp_path):
    problems = reference_problems()
    rows = [{"problem_id": p.problem_id, "response": wrong_response(p)} for p in problems]
    out = run_replay(tmp_path, rows)
    assert out.results_file.is_file()
    assert out.results_file.parent.name == "replay" and out.results_file.name.startswith("results_")
    names = {path.name.split("_20")[0] for path in out.samples_files}
    assert names == {f"samples_{t}" for t in WIRELESS_SUBTASKS}
    sample = json.loads(next(p for p in out.samples_files if "fill_50" in p.name).read_text().splitlines()[0])
    verdict = json.loads(sample["filtered_resps"][0][0])
    assert verdict["correct"] is False and verdict["reason"]
    assert verdict["extracted"] and set(verdict["extracted"]) == {WRONG_BOX[len(r"\boxed{"):-1]}
    assert sample["acc"] == 0.0 and sample["doc"]["problem_id"]


@pytest.mark.parametrize(("right", "expected"), [(True, 1.0), (False, 0.0)], ids=["oracle", "wrong"])
def test_general_math_oracle_and_wrong(tmp_path, right, expected):
    rows = [
        {"task": task, "problem_id": doc["problem_id"], "response": f"Step by step. \\boxed{{{doc['answer'] if right else '-1'}}}"}
        for task in MATH_TASKS for doc in math_docs(task)
    ]
    out = run_replay(tmp_path, rows, tasks=("wmbench_general_math",))
    for name in (*MATH_TASKS, "wmbench_general_math"):
        assert _metric(out.results, name, "acc") == expected, name
    assert out.results["n-samples"]["wmbench_aime24"]["effective"] == 3


def test_missing_response_names_the_problem(tmp_path):
    problems = reference_problems()
    rows = [{"problem_id": p.problem_id, "response": oracle_response(p)} for p in problems[1:]]
    with pytest.raises(SchemaError, match=repr(problems[0].problem_id)):
        run_replay(tmp_path, rows)


def test_limit_runs_a_few_problems_per_subtask(tmp_path):
    rows = [{"problem_id": p.problem_id, "response": oracle_response(p)} for p in reference_problems()]
    out = run_replay(tmp_path, rows, limit=2)
    for name in WIRELESS_SUBTASKS:
        assert out.results["n-samples"][name]["effective"] == 2
    assert _metric(out.results, "wirelessmath_xl", "acc") == 1.0

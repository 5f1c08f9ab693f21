"""The problem record, its storage formats and the prompt template against the public release."""

from __future__ import annotations

import json

import pytest
from conftest import DATA, REFERENCE_SAMPLE

from wmbench.errors import SchemaError
from wmbench.prompt import render_prompt
from wmbench.schema import PROBLEM_TYPES, Problem
from wmbench.storage import (
    read_problems,
    to_jsonl_line,
    write_build_dir,
    write_jsonl,
    write_parquet,
)

REFERENCE_ROWS = [json.loads(line) for line in REFERENCE_SAMPLE.read_text(encoding="utf-8").splitlines()]


def test_reference_sample_loads_unchanged() -> None:
    problems = read_problems(REFERENCE_SAMPLE)
    assert len(problems) == len(REFERENCE_ROWS) == 27
    for problem, row in zip(problems, REFERENCE_ROWS):
        assert problem.to_dict() == row
        assert to_jsonl_line(problem) == json.dumps(row, ensure_ascii=False)
    assert {p.type for p in problems} == set(PROBLEM_TYPES)


@pytest.mark.parametrize("row", REFERENCE_ROWS, ids=[r["problem_id"] for r in REFERENCE_ROWS])
def test_prompt_template_reproduces_reference_prompt(row: dict) -> None:
    assert render_prompt(Problem.from_dict(row)) == row["prompt"]


def test_unknown_fields_survive_a_round_trip(tmp_path) -> None:
    row = dict(REFERENCE_ROWS[0], contamination={"hits": 0}, record_license="CC-BY-4.0", page=3)
    problem = Problem.from_dict(row)
    assert problem.extra == {"contamination": {"hits": 0}}
    assert problem.page == 3 and problem.record_license == "CC-BY-4.0"
    for path in (tmp_path / "a.jsonl", tmp_path / "a.parquet"):
        (write_jsonl if path.suffix == ".jsonl" else write_parquet)([problem], path)
        assert read_problems(path) == [problem]


def test_build_directory_round_trip_by_split(tmp_path) -> None:
    problems = [p.replace(split="test" if i % 4 == 0 else "train") for i, p in enumerate(read_problems(REFERENCE_SAMPLE))]
    written = write_build_dir(problems, tmp_path)
    assert sorted(p.name for p in written) == ["problems.jsonl", "test-00000-of-00001.parquet", "train-00000-of-00001.parquet"]
    assert read_problems(tmp_path) == problems
    (tmp_path / "problems.jsonl").unlink()
    from_shards = read_problems(tmp_path)
    assert sorted(from_shards, key=lambda p: p.problem_id) == sorted(problems, key=lambda p: p.problem_id)


def test_writes_are_deterministic(tmp_path) -> None:
    problems = read_problems(REFERENCE_SAMPLE)
    write_build_dir(problems, tmp_path / "one")
    write_build_dir(problems, tmp_path / "two")
    for name in ("problems.jsonl", "data/train-00000-of-00001.parquet"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"type": "fill_blank_33"}, "type"),
        ({"background": None}, "background"),
        ({"options": {"A": "x", "B": "y"}}, "options"),
        ({"correct_answer": "E"}, "correct_answer"),
    ],
)
def test_validation_errors_name_record_and_field(change: dict, field: str) -> None:
    mcq = next(r for r in REFERENCE_ROWS if r["type"] == "MCQ")
    with pytest.raises(SchemaError) as info:
        Problem.from_dict({**mcq, **change}, where="x.jsonl:3")
    message = info.value.one_line()
    assert mcq["problem_id"] in message and field in message and "x.jsonl:3" in message


def test_options_stored_as_a_json_string_are_read() -> None:
    """Some exports store the options mapping as a JSON string (and a fill-in's as "" or "null")."""
    mcq = next(r for r in REFERENCE_ROWS if r["type"] == "MCQ")
    assert Problem.from_dict({**mcq, "options": json.dumps(mcq["options"])}).options == mcq["options"]
    fill = next(r for r in REFERENCE_ROWS if r["type"] == "fill_blank_25")
    assert Problem.from_dict({**fill, "options": ""}).options is None
    assert Problem.from_dict({**fill, "options": "null"}).options is None
    with pytest.raises(SchemaError, match="not JSON"):
        Problem.from_dict({**mcq, "options": "A: x"})


def test_fill_in_answer_must_be_boxed() -> None:
    row = next(r for r in REFERENCE_ROWS if r["type"] == "fill_blank_25")
    with pytest.raises(SchemaError, match="correct_answer"):
        Problem.from_dict({**row, "correct_answer": "x+1"})


def test_bad_files_name_the_file(tmp_path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(REFERENCE_SAMPLE.read_text().splitlines()[0] + "\n{not json\n")
    with pytest.raises(SchemaError, match=r"bad.jsonl:2: not valid JSON"):
        read_problems(bad)
    with pytest.raises(SchemaError, match="not a build directory"):
        read_problems(tmp_path)
    (tmp_path / "x.parquet").write_bytes(b"PAR1 nonsense")
    with pytest.raises(SchemaError, match="x.parquet"):
        read_problems(tmp_path / "x.parquet")


V1_0_RECORDS = DATA / "release_v1_0_records.jsonl"  # our own records in the release's v1.0 shape


def test_release_schema_v1_0_keeps_its_integer_question_id(tmp_path) -> None:
    rows = [json.loads(line) for line in V1_0_RECORDS.read_text(encoding="utf-8").splitlines()]
    assert all(isinstance(r["question_id"], int) and "problem_id" not in r and "split" not in r for r in rows)
    problems = read_problems(V1_0_RECORDS)
    assert [p.problem_id for p in problems] == [str(r["question_id"]) for r in rows]
    assert [p.type for p in problems] == ["MCQ", "fill_blank_25", "fill_blank_50", "fill_blank_75", "fill_blank_100"]
    write_jsonl(problems, tmp_path / "again.jsonl")
    write_parquet(problems, tmp_path / "again.parquet")
    for path in (tmp_path / "again.jsonl", tmp_path / "again.parquet"):
        again = read_problems(path)
        assert again == problems
        assert [p.to_dict()["question_id"] for p in again] == [r["question_id"] for r in rows]


def test_mask_count_mismatch_is_one_warning_per_file(tmp_path, caplog) -> None:
    good = Problem.from_dict(json.loads(REFERENCE_SAMPLE.read_text(encoding="utf-8").splitlines()[0]))
    rows = [good.to_dict() | {"problem_id": f"odd-{i}", "type": "fill_blank_50", "options": None,
                              "equation": "y = [MASK] + [MASK]", "correct_answer": r"\boxed{a + b}"}
            for i in range(5)]
    rows.append(good.to_dict() | {"problem_id": "even", "type": "fill_blank_50", "options": None,
                                  "equation": "y = [MASK] + [MASK]", "correct_answer": r"\boxed{a} and \boxed{b}"})
    path = tmp_path / "odd.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with caplog.at_level("WARNING", logger="wmbench.storage"):
        assert len(read_problems(path)) == 6
    assert [r.getMessage() for r in caplog.records] == [
        f"{path}: 5 record(s) ('odd-0', 'odd-1', 'odd-2', ...) have a [MASK] count that disagrees with their "
        "\\boxed answers; they are graded against the joined equation"]

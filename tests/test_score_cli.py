"""``wmbench score`` end to end (the real console script in a subprocess) and the pass@k estimator."""

from __future__ import annotations

import json
import subprocess
import sys
from math import comb
from pathlib import Path

import pytest

from wmbench.metrics import k_values, mean_at_k, pass_at_k
from wmbench.storage import read_problems, write_build_dir

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "reference_sample.jsonl"
WMBENCH = Path(sys.executable).parent / "wmbench"


def _oracle(problem) -> str:
    answer = f"\\boxed{{{problem.correct_answer}}}" if problem.type == "MCQ" else problem.correct_answer
    return f"Step by step ... so the answer is {answer}"


def _wrong(problem) -> str:
    if problem.type == "MCQ":
        return r"\boxed{%s}" % ("A" if problem.correct_answer != "A" else "B")
    return ", ".join([r"\boxed{0}"] * problem.n_blanks)


def _write(path: Path, lines: list) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    return path


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(WMBENCH), *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def problems():
    return read_problems(SAMPLE)


@pytest.fixture()
def two_samples(problems, tmp_path: Path) -> Path:
    lines = []
    for p in problems:
        lines += [{"problem_id": p.problem_id, "response": _oracle(p)}, {"problem_id": p.problem_id, "response": _wrong(p)}]
    return _write(tmp_path / "responses.jsonl", lines)


def test_json_summary_with_pass_at_k_and_verdict_file(problems, two_samples: Path, tmp_path: Path):
    out = tmp_path / "scored.jsonl"
    result = _run("score", "--dataset", str(SAMPLE), "--responses", str(two_samples), "--out", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["n"] == 2 * len(problems)
    assert summary["accuracy"] == pytest.approx(0.5)
    assert summary["pass_at_k"] == {"1": pytest.approx(0.5), "2": pytest.approx(1.0)}
    assert set(summary["by_type"]) == {p.type for p in problems}
    assert all(v["accuracy"] == pytest.approx(0.5) for v in summary["by_type"].values())
    assert summary["issues"] == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 2 * len(problems)
    assert [r["correct"] for r in rows[:2]] == [True, False]
    assert {"problem_id", "type", "extracted", "correct", "reason"} <= set(rows[0])
    assert rows[1]["reason"].startswith(("wrong", "too_few"))


def test_malformed_and_unknown_lines_are_reported_and_counted(problems, tmp_path: Path):
    p = problems[0]
    responses = _write(tmp_path / "r.jsonl", [
        {"problem_id": p.problem_id, "response": _oracle(p)},
        "{not json",
        {"problem_id": "no-such-id", "response": "x"},
        {"problem_id": p.problem_id},
        "[1, 2]",
        {"problem_id": int(p.problem_id), "response": _wrong(p)},
    ])
    result = _run("score", "-d", str(SAMPLE), "-r", str(responses), "-f", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["n"] == 2 and summary["accuracy"] == pytest.approx(0.5) and summary["issues"] == 4
    assert summary["answered"] == 1 and summary["problems"] == len(problems)
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 5
    assert warnings[-1] == (f"warning: the responses answer 1 of the {len(problems)} problems in {SAMPLE}; "
                            "accuracy is over the 1 answered")
    for lineno, reason in [(2, "not valid JSON"), (3, "unknown problem_id 'no-such-id'"), (4, "'response'"), (5, "JSON object")]:
        assert any(f"{responses}:{lineno}:" in w and reason in w for w in warnings), (lineno, warnings)


def test_a_file_with_no_scorable_line_is_an_error(tmp_path: Path):
    responses = _write(tmp_path / "garbage.jsonl", ["{not json", {"id": 1, "text": "x"}, "[]"])
    result = _run("score", "-d", str(SAMPLE), "-r", str(responses))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"error: {responses}: no line could be scored (3 line(s) skipped; "
                                     f"first: {responses}:1: not valid JSON (Expecting property name enclosed in double quotes))")


def test_table_lists_types_in_natural_order_and_the_coverage(problems, tmp_path: Path):
    responses = _write(tmp_path / "r.jsonl", [{"problem_id": p.problem_id, "response": _oracle(p)} for p in problems])
    result = _run("score", "-d", str(SAMPLE), "-r", str(responses))
    assert result.returncode == 0, result.stderr
    present = [t for t in ("MCQ", "fill_blank_25", "fill_blank_50", "fill_blank_75", "fill_blank_100")
               if any(p.type == t for p in problems)]
    rows = [line.split()[1] for line in result.stdout.splitlines() if line.split()[1:2] and line.split()[1] in present]
    assert rows == present and len(present) >= 3
    assert f"answered {len(problems)} of {len(problems)} problems" in result.stdout


def test_release_schema_v1_0_dataset_and_question_id_responses(tmp_path: Path):
    v1_0 = DATA / "release_v1_0_records.jsonl"  # integer question_id, no problem_id, no split
    problems = read_problems(v1_0)
    lines = [{"question_id": int(p.problem_id), "response": _oracle(p)} for p in problems]
    lines[1] = {"problem_id": problems[1].problem_id, "response": _wrong(problems[1])}
    result = _run("score", "-d", str(v1_0), "-r", str(_write(tmp_path / "r.jsonl", lines)), "-f", "json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["accuracy"] == pytest.approx(0.8) and summary["answered"] == summary["problems"] == 5
    assert summary["by_type"]["fill_blank_25"]["accuracy"] == 0.0


def test_table_output_and_build_directory_input(problems, two_samples: Path, tmp_path: Path):
    build = tmp_path / "build"
    write_build_dir(problems, build)
    (build / "problems.jsonl").unlink()  # read the Parquet shards
    result = _run("score", "--dataset", str(build), "--responses", str(two_samples))
    assert result.returncode == 0, result.stderr
    for text in ("fill_blank_50", "MCQ", "accuracy", "0.500", "pass@2 = 1.000"):
        assert text in result.stdout


def test_single_sample_has_no_pass_at_k_and_output_is_deterministic(problems, tmp_path: Path):
    responses = _write(tmp_path / "r.jsonl", [{"problem_id": p.problem_id, "response": _oracle(p)} for p in problems])
    outs = []
    for name in ("a.jsonl", "b.jsonl"):
        result = _run("score", "-d", str(SAMPLE), "-r", str(responses), "-o", str(tmp_path / name), "-f", "json")
        assert result.returncode == 0, result.stderr
        summary = json.loads(result.stdout)
        assert "pass_at_k" not in summary and summary["accuracy"] == 1.0
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-d", "missing.jsonl", "-r", "{responses}"], "missing.jsonl: no such file"),
        (["-d", str(SAMPLE), "-r", "missing-responses.jsonl"], "missing-responses.jsonl: no such responses file"),
        (["-d", str(SAMPLE), "-r", "{responses}", "-f", "csv"], "--format: expected one of table, json"),
    ],
)
def test_user_errors_are_one_line(args: list[str], message: str, tmp_path: Path):
    responses = _write(tmp_path / "r.jsonl", [])
    result = _run("score", *[a.replace("{responses}", str(responses)) for a in args])
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr and "Traceback" not in result.stderr


# pass@k: (n, c, k, expected), expected from the definition 1 - C(n-c, k) / C(n, k)
PASS_AT_K = [(10, 0, 1, 0.0), (10, 10, 5, 1.0), (10, 3, 1, 0.3), (5, 1, 5, 1.0), (4, 2, 2, 1 - 1 / 6), (100, 17, 10, 1 - comb(83, 10) / comb(100, 10))]


@pytest.mark.parametrize(("n", "c", "k", "expected"), PASS_AT_K)
def test_pass_at_k(n: int, c: int, k: int, expected: float):
    assert pass_at_k(n, c, k) == pytest.approx(expected)


@pytest.mark.parametrize(("n", "c", "k"), [(3, 4, 1), (3, 1, 0), (3, 1, 4), (2, -1, 1)])
def test_pass_at_k_rejects_impossible_counts(n: int, c: int, k: int):
    with pytest.raises(ValueError):
        pass_at_k(n, c, k)


def test_mean_at_k_and_k_values():
    assert mean_at_k([True, False, True, True], 2) == 0.5
    assert mean_at_k([True, False, True, True]) == 0.75
    assert k_values(1) == [1] and k_values(5) == [1, 2, 4, 5] and k_values(8) == [1, 2, 4, 8]
    with pytest.raises(ValueError):
        mean_at_k([])

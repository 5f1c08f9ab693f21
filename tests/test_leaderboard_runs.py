"""Real lm-eval runs as a user makes them: a checkpoint named by its path, a model run twice, a
``--limit`` run; ``wmbench leaderboard`` must name, choose and mark them right (issue #17, point 8).

The runs go through lm-eval with the replay model (recorded responses of the fixture models), so
every file is lm-eval's own output; ``model=<absolute path>`` makes lm-eval record the path as the
model name, exactly as ``pretrained=/path/to/checkpoint`` does for a Hugging Face model.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_leaderboard import LM_EVAL_RESULTS, REFERENCE_SAMPLE, REPO

RESPONSES = LM_EVAL_RESULTS / "responses"


def _run(out: Path, model: Path, responses: str | Path, limit: float | None = None, repeats: int | None = None) -> None:
    from wmbench.evaluation.runner import EvalConfig, run

    run(EvalConfig(model="wmbench-replay", model_args=f"responses={RESPONSES / responses},model={model}",
                   tasks=("wirelessmath_xl",), output=str(out), data=str(REFERENCE_SAMPLE), split="train",
                   log_samples=True, limit=limit, repeats=repeats))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(results folder, checkpoints folder): qwen-tiny run twice in full then once with --limit; quick-look only
    limited; sampled once with two responses per problem (the oracle's, then qwen-base-sim's)."""
    root = tmp_path_factory.mktemp("runs")
    results, checkpoints = root / "results", root / "checkpoints"
    _run(results, checkpoints / "qwen-tiny", "qwen-base-sim.jsonl")  # older full run: 7/27 right
    _run(results, checkpoints / "qwen-tiny", "oracle.jsonl")  # newest full run: 27/27 right
    _run(results, checkpoints / "qwen-tiny", "qwen-base-sim.jsonl", limit=2)  # newer, but limited
    _run(results, checkpoints / "quick-look", "oracle.jsonl", limit=2)
    two_each = root / "two_each.jsonl"  # one id's lines serve its repeats in file order
    two_each.write_text((RESPONSES / "oracle.jsonl").read_text(encoding="utf-8")
                        + (RESPONSES / "qwen-base-sim.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    _run(results, checkpoints / "sampled", two_each, repeats=2)
    return results, checkpoints


def leaderboard(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from wmbench.cli import main; main()", "leaderboard", *args],
                          capture_output=True, text=True, cwd=REPO, timeout=300)


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def board(runs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("board") / "lb"
    # A pair may name a checkpoint by the path it was evaluated from.
    done = leaderboard(str(runs[0]), "--out", str(out), "--resamples", "200", "--pair", f"{runs[1] / 'qwen-tiny'}=quick-look")
    assert done.returncode == 0, done.stderr
    return out, done.stderr


def test_a_checkpoint_is_named_by_its_folder_and_no_machine_path_is_written(runs, board) -> None:
    out, _ = board
    assert [r["model"] for r in rows(out / "runs.csv")] == ["quick-look"] + ["qwen-tiny"] * 3 + ["sampled"]
    assert {(r["base"], r["trained"]) for r in rows(out / "gains.csv")} == {("qwen-tiny", "quick-look")}
    checkpoints = str(runs[1])
    lm_eval_folder = checkpoints.replace("/", "__")  # lm-eval names its output folder after the path
    for path in out.rglob("*"):
        if path.suffix in (".csv", ".md", ".html", ".json", ".tex"):
            text = path.read_text(encoding="utf-8")
            assert checkpoints not in text and lm_eval_folder not in text, path.name


def test_two_full_runs_are_not_pooled_and_the_newest_full_run_is_used(board) -> None:
    out, stderr = board
    accuracy = {r["model"]: r for r in rows(out / "accuracy.csv")}
    assert float(accuracy["qwen-tiny"]["Overall"]) == 100.0  # the oracle run alone, not (7 + 27) / 54
    assert {r["model"] for r in rows(out / "pass_at_k.csv")} == {"sampled"}  # from --repeats only
    runs = [r for r in rows(out / "runs.csv") if r["model"] == "qwen-tiny"]
    assert [(r["used"], r["limit"]) for r in runs] == [("no", ""), ("yes", ""), ("no", "2.0")]
    assert "qwen-tiny: 3 runs found, not pooled" in stderr and "2 unused, listed under Runs" in stderr
    assert "not pooled" in (out / "index.html").read_text(encoding="utf-8")


def test_problem_counts_agree_between_the_tables(board) -> None:
    out, _ = board
    used = next(r for r in rows(out / "runs.csv") if r["model"] == "qwen-tiny" and r["used"] == "yes")
    ranked = next(r for r in rows(out / "accuracy.csv") if r["model"] == "qwen-tiny")
    assert ranked["wireless_problems"] == used["wireless_problems"] == "27"
    assert used["general_math_problems"] == "0"


def test_a_limited_run_stays_out_of_the_ranking_unless_asked(runs, board, tmp_path: Path) -> None:
    out, stderr = board
    assert "quick-look" not in {r["model"] for r in rows(out / "accuracy.csv")}
    assert "quick-look: evaluated with --limit 2" in stderr and "--include-limited" in stderr
    done = leaderboard(str(runs[0]), "--out", str(tmp_path / "lb"), "--resamples", "200", "--include-limited")
    assert done.returncode == 0, done.stderr
    accuracy = {r["model"]: r for r in rows(tmp_path / "lb" / "accuracy.csv")}
    assert (accuracy["quick-look"]["limit"], accuracy["quick-look"]["wireless_problems"]) == ("2.0", "10")
    assert accuracy["qwen-tiny"]["limit"] == ""  # the full run it uses
    assert "| Limit " in (tmp_path / "lb" / "leaderboard.md").read_text(encoding="utf-8")


def test_pass_at_k_comes_from_repeats_within_one_run(board) -> None:
    out, _ = board
    row = next(r for r in rows(out / "pass_at_k.csv") if r["model"] == "sampled")
    assert (row["problems"], row["samples"]) == ("27", "2")
    assert float(row["pass@2"]) == 100.0  # the oracle's response is always one of the two
    assert float(row["mean@k"]) == round(100 * (27 + 7) / 54, 2)
    assert float(row["pass@1"]) == float(row["mean@k"])

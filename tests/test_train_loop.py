"""The loop in one test: build example papers → 2 GRPO steps → base and trained scored by lm-eval's
``hf`` backend on local data → ``wmbench leaderboard`` shows the pair with its gain rows."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_build import EXAMPLE_PAPERS
from fixtures_train import MATH_DIR, SMALL_RUN
from tiny_model import tiny_model  # noqa: F401  (session fixture)

WMBENCH = [sys.executable, "-m", "wmbench.cli"]
PAPERS = ("2501.00004v1", "2501.00011v1")  # quick ones: a LaTeX source and a PDF


def wmbench(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([*WMBENCH, *argv], capture_output=True, text=True, timeout=900, cwd=cwd)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


@pytest.mark.slow
def test_build_train_evaluate_leaderboard(tmp_path, tiny_model):  # noqa: F811
    papers = tmp_path / "papers"
    papers.mkdir()
    for path in sorted(EXAMPLE_PAPERS.iterdir()):
        if path.name.startswith(PAPERS):
            (shutil.copytree if path.is_dir() else shutil.copy2)(path, papers / path.name)
    # two quick papers make too few fully defined problems for both splits: the loop, not the gate, is tested here
    wmbench("build", "--papers", str(papers), "--out", "build", "--quiet", "--max-undefined", "99", cwd=tmp_path)

    trained = wmbench(
        "train", "grpo", "--model_name_or_path", str(tiny_model), "--data", "build", "--output_dir", "grpo",
        *SMALL_RUN, "--val_size", "0",
        "--eval", "--eval_tasks", "wirelessmath_xl,wmbench_general_math", "--eval_math_data", str(MATH_DIR),
        "--eval_limit", "2", "--eval_max_gen_toks", "8", "--eval_output", "eval", cwd=tmp_path,
    )
    assert "model: grpo" in trained.stdout and "leaderboard: eval/leaderboard" in trained.stdout
    assert (tmp_path / "grpo" / "model.safetensors").is_file()

    wmbench("leaderboard", "eval/results", "--pair", f"{tiny_model}=grpo", "--include-limited", "--out", "board", cwd=tmp_path)
    for table, scopes in (("gains", {"MCQ", "FB-25", "FB-50", "FB-75", "FEC", "Overall"}), ("transfer", {"MATH-500", "AIME24"})):
        rows = list(csv.DictReader((tmp_path / "board" / f"{table}.csv").open(encoding="utf-8")))
        assert {(r["base"], r["trained"]) for r in rows} == {(tiny_model.name, "grpo")}  # checkpoints shown by folder name
        assert scopes <= {r["scope"] for r in rows}
        overall = next(r for r in rows if r["scope"] in ("Overall", "MATH-500"))
        assert float(overall["gain_pts_ci_low"]) <= float(overall["gain_pts"]) <= float(overall["gain_pts_ci_high"])
        assert int(overall["shared_problems"]) > 0
    assert (tmp_path / "eval" / "leaderboard" / "gains.csv").read_text() == (tmp_path / "board" / "gains.csv").read_text()

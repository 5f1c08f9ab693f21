"""``wmbench eval`` as a new user runs it: no --device, the task's default generation budget,
a model whose context is far below 16k tokens, and an install without lm-eval."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_tasks import REFERENCE
from tiny_model import tiny_model  # noqa: F401  (session fixture)

CLI = "from wmbench.cli import main; main()"


def _eval(*args: str, prelude: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", prelude + CLI, "eval", *args],
                          capture_output=True, text=True, timeout=900, check=False)


def test_without_lm_eval_it_names_the_extra_to_install(tmp_path):
    done = _eval("--model", "hf", "--output", str(tmp_path), prelude="import sys; sys.modules['lm_eval'] = None; ")
    assert done.returncode == 1
    assert done.stderr == "error: wmbench eval: needs lm_eval, which is not installed; install the 'eval' extra: pip install -e \".[eval]\"\n"


@pytest.mark.slow
def test_hf_model_with_a_short_context_runs_on_the_cpu_with_a_fitted_budget(tmp_path, tiny_model):  # noqa: F811
    import torch

    done = _eval("--model", "hf", "--model-args", f"pretrained={tiny_model},dtype=float32",
                 "--tasks", "wirelessmath_xl_mcq", "--data", str(REFERENCE), "--split", "train", "--limit", "1",
                 "--output", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr[-3000:]
    # the tiny GPT-2 has 1024 positions; the longest MCQ prompt of the sample takes 974 of them
    assert ("wirelessmath_xl_mcq: max_gen_toks 16384 lowered to 50 to fit the model's context of 1024 tokens "
            "(longest prompt 974)") in done.stderr
    (results_file,) = (tmp_path / "out").glob("*/results_*.json")
    results = json.loads(results_file.read_text())
    assert results["configs"]["wirelessmath_xl_mcq"]["generation_kwargs"]["max_gen_toks"] == 50
    assert results["config"]["device"] == ("cuda:0" if torch.cuda.is_available() else "cpu")
    assert results["config"]["model"] == "hf" and results["model_source"] == "hf"


@pytest.mark.slow
def test_an_explicit_budget_that_does_not_fit_is_one_line(tmp_path, tiny_model):  # noqa: F811
    done = _eval("--model", "hf", "--model-args", f"pretrained={tiny_model},dtype=float32",
                 "--tasks", "wirelessmath_xl_mcq", "--data", str(REFERENCE), "--split", "train", "--limit", "1",
                 "--gen-kwargs", "max_gen_toks=2000", "--output", str(tmp_path / "out"))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "error: wirelessmath_xl_mcq: max_gen_toks=2000 does not fit the model's context of 1024 tokens "
        "with the longest prompt (974); use at most 50")
    assert not (tmp_path / "out").exists()

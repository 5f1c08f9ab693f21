"""lm-eval's real ``hf`` backend on a tiny random GPT-2, and the ``wmbench eval`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_tasks import (
    MATH_DIR,
    REFERENCE,
    WIRELESS_SUBTASKS,
    oracle_response,
    reference_problems,
    write_responses,
)
from tiny_model import tiny_model  # noqa: F401  (session fixture)

WMBENCH = Path(sys.executable).with_name("wmbench")


@pytest.mark.slow
@pytest.mark.parametrize("chat", [False, True], ids=["plain", "chat-template"])
def test_hf_backend_end_to_end(tmp_path, tiny_model, chat):  # noqa: F811
    from wmbench.evaluation.runner import EvalConfig, run

    out = run(EvalConfig(
        model="hf",
        model_args=f"pretrained={tiny_model},dtype=float32",
        tasks=("wirelessmath_xl",),
        output=str(tmp_path / "results"),
        data=str(REFERENCE),
        split="train",
        limit=2,
        gen_kwargs="max_gen_toks=8",
        apply_chat_template=chat,
        log_samples=True,
        device="cpu",
    ))
    results = json.loads(out.results_file.read_text())
    assert set(results["group_subtasks"]["wirelessmath_xl"]) == set(WIRELESS_SUBTASKS)
    for name in WIRELESS_SUBTASKS:
        assert 0.0 <= results["results"][name]["acc,verify"] <= 1.0
        assert results["n-samples"][name]["effective"] == 2
    assert 0.0 <= results["groups"]["wirelessmath_xl"]["acc,verify"] <= 1.0
    sample = json.loads(out.samples_files[0].read_text().splitlines()[0])
    prompt = sample["arguments"]["gen_args_0"]["arg_0"]
    assert ("<|user|>" in prompt) is chat and "**Background**" in prompt
    assert isinstance(sample["resps"][0][0], str) and json.loads(sample["filtered_resps"][0][0])["reason"]


@pytest.mark.slow
def test_wmbench_eval_command_writes_results_and_samples(tmp_path):
    rows = [{"problem_id": p.problem_id, "response": oracle_response(p)} for p in reference_problems()]
    responses = write_responses(tmp_path / "answers.jsonl", rows)
    proc = subprocess.run(
        [str(WMBENCH), "eval", "--model", "wmbench-replay", "--model-args", f"responses={responses},model=my-api",
         "--tasks", "wirelessmath_xl", "--data", str(REFERENCE), "--split", "train",
         "--log-samples", "--output", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    folder = tmp_path / "out" / "my-api"
    (results_file,) = folder.glob("results_*.json")
    assert json.loads(results_file.read_text())["groups"]["wirelessmath_xl"]["acc,verify"] == 1.0
    assert len(list(folder.glob("samples_wirelessmath_xl_*.jsonl"))) == len(WIRELESS_SUBTASKS)
    assert "wirelessmath_xl" in proc.stdout and str(results_file.name) in proc.stdout


def test_wmbench_eval_offline_without_data_is_one_line(tmp_path):
    responses = write_responses(tmp_path / "answers.jsonl", [])
    proc = subprocess.run(
        [str(WMBENCH), "eval", "--model", "wmbench-replay", "--model-args", f"responses={responses}",
         "--tasks", "wirelessmath_xl", "--math-data", str(MATH_DIR), "--output", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: Hub dataset XINLI1997/WirelessMATHBench-XL") and "--data PATH" in last
    assert "Traceback" not in proc.stderr

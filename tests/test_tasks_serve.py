"""pipelines/vllm_serve.sh against a real local chat-completions server (lm-eval's HTTP backend)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from chat_server import ChatServer
from fixtures_tasks import (
    REFERENCE,
    WIRELESS_SUBTASKS,
    oracle_response,
    reference_problems,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_vllm_serve_recipe_scores_a_served_model(tmp_path):
    answers = {p.prompt: oracle_response(p) for p in reference_problems()}
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        SKIP_SERVE="1", MODEL="served-oracle", TASKS="wirelessmath_xl", NUM_CONCURRENT="4",
        DATA=str(REFERENCE), SPLIT="train", OUT=str(tmp_path / "out"),
    )
    with ChatServer(answers) as server:
        env["BASE_URL"] = server.url
        proc = subprocess.run(["bash", str(REPO / "pipelines" / "vllm_serve.sh")], env=env,
                              capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (results_file,) = (tmp_path / "out" / "served-oracle").glob("results_*.json")
    results = json.loads(results_file.read_text())
    for name in WIRELESS_SUBTASKS:
        assert results["results"][name]["acc,verify"] == 1.0, name
    assert len(server.requests) == len(answers)  # every prompt was the reference prompt
    first = server.requests[0]
    assert first["max_tokens"] == 16384 and first["temperature"] == 0 and len(first["stop"]) <= 4
    assert "\n**Background**" in first["stop"]

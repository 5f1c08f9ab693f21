"""Both notebooks run top to bottom (nbclient, the venv's ipykernel) on a fixture build and the
fixture lm-eval results, and show what they promise."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from fixtures_leaderboard import LM_EVAL_RESULTS, REFERENCE_SAMPLE, REPO
from nbclient import NotebookClient

from wmbench.storage import read_problems, write_build_dir

NOTEBOOKS = REPO / "notebooks"
# The shape of `wmbench build`'s build_report.json (papers, stage counts, rejections by reason).
GATE_REPORT = {
    "schema_version": 1,
    "papers": [{"paper_id": "2309.15483v1", "status": "ok", "problems": 1, "by_type": {"fill_blank_50": 1}}],
    "counts": {"problems_generated": 30, "problems_after_gates": 27, "by_type": {"MCQ": 3}},
    "gate_failures": {"no_leakage: background shows a masked answer": 2, "mcq_distractors: two options equivalent": 1},
    "type_skips": {"fill_blank_75: no mask set close enough to the target ratio": 4},
}


def run_notebook(name: str, tmp_path: Path) -> str:
    """Execute a notebook in a scratch copy of notebooks/; return all its text outputs."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    nbformat.write(notebook, tmp_path / name)  # kept for debugging a failure
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"{name}: {output.get('ename')}: {output.get('evalue')}"
            texts.append(output.get("text") or output.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


@pytest.mark.slow
def test_explore_build_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = tmp_path / "build"
    problems = read_problems(REFERENCE_SAMPLE)
    write_build_dir(problems, build)
    (build / "build_report.json").write_text(json.dumps(GATE_REPORT), encoding="utf-8")
    monkeypatch.setenv("WMBENCH_BUILD", str(build))
    text = run_notebook("explore_build.ipynb", tmp_path)
    papers = len({p.paper_id for p in problems})
    assert f"{len(problems)} problems from {papers} papers" in text
    assert "**Background**" in text and "-- gold:" in text  # prompts rendered as a model sees them
    for ptype in ("MCQ", "fill_blank_25", "fill_blank_100"):
        assert f" {ptype} " in text
    assert "gate_failures: 3 in all" in text and "no_leakage: background shows a masked answer" in text
    assert "type_skips: 4 in all" in text and "problems_after_gates" in text and "2309.15483v1" in text
    assert "IoT / LPWAN" in text  # topic breakdown


@pytest.mark.slow
def test_analyse_leaderboard_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WMBENCH_RESULTS", str(LM_EVAL_RESULTS))
    text = run_notebook("analyse_leaderboard.ipynb", tmp_path)
    for model in ("oracle", "qwen-base-sim", "qwen-grpo-sim"):
        assert model in text
    assert "fill_blank_75" in text and "wrong_blank_1" in text  # by type, and the verifier's reasons
    # The oracle solves everything, so no problem is missed by every model.
    assert "0 wireless problems missed by every model" in text

"""``wmbench build`` end to end on the example papers: all five types, every gate, determinism,
SIGKILL and resume, seeds, a Hugging Face ``datasets`` round trip."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from fixtures_build import EXAMPLE_PAPERS

from wmbench.build.gates import GATES
from wmbench.schema import PROBLEM_TYPES
from wmbench.storage import read_problems

WMBENCH = [sys.executable, "-c", "from wmbench.cli import main; main()"]
SUBSET = ("2501.00004v1", "2501.00007v1", "2501.00011v1", "2501.00012v1")  # quick papers, PDF + LaTeX and PDF only
DATA_FILES = ("problems.jsonl", "data/train-00000-of-00001.parquet", "data/test-00000-of-00001.parquet")

pytestmark = pytest.mark.slow


def run_build(papers: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    cmd = [*WMBENCH, "build", "--papers", str(papers), "--out", str(out), "--quiet", *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def data_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in DATA_FILES}


def subset(tmp: Path) -> Path:
    folder = tmp / "papers"
    folder.mkdir()
    for path in sorted(EXAMPLE_PAPERS.iterdir()):
        if path.name.startswith(SUBSET):
            (shutil.copytree if path.is_dir() else shutil.copy2)(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("example") / "build"
    done = run_build(EXAMPLE_PAPERS, out, "--workers", "2")
    return out, done.stdout


def test_example_build_has_all_types_and_every_problem_passes_every_gate(example_build) -> None:
    out, stdout = example_build
    problems = read_problems(out)
    assert {p.type for p in problems} == set(PROBLEM_TYPES)
    for problem in problems:
        for name, gate in GATES:
            assert gate(problem) is None, (problem.problem_id, name, gate(problem))
        assert problem.split in ("train", "test") and problem.paper_split in ("train", "test")
        assert problem.generator_version and problem.prompt and problem.source_kind in ("latex", "pdf")
    assert len({p.problem_id for p in problems}) == len(problems)
    letters = Counter(p.correct_answer for p in problems if p.type == "MCQ")
    assert max(letters.values()) - min(letters.values()) <= 1
    assert "problems from" in stdout and "by type:" in stdout and "by split:" in stdout


def test_example_build_report_gives_every_paper_its_fate(example_build) -> None:
    out, _ = example_build
    report = json.loads((out / "build_report.json").read_text())
    stems = {p.name.split(".pdf")[0].split(".tar")[0].removesuffix(".gz") for p in EXAMPLE_PAPERS.iterdir()
             if p.name != "papers.csv"}
    assert {p["paper_id"] for p in report["papers"]} == stems
    problems = read_problems(out)
    for fate in report["papers"]:
        mine = [p for p in problems if p.paper_id == fate["paper_id"]]
        if fate["status"] == "ok":
            assert fate["problems"] == len(mine) and sum(fate["by_type"].values()) == len(mine)
        else:
            assert fate["reason"] and not mine
    counts = report["counts"]
    assert counts["problems_final"] == len(problems)
    assert counts["problems_generated"] >= counts["problems_after_gates"] >= counts["problems_after_dedup"] == len(problems)
    assert report["equation_skips"] and "seconds" in report["timings"]
    assert (out / "README.md").read_text().startswith("---")


def test_example_build_loads_with_datasets(example_build) -> None:
    import datasets

    out, _ = example_build
    files = {split: str(out / "data" / f"{split}-00000-of-00001.parquet") for split in ("train", "test")}
    loaded = datasets.load_dataset("parquet", data_files=files)
    problems = read_problems(out)
    for split in ("train", "test"):
        rows = [p for p in problems if p.split == split]
        assert loaded[split].num_rows == len(rows)
        assert loaded[split]["problem_id"] == [p.problem_id for p in rows]
        assert loaded[split]["prompt"] == [p.prompt for p in rows]


def test_killed_build_resumes_to_identical_bytes_and_seeds_matter(tmp_path: Path) -> None:
    papers = subset(tmp_path)
    reference = tmp_path / "reference"
    run_build(papers, reference)

    killed = tmp_path / "killed"
    cmd = [*WMBENCH, "build", "--papers", str(papers), "--out", str(killed), "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    cache = killed / ".cache" / "papers"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and not list(cache.glob("*.json")):
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = len(list(cache.glob("*.json")))
    assert 1 <= finished < len(SUBSET), finished
    assert not (killed / "problems.jsonl").exists()

    run_build(papers, killed, "--resume", "--workers", "2")  # another worker count: same bytes
    assert data_bytes(killed) == data_bytes(reference)
    assert (killed / "README.md").read_bytes() == (reference / "README.md").read_bytes()
    report = json.loads((killed / "build_report.json").read_text())
    assert 1 <= len(report["timings"]["cached_papers"]) < len(SUBSET)
    first = json.loads((reference / "build_report.json").read_text())
    assert {k: v for k, v in report.items() if k != "timings"} == {k: v for k, v in first.items() if k != "timings"}

    other_seed = tmp_path / "seed1"
    run_build(papers, other_seed, "--seed", "1")
    assert (other_seed / "problems.jsonl").read_bytes() != (reference / "problems.jsonl").read_bytes()

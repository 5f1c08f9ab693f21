"""``wmbench build`` command line: bad input gives one line naming the input and the reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

WMBENCH = [sys.executable, "-c", "from wmbench.cli import main; main()"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*WMBENCH, "build", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--papers", "{tmp}/missing", "--out", "{tmp}/out"], "missing: papers folder does not exist or is not a folder"),
        (["--papers", "{tmp}", "--out", "{tmp}/out", "--llm-base-url", "http://127.0.0.1:9/v1"],
         "--llm-base-url/--llm-model: give both or neither"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    done = _run(*[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and lines[0].endswith(message), done.stderr


def test_empty_folder_builds_an_empty_report(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "notes.txt").write_text("not a paper", encoding="utf-8")
    done = _run("--papers", str(papers), "--out", str(tmp_path / "out"), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "0 problems from 0 of 0 papers" in done.stdout
    assert "file notes.txt: not a paper" in done.stdout


def test_help_shows_examples() -> None:
    done = _run("--help")
    assert done.returncode == 0 and "wmbench build --papers examples/papers --out build/example" in done.stdout

"""What every ``wmbench`` command shares: --version, readable --help, one progress flag, no bars in pipes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_build import EXAMPLE_PAPERS

import wmbench
from wmbench.cli import COMMANDS

WMBENCH = [sys.executable, "-c", "from wmbench.cli import main; main()"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*WMBENCH, *args], capture_output=True, text=True, timeout=300, check=False)


def test_version() -> None:
    done = _run("--version")
    assert done.returncode == 0 and done.stdout == f"wmbench {wmbench.__version__}\n"


@pytest.mark.parametrize("command", [None, *(name for _, name in COMMANDS)])
def test_help_has_click_style_placeholders(command: str | None) -> None:
    done = _run(*([command] if command else []), "--help")
    assert done.returncode == 0, done.stderr
    for typer_label in ("<bool>", "<list[", "<str>", "<path>", "<int"):
        assert typer_label not in done.stdout, (command, typer_label)
    if command in ("build", "ingest"):
        assert "--quiet" in done.stdout and "--no-progress" not in done.stdout and "--progress" not in done.stdout


def test_build_into_a_pipe_shows_no_progress_bar_and_no_progress_stays_an_alias(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    for path in EXAMPLE_PAPERS.glob("2501.00002v1.*"):
        shutil.copy(path, papers / path.name)
    done = _run("build", "--papers", str(papers), "--out", str(tmp_path / "out"))  # stderr is a pipe here
    assert done.returncode == 0, done.stderr
    assert "%|" not in done.stderr and "it/s" not in done.stderr, done.stderr
    alias = _run("ingest", "--papers", str(papers), "--out", str(tmp_path / "ingest"), "--no-progress")
    assert alias.returncode == 0, alias.stderr
    assert "1 papers ingested" in alias.stdout


def test_ingest_out_that_is_a_file_and_an_empty_folder_are_one_line(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    done = _run("ingest", "--papers", str(papers), "--out", str(tmp_path / "taken"))
    assert done.returncode == 1
    assert done.stderr == f"error: {tmp_path / 'taken'}: exists and is not a folder; --out needs a folder\n"
    empty = _run("ingest", "--papers", str(papers), "--out", str(tmp_path / "out"))
    assert empty.returncode == 1
    assert empty.stderr == f"error: {papers}: no paper could be ingested (0 file(s) skipped)\n"

"""``wmbench build`` command line: bad input gives one line naming the input and the reason."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures_build import EXAMPLE_PAPERS

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


def test_empty_papers_folder_is_an_error(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "notes.txt").write_text("not a paper", encoding="utf-8")
    done = _run("--papers", str(papers), "--out", str(tmp_path / "out"), "--quiet")
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {papers}: no papers found; 1 file(s) skipped, e.g. notes.txt: not a paper: expected .pdf")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "wrote" not in done.stdout and not (tmp_path / "out").exists()


def _one_paper(folder: Path, stem: str) -> Path:
    folder.mkdir()
    for path in EXAMPLE_PAPERS.glob(f"{stem}.*"):
        shutil.copy(path, folder / path.name)
    return folder


def test_out_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("x", encoding="utf-8")
    done = _run("--papers", str(_one_paper(tmp_path / "p", "2501.00001v1")), "--out", str(tmp_path / "out"), "-q")
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: {tmp_path / 'out'}: exists and is not a folder; --out needs a folder"


def test_a_different_earlier_build_is_refused_unless_overwrite(tmp_path: Path) -> None:
    first, second, out = _one_paper(tmp_path / "a", "2501.00001v1"), _one_paper(tmp_path / "b", "2501.00002v1"), tmp_path / "out"
    assert _run("--papers", str(first), "--out", str(out), "-q").returncode == 0
    stale = out / "data" / "validation-00000-of-00001.parquet"
    stale.write_bytes(b"left by hand")
    again = _run("--papers", str(first), "--out", str(out), "-q")  # the same build: rebuilt in place
    assert again.returncode == 0, again.stderr
    assert not stale.exists()  # only this build's shards stay
    refused = _run("--papers", str(second), "--out", str(out), "-q")
    assert refused.returncode == 1
    assert refused.stderr.strip().endswith("holds a different build (1 papers; not given now: 2501.00001v1; "
                                           "new: 2501.00002v1); pass --overwrite to replace it, or choose another --out")
    (out / "README.md").write_text("hand-written card of the old build\n", encoding="utf-8")
    done = _run("--papers", str(second), "--out", str(out), "-q", "--overwrite")
    assert done.returncode == 0, done.stderr
    assert {p["paper_id"] for p in json.loads((out / "build_report.json").read_text())["papers"]} == {"2501.00002v1"}
    assert "hand-written card" not in (out / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in (out / ".cache" / "papers").iterdir()][0].startswith("2501.00002v1-")
    assert len(list((out / ".cache" / "papers").iterdir())) == 1


def test_summary_names_papers_export_will_withhold(tmp_path: Path) -> None:
    papers = _one_paper(tmp_path / "p", "2501.00001v1")  # no papers.csv: no licence
    done = _run("--papers", str(papers), "--out", str(tmp_path / "out"), "-q")
    assert done.returncode == 0, done.stderr
    assert "licence: `wmbench export` will withhold" in done.stdout
    assert "  2501.00001v1: no licence recorded for the source paper (" in done.stdout


def test_help_shows_examples() -> None:
    done = _run("--help")
    assert done.returncode == 0 and "wmbench build --papers examples/papers --out build/example" in done.stdout

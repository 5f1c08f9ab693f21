"""``wmbench leaderboard`` end to end: files written, determinism, --check, one-line errors."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_leaderboard import LM_EVAL_RESULTS, REPO

from wmbench.leaderboard import LeaderboardOptions, Pair, generate

EXAMPLE = REPO / "leaderboards" / "example"
PAIRS = REPO / "leaderboards" / "example.pairs.yaml"
SIZES = REPO / "leaderboards" / "example.sizes.yaml"
TEXT_OUTPUTS = ("runs.json", "leaderboard.md", "index.html", "accuracy.csv", "accuracy.tex", "general_math.csv",
                "gains.csv", "gains.tex", "transfer.csv", "transfer.tex", "published.csv")
PLOTS = ("plots/accuracy_by_type.png", "plots/base_vs_trained.png", "plots/accuracy_vs_size.png")


def wmbench(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in a child process (so exit codes and stderr are the user's)."""
    return subprocess.run([sys.executable, "-c", "from wmbench.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=REPO, timeout=300)


def wmbench_here(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    """The same entry point in this process (faster): exit status and stderr."""
    from wmbench.cli import main

    monkeypatch.chdir(REPO)
    monkeypatch.setattr(sys, "argv", ["wmbench", *args])
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main()
    return int(exited.value.code or 0), capsys.readouterr().err


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lb") / "board"
    done = wmbench("leaderboard", str(LM_EVAL_RESULTS), "--out", str(out), "--pairs", str(PAIRS),
                   "--sizes", str(SIZES), "--published", "--seed", "0")
    assert done.returncode == 0, done.stderr
    return out


def test_writes_every_table_format_the_page_and_the_plots(generated: Path) -> None:
    for name in TEXT_OUTPUTS + PLOTS:
        assert (generated / name).is_file(), name
    tex = (generated / "gains.tex").read_text(encoding="utf-8")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex and "\\begin{tabular}" in tex
    markdown = (generated / "leaderboard.md").read_text(encoding="utf-8")
    assert "| qwen-grpo-sim |" in markdown and "Published WirelessMathBench-XL results" in markdown
    assert (generated / "plots" / "accuracy_by_type.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_check_passes_on_fresh_output_and_names_the_file_that_changed(generated: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    status, stderr = wmbench_here(capsys, monkeypatch, "leaderboard", str(LM_EVAL_RESULTS), "--out", str(generated), "--check")
    assert status == 0, stderr
    board = tmp_path / "board"
    board.mkdir()
    for path in generated.rglob("*"):
        if path.is_file():
            (board / path.relative_to(generated)).parent.mkdir(parents=True, exist_ok=True)
            (board / path.relative_to(generated)).write_bytes(path.read_bytes())
    edited = board / "accuracy.csv"
    edited.write_text(edited.read_text(encoding="utf-8").replace("oracle", "0racle"), encoding="utf-8")
    status, stderr = wmbench_here(capsys, monkeypatch, "leaderboard", str(LM_EVAL_RESULTS), "--out", str(board), "--check")
    assert status == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and str(edited) in lines[0] and "differs" in lines[0]


def test_committed_example_is_up_to_date(capsys, monkeypatch) -> None:
    status, stderr = wmbench_here(capsys, monkeypatch, "leaderboard", "tests/data/lm_eval_results", "--out", "leaderboards/example", "--check")
    assert status == 0, f"{stderr.strip()} (regenerate with: wmbench leaderboard tests/data/lm_eval_results " \
                                 f"--out leaderboards/example --pairs {PAIRS.relative_to(REPO)} --sizes " \
                                 f"{SIZES.relative_to(REPO)} --published)"


def test_same_inputs_and_seed_give_identical_files(tmp_path: Path) -> None:
    options = LeaderboardOptions(seed=3, resamples=300, pairs=(Pair("qwen-base-sim", "qwen-grpo-sim"),))
    generate([LM_EVAL_RESULTS], tmp_path / "a", options)
    generate([LM_EVAL_RESULTS], tmp_path / "b", options)
    names = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for name in names:
        assert filecmp.cmp(tmp_path / "a" / name, tmp_path / "b" / name, shallow=False), name
    generate([LM_EVAL_RESULTS], tmp_path / "c", LeaderboardOptions(seed=4, resamples=300, pairs=options.pairs))
    assert (tmp_path / "c" / "accuracy.csv").read_bytes() != (tmp_path / "a" / "accuracy.csv").read_bytes()


def test_regenerating_removes_stale_outputs_but_keeps_other_files(tmp_path: Path) -> None:
    out = tmp_path / "board"
    generate([LM_EVAL_RESULTS], out, LeaderboardOptions(resamples=200, pairs=(Pair("qwen-base-sim", "qwen-grpo-sim"),)))
    (out / "notes.md").write_text("mine", encoding="utf-8")
    assert (out / "gains.csv").exists()
    generate([LM_EVAL_RESULTS], out, LeaderboardOptions(resamples=200))
    assert not (out / "gains.csv").exists() and not (out / "plots" / "base_vs_trained.png").exists()
    assert (out / "notes.md").read_text(encoding="utf-8") == "mine"


# (arguments after RESULTS, text the one-line error must contain)
ERROR_CASES = [
    (["--pair", "qwen-base-sim=nobody"], "model 'nobody' has no results"),
    (["--pair", "just-one-name"], "expected BASE=TRAINED"),
    (["--pairs", "leaderboards/example.sizes.yaml"], "expected a mapping with a 'pairs' list"),
    (["--sizes", "no/such/sizes.yaml"], "no/such/sizes.yaml: cannot read"),
    (["--published", "--published-file", "no/such.csv"], "no/such.csv: published results file not found"),
]


@pytest.mark.parametrize(("args", "message"), ERROR_CASES, ids=[c[1] for c in ERROR_CASES])
def test_user_errors_are_one_line(tmp_path: Path, capsys, monkeypatch, args: list[str], message: str) -> None:
    status, stderr = wmbench_here(capsys, monkeypatch, "leaderboard", str(LM_EVAL_RESULTS), "--out", str(tmp_path / "out"), *args)
    assert status == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], stderr
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_missing_results_path_is_named(tmp_path: Path, capsys, monkeypatch) -> None:
    status, stderr = wmbench_here(capsys, monkeypatch, "leaderboard", str(tmp_path / "nothing"), "--out", str(tmp_path / "out"))
    assert status == 1 and f"{tmp_path / 'nothing'}: no such results file" in stderr


WITHOUT_MATPLOTLIB = "import sys; sys.modules['matplotlib'] = None; from wmbench.cli import main; main()"


def test_without_matplotlib_the_tables_are_written_and_one_line_names_the_extra(tmp_path: Path) -> None:
    """The plain install has no matplotlib: tables and page, no plots, no traceback."""
    out = tmp_path / "board"
    done = subprocess.run([sys.executable, "-c", WITHOUT_MATPLOTLIB, "leaderboard", str(LM_EVAL_RESULTS), "--out", str(out),
                           "--pairs", str(PAIRS), "--resamples", "200"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "ModuleNotFoundError" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if "matplotlib is not installed" in line]
    assert len(lines) == 1 and "pip install 'wmbench[plots]'" in lines[0], done.stderr
    assert (out / "accuracy.csv").is_file() and (out / "gains.tex").is_file() and not (out / "plots").exists()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<img" not in page and "wmbench[plots]" in page


def test_check_needs_no_matplotlib(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", WITHOUT_MATPLOTLIB, "leaderboard", "tests/data/lm_eval_results",
                           "--out", "leaderboards/example", "--check"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0 and "up to date" in done.stderr, done.stderr

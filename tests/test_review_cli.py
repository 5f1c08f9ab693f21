"""``wmbench review`` on a real build of a small paper of our own, and the lints as build gates.

The paper uses ``\\Ex``, a macro of a style file it does not ship, so no ingestion can expand it:
the lint gates must drop its problems and count them in ``build_report.json``; a build without
the lint gates keeps them, and ``wmbench review`` finds them there.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wmbench.build.runner import BuildConfig, build
from wmbench.review.sheet import sample
from wmbench.storage import read_problems

pytestmark = pytest.mark.slow

WMBENCH = [sys.executable, "-c", "from wmbench.cli import main; main()"]
PAPER = r"""
\documentclass{article}
\usepackage{amsmath}
\usepackage{ourmacros}
\title{Downlink Precoding for a Multiuser MISO Wireless System}
\begin{document}
\maketitle
\begin{abstract}
We study linear precoding in the downlink of a multiuser MISO wireless system in which a base
station with $N$ antennas serves $K$ single-antenna users over a flat-fading channel.
\end{abstract}
\section{System Model}
The base station transmits the data symbol $s_k$ to user $k$ with the precoding vector
$\mathbf{w}_k \in \mathbb{C}^{N\times 1}$. The signal received by user $k$ is
\begin{equation}
y_k = \mathbf{h}_k^H \mathbf{w}_k s_k + \sum_{j \neq k} \mathbf{h}_k^H \mathbf{w}_j s_j + n_k,
\end{equation}
where $\mathbf{h}_k$ is the channel vector of user $k$ and $n_k$ is the additive white Gaussian
noise with variance $\sigma^2$. Here $\sigma^2$ denotes the noise power at each user. The
signal-to-interference-plus-noise ratio of user $k$ is
\begin{equation}
\gamma_k = \frac{|\mathbf{h}_k^H \mathbf{w}_k|^2}{\sum_{j \neq k} |\mathbf{h}_k^H \mathbf{w}_j|^2 + \sigma^2},
\end{equation}
and the achievable rate of user $k$, in bits per second per hertz, is
\begin{equation}
R_k = \log_2\left(1 + \gamma_k\right).
\end{equation}
The average power the base station spends on user $k$ is
\begin{equation}
P_k = \Ex{|s_k|^2} \, \|\mathbf{w}_k\|^2 + P_{\mathrm{c}} + \frac{\rho}{K} \sum_{j=1}^{K} \|\mathbf{w}_j\|^2,
\end{equation}
where $P_{\mathrm{c}}$ is the circuit power and $\rho$ the power amplifier inefficiency.
\end{document}
"""


# A word of the text just before each equation, by the equation's left-hand side.
_CONTEXT_WORDS = {"y_k": "The signal received by user", "\\gamma_k": "signal-to-interference-plus-noise ratio of user",
                  "R_k": "in bits per second per hertz", "P_k": "The average power the base station spends"}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("review")
    (root / "papers" / "miso.0001").mkdir(parents=True)
    (root / "papers" / "miso.0001" / "main.tex").write_text(PAPER, encoding="utf-8")
    out = {"papers": root / "papers"}
    for name, lint_gates in (("gated", True), ("ungated", False)):
        build(BuildConfig(papers=root / "papers", out=root / name, seed=0, progress=False, lint_gates=lint_gates))
        out[name] = root / name
    return out


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*WMBENCH, "review", *args], capture_output=True, text=True, timeout=120)


def test_lint_gates_drop_leftover_macros_and_count_them(builds: dict[str, Path]) -> None:
    report = json.loads((builds["gated"] / "build_report.json").read_text(encoding="utf-8"))
    gated, ungated = read_problems(builds["gated"]), read_problems(builds["ungated"])
    assert report["gate_failures"].get("leftover_macro: leftover macro", 0) > 0
    assert gated and not any("\\Ex" in json.dumps(p.to_dict()) for p in gated)
    assert any("\\Ex" in p.equation or "\\Ex" in json.dumps(p.options) for p in ungated)
    assert {p.problem_id for p in gated} < {p.problem_id for p in ungated}


def test_review_table_and_json(builds: dict[str, Path]) -> None:
    table = _run(str(builds["ungated"]))
    assert table.returncode == 0, table.stderr
    assert "miso.0001" in table.stdout and "macro" in table.stdout and "of MCQs" in table.stdout
    done = _run(str(builds["ungated"]), "--format", "json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    macros = summary["defects"]["leftover_macro"]
    assert macros["gate"] is True and macros["problems"] > 0
    assert summary["by_paper"]["miso.0001"]["leftover_macro"] == macros["problems"]
    flagged = [f for f in summary["findings"] if "leftover_macro" in f["defects"]]
    assert len(flagged) == macros["problems"] and all("\\Ex" in f["defects"]["leftover_macro"] for f in flagged)
    clean = json.loads(_run(str(builds["gated"]), "--format", "json").stdout)
    assert clean["defects"]["leftover_macro"]["problems"] == 0


def test_review_sheet(builds: dict[str, Path], tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.md"
    done = _run(str(builds["ungated"]), "--sample", "4", "--seed", "3", "--papers", str(builds["papers"]), "--sheet", str(sheet))
    assert done.returncode == 0, done.stderr
    text = sheet.read_text(encoding="utf-8")
    entries = re.findall(r"^## \d+\. `([^`]+)`", text, flags=re.MULTILINE)
    assert len(entries) == 4
    assert text.count("**Mark**: [ ] usable  [ ] fixable  [ ] unusable") == 4 and text.count("**Notes**:") == 4
    assert text.count("**Source equation**") == 4 and "Section: System Model" in text
    for block in text.split("\n## ")[1:]:  # the context shown is the one around the problem's own equation
        source = re.search(r"\*\*Source equation\*\*\n\n\$\$\n(.*?)\n\$\$", block, re.DOTALL).group(1)
        assert _CONTEXT_WORDS[source.split("=")[0].strip()] in block
    assert len({re.sub(r".*-", "", e) for e in entries}) == 4  # four different problem types
    again = tmp_path / "again.md"
    _run(str(builds["ungated"]), "--sample", "4", "--seed", "3", "--sheet", str(again))
    assert re.findall(r"^## \d+\. `([^`]+)`", again.read_text(encoding="utf-8"), flags=re.MULTILINE) == entries


def test_sample_takes_papers_in_turn(builds: dict[str, Path]) -> None:
    problems = read_problems(builds["ungated"])
    twin = [p.replace(problem_id=p.problem_id.replace("miso.0001", "twin.0002"), paper_id="twin.0002") for p in problems]
    picked = sample(problems + twin, 6, seed=0)
    assert [p.paper_id for p in picked].count("twin.0002") == 3
    assert len({p.type for p in picked if p.paper_id == "twin.0002"}) == 3


def test_bad_format_is_one_line(builds: dict[str, Path]) -> None:
    done = _run(str(builds["gated"]), "--format", "csv")
    assert done.returncode == 1 and done.stderr.strip().startswith("error: --format: expected one of table, json")


def test_missing_papers_folder_is_one_line(builds: dict[str, Path], tmp_path: Path) -> None:
    done = _run(str(builds["gated"]), "--sample", "2", "--papers", str(tmp_path / "nowhere"), "--sheet", str(tmp_path / "s.md"))
    assert done.returncode == 1 and done.stderr.strip() == f"error: {tmp_path / 'nowhere'}: papers folder does not exist or is not a folder"


def test_tally_counts_marks_without_the_problems_text(builds: dict[str, Path], tmp_path: Path) -> None:
    sheet, marks = tmp_path / "sheet.md", tmp_path / "marks.md"
    _run(str(builds["ungated"]), "--sample", "3", "--seed", "0", "--sheet", str(sheet))
    text = sheet.read_text(encoding="utf-8")
    blank = "**Mark**: [ ] usable  [ ] fixable  [ ] unusable"
    for filled in ("**Mark**: [x] usable  [ ] fixable  [ ] unusable", "**Mark**: [ ] usable  [ ] fixable  [X] unusable"):
        text = text.replace(blank, filled, 1)
    sheet.write_text(text.replace("**Notes**: \n", "**Notes**: the key is wrong\n", 1), encoding="utf-8")
    done = _run("--tally", str(sheet), "--sheet", str(marks))
    assert done.returncode == 0, done.stderr
    assert "usable 1, fixable 0, unusable 1, unmarked 1 of 3 problems" in done.stdout
    record = marks.read_text(encoding="utf-8")
    assert "| usable | 1 | 50% |" in record and "the key is wrong" in record
    assert "$$" not in record and "Background" not in record  # ids and marks only

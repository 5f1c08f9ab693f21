"""The bundled example corpus (examples/): layout, PDFs, papers.csv and ground truth agree.

The corpus is the input of the README demo and of the ingestion tests and benchmarks, so a
stale truth file, a PDF that lost its equation numbers or a tarball with unsafe members would
silently corrupt their figures. Regenerating it needs texlive (scripts/make_example_papers.sh);
these checks need only the committed files.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

import pymupdf
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PAPERS = EXAMPLES / "papers"
SOURCES = EXAMPLES / "sources"
TRUTH = [json.loads(line) for line in (EXAMPLES / "papers_truth.jsonl").read_text("utf-8").splitlines()]
BY_ID = {t["paper_id"]: t for t in TRUTH}

# What the corpus must cover (issue 3, "Example papers"): minimum counts.
MIN_GIVEN_AS = {"pdf+tar": 5, "pdf+dir": 2, "pdf+gz": 1, "pdf": 4}
MIN_LAYOUT = {"ieeetran": 5, "article": 5}
MIN_ENVIRONMENTS = {"equation": 20, "equation*": 3, "align": 5, "align*": 1, "gather": 2,
                    "gather*": 1, "multline": 2, "eqnarray": 1, "\\[": 1, "$$": 1}
LICENCES = {
    "http://creativecommons.org/licenses/by/4.0/",
    "http://creativecommons.org/licenses/by-nc-sa/4.0/",
    "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
    "http://creativecommons.org/publicdomain/zero/1.0/",
}
SOURCE_FILES = {  # paper files that must exist besides <id>.pdf, per form
    "pdf+tar": ["{id}.tar.gz"], "pdf+dir": ["{id}"], "pdf+gz": ["{id}.gz"], "pdf": [],
}
ALL_SOURCE_FORMS = ["{id}.tar.gz", "{id}", "{id}.gz"]
PAPER_ID = re.compile(r"^2501\.000\d\dv1$")


def _pdf_text(paper_id: str) -> str:
    with pymupdf.open(PAPERS / f"{paper_id}.pdf") as doc:
        return "".join(page.get_text() for page in doc)


def test_truth_is_regenerated_from_the_sources(tmp_path: Path) -> None:
    truth, table = tmp_path / "truth.jsonl", tmp_path / "papers.csv"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_example_truth.py"),
                    "--sources", str(SOURCES), "--truth", str(truth), "--csv", str(table)],
                   check=True, capture_output=True)
    assert truth.read_bytes() == (EXAMPLES / "papers_truth.jsonl").read_bytes()
    assert table.read_bytes() == (PAPERS / "papers.csv").read_bytes()


def test_corpus_covers_the_required_forms() -> None:
    assert len(TRUTH) >= 12
    assert all(PAPER_ID.match(t["paper_id"]) for t in TRUTH)
    given_as = Counter(t["given_as"] for t in TRUTH)
    layouts = Counter(t["layout"] for t in TRUTH)
    environments = Counter(e["environment"] for t in TRUTH for e in t["equations"])
    assert {k: given_as[k] >= n for k, n in MIN_GIVEN_AS.items()} == dict.fromkeys(MIN_GIVEN_AS, True)
    assert {k: layouts[k] >= n for k, n in MIN_LAYOUT.items()} == dict.fromkeys(MIN_LAYOUT, True)
    assert {k: environments[k] >= n for k, n in MIN_ENVIRONMENTS.items()} == dict.fromkeys(
        MIN_ENVIRONMENTS, True)


def test_sources_use_input_files_and_commented_out_equations() -> None:
    tex = {p: p.read_text("utf-8") for p in SOURCES.rglob("*.tex")}
    with_input = {p.relative_to(SOURCES).parts[0] for p, t in tex.items()
                  if re.search(r"^\\input\{sections/", t, re.M)}
    commented = [p for p, t in tex.items() if re.search(r"^%\s*\\begin\{equation\}", t, re.M)]
    assert len(with_input) >= 2
    assert len(commented) >= 2


@pytest.mark.parametrize("paper_id", sorted(BY_ID))
def test_papers_folder_holds_the_declared_form(paper_id: str) -> None:
    given_as = BY_ID[paper_id]["given_as"]
    expected = {f.format(id=paper_id) for f in SOURCE_FILES[given_as]}
    present = {f.format(id=paper_id) for f in ALL_SOURCE_FORMS if (PAPERS / f.format(id=paper_id)).exists()}
    assert (PAPERS / f"{paper_id}.pdf").is_file()
    assert present == expected


@pytest.mark.parametrize("paper_id", sorted(i for i, t in BY_ID.items() if t["given_as"] == "pdf+tar"))
def test_tarballs_are_arxiv_style_and_safe(paper_id: str) -> None:
    with tarfile.open(PAPERS / f"{paper_id}.tar.gz") as tar:
        members = tar.getmembers()
        mains = [m for m in members if m.name.endswith(".tex") and "/" not in m.name
                 and b"\\documentclass" in tar.extractfile(m).read()]
    assert all(m.isfile() or m.isdir() for m in members)
    assert not [m.name for m in members if m.name.startswith(("/", "./", "..")) or "/../" in m.name]
    assert {(m.mtime, m.uid, m.gid) for m in members} == {(0, 0, 0)}
    assert len(mains) == 1


@pytest.mark.parametrize("paper_id", sorted(i for i, t in BY_ID.items() if t["given_as"] == "pdf+gz"))
def test_gz_is_a_single_main_tex(paper_id: str) -> None:
    text = gzip.decompress((PAPERS / f"{paper_id}.gz").read_bytes()).decode("utf-8")
    assert text.lstrip().startswith("\\documentclass")
    assert "\\input{" not in text


@pytest.mark.parametrize("paper_id", sorted(BY_ID))
def test_pdf_has_text_layer_title_and_every_printed_number(paper_id: str) -> None:
    with pymupdf.open(PAPERS / f"{paper_id}.pdf") as doc:
        pages = doc.page_count
    text = " ".join(_pdf_text(paper_id).split())
    numbers = [e["number"] for e in BY_ID[paper_id]["equations"] if e["number"]]
    assert 2 <= pages <= 4
    assert " ".join(BY_ID[paper_id]["title"].split()[:4]) in text
    assert [n for n in numbers if f"({n})" not in text] == []


@pytest.mark.parametrize("paper_id", sorted(BY_ID))
def test_truth_rows_are_clean_and_numbered_in_order(paper_id: str) -> None:
    equations = BY_ID[paper_id]["equations"]
    numbers = [e["number"] for e in equations if e["numbered"]]
    per_section = any("." in n for n in numbers)
    expected = ([f"{s}.{k}" for s, k in _section_counts(numbers)] if per_section
                else [str(k) for k in range(1, len(numbers) + 1)])
    assert 8 <= len(equations) <= 20
    assert numbers == expected
    assert all((e["number"] is None) != e["numbered"] for e in equations)
    assert not [e["latex"] for e in equations
                if re.search(r"\\(label|nonumber|notag)\b|^\s|\s$|\s\s", e["latex"])]


def _section_counts(numbers: list[str]) -> list[tuple[str, int]]:
    """(section, running index) pairs as LaTeX's \\numberwithin would print them."""
    out, seen = [], Counter()
    for n in numbers:
        section = n.split(".")[0]
        seen[section] += 1
        out.append((section, seen[section]))
    return out


@pytest.mark.parametrize("paper_id", sorted(i for i, t in BY_ID.items() if t["given_as"] != "pdf"))
def test_truth_has_no_paper_macros_left(paper_id: str) -> None:
    tex = " ".join(p.read_text("utf-8") for p in (SOURCES / paper_id).rglob("*.tex"))
    defined = set(re.findall(r"\\(?:newcommand|renewcommand|def|DeclareMathOperator\*?)\s*\{?\\([A-Za-z]+)", tex))
    used = {name for e in BY_ID[paper_id]["equations"] for name in re.findall(r"\\([A-Za-z]+)", e["latex"])}
    assert defined & used == set()


def test_papers_csv_lists_all_but_one_paper() -> None:
    with open(PAPERS / "papers.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["paper_id", "title", "license", "arxiv_id"]
    assert len(set(BY_ID) - {r["paper_id"] for r in rows}) == 1
    assert {r["license"] for r in rows} == LICENCES
    assert [r["title"] for r in rows] == [BY_ID[r["paper_id"]]["title"] for r in rows]


def test_pdf_only_papers_use_embedded_computer_modern_math() -> None:
    for paper_id in (i for i, t in BY_ID.items() if t["given_as"] == "pdf"):
        with pymupdf.open(PAPERS / f"{paper_id}.pdf") as doc:
            fonts = {(f[1], f[3].split("+")[-1]) for page in doc for f in page.get_fonts()}
        assert {"CMMI10", "CMR10", "CMSY10"} <= {name for _, name in fonts}, paper_id
        assert {kind for kind, _ in fonts} == {"pfa"}, paper_id  # Type 1, no bitmap Type 3


def test_corpus_is_small_and_has_no_build_leftovers() -> None:
    files = [p for p in EXAMPLES.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 3_000_000
    assert [p.name for p in files if p.suffix in {".aux", ".log", ".out", ".synctex", ".toc"}] == []

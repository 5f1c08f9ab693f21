"""Ingesting a whole folder: every input file is reported with its fate, bad inputs never
stop the good ones, pairs degrade gracefully, and outputs are deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures_ingest import (
    MINIMAL_TEX,
    write_gzip_zeros,
    write_hostile_tar,
    write_image_pdf,
    write_project,
    write_targz,
    write_text_pdf,
)

from wmbench.ingest import PaperInput, discover_papers, ingest_folder, ingest_paper
from wmbench.ingest.archives import ArchiveLimits
from wmbench.paper import Paper

RECURSIVE_TEX = MINIMAL_TEX.replace(r"\newcommand{\bh}{\mathbf{h}}", r"\newcommand{\bh}{\bh}")
MISSING_INPUT_TEX = MINIMAL_TEX.replace(r"\section{Model}", r"\input{sections/model}")
LATIN1_TEX = MINIMAL_TEX.replace("A Tiny Channel Model", "Mod\u00e8le de canal").encode("latin-1")

# file in the folder -> (status, paper_id, words the reason must contain)
EXPECTED = {
    "good.tar.gz": ("ingested", "custom-id", ""),
    "pair.pdf": ("ingested", "pair", "page numbers"),
    "pair/": ("ingested", "pair", "LaTeX source"),
    "badpdf.pdf": ("skipped", "badpdf", "corrupt PDF"),
    "badpdf.tgz": ("ingested", "badpdf", ""),
    "fallback.pdf": ("ingested", "fallback", ""),
    "fallback.tar.gz": ("skipped", "fallback", "expands recursively"),
    "empty.pdf": ("skipped", "empty", "empty file"),
    "renamed.pdf": ("skipped", "renamed", "not a PDF"),
    "scanned.pdf": ("skipped", "scanned", "no text layer"),
    "locked.pdf": ("skipped", "locked", "encrypted PDF"),
    "evil.tar.gz": ("skipped", "evil", "escapes the archive"),
    "bomb.gz": ("skipped", "bomb", "archive bomb"),
    "recursive.tar.gz": ("skipped", "recursive", "expands recursively"),
    "missing/": ("skipped", "missing", r"\input{sections/model} in main.tex: file not found"),
    "latin.tar.gz": ("ingested", "latin", "decoded as latin-1"),
    "notes.txt": ("skipped", None, "not a paper"),
    "papers.csv": ("skipped", None, "metadata file (1 papers)"),
}
LIMITS = ArchiveLimits(max_total_bytes=4 * 1024 * 1024, max_files=50)


@pytest.fixture(scope="module")
def papers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("papers")
    write_targz(folder / "good.tar.gz", {"main.tex": MINIMAL_TEX})
    write_text_pdf(folder / "pair.pdf")
    write_project(folder / "pair", {"main.tex": MINIMAL_TEX})
    (folder / "badpdf.pdf").write_bytes(b"%PDF-1.5\n" + bytes(range(256)) * 8)
    write_targz(folder / "badpdf.tgz", {"main.tex": MINIMAL_TEX})
    write_text_pdf(folder / "fallback.pdf")
    write_targz(folder / "fallback.tar.gz", {"main.tex": RECURSIVE_TEX})
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "renamed.pdf").write_text("not a pdf at all\n")
    write_image_pdf(folder / "scanned.pdf")
    write_text_pdf(folder / "locked.pdf", encrypt=True)
    write_hostile_tar(folder / "evil.tar.gz", "dotdot")
    write_gzip_zeros(folder / "bomb.gz", megabytes=16)
    write_targz(folder / "recursive.tar.gz", {"main.tex": RECURSIVE_TEX})
    write_project(folder / "missing", {"main.tex": MISSING_INPUT_TEX})
    write_targz(folder / "latin.tar.gz", {"main.tex": LATIN1_TEX})
    (folder / "notes.txt").write_text("stray file\n")
    (folder / "papers.csv").write_text(
        "file,paper_id,title,license,arxiv_id\n"
        "good.tar.gz,custom-id,Title From Metadata,https://creativecommons.org/licenses/by/4.0/,2501.99999\n"
    )
    return folder


@pytest.fixture(scope="module")
def run(papers_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("out")
    return out, ingest_folder(papers_dir, out, workers=2, progress=False, limits=LIMITS)


def test_every_file_is_reported_once_with_its_fate(run: tuple[Path, dict]) -> None:
    _, report = run
    by_file = {e["file"]: e for e in report["files"]}
    assert len(by_file) == len(report["files"]) and set(by_file) == set(EXPECTED)
    for name, (status, paper_id, reason) in EXPECTED.items():
        entry = by_file[name]
        assert (entry["status"], entry["paper_id"]) == (status, paper_id), name
        assert reason in entry["reason"], (name, entry["reason"])
        assert "\n" not in entry["reason"]
        assert (entry["equations"] > 0) == (status == "ingested"), name
    assert report["papers_ingested"] == 5 and report["files_skipped"] == 12


def test_paper_files_are_written_for_ingested_papers_only(run: tuple[Path, dict]) -> None:
    out, _ = run
    written = sorted(p.name for p in (out / "papers").iterdir())
    assert written == [f"{p}.json" for p in ("badpdf", "custom-id", "fallback", "latin", "pair")]
    good = Paper.load(out / "papers" / "custom-id.json")
    assert good.title == "Title From Metadata" and good.arxiv_id == "2501.99999"
    assert good.license == "https://creativecommons.org/licenses/by/4.0/"
    assert good.sources == ["good.tar.gz"] and len(good.source_hash) == 64
    assert [e.number for e in good.equations] == ["1", "2"] and good.equations[0].label == "eq:y"


def test_pair_takes_equations_from_latex_and_pages_from_pdf(run: tuple[Path, dict]) -> None:
    out, _ = run
    pair = Paper.load(out / "papers" / "pair.json")
    assert pair.sources == ["pair.pdf", "pair/"]
    assert [(e.source, e.page) for e in pair.equations] == [("latex", 1), ("latex", 1)]
    fallback = Paper.load(out / "papers" / "fallback.json")
    assert fallback.sources == ["fallback.pdf"] and [e.source for e in fallback.equations] == ["pdf"]
    assert Paper.load(out / "papers" / "badpdf.json").equations[0].page is None


def test_no_absolute_paths_in_outputs(run: tuple[Path, dict], papers_dir: Path) -> None:
    out, _ = run
    for path in [out / "ingest_report.json", *(out / "papers").iterdir()]:
        text = path.read_text(encoding="utf-8")
        assert str(papers_dir) not in text and str(out) not in text and "/tmp/" not in text


def test_outputs_are_identical_whatever_the_workers(run: tuple[Path, dict], papers_dir: Path, tmp_path: Path) -> None:
    out, _ = run
    ingest_folder(papers_dir, tmp_path, workers=1, progress=False, limits=LIMITS)
    for path in [out / "ingest_report.json", *(out / "papers").iterdir()]:
        assert (tmp_path / path.relative_to(out)).read_bytes() == path.read_bytes(), path.name


def test_discover_groups_by_stem_and_hashes_content(papers_dir: Path, tmp_path: Path) -> None:
    items, skipped = discover_papers(papers_dir)
    pair = next(i for i in items if i.paper_id == "pair")
    assert pair.pdf.name == "pair.pdf" and pair.source.name == "pair"
    assert [e["file"] for e in skipped] == ["papers.csv", "notes.txt"]
    single = PaperInput("x", (tmp_path / "x.tex",), None, tmp_path / "x.tex", {})
    (tmp_path / "x.tex").write_text(MINIMAL_TEX)
    first = single.content_hash()
    assert PaperInput("x", single.files, None, single.source, {"title": "T"}).content_hash() != first
    (tmp_path / "x.tex").write_text(MINIMAL_TEX + "%")
    assert single.content_hash() != first
    assert ingest_paper(single).source_hash == single.content_hash()


def test_cli_ingest(papers_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from wmbench.cli import app

    result = CliRunner().invoke(app, ["ingest", "--papers", str(papers_dir), "--out", str(tmp_path), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "papers ingested" in result.stdout
    report = json.loads((tmp_path / "ingest_report.json").read_text())
    assert {e["file"] for e in report["files"]} == set(EXPECTED)


def test_colliding_ids_and_stale_outputs(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    write_targz(folder.mkdir() or folder / "a b.tar.gz", {"main.tex": MINIMAL_TEX})
    write_targz(folder / "a_b.tar.gz", {"main.tex": MINIMAL_TEX})
    (folder / "gone.pdf").write_bytes(b"")
    (out / "papers").mkdir(parents=True)
    (out / "papers" / "gone.json").write_text("{}")  # from an earlier run when gone.pdf was good
    report = ingest_folder(folder, out, progress=False)
    by_file = {e["file"]: e for e in report["files"]}
    assert by_file["a b.tar.gz"]["status"] == "ingested" and by_file["a b.tar.gz"]["paper_id"] == "a_b"
    assert by_file["a_b.tar.gz"]["status"] == "skipped" and "already used" in by_file["a_b.tar.gz"]["reason"]
    assert sorted(p.name for p in (out / "papers").iterdir()) == ["a_b.json"]


def test_cli_missing_folder_is_a_one_line_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    missing = tmp_path / "nowhere"
    result = subprocess.run(
        [sys.executable, "-c", "from wmbench.cli import main; main()", "ingest", "--papers", str(missing), "--out",
         str(tmp_path / "out")], capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {missing}: not a directory"

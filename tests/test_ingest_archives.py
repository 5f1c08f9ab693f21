"""Safe extraction of source archives: hostile members are rejected before anything is
written, bombs stop at the limits, and good archives of every supported kind extract."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixtures_ingest import (
    MINIMAL_TEX,
    write_gzip_zeros,
    write_hostile_tar,
    write_tar_many_files,
    write_targz,
    write_zip,
)

from wmbench.errors import IngestionError
from wmbench.ingest.archives import ArchiveLimits, extract_archive
from wmbench.ingest.latex_project import load_latex_source

HOSTILE_CASES = [  # (member kind, words the reason must contain)
    ("dotdot", "escapes the archive"),
    ("absolute", "absolute path"),
    ("symlink", "link"),
    ("hardlink", "link"),
    ("device", "device or special file"),
    ("fifo", "device or special file"),
]


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.mark.parametrize(("kind", "reason"), HOSTILE_CASES)
def test_hostile_tar_is_rejected_and_nothing_escapes(tmp_path: Path, kind: str, reason: str) -> None:
    archive = write_hostile_tar(tmp_path / "paper.tar.gz", kind)
    dest = tmp_path / "sandbox" / "out"
    dest.mkdir(parents=True)
    before = _tree(tmp_path)
    with pytest.raises(IngestionError) as info:
        extract_archive(archive, dest, where="paper.tar.gz")
    assert info.value.where == "paper.tar.gz"
    assert reason in info.value.reason
    assert _tree(tmp_path) == before  # not even the good member was written
    assert not Path("/tmp/wmbench-evil.tex").exists()


def test_zip_with_parent_path_is_rejected(tmp_path: Path) -> None:
    archive = write_zip(tmp_path / "paper.zip", {"main.tex": MINIMAL_TEX, "../../evil.tex": "x"})
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(IngestionError, match="escapes the archive"):
        extract_archive(archive, dest, where="paper.zip")
    assert list(dest.iterdir()) == []
    assert not (tmp_path.parent / "evil.tex").exists()


def test_gzip_bomb_stops_at_the_size_limit(tmp_path: Path) -> None:
    bomb = write_gzip_zeros(tmp_path / "bomb.gz", megabytes=200)
    assert bomb.stat().st_size < 2 * 1024 * 1024  # tiny on disk, 200 MB expanded
    dest = tmp_path / "out"
    dest.mkdir()
    limits = ArchiveLimits(max_total_bytes=8 * 1024 * 1024, max_files=10)
    with pytest.raises(IngestionError, match="archive bomb"):
        extract_archive(bomb, dest, where="bomb.gz", limits=limits)
    written = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    assert written <= limits.max_total_bytes


def test_too_many_files_is_a_bomb(tmp_path: Path) -> None:
    archive = write_tar_many_files(tmp_path / "many.tar.gz", 50)
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(IngestionError, match="more than 20 files"):
        extract_archive(archive, dest, where="many.tar.gz", limits=ArchiveLimits(max_files=20))
    assert list(dest.iterdir()) == []


def test_corrupt_archive_is_a_one_line_error(tmp_path: Path) -> None:
    archive = tmp_path / "broken.tar.gz"
    archive.write_bytes(b"\x1f\x8b\x08\x00" + os.urandom(64))
    with pytest.raises(IngestionError) as info:
        load_latex_source(archive, where="broken.tar.gz")
    assert "\n" not in info.value.one_line() and info.value.where == "broken.tar.gz"


@pytest.mark.parametrize("kind", ["tar.gz", "tgz", "zip", "gz"])
def test_good_archives_of_every_kind_give_the_document(tmp_path: Path, kind: str) -> None:
    import gzip

    path = tmp_path / f"paper.{kind}"
    if kind in ("tar.gz", "tgz"):
        write_targz(path, {"src/main.tex": MINIMAL_TEX})
    elif kind == "zip":
        write_zip(path, {"main.tex": MINIMAL_TEX})
    else:
        path.write_bytes(gzip.compress(MINIMAL_TEX.encode()))
    source = load_latex_source(path, where=path.name)
    assert "\\begin{equation}\\label{eq:y}" in source.text
    assert source.main.endswith("main.tex") or source.main == "paper.tex"


def test_arxiv_downloads_without_a_suffix_are_read_by_their_first_bytes(tmp_path: Path, monkeypatch) -> None:
    """arXiv's e-print and PDF downloads are named like ``2501.00001v1``: no suffix at all."""
    import gzip
    import shutil

    from wmbench.ingest import discover_papers

    papers = tmp_path / "papers"
    papers.mkdir()
    write_targz(papers / "2501.00001v1", {"main.tex": MINIMAL_TEX})  # a gzipped tar
    (papers / "2501.00002v1").write_bytes(gzip.compress(MINIMAL_TEX.encode()))  # a gzipped single .tex
    shutil.copy(Path(__file__).parent / "data" / "times_paper" / "times_paper.pdf", papers / "2501.00002v1.pdf")
    shutil.copy(Path(__file__).parent / "data" / "lmodern_paper" / "lmodern_paper.pdf", papers / "2501.00003v1")
    (papers / "NOTES").write_text("not a paper")
    monkeypatch.chdir(papers)  # ids come from names alone, wherever the build runs
    items, skipped = discover_papers(papers)
    assert [(i.paper_id, i.source is not None, i.pdf is not None) for i in items] == [
        ("2501.00001v1", True, False), ("2501.00002v1", True, True), ("2501.00003v1", False, True)]
    assert [s["file"] for s in skipped] == ["NOTES"]
    for item in items[:2]:
        assert "\\begin{equation}\\label{eq:y}" in load_latex_source(item.source, where=item.paper_id).text

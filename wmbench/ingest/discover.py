"""Group the files of a papers folder into papers, with optional per-paper metadata.

A paper is a stem shared by up to one PDF and one LaTeX source: an archive (``.tar.gz``,
``.tgz``, ``.tar``, ``.zip``, ``.gz``), a single ``.tex`` file or a sub-folder holding a LaTeX
project. ``papers.csv`` / ``papers.jsonl`` beside them give paper_id, title, license and
arxiv_id, matched to a stem by a ``file`` column, the paper_id or the arxiv_id.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wmbench.errors import IngestionError
from wmbench.ingest.archives import file_suffix, name_suffix
from wmbench.schema import safe_id

METADATA_FILES = ("papers.csv", "papers.jsonl")
_FILE_KEYS = ("file", "filename", "stem", "source")
_FIELD_ALIASES = {"license_url": "license", "arxiv": "arxiv_id", "id": "paper_id"}


@dataclass(frozen=True)
class PaperInput:
    """The input files of one paper; ``pdf`` and ``source`` point into ``files``."""

    paper_id: str
    files: tuple[Path, ...]
    pdf: Path | None
    source: Path | None
    metadata: dict[str, Any] = field(default_factory=dict, hash=False)

    def content_hash(self) -> str:
        """sha256 over every input byte (folders walked in sorted order) and the sorted metadata."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            for member in _walk(path):
                digest.update(member.relative_to(path.parent).as_posix().encode() + b"\0")
                with open(member, "rb") as handle:
                    while chunk := handle.read(1 << 20):
                        digest.update(chunk)
                digest.update(b"\0")
        digest.update(json.dumps(self.metadata, sort_keys=True, ensure_ascii=False).encode())
        return digest.hexdigest()


def _walk(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return [path]


def stem_of(path: Path) -> str:
    """The paper stem of an input: the name without ``.pdf``, ``.tex`` or an archive suffix."""
    return path.name if path.is_dir() else _strip_suffix(path.name)


def _strip_suffix(name: str) -> str:
    suffix = name_suffix(name)  # by the name alone: a suffixless download keeps its whole name
    return name[: len(name) - len(suffix)] if suffix else name


def _kind(path: Path) -> str | None:
    """'pdf', 'source' or None (not a paper file)."""
    if path.is_dir():
        return "source" if any(path.rglob("*.tex")) else None
    suffix = file_suffix(path)
    if suffix == ".pdf":
        return "pdf"
    return "source" if suffix is not None else None  # an archive or a .tex


def discover_papers(papers_dir: Path) -> tuple[list[PaperInput], list[dict]]:
    """The papers in ``papers_dir`` (sorted by id) and report entries for files that are none."""
    papers_dir = Path(papers_dir)
    if not papers_dir.is_dir():
        raise IngestionError(str(papers_dir), "papers folder does not exist or is not a folder")
    metadata, skipped = _read_metadata(papers_dir)
    groups: dict[str, dict[str, Path]] = {}
    for path in sorted(papers_dir.iterdir()):
        rel = path.name
        if rel in METADATA_FILES:
            continue
        kind = None if path.name.startswith(".") else _kind(path)
        if kind is None:
            reason = ("not a paper: expected .pdf, .tar.gz, .tgz, .tar, .zip, .gz, .tex, a LaTeX project folder "
                      "or a file without suffix holding one of these")
            skipped.append(_skipped(rel + ("/" if path.is_dir() else ""), reason))
            continue
        group = groups.setdefault(stem_of(path), {})
        if kind in group:
            reason = f"second {kind} for stem {stem_of(path)!r} (using {group[kind].name})"
            skipped.append(_skipped(rel, reason))
            continue
        group[kind] = path
    papers: dict[str, PaperInput] = {}
    for stem, group in sorted(groups.items()):
        item = _paper_input(stem, group, metadata)
        if item.paper_id in papers:  # two stems mapped to one id (metadata or id sanitising)
            for path in item.files:
                skipped.append(_skipped(path.name, f"paper_id {item.paper_id!r} already used by another input"))
            continue
        papers[item.paper_id] = item
    return sorted(papers.values(), key=lambda p: p.paper_id), skipped


def _skipped(name: str, reason: str) -> dict:
    return {"file": name, "paper_id": None, "status": "skipped", "equations": 0, "reason": reason, "role": "none"}


def _paper_input(stem: str, group: dict[str, Path], metadata: dict[str, dict]) -> PaperInput:
    meta = metadata.get(stem, {})
    paper_id = safe_id(str(meta.get("paper_id") or stem))
    files = tuple(p for p in (group.get("pdf"), group.get("source")) if p is not None)
    clean = {k: v for k, v in meta.items() if k not in _FILE_KEYS and v not in (None, "")}
    return PaperInput(paper_id, files, group.get("pdf"), group.get("source"), clean)


def _read_metadata(papers_dir: Path) -> tuple[dict[str, dict], list[dict]]:
    """Metadata rows keyed by every stem they may match, plus report entries for the files."""
    rows: list[dict] = []
    entries: list[dict] = []
    for name in METADATA_FILES:
        path = papers_dir / name
        if not path.is_file():
            continue
        try:
            found = _load_rows(path)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error, ValueError) as exc:
            entries.append(_skipped(name, f"unreadable metadata: {' '.join(str(exc).split())}"))
            continue
        rows.extend(found)
        entries.append(_skipped(name, f"metadata file ({len(found)} papers), not a paper"))
    keyed: dict[str, dict] = {}
    for row in rows:
        for key in [row.get(k) for k in _FILE_KEYS] + [row.get("paper_id"), row.get("arxiv_id")]:
            if key:
                keyed.setdefault(_strip_suffix(Path(str(key)).name), row)
    return keyed, entries


def _load_rows(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".csv":
        raw = list(csv.DictReader(text.splitlines()))
    else:
        raw = [json.loads(line) for line in text.splitlines() if line.strip()]
    rows = []
    for lineno, row in enumerate(raw, 1):
        if not isinstance(row, dict):
            raise ValueError(f"line {lineno} is not an object")
        rows.append({_FIELD_ALIASES.get(k.strip().lower(), k.strip().lower()): (v.strip() if isinstance(v, str) else v)
                     for k, v in row.items() if k})
    return rows

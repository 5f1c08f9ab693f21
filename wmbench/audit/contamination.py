"""``wmbench audit``: run the overlap scan for a dataset and record the results in it.

Writes into ``<out>`` (default ``<dataset>/audit``):

* ``contamination.jsonl``: one line per problem: ``n``, ``n_grams``, ``hits_total``,
  ``docs_total``, ``matched_docs`` (at most 10), ``matched_ngrams_capped`` (at most 20),
  ``in_S0``, ``in_S1``;
* ``summary.json``: corpus size, problem counts, the clean-view sizes;
* ``clean_strict_ids.txt`` (S0: no document hit) and ``clean_lenient_ids.txt`` (S1: at most
  two distinct documents hit), the views the WirelessMathBench-XL release defines.

A build directory or a release folder also gets the per-problem counts as each record's
``contamination`` field (in ``extra``); a release folder's card and Croissant file are refreshed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from wmbench.audit.corpus import CorpusFile, corpus_files, iter_pieces
from wmbench.audit.overlap import OverlapScanner, ProbeIndex, ProblemOverlap
from wmbench.errors import SchemaError
from wmbench.schema import Problem
from wmbench.storage import (
    DATA_DIR,
    PROBLEMS_FILE,
    atomic_write_text,
    iter_problems,
    read_problems,
    write_build_dir,
    write_parquet,
)

SKIPPED_SHOWN = 10  # skipped corpus lines named in summary.json (all are counted)
STRICT_MAX_DOCS = 0
LENIENT_MAX_DOCS = 2
AUDIT_DIR = "audit"
DatasetKind = Literal["build", "release", "file"]


@dataclass(frozen=True)
class AuditConfig:
    """What to audit against what."""

    dataset: Path
    corpus: tuple[Path, ...]
    n: int = 13
    column: str = "text"
    out: Path | None = None
    update_dataset: bool = True


def run_audit(config: AuditConfig) -> dict[str, Any]:
    """Audit the dataset against the corpus, write the outputs; returns the summary."""
    if config.n < 1:
        raise SchemaError("--n", f"n-gram length must be at least 1, got {config.n}")
    kind = dataset_kind(config.dataset)
    out = config.out or (config.dataset / AUDIT_DIR if kind != "file" else None)
    if out is None:
        raise SchemaError(str(config.dataset), "a single data file is not updated in place; pass --out DIR for the audit files")
    problems = _read_dataset(config.dataset, kind)
    files = corpus_files(config.corpus)
    scan = audit_problems(problems, files, n=config.n, column=config.column)
    if scan.skipped_lines and not scan.documents:  # not one line had text: the wrong --column, most likely
        where, reason = scan.skipped_lines[0]
        raise SchemaError(where, f"{reason}; none of the {len(scan.skipped_lines)} corpus line(s) has text to audit")
    results = scan.problems
    summary = _summary(config, files, scan)
    write_outputs(Path(out), config.n, results, summary)
    if config.update_dataset and kind != "file":
        _update_dataset(config.dataset, kind, {r.problem_id: _record_metadata(config.n, r) for r in results})
    return summary


@dataclass(frozen=True)
class ScanResult:
    """Per-problem overlaps and how much corpus was read."""

    problems: list[ProblemOverlap]
    bytes_scanned: int
    documents: int
    skipped_lines: tuple[tuple[str, str], ...] = ()  # (<file>:<line>, reason) of corpus lines without text


def audit_problems(problems: Sequence[Problem], files: Sequence[CorpusFile | Path], *, n: int = 13, column: str = "text") -> ScanResult:
    """Per-problem overlap of ``problems`` with the documents of ``files``."""
    scanner = OverlapScanner(ProbeIndex(problems, n))
    skipped: list[tuple[str, str]] = []
    scanner.feed(iter_pieces(files, column, skipped))
    results = scanner.finish()
    return ScanResult(results, scanner.bytes_scanned, scanner.documents, tuple(skipped))


def in_strict(result: ProblemOverlap) -> bool:
    """S0: no corpus document shares an n-gram with the problem."""
    return result.docs_total <= STRICT_MAX_DOCS


def in_lenient(result: ProblemOverlap) -> bool:
    """S1: at most two distinct corpus documents share an n-gram with the problem."""
    return result.docs_total <= LENIENT_MAX_DOCS


def dataset_kind(path: Path) -> DatasetKind:
    """A build directory (``problems.jsonl``), a release folder (``data/*.parquet``) or one file."""
    if path.is_dir():
        if (path / PROBLEMS_FILE).is_file():
            return "build"
        if any((path / DATA_DIR).glob("*.parquet")):
            return "release"
        raise SchemaError(str(path), f"neither a build directory ({PROBLEMS_FILE}) nor a release folder ({DATA_DIR}/*.parquet)")
    if path.is_file():
        return "file"
    raise SchemaError(str(path), "dataset not found")


def write_outputs(out: Path, n: int, results: Sequence[ProblemOverlap], summary: dict[str, Any]) -> None:
    """The audit files (see the module docstring)."""
    lines = [json.dumps(_audit_line(n, r), ensure_ascii=False) for r in results]
    atomic_write_text(out / "contamination.jsonl", "".join(line + "\n" for line in lines))
    atomic_write_text(out / "summary.json", json.dumps(summary, indent=2, sort_keys=True) + "\n")
    atomic_write_text(out / "clean_strict_ids.txt", "".join(f"{r.problem_id}\n" for r in results if in_strict(r)))
    atomic_write_text(out / "clean_lenient_ids.txt", "".join(f"{r.problem_id}\n" for r in results if in_lenient(r)))


def _audit_line(n: int, r: ProblemOverlap) -> dict[str, Any]:
    return {"problem_id": r.problem_id, **_record_metadata(n, r), "n_grams": r.n_grams,
            "matched_ngrams_capped": list(r.matched_ngrams)}


def _record_metadata(n: int, r: ProblemOverlap) -> dict[str, Any]:
    return {"n": n, "hits_total": r.hits_total, "docs_total": r.docs_total, "matched_docs": list(r.matched_docs),
            "in_S0": in_strict(r), "in_S1": in_lenient(r)}


def _summary(config: AuditConfig, files: Sequence[CorpusFile], scan: ScanResult) -> dict[str, Any]:
    results = scan.problems
    return {
        "n": config.n,
        "column": config.column,
        "corpus_files": [f.name for f in files],
        "corpus_bytes": scan.bytes_scanned,
        "corpus_documents": scan.documents,
        "corpus_lines_skipped": len(scan.skipped_lines),
        "corpus_lines_skipped_first": [f"{where}: {reason}" for where, reason in scan.skipped_lines[:SKIPPED_SHOWN]],
        "problems": len(results),
        "problems_with_hits": sum(r.hits_total > 0 for r in results),
        "clean_strict": sum(in_strict(r) for r in results),
        "clean_lenient": sum(in_lenient(r) for r in results),
        "strict_rule": f"docs_total <= {STRICT_MAX_DOCS}",
        "lenient_rule": f"docs_total <= {LENIENT_MAX_DOCS}",
    }


def _read_dataset(path: Path, kind: DatasetKind) -> list[Problem]:
    if kind == "release":
        from wmbench.release.export import read_release

        return read_release(path)
    return read_problems(path)


def _update_dataset(path: Path, kind: DatasetKind, metadata: dict[str, dict[str, Any]]) -> None:
    if kind == "build":
        write_build_dir([_annotated(p, metadata) for p in read_problems(path)], path)
        return
    from wmbench.release.export import refresh_release

    for shard in sorted((path / DATA_DIR).rglob("*.parquet")):
        write_parquet([_annotated(p, metadata) for p in iter_problems(shard)], shard)
    refresh_release(path)


def _annotated(problem: Problem, metadata: dict[str, dict[str, Any]]) -> Problem:
    if problem.problem_id not in metadata:
        return problem
    return problem.replace(extra={**problem.extra, "contamination": metadata[problem.problem_id]})

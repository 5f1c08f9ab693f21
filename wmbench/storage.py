"""Read and write problem records: JSONL, Parquet and whole build directories.

A build directory holds ``problems.jsonl`` and Hugging Face–style ``data/<split>-*.parquet``
shards; reading one prefers the JSONL (it carries every field) and falls back to the shards.
Writes are atomic (temporary file, then rename) and deterministic for the same records.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from wmbench.errors import SchemaError, WmbenchError
from wmbench.schema import (OPTION_LETTERS, PROVENANCE_FIELDS, REFERENCE_FIELDS, RELEASE_FIELDS, Problem,
                            mask_count_mismatch)

if TYPE_CHECKING:
    import pyarrow as pa

logger = logging.getLogger(__name__)

PROBLEMS_FILE = "problems.jsonl"
DATA_DIR = "data"



@lru_cache(maxsize=1)
def parquet_schema() -> "pa.Schema":
    """The fixed Parquet schema of wmbench records (pyarrow is imported on first use: JSONL readers never pay for it)."""
    import pyarrow as pa

    options = pa.struct([(letter, pa.string()) for letter in OPTION_LETTERS])
    return pa.schema(
        [(name, options if name == "options" else pa.string()) for name in REFERENCE_FIELDS]
        + [(name, pa.string()) for name in RELEASE_FIELDS]
        + [(name, pa.int64() if name == "page" else pa.string()) for name in PROVENANCE_FIELDS]
        + [("extra", pa.string())]
    )


def __getattr__(name: str) -> Any:
    if name == "PARQUET_SCHEMA":  # the schema as a module constant, built on first use
        return parquet_schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_problems(path: str | os.PathLike[str]) -> list[Problem]:
    """Load every record of a JSONL file, a Parquet file or a build directory."""
    return list(iter_problems(path))


def iter_problems(path: str | os.PathLike[str]) -> Iterator[Problem]:
    """Stream the records of a JSONL file, a Parquet file or a build directory."""
    path = Path(path)
    if path.is_dir():
        yield from _iter_build_dir(path)
    elif not path.exists():
        raise SchemaError(str(path), "no such file or directory")
    elif path.suffix == ".parquet":
        yield from _iter_parquet(path)
    elif path.suffix in (".jsonl", ".json") or path.name.endswith(".jsonl.gz"):
        yield from _iter_jsonl(path)
    else:
        raise SchemaError(str(path), "expected a .jsonl or .parquet file or a build directory")


def _iter_build_dir(path: Path) -> Iterator[Problem]:
    if (path / PROBLEMS_FILE).exists():
        yield from _iter_jsonl(path / PROBLEMS_FILE)
        return
    shards = sorted((path / DATA_DIR).glob("*.parquet")) if (path / DATA_DIR).is_dir() else []
    if not shards:
        raise SchemaError(str(path), f"not a build directory: no {PROBLEMS_FILE} and no {DATA_DIR}/*.parquet")
    for shard in shards:
        yield from _iter_parquet(shard)


def iter_json_lines(lines: Iterable[str | bytes], path: str | os.PathLike[str],
                    skipped: list[tuple[str, str]] | None = None) -> Iterator[tuple[str, Any]]:
    """Parse JSON lines, skipping blank ones; yields ``("<path>:<line>", value)``.

    Invalid JSON raises :class:`SchemaError` naming the file and line, or, given ``skipped``,
    is recorded there as ``("<path>:<line>", reason)`` and passed over.
    """
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            if skipped is None:
                raise SchemaError(f"{path}:{lineno}", f"not valid JSON ({exc.msg})") from None
            skipped.append((f"{path}:{lineno}", f"not valid JSON ({exc.msg})"))
            continue
        yield f"{path}:{lineno}", value


def _iter_jsonl(path: Path) -> Iterator[Problem]:
    with _open_text(path) as handle:
        yield from _warning_mismatches(path, _jsonl_records(handle, path))


def _jsonl_records(handle: Iterable[str], path: Path) -> Iterator[Problem]:
    for where, data in iter_json_lines(handle, path):
        if not isinstance(data, dict):
            raise SchemaError(where, "a line must hold a JSON object")
        yield Problem.from_dict(data, where=where)


def _warning_mismatches(path: Path, problems: Iterator[Problem]) -> Iterator[Problem]:
    """Pass records through; at the end, one warning naming those whose [MASK] and box counts disagree."""
    odd: list[str] = []
    for problem in problems:
        if mask_count_mismatch(problem):
            odd.append(problem.problem_id)
        yield problem
    if odd:
        shown = ", ".join(repr(i) for i in odd[:3]) + (", ..." if len(odd) > 3 else "")
        logger.warning("%s: %d record(s) (%s) have a [MASK] count that disagrees with their \\boxed answers; "
                       "they are graded against the joined equation", path, len(odd), shown)


def _open_text(path: Path):
    if path.name.endswith(".gz"):
        import gzip

        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def _iter_parquet(path: Path) -> Iterator[Problem]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SchemaError(str(path), f"not a readable Parquet file ({exc})") from None
    yield from _warning_mismatches(path, _parquet_records(table, path))


def _parquet_records(table: pa.Table, path: Path) -> Iterator[Problem]:
    for index, row in enumerate(table.to_pylist()):
        extra = row.pop("extra", None)
        row = {k: v for k, v in row.items() if v is not None or k in REFERENCE_FIELDS}
        if isinstance(extra, str) and extra:
            row.update(json.loads(extra))
        yield Problem.from_dict(row, where=f"{path} row {index}")


def to_jsonl_line(problem: Problem) -> str:
    """One record as a canonical JSON line (stable key order, no trailing spaces)."""
    return json.dumps(problem.to_dict(), ensure_ascii=False)


def write_jsonl(problems: Iterable[Problem], path: str | os.PathLike[str]) -> Path:
    """Write records as JSONL, atomically."""
    text = "".join(to_jsonl_line(p) + "\n" for p in problems)
    return atomic_write_text(Path(path), text)


def to_arrow(problems: Iterable[Problem]) -> pa.Table:
    """Records as an Arrow table with the fixed wmbench Parquet schema."""
    import pyarrow as pa

    schema = parquet_schema()
    rows = []
    for problem in problems:
        data = problem.to_dict()
        row: dict[str, Any] = {name: data.pop(name, None) for name in schema.names if name != "extra"}
        row["extra"] = json.dumps(data, ensure_ascii=False, sort_keys=True) if data else None
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=schema)


def write_parquet(problems: Iterable[Problem], path: str | os.PathLike[str]) -> Path:
    """Write records as one Parquet file, atomically and deterministically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    import pyarrow.parquet as pq

    table = to_arrow(problems)
    with _atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd", write_statistics=False)
    return path


def write_build_dir(problems: Iterable[Problem], out: str | os.PathLike[str]) -> list[Path]:
    """Write ``problems.jsonl`` and one Parquet shard per split under ``data/`` (and no other shard)."""
    out = Path(out)
    problems = list(problems)
    written = [write_jsonl(problems, out / PROBLEMS_FILE)]
    splits = sorted({p.split or "train" for p in problems})
    for split in splits:
        rows = [p for p in problems if (p.split or "train") == split]
        written.append(write_parquet(rows, out / DATA_DIR / f"{split}-00000-of-00001.parquet"))
    remove_stale_shards(out, set(written))
    return written


def remove_stale_shards(out: Path, keep: set[Path], *, configs: bool = False) -> None:
    """Delete the ``data/*.parquet`` shards (with ``configs``, also ``data/<config>/*.parquet``)
    of an earlier write that this write did not make."""
    data = Path(out) / DATA_DIR
    for shard in sorted(data.glob("*.parquet")) + (sorted(data.glob("*/*.parquet")) if configs else []):
        if shard not in keep:
            shard.unlink()


def ensure_folder(path: str | os.PathLike[str]) -> Path:
    """``path`` as an output folder, created if needed; a file there is a one-line error."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise WmbenchError(str(path), "exists and is not a folder; --out needs a folder")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise WmbenchError(str(path), f"{parent} is a file, not a folder")
    path.mkdir(parents=True, exist_ok=True)
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """Write text through a temporary file and a rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return path


class _atomic_path:
    """Context manager yielding a temporary path beside ``path``, renamed onto it on success."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = ""

    def __enter__(self) -> str:
        fd, self.tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
        os.close(fd)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            os.replace(self.tmp, self.path)
        elif os.path.exists(self.tmp):
            os.unlink(self.tmp)

"""Stream a corpus as pieces of documents with bounded memory.

A corpus path is a file or a directory (searched recursively, in sorted order). By suffix,
after an optional ``.gz`` / ``.zst`` / ``.zstd`` compression suffix:

* ``.jsonl`` / ``.json``: one document per line, its text in ``column``; the id is the line's
  ``id`` (or ``doc_id``) field, else ``<file>:<line>``;
* ``.parquet``: one document per row, read in record batches, text in ``column``, id from an
  ``id`` column if there is one, else ``<file>:<row>``;
* anything else: plain text, one document per file, read in blocks cut at whitespace.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from wmbench.errors import SchemaError
from wmbench.storage import iter_json_lines

BLOCK_BYTES = 1 << 21
PARQUET_BATCH_ROWS = 512
_COMPRESSIONS = (".gz", ".zst", ".zstd")
_ID_FIELDS = ("id", "doc_id")
_WHITESPACE = (b" ", b"\n", b"\t", b"\r")


@dataclass(frozen=True)
class Piece:
    """Text of one document, or of one block of a long document (``first`` marks a new one)."""

    doc: str
    data: bytes
    first: bool = True


def corpus_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every file named or found under the given paths, directories in sorted order."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            raise SchemaError(str(path), "corpus path not found")
    return files


def iter_pieces(files: Iterable[Path], column: str = "text") -> Iterator[Piece]:
    """The pieces of every document of every file, in order."""
    for path in files:
        kind = _kind(path)
        if kind == "parquet":
            yield from _parquet_pieces(path, column)
            continue
        with _open_binary(path) as handle:
            yield from (_jsonl_pieces(handle, path, column) if kind == "jsonl" else _text_pieces(handle, path))


def _kind(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in _COMPRESSIONS:
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    return {".jsonl": "jsonl", ".json": "jsonl", ".parquet": "parquet"}.get(last, "text")


def _open_binary(path: Path) -> BinaryIO:
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return gzip.open(path, "rb")
    if suffix in (".zst", ".zstd"):
        import zstandard

        raw = open(path, "rb")  # noqa: SIM115 -- closed by the zstd reader (closefd)
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, closefd=True), BLOCK_BYTES)
    return open(path, "rb")


def _text_pieces(handle: BinaryIO, path: Path) -> Iterator[Piece]:
    doc, rest, first = str(path), b"", True
    try:
        while block := handle.read(BLOCK_BYTES):
            data = rest + block
            cut = max(data.rfind(w) for w in _WHITESPACE)
            if cut <= 0:  # no whitespace in the block: cut anywhere rather than grow without bound
                cut = len(data)
            piece, rest = data[:cut], data[cut:]
            yield Piece(doc, piece, first)
            first = False
    except (OSError, EOFError) as exc:
        raise SchemaError(str(path), f"could not read ({exc})") from None
    if rest or first:
        yield Piece(doc, rest, first)


def _jsonl_pieces(handle: BinaryIO, path: Path, column: str) -> Iterator[Piece]:
    try:
        for where, row in iter_json_lines(handle, path):
            if not isinstance(row, dict) or not isinstance(row.get(column), str):
                raise SchemaError(where, f"no text column {column!r} (use --column)")
            yield Piece(_doc_id(row, where), row[column].encode("utf-8", "replace"))
    except (OSError, EOFError) as exc:
        raise SchemaError(str(path), f"could not read ({exc})") from None


def _doc_id(row: dict, fallback: str) -> str:
    return next((str(row[k]) for k in _ID_FIELDS if row.get(k) is not None), fallback)


def _parquet_pieces(path: Path, column: str) -> Iterator[Piece]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise SchemaError(str(path), f"not a readable Parquet file ({exc})") from None
    names = parquet.schema_arrow.names
    if column not in names:
        raise SchemaError(str(path), f"no text column {column!r} (columns: {', '.join(names)}; use --column)")
    id_column = next((k for k in _ID_FIELDS if k in names), None)
    row = 0
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=[column] + ([id_column] if id_column else [])):
        texts = batch.column(column).to_pylist()
        ids = batch.column(id_column).to_pylist() if id_column else [None] * len(texts)
        for text, ident in zip(texts, ids):
            if isinstance(text, str):
                yield Piece(str(ident) if ident is not None else f"{path}:{row}", text.encode("utf-8", "replace"))
            row += 1

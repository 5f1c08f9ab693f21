"""Stream a corpus as pieces of documents with bounded memory.

A corpus path is a file or a directory (searched recursively, in sorted order). By suffix,
after an optional ``.gz`` / ``.zst`` / ``.zstd`` compression suffix:

* ``.jsonl`` / ``.json``: one document per line, its text in ``column``; the id is the line's
  ``id`` (or ``doc_id``) field, else ``<file>:<line>``; a line without the text column is
  skipped and reported, not fatal;
* ``.parquet``: one document per row, read in record batches, text in ``column``, id from an
  ``id`` column if there is one, else ``<file>:<row>``;
* anything else: plain text, one document per file, read in blocks cut at whitespace.

Files are named relative to the corpus path given (``<folder name>/<path inside>``, or the file
name), never by their absolute path: the names go into the audit files that get published.
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


@dataclass(frozen=True)
class CorpusFile:
    """A corpus file and the machine-independent name documents and reports use for it."""

    path: Path
    name: str

    @classmethod
    def of(cls, path: str | Path) -> CorpusFile:
        return path if isinstance(path, CorpusFile) else cls(Path(path), Path(path).name)


def corpus_files(paths: Iterable[str | Path]) -> list[CorpusFile]:
    """Every file named or found under the given paths, directories in sorted order."""
    files: list[CorpusFile] = []
    for path in map(Path, paths):
        if path.is_dir():
            root = path.resolve().name or "corpus"
            files.extend(CorpusFile(p, f"{root}/{p.relative_to(path).as_posix()}") for p in sorted(path.rglob("*"))
                         if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files.append(CorpusFile(path, path.name))
        else:
            raise SchemaError(str(path), "corpus path not found")
    return files


def iter_pieces(files: Iterable[CorpusFile | Path], column: str = "text",
                skipped: list[tuple[str, str]] | None = None) -> Iterator[Piece]:
    """The pieces of every document of every file, in order; lines without text go to ``skipped`` as (where, why)."""
    skipped = [] if skipped is None else skipped
    for file in map(CorpusFile.of, files):
        kind = _kind(file.path)
        if kind == "parquet":
            yield from _parquet_pieces(file, column)
            continue
        with _open_binary(file.path) as handle:
            yield from (_jsonl_pieces(handle, file, column, skipped) if kind == "jsonl" else _text_pieces(handle, file))


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


def _text_pieces(handle: BinaryIO, file: CorpusFile) -> Iterator[Piece]:
    doc, rest, first = file.name, b"", True
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
        raise SchemaError(str(file.path), f"could not read ({exc})") from None
    if rest or first:
        yield Piece(doc, rest, first)


def _jsonl_pieces(handle: BinaryIO, file: CorpusFile, column: str, skipped: list[tuple[str, str]]) -> Iterator[Piece]:
    try:
        for where, row in iter_json_lines(handle, file.name, skipped):
            if not isinstance(row, dict) or not isinstance(row.get(column), str):
                skipped.append((where, f"no text column {column!r} (use --column)"))
                continue
            yield Piece(_doc_id(row, where), row[column].encode("utf-8", "replace"))
    except (OSError, EOFError) as exc:
        raise SchemaError(str(file.path), f"could not read ({exc})") from None


def _doc_id(row: dict, fallback: str) -> str:
    return next((str(row[k]) for k in _ID_FIELDS if row.get(k) is not None), fallback)


def _parquet_pieces(file: CorpusFile, column: str) -> Iterator[Piece]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = file.path
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
                yield Piece(str(ident) if ident is not None else f"{file.name}:{row}", text.encode("utf-8", "replace"))
            row += 1

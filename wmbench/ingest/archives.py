"""Safe extraction of paper source archives into a temporary folder.

arXiv serves sources as ``.tar.gz`` (sometimes a gzipped single ``.tex``); users also bring
``.tgz``, ``.tar``, ``.zip`` and ``.gz``, or arXiv downloads with no suffix, read by their first bytes. Every member is checked before anything is written:
absolute paths, ``..`` components, links and device files reject the whole archive, and
size / file-count limits (counted while decompressing, not trusted from headers) stop bombs.
"""

from __future__ import annotations

import gzip
import tarfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from wmbench.errors import IngestionError

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip", ".gz")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds on what one archive may expand to."""

    max_total_bytes: int = 200 * 1024 * 1024
    max_files: int = 2000


DEFAULT_LIMITS = ArchiveLimits()


def archive_suffix(path: Path) -> str | None:
    """The archive suffix of ``path`` (``.tar.gz`` before ``.gz``), or None (see :func:`file_suffix`)."""
    suffix = file_suffix(path)
    return suffix if suffix in ARCHIVE_SUFFIXES else None


KNOWN_SUFFIXES = (*ARCHIVE_SUFFIXES, ".pdf", ".tex")


def name_suffix(name: str) -> str | None:
    """The known suffix a file name ends with (``.tar.gz`` before ``.gz``), or None."""
    return next((s for s in KNOWN_SUFFIXES if name.lower().endswith(s)), None)


def file_suffix(path: Path) -> str | None:
    """:func:`name_suffix` of ``path``, or, for an existing file whose name has none, the suffix
    its first bytes say (see :func:`sniffed_suffix`)."""
    return name_suffix(path.name) or sniffed_suffix(path)


def sniffed_suffix(path: Path) -> str | None:
    """The suffix an existing file's first bytes call for (``.pdf``, ``.gz``, ``.zip``, ``.tar``),
    or None: arXiv's e-print downloads are named ``2309.12345v1`` with no suffix at all."""
    try:
        if not path.is_file():
            return None
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return None
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if head.startswith(b"\x1f\x8b"):
        return ".gz"  # a gzipped tar or a gzipped single .tex: extraction tells which
    if head.startswith(b"PK\x03\x04"):
        return ".zip"
    return ".tar" if head[257:262] == b"ustar" else None


def extract_archive(path: Path, dest: Path, *, where: str, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
    """Extract ``path`` into the existing folder ``dest``; raise IngestionError naming ``where``."""
    suffix = archive_suffix(path)
    budget = _Budget(limits, where)
    try:
        if suffix == ".zip":
            _extract_zip(path, dest, budget, where)
        elif suffix in (".tar.gz", ".tgz", ".tar", ".gz") and _is_tar(path):
            _extract_tar(path, dest, budget, where)
        elif suffix in (".gz", ".tar.gz", ".tgz"):
            _extract_single_gzip(path, dest, budget, where)
        else:
            raise IngestionError(where, "not a supported archive (.tar.gz, .tgz, .tar, .zip, .gz)")
    except (OSError, EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile, gzip.BadGzipFile) as exc:
        raise IngestionError(where, f"corrupt archive ({type(exc).__name__}: {exc})") from None


class _Budget:
    """Counts files and decompressed bytes against the limits."""

    def __init__(self, limits: ArchiveLimits, where: str) -> None:
        self.limits, self.where = limits, where
        self.files = 0
        self.bytes = 0

    def add_file(self) -> None:
        self.files += 1
        if self.files > self.limits.max_files:
            reason = f"archive has more than {self.limits.max_files} files (possible archive bomb)"
            raise IngestionError(self.where, reason)

    def add_bytes(self, n: int) -> None:
        self.bytes += n
        if self.bytes > self.limits.max_total_bytes:
            raise IngestionError(
                self.where, f"archive expands to more than {self.limits.max_total_bytes} bytes (possible archive bomb)"
            )


def _is_tar(path: Path) -> bool:
    try:
        with tarfile.open(path, "r:*") as tar:
            return tar.next() is not None
    except (tarfile.TarError, OSError, EOFError, zlib.error):
        return False


def _safe_target(dest: Path, name: str, where: str) -> Path:
    """The path inside ``dest`` for member ``name``; reject anything that could escape."""
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise IngestionError(where, f"unsafe archive member {name!r} (absolute path)")
    if ".." in pure.parts:
        raise IngestionError(where, f"unsafe archive member {name!r} (path escapes the archive)")
    target = (dest / pure).resolve()
    if not target.is_relative_to(dest.resolve()):
        raise IngestionError(where, f"unsafe archive member {name!r} (path escapes the archive)")
    return target


def _copy_stream(source: BinaryIO, target: Path, budget: _Budget) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        while chunk := source.read(_CHUNK):
            budget.add_bytes(len(chunk))
            out.write(chunk)


def _extract_tar(path: Path, dest: Path, budget: _Budget, where: str) -> None:
    with tarfile.open(path, "r:*") as tar:
        members = []
        for member in tar:  # validate everything first: a bad member rejects the whole archive
            budget.add_file()
            if member.issym() or member.islnk():
                raise IngestionError(where, f"unsafe archive member {member.name!r} (link)")
            if not (member.isfile() or member.isdir()):
                raise IngestionError(where, f"unsafe archive member {member.name!r} (device or special file)")
            _safe_target(dest, member.name, where)
            members.append(member)
        declared = sum(m.size for m in members if m.isfile())
        if declared > budget.limits.max_total_bytes:
            budget.add_bytes(declared)
        for member in members:
            target = _safe_target(dest, member.name, where)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            source = tar.extractfile(member)
            if source is not None:
                _copy_stream(source, target, budget)


def _extract_zip(path: Path, dest: Path, budget: _Budget, where: str) -> None:
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        for info in infos:
            budget.add_file()
            mode = info.external_attr >> 16
            if mode and (mode & 0o170000) not in (0, 0o100000, 0o040000):
                raise IngestionError(where, f"unsafe archive member {info.filename!r} (link or special file)")
            _safe_target(dest, info.filename, where)
        for info in infos:
            target = _safe_target(dest, info.filename, where)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            with archive.open(info) as source:
                _copy_stream(source, target, budget)


def _extract_single_gzip(path: Path, dest: Path, budget: _Budget, where: str) -> None:
    """A gzipped single file (arXiv's form for one-file sources): becomes ``<stem>.tex``."""
    name = path.name
    for suffix in (".tar.gz", ".tgz", ".gz"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    if not name.lower().endswith(".tex"):
        name += ".tex"
    budget.add_file()
    with gzip.open(path, "rb") as source:
        _copy_stream(source, dest / name, budget)


"""Read a LaTeX project into one flat document: main file, inputs resolved, comments stripped.

Sources come as a folder, a single ``.tex`` file or an archive (extracted safely into a
temporary folder). A missing ``\\input`` file is an error: the paper's LaTeX is incomplete, so
its equation numbering cannot be trusted (a PDF beside it is then used instead); only a missing
figure, plot or table input is left out with a warning. Files that
are not UTF-8 are decoded as latin-1 and a warning is recorded.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from wmbench.errors import IngestionError
from wmbench.ingest.archives import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    archive_suffix,
    extract_archive,
)

MAX_INPUT_DEPTH = 16
_PREFERRED_MAIN = ("main.tex", "ms.tex", "paper.tex", "article.tex")

_INPUT = re.compile(
    r"\\(?P<cmd>input|include|subfile|loadglsentries)(?![A-Za-z@])"  # the command, not e.g. \inputencoding
    r"\s*(?:\[[^\]]*\]\s*)?"  # \loadglsentries[type]{file}
    r"(?:\{(?P<braced>[^{}]*)\}"  # \input{name}
    r"|(?P<bare>[^\s{}\\%]+))"  # or TeX's \input name
)
_DOCUMENTCLASS = re.compile(r"\\documentclass\b")
_DOCUMENT_BODY = re.compile(r"\\begin\{document\}(?P<body>.*?)(?:\\end\{document\}|\Z)", re.S)


@dataclass(frozen=True)
class LatexSource:
    """A flattened LaTeX document and what happened while reading it."""

    text: str
    main: str  # the main file, relative to the project root
    warnings: tuple[str, ...] = ()


def load_latex_source(source: Path, *, where: str, limits: ArchiveLimits = DEFAULT_LIMITS) -> LatexSource:
    """Flatten the project in ``source`` (folder, ``.tex`` or archive); errors name ``where``."""
    if source.is_dir():
        return _load_project(source, where, candidates=None)
    if archive_suffix(source):
        with tempfile.TemporaryDirectory(prefix="wmbench-src-") as tmp:
            extract_archive(source, Path(tmp), where=where, limits=limits)
            return _load_project(Path(tmp), where, candidates=None)
    if source.suffix.lower() == ".tex":
        return _load_project(source.parent, where, candidates=[source])
    raise IngestionError(where, "not a LaTeX source (folder, .tex or archive)")


def _load_project(root: Path, where: str, candidates: list[Path] | None) -> LatexSource:
    warnings: list[str] = []
    root = root.resolve()
    candidates = [c.resolve() for c in candidates] if candidates is not None else None
    main = _find_main(root, where, candidates, warnings)
    text = drop_disabled(_flatten(main, root, where, warnings, depth=0))
    return LatexSource(text=text, main=main.relative_to(root).as_posix(), warnings=tuple(warnings))


def _find_main(root: Path, where: str, candidates: list[Path] | None, warnings: list[str]) -> Path:
    found = (p.resolve() for p in root.rglob("*.tex") if p.is_file())
    files = candidates if candidates is not None else sorted(p for p in found if p.is_relative_to(root))
    if not files:
        raise IngestionError(where, "no .tex file in the source")
    mains = [p for p in files if _DOCUMENTCLASS.search(strip_comments(read_tex(p, root, warnings=None)))]
    if not mains:
        raise IngestionError(where, "no .tex file with \\documentclass in the source")
    mains.sort(key=lambda p: (p.name not in _PREFERRED_MAIN, len(p.relative_to(root).parts), p.as_posix()))
    return mains[0]


def read_tex(path: Path, root: Path, *, warnings: list[str] | None) -> str:
    """The text of a source file: UTF-8, else latin-1 with a warning."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if warnings is not None:
            warnings.append(f"{path.relative_to(root).as_posix()}: not UTF-8, decoded as latin-1")
        return data.decode("latin-1")


def strip_comments(text: str) -> str:
    """Drop ``%`` comments with their newline and the next line's indentation, as TeX does."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            out.append(text[i : i + 2])
            i += 2
        elif ch == "%":
            end = text.find("\n", i)
            if end < 0:
                break
            i = end + 1
            while i < n and text[i] in " \t":
                i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


# \iffalse ... \fi blocks (drafts switch whole sections off with them) and the conditionals inside;
# \iff is a relation and \ifthenelse a macro with arguments: neither opens a conditional.
_CONDITIONAL = re.compile(r"\\(?P<name>if(?!f(?![A-Za-z@])|thenelse)[A-Za-z@]*|fi|else)(?![A-Za-z@])")


def drop_disabled(text: str) -> str:
    """``text`` without the ``\\iffalse`` branches TeX skips (an ``\\else`` branch is kept)."""
    out: list[str] = []
    pos = 0
    while (start := text.find("\\iffalse", pos)) >= 0:
        if re.match(r"[A-Za-z@]", text[start + 8 : start + 9]):
            out.append(text[pos : start + 8])
            pos = start + 8
            continue
        out.append(text[pos:start])
        depth, end, kept_from = 0, len(text), None
        for match in _CONDITIONAL.finditer(text, start + 8):
            name = match.group("name")
            if name == "fi":
                if depth == 0:
                    end = match.end()
                    break
                depth -= 1
            elif name == "else":
                if depth == 0 and kept_from is None:
                    kept_from = match.end()
            else:
                depth += 1
        if kept_from is not None:  # \iffalse A \else B \fi: B is read
            out.append(drop_disabled(text[kept_from : end - 3]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _flatten(path: Path, root: Path, where: str, warnings: list[str], depth: int) -> str:
    if depth > MAX_INPUT_DEPTH:
        raise IngestionError(where, f"\\input nesting deeper than {MAX_INPUT_DEPTH} (recursive \\input?)")
    text = strip_comments(read_tex(path, root, warnings=warnings))
    rel = path.relative_to(root).as_posix()

    def replace(match: re.Match[str]) -> str:
        name = (match.group("braced") or match.group("bare") or "").strip()
        target = _resolve(name, path.parent, root)
        if target is None:
            message = f"\\{match.group('cmd')}{{{name}}} in {rel}: file not found in the source"
            if not _MAY_HOLD_EQUATIONS.search(name):
                warnings.append(message + " (a figure or table input: left out)")
                return ""
            raise IngestionError(where, message)
        included = _flatten(target, root, where, warnings, depth + 1)
        if match.group("cmd") == "subfile":
            body = _DOCUMENT_BODY.search(included)
            included = body.group("body") if body else included
        return included

    return _INPUT.sub(replace, text)


# An \input whose name says it is a figure, plot or table (or has another suffix than .tex)
# cannot change the equations: a missing one is left out with a warning, not an error.
_MAY_HOLD_EQUATIONS = re.compile(r"^(?!(?:.*[/_\-.])?(?:fig|tikz|pgf|plot|graph|image|tab))(?:.*\.tex|(?:.*/)?[^./]*)$",
                                 re.IGNORECASE)


def _resolve(name: str, here: Path, root: Path) -> Path | None:
    """The file ``name`` refers to, looked up beside the including file and at the root."""
    if not name:
        return None
    for base in (here, root):
        for candidate in (base / name, base / f"{name}.tex"):
            resolved = candidate.resolve()
            if resolved.is_file() and resolved.is_relative_to(root):
                return resolved
    return None

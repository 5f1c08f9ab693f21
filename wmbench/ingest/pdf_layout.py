"""Open a PDF safely and read its text lines with fonts, sizes and positions (pymupdf).

Each page is read once with ``get_text("dict")``. Lines are assigned to a text column (one or
two columns, detected per page) and ordered for reading: column by column, top to bottom.
Failures (empty, not a PDF, corrupt, encrypted, no text layer) become one-line
:class:`IngestionError` reasons; MuPDF's own stderr chatter is silenced.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from wmbench.errors import IngestionError
from wmbench.ingest.pdf_graphics import figure_text, is_caption, read_graphics
from wmbench.ingest.pdf_symbols import is_extension_font

_T = TypeVar("_T")
MIN_TEXT_CHARS = 40  # fewer extracted characters than this: treat as having no text layer
_TEXT_FLAGS = 128  # pymupdf TEXT_CID_FOR_UNKNOWN_UNICODE only: CMEX glyph codes kept, ligatures expanded (fastest)
_PDF_MAGIC = b"%PDF-"
# pdflatex (OT1) sets accents as separate spacing glyphs before the letter: "´e" -> "é"
_SPACING_ACCENTS = {"´": "\u0301", "`": "\u0300", "ˆ": "\u0302", "˜": "\u0303", "¨": "\u0308",
                    "ˇ": "\u030c", "˘": "\u0306", "¯": "\u0304", "˙": "\u0307", "˚": "\u030a", "¸": "\u0327"}
_ACCENTED = re.compile("([" + "".join(_SPACING_ACCENTS) + "])([A-Za-z])")


class Span(NamedTuple):
    """A run of text in one font: bbox (x0, y0, x1, y1) and the baseline y (a tuple: pages have
    thousands of spans and tuples are the cheapest immutable records to build)."""

    text: str
    font: str
    size: float
    bbox: tuple[float, float, float, float]
    baseline: float

    @property
    def blank(self) -> bool:
        """Whether the span draws nothing (a CMEX-coded font draws delimiters at the codes of
        form feed, carriage return... that Python counts as white space)."""
        if is_extension_font(self.font):
            # a lone wide " " there is code 0x20, the tallest "(" (see pdf_symbols.CMEX); a narrow one is a space
            wide = self.bbox[2] - self.bbox[0] >= 0.5 * self.size
            return not (self.text == " " and wide) and not self.text.strip(" \xa0")
        return not self.text.strip()


@dataclass(frozen=True)
class Line:
    """One visual line of a page with its spans, column and page number (1-based)."""

    page: int
    column: int
    spans: tuple[Span, ...]
    bbox: tuple[float, float, float, float]

    @cached_property
    def text(self) -> str:
        """The line's text, with a space where pieces of it are set apart."""
        parts: list[str] = []
        previous: Span | None = None
        for span in self.spans:
            if previous is not None and span.bbox[0] - previous.bbox[2] > 0.2 * span.size:
                if not previous.text.endswith(" ") and not span.text.startswith(" "):
                    parts.append(" ")
            parts.append(span.text)
            previous = span
        return compose_accents("".join(parts))


@dataclass(frozen=True)
class Column:
    """A text column of a page: its left and right text edges."""

    left: float
    right: float


@dataclass(frozen=True)
class PageLayout:
    number: int
    width: float
    height: float
    columns: tuple[Column, ...]
    lines: tuple[Line, ...]  # reading order, figure text left out
    rules: tuple[Box, ...] = ()  # thin horizontal rules: fraction bars, radical vinculums, overlines


def compose_accents(text: str) -> str:
    """Join a spacing accent with the letter after it into one accented letter."""
    return _ACCENTED.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + _SPACING_ACCENTS[m.group(1)]), text)


def import_pymupdf():
    """The ``pymupdf`` module, imported without its optional layout model when it is not yet loaded.

    pymupdf 2 imports ``pymupdf.layout`` on import, which loads an ONNX model (about 0.4 s and
    100 MB per process) used only by ``Page.get_layout()``; wmbench reads layouts itself. The
    block is lifted right after, so code that imports ``pymupdf.layout`` later still gets it.
    """
    if "pymupdf" in sys.modules:
        return sys.modules["pymupdf"]
    blocked = "pymupdf.layout" not in sys.modules
    if blocked:
        sys.modules["pymupdf.layout"] = None  # type: ignore[assignment]  # makes the import fail fast
    try:
        import pymupdf
    finally:
        if blocked and sys.modules.get("pymupdf.layout", 0) is None:
            del sys.modules["pymupdf.layout"]
    return pymupdf


def open_pdf(path: Path, *, where: str):
    """Open ``path`` with pymupdf or raise an IngestionError with a one-line reason."""
    pymupdf = import_pymupdf()
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    size = path.stat().st_size
    if size == 0:
        raise IngestionError(where, "empty file (0 bytes)")
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if _PDF_MAGIC not in head:
        raise IngestionError(where, "not a PDF (no %PDF- header)")
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # pymupdf raises its own FileDataError / RuntimeError types
        reason = _short(exc).replace(str(path), path.name)  # never an absolute path in reports
        raise IngestionError(where, f"corrupt PDF ({reason})") from None
    if doc.needs_pass:
        doc.close()
        raise IngestionError(where, "encrypted PDF (a password is required)")
    if doc.page_count == 0:
        doc.close()
        raise IngestionError(where, "corrupt or truncated PDF (no readable pages)")
    return doc


def read_layout(doc, *, where: str) -> list[PageLayout]:
    """Every page's lines in reading order; errors if the PDF has no usable text."""
    pages = read_pages(doc, _page_layout, where=where)
    require_text(sum(len(line.text.strip()) for p in pages for line in p.lines), where=where)
    return pages


def read_pages(doc, read: Callable[[int, Any], _T], *, where: str) -> list[_T]:
    """``read(page number, page)`` for every page; a page pymupdf cannot read is a one-line
    "corrupt PDF" error naming it."""
    out: list[_T] = []
    try:
        for index, page in enumerate(doc):
            out.append(read(index + 1, page))
    except IngestionError:
        raise
    except Exception as exc:  # noqa: BLE001 - pymupdf raises its own types for broken pages
        raise IngestionError(where, f"corrupt PDF (page {len(out) + 1}: {_short(exc)})") from None
    return out


def require_text(chars: int, *, where: str) -> None:
    """Raise unless ``chars`` characters of text are enough to read the PDF (no OCR)."""
    if chars < MIN_TEXT_CHARS:
        raise IngestionError(where, "no text layer (scanned or image-only PDF); OCR is not supported")


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__


def _page_layout(number: int, page) -> PageLayout:
    width, height = page.rect.width, page.rect.height
    raw: list[tuple[tuple[Span, ...], tuple[float, float, float, float]]] = []
    for block in page.get_text("dict", flags=_TEXT_FLAGS)["blocks"]:
        for line in block.get("lines", []):
            spans = tuple(  # blank spans are dropped: Line.text puts spaces back from the gaps
                span for span in (_span(s) for s in line["spans"]) if not span.blank
            )
            if spans and abs(line["dir"][1]) < 0.01:  # rotated text is no running text: axis titles, stamps
                raw.append((spans, tuple(line["bbox"])))
    graphics = read_graphics(page)
    in_figures = figure_text([bbox for _, bbox in raw], graphics.figures, width / 2)  # tick labels, legends, axis titles
    raw = [entry for k, entry in enumerate(raw) if k not in in_figures]
    two_columns = _is_two_column(raw, width)
    mid = width / 2
    lines = [
        Line(number, 1 if two_columns and (bbox[0] + bbox[2]) / 2 > mid and bbox[0] > mid - 20 else 0, spans, bbox)
        for spans, bbox in raw
    ]
    lines = _merge_rows(sorted(lines, key=lambda ln: (ln.column, ln.bbox[1], ln.bbox[0])))
    lines = _without_captions(lines)
    columns = tuple(_column_edges([ln for ln in lines if ln.column == c]) for c in range(2 if two_columns else 1))
    return PageLayout(number, width, height, columns, tuple(lines), graphics.rules)


def _without_captions(lines: list[Line]) -> list[Line]:
    """``lines`` without caption paragraphs: a caption line and the lines that follow it
    closely in its size."""
    kept: list[Line] = []
    caption: Line | None = None  # the last line of the caption being skipped
    for line in lines:
        size = max(s.size for s in line.spans)
        if caption is not None:
            gap = line.bbox[1] - caption.bbox[3]
            same = line.column == caption.column and abs(size - max(s.size for s in caption.spans)) < 0.3
            caption = line if same and gap < 0.6 * size else None
        if caption is None and is_caption(line.text):
            caption = line
        if caption is None:
            kept.append(line)
    return kept


def body_size(lines: list[Line]) -> float:
    """The font size of the running text: the size most characters are set in."""
    sizes: Counter[float] = Counter()
    for line in lines:
        for span in line.spans:
            sizes[span.size] += len(span.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _span(raw: dict) -> Span:
    """A pymupdf span as a Span. A span that opens with a space pymupdf put in reports the
    space's origin: after a denominator, the "H" of " H" on the main line got the denominator's
    baseline (its box then reaches from one to the other). Its glyphs sit at the top of the box."""
    text, size, bbox, origin = raw["text"], round(raw["size"], 2), tuple(raw["bbox"]), raw["origin"][1]
    if text[:1].isspace() and len(text) > 1 and origin - bbox[1] > 1.15 * size:
        depth = bbox[3] - origin
        origin = bbox[1] + _ASCENT * size
        bbox = (bbox[0], bbox[1], bbox[2], origin + depth)
    return Span(text, raw["font"], size, bbox, origin)


_ASCENT = 0.69  # the top of a span's box above its baseline, in font sizes (Computer Modern, Times)


def _merge_rows(lines: list[Line]) -> list[Line]:
    """Join the pieces pymupdf splits one visual line into (words, scripts) into one Line."""
    rows: list[list[Line]] = []
    for line in lines:
        if rows and rows[-1][0].column == line.column:
            top = min(ln.bbox[1] for ln in rows[-1])
            bottom = max(ln.bbox[3] for ln in rows[-1])
            if top <= (line.bbox[1] + line.bbox[3]) / 2 <= bottom:
                rows[-1].append(line)
                continue
        rows.append([line])
    return [_joined(row) for row in rows]


def _joined(row: list[Line]) -> Line:
    if len(row) == 1:
        return row[0]
    spans = tuple(sorted((s for ln in row for s in ln.spans), key=lambda s: s.bbox[0]))
    bbox = (min(ln.bbox[0] for ln in row), min(ln.bbox[1] for ln in row),
            max(ln.bbox[2] for ln in row), max(ln.bbox[3] for ln in row))
    return Line(row[0].page, row[0].column, spans, bbox)


def _is_two_column(raw: list, width: float) -> bool:
    mid = width / 2
    left = sum(1 for _, b in raw if b[2] < mid + 5 and b[2] - b[0] > width * 0.25)
    right = sum(1 for _, b in raw if b[0] > mid - 5 and b[2] - b[0] > width * 0.25)
    return left >= 5 and right >= 5


def _column_edges(lines: list[Line]) -> Column:
    if not lines:
        return Column(0.0, 0.0)
    lefts = Counter(round(ln.bbox[0]) for ln in lines)
    rights = Counter(round(ln.bbox[2]) for ln in lines)
    return Column(float(lefts.most_common(1)[0][0]), float(rights.most_common(1)[0][0]))

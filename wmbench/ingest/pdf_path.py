"""The PDF path: title, abstract, sections and display equations with their context.

Used alone for PDF-only papers, and for the page numbers of papers that also have LaTeX.
"""

from __future__ import annotations

import re
from pathlib import Path

from wmbench.ingest.definitions import parse_pdf_definitions
from wmbench.ingest.document import Document
from wmbench.ingest.glossary import build_glossary
from wmbench.ingest.pdf_equations import PdfEquation, find_equations
from wmbench.ingest.pdf_layout import Line, PageLayout, body_size, open_pdf, read_layout
from wmbench.ingest.pdf_symbols import unicode_to_latex
from wmbench.paper import Equation

CONTEXT_CHARS = 1200
CONTEXT_LINES = 10
NOTE_SIZE = 0.92  # footnotes and captions are set at most this share of the body size
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")  # a running page number line
_HEADING = re.compile(
    r"^(?P<number>(?:[IVX]+\.|[A-H]\.|\d+(?:\.\d+)*\.?))\s+"  # "II.", "A.", "3", "3.1"
    r"(?P<title>[A-Z][^.]{1,70})$"  # a short capitalised title without a full stop
)
_ABSTRACT = re.compile(r"^\s*Abstract\s*[—:.-]?\s*", re.I)
_STOP_ABSTRACT = re.compile(r"^\s*(?:Index Terms|Keywords)", re.I)


def read_pdf_paper(path: Path, *, where: str) -> Document:
    """Read ``path`` once and return its document (raises IngestionError on unusable PDFs)."""
    doc = open_pdf(path, where=where)
    try:
        pages = read_layout(doc, where=where)
    finally:
        doc.close()
    lines = [line for page in pages for line in page.lines]
    found = find_equations(pages, lines)
    body = body_size(lines)
    headings = _headings(lines, body)
    document = Document(title=_title(pages, body), abstract=_abstract(lines, headings))
    document.sections = [title for _, title in sorted(headings.items()) if title]
    stops = set(headings) | {i for eq in found for i in range(eq.first_line, eq.last_line + 1)}
    stops |= {i for i, line in enumerate(lines) if _PAGE_NUMBER.match(line.text)}
    notes = _notes(pages, lines, body) - stops
    document.equations = [_equation(eq, lines, headings, stops, notes) for eq in found]
    document.glossary = build_glossary(_body_text(lines, stops, notes), "pdf", pdf_symbol_latex)
    return document


def _notes(pages: list[PageLayout], lines: list[Line], body: float) -> set[int]:
    """Footnotes and captions at the foot of a page: lines set smaller than the body text in the
    lower part of the page with no body-size line below them in their column. They interrupt
    the running text (a "where" clause ran on into "*This work was supported by ...")."""
    height = {page.number: page.height for page in pages}
    small = [max(s.size for s in line.spans) <= NOTE_SIZE * body for line in lines]
    lowest_body: dict[tuple[int, int], float] = {}  # (page, column) -> top of its lowest body-size line
    for line, is_small in zip(lines, small):
        if not is_small and not _PAGE_NUMBER.match(line.text):  # the page number sits below the notes
            key = (line.page, line.column)
            lowest_body[key] = max(lowest_body.get(key, 0.0), line.bbox[1])
    return {i for i, line in enumerate(lines)
            if small[i] and line.bbox[1] >= 0.5 * height[line.page]
            and line.bbox[1] > lowest_body.get((line.page, line.column), 0.0)}


def _body_text(lines: list[Line], stops: set[int], notes: set[int]) -> str:
    """The running text: one paragraph per run of lines between headings and display equations."""
    runs: list[list[str]] = [[]]
    for index, line in enumerate(lines):
        if index in stops:
            runs.append([])
        elif index not in notes:
            runs[-1].append(line.text)
    return "\n\n".join(_join(run) for run in runs if run)


def _title(pages: list[PageLayout], body: float) -> str:
    """The lines set in the largest size in the top part of page 1."""
    first = [ln for ln in pages[0].lines if ln.bbox[1] < pages[0].height * 0.4] if pages else []
    if not first:
        return ""
    biggest = max(max(s.size for s in ln.spans) for ln in first)
    if biggest <= body + 0.5:
        return ""  # nothing set larger than the body text: no recognisable title
    title_lines = [ln for ln in first if max(s.size for s in ln.spans) >= biggest - 0.5]
    title_lines.sort(key=lambda ln: ln.bbox[1])
    return " ".join(" ".join(ln.text.split()) for ln in title_lines)


def _headings(lines: list[Line], body: float) -> dict[int, str]:
    """Line index -> section title for lines that look like numbered headings."""
    found: dict[int, str] = {}
    for index, line in enumerate(lines):
        text = " ".join(line.text.split())
        match = _HEADING.match(text)
        if not match or len(text) > 80:
            continue
        bold = any("bold" in s.font.lower() or "bx" in s.font.lower() or "medi" in s.font.lower() for s in line.spans)
        upper = match.group("title").isupper()
        italic = any("ital" in s.font.lower() or "cmti" in s.font.lower() for s in line.spans)
        if bold or upper or italic or max(s.size for s in line.spans) > body + 0.5:
            found[index] = match.group("title").strip().title() if upper else match.group("title").strip()
    return found


def _abstract(lines: list[Line], headings: dict[int, str]) -> str:
    for index, line in enumerate(lines[:80]):
        if _ABSTRACT.match(line.text):
            parts = [_ABSTRACT.sub("", line.text, count=1)]
            for nxt in range(index + 1, len(lines)):
                if nxt in headings or _STOP_ABSTRACT.match(lines[nxt].text):
                    break
                parts.append(lines[nxt].text)
            return _join(parts)
    return ""


def _join(parts: list[str]) -> str:
    """Lines joined into running text; a word hyphenated across lines is joined up, but not an
    explicit hyphen ("$M$-antenna", "5G-", "single-antenna": the part before it is no word piece)."""
    text = ""
    for part in parts:
        part = " ".join(part.split())
        head = re.search(r"(\S*)-$", text)
        if head and part[:1].islower():
            explicit = not _WORD_PIECE.fullmatch(head.group(1)) or head.group(1).lower() in _COMPOUND_PREFIXES
            text = (text if explicit else text[:-1]) + part  # a word hyphenated across lines, or a compound
        else:
            text = f"{text} {part}" if text else part
    return text


_WORD_PIECE = re.compile(r"[a-z]{2,}|[A-Z][a-z]+")  # what TeX's hyphenation leaves before a break
# words that end in an explicit hyphen in compounds ("single-antenna") rather than a hyphenation break
_COMPOUND_PREFIXES = frozenset(
    "single multi full half low high non closed open large small zero two three four one cell user "
    "energy signal line self cross sub semi co pre post inter intra ultra".split()
)


def pdf_symbol_latex(symbol: str) -> str:
    """A symbol as read in PDF text ("hk", "σ2") to LaTeX: first glyph, the rest as a subscript."""
    base, rest = unicode_to_latex(symbol[:1]), symbol[1:]
    rest = "".join(unicode_to_latex(ch) for ch in rest)
    return f"{base}_{{{rest}}}" if rest else base


def _equation(eq: PdfEquation, lines: list[Line], headings: dict[int, str], stops: set[int],
              notes: set[int]) -> Equation:
    """The Equation of ``eq`` with the text lines around it up to a heading or another display
    block, footnotes left out."""
    section_index = max((i for i in headings if i < eq.first_line), default=None)
    before: list[str] = []
    for i in range(eq.first_line - 1, max(-1, eq.first_line - CONTEXT_LINES - 1), -1):
        if i in stops:
            break
        if i not in notes:
            before.insert(0, lines[i].text)
    after: list[str] = []
    for i in range(eq.last_line + 1, min(len(lines), eq.last_line + CONTEXT_LINES + 1)):
        if i in stops:
            break
        if i not in notes:
            after.append(lines[i].text)
    before_text, after_text = _join(before)[-CONTEXT_CHARS:], _join(after)[:CONTEXT_CHARS]
    return Equation(
        latex=eq.latex, number=eq.number, label=None, page=eq.page,
        section=headings.get(section_index) if section_index is not None else None,
        context_before=before_text, context_after=after_text,
        definitions=parse_pdf_definitions(after_text, pdf_symbol_latex),
        source="pdf", confidence=eq.confidence, text=eq.text,
    )

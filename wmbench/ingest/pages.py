"""Page numbers for LaTeX equations from the paper's PDF, read as plain text (a cheap pass).

A numbered equation is on the first page, from its predecessor's page on, that prints its number
"(n)" on a line of its own (else at the end of a line), as LaTeX prints equation numbers. An
unnumbered one lies between its numbered neighbours: on their page when they share one, else on
the page that shows the last words of the sentence before it (or the first words after it),
else on the previous neighbour's page.
"""

from __future__ import annotations

import re
from pathlib import Path

from wmbench.ingest.pdf_layout import import_pymupdf, open_pdf, read_pages, require_text
from wmbench.paper import Equation

PHRASE_WORDS = 4  # words of context looked up in the page text
_INLINE_MATH = re.compile(r"\$[^$]*\$")
_PUNCTUATION = ",.;:!?()\"'"


def read_page_texts(path: Path, *, where: str) -> list[str]:
    """The plain text of every page (ligatures expanded, hyphenated line breaks joined, one
    space between words); raises IngestionError for unusable PDFs, like the PDF path."""
    pymupdf = import_pymupdf()
    flags = pymupdf.TEXTFLAGS_TEXT & ~pymupdf.TEXT_PRESERVE_LIGATURES
    doc = open_pdf(path, where=where)
    try:
        raw = read_pages(doc, lambda _, page: page.get_text(flags=flags), where=where)
    finally:
        doc.close()
    require_text(sum(len(text.strip()) for text in raw), where=where)
    return [text.replace("-\n", "") for text in raw]


def assign_pages(equations: list[Equation], page_texts: list[str]) -> int:
    """Fill ``page`` of ``equations`` (in document order) in place; return how many were located."""
    anchors: list[int | None] = [None] * len(equations)
    first = 1
    for k, eq in enumerate(equations):
        if eq.number:
            anchors[k] = _number_page(eq.number, page_texts, first)
            first = anchors[k] or first
    flat = [" ".join(text.split()) for text in page_texts]
    for k, eq in enumerate(equations):
        eq.page = anchors[k] if anchors[k] is not None else _unnumbered_page(k, equations, anchors, flat)
    return sum(1 for eq in equations if eq.page is not None)


def _number_page(number: str, page_texts: list[str], first: int) -> int | None:
    own_line = re.compile(rf"^\s*\({re.escape(number)}\)\s*$", re.M)
    line_end = re.compile(rf"\({re.escape(number)}\)\s*$", re.M)
    for pattern in (own_line, line_end):
        for page in range(first, len(page_texts) + 1):
            if pattern.search(page_texts[page - 1]):
                return page
    return None


def _unnumbered_page(k: int, equations: list[Equation], anchors: list[int | None], flat: list[str]) -> int | None:
    previous = next((anchors[i] for i in range(k - 1, -1, -1) if anchors[i] is not None), None)
    following = next((anchors[i] for i in range(k + 1, len(anchors)) if anchors[i] is not None), None)
    if previous is not None and previous == following:
        return previous
    lo, hi = previous or 1, following or len(flat)
    for phrase in (_phrase(equations[k].context_before, last=True), _phrase(equations[k].context_after, last=False)):
        if phrase is None:
            continue
        for page in range(lo, hi + 1):
            if phrase.search(flat[page - 1]):
                return page
    return previous if previous is not None else following


def _phrase(context: str, *, last: bool) -> re.Pattern[str] | None:
    """The last (or first) run of plain words in ``context``, as a pattern over page text."""
    runs: list[list[str]] = [[]]
    for token in _INLINE_MATH.sub(" $ ", context or "").split():
        word = token.strip(_PUNCTUATION)
        if word.isascii() and word.isalpha():
            runs[-1].append(word)
        else:  # maths, a number, a citation: the PDF shows something else here
            runs.append([])
    runs = [run for run in runs if len(run) >= PHRASE_WORDS]
    if not runs:
        return None
    words = runs[-1][-PHRASE_WORDS:] if last else runs[0][:PHRASE_WORDS]
    return re.compile(r"\W+".join(re.escape(w) for w in words))

"""Find display equations among a PDF's lines and split them into rows.

A display line is set apart from the text column (indented on the left, not running to the
right edge unless it ends in an equation number) and holds math glyphs but almost no text
words; an equation number "(n)" at the column's right edge confirms it. Consecutive display
lines form a block; the block's rows are anchored on its equation numbers and on lines that
carry their own relation sign (unnumbered rows of an aligned block).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from wmbench.ingest.pdf_graphics import Box
from wmbench.ingest.pdf_latex import NO_RELATION_PENALTY, RELATION, rebuild_latex
from wmbench.ingest.pdf_layout import Column, Line, PageLayout, Span, body_size
from wmbench.ingest.pdf_symbols import FUNCTIONS, OPERATOR_NAMES, is_extension_font

_NUMBER = re.compile(r"^\s*\((?P<n>(?:[A-Z]\.?)?\d+(?:\.\d+)?[a-z]?)\)\s*$")  # "(12)", "(3a)", "(A.1)", "(2.4)"
_WORD = re.compile(r"[A-Za-z]{3,}")
_RELATION = re.compile(r"[=<>≤≥≈∼≜≠∝∈⇒→]")
# Fonts that set only mathematics: Computer Modern and AMS math fonts, and the symbol and math
# italic fonts of Times-based setups (mathptmx's StandardSymL/Symbol, newtx/pxfonts' txmi, txsy...).
_STRICT_MATH = re.compile(r"CMMI|CMSY|CMEX|MSBM|MSAM|EUFM|CMBSY|RSFS|Math|StandardSym|Symbol|N?TXMI|N?TXSY|PXMI|PXSY",
                          re.I)
FRAGMENT_CONFIDENCE = 0.5
FRAGMENT_PENALTY = 0.3
_ALLOWED_WORDS = FUNCTIONS | OPERATOR_NAMES | {"and", "for", "if", "otherwise", "subject", "with", "where",
                                                "minimize", "maximize", "minimise", "maximise", "s.t"}
# a line of numbers only: plot tick labels and legends ("-20 -15 -10", "0.2 0.4 0.6"), a table row
_DIGIT_RUN = re.compile(r"^[\s\d.,:;%()+\-−–]*\d[\s\d.,:;%()+\-−–]*$")
_LEADING_WORD = re.compile(r"^\s*([a-z][a-z]{2,})\b")
_CONTINUES = re.compile(r"^(?:=|<|>|\\(?:leq|geq|approx|triangleq|propto|sim|neq)\b)")
_OPERATOR_LED = re.compile(r"^(?:\+|-|\\times|\\cdot|\\pm|\\mp)(?:\s|$)")
SMALL_ROW = 0.8  # a row set only in sizes below this share of the body size is scripts torn off a display


@dataclass(frozen=True)
class PdfEquation:
    """One equation row read from a PDF."""

    latex: str
    text: str
    number: str | None
    page: int
    confidence: float
    first_line: int  # index range of the block in the document's reading-order line list
    last_line: int


def find_equations(pages: list[PageLayout], lines: list[Line]) -> list[PdfEquation]:
    """Every display equation row in ``lines`` (all pages, reading order)."""
    columns = {(p.number, c): col for p in pages for c, col in enumerate(p.columns)}
    rules = {p.number: p.rules for p in pages}
    body = body_size(lines)
    flags = [_is_display(line, columns.get((line.page, line.column))) for line in lines]
    pitch = _line_pitch(lines, flags)
    flags = [flag and not _runs_on(k, lines, flags, columns, pitch) for k, flag in enumerate(flags)]
    flags = [flag or _part_of_display(k, lines, flags, rules.get(line.page, ())) for k, (flag, line)
             in enumerate(zip(flags, lines))]
    equations: list[PdfEquation] = []
    i = 0
    while i < len(lines):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and flags[j + 1] and _same_block(lines[j], lines[j + 1]):
            j += 1
        column = columns.get((lines[i].page, lines[i].column))
        equations.extend(_block_rows(lines[i : j + 1], column, i, j, rules.get(lines[i].page, ()), body))
        i = j + 1
    return _penalize_torn(_join_heads(equations))


def _penalize_torn(equations: list[PdfEquation]) -> list[PdfEquation]:
    """Lower the confidence of rows next to a fragment (a lone radical sign, a stray limit): the
    display was cut in the wrong places, so they are likely missing pieces too."""
    fragments = [eq for eq in equations if eq.confidence < FRAGMENT_CONFIDENCE]
    def torn(eq: PdfEquation) -> bool:
        return any(f is not eq and f.first_line - 1 <= eq.last_line and eq.first_line <= f.last_line + 1
                   for f in fragments)
    return [replace(eq, confidence=round(max(0.05, eq.confidence - FRAGMENT_PENALTY), 3)) if torn(eq) else eq
            for eq in equations]


def equation_number(line: Line, column: Column | None) -> tuple[str | None, tuple[Span, ...]]:
    """The "(n)" at the right end of ``line`` (if any) and the spans before it."""
    spans = line.spans
    if not spans or column is None:
        return None, spans
    tail = ""
    for k in range(len(spans) - 1, max(-1, len(spans) - 4), -1):
        tail = spans[k].text + tail
        match = _NUMBER.match(tail)
        if match and spans[-1].bbox[2] >= column.right - 6:
            return match.group("n"), spans[:k]
    return None, spans


def _is_display(line: Line, column: Column | None) -> bool:
    """Math glyphs, at most one text word (scripts such as "LoS" in $P_{LoS}$ do not count),
    and either an equation number or an indent from the column's left edge."""
    if column is None:
        return False
    number, spans = equation_number(line, column)
    if not spans or (number is not None and len("".join(s.text for s in spans).strip()) <= 2):
        return number is not None  # a number alone, or beside a script of the display's other line
    body = max(s.size for s in spans)
    words = [w for s in spans if not _math_font(s.font) and s.size >= 0.85 * body
             for w in _WORD.findall(s.text) if w not in _ALLOWED_WORDS]
    if len(words) > 1 or not any(_math_font(s.font) or _RELATION.search(s.text) for s in spans):
        return False
    if _DIGIT_RUN.match(line.text) or _opens_with_prose(spans):
        return False
    if number is not None:
        return True
    indented = spans[0].bbox[0] >= column.left + 0.06 * (column.right - column.left)
    return indented and (not words or max(s.bbox[2] for s in spans) <= column.right - 3)


def _baseline(line: Line) -> float:
    return max(line.spans, key=lambda s: (s.size, -is_extension_font(s.font))).baseline


def _line_pitch(lines: list[Line], flags: list[bool]) -> float | None:
    """The distance between the baselines of two lines of running text (the most common one)."""
    gaps = Counter(round(_baseline(b) - _baseline(a), 1) for a, b, fa, fb in zip(lines, lines[1:], flags, flags[1:])
                   if not fa and not fb and a.page == b.page and a.column == b.column)
    return gaps.most_common(1)[0][0] if gaps else None


def _runs_on(k: int, lines: list[Line], flags: list[bool], columns: dict, pitch: float | None) -> bool:
    """Whether the display candidate ``k`` is the inline maths of a paragraph that runs on to it:
    it follows a full (justified) text line at the plain line distance, where a display would
    have display skip above it ("... if and only if" / "φ ≤ ρ1 + ρ2.")."""
    line, previous = lines[k], lines[k - 1] if k else None
    column = columns.get((line.page, line.column))
    if pitch is None or previous is None or column is None or flags[k - 1] or equation_number(line, column)[0]:
        return False
    if previous.page != line.page or previous.column != line.column or previous.bbox[2] < column.right - 3:
        return False
    return abs(_baseline(line) - _baseline(previous) - pitch) <= 0.6


def _opens_with_prose(spans: tuple[Span, ...]) -> bool:
    """Whether a line starts with a lower-case word in a text font: the end of a sentence (a
    hyphenated "com-pute |det(X)|^2" or "exclusively to q1") rather than a display."""
    first = spans[0]
    word = _LEADING_WORD.match(first.text)
    return not _math_font(first.font) and word is not None and word.group(1) not in _ALLOWED_WORDS


@lru_cache(maxsize=512)
def _math_font(font: str) -> bool:
    return bool(_STRICT_MATH.search(font))


def _part_of_display(k: int, lines: list[Line], flags: list[bool], rules: tuple[Box, ...] = ()) -> bool:
    """Whether the short line ``k`` belongs to the display next to it though it holds no math glyph
    of its own: an upper limit "K" or a numerator "P" set in a text italic font (Times setups).
    It must either sit inside the display horizontally, wedged between two display lines or on
    a fraction bar, or be smaller (limits, scripts) and start inside it."""
    line = lines[k]
    if not line.spans or len(line.text.strip()) > 12:
        return False
    touching = [lines[j] for j in (k - 1, k + 1) if 0 <= j < len(lines) and flags[j]
                and _same_block(*((lines[j], line) if j < k else (line, lines[j])))]
    inside = [other for other in touching
              if other.bbox[0] - 2 <= line.bbox[0] and line.bbox[2] <= other.bbox[2] + 2]
    if inside and (len(touching) == 2 or _on_a_bar(line, rules)):
        return True
    # a smaller line may stick out on the right: the exponent of a closing bar or bracket
    starts_inside = [other for other in touching if other.bbox[0] - 2 <= line.bbox[0] <= other.bbox[2] + 2]
    size = max(s.size for s in line.spans)
    return any(size < 0.85 * max((s.size for s in other.spans), default=0.0) for other in starts_inside)


def _on_a_bar(line: Line, rules: tuple[Box, ...]) -> bool:
    """Whether ``line`` is a numerator or denominator: a rule as wide as it at least runs just
    below or above it."""
    size = max(s.size for s in line.spans)
    return any(r[0] - 1 <= line.bbox[0] and line.bbox[2] <= r[2] + 1
               and (line.bbox[3] - 0.4 * size <= r[1] <= line.bbox[3] + 0.5 * size
                    or line.bbox[1] - 0.5 * size <= r[3] <= line.bbox[1] + 0.4 * size) for r in rules)


def _same_block(a: Line, b: Line) -> bool:
    size = max((s.size for s in a.spans), default=10.0)
    return a.page == b.page and a.column == b.column and b.bbox[1] - a.bbox[3] < 0.9 * size


def _block_rows(block: list[Line], column: Column | None, first: int, last: int,
                page_rules: tuple[Box, ...] = (), body: float = 0.0) -> list[PdfEquation]:
    """The rows of a display block; a row set only in script sizes (limits or a numerator line
    torn off their display, the scripts of an inline formula) is a fragment."""
    numbered: list[tuple[float, str]] = []
    spans: list[Span] = []
    for line in block:
        number, rest = equation_number(line, column)
        if number is not None:
            numbered.append((line.spans[-1].baseline, number))
        spans.extend(s for s in rest if not s.blank)
    if not spans:
        return []
    size = _main_size(spans)
    # a number centred between the lines of a broken display (split, multline) sits on no row
    on_rows = [(b, n) for b, n in numbered
               if any(abs(s.size - size) < 0.15 * size and abs(s.baseline - b) < 0.5 * size for s in spans)]
    anchors = _anchors(spans, on_rows, size)
    rows: dict[float, list[Span]] = {a: [] for a in anchors}
    for span in spans:
        rows[min(anchors, key=lambda a: abs(_center(span) - a))].append(span)
    numbers = {b - 0.3 * size: n for b, n in on_rows}
    for baseline, number in numbered:
        if (baseline, number) not in on_rows:  # to the row nearest to it
            numbers.setdefault(min(anchors, key=lambda a: abs(baseline - 0.3 * size - a)), number)
    page = block[0].page
    out = []
    for anchor in sorted(rows):
        row = sorted(rows[anchor], key=lambda s: s.bbox[0])
        if not row:
            continue
        latex, confidence = rebuild_latex(row, anchor, size, rules=list(page_rules))
        if max(s.size for s in row) < SMALL_ROW * body:
            confidence = 0.05
        number = numbers.get(anchor)
        text = " ".join("".join(s.text for s in row).split())
        confidence = min(0.95, confidence + (0.05 if number else 0.0))
        out.append(PdfEquation(latex, text, number, page, round(confidence, 3), first, last))
    return out


def _join_heads(rows: list[PdfEquation]) -> list[PdfEquation]:
    """Rows of one equation broken over lines, joined: a row with no relation followed (in the
    same block or the next line) by one that opens with a relation is the left-hand side of a
    display broken after it ("\\mathcal{E}\\{d(S, Y)\\}" then "= ..."). A row that opens with
    "+" or "-" stays a row of its own, as the LaTeX path reads it, unless no row precedes it:
    then it is a fragment of a display whose head was lost."""
    out: list[PdfEquation] = []
    for row in rows:
        head = out[-1] if out else None
        adjacent = head is not None and head.page == row.page and row.first_line <= head.last_line + 1
        if adjacent and not RELATION.search(head.latex) and _CONTINUES.match(row.latex):
            confidence = min(head.confidence + NO_RELATION_PENALTY, row.confidence)
        elif not adjacent and _OPERATOR_LED.match(row.latex):  # the rest of a display whose head was not read
            out.append(replace(row, confidence=min(row.confidence, FRAGMENT_CONFIDENCE - 0.05)))
            continue
        else:
            out.append(row)
            continue
        out[-1] = replace(head, latex=f"{head.latex} {row.latex}", text=f"{head.text} {row.text}",
                          number=row.number or head.number, confidence=round(confidence, 3), last_line=row.last_line)
    return out


def _main_size(spans: list[Span]) -> float:
    weights: dict[float, int] = {}
    for span in spans:
        if not span.font.upper().split("+")[-1].startswith("CMEX"):
            weights[span.size] = weights.get(span.size, 0) + len(span.text.strip())
    total = sum(weights.values())
    large = [size for size, weight in weights.items() if weight >= 0.2 * total]  # scripts are many but small
    return max(large) if large else spans[0].size


def _center(span: Span) -> float:
    return span.baseline - 0.3 * span.size


def _anchors(spans: list[Span], numbered: list[tuple[float, str]], size: float) -> list[float]:
    """Row baselines (as centres): equation numbers, then main-size lines with their own relation."""
    anchors = [baseline - 0.3 * size for baseline, _ in numbered]
    mains = [s for s in spans if abs(s.size - size) < 0.15 * size and _RELATION.search(s.text)]
    for span in sorted(mains, key=lambda s: s.baseline):
        centre = _center(span)
        if all(abs(centre - a) > 1.1 * size for a in anchors):
            anchors.append(centre)
    if not anchors:
        main = [s for s in spans if abs(s.size - size) < 0.15 * size] or spans
        anchors.append(_center(max(main, key=lambda s: len(s.text.strip()))))
    numbered_centres = {baseline - 0.3 * size for baseline, _ in numbered}
    return [a for a in anchors if a in numbered_centres] + [a for a in anchors if a not in numbered_centres]

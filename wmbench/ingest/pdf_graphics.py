"""What a page draws besides text: thin horizontal rules and figure regions (pymupdf).

Rules are the bars TeX draws in mathematics (fraction bars, radical vinculums, overlines):
:mod:`wmbench.ingest.pdf_latex` reads fractions, square roots and overlines from them. Figure
regions are the placed images and the clusters of vector drawings (plots, diagrams, tables)
widened by the margin their tick labels and axis titles sit in; with the caption paragraphs
("Fig. 3. ...", "TABLE I") they are kept out of the text the PDF path reads, so plot labels
such as "-20 -15 -10" are never taken for equations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
RULE_THICKNESS = 1.5  # a rule is at most this thick (TeX's bars are 0.4-0.6 pt) ...
RULE_LENGTH = 2.0  # ... and at least this long (pt)
FIGURE_MIN = 24.0  # a drawing cluster or image smaller than this in either direction is no figure (pt)
FIGURE_MARGIN = 14.0  # tick labels and axis titles sit this close around the plot area (pt)
TABLE_RULE = 60.0  # the rules of a table or an algorithm box are at least this long (pt)
_CAPTION = re.compile(r"^\s*(?:Fig\.|Figure|FIGURE|FIG\.|TABLE|Table)\s*(?:[0-9]+|[IVXL]+)\s*(?:[.:|]|$)")


class Graphics(NamedTuple):
    """The rules and figure regions of one page."""

    rules: tuple[Box, ...]
    figures: tuple[Box, ...]


def read_graphics(page) -> Graphics:
    """The rules and figure regions of a pymupdf ``page``."""
    drawings = page.get_cdrawings()  # plain tuples: faster than get_drawings()
    rules: list[Box] = []
    art = []
    for drawing in drawings:
        found = [_rule(item, drawing.get("width") or 0.0) for item in drawing["items"]]
        if found and all(found):
            rules.extend(found)  # type: ignore[arg-type]
        else:
            art.append(drawing)
    rect = type(page.rect)  # pymupdf.Rect, which cluster_drawings() wants
    clusters = page.cluster_drawings(drawings=[{"rect": rect(d["rect"])} for d in art]) if art else []
    images = page.get_image_info() if page.get_images() else []  # listing the images is the cheap part
    boxes = [tuple(r) for r in clusters] + [tuple(info["bbox"]) for info in images]
    figures = [b for b in boxes if b[2] - b[0] >= FIGURE_MIN and b[3] - b[1] >= FIGURE_MIN]
    rules, tables = _tables(rules)
    return Graphics(tuple(sorted(rules, key=lambda r: (r[1], r[0]))), tuple(figures + tables))


def _tables(rules: list[Box]) -> tuple[list[Box], list[Box]]:
    """Rules that are no mathematics and the tables (and ruled algorithm boxes) they frame:
    long rules of the same extent stacked over each other, as \\hline, booktabs and the ruled
    algorithm styles draw them. A fraction bar is never stacked over one of its own length."""
    groups: dict[tuple[int, int], list[Box]] = {}
    for rule in rules:
        if rule[2] - rule[0] >= TABLE_RULE:
            groups.setdefault((round(rule[0]), round(rule[2])), []).append(rule)
    tables = [(g[0][0], min(r[1] for r in g), g[0][2], max(r[3] for r in g)) for g in groups.values() if len(g) >= 2]
    tables = [t for t in tables if t[3] - t[1] >= FIGURE_MIN]
    return [r for r in rules if not inside(r, tables)], tables


def _rule(item: tuple, width: float) -> Box | None:
    """The box of a drawing item if it is a thin horizontal rule: a stroked horizontal line or a
    flat filled rectangle."""
    if item[0] == "l":
        (x0, y0), (x1, y1) = item[1], item[2]
        if abs(y1 - y0) < 0.1 and abs(x1 - x0) >= RULE_LENGTH and width <= RULE_THICKNESS:
            return (min(x0, x1), y0 - width / 2, max(x0, x1), y0 + width / 2)
    elif item[0] == "re":
        x0, y0, x1, y1 = item[1]
        if abs(y1 - y0) <= RULE_THICKNESS and abs(x1 - x0) >= RULE_LENGTH:
            return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return None


def _widen(box: Sequence[float], margin: float) -> Box:
    return (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)


def figure_text(boxes: Sequence[Box], figures: Sequence[Box], middle: float) -> set[int]:
    """Indices of the text ``boxes`` (lines) that belong to a figure: inside one, or near one
    and narrower than it (tick labels, then the axis title beyond them; a legend), growing the
    figure by each line taken so a chain of labels is followed but running text is not. A
    figure in one column of a page (``middle``: its middle) takes no line of the other."""
    regions = [_widen(f, 2.0) for f in figures]
    bounds = [_widen(f, 3 * FIGURE_MARGIN) for f in figures]
    sides = [_side(f, middle) for f in figures]
    taken: set[int] = {k for k, box in enumerate(boxes) if inside(box, regions)}
    grown = True
    while grown:
        grown = False
        for k, box in enumerate(boxes):
            if k in taken:
                continue
            for r, region in enumerate(regions):
                if (_near_box(box, region) and inside(box, bounds[r:r + 1]) and sides[r] in (0, _side(box, middle))
                        and box[2] - box[0] < 0.6 * (figures[r][2] - figures[r][0])):
                    taken.add(k)
                    regions[r] = (min(region[0], box[0]), min(region[1], box[1]),
                                  max(region[2], box[2]), max(region[3], box[3]))
                    grown = True
                    break
    return taken


def _side(box: Sequence[float], middle: float) -> int:
    """-1 for a box left of the page's middle, 1 right of it, 0 across it."""
    return -1 if box[2] <= middle + 5 else 1 if box[0] >= middle - 5 else 0


def _near_box(box: Box, region: Box) -> bool:
    wide = _widen(region, FIGURE_MARGIN)
    return box[0] < wide[2] and box[2] > wide[0] and box[1] < wide[3] and box[3] > wide[1]


def inside(box: Box, regions: Sequence[Box]) -> bool:
    """Whether the centre of ``box`` lies in one of ``regions``."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for r in regions)


def is_caption(text: str) -> bool:
    """Whether a line opens a figure or table caption ("Fig. 2.", "Figure 3:", "TABLE IV")."""
    return bool(_CAPTION.match(text))

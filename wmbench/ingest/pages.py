"""Page numbers for LaTeX equations from the paper's PDF.

Numbered equations are located by their number "(n)" among the PDF's display equations.
Unnumbered ones are matched, among the PDF equations between their numbered neighbours, to the
one whose rebuilt LaTeX is most similar; failing that they take the previous neighbour's page.
"""

from __future__ import annotations

import difflib
import re

from wmbench.paper import Equation

_NOISE = re.compile(r"\\(?:left|right|big|Big|bigg|Bigg|mathrm|operatorname|mathbf|mathsf|,|;|!|quad|qquad)|[{}\s]")


def assign_pages(latex_equations: list[Equation], pdf_equations: list[Equation]) -> int:
    """Fill ``page`` of ``latex_equations`` in place; return how many were located."""
    by_number = {eq.number: k for k, eq in enumerate(pdf_equations) if eq.number}
    anchors: list[int | None] = [by_number.get(eq.number) if eq.number else None for eq in latex_equations]
    for k, eq in enumerate(latex_equations):
        if anchors[k] is not None:
            eq.page = pdf_equations[anchors[k]].page
    for k, eq in enumerate(latex_equations):
        if anchors[k] is None:
            eq.page = _unnumbered_page(k, latex_equations, pdf_equations, anchors)
    return sum(1 for eq in latex_equations if eq.page is not None)


def _unnumbered_page(
    k: int, latex_eqs: list[Equation], pdf_eqs: list[Equation], anchors: list[int | None]
) -> int | None:
    previous = next((anchors[i] for i in range(k - 1, -1, -1) if anchors[i] is not None), None)
    following = next((anchors[i] for i in range(k + 1, len(anchors)) if anchors[i] is not None), None)
    lo = previous + 1 if previous is not None else 0
    hi = following if following is not None else len(pdf_eqs)
    target = _compact(latex_eqs[k].latex)
    candidates = [(difflib.SequenceMatcher(None, target, _compact(pdf_eqs[j].latex)).ratio(), j) for j in range(lo, hi)]
    if candidates:
        return pdf_eqs[max(candidates)[1]].page
    for index in (previous, following):
        if index is not None:
            return pdf_eqs[index].page
    return None


def _compact(latex: str) -> str:
    return _NOISE.sub("", latex)

"""Display math of a parsed LaTeX document, one row per equation, with labels and numbers.

Supported: ``equation``, ``align``, ``flalign``, ``alignat``, ``gather``, ``multline``,
``eqnarray``, IEEEtran's ``IEEEeqnarray``, breqn's ``dmath`` (each also starred),
``displaymath``, ``$$...$$`` and ``\\[...\\]``. Rows of aligned blocks become separate
equations with the ``&`` markers removed (the alignment only places the rows; each row reads as
written); an ``equation`` wrapping a ``split``, ``aligned`` or ``gathered`` (like ``multline``)
is one equation with one number, its lines joined. ``\\label``, ``\\tag``, ``\\nonumber`` /
``\\notag`` / ``\\IEEEnonumber``, ``\\IEEEyesnumber`` and ``subequations`` are respected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexNode,
    LatexSpecialsNode,
)
from pylatexenc.macrospec import EnvironmentSpec

Numbering = Literal["none", "block", "rows"]

# environment -> how it is numbered: not at all, once per block, or once per row
MATH_ENVIRONMENTS: dict[str, Numbering] = {
    "equation": "block",
    "multline": "block",
    "align": "rows",
    "flalign": "rows",
    "alignat": "rows",
    "gather": "rows",
    "eqnarray": "rows",
    "IEEEeqnarray": "rows",
    "dmath": "block",
    "displaymath": "none",
    "math": "none",
}
for _name in list(MATH_ENVIRONMENTS):
    MATH_ENVIRONMENTS[_name + "*"] = "none"
ROW_SPLIT_ENVIRONMENTS = {"align", "flalign", "alignat", "gather", "eqnarray", "IEEEeqnarray", "split"}
# Inner environments that make one multi-line equation of the block holding them.
_ONE_EQUATION_INNER = {"split", "aligned", "gathered", "alignedat", "multlined"}
# Environments pylatexenc does not know, with their arguments (IEEEeqnarray's column spec).
EXTRA_ENVIRONMENTS = [
    EnvironmentSpec(name, "{" if name.startswith("IEEEeqnarray") else "", is_math_mode=True)
    for name in ("IEEEeqnarray", "IEEEeqnarray*", "dmath", "dmath*")
]
_NO_NUMBER = {"nonumber", "notag", "IEEEnonumber"}
_YES_NUMBER = {"IEEEyesnumber"}
# Layout commands a row may hold that are no part of its maths (font size, IEEEtran spacing).
_LAYOUT = {"IEEEeqnarraynumspace", "IEEEyessubnumber", "IEEEnosubnumber", "centering", "small", "normalsize",
           "footnotesize", "scriptsize", "tiny", "large", "Large", "noindent", "allowdisplaybreaks", "vspace",
           "hfill", "nolinebreak", "linebreak", "pagebreak", "nopagebreak", "displaybreak"}


@dataclass(frozen=True)
class Row:
    """One equation row: its LaTeX (no ``&``, ``\\label`` or ``\\tag``) and numbering facts."""

    latex: str
    label: str | None
    tag: str | None  # an explicit \tag{...}
    numbered: bool
    aligned: bool  # the row came from an aligned block with '&' markers


class EquationCounter:
    """LaTeX's equation counter: plain, per section (``\\numberwithin``) or in ``subequations``."""

    def __init__(self, per_section: bool = False) -> None:
        self.per_section = per_section
        self.section = ""
        self.value = 0
        self.sub: int | None = None  # letter index inside subequations

    def new_section(self, number: str) -> None:
        self.section = number
        if self.per_section:
            self.value = 0

    def start_subequations(self) -> None:
        self.value += 1
        self.sub = 0

    def end_subequations(self) -> None:
        self.sub = None

    def next(self) -> str:
        if self.sub is not None:
            self.sub += 1
            base = self._format(self.value)
            return base + _letter(self.sub)
        self.value += 1
        return self._format(self.value)

    def _format(self, value: int) -> str:
        return f"{self.section}.{value}" if self.per_section and self.section else str(value)


def _letter(index: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[(index - 1) % 26]


def is_display_math(node: LatexNode) -> bool:
    if isinstance(node, LatexMathNode):
        return node.displaytype == "display"
    return isinstance(node, LatexEnvironmentNode) and node.environmentname in MATH_ENVIRONMENTS


def display_rows(node: LatexNode) -> tuple[list[Row], Numbering]:
    """The rows of one display-math node and how its environment is numbered."""
    if isinstance(node, LatexMathNode):
        return _rows(node.nodelist, split=False, numbered=False), "none"
    name = node.environmentname
    numbering = MATH_ENVIRONMENTS[name]
    inner = _only_split(node.nodelist)
    if inner is not None:  # equation{ split{...} }: one equation (one number) over several lines
        labels = [n for n in node.nodelist if _is_macro(n, "label")]
        return _rows(list(inner.nodelist) + labels, split=False, numbered=numbering != "none"), numbering
    split = name.rstrip("*") in ROW_SPLIT_ENVIRONMENTS
    return _rows(node.nodelist, split=split, numbered=numbering != "none"), numbering


def _only_split(nodes: list[LatexNode]) -> LatexEnvironmentNode | None:
    significant = [n for n in nodes if not _is_blank(n) and not _is_macro(n, "label")]
    if (len(significant) == 1 and isinstance(significant[0], LatexEnvironmentNode)
            and significant[0].environmentname in _ONE_EQUATION_INNER):
        return significant[0]
    return None


def _rows(nodes: list[LatexNode], *, split: bool, numbered: bool) -> list[Row]:
    chunks: list[list[LatexNode]] = [[]]
    for node in nodes:
        if split and _is_macro(node, "\\"):
            chunks.append([])
        else:
            chunks[-1].append(node)
    rows = [_row(chunk, numbered) for chunk in chunks]
    return _strip_joiners([row for row in rows if row.latex])


# Words that join separate equations set in one block ("\text{and }" opening or closing a row)
# are no part of either. (A row that goes on with the expression above, "&+ n_k", stays a row:
# rows are what LaTeX sets, the convention of the example truth and of the PDF comparison.)
_JOINER = r"\\text\s*\{\s*(?:and|or)\s*(?:\\[;,:!]\s*)?\}"
_SPACING = r"(?:\s|\\[;,:! ]|\\q?quad(?![A-Za-z])|~)*"
_LEADING_JOINER = re.compile(rf"^{_SPACING}{_JOINER}{_SPACING}")
_TRAILING_JOINER = re.compile(rf",?{_SPACING}{_JOINER}{_SPACING}[,.;]?$")


def _strip_joiners(rows: list[Row]) -> list[Row]:
    stripped = (replace(row, latex=_TRAILING_JOINER.sub("", _LEADING_JOINER.sub("", row.latex)).strip()) for row in rows)
    return [row for row in stripped if row.latex]


def _row(nodes: list[LatexNode], numbered: bool) -> Row:
    parts: list[str] = []
    label = tag = None
    aligned = False
    skip_group: str | bool = False  # "tag"/"text": the next group is the argument of a \tag or an \intertext
    for k, node in enumerate(nodes):
        if skip_group and isinstance(node, LatexGroupNode):
            if skip_group == "tag":
                tag = _group_text(node)
            skip_group = False
            continue
        skip_group = False
        if isinstance(node, LatexMacroNode) and node.macroname in ("eqno", "leqno"):  # plain TeX: "\eqno(9)"
            tag = "".join(n.latex_verbatim() for n in nodes[k + 1:]).strip().strip("()").strip() or None
            break
        if isinstance(node, LatexMacroNode) and node.macroname in ("intertext", "shortintertext"):
            skip_group = "text" if _macro_arg_text(node) is None else False  # prose between rows
        elif _is_macro(node, "label"):
            label = _macro_arg_text(node)
        elif (inner := _braced_label(node)) is not None:  # "{\label{eq:x}}"
            label = inner
        elif isinstance(node, LatexMacroNode) and node.macroname in _NO_NUMBER:
            numbered = False
        elif isinstance(node, LatexMacroNode) and node.macroname in _YES_NUMBER:
            numbered = True
        elif isinstance(node, LatexMacroNode) and node.macroname in _LAYOUT:
            continue
        elif _is_macro(node, "tag"):
            tag = _macro_arg_text(node)
            skip_group = "tag" if tag is None else False
        elif isinstance(node, LatexSpecialsNode) and node.specials_chars == "&":
            aligned = True
            parts.append(" ")
        elif isinstance(node, LatexMacroNode) and node.macroname == "\\":
            parts.append(" ")  # a line break inside multline
        else:
            parts.append(node.latex_verbatim())
    latex = _COLOUR.sub("", " ".join("".join(parts).split()))
    return Row(latex=latex, label=label, tag=tag, numbered=numbered or tag is not None, aligned=aligned)


# Revision colours in a row: \textcolor{blue}{x} is x, \color{red} nothing.
_COLOUR = re.compile(r"\\(?:textcolor|color)\s*(?:\[[^\]]*\])?\s*\{[^{}]*\}\s*")


def _braced_label(node: LatexNode) -> str | None:
    """The label of a group that holds only a ``\\label``, else None."""
    if not isinstance(node, LatexGroupNode):
        return None
    significant = [n for n in node.nodelist if not _is_blank(n)]
    if len(significant) == 1 and _is_macro(significant[0], "label"):
        return _macro_arg_text(significant[0])
    return None


def _is_blank(node: LatexNode) -> bool:
    return isinstance(node, LatexCharsNode) and not node.chars.strip()


def _is_macro(node: LatexNode, name: str) -> bool:
    return isinstance(node, LatexMacroNode) and node.macroname == name


def _macro_arg_text(node: LatexMacroNode) -> str | None:
    args = [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a is not None]
    return _group_text(args[-1]) if args else None


def _group_text(node: LatexNode) -> str:
    text = node.latex_verbatim()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    return text.strip()

"""How well ingestion recovers a paper's display equations, measured against a ground truth.

Shared by ``benchmarks/ingest_recovery.py`` and the example-paper tests. LaTeX equations
must match exactly up to whitespace; PDF equations are aligned to the truth by equation
number and reading order, and scored by the similarity of their normalised token sequences.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[A-Za-z]|\d|\S")  # a command, an escaped char, a letter, a digit, a symbol
_IGNORED = {  # tokens that change spacing or delimiter size but not the maths
    r"\left", r"\right", r"\big", r"\Big", r"\bigg", r"\Bigg", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr",
    r"\,", r"\;", r"\:", r"\!", r"\quad", r"\qquad", r"\ ", "{", "}", r"\displaystyle", r"\limits",
    "&",  # an alignment mark
}
_ALIASES = {r"\le": r"\leq", r"\ge": r"\geq", r"\ne": r"\neq", r"\to": r"\rightarrow", r"\ldots": r"\dots",
            r"\cdots": r"\dots", r"\varepsilon": r"\epsilon", r"\lVert": r"\|", r"\rVert": r"\|",
            r"\lvert": "|", r"\rvert": "|", r"\vert": "|", r"\Vert": r"\|", r"\mid": "|",
            # spellings of one typeface, which a PDF cannot tell apart
            **dict.fromkeys((r"\bm", r"\boldsymbol", r"\pmb", r"\bf", r"\textbf"), r"\mathbf"),
            **dict.fromkeys((r"\rm", r"\textrm", r"\text", r"\textnormal", r"\operatorname", r"\mbox"), r"\mathrm"),
            r"\dfrac": r"\frac", r"\tfrac": r"\frac"}


def squash(latex: str) -> str:
    """The exact-match key of the LaTeX path: the token sequence, blind to spacing only.

    Tokens keep ``\\pi f_c`` apart from ``\\pif_c`` (a space that ends a command matters).
    """
    return " ".join(_TOKEN.findall(latex))


# Spellings that typeset alike, rewritten before tokenising: matrix environments as their
# delimiters, named operators as their commands, \underset{x}{\min} as \min_{x}.
_SAME_LOOK = (
    (re.compile(r"\\(begin|end)\{([bpvBV]?)matrix\*?\}"),
     lambda m: {"b": "[]", "p": "()", "v": "||", "V": r"\|\|", "B": r"\{\}", "": "  "}[m.group(2)][m.group(1) == "end"]),
    (re.compile(r"\\begin\{cases\}"), lambda m: r"\{"),
    (re.compile(r"\\end\{cases\}"), lambda m: " "),
    (re.compile(r"\\(?:operatorname|mathrm|text)\*?\{\s*arg\s*(?:\\,)?\s*(max|min)\s*\}"), lambda m: rf"\arg\{m.group(1)}"),
    (re.compile(r"\\(?:mathrm|text|operatorname)\{\s*(max|min|log|exp|lim|sup|inf)\s*\}"), lambda m: rf"\{m.group(1)}"),
    (re.compile(r"\\underset\{((?:[^{}]|\{[^{}]*\})*)\}\{(\\[A-Za-z]+)\}"), lambda m: rf"{m.group(2)}_{{{m.group(1)}}}"),
)


def tokens(latex: str) -> list[str]:
    """Normalised tokens: spacing and delimiter sizes dropped, synonyms merged, no final punctuation."""
    for pattern, replacement in _SAME_LOOK:
        latex = pattern.sub(replacement, latex)
    out = [_ALIASES.get(t, t) for t in _subscript_first(_TOKEN.findall(latex)) if t not in _IGNORED]
    while out and out[-1] in (",", ".", ";"):
        out.pop()
    return out


def _subscript_first(toks: list[str]) -> list[str]:
    """Tokens with every superscript that comes before its subscript put after it (``x^{b}_{a}``
    and ``x_{a}^{b}`` are one thing; a PDF reconstruction always gives the subscript first)."""
    out: list[str] = []
    k = 0
    while k < len(toks):
        if toks[k] == "^":
            sup_end = _group_end(toks, k + 1)
            if sup_end < len(toks) and toks[sup_end] == "_":
                sub_end = _group_end(toks, sup_end + 1)
                out += toks[sup_end:sub_end] + toks[k:sup_end]
                k = sub_end
                continue
        out.append(toks[k])
        k += 1
    return out


def _group_end(toks: list[str], start: int) -> int:
    """The index after the script argument starting at ``start``: a braced group or one token."""
    if start >= len(toks) or toks[start] != "{":
        return min(start + 1, len(toks))
    depth = 0
    for k in range(start, len(toks)):
        depth += {"{": 1, "}": -1}.get(toks[k], 0)
        if depth == 0:
            return k + 1
    return len(toks)


def similarity(a: str, b: str) -> float:
    """difflib ratio of the normalised token sequences of two LaTeX strings."""
    return difflib.SequenceMatcher(None, tokens(a), tokens(b), autojunk=False).ratio()


@dataclass(frozen=True)
class Recovery:
    """Recall / precision of one paper's equations, and the mean similarity of matched pairs."""

    truth: int
    found: int
    matched: int
    similarity: float = 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0


def exact_recovery(truth: list[str], found: list[str]) -> Recovery:
    """Multiset match of LaTeX strings up to whitespace."""
    left, right = Counter(map(squash, truth)), Counter(map(squash, found))
    return Recovery(len(truth), len(found), sum((left & right).values()))


Numbered = list[tuple[str | None, str]]  # (equation number or None, LaTeX) in reading order


def align(truth: Numbered, found: Numbered, *, min_similarity: float = 0.3) -> list[tuple[int, int]]:
    """Pairs (truth index, found index): same equation number first, then unnumbered ones in
    order between matched neighbours, by best similarity above ``min_similarity``."""
    by_number = {n: j for j, (n, _) in enumerate(found) if n}
    pairs = {i: by_number[n] for i, (n, _) in enumerate(truth) if n and n in by_number}
    used = set(pairs.values())
    for i, (_, latex) in enumerate(truth):
        if i in pairs:
            continue
        lo = max((pairs[k] for k in pairs if k < i), default=-1) + 1
        hi = min((pairs[k] for k in pairs if k > i), default=len(found))
        scored = [(similarity(latex, found[j][1]), -j) for j in range(lo, hi) if j not in used]
        best = max(scored, default=None)
        if best is not None and best[0] >= min_similarity:
            pairs[i] = -best[1]
            used.add(-best[1])
    return sorted(pairs.items())


def pdf_recovery(truth: Numbered, found: Numbered) -> Recovery:
    """Detection recall / precision of PDF equations and the mean similarity of matched pairs."""
    pairs = align(truth, found)
    mean = sum(similarity(truth[i][1], found[j][1]) for i, j in pairs) / len(pairs) if pairs else 0.0
    return Recovery(len(truth), len(found), len(pairs), round(mean, 4))


def best_similarity(latex: str, references: list[str]) -> float:
    """The highest :func:`similarity` of ``latex`` to any of ``references`` (0.0 for none)."""
    key = tokens(latex)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(key)  # difflib caches details of its second sequence
    best = 0.0
    for reference in references:
        matcher.set_seq1(tokens(reference))
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best

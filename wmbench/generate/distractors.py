r"""Wrong-but-plausible MCQ options: the answer perturbed the way wireless equations go wrong.

Each perturbation edits whole sub-expressions of the answer (spans from :mod:`latex_tree`):
matrix operand order, transpose vs Hermitian vs conjugate, a sign, an exponent, a log base, a
missing factor or term, numerator and denominator swapped, a missing square root, a wrong index,
a transpose or inverse left out, a constant doubled, a sum's range off by its exclusion or by one.
Two kinds of option are never offered: the whole answer negated (a solver rules it out by the
sign of the quantity alone) and a bare ``\log`` turned into ``\ln``, ``\log_2`` or ``\log_{10}``
(the paper may mean any base by ``\log``, so the option is not definitely wrong).
A candidate is kept only if the project's verifier proves it not equivalent to the answer (by
structure, by its values at sample points, or rarely by math-verify); the candidates are
distinct strings (whitespace aside) by construction. The families take turns in a seeded order,
and the checks stop as soon as enough are proved (or enough can no longer be).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from wmbench.errors import GenerationError
from wmbench.generate.latex_tree import Factor, Tree, parse
from wmbench.generate.masking import seeded_rng

Edit = tuple[int, int, str]  # replace answer[start:end] by the text
_T = TypeVar("_T")

_BOLD = frozenset({"mathbf", "boldsymbol", "bm", "pmb", "mathbfit"})
_MARKER_SWAPS = {"T": ("H", "*"), "H": ("T", "*"), "*": ("H", "T"), "\\top": ("H", "*"), "\\dagger": ("T", "*"),
                 "\\mathsf{H}": ("\\mathsf{T}", "*"), "\\mathsf{T}": ("\\mathsf{H}", "*"),
                 "\\mathrm{H}": ("\\mathrm{T}", "*"), "\\mathrm{T}": ("\\mathrm{H}", "*"), "-1": ("T", "H")}
_INDEX_SWAPS = {"k": "j", "j": "k", "i": "j", "n": "m", "m": "n", "l": "k", "u": "k", "t": "n", "q": "p", "p": "q"}
# A log with its base: \log_2, \log_{10}, \ln, or a bare \log (not followed by more letters).
_LOG = re.compile(
    r"""
    \\log_\{?(?P<base>2|10|e)\}?   # \log_2, \log_{10}
    | \\ln(?![A-Za-z])               # natural log
    | \\log(?![A-Za-z_])             # a bare \log
    """,
    re.VERBOSE,
)


# spacing left at either end by a removed factor
_EDGE_SPACE = re.compile(r"^(?:\s|\\[,;:!]|\\q?quad\b)+|(?:\s|\\[,;:!]|\\q?quad\b)+$")


@dataclass(frozen=True)
class DistractorConfig:
    n: int = 3
    max_checks: int = 18  # verifier calls spent on one answer at most


def perturbations(answer: str) -> list[tuple[str, str]]:
    """Every candidate distractor as ``(family, latex)``, in a fixed order, without repeats."""
    try:
        tree = parse(answer)
    except GenerationError:
        return []
    seen = {_norm(answer)}
    out: list[tuple[str, str]] = []
    for family, make in _FAMILIES:
        for start, end, text in make(tree):
            candidate = _EDGE_SPACE.sub("", re.sub(r" {2,}", " ", answer[:start] + text + answer[end:]))
            if _norm(candidate) not in seen and candidate.strip() and not negates(answer, candidate):
                seen.add(_norm(candidate))
                out.append((family, candidate))
    return out


def make_distractors(answer: str, *key: object, context: str = "",
                     config: DistractorConfig = DistractorConfig()) -> list[str]:
    """``config.n`` distinct distractors proved non-equivalent to ``answer``, or fewer (maybe
    none) when the answer does not allow that many. The seeded ``key`` fixes which are tried first."""
    from wmbench.verify import BUILD_CONFIG, provably_different

    queue = candidate_queue(answer, *key)[:config.max_checks]
    chosen: list[str] = []
    for tried, candidate in enumerate(queue):
        if len(chosen) + len(queue) - tried < config.n:
            break  # too few candidates left to reach n: the rest would be checked for nothing
        if provably_different(answer, candidate.latex, context=context, config=BUILD_CONFIG):
            chosen.append(candidate.latex)  # distinct from the others already: perturbations() never repeats
            if len(chosen) == config.n:
                break
    return chosen


@dataclass(frozen=True)
class Candidate:
    """A perturbed answer and the family of the perturbation."""

    family: str
    latex: str


def candidate_queue(answer: str, *key: object) -> list[Candidate]:
    """Every perturbation of ``answer`` in the order :func:`make_distractors` checks them:
    families shuffled by the seeded ``key`` take turns, so the distractors are varied."""
    by_family: dict[str, list[str]] = {}
    for family, text in perturbations(answer):
        by_family.setdefault(family, []).append(text)
    rng = seeded_rng(*key, "distractors")
    for texts in by_family.values():
        rng.shuffle(texts)
    families = sorted(by_family)
    rng.shuffle(families)
    turns = [[Candidate(f, t) for t in by_family[f]] for f in families]
    return [candidate for round_ in _round_robin(turns) for candidate in round_]


def _round_robin(lists: list[list[_T]]) -> Iterator[list[_T]]:
    depth = max((len(x) for x in lists), default=0)
    for i in range(depth):
        yield [x[i] for x in lists if i < len(x)]


def _norm(text: str) -> str:
    return "".join(text.split())


def negates(answer: str, candidate: str) -> bool:
    """Whether ``candidate`` reads as ``answer`` negated: a minus put before it or taken away
    (``-x`` for ``x``, ``x`` for ``-x``, ``-(a+b)`` for ``a+b``, ``-a+b`` for ``a+b``)."""
    a, c = _norm(answer), _norm(candidate)
    for one, other in ((a, c), (c, a)):
        one = one.removeprefix("+")
        if other in (f"-{one}", f"-({one})", f"-\\left({one}\\right)", f"-{{{one}}}"):
            return True
    return False


# --- perturbation families: each yields edits on the answer string ----------------------------


def _terms(tree: Tree):
    for side in tree.sides:
        yield from side.terms


def _is_matrix(f: Factor, latex: str) -> bool:
    return f.base.name in _BOLD or (f.base.kind == "sym" and latex[f.base.start:f.base.end].isupper())


def _matrix_order(tree: Tree) -> Iterator[Edit]:
    for term in _terms(tree):
        for a, b in zip(term.factors, term.factors[1:]):
            if _is_matrix(a, tree.latex) and _is_matrix(b, tree.latex):
                yield a.start, b.end, tree.text(b) + " " + tree.text(a)


def _transpose_kind(tree: Tree) -> Iterator[Edit]:
    for f in tree.factors:
        if f.sup is not None:
            mark = "".join(tree.text(f.sup).split())
            for other in _MARKER_SWAPS.get(mark, ()):
                yield f.sup.start, f.sup.end, other
        elif f.base.name in _BOLD:
            yield f.end, f.end, "^H"


def _sign(tree: Tree) -> Iterator[Edit]:
    """The sign of a term after the first flipped (``a + b`` → ``a - b``); the first term keeps its
    sign, since flipping it reads as the whole answer negated."""
    for side in tree.sides:
        for term in side.terms[1:]:
            if term.sign is not None and tree.text(term.sign) in ("+", "-"):
                yield term.sign.start, term.sign.end, "-" if tree.text(term.sign) == "+" else "+"


def _exponent(tree: Tree) -> Iterator[Edit]:
    for f in tree.factors:
        if f.sup is None:
            if f.kind == "bracket" and tree.text(f.base).startswith("|"):
                yield f.end, f.end, "^2"
            continue
        text = tree.text(f.sup).strip()
        if text.isdigit():
            yield f.sup.start, f.sup.end, str(int(text) + 1 if text != "2" else 3)
            braced = tree.latex[f.sup.start - 1:f.sup.start] == "{"
            end = f.sup.end + (1 if braced else 0)
            caret = tree.latex.rfind("^", f.base.end, f.sup.start + 1)
            if caret >= 0:
                yield caret, end, ""


def _log_base(tree: Tree) -> Iterator[Edit]:
    """A written base made another (``\\log_2`` → ``\\log_{10}``, ``\\ln`` → ``\\log_2``); a bare
    ``\\log`` has no base the solver can hold against an option, so it is left alone."""
    swaps = {"2": "\\log_{10}", "10": "\\log_2", "e": "\\log_2"}
    for m in _LOG.finditer(tree.latex):
        if m.group("base"):
            yield m.start(), m.end(), swaps[m.group("base")]
        elif m.group(0) == "\\ln":
            yield m.start(), m.end(), "\\log_2"


def _missing_factor(tree: Tree) -> Iterator[Edit]:
    """A factor left out; not a function's argument (``\\log`` alone is no slip) nor a whole
    sum or product with its body (what is left is no variant of the answer)."""
    for term in _terms(tree):
        if len(term.factors) > 1:
            for before, f in zip((None, *term.factors), term.factors):
                if f.kind == "bigop" or (before is not None and before.kind == "func" and not before.inner):
                    continue
                yield f.start, f.end, ""


def _missing_term(tree: Tree) -> Iterator[Edit]:
    for side in tree.sides:
        if len(side.terms) > 1:
            for i, term in enumerate(side.terms):
                start = term.sign.start if term.sign is not None and i > 0 else term.start
                end = side.terms[1].sign.end if i == 0 and side.terms[1].sign is not None else term.end
                yield start, end, ""


def _frac_swap(tree: Tree) -> Iterator[Edit]:
    for f in tree.factors:
        if f.kind == "frac" and len(f.base.args) == 2:
            num, den = f.base.args
            yield num.start, den.end, tree.text(den) + "}{" + tree.text(num)


def _sqrt(tree: Tree) -> Iterator[Edit]:
    for f in tree.factors:
        if f.kind == "sqrt" and f.base.args:
            inner = tree.text(f.base.args[-1]).strip()
            # a sum keeps its brackets; a space keeps \alpha from running into what follows
            yield f.base.start, f.base.end, f"({inner})" if re.search(r"[+-]", inner) else inner + " "
    for term in _terms(tree):
        for f in term.factors[:1]:  # a root of a bold vector or matrix, or of an index, would be no plausible slip
            if (f.kind in ("symbol", "style") and f.sup is None and f.base.name not in _BOLD
                    and tree.text(f).strip() not in _INDEX_SWAPS):
                yield f.start, f.end, "\\sqrt{" + tree.text(f) + "}"


def _wrong_index(tree: Tree) -> Iterator[Edit]:
    for f in tree.factors:
        if f.sub is not None:
            text = tree.text(f.sub).strip()
            if text in _INDEX_SWAPS:
                yield f.sub.start, f.sub.end, _INDEX_SWAPS[text]


def _missing_mark(tree: Tree) -> Iterator[Edit]:
    """A transpose, Hermitian or inverse left out: ``\\mathbf{h}^H\\mathbf{w}`` → ``\\mathbf{h}\\mathbf{w}``,
    ``(\\mathbf{A}+\\mathbf{B})^{-1}`` → ``(\\mathbf{A}+\\mathbf{B})``."""
    for f in tree.factors:
        if f.sup is not None and "".join(tree.text(f.sup).split()) in _MARKER_SWAPS and f.kind != "bigop":
            braced = tree.latex[f.sup.start - 1:f.sup.start] == "{"
            caret = tree.latex.rfind("^", f.base.end, f.sup.start + 1)
            if caret >= 0:
                yield caret, f.sup.end + (1 if braced else 0), ""


_COEFFICIENT = re.compile(r"(?<![\\\w.^_])(?P<n>[2-9]|[1-9]\d+)(?![\w.])")


def _coefficient(tree: Tree) -> Iterator[Edit]:
    """A constant doubled: ``10\\log_{10}`` → ``20\\log_{10}``, ``\\frac{1}{2}`` → ``\\frac{1}{4}``
    (numbers in scripts are exponents or indices, not coefficients)."""
    scripts = [(seq.start, seq.end) for f in tree.factors for seq in (f.sub, f.sup) if seq is not None]
    for m in _COEFFICIENT.finditer(tree.latex):
        if not any(start <= m.start() < end for start, end in scripts):
            yield m.start(), m.end(), str(2 * int(m.group("n")))


def _sum_range(tree: Tree) -> Iterator[Edit]:
    """A sum's range off: the exclusion dropped (``\\sum_{j\\neq k}`` → ``\\sum_{j}``), or the upper
    limit one short (``\\sum_{k=1}^{K}`` → ``\\sum_{k=1}^{K-1}``)."""
    for f in tree.factors:
        if f.kind != "bigop" or f.sub is None:
            continue
        sub = tree.text(f.sub)
        if m := re.match(r"^\s*(?P<index>\\?[A-Za-z]+)\s*(?:\\neq?|\\ne)\b", sub):
            yield f.sub.start, f.sub.end, m.group("index")
        if f.sup is not None and re.fullmatch(r"\s*\\?[A-Za-z]+(?:_\{?\w+\}?)?\s*", tree.text(f.sup)):
            braced = tree.latex[f.sup.start - 1:f.sup.start] == "{"
            text = tree.text(f.sup).strip()
            yield f.sup.start, f.sup.end, f"{text}-1" if braced else f"{{{text}-1}}"


_FAMILIES: tuple[tuple[str, Callable[[Tree], Iterator[Edit]]], ...] = (
    ("matrix_order", _matrix_order),
    ("transpose_kind", _transpose_kind),
    ("sign", _sign),
    ("exponent", _exponent),
    ("log_base", _log_base),
    ("missing_factor", _missing_factor),
    ("missing_term", _missing_term),
    ("frac_swap", _frac_swap),
    ("sqrt", _sqrt),
    ("wrong_index", _wrong_index),
    ("missing_mark", _missing_mark),
    ("coefficient", _coefficient),
    ("sum_range", _sum_range),
)


"""One LaTeX answer against another: structure first, math-verify only for scalar algebra.

The decision for a pair, in order (each step is pinned by rows of tests/data/verify_cases.jsonl):

1. Equal canonical keys (:mod:`wmbench.verify.normalize`) → equal. Most pairs end here.
2. Relations and lists: both sides are split at top-level ``,`` and relations; ``a = b`` may
   match ``b = a`` (``a \\le b`` matches ``b \\ge a``); the parts are compared in order.
3. A part holding matrices/vectors (bold symbols, symbols the context calls matrices or
   vectors, transposes, Hermitians) whose key differs is split into terms of scalar
   coefficient × ordered matrix factors (:mod:`wmbench.verify.linear`): the ordered factors
   must match exactly, the coefficients are compared as scalars (step 4-5), so
   ``\\frac{1}{\\sigma^2}\\mathbf{H}`` = ``\\sigma^{-2}\\mathbf{H}``. math-verify takes matrix products
   as commutative and drops ``^T``, so it never sees a matrix.
4. Notation math-verify misreads (primes, derivatives, ``\\times``, set operations) → different.
   Different symbol sets (case-sensitive, with their subscripts) or different logarithms
   (``\\log``, ``\\ln``, ``\\log_b``) → different, without sympy.
5. Otherwise the pair is scalar algebra. Rational functions (numbers, symbols, ``\\pi``,
   ``+ - \\times /``, ``\\frac``, integer powers) are decided by exact values at random rational
   points (:func:`~wmbench.verify.numeric.rational_decision`), without sympy. Values at sample points (:mod:`wmbench.verify.numeric`)
   prove most different pairs different at once. The rest: symbols are renamed to neutral
   Greek names (so math-verify cannot lower-case, drop or misread them) and math-verify
   decides in a worker process under a deadline (:mod:`wmbench.verify.timeout`); without a
   deadline (``call_timeout=None``) it is not asked. A sum or product over subscripted symbols
   stays structural (the renaming would hide its index). A failure to parse, a timeout, or
   no math-verify leaves the pair undecided (``None``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Literal

from wmbench.verify import timeout
from wmbench.verify.linear import linear_combination
from wmbench.verify.normalize import (
    ACCENT,
    BIG_OPERATORS,
    FONT,
    GREEK,
    MAX_CHARS,
    NON_SYMBOLS,
    OPERATOR_NAMES,
    Cmd,
    Grp,
    Keyer,
    Node,
    Scr,
    Tok,
    TooComplex,
    canonical_key,
    is_bound_name,
    number_value,
    parse_latex,
    walk_nodes,
)
from wmbench.verify.numeric import differs, rational_decision, too_large

_RELATIONS = {"=": "=", "<": ">", ">": "<", r"\leq": r"\geq", r"\geq": r"\leq", r"\neq": r"\neq",
              r"\approx": r"\approx", r"\triangleq": None, r"\in": None, r"\notin": None,
              r"\sim": None, r"\coloneqq": None, r"\equiv": r"\equiv", r"\propto": r"\propto",
              r"\rightarrow": None, r"\leftarrow": None}
# Functions and operators whose presence must match exactly: a different log base is a
# different answer, and a sum is not an integral.
_FUNCTIONS = frozenset({r"\log", r"\ln", r"\lg"} | BIG_OPERATORS)
# Notation math-verify misreads (drops primes, takes x as commutative, ignores derivatives):
# pairs holding one are decided by structure alone.
_ALGEBRA_UNSAFE = frozenset(
    r"""\partial \nabla \prime ! \times \otimes \odot \circ \oplus \dots \vdots \ddots \star \wedge
    \vee \cup \cap \setminus \mid \forall \exists \in \notin \subset \subseteq \supset \supseteq
    \rightarrow \leftarrow \mapsto \Rightarrow \Leftarrow \leftrightarrow \circledast \diamond""".split()
)
# Neutral names for math-verify: Greek words, because its unit normalisation deletes a trailing
# single letter ("(a + b) c" reads as a + b) and it takes gamma, pi and epsilon as constants.
_NEUTRAL = tuple(
    "\\" + name
    for name in "alpha beta delta zeta eta theta iota kappa lambda mu nu xi rho sigma tau phi chi psi omega".split()
)
_KNOWN = frozenset(r"\pi \infty \frac \sqrt \binom \pm \mp \sum \prod \int \lim \top \dagger \{ \} \langle \rangle \lfloor \rfloor \lceil \rceil \leq \geq \neq \approx \exp \log \ln".split())


@dataclass(frozen=True)
class _Part:
    """One side of a relation: its nodes and what the structural checks need."""

    nodes: tuple[Node, ...]
    key: str
    matrix: bool
    atoms: frozenset[str]
    functions: frozenset[str]
    unsafe: bool


def matrix_symbols(context: str) -> frozenset[str]:
    """Plain symbols the background calls matrices or vectors (``$Z$ is the impedance matrix``)."""
    return _matrix_symbols(context)


@lru_cache(maxsize=4096)
def _matrix_symbols(context: str) -> frozenset[str]:
    found: set[str] = set()
    chunks = context.split("$")
    for i in range(1, len(chunks) - 1, 2):  # odd chunks are inline maths
        prose = chunks[i + 1][:80].lower()
        dims = re.search(r"\\times\s*(\S+)", chunks[i])
        if re.search(r"\b(matrix|matrices|vector|vectors)\b", prose) or (dims and dims.group(1) != "1}"):
            head = re.match(r"\s*(\\[A-Za-z]+|[A-Za-z])", chunks[i])
            if head and head.group(1) not in NON_SYMBOLS:
                found.add(head.group(1))
    return frozenset(found)


Outcome = Literal["equal", "different", "undecided", "timeout"]
_AS_BOOL: dict[str, bool | None] = {"equal": True, "different": False, "undecided": None, "timeout": None}


def compare(gold: str, candidate: str, matrices: frozenset[str] = frozenset(), call_timeout: float | None = 3.0) -> bool | None:
    """True/False when decided, None when math-verify could not parse or timed out."""
    return _AS_BOOL[compare_outcome(gold, candidate, matrices, call_timeout)]


def compare_outcome(gold: str, candidate: str, matrices: frozenset[str] = frozenset(), call_timeout: float | None = 3.0) -> Outcome:
    """The decision for a pair, telling a math-verify timeout apart from other undecided pairs (cached)."""
    return _compare(gold.strip(), candidate.strip(), matrices, call_timeout)


@lru_cache(maxsize=1 << 16)
def _compare(gold: str, candidate: str, matrices: frozenset[str], call_timeout: float | None) -> Outcome:
    timeouts = timeout.timeouts_in_this_thread()
    result = _decide_pair(gold, candidate, matrices, call_timeout)
    if result is None:
        return "timeout" if timeout.timeouts_in_this_thread() > timeouts else "undecided"
    return "equal" if result else "different"


def _decide_pair(gold: str, candidate: str, matrices: frozenset[str], call_timeout: float | None) -> bool | None:
    if not candidate:
        return False
    if canonical_key(gold, matrices) == canonical_key(candidate, matrices):
        return True
    if max(len(gold), len(candidate)) > MAX_CHARS:
        return False
    try:
        gold_nodes, cand_nodes = parse_latex(gold), parse_latex(candidate)
    except (TooComplex, RecursionError):
        return False
    keyer = Keyer(matrices)
    if _too_large(gold_nodes, keyer) or _too_large(cand_nodes, keyer):
        return None  # a tower of powers or a huge factorial: no algebra is run on it
    gold_parts, cand_parts = _segments(gold_nodes), _segments(cand_nodes)
    if len(gold_parts) != len(cand_parts):
        return False
    results = [_compare_segment(g, c, keyer, call_timeout) for g, c in zip(gold_parts, cand_parts, strict=True)]
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def too_costly(latex: str) -> bool:
    """Whether an answer holds a power or factorial too large to evaluate (never handed to sympy)."""
    return _too_costly(latex.strip())


@lru_cache(maxsize=4096)
def _too_costly(latex: str) -> bool:
    if len(latex) > MAX_CHARS:
        return False
    try:
        return _too_large(parse_latex(latex), Keyer(frozenset()))
    except (TooComplex, RecursionError):
        return False


# Conventions on which wmbench overrules math-verify (math-verify lower-cases symbols, reads
# \gamma as Euler's constant, drops ^T/^H and takes j as a symbol).
_STRICT_MARKS = re.compile(r"\\gamma|\\Gamma|\\top|\\dagger|\\mathsf\s*\{?\s*[TH]|\^\s*\{?\s*[TH*]\b|\\mathbf|\\boldsymbol|\\bm\b")
_LETTER = re.compile(r"(?<![\\A-Za-z])[A-Za-z](?![A-Za-z])")


def strict_convention(gold: str, candidate: str) -> bool:
    r"""Whether a pair turns on a convention where wmbench's "different" overrules math-verify's "equal".

    Case (``x`` is not ``X``), ``\gamma`` as a symbol, transposes and Hermitians, bold
    matrices and ``j`` as the imaginary unit.
    """
    if _STRICT_MARKS.search(gold) or _STRICT_MARKS.search(candidate):
        return True
    gold_letters, cand_letters = set(_LETTER.findall(gold)), set(_LETTER.findall(candidate))
    if gold_letters != cand_letters and {c.lower() for c in gold_letters} == {c.lower() for c in cand_letters}:
        return True
    return "j" in gold_letters | cand_letters


def _too_large(nodes: list[Node], keyer: Keyer) -> bool:
    return too_large(nodes, lambda node: _atom_key(node, keyer))


def _segments(nodes: list[Node]) -> list[list[Node]]:
    """Top-level comma-separated parts."""
    parts: list[list[Node]] = [[]]
    for node in nodes:
        if isinstance(node, Tok) and node.text == ",":
            parts.append([])
        else:
            parts[-1].append(node)
    return parts


def _sides(nodes: list[Node]) -> tuple[list[list[Node]], list[str]]:
    """Expressions and the relations between them."""
    sides: list[list[Node]] = [[]]
    relations: list[str] = []
    for node in nodes:
        if isinstance(node, Tok) and node.text in _RELATIONS:
            relations.append(node.text)
            sides.append([])
        else:
            sides[-1].append(node)
    return sides, relations


def _compare_segment(gold: list[Node], cand: list[Node], keyer: Keyer, call_timeout: float | None) -> bool | None:
    gold_sides, gold_rel = _sides(gold)
    cand_sides, cand_rel = _sides(cand)
    if len(gold_rel) == 1 and len(cand_rel) == 1 and gold_rel != cand_rel:
        if _RELATIONS[gold_rel[0]] != cand_rel[0]:
            return False
        cand_sides = cand_sides[::-1]  # a <= b against b >= a
    elif gold_rel != cand_rel:
        return False
    straight = _compare_sides(gold_sides, cand_sides, keyer, call_timeout)
    if straight is True or len(gold_rel) != 1 or gold_rel != cand_rel or _RELATIONS[gold_rel[0]] != gold_rel[0]:
        return straight
    swapped = _compare_sides(gold_sides, cand_sides[::-1], keyer, call_timeout)  # a = b against b = a
    if swapped is True:
        return True
    return None if None in (straight, swapped) else False


def _compare_sides(gold: list[list[Node]], cand: list[list[Node]], keyer: Keyer, call_timeout: float | None) -> bool | None:
    results = [_compare_expr(g, c, keyer, call_timeout) for g, c in zip(gold, cand, strict=True)]
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def _compare_expr(gold: list[Node], cand: list[Node], keyer: Keyer, call_timeout: float | None) -> bool | None:
    imaginary = _uses_imaginary_j(gold) or _uses_imaginary_j(cand)  # one reading of j for the pair
    g, c = _analyse(gold, keyer, imaginary), _analyse(cand, keyer, imaginary)
    if g.key == c.key:
        return True
    if g.matrix or c.matrix:
        return _compare_matrix_terms(gold, cand, keyer, call_timeout, imaginary)
    return _compare_scalar(g, c, keyer, call_timeout, imaginary)


def _compare_matrix_terms(gold: list[Node], cand: list[Node], keyer: Keyer, call_timeout: float | None, imaginary: bool) -> bool | None:
    """Same ordered matrix factors in each term, and scalar coefficients equal (:mod:`~wmbench.verify.linear`)."""
    gold_terms, cand_terms = linear_combination(gold, keyer), linear_combination(cand, keyer)
    if gold_terms is None or cand_terms is None or gold_terms.keys() != cand_terms.keys():
        return False
    results = []
    for factors, coefficient in gold_terms.items():
        g, c = _analyse(coefficient, keyer, imaginary), _analyse(cand_terms[factors], keyer, imaginary)
        if g.key == c.key:
            continue
        if g.matrix or c.matrix:
            return False
        results.append(_compare_scalar(g, c, keyer, call_timeout, imaginary))
        if results[-1] is False:
            return False
    return None if None in results else True


def _compare_scalar(g: _Part, c: _Part, keyer: Keyer, call_timeout: float | None, imaginary: bool) -> bool | None:
    """Scalar algebra: structure rules out what it can, math-verify decides the rest."""
    if g.atoms != c.atoms or g.functions != c.functions or g.unsafe or c.unsafe:
        return False
    gold_value, cand_value = number_value(list(g.nodes)), number_value(list(c.nodes))
    if gold_value is not None and cand_value is not None:  # two different numbers, unless rounded
        return _rounded(gold_value, c.nodes) or _rounded(cand_value, g.nodes)
    atom_of = lambda node: _atom_key(node, keyer)  # noqa: E731
    if not imaginary:
        exact = rational_decision(list(g.nodes), list(c.nodes), atom_of)
        if exact is not None:
            return exact  # rational functions: decided by exact values at random points
    if differs(list(g.nodes), list(c.nodes), atom_of, imaginary):
        return False  # different values at a sample point: no algebra can make them equal
    names = {atom: _neutral_name(i) for i, atom in enumerate(sorted(g.atoms))}
    gold_tex = _to_latex(list(g.nodes), keyer, names, imaginary)
    cand_tex = _to_latex(list(c.nodes), keyer, names, imaginary)
    return timeout.math_verify_equal(_tight(gold_tex), _tight(cand_tex), call_timeout)


def _rounded(exact: Fraction, written: tuple[Node, ...]) -> bool:
    """Whether ``written`` is a decimal of at least 2 places that is ``exact`` rounded to its places.

    Only an ``exact`` value with no decimal expansion of that length counts: ``0.33`` is
    ``\\frac{1}{3}`` rounded, while ``0.3`` is never ``0.25`` rounded.
    """
    text = "".join(node.text for node in written if isinstance(node, Tok))
    places = len(text.split(".", 1)[1]) if "." in text.lstrip("-") else 0
    if places < 2 or len(written) > 2:
        return False
    scale = 10 ** places
    if (exact * scale).denominator == 1:
        return False  # exact has a decimal expansion this short: it must be written exactly
    value = number_value(list(written))
    return value is not None and abs(exact - value) * scale <= Fraction(1, 2)


def _analyse(nodes: list[Node], keyer: Keyer, imaginary: bool) -> _Part:
    atoms: set[str] = set()
    functions: set[str] = set()
    _collect(nodes, keyer, atoms, functions, imaginary)
    unsafe = any(isinstance(n, Tok) and _unsafe_token(n.text) for n in walk_nodes(nodes))
    # Symbols are renamed whole, subscript included, so math-verify cannot see a sum's index
    # inside h_i: a sum or product over subscripted symbols is decided by structure alone.
    unsafe = unsafe or (bool(functions & BIG_OPERATORS) and any("_{" in atom for atom in atoms))
    return _Part(tuple(nodes), keyer.seq(nodes), keyer.is_matrix(nodes), frozenset(atoms), frozenset(functions), unsafe)


def _uses_imaginary_j(nodes: list[Node]) -> bool:
    """``j`` in an exponent of ``e`` or after ``\\exp`` is the imaginary unit."""
    for node in walk_nodes(nodes):
        if isinstance(node, Scr) and isinstance(node.base, Tok) and node.base.text == "e" and node.sup:
            if any(isinstance(n, Tok) and n.text == "j" for n in walk_nodes(node.sup)):
                return True
    flat = [n for n in walk_nodes(nodes) if isinstance(n, Tok)]
    return any(n.text == r"\exp" for n in flat) and any(n.text == "j" for n in flat)


def _unsafe_token(text: str) -> bool:
    if text in _ALGEBRA_UNSAFE:
        return True
    unknown_word = text.startswith("\\") and text[1:2].isalpha() and text not in GREEK and text not in _KNOWN
    return unknown_word and text[1:] not in OPERATOR_NAMES


def _is_symbol(node: Node) -> bool:
    if isinstance(node, Tok):
        text = node.text
        return text in GREEK or is_bound_name(text) or (len(text) == 1 and text.isascii() and text.isalpha())
    return isinstance(node, Cmd) and (node.name in FONT or node.name in ACCENT)


def _is_exp(node: Scr) -> bool:
    """``e^{x}`` is exp(x)."""
    return node.sub is None and isinstance(node.base, Tok) and node.base.text == "e" and bool(node.sup)


def _atom_key(node: Node, keyer: Keyer) -> str | None:
    """The symbol a node names (with its subscript), or None for operators, numbers, groups."""
    if isinstance(node, Scr) and _is_symbol(node.base):
        if _is_exp(node):
            return None
        return keyer.node(node.base) + ("_{" + keyer.seq(node.sub) + "}" if node.sub is not None else "")
    return keyer.node(node) if _is_symbol(node) else None


def _collect(nodes: list[Node], keyer: Keyer, atoms: set[str], functions: set[str], imaginary: bool) -> None:
    """Symbols (with subscripts) into ``atoms``; functions and big operators (log bases too) into ``functions``."""
    for node in nodes:
        atom = _atom_key(node, keyer)
        if atom is not None:
            if not (imaginary and atom == "j"):
                atoms.add(atom)
            if isinstance(node, Scr):
                _collect(node.sup or [], keyer, atoms, functions, imaginary)
        elif isinstance(node, Tok):
            if node.text in _FUNCTIONS:
                functions.add(node.text)
        elif isinstance(node, Scr):
            base = node.base
            if isinstance(base, Tok) and base.text in (r"\log", r"\lg") and node.sub is not None:
                functions.add(base.text + "_{" + keyer.seq(node.sub) + "}")
            elif not _is_exp(node):
                _collect([base], keyer, atoms, functions, imaginary)
                _collect(node.sub or [], keyer, atoms, functions, imaginary)
            _collect(node.sup or [], keyer, atoms, functions, imaginary)
        elif isinstance(node, Grp):
            _collect(node.body, keyer, atoms, functions, imaginary)
        else:
            for arg in node.args + ([node.opt] if node.opt else []):
                _collect(arg, keyer, atoms, functions, imaginary)


# math-verify reads "a b / c" as "a": no spaces around operators and brackets.
_LOOSE = re.compile(r" ?([/()\[\],+\-=^_{}|]) ?")


def _tight(latex: str) -> str:
    return _LOOSE.sub(r"\1", latex)


def _neutral_name(index: int) -> str:
    return _NEUTRAL[index] if index < len(_NEUTRAL) else f"\\omega_{{{index}}}"


def _to_latex(nodes: list[Node], keyer: Keyer, names: dict[str, str], imaginary: bool) -> str:
    """LaTeX for math-verify with every symbol renamed (and an imaginary ``j`` as ``I``)."""
    out: list[str] = []
    for node in nodes:
        atom = _atom_key(node, keyer)
        if atom is not None and atom in names:
            out.append(names[atom])
            if isinstance(node, Scr) and node.sup is not None:
                out.append("^{" + _to_latex(node.sup, keyer, names, imaginary) + "}")
        elif isinstance(node, Tok):
            out.append("I" if imaginary and node.text == "j" else node.text)
        elif isinstance(node, Grp):
            out.append(f"{node.open}{_to_latex(node.body, keyer, names, imaginary)}{node.close}")
        elif isinstance(node, Cmd):
            opt = f"[{_to_latex(node.opt, keyer, names, imaginary)}]" if node.opt else ""
            out.append(node.name + opt + "".join("{" + _to_latex(a, keyer, names, imaginary) + "}" for a in node.args))
        else:
            out.append(_to_latex([node.base], keyer, names, imaginary))
            if node.sub is not None:
                out.append("_{" + _to_latex(node.sub, keyer, names, imaginary) + "}")
            if node.sup is not None:
                out.append("^{" + _to_latex(node.sup, keyer, names, imaginary) + "}")
    return " ".join(out)

"""The numeric proof of difference (wmbench.verify.numeric): rows of (gold, candidate, proved)."""

from __future__ import annotations

import re

import pytest
import sympy  # builds the soundness test's expressions as trees; no text is parsed
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wmbench.verify.compare import _atom_key, _uses_imaginary_j
from wmbench.verify.normalize import Keyer, parse_latex
from wmbench.verify.numeric import differs, rational_decision

ROWS = [
    # distractor kinds of the build: each must be proved different
    (r"(a+b)^2", r"a^2+2ab+b^3", True),
    (r"\frac{P h}{\sigma^2}", r"\frac{\sigma^2}{P h}", True),  # numerator and denominator swapped
    (r"\log_2(1+\gamma)", r"\log_{10}(1+\gamma)", True),  # log base
    (r"\log_2\left(1+\frac{P|h|^{2}}{N_0}\right)", r"\log_2\left(1+\frac{P|h|}{N_0}\right)", True),  # |h|^2
    (r"[\log_2(1+a)-\log_2(1+b)]^{+}", r"-[\log_2(1+a)-\log_2(1+b)]^{+}", True),  # positive part
    (r"\sqrt{P_t G}", r"P_t G", True),  # missing square root
    (r"-\beta_k P_k", r"\beta_k P_k", True),  # sign
    (r"d^{-\alpha}", r"d^{\alpha}", True),  # exponent sign
    (r"\sqrt[3]{x}", r"\sqrt{x}", True),
    (r"e^{j 2 \pi f t}", r"e^{-j 2 \pi f t}", True),  # j is the imaginary unit in an exponent of e
    (r"\exp(-\lambda r^2)", r"\exp(-\lambda r)", True),
    (r"2 \pi r \lambda", r"\pi r \lambda", True),  # missing factor
    (r"\frac{a}{b} c", r"a c / b", False),  # equal: no proof
    # equal forms are never proved different, cancellation noise included
    (r"(a+b)^{2} - a^{2} - 2ab - b^{2}", r"0", False),
    (r"(x+y)^{30}", r"(y+x)^{29}(x+y)", False),
    (r"\log(ab)", r"\log a + \log(b)", False),
    (r"\frac{1}{\sigma^2}", r"\sigma^{-2}", False),
    (r"\sqrt{x^2}", r"x", False),  # positive sample values
    (r"|a - b|^{2}", r"(a-b)^{2}", False),
    # notation the evaluator does not read: no proof either way
    (r"\sum_{k=1}^{K} p_k", r"\sum_{k=1}^{K} p_k^2", False),
    (r"p^*", r"p", False),  # conjugate or optimum
    (r"x'", r"x", False),  # prime
    (r"a / b c", r"a c / b", False),  # a / b c is ambiguous
    (r"\log x y", r"\log(x) y", False),  # \log x y is ambiguous
    (r"\sin^{2} x", r"\sin x", False),
    (r"\log(x)^{2}", r"\log(x^{2})", False),  # the log squared or the log of the square: not read
    (r"|a||b|", r"|a|", False),  # several bars: which closes which is a guess
    (r"P(a|b)", r"P(a)", False),  # a lone bar
]


def _differs(gold: str, candidate: str) -> bool:
    keyer = Keyer(frozenset())
    g, c = parse_latex(gold), parse_latex(candidate)
    imaginary = _uses_imaginary_j(g) or _uses_imaginary_j(c)
    return differs(g, c, lambda node: _atom_key(node, keyer), imaginary)


@pytest.mark.parametrize(("gold", "candidate", "proved"), ROWS)
def test_numeric_difference(gold: str, candidate: str, proved: bool) -> None:
    assert _differs(gold, candidate) is proved
    assert _differs(candidate, gold) is proved


def test_a_pole_at_one_point_does_not_stop_the_proof() -> None:
    """Points where an expression is undefined are skipped; the others still decide."""
    assert _differs(r"\frac{1}{x - x}", r"y") is False  # undefined everywhere: nothing proved
    assert _differs(r"\log(x) + 1", r"\log(x) + 2") is True


# Soundness against sympy: random expressions built as sympy trees (no text is parsed), printed
# with sympy's LaTeX printer; an algebraically equal rewrite is never "proved different", a
# changed expression is.

_LONE_E = re.compile(r"(?<![\\A-Za-z])e(?![\^A-Za-z])")
_A, _B, _C = sympy.symbols("a b c", positive=True)
_LEAVES = st.sampled_from([_A, _B, _C, sympy.Integer(2), sympy.Integer(3), sympy.Rational(1, 2)])


def _combine(children: st.SearchStrategy) -> st.SearchStrategy:
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda p: p[0] + p[1]),
        pair.map(lambda p: p[0] * p[1]),
        pair.map(lambda p: p[0] / (p[1] + 1)),
        st.tuples(children, st.integers(2, 3)).map(lambda p: p[0] ** p[1]),
        children.map(lambda e: sympy.sqrt(e + 1)),
        children.map(lambda e: sympy.log(e + 1)),
        children.map(lambda e: sympy.exp(e / 4)),
    )


_EXPRESSIONS = st.recursive(_LEAVES, _combine, max_leaves=6)


@settings(max_examples=80, deadline=None, derandomize=True)  # the same examples in every run (4000 random ones passed)
@given(_EXPRESSIONS)
def test_equal_rewrites_are_never_proved_different(expression) -> None:
    gold = sympy.latex(expression)
    assume(not _LONE_E.search(gold))  # sympy prints Euler's number alone as "e": a symbol in wmbench's convention
    for rewrite in (sympy.expand(expression), sympy.together(expression), sympy.powsimp(expression)):
        text = sympy.latex(rewrite)
        if not _LONE_E.search(text):
            assert not _differs(gold, text), (gold, text)


@settings(max_examples=80, deadline=None, derandomize=True)  # the same examples in every run (4000 random ones passed)
@given(_EXPRESSIONS, st.sampled_from([_A, _B, _C]))
def test_a_changed_expression_is_proved_different(expression, symbol) -> None:
    changed = expression * (symbol + 1)  # scaled by a factor above 1: a different function, whatever its size
    gold = sympy.latex(expression)
    assume(r"\right)}^" not in gold)  # sympy's \log{\left(x\right)}^{2}: ambiguous, refused on purpose
    assert _differs(gold, sympy.latex(changed))


# Equality by exact evaluation (rational_decision): random rational expressions are built as
# trees, printed as LaTeX by hand and as sympy expressions; a pair that differs in one place
# (a leaf, an operator or an exponent) is never accepted unless sympy finds it equal, and an
# algebraic rewrite of one is always accepted.

_SYMBOLS = {"a": sympy.Symbol("a"), "b": sympy.Symbol("b"), r"\gamma_k": sympy.Symbol("gamma_k"), r"\pi": sympy.pi}
_NUMBERS = ["1", "2", "3", "7", "0.5"]
_LEAF = st.sampled_from(list(_SYMBOLS) + _NUMBERS)
_OPERATORS = ["+", "-", r"\cdot", "frac", "^2", "^3", "^{-1}"]


def _tree(children: st.SearchStrategy) -> st.SearchStrategy:
    return st.tuples(st.sampled_from(_OPERATORS), children, children)


_TREES = st.recursive(_LEAF, _tree, max_leaves=7)


def _latex(tree) -> str:
    if isinstance(tree, str):
        return tree
    op, left, right = tree
    if op == "frac":
        return rf"\frac{{{_latex(left)}}}{{{_latex(right)}}}"
    if op.startswith("^"):
        return rf"\left({_latex(left)}\right){op}"
    return rf"\left({_latex(left)}\right) {op} \left({_latex(right)}\right)"


def _sympy(tree):
    if isinstance(tree, str):
        return _SYMBOLS.get(tree) or sympy.nsimplify(tree)
    op, left, right = tree
    a, b = _sympy(left), _sympy(right)
    return {"+": lambda: a + b, "-": lambda: a - b, r"\cdot": lambda: a * b, "frac": lambda: a / b,
            "^2": lambda: a**2, "^3": lambda: a**3, "^{-1}": lambda: 1 / a}[op]()


def _nodes(tree, path=()):
    yield path, tree
    if not isinstance(tree, str):
        yield from _nodes(tree[1], path + (1,))
        yield from _nodes(tree[2], path + (2,))


def _replace(tree, path, new):
    if not path:
        return new
    parts = list(tree)
    parts[path[0]] = _replace(tree[path[0]], path[1:], new)
    return tuple(parts)


def _decision(gold: str, candidate: str):
    keyer = Keyer(frozenset())
    return rational_decision(parse_latex(gold), parse_latex(candidate), lambda node: _atom_key(node, keyer))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_TREES, st.data())
def test_a_pair_differing_in_one_place_is_never_accepted(tree, data) -> None:
    path, node = data.draw(st.sampled_from(list(_nodes(tree))))
    if isinstance(node, str):
        new = data.draw(st.sampled_from([leaf for leaf in list(_SYMBOLS) + _NUMBERS if leaf != node]))
    else:
        new = (data.draw(st.sampled_from([op for op in _OPERATORS if op != node[0]])), node[1], node[2])
    changed = _replace(tree, path, new)
    try:
        truly_equal = sympy.simplify(_sympy(tree) - _sympy(changed)) == 0
    except (ZeroDivisionError, TypeError):
        return
    decision = _decision(_latex(tree), _latex(changed))
    if decision is True:
        assert truly_equal, (_latex(tree), _latex(changed))
    if decision is False:
        assert not truly_equal, (_latex(tree), _latex(changed))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(_TREES)
def test_an_algebraic_rewrite_is_accepted(tree) -> None:
    expression = _sympy(tree)
    assume(expression.is_finite is not False and expression != sympy.nan)
    rewrite = sympy.latex(sympy.together(sympy.expand(expression))).replace(r"\gamma_{k}", r"\gamma_k")
    assume("zoo" not in rewrite and "nan" not in rewrite)
    assert _decision(_latex(tree), rewrite) is True, (_latex(tree), rewrite)
    assert _decision(_latex(tree), _latex(tree).replace(r"\cdot", r"\times")) is not False

"""The numeric proof of difference (wmbench.verify.numeric): rows of (gold, candidate, proved)."""

from __future__ import annotations

import pytest

from wmbench.verify.compare import _atom_key, _uses_imaginary_j
from wmbench.verify.normalize import Keyer, parse_latex
from wmbench.verify.numeric import differs

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

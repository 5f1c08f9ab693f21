"""A fast proof that two scalar expressions differ: evaluate both at sample points.

Two expressions that take different values at one point where both are defined are different
functions, whatever algebra could be done on them; so a pair that differs here never needs
sympy. Every symbol (with its subscript: ``h_k`` is one symbol) takes a pseudo-random positive
real value, log-uniform over [0.1, 10] (so that both signs of a difference such as the ``[x]^+``
of a secrecy rate get sampled), the same in both expressions and in every run. Values are
computed with 40 significant digits, and a difference counts only when it is larger than 1e-20
times the largest magnitude met on the way (so cancellation noise such as
``(a+b)^2 - a^2 - 2ab - b^2`` never counts). Pairs that agree at every point are left to
math-verify, which alone may call them equal.

Only unambiguous notation is evaluated: numbers, ``\\pi``, symbols, ``+ - \\times``, products by
juxtaposition, ``/`` with one factor to its right, ``\\frac``, ``\\sqrt`` (with an index),
powers, ``e^{x}``, ``|x|`` (one pair of bars per level), ``[x]^+``, and ``\\exp``,
``\\log``/``\\ln`` (``\\log_b`` with a base), trigonometric and hyperbolic functions applied to
a bracketed argument (or to a last lone factor). ``\\log`` is natural, as math-verify reads it.
Anything else (sums, matrices, ``^T``, ``^*``, primes, several bars, unknown commands) makes
the evaluation give up, which proves nothing.

Equality, for rational functions (:func:`rational_decision`): numbers, symbols and ``\\pi``
combined by ``+ - \\times``, juxtaposition, ``/``, ``\\frac`` and integer powers (|n| ≤ 64) are
evaluated exactly, in rationals, at random signed rational points. A non-zero rational function
of degree d vanishes at a random point of a set S^n with probability at most d/|S|
(Schwartz–Zippel; S is the integers of [-2^62, 2^62] here), so two expressions equal at 3 points are equal but for
a chance below 10^-20 (and different at one point are different for sure). ``\\pi`` is a free
variable there: it is transcendental, so an identity in ``\\pi`` is a polynomial identity.
Roots, absolute values, ``[x]^+``, ``e^{x}``, functions and ``j`` are outside the class (their
identities depend on branches and signs): such pairs are left to sympy.

Bounded cost: a power, ``e^{x}``, a factorial or any value whose magnitude would pass
2^``MAX_BITS`` (about 10^300000) is not computed (:class:`TooLarge`); neither are trigonometric
functions of arguments beyond 10^30. :func:`too_large` finds such towers and factorials
anywhere in an expression, so that callers never hand them to sympy either.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache

import mpmath

from wmbench.verify.normalize import Cmd, Grp, Node, Scr, Tok

POINTS = 6  # sample points tried before giving up on finding a difference
_CTX = mpmath.MPContext()  # private precision: sympy's global mpmath context is left alone
_CTX.dps = 40
_REL_TOL = _CTX.mpf("1e-20")
_LOG_LOW, _LOG_HIGH = math.log(0.1), math.log(10.0)  # symbol values: log-uniform over [0.1, 10]

_FUNCTIONS: dict[str, Callable] = {
    r"\exp": _CTX.exp, r"\log": _CTX.log, r"\ln": _CTX.log, r"\sin": _CTX.sin, r"\cos": _CTX.cos,
    r"\tan": _CTX.tan, r"\sinh": _CTX.sinh, r"\cosh": _CTX.cosh, r"\tanh": _CTX.tanh,
    r"\arcsin": _CTX.asin, r"\arccos": _CTX.acos, r"\arctan": _CTX.atan,
}
_BRACKETS = frozenset({"(", "[", "{", r"\{"})
# Superscripts that are marks, not exponents: transpose, Hermitian, conjugate or optimum, prime.
_MARKS = frozenset({"T", "H", "*", r"\star", r"\prime", r"\top", r"\dagger"})


MAX_BITS = 1_000_000  # values beyond 2^MAX_BITS in magnitude are never computed
_MAX_TRIG_ARGUMENT = _CTX.mpf("1e30")  # argument reduction costs digits of the argument


class _Unsupported(Exception):
    """Notation this evaluator does not read unambiguously."""


class TooLarge(_Unsupported):
    """A value too large to compute in bounded time (a tower of powers, a huge factorial)."""


AtomOf = Callable[[Node], "str | None"]


def differs(gold: list[Node], candidate: list[Node], atom_of: AtomOf, imaginary: bool = False) -> bool:
    """Whether the two expressions take clearly different values at some sample point.

    ``atom_of`` names the symbol a node stands for (or None); ``imaginary`` reads ``j`` as the
    imaginary unit. False means "no proof", not "equal".
    """
    for point in range(POINTS):
        try:
            left, left_scale = _Evaluator(point, atom_of, imaginary).value(gold)
            right, right_scale = _Evaluator(point, atom_of, imaginary).value(candidate)
        except _Unsupported:
            return False
        except (ArithmeticError, ValueError):  # a pole, log(0), overflow: try another point
            continue
        except Exception:  # noqa: BLE001 - anything else proves nothing, and must not fail the comparison
            return False
        if not (_CTX.isfinite(left) and _CTX.isfinite(right)):
            continue
        if abs(left - right) > _REL_TOL * max(left_scale, right_scale, abs(left), abs(right)):
            return True
    return False


@lru_cache(maxsize=1 << 14)
def _sample(point: int, atom: str) -> float:
    """The value of ``atom`` at sample point ``point`` (the same in every run)."""
    return math.exp(random.Random(f"{point}\x00{atom}").uniform(_LOG_LOW, _LOG_HIGH))


class _Evaluator:
    """Evaluates one expression at one point, tracking the largest magnitude met (the scale)."""

    def __init__(self, point: int, atom_of: AtomOf, imaginary: bool) -> None:
        self.point, self.atom_of, self.imaginary = point, atom_of, imaginary
        self.scale = _CTX.mpf(0)

    def value(self, nodes: list[Node]) -> tuple[object, object]:
        result = self.sum(nodes)
        return result, self.scale

    def _seen(self, value):
        magnitude = abs(value)
        if _CTX.isfinite(magnitude) and magnitude != 0 and _CTX.mag(magnitude) > MAX_BITS:
            raise TooLarge
        self.scale = max(self.scale, magnitude)
        return value

    def sum(self, nodes: list[Node]):
        if not nodes:
            raise _Unsupported
        nodes = _absolute_values(nodes)
        total, sign, term = self.ZERO, 1, []
        for node in nodes:
            if isinstance(node, Tok) and node.text in ("+", "-"):
                if term:
                    total += sign * self.product(term)
                    term, sign = [], 1
                sign = -sign if node.text == "-" else sign
            else:
                term.append(node)
        if not term:
            raise _Unsupported  # a trailing sign
        return self._seen(total + sign * self.product(term))

    def product(self, nodes: list[Node]):
        slashes = [i for i, n in enumerate(nodes) if isinstance(n, Tok) and n.text == "/"]
        if slashes:
            # a b / c is (ab)/c either way; a / b c is ambiguous
            if len(slashes) > 1 or slashes[0] != len(nodes) - 2 or slashes[0] == 0:
                raise _Unsupported
            return self._seen(self.product(nodes[:-2]) / self.factor(nodes[-1]))
        result, i, factors = self.ONE, 0, 0
        while i < len(nodes):
            node = nodes[i]
            if isinstance(node, Tok) and node.text == r"\times":
                i += 1
                continue
            function = self._function(node)
            if function is not None:
                if i + 1 >= len(nodes):
                    raise _Unsupported
                argument = nodes[i + 1]
                if isinstance(argument, Scr) and argument.sup is not None:
                    raise _Unsupported  # \log(x)^2: the log squared, or the log of the square?
                bracketed = isinstance(argument, Grp) and argument.open in ("(", "[")
                if not bracketed and i + 2 != len(nodes):  # \log x y: log(x)y or log(xy)?
                    raise _Unsupported
                result *= self._seen(function(_checked_argument(function, self.factor(argument))))
                i, factors = i + 2, factors + 1
                continue
            if i > 0 and _is_number_token(nodes[i - 1]) and (_is_number_token(node) or _is_fraction(node)):
                raise _Unsupported  # "11 6/6", "1\frac{1}{2}": a mixed number, not a product
            value = self.factor(node)
            if i + 1 < len(nodes) and isinstance(nodes[i + 1], Tok) and nodes[i + 1].text == "!":
                value, i = self._seen(self._factorial(value)), i + 1
            result *= value
            i, factors = i + 1, factors + 1
        if not factors:
            raise _Unsupported
        return self._seen(result)

    def _function(self, node: Node) -> Callable | None:
        """The function a node applies to the next one (``\\log``, ``\\log_2``), or None."""
        if isinstance(node, Tok) and node.text in _FUNCTIONS:
            return _FUNCTIONS[node.text]
        if isinstance(node, Scr) and isinstance(node.base, Tok) and node.base.text in _FUNCTIONS:
            if node.base.text != r"\log" or node.sub is None or node.sup is not None:
                raise _Unsupported  # \log^2 x, \sin_k x
            base = self.sum(node.sub)
            return lambda x: _CTX.log(x) / _CTX.log(base)
        return None

    def factor(self, node: Node):
        if isinstance(node, Tok):
            return self._token(node)
        if isinstance(node, Grp):
            if node.open == "|":
                return self._seen(self._abs(self.sum(node.body)))
            if node.open not in _BRACKETS:
                raise _Unsupported
            return self.sum(node.body)
        if isinstance(node, Cmd):
            return self._command(node)
        return self._script(node)

    def _token(self, node: Tok):
        text = node.text
        if text[:1].isdigit() or (text[:1] == "." and text[1:2].isdigit()):
            return self._number(text)
        if text == r"\pi":
            return self._pi()
        if text == "j" and self.imaginary:
            return self._imaginary_unit()
        return self._atom(node)

    def _atom(self, node: Node):
        atom = self.atom_of(node)
        if atom is None:
            raise _Unsupported
        return self._symbol(atom)

    def _command(self, node: Cmd):
        if node.name == r"\frac":  # \dfrac and \tfrac are read as \frac
            return self._seen(self.sum(node.args[0]) / self.sum(node.args[1]))
        if node.name == r"\sqrt":
            radicand = self.sum(node.args[0])
            return self._seen(self._root(radicand, self._index(node.opt) if node.opt else 2))
        return self._atom(node)  # \mathbf{x}, \hat{h}, \mathrm{SNR}: symbols

    def _index(self, nodes: list[Node]) -> int:
        if len(nodes) == 1 and isinstance(nodes[0], Tok) and nodes[0].text.isdigit() and 1 < int(nodes[0].text) < 100:
            return int(nodes[0].text)
        raise _Unsupported

    def _script(self, node: Scr):
        sup = node.sup
        if sup is not None and any(isinstance(n, Tok) and n.text in _MARKS for n in sup):
            raise _Unsupported
        if sup is not None and node.sub is None and isinstance(node.base, Tok) and node.base.text == "e":
            return self._seen(self._exp(self.sum(sup)))
        if node.sub is not None:
            base = self._atom(node)  # h_k is one symbol; \max_k and the like are not symbols
        else:
            base = self.factor(node.base)
        if sup is None:
            return base
        if len(sup) == 1 and isinstance(sup[0], Tok) and sup[0].text == "+" and isinstance(node.base, Grp):
            return self._positive_part(base)  # [x]^+ = max(x, 0)
        return self._seen(self._power(base, self.sum(sup)))

    # arithmetic: mpmath at 40 digits here, exact rationals in _ExactEvaluator
    ZERO, ONE = _CTX.mpf(0), _CTX.mpf(1)

    def _number(self, text: str):
        return _CTX.mpf(text)

    def _pi(self):
        return _CTX.pi

    def _imaginary_unit(self):
        return _CTX.mpc(0, 1)

    def _symbol(self, atom: str):
        return _CTX.mpf(_sample(self.point, atom))

    def _abs(self, value):
        return abs(value)

    def _root(self, radicand, index: int):
        return _CTX.sqrt(radicand) if index == 2 else _CTX.root(radicand, index)

    def _exp(self, exponent):
        return _bounded_exp(exponent)

    def _power(self, base, exponent):
        return _bounded_power(base, exponent)

    def _factorial(self, value):
        return _bounded_factorial(value)

    def _positive_part(self, value):
        return _positive_part(value)


EXACT_POINTS = 3  # agreeing exact points that prove two rational functions equal
_EXACT_TRIES = 8  # points tried, a pole at one being skipped
_MAX_DEGREE = 64  # larger integer powers are left to sympy
_MAX_EXACT_BITS = 1 << 16  # numerator and denominator sizes; larger values are left to sympy


def rational_decision(gold: list[Node], candidate: list[Node], atom_of: AtomOf) -> bool | None:
    """Equal (True) or different (False) as rational functions, by exact evaluation; None outside the class."""
    agreed = 0
    for point in range(_EXACT_TRIES):
        try:
            left = _ExactEvaluator(point, atom_of, imaginary=False).sum(gold)
            right = _ExactEvaluator(point, atom_of, imaginary=False).sum(candidate)
        except _Unsupported:
            return None
        except ArithmeticError:  # a pole at this point
            continue
        except Exception:  # noqa: BLE001 - anything else decides nothing
            return None
        if left != right:
            return False
        agreed += 1
        if agreed == EXACT_POINTS:
            return True
    return None


@lru_cache(maxsize=1 << 14)
def _exact_sample(point: int, atom: str) -> Fraction:
    """A signed random integer for ``atom`` at exact point ``point`` (the same in every run)."""
    rng = random.Random(f"exact\x00{point}\x00{atom}")
    return Fraction(rng.randint(-(1 << 62), 1 << 62) or 1)


class _ExactEvaluator(_Evaluator):
    """Rational arithmetic at a random rational point: the exact value of a rational function."""

    ZERO, ONE = Fraction(0), Fraction(1)

    def _seen(self, value):
        if value.numerator.bit_length() + value.denominator.bit_length() > _MAX_EXACT_BITS:
            raise _Unsupported
        return value

    def _number(self, text: str):
        return Fraction(text)

    def _pi(self):
        return self._symbol(r"\pi")

    def _symbol(self, atom: str):
        return _exact_sample(self.point, atom)

    def _function(self, node: Node):
        if super()._function(node) is not None:
            raise _Unsupported
        return None

    def _power(self, base, exponent):
        if exponent.denominator != 1 or abs(exponent) > _MAX_DEGREE:
            raise _Unsupported
        return base ** int(exponent)

    def _factorial(self, value):
        if value.denominator != 1 or not 0 <= value <= 100:
            raise _Unsupported
        return Fraction(math.factorial(int(value)))

    def _unsupported(self, *_):
        raise _Unsupported

    _imaginary_unit = _abs = _root = _exp = _positive_part = _unsupported


def _log_magnitude_bound(base, exponent):
    """log2 |base^exponent| (principal branch), computed without the power."""
    if base == 0:
        return _CTX.mpf(0)
    log_base = _CTX.log(base)
    return (_CTX.re(exponent) * _CTX.re(log_base) - _CTX.im(exponent) * _CTX.im(log_base)) / _CTX.ln2


def _bounded_power(base, exponent):
    if abs(_log_magnitude_bound(base, exponent)) > MAX_BITS:
        raise TooLarge
    return _CTX.power(base, exponent)


def _bounded_exp(exponent):
    if abs(_CTX.re(exponent)) > MAX_BITS * _CTX.ln2:
        raise TooLarge
    return _CTX.exp(exponent)


def _bounded_factorial(value):
    """n! for a non-negative integer n (anything else is not read)."""
    if _CTX.im(value) != 0 or value < 0 or value != _CTX.floor(value):
        raise _Unsupported
    if _factorial_too_large(value):
        raise TooLarge
    return _CTX.factorial(value)


def _factorial_too_large(value) -> bool:
    return _CTX.im(value) == 0 and value > 2 and _CTX.loggamma(value + 1) / _CTX.ln2 > MAX_BITS


def _checked_argument(function: Callable, argument):
    """The argument of a function, refused where computing the function would be costly."""
    if function is _CTX.exp:
        _bounded_exp(argument)
    elif function not in (_CTX.log,) and abs(argument) > _MAX_TRIG_ARGUMENT:
        raise _Unsupported
    return argument


def too_large(nodes: list[Node], atom_of: AtomOf) -> bool:
    """Whether some power or factorial in the expression has a value beyond 2^``MAX_BITS``.

    Each exponent, base and factorial argument is evaluated on its own (at sample point 0), so
    notation the evaluator does not read elsewhere in the expression hides nothing.
    """
    evaluator = _Evaluator(0, atom_of, imaginary=False)

    def value(part: list[Node]):
        try:
            return evaluator.sum(part)
        except TooLarge:
            raise
        except Exception:  # noqa: BLE001 - notation not read here is looked into below
            return None

    try:
        for node_list in _node_lists(nodes):
            for i, node in enumerate(node_list):
                if isinstance(node, Scr) and node.sup is not None:
                    exponent = value(node.sup)
                    base = value([node.base]) if node.sub is None else None
                    if exponent is not None and base is not None:
                        _bounded_power(base, exponent)
                    elif exponent is not None and abs(_CTX.re(exponent)) > MAX_BITS:
                        raise TooLarge  # x^{10^{9}}: too large for most x
                if i + 1 < len(node_list) and isinstance(node_list[i + 1], Tok) and node_list[i + 1].text == "!":
                    argument = value([node])
                    if argument is not None and _factorial_too_large(argument):
                        raise TooLarge
    except TooLarge:
        return True
    return False


def _node_lists(nodes: list[Node]):
    """Every list of nodes in the tree (the top level, group bodies, arguments, scripts)."""
    stack = [nodes]
    while stack:
        current = stack.pop()
        yield current
        for node in current:
            if isinstance(node, Grp):
                stack.append(node.body)
            elif isinstance(node, Cmd):
                stack.extend(node.args)
                if node.opt:
                    stack.append(node.opt)
            elif isinstance(node, Scr):
                stack.append([node.base])
                stack.extend(part for part in (node.sub, node.sup) if part is not None)


def _is_number_token(node: Node) -> bool:
    return isinstance(node, Tok) and (node.text[:1].isdigit() or (node.text[:1] == "." and node.text[1:2].isdigit()))


def _is_fraction(node: Node) -> bool:
    return isinstance(node, Cmd) and node.name == r"\frac"


def _positive_part(value):
    if _CTX.im(value) != 0:
        raise _Unsupported
    return max(_CTX.re(value), _CTX.mpf(0))


def _is_bar(node: Node) -> bool:
    base = node.base if isinstance(node, Scr) and node.sub is None else node
    return isinstance(base, Tok) and base.text == "|"


def _absolute_values(nodes: list[Node]) -> list[Node]:
    """``| x |`` (the closing bar may carry a power: ``|h|^2``) as one ``Grp("|")`` node.

    Only one pair of bars at a level is read: with more, which bar closes which is a guess.
    """
    bars = [i for i, node in enumerate(nodes) if _is_bar(node)]
    if not bars:
        return nodes
    if len(bars) != 2 or not isinstance(nodes[bars[0]], Tok) or bars[1] == bars[0] + 1:
        raise _Unsupported
    first, last = bars
    closing = nodes[last]
    group: Node = Grp("|", nodes[first + 1:last], "|")
    if isinstance(closing, Scr):
        group = Scr(group, None, closing.sup)
    return [*nodes[:first], group, *nodes[last + 1:]]

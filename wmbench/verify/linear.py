"""Matrix expressions as linear combinations: scalar coefficient × ordered matrix factors.

``\\frac{1}{\\sigma^2}\\mathbf{H}`` and ``\\sigma^{-2}\\mathbf{H}`` are the same answer although their
keys differ: scalars commute with matrices, matrices do not commute with each other. Here each
term of a sum is split into its commuting scalar factors and the ordered sequence of its
matrix/vector factors (bold symbols, symbols the context calls matrices or vectors, and their
transposes, Hermitians, inverses); terms with the same sequence are collected, so an expression
becomes ``{sequence of matrix keys: scalar coefficient}``. Two expressions are equal when they
have the same sequences and equal coefficients; :mod:`wmbench.verify.compare` decides the
coefficients with its scalar path (structure, then math-verify in a worker).

What is split: a bracketed single-term product (``\\mathbf{A}(2\\mathbf{B})``), a fraction with a
scalar denominator (``\\frac{\\mathbf{h}}{\\|\\mathbf{h}\\|}``), norms and absolute values (scalars,
whatever they hold). Anything else holding a matrix (a bracketed sum, ``(\\mathbf{A}\\mathbf{B})^{-1}``,
a function with several arguments) is one ordered factor compared by its key, except the
transpose or Hermitian of a product of plain matrices, which reverses it (``(\\mathbf{A}\\mathbf{B})^H``
= ``\\mathbf{B}^H\\mathbf{A}^H``); a bracket after a
matrix holding a matrix product multiplies it (``\\mathbf{H}(\\mathbf{x})`` is read as
``\\mathbf{H}\\mathbf{x}``, on both sides alike). Products of sums are not expanded (``\\mathbf{A}(\\mathbf{B}+\\mathbf{C})`` is not ``\\mathbf{A}\\mathbf{B}+\\mathbf{A}\\mathbf{C}``).
"""

from __future__ import annotations

from wmbench.verify.normalize import (
    BARS,
    OPERATOR_NAMES,
    SEPARATORS,
    Cmd,
    Grp,
    Keyer,
    Node,
    Scr,
    Tok,
    bar_token,
    flatten_terms,
    is_commutable,
    is_number,
    split_factors,
    split_terms,
)

Combination = dict[tuple[str, ...], list[Node]]  # ordered matrix factor keys → scalar coefficient
_OPAQUE_FONT = r"\mathfrak"  # a norm becomes one scalar symbol \mathfrak{‖key‖} (never a real symbol)


def linear_combination(nodes: list[Node], keyer: Keyer) -> Combination | None:
    """The expression as ``{matrix factor keys: coefficient}``, or None when it is not a sum of products."""
    terms = [(sign, _slash_as_fraction(body, keyer)) for sign, body in flatten_terms(split_terms(_opaque_bars(nodes, keyer)))]
    if any(isinstance(n, Tok) and n.text in SEPARATORS for _, body in terms for n in body):
        return None
    collected: dict[tuple[str, ...], list[list[Node]]] = {}
    for sign, body in terms:
        product = _product(body, keyer)
        if product is None:
            return None
        scalars, ordered = product
        coefficient = [Tok("-")] if sign == "-" else []
        coefficient += _multiply(scalars)
        collected.setdefault(tuple(ordered), []).append(coefficient)
    return {key: _add(terms) for key, terms in collected.items()}


def _slash_as_fraction(nodes: list[Node], keyer: Keyer) -> list[Node]:
    """``\\mathbf{A}\\mathbf{x}/\\sigma`` as ``\\mathbf{A}\\mathbf{x}\\frac{1}{\\sigma}``: one slash before a last scalar factor.

    ``a / b c`` stays as written (which factors the slash divides is a guess).
    """
    slashes = [i for i, node in enumerate(nodes) if isinstance(node, Tok) and node.text == "/"]
    if slashes != [len(nodes) - 2] or len(nodes) < 3 or keyer.is_matrix(nodes[-1:]):
        return nodes
    return [*nodes[:-2], Cmd(r"\frac", [[Tok("1")], [nodes[-1]]])]


def _product(nodes: list[Node], keyer: Keyer) -> tuple[list[list[Node]], list[str]] | None:
    """(scalar factors, ordered matrix factor keys) of one product; None if an operator joins them."""
    scalars: list[list[Node]] = []
    ordered: list[str] = []
    for factor in _operands(_opaque_bars(nodes, keyer), keyer):
        if not keyer.is_matrix(factor):
            if not _is_scalar_factor(factor):  # \otimes, \odot, !, ...: not a plain product
                return None
            scalars.append(factor)
            continue
        inner = _split_inside(factor, keyer)
        if inner is None:
            ordered.append(" ".join(keyer.node(n) for n in factor))
        else:
            scalars += inner[0]
            ordered += inner[1]
    return scalars, ordered


def _is_scalar_factor(factor: list[Node]) -> bool:
    """A symbol, number, fraction, root, bracket, or a function applied to a bracket (``\\exp(x)``)."""
    head = factor[0].base if isinstance(factor[0], Scr) else factor[0]
    applied = len(factor) > 1 and isinstance(head, Tok) and head.text[1:] in OPERATOR_NAMES
    return is_commutable(factor) or applied


def _split_inside(factor: list[Node], keyer: Keyer) -> tuple[list[list[Node]], list[str]] | None:
    """A matrix factor that is itself a product: ``(2\\mathbf{B})``, ``\\frac{\\mathbf{h}}{\\|\\mathbf{h}\\|}``, ``(\\mathbf{A}\\mathbf{B})^H``."""
    if len(factor) != 1:
        return None
    node = factor[0]
    if isinstance(node, Scr) and node.sub is None and node.sup and _is_product_group(node.base, keyer):
        return _reversed_product(node.base, node.sup, keyer)
    if _is_product_group(node, keyer):
        terms = split_terms(node.body)
        if len(terms) != 1:
            return None
        product = _product(terms[0][1], keyer)
        if product is None:
            return None
        sign = [[Tok("-"), Tok("1")]] if terms[0][0] == "-" else []
        return product[0] + sign, product[1]
    denominator = _opaque_bars(node.args[1], keyer) if isinstance(node, Cmd) and node.name == r"\frac" else None
    if denominator is not None and not keyer.is_matrix(denominator):
        terms = split_terms(node.args[0])
        if len(terms) != 1 or terms[0][0] == "-":
            return None
        product = _product(terms[0][1], keyer)
        if product is None:
            return None
        return product[0] + [[Cmd(r"\frac", [[Tok("1")], denominator])]], product[1]
    return None


_REVERSING_MARKS = ("^{\\top}", "^{\\dagger}")  # transpose and Hermitian: (AB)^T = B^T A^T


def _reversed_product(group: Grp, mark: list[Node], keyer: Keyer) -> tuple[list[list[Node]], list[str]] | None:
    """``(\\mathbf{A}\\mathbf{B})^H`` as ``\\mathbf{B}^H \\mathbf{A}^H``: a product of plain matrices only."""
    if not keyer.node(Scr(Tok("x"), None, mark)).endswith(_REVERSING_MARKS):
        return None
    terms = split_terms(group.body)
    if len(terms) != 1 or terms[0][0] == "-":
        return None
    factors = _operands(terms[0][1], keyer)
    if not factors or any(len(f) != 1 or not keyer.is_matrix(f) or (isinstance(f[0], Scr) and f[0].sup) for f in factors):
        return None  # a scalar inside (conjugated by ^H) or a factor already marked: one ordered factor
    marked = [Scr(f[0].base, f[0].sub, mark) if isinstance(f[0], Scr) else Scr(f[0], None, mark) for f in factors]
    return [], [keyer.node(m) for m in reversed(marked)]


def _operands(nodes: list[Node], keyer: Keyer) -> list[list[Node]]:
    """Factors of a product; a bracket holding a matrix after a factor multiplies it (``\\mathbf{A}(2\\mathbf{B})``)."""
    out: list[list[Node]] = []
    for factor in split_factors(nodes):
        if len(factor) > 1 and any(_is_product_group(g, keyer) for g in factor[1:]):
            out += [[node] for node in factor]
        else:
            out.append(factor)
    return out


def _is_product_group(node: Node, keyer: Keyer) -> bool:
    """A bracket around a product holding a matrix (not an argument list like ``(f, \\boldsymbol{\\theta})``)."""
    if not (isinstance(node, Grp) and node.open in ("(", "[")):
        return False
    separated = any(isinstance(n, Tok) and n.text in SEPARATORS for n in node.body)
    return not separated and keyer.is_matrix(node.body)


def _opaque_bars(nodes: list[Node], keyer: Keyer) -> list[Node]:
    """``\\|x\\|``, ``|x|`` (with any scripts on the closing bar) as one scalar symbol keyed by their content."""
    out: list[Node] = []
    i = 0
    while i < len(nodes):
        node = nodes[i]
        close = _closing_bar(nodes, i) if isinstance(node, Tok) and node.text in BARS else None
        if close is None:
            out.append(node)
            i += 1
            continue
        inner = keyer.seq(nodes[i + 1 : close])
        symbol = Cmd(_OPAQUE_FONT, [[Tok(f"{node.text}{inner}{node.text}")]])
        end = nodes[close]
        out.append(Scr(symbol, end.sub, end.sup) if isinstance(end, Scr) else symbol)
        i = close + 1
    return out


def _closing_bar(nodes: list[Node], start: int) -> int | None:
    """Index of the next bar like the one at ``start`` (None when there is none or nothing between)."""
    bar = nodes[start].text
    close = next((k for k in range(start + 1, len(nodes)) if bar_token(nodes[k]) == bar), None)
    return close if close is not None and close > start + 1 else None


def _multiply(factors: list[list[Node]]) -> list[Node]:
    """Scalar factors as one product (bracketed where juxtaposition would misread), ``1`` if none."""
    out: list[Node] = []
    for factor in factors:
        single = len(factor) == 1 and not (out and isinstance(factor[0], Tok) and is_number(factor[0].text))
        out += factor if single else [Grp("(", factor, ")")]
    return out or [Tok("1")]


def _add(terms: list[list[Node]]) -> list[Node]:
    """Coefficients of terms with the same matrix factors, summed."""
    if len(terms) == 1:
        return terms[0]
    out: list[Node] = []
    for term in terms:
        out += ([Tok("+")] if out else []) + [Grp("(", term, ")")]
    return out

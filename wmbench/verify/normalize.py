"""LaTeX notation of wireless papers → one canonical form per meaning.

An answer is tokenised, parsed into a small tree (groups, commands with their arguments,
sub/superscripts) and printed back as a canonical key. Two answers with the same key are the
same answer; the key ignores only formatting:

* spacing, ``\\left``/``\\right``/sizing, ``\\,``-style spaces, ``\\displaystyle``, ``\\cdot``;
* redundant braces (``N _ { 1 }`` = ``N_1``), outer grouping brackets, sub/superscript order;
* ``\\dfrac``/``\\tfrac``/``\\cfrac`` = ``\\frac``; ``\\le`` = ``\\leq``; ``\\text``/``\\operatorname``
  = ``\\mathrm``; ``\\mathrm{max}`` = ``\\max``;
* ``\\mathbf`` = ``\\boldsymbol`` = ``\\bm`` = ``\\pmb`` (bold is kept: bold ≠ plain);
* one transpose ``^T`` = ``^\\top`` = ``^{\\mathsf T}`` = ``^{\\mathrm T}`` = ``^\\intercal``; one Hermitian
  ``^H`` = ``^{\\mathsf H}`` = ``^\\dagger``; conjugate ``^*`` = ``^\\ast`` (three different keys);
* numbers by value (``0.5`` = ``\\frac12`` = ``1/2``);
* association: ``(a + b) + c`` = ``a + b + c`` and ``-(a - b)`` = ``-a + b``;
* commutation that is always valid: terms of a sum in any order; scalar factors of a product in
  any order, while the factors that are matrices or vectors (bold symbols, symbols the problem
  background calls matrices/vectors, anything transposed) keep their relative order; the body
  of a sum/product/max is a product too (``\\sum_k \\beta_k P_k`` = ``\\sum_k P_k \\beta_k``);
* bound (dummy) variables renamed by nesting depth (:func:`rename_bound`): ``\\sum_{i=1}^K p_i``
  = ``\\sum_{k=1}^K p_k``, ``\\int_0^T f(t)\\,dt`` = ``\\int_0^T f(\\tau)\\,\\mathrm{d}\\tau``; free
  indices, ranges and limits stay as written;
* identical terms of opposite sign cancel (``x - x + y`` = ``y``).

Known limits (rejected although equal, unless math-verify decides them): cancelling terms
that are equal only after algebra (``2x - x - x + y`` against ``y``: the symbol sets differ, so
the pair never reaches math-verify); swapped nested sums (``\\sum_i\\sum_j a_{ij}`` against
``\\sum_j\\sum_i a_{ij}``); constants moved in or out of a sum; a binder whose subscript is not
a plain variable list (``\\sum_{(k,l) \\in G}``).

Case, sub/superscripts, ``\\mathbb`` letters and every other symbol stay as written.

Wireless conventions (pinned by the ``wireless_conventions`` rows of tests/data/verify_cases.jsonl):

* ``j`` is the imaginary unit when it appears in an exponent of ``e`` or in ``\\exp`` (``e^{j\\theta}``);
  it is then handed to math-verify as sympy's ``I``. Elsewhere (``h_j``, ``\\sum_j``) it is a symbol.
* ``e`` raised to a power is Euler's number (``e^{x}`` = ``\\exp(x)``); a lone ``e`` is a symbol.
  Upright ``\\mathrm{e}``, ``\\mathrm{j}`` and ``\\jmath`` are the same ``e`` and ``j``.
* ``\\gamma`` (SNR) and every other Greek letter is a symbol, never a constant: all symbols are
  renamed to neutral names before math-verify sees them, which also keeps math-verify from
  lower-casing ``H`` into ``h``. ``\\pi`` is the constant.
* ``\\log``, ``\\ln`` and ``\\log_b`` are different functions (a different base is a different answer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

MAX_CHARS = 2000  # answers longer than this are compared as whitespace-free strings only
MAX_DEPTH = 60  # deeper nesting is compared as a whitespace-free string only

# --- tokens ---------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<cmd>\\[A-Za-z]+\*?)          # control word: \frac, \mathbf, \operatorname*
  | (?P<sym>\\[^A-Za-z])             # control symbol: \{ \| \, \!
  | (?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+)  # a decimal number (ASCII digits only)
  | (?P<space>\s+)                   # ignored
  | (?P<char>.)                      # any other single character
    """,
    re.VERBOSE | re.DOTALL,
)

# Formatting-only tokens, dropped.
_DROP = frozenset(
    r"""\left \right \middle \big \Big \bigg \Bigg \bigl \bigr \Bigl \Bigr \biggl \biggr \Biggl \Biggr
    \displaystyle \textstyle \scriptstyle \limits \nolimits \, \; \: \! \> \quad \qquad \cdot
    ~ $ \( \) \[ \] \nonumber \notag \rm \bf \it""".split()
) | {"\\ "}

# Spellings of the same token.
_ALIAS = {
    r"\dfrac": r"\frac", r"\tfrac": r"\frac", r"\cfrac": r"\frac", r"\dbinom": r"\binom",
    r"\le": r"\leq", r"\leqslant": r"\leq", r"\ge": r"\geq", r"\geqslant": r"\geq", r"\ne": r"\neq",
    r"\lbrace": r"\{", r"\rbrace": r"\}", r"\lbrack": "[", r"\rbrack": "]",
    r"\lvert": "|", r"\rvert": "|", r"\vert": "|", r"\lVert": r"\|", r"\rVert": r"\|", r"\Vert": r"\|",
    r"\boldsymbol": r"\mathbf", r"\bm": r"\mathbf", r"\pmb": r"\mathbf", r"\mathbold": r"\mathbf",
    r"\textbf": r"\mathbf", r"\text": r"\mathrm", r"\textrm": r"\mathrm", r"\operatorname": r"\mathrm",
    r"\operatorname*": r"\mathrm", r"\textnormal": r"\mathrm", r"\mbox": r"\mathrm", r"\textit": r"\mathit",
    r"\intercal": r"\top", r"\to": r"\rightarrow", r"\gets": r"\leftarrow", r"\ldots": r"\dots",
    r"\cdots": r"\dots", r"\dotsc": r"\dots", r"\dotsb": r"\dots", r"\widehat": r"\hat",
    r"\widetilde": r"\tilde", r"\overline": r"\bar", r"\ast": "*", r"\lnot": r"\neg", r"\land": r"\wedge",
    r"\jmath": "j",
}

# Commands and how many mandatory arguments they take.
_ARITY = {
    r"\frac": 2, r"\binom": 2, r"\overset": 2, r"\underset": 2, r"\stackrel": 2, r"\sqrt": 1,
    r"\hspace": 1, r"\vspace": 1,
}
FONT = frozenset(r"\mathbf \mathrm \mathcal \mathbb \mathsf \mathfrak \mathscr \mathit \mathtt".split())
ACCENT = frozenset(r"\hat \tilde \bar \vec \dot \ddot \check \breve \acute \grave \underline \overrightarrow \underbrace \overbrace \substack \boxed".split())
for _name in FONT | ACCENT:
    _ARITY[_name] = 1

# Bracket pairs that group (``|`` and ``\|`` are ambiguous and stay plain tokens).
_PAIRS = {"(": ")", "[": "]", r"\{": r"\}", r"\langle": r"\rangle", r"\lfloor": r"\rfloor", r"\lceil": r"\rceil", "{": "}"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}

# Names that are functions or operators, never symbols; a product containing one is not reordered.
OPERATOR_NAMES = frozenset(
    "log ln lg exp sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh max min sup inf lim "
    "limsup liminf arg det dim ker deg gcd Pr exp".split()
)
BIG_OPERATORS = frozenset(
    r"\sum \prod \int \iint \iiint \oint \bigcup \bigcap \lim \max \min \sup \inf \partial \nabla".split()
)
# Control words that are constants or operators, not symbols.
NON_SYMBOLS = frozenset(
    r"""\pi \infty \dots \vdots \ddots \partial \nabla \pm \mp \times \div \leq \geq \neq \approx \sim
    \simeq \equiv \propto \in \notin \subset \subseteq \supset \supseteq \cup \cap \setminus \forall
    \exists \rightarrow \leftarrow \Rightarrow \Leftarrow \leftrightarrow \mapsto \mid \triangleq
    \coloneqq \otimes \oplus \odot \circ \star \dagger \top \bot \perp \| \{ \} \langle \rangle
    \lfloor \rfloor \lceil \rceil \prime \emptyset \varnothing \wedge \vee \neg \ell \hbar \imath \jmath
    \Re \Im \quad \cdot \circledast \diamond""".split()
) | {"\\" + name for name in OPERATOR_NAMES} | BIG_OPERATORS

# Control words that name symbols (a product of these and letters, numbers may be reordered).
GREEK = frozenset(
    "\\" + name
    for name in """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda
    mu nu xi omicron rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta
    Lambda Xi Pi Sigma Upsilon Phi Psi Omega varpi ell hbar aleph beth digamma""".split()
)
_VALUE_WORDS = GREEK | {r"\pi", r"\infty"}

# Tokens that separate the parts of a sequence; a sequence holding one is never reordered.
SEPARATORS = frozenset(
    r"""= , ; : | \| & \\ < > \leq \geq \neq \approx \sim \simeq \equiv \propto \in \notin \subset
    \subseteq \supset \supseteq \rightarrow \leftarrow \Rightarrow \mapsto \mid \triangleq \coloneqq
    \pm \mp ! ' / \setminus \cup \cap""".split()
)
_SIGNS = frozenset("+-")
_SINGLE_CHAR_ARG = frozenset({r"\frac", r"\dfrac", r"\tfrac", r"\binom", r"\sqrt", "^", "_"})

_TRANSPOSE = frozenset({"T", r"\top", r"\mathsf{T}", r"\mathrm{T}", r"\mathit{T}"})
_HERMITIAN = frozenset({"H", r"\dagger", r"\mathsf{H}", r"\mathrm{H}", r"\mathit{H}"})
_CONJUGATE = frozenset({"*", r"\star"})
_MATRIX_MARKS = frozenset({r"\top", r"\dagger", r"- \top", r"- \dagger"})


# --- tree -----------------------------------------------------------------------------------


@dataclass
class Tok:
    text: str


@dataclass
class Grp:
    """A bracketed group ``( .. )``, ``[ .. ]``, ``\\{ .. \\}``; ``{ .. }`` only as a script base."""

    open: str
    body: list[Node]
    close: str


@dataclass
class Cmd:
    name: str
    args: list[list[Node]]
    opt: list[Node] | None = None


@dataclass
class Scr:
    base: Node
    sub: list[Node] | None = None
    sup: list[Node] | None = None


Node = Tok | Grp | Cmd | Scr


class TooComplex(Exception):
    """The answer nests deeper than :data:`MAX_DEPTH`."""


def tokenize(text: str) -> list[str]:
    """Tokens of a LaTeX answer with formatting dropped and spellings unified."""
    out: list[str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        tok = match.group(0)
        if kind == "space":
            continue
        if kind == "num":
            if out and out[-1] in _SINGLE_CHAR_ARG and len(tok) > 1:  # \frac12 is \frac{1}{2}
                out.append(tok[0])
                tok = tok[1:]
            tok = _number_key(tok)
        tok = _ALIAS.get(tok, tok)
        if out and out[-1] in (r"\left", r"\right", r"\middle") and tok == ".":
            out.pop()
            continue
        if tok in _DROP:
            continue
        out.append(tok)
    return out


def _number_key(tok: str) -> str:
    if "." not in tok:
        return tok.lstrip("0") or "0"
    whole, frac = tok.split(".")
    frac = frac.rstrip("0")
    whole = whole.lstrip("0") or "0"
    return f"{whole}.{frac}" if frac else whole


def _pair_brackets(tokens: list[str]) -> dict[int, int]:
    """Index of each opening bracket → index of its closer; unmatched brackets stay plain."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for i, tok in enumerate(tokens):
        if tok in _PAIRS:
            stack.append(i)
        elif tok in _CLOSERS:
            if stack and tokens[stack[-1]] == _CLOSERS[tok]:
                pairs[stack.pop()] = i
            elif tok == "}":  # a stray brace closes nothing; drop any half-open brackets inside
                while stack and tokens[stack[-1]] != "{":
                    stack.pop()
                if stack:
                    pairs[stack.pop()] = i
    return pairs


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.toks = tokens
        self.pairs = _pair_brackets(tokens)

    def seq(self, start: int, end: int, depth: int) -> list[Node]:
        if depth > MAX_DEPTH:
            raise TooComplex
        nodes: list[Node] = []
        i = start
        while i < end:
            tok = self.toks[i]
            if tok in ("^", "_"):
                arg, i = self.arg(i + 1, end, depth)
                base = nodes.pop() if nodes else Tok("")
                nodes.append(_attach(base, tok, arg))
                continue
            if tok == "'" and nodes:  # x' is x^{\prime}
                nodes.append(_attach(nodes.pop(), "^", [Tok(r"\prime")]))
                i += 1
                continue
            node, i = self.node(i, end, depth)
            if isinstance(node, list):
                nodes.extend(node)
            elif node is not None:
                nodes.append(node)
        return nodes

    def node(self, i: int, end: int, depth: int) -> tuple[Node | list[Node] | None, int]:
        tok = self.toks[i]
        if tok in _PAIRS and i in self.pairs and self.pairs[i] < end:
            close = self.pairs[i]
            body = self.seq(i + 1, close, depth + 1)
            nxt = self.toks[close + 1] if close + 1 < end else ""
            if tok == "{":  # a brace group is invisible, except as a script base
                return (Grp("{", body, "}") if nxt in ("^", "_") else body), close + 1
            return Grp(tok, body, self.toks[close]), close + 1
        if tok in _ARITY:
            return self.command(tok, i + 1, end, depth)
        return Tok(tok), i + 1

    def command(self, name: str, i: int, end: int, depth: int) -> tuple[Node | None, int]:
        opt = None
        if name == r"\sqrt" and i < end and self.toks[i] == "[" and i in self.pairs and self.pairs[i] < end:
            opt = self.seq(i + 1, self.pairs[i], depth + 1)
            i = self.pairs[i] + 1
        args = []
        for _ in range(_ARITY[name]):
            arg, i = self.arg(i, end, depth)
            args.append(arg)
        if name in (r"\hspace", r"\vspace"):
            return None, i
        return _command(name, args, opt), i

    def arg(self, i: int, end: int, depth: int) -> tuple[list[Node], int]:
        """One argument: a ``{..}`` group's content or the single next node."""
        if i >= end:
            return [], i
        if self.toks[i] == "{" and i in self.pairs and self.pairs[i] < end:
            return self.seq(i + 1, self.pairs[i], depth + 1), self.pairs[i] + 1
        node, j = self.node(i, end, depth + 1)
        if node is None:
            return [], j
        return (node if isinstance(node, list) else [node]), j


def _attach(base: Node, mark: str, arg: list[Node]) -> Node:
    if isinstance(base, Grp) and base.open == "{" and len(base.body) == 1:
        base = base.body[0]  # {x_k}^T is x_k^T
    if isinstance(base, Scr) and getattr(base, "sub" if mark == "_" else "sup") is None:
        return Scr(base.base, arg if mark == "_" else base.sub, arg if mark == "^" else base.sup)
    return Scr(base, arg if mark == "_" else None, arg if mark == "^" else None)


def _command(name: str, args: list[list[Node]], opt: list[Node] | None) -> Node:
    if name == r"\mathrm":
        word = "".join(n.text for n in args[0] if isinstance(n, Tok))
        if len(word) == len(args[0]) and word in OPERATOR_NAMES:
            return Tok("\\" + word)  # \mathrm{max} is \max
        if len(args[0]) == 1 and word in ("e", "j"):
            return Tok(word)  # upright \mathrm{e} and \mathrm{j} are Euler's e and the imaginary j
    if name in FONT and len(args[0]) == 1 and isinstance(args[0][0], Scr):
        inner = args[0][0]  # \mathbf{x_s} is \mathbf{x}_s
        return Scr(Cmd(name, [[inner.base]]), inner.sub, inner.sup)
    return Cmd(name, args, opt)


@lru_cache(maxsize=1 << 14)
def parse_latex(text: str) -> list[Node]:
    """The tree of an answer with bound variables renamed (raises :class:`TooComplex` past :data:`MAX_DEPTH`).

    Cached: a key and a comparison of the same answer share one tree, which no caller modifies.
    """
    tokens = tokenize(text)
    nodes = strip_outer(_Parser(tokens).seq(0, len(tokens), 0))
    if _BINDERS.isdisjoint(tokens) and _INTEGRALS.isdisjoint(tokens):
        return nodes  # nothing binds a variable: skip the tree copy
    return rename_bound(nodes)


# --- bound (dummy) variables ----------------------------------------------------------------

# Operators whose subscript binds a variable: \sum_{k=1}^K, \max_x, \lim_{x \to 0}, \arg\max_x.
_BINDERS = frozenset(r"\sum \prod \max \min \sup \inf \lim \bigcup \bigcap \coprod".split())
_INTEGRALS = frozenset(r"\int \iint \iiint \oint".split())
# What may follow the bound variable in a binder's subscript: k=1, i \neq k, n \in N, x \to 0.
_BINDING_RELATIONS = frozenset(r"= \neq < > \leq \geq \in \notin \subset \subseteq \rightarrow".split())
# Where the body of a sum ends: the next term, relation or list item at the same level.
_SCOPE_ENDS = frozenset(r"+ - , ; & \\ = \approx \equiv \triangleq \coloneqq \propto \sim \Rightarrow \mapsto".split()) | _BINDING_RELATIONS
BARS = frozenset({"|", r"\|"})
BOUND_PREFIX = "ι"  # bound variables are renamed ι1, ι2, ... (a token the tokenizer never makes)
Bindings = dict[tuple[str, str], Tok]  # variable (font, letter) → its canonical name


def is_bound_name(text: str) -> bool:
    """Whether a token is a canonical bound-variable name."""
    return text.startswith(BOUND_PREFIX) and text[1:].isdigit()


def rename_bound(nodes: list[Node], depth: int = 1, env: Bindings | None = None) -> list[Node]:
    """Bound variables renamed by nesting depth: ``\\sum_{i=1}^K p_i`` is ``\\sum_{k=1}^K p_k``.

    Only what a binder binds is renamed: the variable named first in a sum/product/max/lim
    subscript (``k=1``, ``i \\neq k``, bare ``n``, ``x \\to 0``) within the binder's subscript and
    body (up to the next term, relation or closing bar), and an integral's variable of
    integration (``d t`` / ``\\mathrm{d}t``) between the integral and its differential.
    Every other symbol, free indices included, stays as written. ``env`` maps the variables
    bound around ``nodes`` to their new names; each node is visited once.
    """
    env = env or {}
    out: list[Node] = []
    i = 0
    while i < len(nodes):
        node = nodes[i]
        bound = _binder_variables(node)
        differential = _differential(nodes, i) if not bound and _is_integral(node) else None
        if bound:
            end = _scope_end(nodes, i + 1)
            inner = {**env, **{var: Tok(f"{BOUND_PREFIX}{depth + n}") for n, var in enumerate(bound)}}
            sup = rename_bound(node.sup, depth, env) if node.sup is not None else None
            out.append(Scr(node.base, rename_bound(node.sub, depth + len(bound), inner), sup))
            out.extend(rename_bound(nodes[i + 1 : end], depth + len(bound), inner))
            i = end
        elif differential is not None:
            var = _var_id(nodes[differential])
            inner = {**env, var: Tok(f"{BOUND_PREFIX}{depth}")}
            out.append(_descend(node, depth, env))
            out.extend(rename_bound(nodes[i + 1 : differential - 1], depth + 1, inner))
            out += [Tok("d"), inner[var]]  # d t, \mathrm{d} t: one differential
            i = differential + 1
        else:
            out.append(_descend(node, depth, env))
            i += 1
    return out


def _descend(node: Node, depth: int, env: Bindings) -> Node:
    """A node with bound variables renamed in it, its groups, arguments and scripts."""
    var = _var_id(node) if env else None
    if var is not None and var in env:
        return Cmd(node.name, [[env[var]]]) if isinstance(node, Cmd) else env[var]
    if isinstance(node, Grp):
        return Grp(node.open, rename_bound(node.body, depth, env), node.close)
    if isinstance(node, Cmd):
        opt = rename_bound(node.opt, depth, env) if node.opt else node.opt
        return Cmd(node.name, [rename_bound(a, depth, env) for a in node.args], opt)
    if isinstance(node, Scr):
        sub = rename_bound(node.sub, depth, env) if node.sub is not None else None
        sup = rename_bound(node.sup, depth, env) if node.sup is not None else None
        return Scr(_descend(node.base, depth, env), sub, sup)
    return node


def _var_id(node: Node) -> tuple[str, str] | None:
    """A variable's identity: (font, letter) for ``k``, ``\\tau``, ``\\mathbf{w}``; None otherwise."""
    if isinstance(node, Tok) and (node.text in GREEK or is_bound_name(node.text) or (len(node.text) == 1 and node.text.isascii() and node.text.isalpha())):
        return ("", node.text)
    if isinstance(node, Cmd) and node.name in FONT and len(node.args[0]) == 1 and isinstance(node.args[0][0], Tok):
        inner = _var_id(node.args[0][0])
        return (node.name, inner[1]) if inner is not None and not inner[0] else None
    return None


def _binder_variables(node: Node) -> list[tuple[str, str]]:
    """Variables a ``\\sum_{..}``-like node binds (empty for anything else)."""
    if not (isinstance(node, Scr) and node.sub and isinstance(node.base, Tok) and node.base.text in _BINDERS):
        return []
    sub = node.sub
    if len(sub) == 1 and isinstance(sub[0], Cmd) and sub[0].name == r"\substack":
        sub = sub[0].args[0]
    bound: list[tuple[str, str]] = []
    for k, part in enumerate(sub):
        if k % 2 == 1:  # i, j: variables separated by commas
            if isinstance(part, Tok) and part.text == ",":
                continue
            return bound if isinstance(part, Tok) and part.text in _BINDING_RELATIONS | {r"\\"} else []
        var = _var_id(part)
        if var is None:
            return []
        bound.append(var)
    return bound


def _is_integral(node: Node) -> bool:
    base = node.base if isinstance(node, Scr) else node
    return isinstance(base, Tok) and base.text in _INTEGRALS


def _is_d(node: Node) -> bool:
    """The ``d`` of a differential: ``d`` or upright ``\\mathrm{d}``."""
    if isinstance(node, Cmd) and node.name == r"\mathrm" and len(node.args[0]) == 1:
        node = node.args[0][0]
    return isinstance(node, Tok) and node.text == "d"


def _differential(nodes: list[Node], start: int) -> int | None:
    """Index of the variable of the differential closing the integral at ``start`` (nested ones paired)."""
    open_integrals = 0
    for k in range(start + 1, len(nodes) - 1):
        if _is_integral(nodes[k]):
            open_integrals += 1
        elif _is_d(nodes[k]) and _var_id(nodes[k + 1]) is not None:
            if open_integrals == 0:
                return k + 1
            open_integrals -= 1
        elif isinstance(nodes[k], Tok) and nodes[k].text in _SCOPE_ENDS - _SIGNS:
            return None
    return None


def _scope_end(nodes: list[Node], start: int) -> int:
    """Where the body of a binder that ends at ``start`` stops (exclusive)."""
    open_bar: str | None = None
    for k in range(start, len(nodes)):
        node = nodes[k]
        text = node.text if isinstance(node, Tok) else None
        bar = bar_token(node)
        if bar is not None:
            if open_bar == bar:
                open_bar = None
            elif open_bar is None and (k == start or (isinstance(nodes[k - 1], Tok) and nodes[k - 1].text in _SCOPE_ENDS)):
                open_bar = bar
            elif open_bar is None:
                return k  # closes a bar opened before the binder: |\sum_k h_k|
        elif text in _SCOPE_ENDS and open_bar is None and not (k == start and text in _SIGNS):
            return k
    return len(nodes)


def bar_token(node: Node) -> str | None:
    base = node.base if isinstance(node, Scr) else node
    return base.text if isinstance(base, Tok) and base.text in BARS else None


def strip_outer(nodes: list[Node]) -> list[Node]:
    """Drop brackets that enclose the whole answer: ``(m + 1)`` is ``m + 1``, but ``[a, b]`` stays an interval."""
    while len(nodes) == 1 and isinstance(nodes[0], Grp) and nodes[0].open in ("(", "[", "{"):
        if any(isinstance(n, Tok) and n.text == "," for n in nodes[0].body):
            break
        nodes = nodes[0].body
    return nodes


# --- canonical keys -------------------------------------------------------------------------


class Keyer:
    """Prints nodes as canonical keys; ``matrices`` are plain symbols the context calls matrices/vectors."""

    def __init__(self, matrices: frozenset[str] = frozenset()) -> None:
        self.matrices = matrices

    def seq(self, nodes: list[Node]) -> str:
        value = number_value(nodes)
        if value is not None:
            return f"#{value}"
        if any(isinstance(n, Tok) and n.text in SEPARATORS for n in nodes):
            return " ".join(self.node(n) for n in nodes)
        terms = flatten_terms(split_terms(nodes))
        keys = sorted(("- " if sign == "-" else "") + self.term(body) for sign, body in terms)
        return " + ".join(_cancel(keys))

    def term(self, nodes: list[Node]) -> str:
        if len(nodes) > 1 and _is_binder(nodes[0]):  # \sum_k a_k b_k: the body is a product too
            return self.node(nodes[0]) + " " + self.term(nodes[1:])
        factors = split_factors(nodes)
        if not all(is_commutable(f) for f in factors):
            return " ".join(self.node(n) for n in nodes)
        scalars, ordered = [], []
        for factor in factors:
            key = " ".join(self.node(n) for n in factor)
            (ordered if self.is_matrix(factor) else scalars).append(key)
        return " ".join(sorted(scalars) + (["·"] + ordered if ordered else []))

    def node(self, node: Node) -> str:
        if isinstance(node, Tok):
            return f"#{Fraction(node.text)}" if is_number(node.text) else node.text
        if isinstance(node, Grp):
            return f"{node.open} {self.seq(node.body)} {node.close}"
        if isinstance(node, Cmd):
            value = number_value([node]) if node.name == r"\frac" else None
            if value is not None:
                return f"#{value}"
            opt = f"[{self.seq(node.opt)}]" if node.opt else ""
            return node.name + opt + "".join("{" + self.seq(a) + "}" for a in node.args)
        return self.node(node.base) + self.scripts(node)

    def scripts(self, node: Scr) -> str:
        out = ""
        if node.sub is not None:
            out += "_{" + self.seq(node.sub) + "}"
        if node.sup is not None:
            out += "^{" + self.mark(self.seq(node.sup)) + "}"
        return out

    @staticmethod
    def mark(sup: str) -> str:
        """Canonical transpose / Hermitian / conjugate superscripts."""
        for prefix in ("", "- "):
            bare = sup[len(prefix):] if sup.startswith(prefix) else None
            if bare in _TRANSPOSE:
                return prefix + r"\top"
            if bare in _HERMITIAN:
                return prefix + r"\dagger"
            if bare in _CONJUGATE:
                return prefix + "*"
        return sup

    def is_matrix(self, nodes: list[Node]) -> bool:
        """Whether a factor is (or holds) a matrix/vector: bold, declared in the context, or transposed.

        A transpose or Hermitian mark is one or two nodes (``^T``, ``^{\\mathsf H}``, ``^{-T}``): longer
        superscripts are exponents, never keyed here.
        """
        for node in walk_nodes(nodes):
            if isinstance(node, Cmd) and node.name == r"\mathbf":
                return True
            if isinstance(node, Tok) and node.text in self.matrices:
                return True
            if isinstance(node, Scr) and node.sup is not None and len(node.sup) <= 2 and self.mark(self.seq(node.sup)) in _MATRIX_MARKS:
                return True
        return False


def _is_binder(node: Node) -> bool:
    base = node.base if isinstance(node, Scr) else node
    return isinstance(base, Tok) and base.text in _BINDERS


def _cancel(keys: list[str]) -> list[str]:
    """Sorted term keys with each ``t`` and ``- t`` pair removed (``x - x + y`` is ``y``); ``#0`` if none is left."""
    negated = {key[2:] for key in keys if key.startswith("- ")}
    if not negated.intersection(keys):
        return keys
    left = list(keys)
    for key in sorted(negated):
        while key in left and "- " + key in left:
            left.remove(key)
            left.remove("- " + key)
    return left or ["#0"]


def number_value(nodes: list[Node]) -> Fraction | None:
    """The value of a purely numeric answer (``0.5``, ``\\frac12``, ``1/2``, ``-3``), else None."""
    sign = 1
    if len(nodes) >= 2 and isinstance(nodes[0], Tok) and nodes[0].text in _SIGNS:
        sign = -1 if nodes[0].text == "-" else 1
        nodes = nodes[1:]
    if len(nodes) == 1 and isinstance(nodes[0], Cmd) and nodes[0].name == r"\frac":
        num, den = (number_value(a) for a in nodes[0].args)
    elif len(nodes) == 3 and isinstance(nodes[1], Tok) and nodes[1].text == "/":
        num, den = number_value([nodes[0]]), number_value([nodes[2]])
    elif len(nodes) == 1 and isinstance(nodes[0], Tok) and is_number(nodes[0].text):
        return sign * Fraction(nodes[0].text)
    else:
        return None
    if num is None or den is None or den == 0:
        return None
    return sign * num / den


# Written number formats: digit groups of three after a space, thin space or comma ("1 000",
# "1\,000", "1{,}000", "7,425,000"), and a decimal comma ("1000,99", "1,5": a comma followed
# by other than three digits).
_GROUPED = re.compile(r"^([+-]?\d{1,3})((?:(?: |\\,|\\ |~|\{,\}|,)\d{3})+)(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^([+-]?\d+),(\d{1,2}|\d{4,})$")
_PLAIN = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)$")


def written_number(text: str) -> Fraction | None:
    """The value of a number in a written format (see ``_GROUPED``, ``_DECIMAL_COMMA``), else None."""
    text = text.strip().strip("$").strip()
    grouped = _GROUPED.match(text)
    if grouped is not None:
        return Fraction(grouped.group(1) + re.sub(r"\D", "", grouped.group(2)) + (grouped.group(3) or ""))
    decimal = _DECIMAL_COMMA.match(text)
    if decimal is not None:
        return Fraction(f"{decimal.group(1)}.{decimal.group(2)}")
    return Fraction(text) if _PLAIN.match(text) else None


def is_number(text: str) -> bool:
    """A number token (the tokenizer makes these from ASCII digits only)."""
    return text[:1] in "0123456789." and len(text) > 0 and text != "."


def split_terms(nodes: list[Node]) -> list[tuple[str, list[Node]]]:
    terms: list[tuple[str, list[Node]]] = []
    sign, body = "+", []
    for node in nodes:
        if isinstance(node, Tok) and node.text in _SIGNS and (body or terms):
            terms.append((sign, body))
            sign, body = node.text, []
        elif isinstance(node, Tok) and node.text in _SIGNS and not body:
            sign = node.text
        else:
            body.append(node)
    terms.append((sign, body))
    return terms


def flatten_terms(terms: list[tuple[str, list[Node]]]) -> list[tuple[str, list[Node]]]:
    """Terms of bracketed sums spliced in: ``(a + b) + c`` is ``a + b + c``, ``-(a - b)`` is ``-a + b``."""
    out: list[tuple[str, list[Node]]] = []
    for sign, body in terms:
        inner = body[0] if len(body) == 1 and isinstance(body[0], Grp) and body[0].open in ("(", "[") else None
        if inner is None or any(isinstance(n, Tok) and n.text in SEPARATORS for n in inner.body):
            out.append((sign, body))
            continue
        for inner_sign, inner_body in flatten_terms(split_terms(inner.body)):
            out.append(("-" if (inner_sign == "-") != (sign == "-") else "+", inner_body))
    return out


def split_factors(nodes: list[Node]) -> list[list[Node]]:
    """Factors of a product; a bracket group sticks to what precedes it (``f(x)`` is one factor)."""
    factors: list[list[Node]] = []
    for node in nodes:
        if isinstance(node, Grp) and factors:
            factors[-1].append(node)
        else:
            factors.append([node])
    return factors


def is_commutable(factor: list[Node]) -> bool:
    head = factor[0]
    base = head.base if isinstance(head, Scr) else head
    if isinstance(base, Tok):
        text = base.text
        return text in _VALUE_WORDS or is_number(text) or is_bound_name(text) or (len(text) == 1 and text.isascii() and text.isalpha())
    if isinstance(base, Cmd):
        return base.name in FONT or base.name in ACCENT or base.name in (r"\frac", r"\sqrt", r"\binom")
    return isinstance(base, Grp) and base.open != "{"


def walk_nodes(nodes: list[Node]):
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Grp):
            stack.extend(node.body)
        elif isinstance(node, Cmd):
            for arg in node.args:
                stack.extend(arg)
            stack.extend(node.opt or ())
        elif isinstance(node, Scr):
            stack.append(node.base)
            stack.extend(node.sub or ())
            stack.extend(node.sup or ())


@lru_cache(maxsize=1 << 16)
def canonical_key(text: str, matrices: frozenset[str] = frozenset()) -> str:
    """The canonical key of one answer (a whitespace-free string when too long or too deep)."""
    if len(text) > MAX_CHARS:
        return "!" + "".join(text.split())
    try:
        return Keyer(matrices).seq(parse_latex(text))
    except (TooComplex, RecursionError):
        return "!" + "".join(text.split())

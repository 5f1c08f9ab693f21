"""An equation as a tree of whole sub-expressions, with exact character spans.

pylatexenc reads the LaTeX into nodes (characters, macros, groups, environments); this module
turns them into the structure a reader sees: sides of a relation, terms of a sum, factors of a
product, and the sequences inside a factor (a fraction's numerator and denominator, a root's
radicand, a function's argument, a sum's body, an exponent). Every piece keeps its ``(start,
end)`` span in the original string, so masking a piece and putting its text back reproduces the
equation byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexWalker,
    LatexWalkerError,
    get_default_latex_context_db,
)
from pylatexenc.macrospec import LatexContextDb

from wmbench.errors import GenerationError

# A word written in maths: a run of three or more letters (``TXOP``, ``error``, the ``max`` of
# ``\mathrm{max}``) is one atom and one token; two letters (``xy``) stay a product of symbols.
_WORD = r"[A-Za-z]{3,}(?![A-Za-z])"
# A token is what masking ratios count: control words, words, letters, numbers and visible symbols.
_TOKEN = re.compile(
    rf"""
      \\(?:,|;|:|!|\s|quad|qquad|thinspace|medspace|thickspace|enspace|negthinspace)(?![A-Za-z])  # spacing: not counted
    | (?P<command>\\[A-Za-z]+)                    # a control word: \frac, \mathbf, \alpha
    | (?P<symbol>\\[^A-Za-z\s])                   # a control symbol: \{{, \|
    | (?P<number>\d+(?:\.\d+)?)                   # a number: 2, 0.5
    | (?P<word>{_WORD})                           # a word: TXOP, error
    | (?P<char>[^\s{{}}])                          # any other visible character (braces are structure)
    """,
    re.VERBOSE,
)

AtomKind = Literal["sym", "num", "op", "sep", "mul", "rel", "open", "close", "bar", "script", "prime",
                   "macro", "group", "bracket", "env", "space", "other"]
FactorKind = Literal["symbol", "number", "bracket", "frac", "sqrt", "func", "bigop", "style", "other"]
SpanKind = Literal["side", "term", "factor", "numerator", "denominator", "radicand", "argument",
                   "body", "exponent", "bracket"]

_GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi "
    "varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi "
    "Pi Sigma Upsilon Phi Psi Omega ell hbar".split()
)
# Macros whose argument is text: a word or a name, never cut by a mask nor read letter by letter.
_TEXT = frozenset("text textrm textbf textit textnormal textsf texttt textup textsc textsl textmd emph mbox hbox "
                  "operatorname".split())
_STYLE = _TEXT | frozenset(
    "mathbf boldsymbol bm pmb mathbfit mathrm mathit mathcal mathbb mathsf mathfrak mathscr mathtt mathnormal "
    "mathup hat bar tilde vec dot ddot check breve widehat widetilde overline underline mathring".split()
)
# Old font switches: ``{\bf h}`` is ``\mathbf{h}``; a switch outside a group styles what follows.
_SWITCHES = {"bf": "mathbf", "rm": "mathrm", "it": "mathit", "cal": "mathcal", "sf": "mathsf", "tt": "mathtt",
             "bfseries": "mathbf", "rmfamily": "mathrm", "itshape": "mathit", "mit": "mathit", "boldmath": "mathbf"}
_FUNC = frozenset("log ln lg exp sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth arg det tr Tr Pr erf "
                  "erfc Re Im rank sgn deg dim ker gcd".split())
_BIGOP = frozenset("sum prod int iint iiint oint bigcup bigcap max min sup inf lim limsup liminf arg".split())
_RELATIONS = frozenset(
    "leq le geq ge neq ne approx triangleq equiv propto sim simeq cong ll gg in notin subset subseteq "
    "supset supseteq preceq succeq prec succ coloneqq eqqcolon doteq to rightarrow leftarrow mapsto "
    "Rightarrow Leftrightarrow iff leqslant geqslant lesssim gtrsim".split()
)
_SIGNS = frozenset("pm mp".split())
_MULS = frozenset("cdot times odot otimes circ ast star div oplus".split())
_SPACES = frozenset("quad qquad , ; : ! nonumber notag displaystyle textstyle scriptstyle limits nolimits thinspace "
                    "medspace thickspace enspace negthinspace negmedspace negthickspace".split())
_SIZERS = frozenset("left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr".split())
_FUNCTION_LIKE_BIGOPS = frozenset("max min sup inf lim arg".split())
_OPEN_MACROS = frozenset({"{", "langle", "lfloor", "lceil", "lvert", "lVert"})
_CLOSE_MACROS = frozenset({"}", "rangle", "rfloor", "rceil", "rvert", "rVert"})
_TWO_ARGS = frozenset("frac dfrac tfrac cfrac binom overset underset stackrel".split())
_ONE_ARG = _STYLE | {"sqrt"}
_NON_SYMBOLS = frozenset("forall exists dots ldots cdots vdots ddots partial nabla mid infty emptyset".split())


@dataclass(frozen=True)
class Seq:
    """A run of atoms with the span of its content (inside any braces)."""

    start: int
    end: int
    atoms: tuple[Atom, ...]


@dataclass(frozen=True)
class Atom:
    """One flat item: a character, a macro with its arguments, a group, a bracket pair."""

    kind: AtomKind
    start: int
    end: int
    name: str = ""
    args: tuple[Seq, ...] = ()


@dataclass(frozen=True)
class Factor:
    """A primary with its scripts; ``inner`` are the maskable sequences inside it."""

    kind: FactorKind
    start: int
    end: int
    base: Atom
    sub: Seq | None = None
    sup: Seq | None = None
    inner: tuple[tuple[SpanKind, Seq], ...] = ()


@dataclass(frozen=True)
class Term:
    start: int
    end: int
    sign: Atom | None
    factors: tuple[Factor, ...]


@dataclass(frozen=True)
class Side:
    start: int
    end: int
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Span:
    """A maskable whole sub-expression: ``latex[start:end]``."""

    start: int
    end: int
    kind: SpanKind
    depth: int


@dataclass(frozen=True)
class Tree:
    """A parsed equation: its sides and every maskable sub-expression."""

    latex: str
    sides: tuple[Side, ...]
    spans: tuple[Span, ...]
    n_tokens: int
    factors: tuple[Factor, ...] = field(default=(), repr=False)

    def text(self, span: Span | Factor | Term | Side | Seq) -> str:
        return self.latex[span.start:span.end]


def tokens(latex: str) -> list[str]:
    """The counted tokens of a LaTeX string (spacing commands and braces excluded)."""
    return [m.group(0) for m in _TOKEN.finditer(latex) if m.lastgroup is not None]


@lru_cache(maxsize=1 << 16)
def count_tokens(latex: str) -> int:
    """How many counted tokens ``latex`` has (cached: masking asks for the same gaps again and again)."""
    return len(tokens(latex))


@lru_cache(maxsize=1)
def latex_context() -> LatexContextDb:
    """pylatexenc's default macro and environment specs, built once: a walker given none builds
    them on every call, which costs as much as parsing a short formula. Read-only: share it."""
    return get_default_latex_context_db()


@lru_cache(maxsize=4096)
def parse(latex: str) -> Tree:
    """Parse one equation (no surrounding ``$$``); raises GenerationError if it is not LaTeX maths."""
    try:
        nodes, _, _ = LatexWalker(latex, latex_context=latex_context(), tolerant_parsing=False).get_latex_nodes()
    except (LatexWalkerError, IndexError, ValueError, RecursionError) as exc:
        raise GenerationError(f"equation {latex[:60]!r}", f"not parseable LaTeX ({exc.__class__.__name__})") from None
    atoms = _group_brackets(_attach_args(_flatten(nodes, latex), latex))
    sides = _split_relations(atoms, 0, len(latex), latex)
    spans: list[Span] = []
    factors: list[Factor] = []
    if len(sides) > 1:
        spans.extend(Span(s.start, s.end, "side", 0) for s in sides)
    for side in sides:
        _collect(side, 0, spans, factors, latex)
    unique = _unique_spans(spans, latex)
    return Tree(latex, tuple(sides), unique, count_tokens(latex), tuple(factors))


# --- pylatexenc nodes to flat atoms --------------------------------------------------------


def _flatten(nodes, latex: str) -> list[Atom]:
    out: list[Atom] = []
    for node in nodes or ():
        if isinstance(node, LatexCharsNode):
            out.extend(_char_atoms(node.chars, node.pos))
        elif isinstance(node, LatexGroupNode):
            out.append(_group_atom(node, latex))
        elif isinstance(node, LatexMacroNode):
            out.append(_macro_atom(node, latex))
        elif isinstance(node, LatexEnvironmentNode):
            out.append(Atom("env", node.pos, node.pos + node.len, name=node.environmentname))
        else:
            out.append(Atom("other", node.pos, node.pos + node.len))
    return out


def _group_atom(node: LatexGroupNode, latex: str) -> Atom:
    """A braced group, or a styled one when an old font switch opens it (``{\\bf h}``)."""
    inner = _group_brackets(_attach_args(_flatten(node.nodelist, latex), latex))
    start, end = node.pos, node.pos + node.len
    first = next((n for n in node.nodelist or () if not (isinstance(n, LatexCharsNode) and not n.chars.strip())), None)
    if isinstance(first, LatexMacroNode) and first.macroname in _SWITCHES:
        rest = tuple(a for a in inner if a.start >= first.pos + first.len)
        body = Seq(first.pos + first.len, end - 1, rest)
        return Atom("macro", start, end, name=_SWITCHES[first.macroname], args=(body,))
    return Atom("group", start, end, args=(Seq(start + 1, end - 1, tuple(inner)),))


_CHAR_KIND: dict[str, AtomKind] = {"+": "op", "-": "op", "=": "rel", "<": "rel", ">": "rel", "^": "script",
                                   "_": "script", "(": "open", "[": "open", ")": "close", "]": "close",
                                   "|": "bar", "'": "prime", "*": "mul", "/": "mul", "&": "space",
                                   ",": "sep", ";": "sep", ":": "sep"}
_CHARS = re.compile(rf"\d+(?:\.\d+)?|{_WORD}|\S")


def _char_atoms(chars: str, pos: int) -> list[Atom]:
    out = []
    for m in _CHARS.finditer(chars):
        text = m.group(0)
        kind = "num" if text[0].isdigit() else "sym" if text.isalpha() else _CHAR_KIND.get(text, "other")
        out.append(Atom(kind, pos + m.start(), pos + m.end(), name=text))
    return out


def _macro_atom(node: LatexMacroNode, latex: str) -> Atom:
    name = node.macroname
    args: list[Seq] = []
    for arg in (node.nodeargd.argnlist if node.nodeargd else []) or []:
        if isinstance(arg, LatexGroupNode):
            inner = _group_brackets(_attach_args(_flatten(arg.nodelist, latex), latex))
            args.append(Seq(arg.pos + 1, arg.pos + arg.len - 1, tuple(inner)))
        elif arg is not None:  # an unbraced argument: the Y of \mathbf Y
            args.append(Seq(arg.pos, arg.pos + arg.len, tuple(_flatten([arg], latex))))
    end = node.pos + node.len
    if name in _SPACES or name in _SWITCHES or not name.strip():  # a switch outside a group styles nothing we read
        return Atom("space", node.pos, end, name=name)
    kind: AtomKind = ("rel" if name in _RELATIONS else "op" if name in _SIGNS else "mul" if name in _MULS
                      else "open" if name in _OPEN_MACROS else "close" if name in _CLOSE_MACROS
                      else "bar" if name == "|" else "macro")
    return Atom(kind, node.pos, end, name=name, args=tuple(args))


def _attach_args(atoms: list[Atom], latex: str) -> list[Atom]:
    """Give argument-taking macros pylatexenc does not know (\\boldsymbol, \\dfrac) their arguments."""
    out: list[Atom] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        want = 2 if atom.name in _TWO_ARGS else 1 if atom.name in _ONE_ARG else 0
        if atom.kind == "macro" and i + 1 < len(atoms) and atoms[i + 1].name == "*" and atoms[i + 1].start == atom.end:
            atom = Atom("macro", atom.start, atoms[i + 1].end, name=atom.name, args=atom.args)
            i += 1
        if atom.kind == "macro" and want and len(atom.args) < want:
            args = list(atom.args)
            end = atom.end
            while len(args) < want and i + 1 < len(atoms) and atoms[i + 1].kind not in ("space",):
                nxt = atoms[i + 1]
                args.append(nxt.args[0] if nxt.kind == "group" else Seq(nxt.start, nxt.end, (nxt,)))
                end = nxt.end
                i += 1
            atom = Atom("macro", atom.start, end, name=atom.name, args=tuple(args))
        elif atom.kind == "macro" and atom.name in ("overset", "stackrel", "underset") and _is_relation_seq(atom.args[-1:]):
            atom = Atom("rel", atom.start, atom.end, name=atom.name, args=atom.args)
        out.append(atom)
        i += 1
    return _merge_sizers(out)


def _is_relation_seq(args: tuple[Seq, ...]) -> bool:
    return bool(args) and any(a.kind == "rel" for a in args[0].atoms)


def _merge_sizers(atoms: list[Atom]) -> list[Atom]:
    """``\\left(`` and ``\\bigl[`` become one open/close atom."""
    out: list[Atom] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        if atom.kind == "macro" and atom.name in _SIZERS and i + 1 < len(atoms):
            delim = atoms[i + 1]
            if atom.name.startswith("left") or atom.name.endswith("l"):
                kind: AtomKind = "open"
            elif atom.name.startswith("right") or atom.name.endswith("r"):
                kind = "close"
            else:
                kind = delim.kind if delim.kind in ("open", "close") else "bar"
            if atom.name == "middle":
                kind = "mul"
            out.append(Atom(kind, atom.start, delim.end, name=delim.name))
            i += 2
            continue
        out.append(atom)
        i += 1
    return out


def _group_brackets(atoms: list[Atom]) -> list[Atom]:
    """Match opens with closes (and pairs of bars) into ``bracket`` atoms holding their content."""
    out: list[Atom] = []
    stack: list[int] = []
    for atom in atoms:
        if atom.kind == "open":
            stack.append(len(out))
            out.append(atom)
        elif atom.kind == "close" and stack:
            at = stack.pop()
            opener, inner = out[at], out[at + 1:]
            content = Seq(opener.end, atom.start, tuple(_pair_bars(inner)))
            out[at:] = [Atom("bracket", opener.start, atom.end, name=opener.name, args=(content,))]
        else:
            out.append(atom)
    return _pair_bars(out)


def _pair_bars(atoms: list[Atom]) -> list[Atom]:
    out: list[Atom] = []
    open_at: int | None = None
    for atom in atoms:
        if atom.kind == "bar" and open_at is None:
            open_at = len(out)
            out.append(atom)
        elif atom.kind == "bar":
            opener, inner = out[open_at], out[open_at + 1:]
            out[open_at:] = [Atom("bracket", opener.start, atom.end, name="|",
                                  args=(Seq(opener.end, atom.start, tuple(inner)),))]
            open_at = None
        else:
            out.append(atom)
    return out


# --- atoms to sides, terms and factors -------------------------------------------------------


def _visible(atoms) -> list[Atom]:
    return [a for a in atoms if a.kind != "space"]


def _split_relations(atoms: list[Atom], start: int, end: int, latex: str) -> list[Side]:
    parts: list[list[Atom]] = [[]]
    for atom in atoms:
        if atom.kind == "rel":
            parts.append([])
        else:
            parts[-1].append(atom)
    return [_side(p, latex) for p in parts if _visible(p)]


def _side(atoms: list[Atom], latex: str) -> Side:
    vis = _visible(atoms)
    terms: list[Term] = []
    current: list[Atom] = []
    sign: Atom | None = None
    for atom in vis:
        if atom.kind in ("op", "sep") and (current or sign is not None):
            if current:
                terms.append(_term(sign, current))
            current, sign = [], atom
        elif atom.kind == "op":
            sign = atom
        else:
            current.append(atom)
    if current:
        terms.append(_term(sign, current))
    return Side(vis[0].start, vis[-1].end, tuple(terms))


def _term(sign: Atom | None, atoms: list[Atom]) -> Term:
    factors: list[Factor] = []
    i = 0
    while i < len(atoms):
        factor, i = _factor(atoms, i)
        if factor is not None:
            factors.append(factor)
    return Term(atoms[0].start, atoms[-1].end, sign, tuple(factors))


def _factor(atoms: list[Atom], i: int) -> tuple[Factor | None, int]:
    base = atoms[i]
    if base.kind in ("mul", "script", "prime", "other", "op", "rel", "sep"):
        return None, i + 1
    sub, sup, end, j = _scripts(atoms, i + 1, None, None, base.end)
    kind = _factor_kind(base)
    inner: list[tuple[SpanKind, Seq]] = _inner_of(base, kind)
    if kind in ("func", "bigop", "style") and j < len(atoms) and atoms[j].kind == "bracket" and _is_function(base, kind):
        inner.append(("argument", atoms[j].args[0]))
        kind = "func"
        sub, sup, end, j = _scripts(atoms, j + 1, sub, sup, atoms[j].end)
    elif kind in ("symbol", "style") and j < len(atoms) and atoms[j].kind == "bracket" and atoms[j].name == "(" \
            and atoms[j].start == end:
        inner.append(("argument", atoms[j].args[0]))  # f(x), R(\mathbf{p}): an application, not a product
        sub, sup, end, j = _scripts(atoms, j + 1, sub, sup, atoms[j].end)
    elif kind == "bigop" and j < len(atoms):
        body = atoms[j:]
        inner.append(("body", Seq(body[0].start, body[-1].end, tuple(body))))
        end, j = body[-1].end, len(atoms)
    if sup is not None and kind != "bigop":
        inner.append(("exponent", sup))
    return Factor(kind, base.start, end, base, sub, sup, tuple(inner)), j


def _scripts(atoms: list[Atom], j: int, sub: Seq | None, sup: Seq | None, end: int):
    """Read ``_x``, ``^{..}`` and primes after a primary; returns (sub, sup, end, next index)."""
    while j < len(atoms) and atoms[j].kind in ("script", "prime"):
        if atoms[j].kind == "prime":
            end, j = atoms[j].end, j + 1
            continue
        if j + 1 >= len(atoms):
            break
        arg = atoms[j + 1]
        seq = arg.args[0] if arg.kind == "group" else Seq(arg.start, arg.end, (arg,))
        if atoms[j].name == "_":
            sub = seq
        else:
            sup = seq
        end, j = arg.end, j + 2
    return sub, sup, end, j


def _factor_kind(base: Atom) -> FactorKind:
    if base.kind == "sym":
        return "symbol"
    if base.kind == "num":
        return "number"
    if base.kind in ("bracket", "group"):
        return "bracket"
    if base.kind != "macro":
        return "other"
    name = base.name
    if name in ("frac", "dfrac", "tfrac", "cfrac", "binom"):
        return "frac"
    if name == "sqrt":
        return "sqrt"
    if name in _BIGOP:
        return "bigop"
    if name in _FUNC:
        return "func"
    if name in _STYLE:
        return "style"
    if name in _GREEK or (name.isalpha() and name not in _NON_SYMBOLS):
        return "symbol"
    return "other"


def _is_function(base: Atom, kind: FactorKind) -> bool:
    """``\\log(..)``, ``\\max(..)``, ``\\mathbb{E}[..]``, ``\\mathrm{diag}(..)`` apply to the bracket after them."""
    if kind == "func" or (kind == "bigop" and base.name in _FUNCTION_LIKE_BIGOPS):
        return True
    word = "".join(a.name for a in base.args[0].atoms) if base.args else ""
    return (base.name in ("operatorname", "mathrm") and len(word) >= 2 and word.isalpha()) or (
        base.name == "mathbb" and word in ("E", "P", "V"))


def _inner_of(base: Atom, kind: FactorKind) -> list[tuple[SpanKind, Seq]]:
    if kind == "frac" and len(base.args) == 2:
        return [("numerator", base.args[0]), ("denominator", base.args[1])]
    if kind == "sqrt" and base.args:
        return [("radicand", base.args[-1])]
    if kind == "bracket" and base.args:
        return [("bracket", base.args[0])]
    return []


_MARKERS = frozenset({"T", "H", "*", "\\top", "\\dagger", "\\ast", "\\star", "-1", "\\prime", "\\mathsf{H}",
                      "\\mathsf{T}", "\\mathrm{H}", "\\mathrm{T}", "\\mathcal{H}", "\\mathcal{T}", "\\intercal"})


# --- maskable spans ----------------------------------------------------------------------------


def _collect(side: Side, depth: int, spans: list[Span], factors: list[Factor], latex: str) -> None:
    if len(side.terms) > 1:
        spans.extend(Span(t.start, t.end, "term", depth) for t in side.terms)
    if len(side.terms) == 1 and depth > 0:
        spans.append(Span(side.start, side.end, "term", depth))
    for term in side.terms:
        if len(term.factors) > 1:  # a function name without its argument is no blank: \sin of \sin\theta
            spans.extend(Span(f.start, f.end, "factor", depth) for f in term.factors if f.kind != "func" or f.inner)
        for factor in term.factors:
            factors.append(factor)
            for kind, seq in factor.inner:
                if kind == "exponent" and (_is_marker_text(latex[seq.start:seq.end]) or _TEXTUAL.match(latex[seq.start:seq.end])):
                    continue
                sub_sides = _split_relations(list(seq.atoms), seq.start, seq.end, latex)
                if len(sub_sides) != 1:  # a relation inside (an indicator's condition): no blank, but its symbols count
                    for sub_side in sub_sides:
                        _collect(sub_side, depth + 1, [], factors, latex)
                    continue
                inner_side = sub_sides[0]
                spans.append(Span(inner_side.start, inner_side.end, kind, depth + 1))
                _collect(inner_side, depth + 1, spans, factors, latex)


# A superscript that labels rather than raises to a power: ^{\mathrm{cmp}}, ^{\star}, ^{(t)}.
_TEXTUAL = re.compile(r"^\s*(?:\\(?:mathrm|text|textrm|rm|mathsf|star|ast|prime|circ|dagger|top)\b|\(\w+\)\s*$|[*'])")


def _is_marker_text(text: str) -> bool:
    return "".join(text.split()) in _MARKERS


# Pieces never worth a blank: a lone \text{..} or other text group, an ellipsis, a quantifier.
_UNMASKABLE = re.compile(rf"^(?:\\(?:{'|'.join(sorted(_TEXT))})\s*\{{[^{{}}]*\}}|\\[lcvd]?dots|\\forall|\\exists|\\infty)$")
# Prose written in maths ("Relative \thinspace error"): words, never a blank of their own nor a symbol.
_PROSE = re.compile(r"^(?:[a-z]{3,}|[A-Z][a-z]{2,})$")
_PROSE_RUN = re.compile(rf"^(?:[A-Za-z]{{3,}}(?:\s|\\(?:{'|'.join(sorted(n for n in _SPACES if n.isalpha()))})\b|\\[,;:! ])*)+$")


def _unique_spans(spans: list[Span], latex: str) -> tuple[Span, ...]:
    """Spans trimmed of surrounding whitespace, without repeats or lone text/ellipsis pieces."""
    seen: dict[tuple[int, int], Span] = {}
    for span in spans:
        text = latex[span.start:span.end]
        start = span.start + len(text) - len(text.lstrip())
        end = span.end - (len(text) - len(text.rstrip()))
        piece = latex[start:end]
        if end > start and count_tokens(piece) > 0 and not _UNMASKABLE.match(piece) and not _is_prose(piece):
            seen.setdefault((start, end), Span(start, end, span.kind, span.depth))
    return tuple(sorted(seen.values(), key=lambda s: (s.start, -s.end)))


def _is_prose(piece: str) -> bool:
    """Whether a piece is only words of prose ("Relative \\thinspace error"), not an acronym."""
    return bool(_PROSE_RUN.match(piece)) and all(_PROSE.match(w) for w in re.findall(r"(?<!\\)[A-Za-z]+", piece))


def symbols(tree: Tree) -> list[str]:
    """The symbols of the equation (base plus subscript, no exponent), in order of appearance."""
    out: list[str] = []
    for factor in tree.factors:
        if factor.kind not in ("symbol", "style") or not _is_symbol_base(factor.base, tree.latex):
            continue
        end = _script_end(tree.latex, factor.sub) if factor.sub else factor.base.end
        sup_text = tree.latex[factor.sup.start:factor.sup.end] if factor.sup else ""
        label = factor.sup is not None and bool(_TEXTUAL.match(sup_text)) and not _is_marker_text(sup_text)
        if label:
            end = max(end, _script_end(tree.latex, factor.sup))
        text = tree.latex[factor.base.start:max(end, factor.base.end)].strip()
        if factor.sub and factor.sup and not label and factor.sup.start < factor.sub.start:
            # \mathbf{U}^\dagger_{r} is \mathbf{U}_{r} transposed: the symbol is the base and its subscript
            underscore = tree.latex.rfind("_", factor.base.end, factor.sub.start + 1)
            text = (tree.latex[factor.base.start:factor.base.end] + tree.latex[underscore:end]).strip()
        if text not in out:
            out.append(text)
    return out


def _script_end(latex: str, seq: Seq) -> int:
    """End of a script including its closing brace when it is braced."""
    braced = latex[seq.start - 1:seq.start] == "{"
    return seq.end + (1 if braced and latex[seq.end:seq.end + 1] == "}" else 0)


def _is_symbol_base(base: Atom, latex: str) -> bool:
    if base.kind == "sym":
        return not _PROSE.match(base.name)  # TXOP is a symbol; "error" is a word
    if base.name in _GREEK:
        return True
    if base.name in _STYLE and base.name not in _TEXT:
        word = latex[base.args[0].start:base.args[0].end].strip() if base.args else ""
        return bool(word) and not _is_prose(word)
    return False

"""Which glossary entry defines a symbol of an equation.

Tried in order, the first hit wins:

1. ``exact``: the same symbol up to spacing, braces and spelling (``h_{k}`` = ``h_k``,
   ``\\boldsymbol{h}`` = ``\\mathbf{h}``), by the verifier's canonical key;
2. ``index``: the same symbol with another generic index or a number (``h_k`` or ``h_1``
   defined as ``h_i``; not ``N_t`` as ``N_r``: t and r are labels), the description told of the
   new index ("the power of user $i$" for ``p_i`` → "the power of user $1$" for ``p_1``);
3. ``power``: the entry is the symbol squared (``\\sigma`` defined as ``\\sigma^2``);
4. ``optimum``: the symbol marked as an optimum (``\\gamma^\\star``, ``p_k^{\\mathrm{opt}}``) whose
   unmarked symbol is defined, by one of the rules above.

Nothing else borrows a definition: a decoration or a subscript the entry lacks is a label
that may change the meaning (``d_{ij}`` is no instance of the dimension ``d``, ``P_{\\max}`` of
``P``, ``\\hat{x}`` may or may not be an estimate of ``x``), and a wrong definition is worse than
none: the symbol is left undefined.

:func:`definitions_near` picks, for one equation, which of the paper's definitions of a symbol
apply: its own "where" clause, then the nearest one of its section, then the nearest elsewhere,
then the paper's glossary; a definition from elsewhere that another one contradicts applies not
at all (a paper may use $\\sigma$ for an involution in one section and a noise level in another).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from wmbench.ingest.definitions import contradicts, names_something
from wmbench.paper import Paper

MatchKind = Literal["exact", "index", "power", "optimum"]
_V = TypeVar("_V")

# A square: the glossary defines \sigma^2, the equation uses \sigma.
_SQUARE = re.compile(r"\^(?:2|\{2\})$")
# A superscript that marks the optimum of the same quantity (not ^* or ^\ast: as often a conjugate).
OPTIMUM_MARK = re.compile(r"\^(?:\\star|\{\s*(?:\\star|\\mathrm\{opt\}|\\text\{opt\}|\\rm\s*opt)\s*\})")
_GENERIC = "ijklmnqu"  # letters that run over users, antennas, elements...; others (t, r, s...) are labels
# Generic indices ending a defined symbol: one letter or several (h_k, \beta_{mk}, d_{i,j}).
_GENERIC_INDICES = re.compile(rf"_(?:[{_GENERIC}]|\{{[{_GENERIC}](?:,?[{_GENERIC}])*\}})$")
# Indices generic ones may stand for in an equation: other generic letters or numbers (h_1 for h_k,
# \beta_{1k} for \beta_{mk}); a number of several digits in a group is one index (h_{12}).
_INSTANCE_INDICES = re.compile(rf"_(?:[{_GENERIC}0-9]|\{{(?:[{_GENERIC}]|[0-9]+)(?:,?(?:[{_GENERIC}]|[0-9]+))*\}})$")


@dataclass(frozen=True)
class Match:
    """A definition found for a symbol: the glossary's symbol, its description, and how it matched."""

    key: str
    description: str
    kind: MatchKind


class Glossary:
    """A symbol → description mapping indexed for :meth:`find` (earlier entries win; descriptions
    that are no noun phrase are left out)."""

    def __init__(self, definitions: Mapping[str, str]) -> None:
        self._exact: dict[str, tuple[str, str]] = {}
        self._index: dict[str, tuple[str, str]] = {}
        self._power: dict[str, tuple[str, str]] = {}
        for key, description in definitions.items():
            if not names_something(description):
                continue  # "measured in bit/s/Hz" says something about the symbol but does not define it
            entry = (key, description)
            self._exact.setdefault(symbol_key(key), entry)
            if _GENERIC_INDICES.search(_plain(key)):
                self._index.setdefault(_generic(key), entry)
            if _SQUARE.search(_plain(key)):
                self._power.setdefault(symbol_key(_SQUARE.sub("", _plain(key))), entry)

    def find(self, symbol: str) -> Match | None:
        """The definition of ``symbol``, or None."""
        if match := self._find_unmarked(symbol):
            return match
        unmarked = OPTIMUM_MARK.sub("", _plain(symbol))
        if unmarked != _plain(symbol) and (match := self._find_unmarked(unmarked)) and match.kind != "power":
            return Match(match.key, match.description, "optimum")
        return None

    def _find_unmarked(self, symbol: str) -> Match | None:
        hit = self._exact.get(symbol_key(symbol))
        if hit:
            return Match(*hit, "exact")
        if _INSTANCE_INDICES.search(_plain(symbol)) and (hit := self._index.get(_generic(symbol))):
            key, description = hit
            return Match(key, _reindexed(description, _indices(key), _indices(symbol)), "index")
        if hit := self._power.get(symbol_key(symbol)):
            return Match(*hit, "power")
        return None


def definitions_near(paper: Paper, index: int) -> dict[str, str]:
    """The definitions that apply to ``paper.equations[index]``, nearest first: its own, then
    those of the other equations of its section by distance, then of the rest of the paper by
    distance, then the glossary. A symbol first defined outside its section is left out when
    another definition of the paper contradicts that one (:func:`contradicts`): nothing decides
    which meaning the equation uses."""
    equation = paper.equations[index]
    others = sorted((j for j in range(len(paper.equations)) if j != index),
                    key=lambda j: (paper.equations[j].section != equation.section, abs(j - index), j))
    local = dict(equation.definitions)
    for j in others:
        if paper.equations[j].section != equation.section:
            break
        for symbol, description in paper.equations[j].definitions.items():
            local.setdefault(symbol, description)
    candidates: dict[str, list[str]] = {}  # canonical key -> the descriptions from elsewhere, nearest first
    spelled: dict[str, str] = {}
    distant = [paper.equations[j].definitions for j in others if paper.equations[j].section != equation.section]
    for definitions in (*distant, paper.glossary):
        for symbol, description in definitions.items():
            if names_something(description):
                candidates.setdefault(symbol_key(symbol), []).append(description)
                spelled.setdefault(symbol_key(symbol), symbol)
    known = {symbol_key(symbol) for symbol in local}
    for key, descriptions in candidates.items():
        if key not in known and not any(contradicts(descriptions[0], d) for d in descriptions[1:]):
            local[spelled[key]] = descriptions[0]
    return local


class SymbolTable(Generic[_V]):
    """Any value per symbol, found by the same symbol up to spelling, or by another generic index
    (``h_k`` finds what the paper says of ``h_i``)."""

    def __init__(self, values: Mapping[str, _V]) -> None:
        self._exact: dict[str, _V] = {}
        self._index: dict[str, _V] = {}
        for key, value in values.items():
            self._exact.setdefault(symbol_key(key), value)
            if _GENERIC_INDICES.search(_plain(key)):
                self._index.setdefault(_generic(key), value)

    def find(self, symbol: str) -> _V | None:
        hit = self._exact.get(symbol_key(symbol))
        if hit is None and _INSTANCE_INDICES.search(_plain(symbol)):
            hit = self._index.get(_generic(symbol))
        return hit


def _indices(latex: str) -> list[str]:
    """The indices ending a symbol (``["k"]`` of ``p_{k}``, ``["1"]`` of ``h_1``, ``["m", "k"]`` of ``\\beta_{mk}``)."""
    return re.findall(r"[0-9]+|[A-Za-z]", _INSTANCE_INDICES.search(_plain(latex)).group(0))


def _reindexed(description: str, old: list[str], new: list[str]) -> str:
    """``description`` of a symbol indexed by ``old`` told of the one indexed by ``new``: "the
    power of user $k$" for ``p_k`` is "the power of user $i$" for ``p_i`` (all indices at once);
    "the $u$-th user" for ``s_u`` is "the 1st user" for ``s_1``, and the index's range ("for
    $u=1,\\dots,U$") is left out."""
    renamed = dict(zip(old, new))
    numbered = [o for o, n in renamed.items() if n.isdigit() and o != n]
    for index in numbered:
        description = re.sub(rf",?\s*(?:for|with)\s+\${index}\s*(?:=|\\in)[^$]*\$", "", description)
        description = re.sub(rf"\${index}\$-?th\b", _ordinal(renamed[index]), description)
    return re.sub(r"\$([A-Za-z]|[0-9]+)\$", lambda m: f"${renamed.get(m.group(1), m.group(1))}$", description)


def _ordinal(number: str) -> str:
    """"1st", "2nd", "3rd", "11th", "22nd"."""
    n = int(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _plain(latex: str) -> str:
    """Whitespace-free LaTeX with single-character groups unbraced (``h_{k}`` → ``h_k``)."""
    text = "".join(latex.split())
    return re.sub(r"([_^])\{(\\?[A-Za-z0-9])\}", r"\1\2", text)


def _generic(latex: str) -> str:
    """The symbol with its indices as placeholders, one per index: ``\\beta_{mk}`` → ``\\beta_{□□}``."""
    plain = _plain(latex)
    match = _INSTANCE_INDICES.search(plain)
    return symbol_key(plain[:match.start()] + "_{" + "□" * len(_indices(latex)) + "}") if match else symbol_key(plain)


def symbol_key(latex: str) -> str:
    """The verifier's canonical key (spelling-independent), or the plain form if it cannot parse."""
    from wmbench.verify.normalize import canonical_key

    try:
        return canonical_key(latex)
    except Exception:  # noqa: BLE001 - a symbol the normaliser cannot read still matches by text
        return _plain(latex)

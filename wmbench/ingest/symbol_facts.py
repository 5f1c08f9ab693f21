r"""What a paper states about a symbol besides its meaning: its set or dimension, its unit, its domain.

Read from LaTeX prose and equations, each by a pattern of its own:

* ``space``  the set a symbol lies in, with its dimension: ``$\mathbf{h}_k \in \mathbb{C}^{N\times 1}$``,
  ``$\mathbf{H}, \mathbf{G} \in \mathbb{C}^{M\times N}$``; "$\mathbf{w}$ is an $N\times 1$ vector",
  "the $M\times N$ channel matrix $\mathbf{G}$" (``\mathbb{?}`` left open: a size only);
* ``domain`` the values it takes, as the paper's own statement: ``$\theta_n \in [0, 2\pi)$``,
  ``$\beta \in \{0, 1\}$``, ``$P > 0$``, ``$0 \le \rho \le 1$``;
* ``unit``   "$B$ (in Hz)", "$P$ (W)", "$d$ in meters", "$\sigma^2$ (dBm)".

The first statement of each kind for a symbol wins, in reading order, so the result is deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from wmbench.ingest.definitions import latex_symbol
from wmbench.ingest.glossary import is_latex_symbol

_UNITS = (r"dB[mWi]?|[kMG]?Hz|[mk]?W|watts?|[mk]?m|meters?|metres?|kilometers?|k?m/s|[mµμ]?s|seconds?|"
          r"milliseconds?|rad|radians?|degrees?|bits?/s/Hz|bps/Hz|bits?/s|bps|bits?|nats?|[mk]?J|joules?|"
          r"W/Hz|dBm/Hz|kelvin")
_UNIT_AFTER = re.compile(rf"^\s*(?:\(\s*(?:in\s+|measured\s+in\s+)?(?P<paren>{_UNITS})\s*\)|,?\s+(?:in|measured\s+in)\s+"
                         rf"(?P<bare>{_UNITS})(?![\w/]))")
# A symbol (or a list of them) before \in, <, >, \le, \ge inside one inline maths: "$x, y \in S$".
_MATH = re.compile(r"\$(?P<body>[^$]+)\$")
_SYMBOL_LIST = r"(?P<symbols>(?:[^$,=]+?,\s*)*[^$,=<>]+?)"
_BRACED = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"  # a group with up to two nested levels
# "x \in \mathbb{C}^{N\times 1}", maybe followed by another relation ("\succeq \mathbf{0}") or a comma
_IN_SPACE = re.compile(rf"^{_SYMBOL_LIST}\s*\\in\s*(?P<set>\\mathbb\s*\{{[CRZN]\}}(?:\^\s*{_BRACED}|\^\s*\\?\w+|_\{{?\+\}}?|_\+)*)"
                       rf"\s*(?:$|[,.;]|\\succeq|\\succ|\\preceq|\\sim|=)")
# "\mathbf{a} = [a_1, ..., a_M]^T \in \mathbb{C}^{M}": the set is the left-hand side's
_DEFINED_IN = re.compile(rf"^(?P<symbol>[^=$]+?)\s*=(?P<value>[^=]+?)\\in\s*(?P<set>\\mathbb\s*\{{[CRZN]\}}(?:\^\s*{_BRACED}|\^\s*\\?\w+)*)"
                         rf"\s*(?:$|[,.;]|\\sim)")
_IN_INTERVAL = re.compile(rf"^{_SYMBOL_LIST}\s*\\in\s*(?P<set>(?:\\left)?[\[(](?:[^$\[\]()]|\([^()]*\))+[\])](?:\\right)?|\\\{{[^$]+?\\\}})\s*$")
_BOUND = re.compile(r"^(?P<symbol>[^$<>=]+?)\s*(?P<rel>>|<|\\geq?|\\leq?|\\geqslant|\\leqslant)\s*(?P<value>-?\d+(?:\.\d+)?)\s*$")
_BETWEEN = re.compile(r"^(?P<low>-?\d+(?:\.\d+)?)\s*(?P<r1><|\\leq?)\s*(?P<symbol>[^$<>=]+?)\s*(?P<r2><|\\leq?)\s*(?P<high>-?\d+(?:\.\d+|\\pi)?)\s*$")
# "an $N\times 1$ vector", "the $M \times N$ channel matrix $\mathbf{G}$"
_SIZE = r"\$(?P<size>[^$]*?\\times[^$]*?)\$(?:-dimensional)?\s+(?:[A-Za-z-]+\s+){0,3}?(?:vector|matrix)"
_SIZE_BEFORE = re.compile(rf"(?P<symbol>\$[^$]+\$)\s+(?:is|be|denotes|represents)\s+(?:an?|the)\s+{_SIZE}")
_SIZE_AFTER = re.compile(rf"\b(?:an?|the)\s+{_SIZE}\s+(?P<symbol>\$[^$]+\$)")


@dataclass(frozen=True)
class SymbolFacts:
    """LaTeX of the set (``\\mathbb{C}^{N\\times 1}``) or size (``N\\times 1``), the statement of the
    domain (``\\theta \\in [0, 2\\pi)``, ``P > 0``) and the unit ("dB") a paper gives a symbol; None
    when it gives none."""

    space: str | None = None
    domain: str | None = None
    unit: str | None = None


def symbol_facts(texts: Iterable[str], equations: Iterable[str] = ()) -> dict[str, SymbolFacts]:
    """{symbol LaTeX: facts} from prose ``texts`` (with ``$...$`` maths) and display ``equations``."""
    facts: dict[str, SymbolFacts] = {}

    def add(symbol: str, **fact: str) -> None:
        symbol = re.sub(r"^(?:\\[ ,;:!]|\s)+", "", " ".join(symbol.split()))  # "\ x": a space before x
        if not symbol or len(symbol) > 40 or not is_latex_symbol(symbol):
            return
        old = facts.get(symbol, SymbolFacts())
        new = {k: v for k, v in fact.items() if getattr(old, k) is None}
        if new:
            facts[symbol] = replace(old, **new)

    for text in texts:
        text = " ".join(text.split())
        for match in _MATH.finditer(text):
            _maths_facts(match.group("body"), add)
            if unit := _UNIT_AFTER.match(text[match.end():]):
                add(latex_symbol(match.group(0)), unit=unit.group("paren") or unit.group("bare"))
        for pattern in (_SIZE_BEFORE, _SIZE_AFTER):
            for match in pattern.finditer(text):
                add(latex_symbol(match.group("symbol")), space=match.group("size").strip())
    for latex in equations:
        for part in re.split(r",\s*(?:\\q?quad)?|\\q?quad", latex):
            _maths_facts(part, add)
    return facts


def _maths_facts(body: str, add) -> None:
    body = body.strip()
    if match := _DEFINED_IN.match(body):
        add(match.group("symbol").strip(), space=match.group("set"))
    elif match := _IN_SPACE.match(body):
        for symbol in _split_symbols(match.group("symbols")):
            add(symbol, space=match.group("set"))
    elif match := _IN_INTERVAL.match(body):
        for symbol in _split_symbols(match.group("symbols")):
            add(symbol, domain=body)
    elif match := _BETWEEN.match(body) or _BOUND.match(body):
        add(match.group("symbol").strip(), domain=body)


def _split_symbols(text: str) -> list[str]:
    """The symbols of "x, y_{k,n}" (commas inside braces belong to a symbol), each one symbol."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]

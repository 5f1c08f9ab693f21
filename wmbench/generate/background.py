"""The Background paragraph: a scenario sentence from the paper plus a definition per symbol.

Definitions come from the "where x is ..." clauses ingestion attached to the equation
(:attr:`wmbench.paper.Equation.definitions`), to which the build adds the rest of the paper's
definitions and its glossary; :mod:`wmbench.generate.symbol_match` decides which entry defines
an equation's symbol (``h_k`` by ``h_{k}`` or ``h_i``, ``\\hat{\\gamma}`` by ``\\gamma``). Symbols of
the equation with no definition are returned so the problem can flag them. Nothing here may give
away a masked answer verbatim: sentences and definitions that contain one are dropped (see
:func:`leaks`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from wmbench.generate.latex_tree import count_tokens, parse, symbols
from wmbench.generate.symbol_match import Glossary, Match
from wmbench.paper import Equation, Paper

MAX_SCENARIO_CHARS = 320
# A superscript marking the optimum of a quantity: x^\star, x^{\mathrm{opt}}.
_OPTIMUM = re.compile(r"\^(?:\\star|\{\s*(?:\\star|\\ast|\\mathrm\{opt\}|\\text\{opt\}|\\rm\s*opt)\s*\})")
MAX_SUBJECT_CHARS = 80  # a longer description names an equation clumsily: its topic does instead
# A sentence ends at ". " before a capital letter or at the end of the text.
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\\$])")
# Letters that are constants or operators, not symbols to define.
_NOT_SYMBOLS = frozenset({"e", "j", "i", "d", "\\pi", "\\mathrm{d}", "\\mathrm{e}", "\\mathrm{j}"})


@dataclass(frozen=True)
class Background:
    text: str
    undefined: tuple[str, ...]


def norm(latex: str) -> str:
    """Whitespace-free LaTeX with single-character groups unbraced (``h_{k}`` → ``h_k``)."""
    text = "".join(latex.split())
    return re.sub(r"([_^])\{(\\?[A-Za-z0-9])\}", r"\1\2", text)


def leaks(answer: str, text: str, defined: set[str] = frozenset()) -> bool:
    """Whether ``text`` shows the compound answer verbatim (a lone symbol or number does not count)."""
    key = norm(answer)
    if key in defined or count_tokens(answer) < 3:
        return False
    return key in norm(text)


@lru_cache(maxsize=4096)
def equation_symbols(latex: str) -> tuple[str, ...]:
    """Symbols of an equation that need a definition, in order of appearance (cached: the
    backgrounds and the gates of an equation's five problems all ask)."""
    return tuple(s for s in symbols(parse(latex)) if norm(s) not in _NOT_SYMBOLS)


def build_background(paper: Paper, equation: Equation, latex: str, hidden: tuple[str, ...]) -> Background:
    """Scenario sentence(s) plus "Here, $x$ denotes ..." for each symbol; flags undefined ones."""
    return BackgroundWriter(paper, equation, latex).write(hidden)


class BackgroundWriter:
    """The backgrounds of one equation's problems: the symbols and the glossary are looked up
    once, then each problem's background depends only on the answers it hides."""

    def __init__(self, paper: Paper, equation: Equation, latex: str) -> None:
        self.paper, self.equation = paper, equation
        self.symbols = equation_symbols(latex)
        self.defined = {norm(s) for s in self.symbols}
        self.glossary = Glossary(equation.definitions)

    def subject(self, lhs: str | None, hidden: tuple[str, ...]) -> str | None:
        """What the paper says ``lhs`` is ("the SINR of user $k$"), for naming the equation in a
        question; None when it is not defined as itself, is long, or would show a hidden answer."""
        if not lhs:
            return None
        base = _OPTIMUM.sub("", lhs)  # \theta_n^\star is the optimal value of \theta_n
        match = self.glossary.find(base)
        if match is None or match.kind not in ("exact", "index"):
            return None
        description = re.sub(r"^(?:a|an)\s", "the ", " ".join(match.description.split()).rstrip(".,; "))
        if base != lhs:
            if not description.startswith("the "):
                return None
            description = "the optimal " + description.removeprefix("the ")
        if len(description) > MAX_SUBJECT_CHARS or any(leaks(a, description, self.defined) for a in hidden):
            return None
        return description

    def write(self, hidden: tuple[str, ...]) -> Background:
        definitions, undefined = _definitions(self.symbols, self.glossary, hidden, self.defined)
        text = _scenario(self.paper, self.equation, hidden, self.defined)
        if definitions:
            text += " Here, " + _join(definitions) + "."
        return Background(text.strip(), tuple(undefined))


def _scenario(paper: Paper, equation: Equation, hidden: tuple[str, ...], defined: set[str]) -> str:
    title = (paper.title or "").strip().rstrip(".")
    where = f", section \"{equation.section.strip()}\"" if equation.section else ""
    opening = (f"This problem is based on the paper \"{title}\"{where}." if title
               else "This problem is based on a wireless communications paper.")
    for sentence in _sentences(equation.context_before):
        if _usable(sentence) and not any(leaks(a, sentence, defined) for a in hidden):
            return f"{opening} {sentence}"
    for sentence in _sentences(paper.abstract)[:2]:
        if _usable(sentence) and not any(leaks(a, sentence, defined) for a in hidden):
            return f"{opening} {sentence}"
    return opening


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(" ".join((text or "").split())) if s.strip()]


def _usable(sentence: str) -> bool:
    """A complete sentence of plain length, with balanced inline maths and no display maths."""
    return (40 <= len(sentence) <= MAX_SCENARIO_CHARS and sentence.endswith(".") and sentence[0].isupper()
            and sentence.isascii()
            and sentence.count("$") % 2 == 0 and "$$" not in sentence and "\\[" not in sentence)


def _definitions(syms: tuple[str, ...], glossary: Glossary, hidden: tuple[str, ...],
                 defined: set[str]) -> tuple[list[str], list[str]]:
    """One "$x$ denotes ..." fragment per description; a fragment that would leak an answer is dropped."""
    grouped: dict[tuple[str, str], list[str]] = {}  # (description, variant of) -> symbols shown, in order
    undefined: list[str] = []
    for sym in syms:
        match = glossary.find(sym)
        desc = " ".join(match.description.split()).rstrip(".,; ") if match else ""
        shown, via = _shown(sym, match) if match else (sym, "")
        if not desc or any(leaks(a, f"${shown}$ ${via}$ {desc}", defined) for a in hidden):
            undefined.append(sym)
        elif shown not in grouped.setdefault((desc, via), []):
            grouped[(desc, via)].append(shown)
    shown_itself = {key for (_, via), keys in grouped.items() if not via for key in keys}
    return [_fragment(keys, desc, via, via in shown_itself) for (desc, via), keys in grouped.items()], undefined


def _shown(sym: str, match: Match) -> tuple[str, str]:
    """The symbol to show, and the defined symbol it is a variant of ('' when it is defined itself)."""
    if match.kind == "power":
        return match.key, ""  # "\sigma^2 denotes the noise variance" defines \sigma
    if match.kind == "variant":
        return sym, match.key
    return sym, ""


def _fragment(keys: list[str], desc: str, via: str, via_shown: bool = False) -> str:
    """"$x$ denotes ...", or "$\\hat{x}$ is a variant of $x$" (", which denotes ..." unless $x$ has
    its own fragment)."""
    symbols = _join([f"${k}$" for k in keys])
    if via:
        variant = f"{symbols} {'is a variant' if len(keys) == 1 else 'are variants'} of ${via}$"
        return variant if via_shown else f"{variant}, which denotes {desc}"
    return f"{symbols} {'denotes' if len(keys) == 1 else 'denote'} {desc}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]

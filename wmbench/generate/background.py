"""The Background paragraph: the paper's scenario, then a definition per symbol.

The scenario comes first from the system-model section (the first usable sentence of its prose,
one that sets the scene: "We consider a downlink ..."), then from the prose just before the
equation, and from the abstract when the paper has no such section. Definitions come from the
"where x is ..." clauses ingestion attached to the equation
(:attr:`wmbench.paper.Equation.definitions`), to which the build adds the rest of the paper's
definitions and its glossary; :mod:`wmbench.generate.symbol_match` decides which entry defines
an equation's symbol (``h_k`` by ``h_{k}`` or ``h_i``, ``\\gamma^\\star`` by ``\\gamma``; never
``d_{ij}`` by ``d``). Each
definition carries what the paper states of the symbol's set or dimension, unit and domain
(:mod:`wmbench.ingest.symbol_facts`): "$\\mathbf{h}_k \\in \\mathbb{C}^{N\\times 1}$ denotes the
channel of user $k$", "$B$ denotes the bandwidth (in Hz)". Symbols of the equation with no
definition are returned so the problem can flag them. Nothing here may give away a masked answer
verbatim: sentences and definitions that contain one are dropped (see :func:`leaks`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from wmbench.generate.latex_tree import count_tokens, parse, symbols
from wmbench.generate.symbol_match import OPTIMUM_MARK, Glossary, Match, SymbolTable, symbol_key
from wmbench.ingest.symbol_facts import SymbolFacts, symbol_facts
from wmbench.paper import Equation, Paper

MAX_SCENARIO_CHARS = 320
MAX_SUBJECT_CHARS = 80  # a longer description names an equation clumsily: it is named neutrally instead
# A sentence ends at ". " before a capital letter or at the end of the text.
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\\$])")
# Letters that are constants or operators, not symbols to define.
_NOT_SYMBOLS = frozenset({"e", "j", "i", "d", "\\pi", "\\mathrm{d}", "\\mathrm{e}", "\\mathrm{j}"})
# Standard objects every reader of the field knows: an identity, all-zeros or all-ones matrix or
# vector (of any size: \mathbf{I}_N), the circularly-symmetric complex Gaussian law.
_STANDARD_SYMBOL = re.compile(r"^\\(?:mathbf|boldsymbol|bm)\{[I01]\}(?:_.*)?$|^\\mathcal\{CN\}$")
# Sections whose prose sets the scene, best first.
_SCENE_SECTIONS = (re.compile(r"system\s+model|system\s+setup|system\s+description|signal\s+model|network\s+model",
                              re.IGNORECASE),
                   re.compile(r"model|problem\s+formulation|preliminar|scenario", re.IGNORECASE))
# A sentence that sets the scene: what is considered, studied, deployed, equipped, served...
_SCENE_WORDS = re.compile(r"\b(?:consider(?:s|ed)?|we\s+(?:study|investigate|focus)|equipped|serv(?:es|ed|ing)|"
                          r"deploy(?:s|ed)|assisted|aided|consists?\s+of|comprising|networks?|systems?|scenarios?)\b", re.IGNORECASE)
# A sentence that leans on the one before it ("Conversely, ...", "Moreover, ...") sets no scene alone.
_LEANS_BACK = re.compile(r"^(?:Conversely|However|Moreover|Furthermore|Therefore|Thus|Hence|Similarly|Also|Then|Finally|"
                         r"Besides|Meanwhile|Accordingly|Consequently|Otherwise|Instead|Likewise|Nevertheless|Next|"
                         r"In\s+addition|On\s+the\s+other\s+hand|As\s+a\s+result|Note\s+that|In\s+this\s+case|Here|"
                         r"(?:This|These)(?!\s+(?:paper|work|article|letter)\b)|It|They|Such)\b")
# What a reader of the problem cannot follow: a figure or a section of the paper, a citation, a lost reference.
_POINTS_ELSEWHERE = re.compile(r"\b(?:Fig(?:ure)?s?\b\.?|Table|Section|Sec\.|Appendix|Eq\.|Eqs\.|et al)|\?|\[\d|"
                               r"\\(?:cite|ref|eqref|item)|^(?:In|This) (?:this )?(?:section|subsection)\b"
                               r"|(?:^|\s)[*•]\s", re.IGNORECASE)  # a list bullet: no sentence


@dataclass(frozen=True)
class Background:
    text: str
    undefined: tuple[str, ...]
    defined: tuple[str, ...] = ()  # the symbols the text defines


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


# The running index of a sum, product, union or extremum: the k of \sum_{k=1}^{K}, \max_{n \in \mathcal{N}},
# \sum_k; and the variable of an integral's differential (\mathrm{d}x, \,dx).
_BOUND_INDEX = re.compile(r"\\(?:sum|prod|bigcup|bigcap|max|min|sup|inf)\s*(?:\\limits\s*)?_\s*(?:\{\s*"
                          r"(?P<index>\\?[A-Za-z]+)\s*(?:=|\\in\b|\\neq\b|\\ne\b|<|\\leq?\b|\})|(?P<single>[A-Za-z]))"
                          r"|(?:\\(?:mathrm|text|operatorname)\{d\}|\\[,;!]\s*d)\s*(?P<variable>\\?[A-Za-z]+)")


@lru_cache(maxsize=4096)
def equation_symbols(latex: str) -> tuple[str, ...]:
    """Symbols of an equation that need a definition, in order of appearance (cached: the
    backgrounds and the gates of an equation's five problems all ask). A sum's running index and
    an integral's variable are bound by the operator and need none; nor do constants (e, j, \\pi)
    and standard objects (:data:`_STANDARD_SYMBOL`)."""
    bound = {name for m in _BOUND_INDEX.finditer(latex) for name in m.groups() if name}
    first: dict[str, str] = {}  # one spelling per symbol: h_{k} is h_k
    for symbol in symbols(parse(latex)):
        if norm(symbol) not in _NOT_SYMBOLS and norm(symbol) not in bound and not _STANDARD_SYMBOL.match(norm(symbol)):
            first.setdefault(norm(symbol), symbol)
    return tuple(first.values())


def build_background(paper: Paper, equation: Equation, latex: str, hidden: tuple[str, ...]) -> Background:
    """Scenario sentence(s) plus "Here, $x$ denotes ..." for each symbol; flags undefined ones."""
    return BackgroundWriter(paper, equation, latex).write(hidden)


@dataclass(frozen=True)
class PaperScene:
    """What every background of one paper draws on: its scene-setting sentences, best first,
    and what it states of its symbols' sets, units and domains."""

    sentences: tuple[str, ...]
    facts: SymbolTable[SymbolFacts]

    @classmethod
    def of(cls, paper: Paper) -> "PaperScene":
        texts = [t for e in paper.equations for t in (e.context_before, e.context_after)]
        facts = symbol_facts([paper.abstract, *texts], [e.latex for e in paper.equations])
        return cls(_scene_sentences(paper), SymbolTable(facts))


# What the paper itself considers or studies: the strongest sign of a scene-setting sentence.
_STUDIES = re.compile(r"\b(?:[Cc]onsider(?:s|ed)?|[Ww]e\s+(?:study|investigate|focus|propose|analy[sz]e)|"
                      r"(?:[Tt]his|[Oo]ur)\s+(?:paper|work|letter|article)|[Ww]e\s+model)\b")


def _scene_sentences(paper: Paper) -> tuple[str, ...]:
    """Sentences that set the scene, best first: what the system-model section, then the abstract,
    says the paper considers or studies; then other scene-setting sentences of the section, then
    of the abstract."""
    section_text: list[str] = []
    for section in _SCENE_SECTIONS:
        for equation in paper.equations:
            if equation.section and section.search(equation.section):
                section_text += _sentences(equation.context_before)
    abstract = _sentences(paper.abstract)
    ranked = [s for group in (section_text, abstract) for s in group if _sets_scene(s) and _STUDIES.search(s)]
    ranked += [s for group in (section_text, abstract) for s in group if _sets_scene(s)]
    return tuple(dict.fromkeys(ranked))


# A sentence that reports results ("outperforms", "achieving a BER of 10^{-3} at 10 dB", "a 20% gain").
_RESULTS = re.compile(r"\b(?:outperform\w*|simulation\s+results?|numerical\s+results?|achiev\w+[^.]*\d|gains?\s+of)\b"
                      r"|\d\s*(?:dB|%)|\\%")


def _sets_scene(sentence: str) -> bool:
    return (_usable(sentence) and bool(_SCENE_WORDS.search(sentence)) and not _LEANS_BACK.match(sentence)
            and not _RESULTS.search(sentence))


class BackgroundWriter:
    """The backgrounds of one equation's problems: the symbols and the glossary are looked up
    once, then each problem's background depends only on the answers it hides."""

    def __init__(self, paper: Paper, equation: Equation, latex: str, scene: PaperScene | None = None) -> None:
        self.paper, self.equation = paper, equation
        self.scene = scene or PaperScene.of(paper)
        self.symbols = equation_symbols(latex)
        self.defined = {norm(s) for s in self.symbols}
        self.applied = frozenset(norm(s) for s in self.symbols if _applied(s, latex))
        self.glossary = Glossary(equation.definitions)
        # what the prose around this equation states first: a symbol the paper reuses elsewhere
        # (an x for the input here, for the model parameters there) takes its nearest statement
        self.facts = (SymbolTable(symbol_facts([equation.context_before, equation.context_after], [latex])),
                      self.scene.facts)

    def subject(self, lhs: str | None, hidden: tuple[str, ...]) -> str | None:
        """What the paper says ``lhs`` is ("the SINR of user $k$"), for naming the equation in a
        question; None when it is not defined as itself, is long, or would show a hidden answer."""
        if not lhs:
            return None
        base = OPTIMUM_MARK.sub("", lhs)  # \theta_n^\star is the optimal value of \theta_n
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

    def write(self, hidden: tuple[str, ...], named: tuple[str, str] | None = None) -> Background:
        """The background of a problem hiding ``hidden``; ``named`` is the left-hand side and the
        words the question calls it by, said here too when no definition already shows them."""
        fragments, defined, undefined = _definitions(self.symbols, self.glossary, self.facts, hidden, self.defined,
                                                      self.applied)
        gives = ""
        if named and not any(norm(named[0]) == norm(s) for s in defined) and named[1] not in " ".join(fragments):
            fragment = f"${named[0]}$ denotes {named[1]}"
            if any(leaks(a, fragment, self.defined) for a in hidden):
                gives = f" The equation gives {named[1]}."  # its left-hand side is a blank: named, not shown
            else:
                fragments.insert(0, fragment)
        text = " ".join(self._scenario(hidden)) + gives
        if fragments:
            text += " Here, " + _join(fragments) + "."
        if stated := self._stated_only(undefined, hidden):  # no meaning known, but a set or domain
            text += " The paper also states " + _join(stated) + "."
        return Background(text.strip(), tuple(undefined), tuple(defined))

    def _stated_only(self, undefined: list[str], hidden: tuple[str, ...]) -> list[str]:
        """``$x \\in S$`` or the domain statement for undefined symbols the paper gives a set or domain."""
        out = []
        for sym in undefined:
            facts = next((f for table in self.facts if (f := table.find(sym))), None)
            if facts is None or not (facts.domain or (facts.space or "").startswith("\\mathbb")):
                continue
            statement = f"${facts.domain}$" if facts.domain else f"${sym} \\in {facts.space}$"
            if not any(leaks(a, statement, self.defined) for a in hidden):
                out.append(statement)
        return out

    def _scenario(self, hidden: tuple[str, ...]) -> list[str]:
        """The scene-setting sentence, then the first usable sentence before the equation."""
        def fits(sentence: str) -> bool:
            return not any(leaks(a, sentence, self.defined) for a in hidden)

        scene = next((s for s in self.scene.sentences if fits(s)), None)
        local = next((s for s in _sentences(self.equation.context_before) if _usable(s) and fits(s) and s != scene), None)
        out = [s for s in (scene, local) if s]
        if not out:
            title = (self.paper.title or "").strip().rstrip(".")
            out = [f"The equation comes from the paper \"{title}\"." if title else
                   "The equation comes from a wireless communications paper."]
        return out


# A full stop that ends an abbreviation, not a sentence: "i.e. The", "Fig. 2", "et al. Their", "J. Smith".
_ABBREVIATION = re.compile(r"\b(?:i\.e|e\.g|et\s+al|cf|vs|resp|Figs?|Eqs?|Secs?|Refs?|Thm|No|[A-Z])\.$")


def _sentences(text: str) -> list[str]:
    """The sentences of ``text``; a full stop after an abbreviation ends none."""
    text = " ".join((text or "").split())
    out, start = [], 0
    for match in _SENTENCE.finditer(text):
        if not _ABBREVIATION.search(text[start:match.start()]):
            out.append(text[start:match.start()])
            start = match.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def _usable(sentence: str) -> bool:
    """A complete sentence of plain length, with balanced inline maths and no display maths, that
    points nowhere the reader cannot follow (a figure, a section, a citation)."""
    return (40 <= len(sentence) <= MAX_SCENARIO_CHARS and sentence.endswith(".") and sentence[0].isupper()
            and sentence.isascii() and not _POINTS_ELSEWHERE.search(sentence)
            and sentence.count("$") % 2 == 0 and "$$" not in sentence and "\\[" not in sentence)


# A description of a map, not of a value: it defines only a symbol the equation applies to an argument.
_A_MAP = re.compile(r"^(?:the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:map|mapping|function|operator|involution|transform|"
                    r"transformation|automorphism|permutation|operation)s?\b", re.IGNORECASE)


def _applied(symbol: str, latex: str) -> bool:
    """Whether ``latex`` applies ``symbol`` to an argument: ``f(x)``, ``\\sigma\\left(x\\right)``."""
    return bool(re.search(re.escape(symbol) + r"\s*(?:\\left|\\bigg?|\\Bigg?)?\s*[(\[]", latex))


def _definitions(syms: tuple[str, ...], glossary: Glossary, facts: tuple[SymbolTable[SymbolFacts], ...],
                 hidden: tuple[str, ...], defined: set[str], applied: frozenset[str] = frozenset()
                 ) -> tuple[list[str], list[str], list[str]]:
    """One "$x$ denotes ..." fragment per description (symbols that share one are listed
    together); the symbols defined; the symbols left undefined. A fragment that would leak an
    answer is dropped, and so is a map's description for a symbol not ``applied`` (the paper's
    $\\sigma$ for an involution says nothing of a $\\sigma^2$ added to a channel Gram matrix)."""
    grouped: dict[tuple[str, str, str], list[str]] = {}  # (description, optimum of, stated facts) -> symbols
    undefined: list[str] = []
    shown_all: list[str] = []
    for sym in syms:
        match = glossary.find(sym)
        desc = " ".join(match.description.split()).rstrip(".,; ") if match else ""
        if _A_MAP.match(desc) and norm(sym) not in applied:
            desc = ""
        shown, via = _shown(sym, match) if match else (sym, "")
        stated = _stated(shown, next((f for table in facts for f in (table.find(shown), table.find(sym)) if f), None))
        if not desc or any(leaks(a, f"${shown}$ ${via}$ {desc} {stated}", defined) for a in hidden):
            undefined.append(sym)
        elif symbol_key(shown) not in map(symbol_key, grouped.setdefault((desc, via, stated), [])):  # one symbol, two spellings
            grouped[(desc, via, stated)].append(shown)
            shown_all.append(sym)
    shown_itself = {key for (_, via, _), keys in grouped.items() if not via for key in keys}
    fragments = [_fragment(keys, desc, via, stated, via in shown_itself) for (desc, via, stated), keys in grouped.items()]
    return fragments, shown_all, undefined


def _stated(symbol: str, facts: SymbolFacts | None) -> str:
    """The set, unit and domain of a symbol as the background states them: "\\in \\mathbb{C}^{N}",
    "(in Hz)", ", with $\\theta \\in [0, 2\\pi)$", joined by "|" (empty when the paper states none)."""
    if facts is None:
        return ""
    space = ""
    if facts.space:
        space = f" \\in {facts.space}" if facts.space.startswith("\\mathbb") else f" (of size ${facts.space}$)"
    unit = f" (in {facts.unit})" if facts.unit else ""
    domain = f", with ${facts.domain}$" if facts.domain else ""
    return "|".join((space, unit, domain)) if facts.space or facts.unit or facts.domain else ""


def _shown(sym: str, match: Match) -> tuple[str, str]:
    """The symbol to show, and the symbol it is the optimum of ('' when it is defined itself)."""
    if match.kind == "power":
        return match.key, ""  # "\sigma^2 denotes the noise variance" defines \sigma
    if match.kind == "optimum":
        return sym, OPTIMUM_MARK.sub("", norm(sym))
    return sym, ""


def _fragment(keys: list[str], desc: str, via: str, stated: str = "", via_shown: bool = False) -> str:
    """"$x \\in \\mathbb{R}$ denotes ... (in dB), with $x > 0$", or "$x^\\star$ is the optimal value of $x$"
    (", which denotes ..." unless $x$ has its own fragment)."""
    space, unit, domain = stated.split("|") if stated else ("", "", "")
    math_space = space if space.startswith(" \\in") else ""
    size = space if not math_space else ""
    symbols = _join([f"${k}{math_space}$" for k in keys])
    tail = f"{size}{unit}{domain}"
    if via:
        variant = f"{symbols} {'is the optimal value' if len(keys) == 1 else 'are the optimal values'} of ${via}$"
        return f"{variant}{tail}" if via_shown else f"{variant}, which denotes {desc}{tail}"
    return f"{symbols} {'denotes' if len(keys) == 1 else 'denote'} {desc}{tail}"


def _join(parts: list[str]) -> str:
    """"A and B", "A, B, and C"; "A; B; and C" when a part has a comma of its own."""
    if len(parts) <= 2 and not (len(parts) == 2 and "," in parts[0]):
        return " and ".join(parts)
    joint = "; " if any("," in p for p in parts) else ", "
    return joint.join(parts[:-1]) + joint + "and " + parts[-1]

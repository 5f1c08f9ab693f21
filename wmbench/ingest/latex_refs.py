"""Cross-references of a LaTeX document: what each ``\\label`` numbers and how a reference prints.

A label names the last numbered thing before it, as LaTeX's ``\\refstepcounter`` does: an
equation row, a section (IEEEtran numbers them I, II-A, ...; other classes 1, 2.1, ...), a
theorem-like environment declared with ``\\newtheorem`` (shared and per-section counters
respected) or a float caption (figure, table, algorithm). ``\\ref``/``\\eqref`` print the number,
``\\cref``/``\\Cref``/``\\autoref`` the kind and the number ("Fig. 2", "Theorem 1"). A reference
to no known label never prints "?": "Fig.~\\ref{x}" becomes "the figure", "(\\ref{x})" "the
equation", and a bare one whose kind is not said is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wmbench.ingest.latex_equations import MATH_ENVIRONMENTS


@dataclass(frozen=True)
class Target:
    """What a label refers to: its kind ("equation", "figure", "section", "Theorem"...) and number."""

    kind: str
    number: str


@dataclass(frozen=True)
class Theorem:
    """A ``\\newtheorem`` environment: its printed name, the counter it steps and the counter that resets it."""

    name: str
    counter: str | None  # None: \newtheorem* (not numbered)
    within: str | None = None


# -- floats -------------------------------------------------------------------------------------

FLOAT_KINDS = {
    **dict.fromkeys(("figure", "figure*", "sidewaysfigure", "sidewaysfigure*", "wrapfigure", "SCfigure"), "figure"),
    **dict.fromkeys(("table", "table*", "sidewaystable", "sidewaystable*", "wraptable"), "table"),
    **dict.fromkeys(("algorithm", "algorithm*"), "algorithm"),
}
_MATH_NAMES = "|".join(re.escape(n) for n in sorted([*MATH_ENVIRONMENTS, "subequations"], key=len, reverse=True))
# Display maths inside a float (IEEE papers set a wide equation as a figure* to span both columns).
_FLOAT_MATH = re.compile(r"\\begin\{(?P<env>" + _MATH_NAMES + r")\}.*?\\end\{(?P=env)\}|\$\$.*?\$\$|\\\[.*?\\\]", re.S)
_CAPTION = re.compile(r"\\caption(?![A-Za-z@])")
_SUBFLOAT = re.compile(r"\\begin\{(?P<env>sub(?:figure|table))\}.*?\\end\{(?P=env)\}|\\sub(?:float|figure|caption)\b", re.S)
_LABEL = re.compile(r"\\label\s*\{(?P<label>[^{}]*)\}")
# An algorithm's numbered lines: their labels name a line, not the float.
_ALGORITHMIC = re.compile(r"\\begin\{(?P<env>algorithmic|algorithmicx|algorithm2e)\}.*?\\end\{(?P=env)\}", re.S)
_IEEE_CLASS = re.compile(r"\\documentclass\s*(?:\[[^\]]*\])?\s*\{IEEEtran")


class FloatNumbers:
    """Counts the captioned floats met in reading order and records what their labels number."""

    def __init__(self, ieee: bool) -> None:
        self.ieee = ieee
        self.count: dict[str, int] = {}
        self.labels: dict[str, Target] = {}

    def cut(self, env: str, body: str) -> str:
        """The float's display maths (kept in the text where the float is), its labels recorded."""
        kind = FLOAT_KINDS[env]
        main_captions = len(_CAPTION.findall(_SUBFLOAT.sub(" ", body)))
        first = self.count.get(kind, 0) + 1
        self.count[kind] = self.count.get(kind, 0) + max(main_captions, 0)
        if main_captions:
            number = _roman(first) if kind == "table" and self.ieee else str(first)
            for match in _LABEL.finditer(_ALGORITHMIC.sub(" ", _FLOAT_MATH.sub(" ", body))):
                self.labels.setdefault(match.group("label").strip(), Target(kind, number))
        return "\n".join(m.group(0) for m in _FLOAT_MATH.finditer(body))


def is_ieee(text: str) -> bool:
    return bool(_IEEE_CLASS.search(text))


# -- sections and theorems ----------------------------------------------------------------------

class SectionNumbers:
    """Section numbers as the class prints them: IEEEtran "II", "II-A", "II-A1"; others "2", "2.1"."""

    def __init__(self, ieee: bool) -> None:
        self.ieee = ieee
        self.levels = [0, 0, 0]
        self.appendix = False

    def start_appendix(self) -> None:
        self.appendix, self.levels = True, [0, 0, 0]

    def step(self, level: int) -> str:
        self.levels[level - 1] += 1
        self.levels[level:] = [0] * (3 - level)
        return self.number(level)

    def top(self) -> str:
        """The number of the current top-level section ("A" in an appendix)."""
        value = self.levels[0]
        if self.appendix:
            return chr(ord("A") + value - 1) if value else ""
        return (_roman(value) if self.ieee else str(value)) if value else ""

    def number(self, level: int) -> str:
        parts = [self.top()]
        if level >= 2:
            sub = self.levels[1]
            parts.append(chr(ord("A") + sub - 1) if self.ieee else str(sub))
        if level >= 3:
            parts.append(str(self.levels[2]))
        if self.ieee:
            return parts[0] + ("-" + "".join(parts[1:]) if level >= 2 else "")
        return ".".join(parts)


_NEWTHEOREM = re.compile(r"\\newtheorem(?P<star>\*)?\s*\{(?P<env>[^{}]+)\}\s*(?:\[(?P<shared>[^\]]*)\])?"
                         r"\s*\{(?P<name>(?:[^{}]|\{[^{}]*\})*)\}\s*(?:\[(?P<within>[^\]]*)\])?")


def theorem_environments(text: str) -> dict[str, Theorem]:
    """The ``\\newtheorem`` environments of a document (``\\newtheorem{lem}[thm]{Lemma}`` shares thm's counter)."""
    out: dict[str, Theorem] = {}
    for match in _NEWTHEOREM.finditer(text):
        env = match.group("env").strip()
        name = re.sub(r"\\[A-Za-z@]+|[{}]", "", match.group("name")).strip() or env
        shared = (match.group("shared") or "").strip()
        counter = None if match.group("star") else (shared or env)
        within = (match.group("within") or "").strip() or None
        out[env] = Theorem(name, counter, out[shared].within if shared in out else within)
    return out


class TheoremNumbers:
    """Counters of theorem-like environments; a per-section counter restarts with its section."""

    def __init__(self, environments: dict[str, Theorem]) -> None:
        self.environments = environments
        self.count: dict[str, int] = {}

    def new_section(self) -> None:
        for theorem in self.environments.values():
            if theorem.within and theorem.counter:
                self.count[theorem.counter] = 0

    def step(self, env: str, section: str) -> Target | None:
        theorem = self.environments[env]
        if theorem.counter is None:
            return None
        self.count[theorem.counter] = self.count.get(theorem.counter, 0) + 1
        value = str(self.count[theorem.counter])
        return Target(theorem.name, f"{section}.{value}" if theorem.within and section else value)


def _roman(value: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for amount, numeral in numerals:
        while value >= amount:
            out.append(numeral)
            value -= amount
    return "".join(out)


# -- printing references ------------------------------------------------------------------------

REF_COMMANDS = {"ref", "eqref", "cref", "Cref", "autoref", "Autoref", "vref", "Vref", "subref", "pageref", "nameref"}
_KIND_NAMES = {"equation": "Eq.", "figure": "Fig.", "table": "Table", "algorithm": "Algorithm",
               "section": "Section", "appendix": "Appendix"}
UNRESOLVED = "\x04"  # stands for a reference to no known label until the phrase around it is rewritten
# What a label's prefix says it is, for a reference to no known label: "fig:model" is a figure.
_PREFIXES = {
    "equation": "eq|eqn|equation", "figure": "fig|figure", "table": "tab|table", "section": "sec|section|subsec|ssec",
    "appendix": "app|appendix", "algorithm": "alg|algo|algorithm", "theorem": "thm|theorem", "lemma": "lem|lemma",
    "proposition": "prop|proposition", "corollary": "cor|coro|corollary", "definition": "def|defn|definition",
    "remark": "rem|remark", "assumption": "ass|assum|assumption",
}
_PREFIX_KINDS = tuple((kind, re.compile(rf"^(?:{words})s?\b", re.I)) for kind, words in _PREFIXES.items())


def print_reference(command: str, label: str, target: Target | None, title: str | None = None) -> str:
    """What a reference command prints; UNRESOLVED + kind when the label is unknown."""
    if command == "pageref":
        return ""
    if command == "nameref":
        return title or ""
    if target is None:
        kind = next((k for k, pattern in _PREFIX_KINDS if pattern.match(label)), "")
        return f"{UNRESOLVED}{kind}{UNRESOLVED}"
    if command in ("ref", "subref"):
        return target.number
    if command == "eqref":
        return f"({target.number})"
    name = _KIND_NAMES.get(target.kind, target.kind)
    number = f"({target.number})" if target.kind == "equation" else target.number
    return f"{name} {number}"


# The noun before an unresolved reference: "Fig. ?" -> "the figure".
_NOUNS = {
    "fig": "figure", "figs": "figures", "figure": "figure", "figures": "figures", "eq": "equation",
    "eqs": "equations", "eqn": "equation", "equation": "equation", "equations": "equations", "sec": "section",
    "secs": "sections", "section": "section", "sections": "sections", "tab": "table", "table": "table",
    "tables": "tables", "app": "appendix", "appendix": "appendix", "alg": "algorithm", "algorithm": "algorithm",
    "theorem": "theorem", "theorems": "theorems", "thm": "theorem", "lemma": "lemma", "lemmas": "lemmas",
    "proposition": "proposition", "propositions": "propositions", "prop": "proposition", "corollary": "corollary",
    "corollaries": "corollaries", "definition": "definition", "remark": "remark", "assumption": "assumption",
    "assumptions": "assumptions", "problem": "problem", "example": "example", "step": "step", "line": "line",
    "lines": "lines", "chapter": "chapter", "property": "property", "conjecture": "conjecture", "case": "case",
    "condition": "condition", "constraint": "constraint", "constraints": "constraints", "part": "part",
}
_UNRESOLVED_REF = re.compile(UNRESOLVED + r"(?P<kind>[^" + UNRESOLVED + r"]*)" + UNRESOLVED + r"(?:\s*\([a-z]\))?")
# "the Fig. ?", "in Fig. ?(b)", "Theorem ?", "(?)", "Eqs. (?) and (?)"
_NOUN_WORDS = "|".join(sorted(_NOUNS, key=len, reverse=True))
_NOUN_REF = re.compile(r"(?P<the>\b(?:the|a|an)\s+)?(?<!" + UNRESOLVED + r")\b(?P<noun>" + _NOUN_WORDS
                       + r")\b\.?(?:\s|~)*\(?" + UNRESOLVED + r"[^" + UNRESOLVED + r"]*" + UNRESOLVED
                       + r"\)?(?:\s*\([a-z]\))?", re.I)
_PAREN_REF = re.compile(r"\(\s*" + UNRESOLVED + r"[^" + UNRESOLVED + r"]*" + UNRESOLVED + r"\s*\)")


def rewrite_unresolved(text: str) -> str:
    """Replace each reference to no known label by a neutral phrase (never a "?")."""
    if UNRESOLVED not in text:
        return text

    def noun(match: re.Match[str]) -> str:
        phrase = f"the {_NOUNS[match.group('noun').lower()]}"
        if match.group("the") is None and match.group("noun")[0].isupper() and _sentence_start(text, match):
            return phrase[0].upper() + phrase[1:]
        return phrase

    text = _NOUN_REF.sub(noun, text)
    text = _PAREN_REF.sub("the equation", text)
    text = _UNRESOLVED_REF.sub(lambda m: _kind_phrase(m.group("kind")), text)
    return re.sub(r"[ \t]{2,}", " ", text)


def _kind_phrase(kind: str) -> str:
    return f"the {kind}" if kind else ""


def _sentence_start(text: str, match: re.Match[str]) -> bool:
    before = text[: match.start()].rstrip()
    return not before or before[-1] in ".!?:\n"

"""Lints: machine-detectable defects of a problem, each a function returning a detail or None.

A lint is a plain function of one :class:`~wmbench.schema.Problem`, like a build gate. The
lints marked ``gate`` drop the problem at build time (:mod:`wmbench.build.gates` runs them):
they catch problems that are wrong or that no renderer shows. The others only flag, for
``wmbench review`` and ``benchmarks/real_papers.py``: they mark a weaker problem (an undefined
symbol, a negated distractor) or a defect whose fix belongs upstream (a "Fig. ?" in the
background sentence), and dropping on a heuristic would cost good problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from pylatexenc.latexwalker import LatexEnvironmentNode, LatexGroupNode, LatexMacroNode, LatexWalker, LatexWalkerError

from wmbench.errors import GenerationError
from wmbench.generate.background import equation_symbols, norm
from wmbench.generate.distractors import negates
from wmbench.generate.latex_tree import latex_context
from wmbench.ingest.template_text import template_phrase
from wmbench.review.vocabulary import COLOR_NAMES, MARKUP_COMMANDS, RENDERABLE_COMMANDS, RENDERABLE_ENVIRONMENTS
from wmbench.schema import MASK, Problem

# -- pieces of a problem -------------------------------------------------------------------------

# Inline or display maths inside prose: $$..$$, $..$, \(..\), \[..\].
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")


def _strip_dollars(text: str) -> str:
    return text.strip().strip("$").strip()


def _answers(problem: Problem) -> tuple[str, ...]:
    from wmbench.build.gates import answers  # the gates' notion of a problem's answers

    return answers(problem)


def _prose(problem: Problem) -> tuple[str, ...]:
    return problem.background, problem.question_text


def _math_strings(problem: Problem) -> Iterator[tuple[str, str]]:
    """(where, LaTeX) for every formula a solver sees: equation, options, answers, inline maths."""
    yield "equation", _strip_dollars(problem.equation)
    for letter, option in (problem.options or {}).items():
        yield f"option {letter}", _strip_dollars(option)
    for i, answer in enumerate(_answers(problem), 1):
        yield f"answer {i}", answer
    for where, text in zip(("background", "question"), _prose(problem)):
        for latex in math_spans(text):
            yield where, latex


def _outside_math(text: str) -> str:
    return _MATH.sub(" ", text)


def math_spans(text: str) -> list[str]:
    """The LaTeX of each inline or display formula in prose."""
    return [next(g for g in m.groups() if g is not None) for m in _MATH.finditer(text)]


def _search_prose(pattern: re.Pattern[str], problem: Problem) -> tuple[str, re.Match[str]] | None:
    """Where ("background" or "question") and the first match of ``pattern`` outside maths."""
    for where, text in zip(("background", "question"), _prose(problem)):
        match = pattern.search(_outside_math(text))
        if match:
            return where, match
    return None


# -- the lints -----------------------------------------------------------------------------------


# A colour name a \color left in prose: glued to the next sentence ("blueThe") or a clause of its own ("black.").
_COLOR_RESIDUE = re.compile(rf"\b(?:{'|'.join(COLOR_NAMES)})(?=[A-Z])|(?:^|(?<=[.;:]\s))(?:{'|'.join(COLOR_NAMES)})[.;]")


def leftover_macro(problem: Problem) -> str | None:
    """A control word no renderer knows (``\\gls``, ``\\ac``, a paper's own ``\\Ex``), in maths or prose."""
    for where, latex in _math_strings(problem):
        for name in _CONTROL_WORD.findall(latex):
            if name not in RENDERABLE_COMMANDS:
                return f"\\{name} in {where}"
    found = _search_prose(_CONTROL_WORD, problem)
    return f"\\{found[1].group(1)} in {found[0]} text" if found else None


def revision_markup(problem: Problem) -> str | None:
    """A draft's revision markup: ``\\textcolor{blue}{..}`` in maths (it renders, in colour), or the
    colour name a ``\\color`` leaves in prose ("... noise. black."). Flag only: a blemish."""
    for where, latex in _math_strings(problem):
        for name in _CONTROL_WORD.findall(latex):
            if name in MARKUP_COMMANDS:
                return f"\\{name} in {where}"
    found = _search_prose(_COLOR_RESIDUE, problem)
    return f"colour markup {found[1].group(0)!r} in {found[0]} text" if found else None


_DANGLING_SCRIPT = re.compile(r"[_^]\s*(?:$|[}&])")
_LEFT = re.compile(r"\\left(?![A-Za-z])")
_RIGHT = re.compile(r"\\right(?![A-Za-z])")


def unparsable_latex(problem: Problem) -> str | None:
    """The equation, an option or an answer does not parse (pylatexenc, strict), or pairs
    ``\\left``/``\\right`` or scripts badly, or uses an environment KaTeX lacks."""
    texts = [(w, t) for w, t in _math_strings(problem) if w not in ("background", "question")]
    for where, latex in texts:
        reason = _parse_failure(latex)
        if reason:
            return f"{where}: {reason}"
    return None


@lru_cache(maxsize=8192)
def _parse_failure(latex: str) -> str | None:
    """Why ``latex`` does not parse or render, or None (cached: an MCQ's key is also an answer)."""
    try:
        nodes, _, _ = LatexWalker(latex, latex_context=latex_context(), tolerant_parsing=False).get_latex_nodes()
    except LatexWalkerError as exc:
        return str(exc).splitlines()[0]
    if len(_LEFT.findall(latex)) != len(_RIGHT.findall(latex)):
        return "\\left and \\right do not pair"
    if _DANGLING_SCRIPT.search(latex):
        return "a subscript or superscript has no argument"
    for node in _walk(nodes):
        if isinstance(node, LatexEnvironmentNode) and node.environmentname not in RENDERABLE_ENVIRONMENTS:
            return f"environment {node.environmentname} is not renderable"
    return None


def _walk(nodes: list) -> Iterator[object]:
    for node in nodes or ():
        yield node
        if isinstance(node, (LatexGroupNode, LatexEnvironmentNode)):
            yield from _walk(node.nodelist)
        if isinstance(node, (LatexMacroNode, LatexEnvironmentNode)) and node.nodeargd is not None:
            yield from _walk([a for a in node.nodeargd.argnlist if a is not None])


# A text-like group whose content is words, not maths.
_TEXT_GROUP = re.compile(r"\\(?:text|textnormal|textrm|textit|textbf|textsf|mathrm|mbox|operatorname)\s*\{([^{}]*)\}")
MIN_BARE_WORD = 3  # a bare letter run this long is a word (TXOP), a shorter one may be a product (ab)


def split_word(problem: Problem) -> str | None:
    """A blank cuts a word: ``[MASK]elative``, ``T[MASK]OP``, ``\\text{R-[MASK]}``."""
    source = _strip_dollars(str(problem.extra.get("source_equation", "")))
    pieces = _strip_dollars(problem.equation).split(MASK)
    answers = _answers(problem)
    if not source or len(pieces) != len(answers) + 1:
        return None
    filled, cuts = pieces[0], []
    for answer, piece in zip(answers, pieces[1:]):
        cuts.append(len(filled))
        filled += answer
        cuts.append(len(filled))
        filled += piece
    if filled != source:
        return None
    words = [(m.start(1), m.end(1)) for m in _TEXT_GROUP.finditer(filled)]
    for cut in cuts:
        if any(start < cut < end for start, end in words):
            return f"a blank cuts the text {_around(filled, cut)!r}"
        if 0 < cut < len(filled) and filled[cut - 1].isalpha() and filled[cut].isalpha():
            start, end = cut, cut
            while start > 0 and filled[start - 1].isalpha():
                start -= 1
            while end < len(filled) and filled[end].isalpha():
                end += 1
            if (start > 0 and filled[start - 1] == "\\") or end - start >= MIN_BARE_WORD:
                return f"a blank cuts the word {filled[start:end]!r}"
    return None


def _around(text: str, at: int, width: int = 12) -> str:
    return text[max(0, at - width):at + width]


# Six or more single digits or signs separated by spaces: tick labels of a plot ("- 2 0 - 1 5 - 1 0").
_PLOT_DIGITS = re.compile(r"(?<![\w.])-?\s*\d(?:\s+-?\s*\d){5,}(?![\w.])")


def plot_digits(problem: Problem) -> str | None:
    """The formula is a run of spaced digits: axis labels of a figure read as maths."""
    for where, latex in _math_strings(problem):
        match = _PLOT_DIGITS.search(latex)
        if match and where not in ("background", "question"):
            return f"{match.group(0).strip()!r} in {where}"
    return None


# A word that joins rows: \text{and}, \text{ s.t.}, a bare "and". A row may open with "s.t."
# (a constraint split from its objective is still a whole constraint) but not end with it.
_JOINER = r"\\text\s*\{{\s*(?:{words})\s*(?:\\[;,:!]\s*)?\}}|\b(?:{words})"
_RELATION = r"[=<>+,]|\\(?:leq|geq|le|ge|approx|triangleq|times|cdot)(?![A-Za-z])"
_OPENING_JOINER = _JOINER.format(words="and|or|where")
_CLOSING_JOINER = _JOINER.format(words=r"and|or|where|s\.t\.")
_FRAGMENT_START = re.compile(rf"^\s*(?:{_OPENING_JOINER}|{_RELATION})")
# (a closing comma or full stop is the sentence's punctuation, not a cut)
_FRAGMENT_END = re.compile(rf"(?:{_CLOSING_JOINER}|{_RELATION.replace(',', '')}|-|\\q?quad)\s*$")


def equation_fragment(problem: Problem) -> str | None:
    """The source equation is one row of a multi-row display cut mid-expression: it opens with
    an operator or a joining word (``+ \\frac..``, ``\\text{and}\\; y = ..``) or ends with one
    (``.. \\text{ s.t.}``, ``.. =``)."""
    source = _strip_dollars(str(problem.extra.get("source_equation") or ""))
    for where, pattern in (("opens", _FRAGMENT_START), ("ends", _FRAGMENT_END)):
        match = pattern.search(source)
        if match:
            return f"the equation {where} with {match.group(0).strip()!r}"
    return None


def template_text(problem: Problem) -> str | None:
    """Text of a class template or filler (IEEEtran's sample article, Lorem ipsum)."""
    for where, text in (("background", problem.background), ("question", problem.question_text),
                        ("equation", problem.equation)):
        phrase = template_phrase(text)
        if phrase:
            return f"{phrase!r} in {where}"
    return None


_REF_NOUNS = (r"Fig(?:ure)?s?\.?|Tables?|Tab\.|Sec(?:tion)?s?\.?|Eqs?\.|Equations?|Propositions?|Corollar(?:y|ies)"
              r"|Theorems?|Lemmas?|Remarks?|Definitions?|Algorithms?|Appendix|Assumptions?")
_BROKEN_REF = re.compile(
    r"\?\?"                                  # LaTeX's mark for an undefined \ref
    r"|\[\s*\?\s*\]|\(\s*\?\s*\)"            # an undefined citation or equation number
    rf"|\b(?:{_REF_NOUNS})\s*~?\s*\?(?!\w)"  # "Proposition?", "Fig. ?"
)


def broken_reference(problem: Problem) -> str | None:
    """An unresolved reference: ``??``, ``[?]``, "Proposition?", "Fig. ?"."""
    found = _search_prose(_BROKEN_REF, problem)
    return f"{found[1].group(0)!r} in {found[0]}" if found else None


# A sentence that ends on an abbreviation was cut where the abbreviation's full stop is: "i.e."
# before a capital (it is followed by a comma or a lower-case word when whole), any abbreviation
# before the background's "Here," or at its end ("vs. Standard" in a title is whole).
_CUT_SENTENCE = re.compile(r"\b(?:i\.e|e\.g|cf)\.(?=\s+[A-Z])"
                           r"|\b(?:i\.e|e\.g|et al|cf|vs|resp|Fig|Figs|Eq|Eqs|Sec|Ref|Refs|Thm|No)\.(?=\s+Here,|\s*$)")


def cut_sentence(problem: Problem) -> str | None:
    """A background sentence that stops at an abbreviation ("... requires less RF chains, i.e."):
    the sentence splitter took its full stop for the sentence's end."""
    match = _CUT_SENTENCE.search(_outside_math(problem.background))
    return f"a sentence ends at {match.group(0)!r}" if match else None


# "$x$ denotes the larger": a definition cut to a word that names nothing (a comparative, "same",
# "such that") - the definition reader stopped early.
_EMPTY_DEFINITION = re.compile(
    r"\$\s*(?:denotes?|is|are)\s+(?:(?:the|a|an)\s+(?:larger|smaller|higher|lower|greater|same|original|former|latter"
    r"|following|above|corresponding|respective|other)\s*(?=[.;,]|\s+and\b|$)|such\s+that\b)")


def empty_definition(problem: Problem) -> str | None:
    """A background definition that names nothing ("$\\lambda$ denotes the larger", "$\\mu$ denotes
    such that"). Flag only: the definition reader's to fix."""
    match = _EMPTY_DEFINITION.search(problem.background)
    return f"a definition reads {match.group(0).lstrip('$ ').strip()!r}" if match else None


# A list bullet: a bullet character, or "* " / "- " opening a line or following a sentence.
_BULLET = re.compile(r"[•◦▪‣]|(?:^|\n|(?<=[.:;!?])\s)\s*[*\-]\s+\S")


def bullets(problem: Problem) -> str | None:
    """List bullets left in the background or question ("* bc: ...", "• ...")."""
    found = _search_prose(_BULLET, problem)
    return f"{found[1].group(0).strip()!r} in {found[0]}" if found else None


def _options(problem: Problem) -> tuple[str | None, dict[str, str]]:
    options = {k: _strip_dollars(v) for k, v in (problem.options or {}).items()}
    return options.get(problem.correct_answer.strip()), options


def negated_distractor(problem: Problem) -> str | None:
    """An MCQ distractor is the whole answer negated, which a solver can rule out on sight.
    Flag only: the target is a share (at most one MCQ in ten), met by the generator."""
    correct, options = _options(problem)
    if problem.type != "MCQ" or correct is None:
        return None
    for letter, text in options.items():
        if letter != problem.correct_answer.strip() and negates(text, correct):
            return f"option {letter} is the answer negated"
    return None


# A logarithm and its base: \ln is base e, \log_2 base 2; a bare \log or \lg is unsure (a paper
# may mean e, 2 or 10), so a distractor that differs from the answer only by turning a sure base
# into an unsure one (or back) is not definitely wrong unless the paper fixes the base.
_LOG = re.compile(r"\\(?P<name>ln|lg|log)(?![A-Za-z])(?:\s*_\s*(?:\{(?P<braced>[^{}]*)\}|(?P<bare>\d+|[A-Za-z])))?")


def _log_bases(latex: str) -> tuple[str, list[str]]:
    """The LaTeX with every logarithm written ``\\log``, and each one's base ('?' when unsure)."""
    bases = []
    for m in _LOG.finditer(latex):
        base = m.group("braced") if m.group("braced") is not None else m.group("bare")
        bases.append("e" if m.group("name") == "ln" else (base or "?").strip() if m.group("name") == "log" else "?")
    return _LOG.sub(r"\\log", latex), bases


def ambiguous_distractor(problem: Problem) -> str | None:
    """Two options are the same, or a distractor differs from the answer only in the base of a
    logarithm where one side leaves the base unsure (``\\ln`` vs ``\\log``, ``\\log`` vs ``\\log_2``;
    ``\\log_2`` vs ``\\log_{10}`` is a definite difference)."""
    correct, options = _options(problem)
    if problem.type != "MCQ" or correct is None:
        return None
    seen: dict[str, str] = {}
    for letter, text in options.items():
        if norm(text) in seen:
            return f"options {seen[norm(text)]} and {letter} are the same"
        seen[norm(text)] = letter
    answer_form, answer_bases = _log_bases(norm(correct))
    for letter, text in options.items():
        form, bases = _log_bases(norm(text))
        if letter == problem.correct_answer.strip() or form != answer_form:
            continue
        differing = [(a, b) for a, b in zip(answer_bases, bases) if a != b]
        if differing and all("?" in pair for pair in differing):
            return f"option {letter} differs from the answer only in a logarithm's base"
    return None


def undefined_symbols(problem: Problem) -> str | None:
    """Symbols of the equation the background does not define (flag only: many real problems
    miss a definition or two and stay solvable; the count is a figure of its own)."""
    missing = undefined_list(problem)
    return f"{len(missing)} undefined: {', '.join(missing[:4])}" if missing else None


def undefined_list(problem: Problem) -> list[str]:
    """The problem's undefined symbols: those the generator flagged, else those of its source
    equation (the symbols :func:`~wmbench.generate.background.equation_symbols` finds) that the
    background does not show."""
    flagged = problem.extra.get("undefined_symbols")
    if isinstance(flagged, list):
        return [str(s) for s in flagged]
    source = _strip_dollars(str(problem.extra.get("source_equation") or problem.equation))
    shown = norm(problem.background)
    try:
        return [s for s in equation_symbols(source) if norm(s) not in shown]
    except GenerationError:  # an equation that does not parse has no symbol list (the parse lint reports it)
        return []


# Words of the question templates and of plain English that name nothing.
_QUESTION_WORDS = frozenset("""
    a an the of for in on to and or by with from at as is are be that this which what whose how
    its it their given gives give write down full complete completes completed correctly correct fill fills
    filling filled blank blanks missing expression expressions equation equations select option options
    described background one two three four five six seven eight nine ten paper problem term terms
    value values formula formulas side left right hand above below following shown upper lower bound optimal
    section using terms relates relate symbols symbol defined define defines
""".split())
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”")  # a section title the question points at: a place, not a name
_WORD = re.compile(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|[A-Za-z]")
STEM = 5  # words match on their first letters ("rates" ~ "rate", "precoding" ~ "precoder")


def unmentioned_name(problem: Problem) -> str | None:
    """The question names the equation with a word the background never uses ("the achievable
    rate equation" over a background about a resistance); an acronym also matches its
    spelled-out form, and a quoted section title is where the equation is, not a name. Flag
    only: a heuristic on words."""
    if "background" in problem.question_text.lower() and not math_spans(problem.background):
        return "the question points at the background, which defines no symbol"
    question = _QUOTED.sub(" ", _outside_math(problem.question_text))
    named = [w for w in _WORD.findall(question) if w.lower() not in _QUESTION_WORDS]
    if not named:
        return None
    background = _outside_math(problem.background) + " " + " ".join(math_spans(problem.background))
    stems = {w.lower()[:STEM] for w in _WORD.findall(background)}
    initials = _initials(background)
    missing = [w for w in named if w.lower()[:STEM] not in stems and not (w.isupper() and w.lower() in initials)]
    if missing:
        return f"the background never mentions {' '.join(missing)!r}"
    return None


_ACRONYM_SKIPS = frozenset("to plus of and the a an for with over in on at by".split())


def _initials(text: str, longest: int = 8) -> set[str]:
    """Initial letters of every run of up to ``longest`` words, with and without the small words
    acronyms skip ("signal-to-interference-plus-noise ratio" gives "sinr")."""
    words = re.findall(r"[A-Za-z]+", text)
    found: set[str] = set()
    for letters in ("".join(w[0] for w in words), "".join(w[0] for w in words if w.lower() not in _ACRONYM_SKIPS)):
        letters = letters.lower()
        found |= {letters[i:j] for i in range(len(letters)) for j in range(i + 2, min(len(letters), i + longest) + 1)}
    return found


# -- the registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lint:
    name: str
    short: str  # a table's column header
    title: str  # what a report says, and the reason a gate counts
    check: Callable[[Problem], str | None]
    gate: bool  # whether the build drops a problem that fails it


LINTS: tuple[Lint, ...] = (
    Lint("leftover_macro", "macro", "leftover macro", leftover_macro, gate=True),
    Lint("unparsable_latex", "parse", "LaTeX that does not parse or render", unparsable_latex, gate=True),
    Lint("split_word", "split", "word split by a mask", split_word, gate=True),
    Lint("plot_digits", "digits", "plot-text digits", plot_digits, gate=True),
    Lint("equation_fragment", "fragment", "a row cut from a multi-row equation", equation_fragment, gate=True),
    Lint("template_text", "template", "template text", template_text, gate=True),
    Lint("broken_reference", "ref", "broken reference", broken_reference, gate=False),
    Lint("bullets", "bullet", "bullets", bullets, gate=False),
    Lint("revision_markup", "markup", "revision markup (colours)", revision_markup, gate=False),
    Lint("empty_definition", "emptydef", "a definition that names nothing", empty_definition, gate=False),
    Lint("cut_sentence", "cut", "a background sentence cut at an abbreviation", cut_sentence, gate=False),
    Lint("negated_distractor", "negated", "negated-answer distractor", negated_distractor, gate=False),
    Lint("ambiguous_distractor", "ambiguous", "ambiguous distractor", ambiguous_distractor, gate=True),
    Lint("undefined_symbols", "undefined", "undefined symbols", undefined_symbols, gate=False),
    Lint("unmentioned_name", "unnamed", "question names what the background never mentions", unmentioned_name, gate=False),
)
LINT_NAMES: tuple[str, ...] = tuple(lint.name for lint in LINTS)


def lint_problem(problem: Problem) -> dict[str, str]:
    """Every defect of one problem: lint name → detail (empty when it is clean)."""
    found = {}
    for lint in LINTS:
        detail = lint.check(problem)
        if detail:
            found[lint.name] = detail
    return found

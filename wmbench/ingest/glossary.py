"""A paper-wide glossary {symbol LaTeX: description} from everything the paper's prose says.

"where" clauses after an equation define only some symbols; papers introduce most of them in
running text. Each pattern below reads one way of doing so, in either syntax:

* ``where``      "where $x$ is ..., $y$ denotes ..." anywhere (:mod:`wmbench.ingest.definitions`)
* ``let``        "let $\\mathbf{h}_k$ denote the channel of user $k$"
* ``denote by``  "denote by $\\mathcal{K}$ the set of users and by $N$ ..."; "we use $\\lambda$ to denote ..."
* ``subject``    "$\\sigma^2$ is the noise variance", "Here, $P$ denotes the power"
* ``denoted``    "the transmit SNR, denoted by $\\rho$"; "we define the SNR as $\\rho=P/\\sigma^2$";
  "we write $\\rho=P/\\sigma^2$ for the SNR"
* ``count``      "$N$ antennas", "$K$ single-antenna users" → "the number of ..."
* ``appositive`` "the transmit power $P$", "the number of antennas $N$"
* ``bare``       "with transmit power $P$", "allocates power $p_n$" → "the transmit power", "the power"
* ``stacked``    "stacking the channels of all users in $\\mathbf{H}=[...]$" → "the stack of the channels of all users"
* ``index``      "the channel of user $k$" → $k$: "the user index"
* ``variance``   "$n_k\\sim\\mathcal{CN}(0,\\sigma^2)$ is the noise" → $\\sigma^2$: "the variance of the noise"
* ``named value``    "the noise power spectral density is $N_0$." → $N_0$: "the noise power spectral density"
* ``inline equation`` "the channel gain of user $k$ is $g_k = |h_k|^2$" → $g_k$: "the channel gain of user $k$"

LaTeX prose keeps inline math as ``$...$``; PDF text has bare Unicode symbols ("hk", "σ2"),
mapped to LaTeX by :func:`wmbench.ingest.pdf_path.pdf_symbol_latex`. Definitions are taken
in reading order and the first one of a symbol wins, so the result is deterministic; a symbol
the text defines twice, with a defining verb, as different things (descriptions sharing no content word: "an involution
on the quaternions", "the noise level") is left out, since nothing here tells which one an equation uses.

:func:`equation_glossary` adds the left-hand sides of displayed equations introduced by a noun
phrase: "The total power consumption is [P_tot(p) = ...]".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from wmbench.ingest.definitions import (
    DETERMINER,
    contradicts,
    latex_symbol,
    names_something,
    parse_latex_definitions,
    parse_pdf_definitions,
    sentence_end,
    tidy_description,
)
from wmbench.ingest.pdf_symbols import GREEK

SyntaxName = Literal["latex", "pdf"]
MAX_DESCRIPTION_CHARS = 160

# --- words -----------------------------------------------------------------------------------
_DET = DETERMINER
# Words that cannot be part of a noun phrase before a symbol (the phrase would span a clause).
_STOP = (
    r"(?:the|a|an|its|their|our|each|of|with|by|for|to|from|in|on|at|as|into|between|over|under|via|"
    r"and|or|but|is|are|was|were|be|been|being|has|have|had|that|which|where|when|while|whereas|if|"
    r"then|than|so|it|this|these|those|we|all|any|both|such|can|may|must|will|not|no|per|given|"
    r"denote|denotes|denoted|let|serves|serve|uses|use|sends|receives|achieves|equipped|using|having)"
)
_WORD = rf"(?!{_STOP}\b)[A-Za-z][A-Za-z0-9-]*"
# Heads after which a symbol is a value or an instance, not the name of the noun.
_NOT_NAMES = frozenset(
    "case cases form limit regime expression equation term terms result condition problem approximation bound "
    "notation definition example fact assumption sense order range interval value values point setting "
    "constraint constraints correct same following above latter former first second last"
    .split()
)
_OF_HEADS = r"(?:number|set|total\s+number|fraction|amount|variance|power|vector|matrix)"
_NOUN_PHRASE = re.compile(
    rf"""(?P<phrase>\b{_DET}\s+(?:{_WORD}\s+){{0,4}}?
         (?:{_OF_HEADS}\s+of\s+(?:{_DET}\s+)?(?:{_WORD}\s+){{0,2}}?{_WORD}   # the number of (the) antennas
          |{_WORD})                                                            # the transmit power
         (?:\s+\([A-Za-z-]+\))?)                                                # (SNR)
         \s*$""",
    re.VERBOSE | re.IGNORECASE,
)
# A verb ending in "s" that can follow a count symbol ("$N$ grows"): not a counted noun.
_S_VERBS = frozenset(
    "is was has does its exceeds satisfies denotes represents equals becomes yields holds follows grows tends "
    "increases decreases goes gives means remains approaches contains includes obeys stays varies takes "
    "depends scales serves uses achieves transmits receives decodes allocates sends adds applies computes obtains "
    "selects chooses estimates knows employs deploys observes experiences suffers reflects induces adopts performs "
    "as this thus".split()
)
# A subject symbol opens a clause: start, punctuation, or a conjunction before it.
_OPENS_CLAUSE = re.compile(r"(?:^|[,;:(]|\b(?:and|that|which|while|whereas|then|here|Here|also|thus|hence"
                           r"|[Ss]uppose|[Aa]ssume|[Aa]ssuming|[Ii]f))\s*$")
_INDEX_LETTER = re.compile(r"^(?:[ijklmnqut]|\\ell)$")  # a lone letter that runs over users, slots...
# Nouns that name no quantity on their own: "the vector $\\mathbf{s}$" defines nothing.
_GENERIC = frozenset("vector matrix scalar variable parameter quantity term function set constant".split())
# Adjectives that say how much, not what: left out of a bare noun's description.
_VAGUE = frozenset("high low equal same fixed given large small certain some any full maximum minimum least most".split())
_EXPLICIT = 6  # how many of the patterns (first in :func:`_definitions`) define with a verb ("denotes", "let")
_DEFINING_VERB = r"(?:denotes?|represents?|stands?\s+for|refers?\s+to|indicates?)"


@dataclass(frozen=True)
class _Syntax:
    """How one kind of text writes a symbol: a regex for it and its LaTeX (None: not a symbol),
    and a regex for a zero-mean Gaussian law whose group ``var`` is its variance."""

    math: str
    to_latex: Callable[[str], str | None]
    parse_where: Callable[[str], dict[str, str]]
    gaussian: str
    variance: Callable[[str], str | None]


def build_glossary(text: str, syntax: SyntaxName, to_latex: Callable[[str], str] | None = None) -> dict[str, str]:
    """The glossary of a paper's text (paragraphs separated by blank lines).

    ``to_latex`` maps a PDF symbol to LaTeX (required for ``syntax="pdf"``).
    """
    rules = _latex_syntax() if syntax == "latex" else _pdf_syntax(to_latex or (lambda s: s))
    glossary: dict[str, str] = {}
    explicit: dict[str, str] = {}  # the first statement of each symbol by a defining verb
    contradicted: set[str] = set()
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = " ".join(paragraph.split())
        for _, rank, symbol, description in sorted(_definitions(paragraph, rules)):
            if rank < _EXPLICIT and contradicts(explicit.setdefault(symbol, description), description):
                contradicted.add(symbol)
            glossary.setdefault(symbol, description)
    return {symbol: description for symbol, description in glossary.items() if symbol not in contradicted}


def _definitions(text: str, rules: _Syntax) -> Iterator[tuple[int, int, str, str]]:
    """(position, pattern rank, symbol, description) of every definition found in ``text``; the
    first :data:`_EXPLICIT` patterns state a definition with a verb, the others infer one."""
    finders = (_where, _let, _subject, _denoted, _define, _denote_by, _count, _appositive, _index, _variance, _bare,
               _stacked, _named_value, _inline_equation)
    for rank, finder in enumerate(finders):  # at one position, the earlier pattern wins
        for position, symbol, description in finder(text, rules):
            description = _not_circular(_tidy(description), symbol)
            if symbol and description and is_latex_symbol(symbol):
                yield position, rank, symbol, description


def _not_circular(description: str, symbol: str) -> str:
    """``description`` without a closing phrase that names ``symbol`` itself ("the variance of the
    noise with power $\\sigma^2$" for $\\sigma^2$), or "" when the symbol is still named in it."""
    if f"${symbol}$" not in description:
        return description
    joint = r"\s+(?:with|of|at|and|equal\s+to)\s+"
    description = re.sub(rf"{joint}(?:(?!{joint})[^$])*\${re.escape(symbol)}\$$", "", description)
    return "" if f"${symbol}$" in description else description


# --- patterns ----------------------------------------------------------------------------------

def _where(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    for match in re.finditer(rf"\b(?:where|wherein)\b|\bwith(?=\s+{rules.math}\s+being\b)", text):
        for symbol, description in rules.parse_where(text[match.start():]).items():
            yield match.start(), symbol, description


def _let(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    """"Let $A$ denote X, $B$ Y and $C$ Z": read as a where-clause, so the items after the first
    (whose verb is left out) are definitions too."""
    pattern = rf"\b[Ll]et\s+(?P<sym>{rules.math})\s+(?:denote|be|represent|stand\s+for)\s+"
    for match in re.finditer(pattern, text):
        listed = rules.parse_where(f"where {match.group('sym')} denote {text[match.end():]}")
        if len(listed) > 1:  # a list; a single definition is cut by the clause rules below
            for symbol, description in listed.items():
                yield match.start("sym"), symbol, description
        else:
            yield match.start("sym"), rules.to_latex(match.group("sym")) or "", _clause(text[match.end():], rules)


def _denote_by(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    """"Denote by $\\mathcal{K}$ the set of users and by $N$ ..."; "we use $\\lambda$ to denote the wavelength"."""
    pattern = (rf"(?:\b[Dd]enot(?:e|ing)\s+by|(?<=[\w$])\s*,?\s+and\s+by)\s+(?P<sym>{rules.math})\s+(?={_DET}\s)"
               rf"|\b(?:use|uses|using)\s+(?P<used>{rules.math})\s+to\s+(?:denote|represent|indicate)\s+")
    by_clause = False
    for match in re.finditer(pattern, text):
        symbol = match.group("sym") or match.group("used")
        if match.group("sym") and not match.group(0).lstrip().lower().startswith("denot") and not by_clause:
            continue  # "... and by $N$ the ..." only continues a "Denote by" list
        by_clause = bool(match.group("sym"))
        description = _clause(text[match.end():], rules)
        description = re.split(r",?\s+and\s+by\s", description)[0]  # the next item of the list
        yield match.start("sym" if match.group("sym") else "used"), rules.to_latex(symbol) or "", description


def _subject(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    listed = rf"{rules.math}(?:\s*(?:,\s*and|,|and)\s*{rules.math})*"
    pattern = rf"(?P<syms>{listed})\s+(?:{_DEFINING_VERB}\s+|(?:is|are)\s+(?=(?:the|a|an)\s))"
    for match in re.finditer(pattern, text):
        if not _OPENS_CLAUSE.search(text[: match.start()]):
            continue
        symbols = re.findall(rules.math, match.group("syms"))
        if len(symbols) > 1:  # "$P$ and $N_0$ are the power and the noise density, respectively"
            for symbol, description in rules.parse_where("where " + text[match.start():]).items():
                yield match.start(), symbol, description
        else:
            yield match.start(), rules.to_latex(symbols[0]) or "", _clause(text[match.end():], rules)


def _denoted(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    """"the transmit SNR, denoted by $\\rho$"; and opening a sentence: "Denoted by $\\mathbf{H}$, the
    channel matrix between the BS and the user is ..." → "the channel matrix between the BS and the user"."""
    pattern = rf"(?:,\s*)?(?:(?:which\s+)?(?:is|are)\s+)?(?:denoted|represented)\s+(?:by|as)\s+(?P<sym>{rules.math})"
    for match in re.finditer(pattern, text):
        if phrase := _phrase_before(text[: match.start()]):
            yield match.start("sym"), rules.to_latex(match.group("sym")) or "", phrase
    opening = rf"(?:^|(?<=[.;:]\s))(?:Denoted|Represented)\s+(?:by|as)\s+(?P<sym>{rules.math})\s*,\s*(?={_DET}\s)"
    for match in re.finditer(opening, text):
        subject = re.split(r"\s+(?:is|are|can|will|has|have|becomes?|reads|follows)\b", _clause(text[match.end():], rules))[0]
        if subject.strip():
            yield match.start("sym"), rules.to_latex(match.group("sym")) or "", subject


def _define(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    define_as = rf"\bdefine\s+(?P<desc>{_DET}\s+[^$.;]{{1,80}}?)\s+as\s+(?P<sym>{rules.math})"
    for match in re.finditer(define_as, text):
        yield match.start("sym"), rules.to_latex(match.group("sym")) or "", match.group("desc")
    # "define $\\rho = P/N$ as the SNR"
    for match in re.finditer(rf"\bdefine\s+(?P<sym>{rules.math})\s+as\s+(?={_DET}\s)", text):
        yield match.start("sym"), rules.to_latex(match.group("sym")) or "", _clause(text[match.end():], rules)
    for match in re.finditer(rf"\bwrite\s+(?P<sym>{rules.math})\s+for\s+", text):
        yield match.start("sym"), rules.to_latex(match.group("sym")) or "", _clause(text[match.end():], rules)


def _count(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    """"$N$ antennas" → "the number of antennas"; not when the word after the symbol is its verb
    ("constraint $C_3$ ensures that ...", "$Q$ specializes the ..."), unless a word that counts
    ("with", "of", "serves") comes before the symbol."""
    pattern = rf"(?P<sym>{rules.math})\s+(?P<noun>(?:{_WORD}\s+){{0,2}}?[A-Za-z-]*[a-z]s)\b(?P<after>\s+\w+)?"
    for match in re.finditer(pattern, text):
        symbol = rules.to_latex(match.group("sym")) or ""
        words = match.group("noun").split()
        verb_like = re.fullmatch(rf"\s+(?:{_DET}|that|to|on|as|all|both|whether|if|how)", match.group("after") or "")
        counted = re.search(r"\b(?:with|of|has|have|serves?|serving|among|between|into|over|across|deploys?|uses?)\s*$",
                            text[: match.start()])
        if re.match(r"^[A-Z](?:_|$)", symbol) and not any(w.lower() in _S_VERBS for w in words) \
                and not (verb_like and not counted):
            yield match.start(), symbol, "the number of " + match.group("noun")


def _appositive(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    """"the transmit power $P$"; set off by commas too: "the transmit power of the BS, $P$, is",
    "$K$, the number of users, grows"."""
    for match in re.finditer(rules.math, text):
        before, after = text[: match.start()], text[match.end():]
        if re.search(r",\s*$", before) and re.match(r"\s*,", after):
            before = before.rstrip().rstrip(",")
        following = re.match(rf",\s+(?P<phrase>{_DET}\s+[^,.;:$()]{{1,60}}?)\s*,", after)
        if following and (found := _NOUN_PHRASE.search(following.group("phrase"))) \
                and found.start() == 0 and _is_name(found.group("phrase")):
            yield match.start(), rules.to_latex(match.group(0)) or "", found.group("phrase")
            continue
        phrase = _phrase_before(before)
        if phrase and (len(phrase.split()) > 2 or phrase.split()[-1].lower() not in _GENERIC):
            yield match.start(), rules.to_latex(match.group(0)) or "", phrase


def _bare(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    """A noun without a determiner right after "with", "at", "using", "allocates"...: "with
    transmit power $P$", "allocates power $p_n$", "at rate $R$" → "the transmit power"..."""
    pattern = (rf"\b(?:with|at|using|allocates|transmits\s+with|operates\s+at)\s+"
               rf"(?P<noun>(?:{_WORD}\s+){{0,2}}{_WORD})\s+(?P<sym>{rules.math})")
    for match in re.finditer(pattern, text, re.IGNORECASE):
        words = [w for w in match.group("noun").split() if w.lower() not in _VAGUE]  # "with equal power $P$"
        symbol = rules.to_latex(match.group("sym")) or ""
        if (words and words[-1].lower() not in _NOT_NAMES and not words[-1].endswith("s")
                and not any(w.lower() in _S_VERBS for w in words) and not _INDEX_LETTER.match(symbol)):
            yield match.start("sym"), symbol, "the " + " ".join(words)  # "user $k$" is an index: see _index


def _stacked(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    """"Stacking the channels of all users in $\\mathbf{H}=[...]$" → "the stack of the channels of all users"."""
    pattern = (rf"\b(?:[Ss]tacking|[Cc]ollecting|[Gg]athering|[Cc]oncatenating)\s+(?P<what>{_DET}\s+[^$,.;:]{{1,80}}?)"
               rf"\s+(?:in|into|as)\s+(?:(?:the|a)\s+(?:vector|matrix)\s+)?(?P<sym>{rules.math})")
    for match in re.finditer(pattern, text):
        yield match.start("sym"), rules.to_latex(match.group("sym")) or "", f"the stack of {match.group('what')}"


def _named_value(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    """"the noise power spectral density is $N_0$." → $N_0$: "the noise power spectral density"."""
    pattern = rf"\s+(?P<verb>is|are|equals)\s+(?:given\s+by\s+)?(?P<sym>{rules.math})(?=\s*(?:[.,;)]|$))"
    for match in re.finditer(pattern, text):
        if phrase := sentence_subject(text[: match.start()], plural=match.group("verb") == "are"):
            yield match.start("sym"), rules.to_latex(match.group("sym")) or "", phrase


def _inline_equation(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    """"The channel gain of user $k$ is $g_k = |h_k|^2$" → $g_k$: "the channel gain of user $k$"
    (an inline equation introduced as a displayed one is: :func:`equation_glossary`)."""
    for match in re.finditer(r"\$(?P<equation>[^$]*=[^$]*)\$", text):
        for symbol, description in equation_glossary([(match.group("equation"), text[: match.start()])]).items():
            yield match.start(), symbol, description


def _index(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    """"the channel of user $k$" and "the $k$-th user", "the $n$th sub-carrier" → $k$: "the user index"."""
    pattern = rf"\b(?:of|at|for|by|to|from|and|on|in|with)\s+(?P<noun>[a-z][a-z-]{{2,}})\s+(?P<sym>{rules.math})"
    for match in re.finditer(pattern, text):
        symbol, noun = rules.to_latex(match.group("sym")) or "", match.group("noun")
        if _INDEX_LETTER.match(symbol) and not noun.endswith("s") and noun not in _NOT_NAMES \
                and not re.fullmatch(_DET, noun):  # "of the $n$-th element" names no index
            yield match.start("sym"), symbol, f"the {noun} index"
    ordinal = rf"\b(?:the|each|every)\s+(?P<sym>{rules.math})-?(?:th|st|nd|rd)\s+(?P<noun>[a-z][a-z-]{{2,}})\b"
    for match in re.finditer(ordinal, text):
        symbol, noun = rules.to_latex(match.group("sym")) or "", match.group("noun")
        if _INDEX_LETTER.match(symbol) and noun not in _NOT_NAMES and not noun.endswith("s"):
            yield match.start("sym"), symbol, f"the {noun} index"


def _variance(text: str, rules: _Syntax) -> Iterator[tuple[int, str, str]]:
    pattern = rf"{rules.gaussian}\s*(?:{_DEFINING_VERB}\s+|(?:is|are)\s+(?=(?:the|a|an)\s))"
    for match in re.finditer(pattern, text):
        description = _tidy(_clause(text[match.end():], rules))
        if description:
            yield match.start(), rules.variance(match.group("var")) or "", f"the variance of {description}"


def _phrase_before(text: str) -> str | None:
    """The noun phrase ending ``text`` if it names a quantity and is no object of a preposition."""
    window = text[-120:]
    phrase = _NOUN_PHRASE.search(window)
    if not phrase or not _is_name(phrase.group("phrase")):
        return None
    if re.search(r"\b(?:of|for|by|between|among)\s*$", window[: phrase.start()], re.IGNORECASE):
        return None
    return phrase.group("phrase")


def _is_name(phrase: str) -> bool:
    """A noun phrase that names a quantity: not "the case", not "the power of user" (an index)."""
    words = re.sub(r"\s*\([^)]*\)$", "", phrase).lower().split()
    if any(w in _S_VERBS for w in words):
        return False
    if "of" in words:
        tail = words[words.index("of") + 1:]
        if not re.fullmatch(_DET, tail[0]) and not tail[-1].endswith("s"):
            return False
    return words[-1] not in _NOT_NAMES


def _clause(text: str, rules: _Syntax) -> str:
    """The description that starts ``text``: up to the next clause or the sentence end."""
    text = text[: sentence_end(text)]
    end = re.search(
        rf"[;:]|,\s*(?:and\s+)?(?:{rules.math}|where\b|which\b|while\b|whereas\b|i\.e\.|e\.g\.)"
        rf"|\s+(?:and|while|whereas)\s+{rules.math}\s|\s+(?:where|which|whereas)\b",
        text,
    )
    return text[: end.start()] if end else text


def _tidy(description: str) -> str:
    description = tidy_description(description)
    description = re.sub(r"^(?:The|A|An|Its|Their|Our|Each)\b", lambda m: m.group(0).lower(), description)
    if not names_something(description) or len(description) > MAX_DESCRIPTION_CHARS or description.count("$") % 2:
        return ""
    return description


# --- equations introduced by a noun phrase -------------------------------------------------------

_INTRODUCED = re.compile(
    r"\s+(?:(?:is|are|reads|becomes)(?:\s+(?:then|thus|hence|therefore|now|simply))?"
    r"(?:\s+(?:given|defined|expressed|written|computed|obtained|modell?ed)\s+(?:by|as))?"
    r"|can\s+be\s+(?:given|defined|expressed|written|computed|obtained|modell?ed)\s+(?:by|as))\s*:?\s*$"
)
_OF_INSTANCE = re.compile(r"\s+(?:of|for|at)\s+(?:the\s+)?[a-z-]+\s+\$[^$]{1,20}\$$")  # " of user $k$"
# A noun phrase after these is no sentence subject: the object of a preposition, or the subject of a
# relative clause ("the angle that the transmitter steers to is").
_NOT_A_SUBJECT = re.compile(r"\b(?:at|in|on|to|from|with|via|through|over|into|across|under|that|which|who)\s*$",
                            re.IGNORECASE)
_LHS = re.compile(r"^(?P<lhs>[^=<>]+?)\s*(?:\([^()]*\))?\s*(?:=|\\triangleq|\\coloneqq)")


def equation_glossary(equations: list[tuple[str, str]]) -> dict[str, str]:
    """{left-hand side: noun phrase} for (latex, text before) pairs such as
    ("P_{\\mathrm{tot}}(\\mathbf{p}) = ...", "The total power consumption is")."""
    glossary: dict[str, str] = {}
    for latex, before in equations:
        lhs, verb = _LHS.match(latex.strip()), _INTRODUCED.search(before)
        if not lhs or not verb or not is_latex_symbol(lhs.group("lhs")):
            continue
        description = sentence_subject(before[: verb.start()], plural=bool(re.search(r"\bare\b", verb.group(0))))
        if description:
            glossary.setdefault(lhs.group("lhs").strip(), description)
    return glossary


def sentence_subject(head: str, *, plural: bool = False) -> str | None:
    """The subject noun phrase ending ``head``, the text before "is"/"are" ("The SINR of user
    $k$" → "the SINR of user $k$"), or None when it is no subject or no name."""
    of = _OF_INSTANCE.search(head)  # "the SINR of user $k$ is": the phrase is "the SINR"
    core = (head[: of.start()] if of else head).rstrip()
    phrase = _phrase_before(core)
    if phrase and _NOT_A_SUBJECT.search(core[: -len(phrase)]):
        phrase = None  # "the signal received at the AP reads": the AP is not the subject
    if plural and phrase and not phrase.split()[-1].endswith("s"):
        return None  # "the link distance and the elevation angle are": which one is this?
    if phrase is None and not plural:
        phrase = _subject_phrase(head)
    return (_tidy(phrase + (of.group(0) if of else "")) or None) if phrase else None


def _subject_phrase(head: str) -> str | None:
    """The whole subject of a short sentence that introduces an equation ("The total power
    consumed by the transmitter [is modelled as]"), when no plain noun phrase ends it."""
    subject = re.split(r"(?<=[.;:])\s+", head.strip())[-1]
    words = subject.split()
    if (re.match(rf"^{_DET}\s", subject, re.IGNORECASE) and 2 <= len(words) <= 10 and "," not in subject
            and "$" not in subject and not any(w.lower() in _S_VERBS for w in words)):
        return subject
    return None


# --- syntaxes ----------------------------------------------------------------------------------

_GREEK_NAMES = frozenset(v.lstrip("\\") for v in GREEK.values()) | {"varepsilon", "varphi", "vartheta", "ell"}
_STYLES = frozenset(
    "mathbf mathrm mathcal mathbb mathsf mathit mathfrak mathscr boldsymbol bm hat bar tilde vec check dot "
    "ddot breve underline overline widehat widetilde".split()
)
_GROUP = re.compile(r"\{[^{}]*\}")
_SCRIPT = re.compile(r"[_^](?:\\[A-Za-z]+|\x00|[^\\])")
_ONE_BASE = re.compile(r"^(?:(?:\\[A-Za-z]+\s*)+\x00|\\[A-Za-z]+|[A-Za-z])'*$")


def is_latex_symbol(latex: str) -> bool:
    """Whether ``latex`` names one symbol (``\\bar{\\gamma}_{\\mathrm{B}}``), not an expression."""
    top = latex.strip()
    while True:  # collapse braced groups, innermost first
        collapsed = _GROUP.sub("\x00", top)
        if collapsed == top:
            break
        top = collapsed
    base = _SCRIPT.sub("", top.replace(" ", ""))
    names = re.findall(r"\\([A-Za-z]+)", base)
    return (bool(_ONE_BASE.match(base)) and not re.search(r"[{}]", base)
            and all(n in _GREEK_NAMES or n in _STYLES for n in names))


def _latex_syntax() -> _Syntax:
    def to_latex(math: str) -> str | None:
        symbol = latex_symbol(math)
        return symbol if is_latex_symbol(symbol) else None

    def variance(latex: str) -> str | None:  # the scalar in front of an identity matrix, if any
        return to_latex(_IDENTITY.sub("", latex))

    return _Syntax(math=r"\$[^$]+\$", to_latex=to_latex, parse_where=parse_latex_definitions,
                   gaussian=_LATEX_GAUSSIAN, variance=variance)


# "$n_k \sim \mathcal{CN}(0, \sigma^2)$" and "$\mathbf{n} \sim \mathcal{CN}(\mathbf{0}, \sigma^2\mathbf{I}_K)$"
_LATEX_GAUSSIAN = r"\$[^$]*?\\sim\s*\\mathcal\{CN\}\s*\(\s*(?:0|\\mathbf\{0\})\s*,\s*(?P<var>[^$]+?)\s*\)\s*\$"
_IDENTITY = re.compile(r"\s*\\mathbf\{I\}(?:_\{?\w+\}?)?$")


# A PDF symbol: a letter or Greek letter with a short subscript read inline ("hk", "σ2", "Nt").
_PDF_TOKEN = r"(?<![\w$])[A-Za-z\u0370-\u03ff][A-Za-z0-9\u0370-\u03ff]{0,2}(?![\w-])"
_ENGLISH = re.compile(r"^(?:[a-z]{3,}|[A-Z][a-z]{2,}|a|A|I|an|it|in|to|of|or|as|is|at|by|on|be|we|if|so|no|up|"
                      r"do|he|me|my|us|am|An|It|In|To|Of|Or|As|Is|At|By|On|Be|We|If|So|No)$")


def _pdf_syntax(to_latex: Callable[[str], str]) -> _Syntax:
    def convert(token: str) -> str | None:
        if _ENGLISH.match(token) or (len(token) > 1 and token.isupper()):  # a word or an acronym
            return None
        return to_latex(token)

    def variance(token: str) -> str | None:  # "σ2" is sigma squared, not sigma sub 2
        return f"{to_latex(token[:-1])}^2" if len(token) > 1 and token.endswith("2") else to_latex(token)

    gaussian = rf"{_PDF_TOKEN}\s*[∼~]\s*CN\(\s*0\s*,\s*(?P<var>[^\s,()]{{1,4}})\s*\)"
    return _Syntax(math=_PDF_TOKEN, to_latex=convert, parse_where=lambda text: parse_pdf_definitions(text, to_latex),
                   gaussian=gaussian, variance=variance)

"""Parse "where x is ..., y denotes ..., and z represents ..." clauses into definitions.

The same parser serves both ingestion paths: LaTeX context keeps inline math as ``$...$``
(the symbol is the math), PDF text has bare Unicode symbols (the symbol is the short token
before the verb, mapped to LaTeX by :func:`wmbench.ingest.pdf_path.pdf_symbol_latex`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

MAX_CLAUSE_CHARS = 1200

# "where" (or "in which", "with") opening the clause, near the start of the text after an equation.
_OPENER = re.compile(r"^\W{0,3}(?:\s*(?:and|respectively)\s*)?\b(?P<word>where|wherein|in which|with)\b[\s,:]*", re.IGNORECASE)

_VERB = (
    r"(?:is|are|was|were|being|denotes?|represents?|stands?\s+for|indicates?|refers?\s+to|"
    r"corresponds?\s+to|describes?|gives?|models?|accounts?\s+for|collects?)"
)
_MATH = r"\$[^$]+\$"  # one inline-math symbol, e.g. $\mathbf{h}_k$
_MATH_LIST = rf"{_MATH}(?:\s*(?:,\s*and|,|and)\s*{_MATH})*"  # "$x$, $y$ and $z$"
_ITEM_START = r"(?:^|(?<=[,;])\s*|(?<=\band)\s+)"  # an item opens the clause or follows "," ";" "and"
# A verb left out after the first item, as in "$x$ is the symbol, $P$ the power": the
# description then starts with a determiner.
DETERMINER = r"(?:the|a|an|its|their|our|each)"  # what opens a noun phrase that names a quantity
_ELLIPSIS = rf"(?:for\s+)?(?={DETERMINER}\s)"  # "..., $W$ for the combiner": "stands" left out
# A LaTeX definition: symbol(s) then a verb (or an elided one), e.g. "$\bh_k$ is", "$x$ and $y$ denote".
_LATEX_ITEM = re.compile(
    rf"{_ITEM_START}(?P<symbols>{_MATH_LIST})\s*(?:\(\s*resp\.[^)]*\)\s*)?(?:(?P<verb>{_VERB})\b|{_ELLIPSIS})", re.IGNORECASE
)
# Where a symbol's LaTeX stops: a relation after it, as in "$\bh_k \in \mathbb{C}^M$".
_RELATION = re.compile(r"\s*(?:\\in\b|\\sim\b|\\triangleq\b|\\geq?\b|\\leq?\b|\\neq\b|[=<>]).*$", re.DOTALL)

# A PDF definition: a short math-looking token then a verb, e.g. "hk is", "σ2 denotes".
_PDF_SYMBOL = r"[^\s,;:()]{1,6}"
_PDF_RELATION_TAIL = r"(?:\s*[∼~∈=≤≥<>][^;]*?)?"  # "hk ∈ CM×1 is": the relation is not part of the symbol
_PDF_ITEM = re.compile(
    rf"{_ITEM_START}(?P<symbols>{_PDF_SYMBOL}(?:\s*(?:,\s*and|,|and)\s*{_PDF_SYMBOL})*)"
    rf"{_PDF_RELATION_TAIL}\s+(?P<verb>{_VERB})\b"
)
_PDF_WORD = re.compile(r"^[a-z]{3,}$|^(?:a|an|it|in|to|of|or|as|is)$")  # a plain word, not a symbol

# Where a clause ends: a full stop followed by a capital letter or the end (not inside $...$).
_SENTENCE_END = re.compile(r"\.(?=\s+[A-Z$]|\s*$)")
_SEPARATORS = re.compile(r"^[\s,;]*(?:and\s+)?|[\s,;]*(?:and|respectively)?[\s,;.]*$", re.IGNORECASE)


# A description that is no noun phrase: a participle and its complement ("measured in bit/s/Hz").
_NOT_A_NOUN = re.compile(
    r"^(?:\w+ed|given|set|chosen|known|written|taken)\s+(?:in|by|as|to|with|from|for|at|on|over|so)\b", re.IGNORECASE
)
# A clause cut off at its verb, from the last ", " or " and " on: "..., the outage probability becomes".
_DANGLING = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)(?:(?!,|\band\b).)*\b(?:is|are|becomes?|reads|holds|yields)$")
# A new clause joined to the description.
_JOINED_CLAUSE = re.compile(
    r",?\s+and\s+(?:we\s+)?(?:assume|let|note|thus|hence|so|then)\b.*$"  # "... ratio and assume ..."
    r"|,\s*(?:so\s+that|such\s+that|which|whereas|while)\b.*$"  # "..., so that the far user ..."
    r"|,?\s+and\s+\$[^$]*=[^$]*\$.*$"  # "... noise and $\mathbf{v}=[...]$": a definition by equation follows
    r"|,?\s+and\s+\$[^$]*\$\s+(?:maps|denotes|represents|stands|is|are|gives|takes|returns|equals|satisfies)\b.*$"
    # "... on $\mathcal{Q}$ and $\psi$ maps ...": another symbol's definition joined on
    r"|,?\s+and\s+(?:the|a|an)\s+[^$,;]*?\b(?:is|are)\s+(?:denoted|given|defined|written)\b.*$"  # ", and the policy is denoted as ..."
    r"|,\s*(?:is|are|was|were|has|have)\b.*$"  # "the tile height in pixels, is patch-embedded ...": the sentence's own verb
    r"|\s+(?:defined|given|detailed|described|derived|shown)\s+in\s+(?:Eq|Eqs|Sec|Section|Fig|Appendix|\(|\\\\(?:eq)?ref).*$"
)
# A full stop inside the description: what follows is another sentence ("... of $y$. black").
_INNER_STOP = re.compile(r"(?<!\b[a-z])(?<!\bi\.e)(?<!\be\.g)\.\s+\S.*$")


def tidy_description(text: str) -> str:
    """``text`` as one line without a dangling or joined clause, or a sentence run on after it."""
    text = " ".join(text.split()).strip(" ,.;:")
    text = _outside_maths(_INNER_STOP, text)
    return _DANGLING.sub("", _JOINED_CLAUSE.sub("", text)).strip(" ,.;:")


def _outside_maths(pattern: re.Pattern[str], text: str) -> str:
    """``text`` cut at the first match of ``pattern`` that starts outside ``$...$``."""
    for match in pattern.finditer(text):
        if text[: match.start()].count("$") % 2 == 0:
            return text[: match.start()]
    return text


# A last word that is no noun: the phrase lost its head ("the one", "a higher", "the larger").
_HEADLESS = re.compile(r"^(?:the|a|an)\s+(?:\w+\s+)?(?:one|ones|other|others|same|former|latter|following|above|"
                       r"first|second|last|\w+er|\w+est)$", re.IGNORECASE)
_NOUNS_IN_ER = frozenset("power user number parameter vector matrix layer filter order center centre encoder decoder "
                         "transmitter receiver buffer counter multiplier carrier cluster controller server identifier "
                         "error factor letter barrier amplifier"
                         .split())


# A list item run into a description: "* bc: backscatter", "• ris: the surface", "- x: ...".
_BULLET = re.compile(r"(?:^|\s)[*•‣▪-]\s+\S+\s*:|\\item\b")


# A word a noun phrase cannot end on: the phrase was cut ("a normalized version of the noise both of").
_CUT_SHORT = re.compile(r"\b(?:of|for|to|from|in|on|at|by|with|and|or|the|a|an|its|their|between|over|via|"
                        r"as|than|both|each|per|into)$|-$", re.IGNORECASE)  # or at a hyphen: "the rate-"
# A head noun that names no quantity without its complement: "the variance" of what?
_BARE_HEAD = re.compile(r"^(?:the|a|an|each)\s+(?:variance|vector|matrix|scalar|variable|parameter|quantity|term|function|"
                        r"set|constant|value|coefficient|factor|index|number|component|element|entry|ratio|sum|"
                        r"signal|symbol|time|duration|distance|position|location|velocity|penalty|representation)$",
                        re.IGNORECASE)
# Maths left outside ``$...$``: a command, a script or a brace in the prose.
_STRAY_MATHS = re.compile(r"\\[A-Za-z]+|[_^{}=]")


def names_something(description: str) -> bool:
    """Whether a description is a noun phrase ("the noise power"), not "measured in dB", a cut
    clause, a phrase without its noun ("the larger") or its complement ("the variance"), one cut
    short at a preposition, or one with maths fragments outside ``$...$``."""
    description = (description or "").strip()
    headless = _HEADLESS.match(description)
    if headless and description.split()[-1].lower() in _NOUNS_IN_ER:
        headless = None
    prose = re.sub(r"\$[^$]*\$", " ", description)
    return (bool(description) and not headless and not _BULLET.search(description) and not _NOT_A_NOUN.match(description)
            and not re.search(r"\b(?:is|are|becomes?)$", description) and not _CUT_SHORT.search(description)
            and not _BARE_HEAD.match(description) and description.count("$") % 2 == 0
            and not _STRAY_MATHS.search(prose))


# Words that say nothing of what a quantity is, left out when two descriptions are compared.
_FUNCTION_WORDS = frozenset(
    "the a an of for to from in on at by with and or its their our each all any this that which is are be as "
    "between over under via per into given used total corresponding respective respectively".split()
)


def _content_words(description: str) -> set[str]:
    prose = re.sub(r"\$[^$]*\$", " ", description.lower())
    return {w.removesuffix("s") for w in re.findall(r"[a-z][a-z-]{2,}", prose) if w not in _FUNCTION_WORDS}


def contradicts(first: str, second: str) -> bool:
    """Whether two descriptions of one symbol name different things: they share no content word
    ("an involution on the quaternions" and "the noise standard deviation"; not "the noise
    variance" and "the variance of the additive noise")."""
    a, b = _content_words(first), _content_words(second)
    return bool(a) and bool(b) and not a & b


def where_clause(text: str) -> str:
    """The "where ..." clause at the start of ``text`` (up to its sentence end), or ''."""
    match = _OPENER.match(text[:MAX_CLAUSE_CHARS])
    if not match:
        return ""
    rest = text[match.end() : match.end() + MAX_CLAUSE_CHARS]
    return rest[: sentence_end(rest)]


def sentence_end(text: str) -> int:
    """Index of the full stop ending the first sentence of ``text`` (not inside ``$...$``), or its length."""
    in_math = False
    for i, ch in enumerate(text):
        if ch == "$":
            in_math = not in_math
        elif ch == "." and not in_math and _SENTENCE_END.match(text, i):
            return i
    return len(text)


def parse_latex_definitions(text_after: str) -> dict[str, str]:
    """Definitions from LaTeX context: ``{"\\mathbf{h}_k": "the channel vector ..."}``."""
    clause = where_clause(text_after)
    return _from_items(clause, list(_LATEX_ITEM.finditer(clause)), _latex_symbols)


def _latex_symbols(symbols: str) -> list[str]:
    return [latex_symbol(m) for m in re.findall(_MATH, symbols)]


def latex_symbol(math: str) -> str:
    """The symbol of one inline math item: ``$\\mathbf{h}_k \\in \\mathbb{C}^M$`` → ``\\mathbf{h}_k``."""
    return _RELATION.sub("", math.strip().strip("$")).strip()


def parse_pdf_definitions(text_after: str, to_latex: Callable[[str], str]) -> dict[str, str]:
    """Definitions from PDF text; ``to_latex`` turns a Unicode symbol into LaTeX."""
    clause = where_clause(text_after)
    items = [m for m in _PDF_ITEM.finditer(clause) if not any(_PDF_WORD.match(s) for s in _pdf_split(m))]

    def symbols(text: str) -> list[str]:
        return [to_latex(s) for s in re.split(r"\s*(?:,\s*and|,|\band\b)\s*", text) if s.strip()]

    return _from_items(clause, items, symbols)


def _pdf_split(match: re.Match[str]) -> list[str]:
    return [s for s in re.split(r"\s*(?:,\s*and|,|\band\b)\s*", match.group("symbols")) if s]


def _from_items(clause: str, items: list[re.Match[str]], symbols: Callable[[str], list[str]]) -> dict[str, str]:
    definitions: dict[str, str] = {}
    for k, item in enumerate(items):
        end = items[k + 1].start() if k + 1 < len(items) else len(clause)
        raw = clause[item.end() : end]
        description = tidy_description(_SEPARATORS.sub("", raw))
        names = [s for s in symbols(item.group("symbols")) if s]
        if not description:
            continue
        parts = _list_items(description) if len(names) > 1 and _RESPECTIVELY.search(raw) else [description]
        if len(parts) > 1 and all(_NOUN_PHRASE_START.match(p) for p in parts) and not _plural_head(parts[0]):
            # "$P$ and $\sigma^2$ are the power and the noise power, respectively": pair them up,
            # or define neither when the counts differ (the joint description fits none of them)
            pairs = zip(names, parts, strict=True) if len(parts) == len(names) else ()
        else:  # one description for all ("the inputs", "the losses of the LoS and NLoS links, respectively")
            pairs = ((name, description) for name in names)
        for symbol, text in pairs:
            if symbol not in definitions:
                definitions[symbol] = text
    return definitions


_RESPECTIVELY = re.compile(r"\brespectively\W*$", re.IGNORECASE)
_NOUN_PHRASE_START = re.compile(rf"{DETERMINER}\s", re.IGNORECASE)  # a list item, not a split phrase


def _plural_head(phrase: str) -> bool:
    """Whether a noun phrase's head is plural: "the channels from the BS and the RIS to user $k$,
    respectively" distributes one plural phrase over the symbols; it is no list of phrases."""
    head = re.split(r"\s+(?:of|from|to|at|in|on|between|for|with|over|under|via)\s", phrase, maxsplit=1)[0].split()[-1]
    return head.lower().endswith("s") and not head.lower().endswith(("ss", "us", "is"))


def _list_items(text: str) -> list[str]:
    """The items of "A, B(,) and C" outside inline maths (an item's own "and" cannot be told apart)."""
    parts, in_math, start, k = [], False, 0, 0
    while k < len(text):
        if text[k] == "$":
            in_math = not in_math
        elif not in_math:
            joint = re.match(r",?\s+and\s+|,\s*", text[k:])
            if joint and (text[k] == "," or text[k:k + 1].isspace()):
                parts.append(text[start:k])
                k += joint.end()
                start = k
                continue
        k += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]

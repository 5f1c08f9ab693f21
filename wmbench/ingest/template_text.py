"""Template and placeholder text left in a draft: the IEEEtran sample article and bare_jrnl /
bare_conf skeletons, conference "use style" guidance, Lorem ipsum and filler like it, "text goes here".

The vocabulary lives here only (the review lint ``template_text`` reads it through
:func:`template_phrase`). A paragraph is template text when it holds one strong phrase,
or two distinct weak markers (words a wireless paper's prose rarely uses but a LaTeX
how-to uses all the time). Ingestion drops template paragraphs from contexts, abstract and
glossary, and marks every equation of a section holding one (and of its subsections) so that no
problem comes from it.
"""

from __future__ import annotations

import re

TEMPLATE_SKIP = "template text (a sample or placeholder section of the draft)"

# One of these is enough: phrases of the IEEEtran samples, conference templates and fillers,
# matched on lower-case text with its whitespace collapsed (a phrase may run across a line break).
_STRONG = re.compile(
    r"\blorem ipsum\b|\bdolor sit amet\b|\bconsectetur adipiscing\b"
    r"|most common article elements|\bsample article\b|\bbare demo of ieeetran|\bstarter file for ieee"
    r"|suitable for submission to the ieee|\binsert your (?:abstract|text|title)\b|\b(?:author names|your name) here\b"
    r"|this (?:demo|sample|template) file is intended|\bskeleton file demonstrating\b"
    r"|\(use style:|\buse style: paper title\b|\bpaper title \(use style"
    r"|\b(?:the )?(?:abstract|introduction|conclusions?) goes here\b"
    r"|\b(?:conclusion|appendix(?: one| two)?|biography|subsection|subsubsection|section|paper|body) text (?:goes )?here\b"
    r"|\btext goes here\b|\bappendix (?:one|two) text\b|\btitle of the paper\b"
    r"|\bi wish you the best of success\b|\bguidance text for composing\b|\bdummy text\b|\bis coded as(?: follows)?:"
    r"|\bthis document is a (?:model|template) (?:and instructions )?for\b"
    r"|\bieeetran(?:\.cls|_howto|\s+class)\b|\bnew_ieeetran_how-to\b|\bbare_(?:jrnl|conf|adv)\b",
    re.I | re.M,
)
_SPACES = re.compile(r"\s+")

# Two different ones make a paragraph about typesetting (or guidance to the author), not about
# the paper's subject.
_WEAK = re.compile(
    r"\b(?P<word>latex|tex|ieeetran|templates?|typeset(?:ting)?|class file|style file|class options?"
    r"|documentclass|how-?to|pdflatex|bibtex|\.cls|\.sty|usepackage|user groups?|ctan"
    r"|you|your|italici[sz]e|punctuate|formatting|page limits?)\b"  # guidance speaks to the author
    # prose about LaTeX commands: "$\backslash${\tt label}" in the source, "\label" in a PDF's text
    r"|(?P<command>\\(?:backslash|label|ref|cite|caption|begin|end|section|includegraphics|documentclass)\b)",
    re.I,
)


# Filler in the manner of Lorem ipsum: long, with almost no English function words and mostly
# Latin-looking endings ("que ipiti sum dem velit ... quatibus apitet voloritet").
_FUNCTION_WORDS = frozenset("the of and a an to in is are be for with on by as that this we it from or at which".split())
_LATIN_ENDING = re.compile(r"(?:um|us|it|et|ae|que|unt|is|am|em|ur|ant|ent|ia|io)$")
_FILLER_MIN_WORDS = 25


def template_phrase(text: str) -> str | None:
    """The first strong template or filler phrase in ``text`` (lower case, whitespace collapsed), or None."""
    match = _STRONG.search(_SPACES.sub(" ", text.lower()))
    return match.group(0) if match else None


def is_template(text: str) -> bool:
    """Whether a paragraph (or a title) is template or placeholder text."""
    if template_phrase(text) or _is_filler(text):
        return True
    markers = {(m.group("word") or "command").lower().rstrip("s") for m in _WEAK.finditer(text)}
    return len({"you" if m.startswith("you") else m for m in markers}) >= 2  # "you" and "your" are one


def _is_filler(text: str) -> bool:
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"\$[^$]*\$", " ", text))]
    if len(words) < _FILLER_MIN_WORDS:
        return False
    function = sum(1 for w in words if w in _FUNCTION_WORDS) / len(words)
    latin = sum(1 for w in words if _LATIN_ENDING.search(w)) / len(words)
    return function < 0.03 and latin > 0.35


def drop_template_paragraphs(text: str, *, keep: str = "") -> tuple[str, int]:
    """``text`` without its template paragraphs (split on blank lines) and how many were dropped;
    the characters in ``keep`` (markers) stay where they were."""
    paragraphs = re.split(r"(\n\s*\n)", text)
    kept, dropped = [], 0
    for k, part in enumerate(paragraphs):
        if k % 2 == 0 and part.strip() and is_template(part):
            dropped += 1
            kept.append("".join(ch for ch in part if ch in keep))
        else:
            kept.append(part)
    return "".join(kept), dropped

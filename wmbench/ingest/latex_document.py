"""Walk a flattened, macro-expanded LaTeX document: title, abstract, sections and equations
with their context (paragraph before, text after, section title) and "where" definitions.

The walk renders the running text into one stream in which each display-math block is a
marker, so the context of an equation is simply the text on either side of its marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexNode,
    LatexSpecialsNode,
    LatexWalker,
    LatexWalkerError,
    get_default_latex_context_db,
)
from pylatexenc.macrospec import MacroSpec

from wmbench.errors import IngestionError
from wmbench.ingest.definitions import parse_latex_definitions
from wmbench.ingest.document import Document
from wmbench.ingest.glossary import build_glossary
from wmbench.ingest.latex_equations import (
    EXTRA_ENVIRONMENTS,
    EquationCounter,
    display_rows,
    is_display_math,
)
from wmbench.paper import Equation

CONTEXT_CHARS = 1200
_BLOCK = "\x01"  # marks a display-math block in the text stream
_BREAK = "\x02"  # marks a section boundary
_REF = "\x03"  # wraps a reference label until numbers are known: \x03label\x03

_SECTIONS = {"section": 1, "subsection": 2, "subsubsection": 3}
_DROPPED_MACROS = {"label", "cite", "citep", "citet", "footnote", "thanks", "vspace", "hspace", "bibliography",
                   "bibliographystyle", "maketitle", "author", "IEEEauthorblockN", "IEEEauthorblockA", "date",
                   "centering", "includegraphics", "caption", "newpage", "clearpage", "appendix"}
_SKIPPED_ENVIRONMENTS = {"thebibliography", "figure", "figure*", "table", "table*", "verbatim", "lstlisting",
                         "comment", "tikzpicture", "IEEEkeywords", "keywords"}
_REFS = {"ref", "eqref", "autoref", "cref", "Cref"}
# Environments the walk skips whole; a real paper's bibliography, figures and tables are a large
# share of its source, so they are cut from the text before parsing (same result, less work).
_SKIPPED_BLOCK = re.compile(
    r"\\begin\{(?P<env>" + "|".join(map(re.escape, sorted(_SKIPPED_ENVIRONMENTS))) + r")\}.*?\\end\{(?P=env)\}",
    re.DOTALL,
)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?](?:\s|$))")
_PER_SECTION = re.compile(r"\\numberwithin\s*\{equation\}\s*\{section\}")  # equations numbered (s.n)

_EXTRA_MACROS = [
    MacroSpec("tag", "*{"),
    MacroSpec("thanks", "{"),
    MacroSpec("IEEEPARstart", "{{"),
    MacroSpec("IEEEauthorblockN", "{"),
    MacroSpec("IEEEauthorblockA", "{"),
    MacroSpec("numberwithin", "{{"),
    MacroSpec("includegraphics", "[{"),
]


@lru_cache(maxsize=1)
def _parse_context():
    """pylatexenc's macro and environment table plus wmbench's (built once: it is read-only)."""
    db = get_default_latex_context_db()
    db.add_context_category("wmbench", macros=_EXTRA_MACROS, environments=EXTRA_ENVIRONMENTS, prepend=True)
    return db


@lru_cache(maxsize=1)
def _to_text() -> LatexNodes2Text:
    """The converter of accents and specials to text (built once: it keeps no state between calls)."""
    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def parse_document(text: str, *, where: str) -> Document:
    """Parse a flattened, macro-expanded document into a :class:`Document`."""
    text = _SKIPPED_BLOCK.sub(" ", text)  # never walked: cut before pylatexenc tokenizes them
    try:
        nodes, _, _ = LatexWalker(text, latex_context=_parse_context(), tolerant_parsing=True).get_latex_nodes()
    except LatexWalkerError as exc:
        raise IngestionError(where, f"LaTeX could not be parsed ({exc})") from None
    walk = _Walk(EquationCounter(per_section=bool(_PER_SECTION.search(text))))
    document = next((n for n in nodes if isinstance(n, LatexEnvironmentNode) and n.environmentname == "document"), None)
    if document is None:
        walk.nodes(nodes)  # a fragment without \begin{document}: all of it is content
    else:  # the preamble only contributes its \title
        preamble = nodes[: nodes.index(document)]
        walk.nodes([n for n in preamble if isinstance(n, LatexMacroNode) and n.macroname == "title"])
        walk.nodes(document.nodelist)
    return walk.finish()


@dataclass
class _Pending:
    """An equation row waiting for its context: the ordinal of its block in the stream."""

    latex: str
    number: str | None
    label: str | None
    section: str | None
    block: int
    aligned: bool = False


class _Walk:
    def __init__(self, counter: EquationCounter) -> None:
        self.counter = counter
        self.stream: list[str] = []
        self.blocks = 0  # display-math blocks met so far
        self.doc = Document()
        self.section: str | None = None
        self.section_count = 0
        self.appendix = False
        self.pending: list[_Pending] = []
        self.labels: dict[str, str] = {}
        self.l2t = _to_text()

    def emit(self, text: str) -> None:
        self.stream.append(text)

    def nodes(self, nodes: list[LatexNode] | None) -> None:
        for node in nodes or []:
            self.node(node)

    def node(self, node: LatexNode) -> None:
        if is_display_math(node):
            self.display(node)
        elif isinstance(node, LatexMathNode):
            self.emit(" ".join(node.latex_verbatim().split()))
        elif isinstance(node, LatexEnvironmentNode):
            self.environment(node)
        elif isinstance(node, LatexMacroNode):
            self.macro(node)
        elif isinstance(node, LatexGroupNode):
            self.nodes(node.nodelist)
        elif isinstance(node, LatexCharsNode):
            self.emit(node.chars)
        elif isinstance(node, LatexSpecialsNode):
            self.emit(" " if node.specials_chars == "~" else self.l2t.nodelist_to_text([node]))
        elif not isinstance(node, LatexCommentNode):
            self.emit(node.latex_verbatim())

    def environment(self, node: LatexEnvironmentNode) -> None:
        name = node.environmentname
        if name == "abstract":
            self.doc.abstract = self.render(node.nodelist)
        elif name == "subequations":  # its line breaks are layout, not paragraph breaks around the block
            self.counter.start_subequations()
            self.nodes([n for n in node.nodelist if not (isinstance(n, LatexCharsNode) and not n.chars.strip())])
            self.counter.end_subequations()
        elif name not in _SKIPPED_ENVIRONMENTS:
            self.nodes(node.nodelist)

    def macro(self, node: LatexMacroNode) -> None:
        name = node.macroname
        args = [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a is not None]
        if name in _SECTIONS:
            self.new_section(node, args)
        elif name == "title":
            self.doc.title = self.render(args[-1:]) if args else ""
        elif name in _REFS and args:
            ref = f"{_REF}{self.render(args[-1:])}{_REF}"
            self.emit(f"({ref})" if name == "eqref" else ref)
        elif name == "appendix":
            self.appendix, self.section_count = True, 0
        elif name in _DROPPED_MACROS:
            return
        elif name == "\\":
            self.emit(" ")
        elif args and name not in ("'", '"', "`", "^", "~", "c", "v", "u", "H", "="):
            self.nodes(args)  # \emph{x}, \textbf{x}, \text{x}: keep the content
        else:
            self.emit(self.l2t.nodelist_to_text([node]))

    def new_section(self, node: LatexMacroNode, args: list[LatexNode]) -> None:
        title = self.render(args[-1:]) if args else ""
        starred = node.nodeargd is not None and node.nodeargd.argnlist and node.nodeargd.argnlist[0] is not None
        self.doc.sections.append(title)  # every level, in reading order (as the PDF path finds them)
        if _SECTIONS[node.macroname] == 1 and not starred:
            self.section_count += 1
            count = self.section_count
            self.counter.new_section(chr(ord("A") + count - 1) if self.appendix else str(count))
        self.section = title
        self.emit(f"\n\n{_BREAK}")

    def display(self, node: LatexNode) -> None:
        rows, numbering = display_rows(node)
        block = self.blocks
        self.emit(_BLOCK)
        numbered_block = numbering == "block" and any(r.numbered for r in rows)
        for k, row in enumerate(rows):
            if row.tag is not None:
                number = row.tag
            elif (numbering != "block" and row.numbered) or (numbered_block and k == 0):  # starred: \IEEEyesnumber
                number = self.counter.next()
            else:
                number = None
            label = row.label
            if label is None and numbering == "block" and k == 0:
                label = next((r.label for r in rows if r.label), None)
            if label and number:
                self.labels[label] = number
            self.pending.append(_Pending(row.latex, number, label, self.section, block, row.aligned))
        self.blocks += 1

    def render(self, nodes: list[LatexNode]) -> str:
        """Plain text of some nodes, inline math kept as ``$...$``."""
        sub = _Walk(self.counter)
        sub.nodes(nodes)
        return " ".join("".join(sub.stream).replace(_BLOCK, " ").replace(_BREAK, " ").split())

    def finish(self) -> Document:
        stream = self._resolve_refs("".join(self.stream))
        # where each block's marker is, found after the references are resolved (that changes lengths)
        markers = [i for i, char in enumerate(stream) if char == _BLOCK]
        for item in self.pending:
            before = _paragraph_before(stream, markers[item.block])
            after = _paragraph_after(stream, markers[item.block] + 1)
            self.doc.equations.append(
                Equation(latex=item.latex, number=item.number, label=item.label, section=item.section,
                         context_before=before, context_after=after,
                         definitions=parse_latex_definitions(after), source="latex", confidence=1.0,
                         aligned=item.aligned)
            )
        self.doc.title = self._resolve_refs(self.doc.title)
        self.doc.abstract = self._resolve_refs(self.doc.abstract)
        prose = stream.replace(_BLOCK, " ").replace(_BREAK, "\n\n")
        self.doc.glossary = build_glossary(f"{self.doc.abstract}\n\n{prose}", "latex")
        return self.doc

    def _resolve_refs(self, text: str) -> str:
        return re.sub(f"{_REF}([^{_REF}]*){_REF}", lambda m: self.labels.get(m.group(1).strip(), "?"), text)


def _paragraph_before(stream: str, block: int) -> str:
    start = max(stream.rfind(_BLOCK, 0, block), stream.rfind(_BREAK, 0, block), stream.rfind("\n\n", 0, block))
    text = _clean(stream[start + 1 : block])
    return text[-CONTEXT_CHARS:] if len(text) > CONTEXT_CHARS else text


def _paragraph_after(stream: str, start: int) -> str:
    ends = [i for i in (stream.find(_BLOCK, start), stream.find(_BREAK, start), stream.find("\n\n", start)) if i >= 0]
    text = _clean(stream[start : min(ends) if ends else len(stream)])
    return text[:CONTEXT_CHARS]


def _clean(text: str) -> str:
    text = " ".join(text.replace(_BLOCK, " ").replace(_BREAK, " ").split())
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)  # "antennas~\cite{x}." leaves "antennas ."

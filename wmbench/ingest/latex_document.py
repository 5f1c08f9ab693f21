"""Walk a flattened, macro-expanded LaTeX document: title, abstract, sections and equations
with their context (paragraph before, text after, section title) and "where" definitions.

The walk renders the running text into one stream in which each display-math block is a
marker, so the context of an equation is simply the text on either side of its marker.
Sections are read as commands or as environments (``\\begin{section}{Title}``); floats are cut
before parsing but their display maths stays (:mod:`wmbench.ingest.latex_refs` numbers their
captions); references resolve from labels or read neutrally. Template text (a leftover sample
article, :mod:`wmbench.ingest.template_text`) is dropped from the prose, and the equations of a
section that holds it are marked to be skipped.
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
from pylatexenc.macrospec import EnvironmentSpec, MacroSpec

from wmbench.errors import IngestionError
from wmbench.ingest.definitions import parse_latex_definitions
from wmbench.ingest.document import Document
from wmbench.ingest.glossary import build_glossary
from wmbench.ingest.latex_equations import (
    EXTRA_ENVIRONMENTS,
    MATH_ENVIRONMENTS,
    EquationCounter,
    display_rows,
    is_display_math,
)
from wmbench.ingest.latex_refs import (
    FLOAT_KINDS,
    REF_COMMANDS,
    FloatNumbers,
    SectionNumbers,
    Target,
    TheoremNumbers,
    is_ieee,
    print_reference,
    rewrite_unresolved,
    theorem_environments,
)
from wmbench.ingest.template_text import TEMPLATE_SKIP, drop_template_paragraphs, is_template
from wmbench.paper import Equation, Region

CONTEXT_CHARS = 1200
_BLOCK = "\x01"  # marks a display-math block in the text stream
_BREAK = "\x02"  # marks a section boundary
_REF = "\x03"  # wraps a reference label until numbers are known: \x03label\x03

_SECTIONS = {"section": 1, "subsection": 2, "subsubsection": 3}
_DROPPED_MACROS = {"cite", "citep", "citet", "footnote", "thanks", "vspace", "hspace", "bibliography",
                   "bibliographystyle", "maketitle", "author", "IEEEauthorblockN", "IEEEauthorblockA", "date",
                   "centering", "includegraphics", "caption", "newpage", "clearpage", "appendix", "appendices",
                   "nomenclature", "pagestyle", "thispagestyle"}
# Environments that number what a \label inside refers to in a way the walk does not follow.
_NUMBERED_UNKNOWN = {"theorem", "lemma", "proposition", "corollary", "definition", "remark", "example",
                     "assumption", "conjecture", "claim", "property", "problem", "exercise", "fact", "observation",
                     "enumerate", "algorithmic"}
# Proof environments (amsthm's, IEEEtran's): their equations are steps of an argument.
_PROOFS = {"proof", "IEEEproof"}
_LOGOS = {"LaTeX": "LaTeX", "TeX": "TeX", "LaTeXe": "LaTeX2e", "BibTeX": "BibTeX"}
_SKIPPED_ENVIRONMENTS = {"thebibliography", "verbatim", "verbatim*", "Verbatim", "BVerbatim", "LVerbatim", "minted",
                         "lstlisting", "comment", "tikzpicture", "IEEEkeywords", "keywords", *FLOAT_KINDS}
# Environments the walk skips whole; a real paper's bibliography, figures and tables are a large
# share of its source, so they are cut from the text before parsing (same result, less work).
# A float keeps its display maths (a wide equation set as a figure*), not its caption or plot.
_SKIPPED_BLOCK = re.compile(
    r"\\begin\{(?P<env>" + "|".join(map(re.escape, sorted(_SKIPPED_ENVIRONMENTS, key=len, reverse=True)))
    + r")\}(?P<body>.*?)\\end\{(?P=env)\}",
    re.DOTALL,
)
# tabbing's \= \> \< \+ \- \kill are alignment marks (\= is not the macron accent there)
# A URL is read verbatim by LaTeX: its "$", "#" or "_" must not reach the parser.
_URL = re.compile(r"\\(?:url|path|nolinkurl)\s*\{[^{}]*\}|\\href\s*\{[^{}]*\}")
_TABBING = re.compile(r"\\begin\{tabbing\}.*?\\end\{tabbing\}", re.DOTALL)
_TABBING_MARKS = re.compile(r"\\(?:[=><+\-']|kill)(?![A-Za-z@])")
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
    MacroSpec("nomenclature", "[{{"),
    MacroSpec("abstract", "[{"),  # Wiley's and Elsevier's classes: \abstract[Summary]{...}
    MacroSpec("hyperref", "[{"),
    # revision colours: the text they wrap is the paper's, the colour is markup
    *(MacroSpec(name, spec) for name, spec in (("textcolor", "[{{"), ("colorbox", "[{{"), ("fcolorbox", "[{{{"),
                                               ("color", "[{"), ("pagecolor", "[{"), ("sethlcolor", "{"))),
    *(MacroSpec(name, "*{") for name in sorted(REF_COMMANDS)),
]
# Sections written as environments: \begin{section}[short]{Title} ... \end{section}
_SECTION_ENVIRONMENTS = [EnvironmentSpec(name + star, "[{") for name in _SECTIONS for star in ("", "*")]


@lru_cache(maxsize=1)
def _parse_context():
    """pylatexenc's macro and environment table plus wmbench's (built once: it is read-only)."""
    db = get_default_latex_context_db()
    db.add_context_category("wmbench", macros=_EXTRA_MACROS, environments=[*EXTRA_ENVIRONMENTS, *_SECTION_ENVIRONMENTS],
                            prepend=True)
    return db


@lru_cache(maxsize=1)
def _to_text() -> LatexNodes2Text:
    """The converter of accents and specials to text (built once: it keeps no state between calls)."""
    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def parse_document(text: str, *, where: str) -> Document:
    """Parse a flattened, macro-expanded document into a :class:`Document`."""
    ieee = is_ieee(text)
    floats = FloatNumbers(ieee)

    def cut(match: re.Match[str]) -> str:
        env = match.group("env")
        return f" {floats.cut(env, match.group('body'))} " if env in FLOAT_KINDS else " "

    text = _SKIPPED_BLOCK.sub(cut, text)  # never walked: cut before pylatexenc tokenizes them
    text = _TABBING.sub(lambda m: _TABBING_MARKS.sub(" ", m.group(0)), _URL.sub(" ", text))
    try:
        nodes, _, _ = LatexWalker(text, latex_context=_parse_context(), tolerant_parsing=True).get_latex_nodes()
    except LatexWalkerError as exc:
        raise IngestionError(where, f"LaTeX could not be parsed ({exc})") from None
    walk = _Walk(EquationCounter(per_section=bool(_PER_SECTION.search(text))), SectionNumbers(ieee),
                 TheoremNumbers(theorem_environments(text)), floats.labels)
    document = next((n for n in nodes if isinstance(n, LatexEnvironmentNode) and n.environmentname == "document"), None)
    if document is None:
        walk.nodes(nodes)  # a fragment without \begin{document}: all of it is content
    else:  # the preamble only contributes its \title (and an \abstract{...} given as a command)
        preamble = nodes[: nodes.index(document)]
        walk.nodes([n for n in preamble if isinstance(n, LatexMacroNode) and n.macroname in ("title", "abstract")])
        walk.nodes(document.nodelist)
    result = walk.finish()
    expected = _display_blocks_in(text)
    if walk.blocks < expected:  # a construct the parser misread swallowed part of the document
        result.warnings.append(f"{expected - walk.blocks} of {expected} display-math blocks could not be read "
                               "(the LaTeX around them does not parse)")
    return result


_MATH_NAMES = "|".join(re.escape(n) for n in sorted(MATH_ENVIRONMENTS, key=len, reverse=True))
_DISPLAY_OPENERS = re.compile(r"\\begin\{(?:" + _MATH_NAMES + r")\}|(?<!\\)\\\[|\$\$")


def _display_blocks_in(text: str) -> int:
    """How many display-math blocks the document body opens (``$$`` counts once per pair)."""
    start = text.find("\\begin{document}")
    openers = _DISPLAY_OPENERS.findall(text[start if start >= 0 else 0 :])
    return sum(1 for o in openers if o != "$$") + sum(1 for o in openers if o == "$$") // 2


@dataclass
class _Pending:
    """An equation row waiting for its context: the ordinal of its block in the stream."""

    latex: str
    number: str | None
    label: str | None
    section: str | None
    block: int
    aligned: bool = False
    region: Region = "body"


class _Walk:
    def __init__(self, counter: EquationCounter, sections: SectionNumbers, theorems: TheoremNumbers,
                 labels: dict[str, Target]) -> None:
        self.counter = counter
        self.sections = sections
        self.theorems = theorems
        self.stream: list[str] = []
        self.blocks = 0  # display-math blocks met so far
        self.doc = Document()
        self.section: str | None = None
        self.section_of_block: list[int] = []  # per block: how many section breaks came before it
        self.breaks = 0
        self.break_levels: list[int] = [0]  # the level of each section break (0: the front matter)
        self.pending: list[_Pending] = []
        self.labels = labels  # label -> what it numbers (floats are numbered before the walk)
        self.titles: dict[str, str] = {}  # section label -> section title, for \nameref
        self.target: Target | None = None  # what a \label here would name (LaTeX's \@currentlabel)
        self.proofs = 0  # depth of the proof environments around the walk
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
        elif name.rstrip("*") in _PROOFS:
            self.proofs += 1
            self.nodes(node.nodelist)
            self.proofs -= 1
        elif name in ("appendix", "appendices"):  # \begin{appendices} ... \end{appendices}
            self.sections.start_appendix()
            self.nodes(node.nodelist)
        elif name.rstrip("*") in _SECTIONS:  # \begin{section}{Title} ... \end{section}
            self.new_section(name.rstrip("*"), _arguments(node), starred=name.endswith("*"))
            self.nodes(node.nodelist)
        elif name in self.theorems.environments or name.rstrip("*").lower() in _NUMBERED_UNKNOWN:
            # a theorem of the paper's own \newtheorem is numbered; one its class declares, or an
            # enumerate item, has a number we cannot know: a \label there names nothing
            outer = self.target
            known = name in self.theorems.environments
            self.target = (self.theorems.step(name, self.sections.top()) or outer) if known else None
            self.nodes(node.nodelist)
            self.target = outer
        elif name not in _SKIPPED_ENVIRONMENTS:
            self.nodes(node.nodelist)

    def macro(self, node: LatexMacroNode) -> None:
        name = node.macroname
        args = _arguments(node)
        if name in _SECTIONS:
            starred = node.nodeargd is not None and bool(node.nodeargd.argnlist) and node.nodeargd.argnlist[0] is not None
            self.new_section(name, args, starred=starred)
        elif name == "title":
            self.doc.title = self.render(args[-1:]) if args else ""
        elif name == "abstract" and args:
            self.doc.abstract = self.render(args[-1:])
        elif name in REF_COMMANDS and args:
            self.emit(f"{_REF}{name}{_REF}{self.render(args[-1:])}{_REF}")
        elif name == "label" and args:
            if self.target is not None:
                self.labels.setdefault(self.render(args[-1:]), self.target)
            if self.target is not None and self.target.kind in ("section", "appendix") and self.section:
                self.titles.setdefault(self.render(args[-1:]), self.section)
        elif name in ("appendix", "appendices"):
            self.sections.start_appendix()
        elif name in _DROPPED_MACROS:
            return
        elif name == "item":  # a list item reads as running text, without a bullet
            self.emit(f" {self.render(args)} " if args else " ")
        elif name in _LOGOS:
            self.emit(_LOGOS[name])
        elif name in ("hyperref", "textcolor", "colorbox", "fcolorbox") and args:
            self.nodes(args[-1:])
        elif name in ("color", "pagecolor", "sethlcolor"):
            return
        elif name == "\\":
            self.emit(" ")
        elif args and name not in ("'", '"', "`", "^", "~", "c", "v", "u", "H", "="):
            self.nodes(args)  # \emph{x}, \textbf{x}, \text{x}: keep the content
        else:
            self.emit(self.l2t.nodelist_to_text([node]))

    def new_section(self, name: str, args: list[LatexNode], *, starred: bool) -> None:
        title = self.render(args[-1:]) if args else ""
        self.doc.sections.append(title)  # every level, in reading order (as the PDF path finds them)
        level = _SECTIONS[name]
        if not starred:
            number = self.sections.step(level)
            if level == 1:
                self.counter.new_section(self.sections.top())
                self.theorems.new_section()
            self.target = Target("appendix" if self.sections.appendix and level == 1 else "section", number)
        self.section = title
        self.breaks += 1
        self.break_levels.append(level)
        self.emit(f"\n\n{_BREAK}")

    def display(self, node: LatexNode) -> None:
        rows, numbering = display_rows(node)
        block = self.blocks
        self.emit(_BLOCK)
        self.section_of_block.append(self.breaks)
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
                self.labels[label] = Target("equation", number)
            self.pending.append(_Pending(row.latex, number, label, self.section, block, row.aligned, self.region()))
        self.blocks += 1

    def region(self) -> Region:
        """Where the walk is: a proof (innermost wins), an appendix, or the body."""
        return "proof" if self.proofs else "appendix" if self.sections.appendix else "body"

    def render(self, nodes: list[LatexNode]) -> str:
        """Plain text of some nodes, inline math kept as ``$...$``."""
        sub = _Walk(self.counter, self.sections, self.theorems, self.labels)
        sub.section, sub.target = self.section, self.target
        sub.nodes(nodes)
        return " ".join("".join(sub.stream).replace(_BLOCK, " ").replace(_BREAK, " ").split())

    def finish(self) -> Document:
        stream = self._resolve_refs("".join(self.stream))
        stream, template_sections = _drop_template(stream, self.break_levels)
        # where each block's marker is, found after the references are resolved (that changes lengths)
        markers = [i for i, char in enumerate(stream) if char == _BLOCK]
        for item in self.pending:
            before = _paragraph_before(stream, markers[item.block])
            after = _paragraph_after(stream, markers[item.block] + 1)
            template = self.section_of_block[item.block] in template_sections
            latex, missing = self._math_refs(item.latex)
            skip = TEMPLATE_SKIP if template else (MISSING_REF_SKIP if missing else None)
            self.doc.equations.append(
                Equation(latex=latex, number=item.number, label=item.label, section=item.section,
                         context_before=before, context_after=after,
                         definitions={} if template else parse_latex_definitions(after), source="latex",
                         confidence=1.0, aligned=item.aligned, skip=skip, region=item.region)
            )
        self.doc.title = "" if is_template(self.doc.title) else self._resolve_refs(self.doc.title)
        abstract = self._resolve_refs(self.doc.abstract)
        self.doc.abstract = "" if is_template(abstract) else abstract
        titles = [t for k, t in enumerate(self.doc.sections, 1) if k not in template_sections]
        self.doc.template_sections = len(self.doc.sections) - len(titles)
        self.doc.sections = titles
        prose = stream.replace(_BLOCK, " ").replace(_BREAK, "\n\n")
        self.doc.glossary = build_glossary(f"{self.doc.abstract}\n\n{prose}", "latex")
        return self.doc

    def _math_refs(self, latex: str) -> tuple[str, bool]:
        """An equation's references to equations as printed numbers (``\\text{(3)}``); whether
        one names a missing label."""
        missing = False

        def printed(match: re.Match[str]) -> str:
            nonlocal missing
            target = self.labels.get(match.group("label").strip())
            if target is None:
                missing = True
                return match.group(0)
            number = target.number if match.group("command") == "ref" else f"({target.number})"
            return rf"\text{{{number}}}"

        return _MATH_REF.sub(printed, latex), missing

    def _resolve_refs(self, text: str) -> str:
        def printed(match: re.Match[str]) -> str:  # \cref{a,b} refers to two labels
            labels = [label.strip() for label in match.group("label").split(",") if label.strip()]
            return " and ".join(print_reference(match.group("command"), label, self.labels.get(label),
                                                self.titles.get(label)) for label in labels)

        return rewrite_unresolved(_REF_MARK.sub(printed, text))


_MATH_REF = re.compile(r"\\(?P<command>eqref|ref)\*?\s*\{(?P<label>[^{}]*)\}")
MISSING_REF_SKIP = "refers to an equation by a label the paper never defines"
_REF_MARK = re.compile(f"{_REF}(?P<command>[^{_REF}]*){_REF}(?P<label>[^{_REF}]*){_REF}")


def _arguments(node: LatexMacroNode | LatexEnvironmentNode) -> list[LatexNode]:
    return [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a is not None]


def _drop_template(stream: str, levels: list[int]) -> tuple[str, set[int]]:
    """The stream without template paragraphs, and the sections (numbered by the breaks before
    them, 0 the front matter) that held any, with their subsections."""
    parts = stream.split(_BREAK)
    template: set[int] = set()
    inside: int | None = None  # the level of the template section we are in
    for k, part in enumerate(parts):
        level = levels[k] if k < len(levels) else 1
        if inside is not None and (k == 0 or level <= inside):
            inside = None
        cleaned, dropped = drop_template_paragraphs(part, keep=_BLOCK)
        if dropped:
            parts[k] = cleaned
            if k > 0 and inside is None:
                inside = level
        if dropped or inside is not None:
            template.add(k)
    return _BREAK.join(parts), template


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

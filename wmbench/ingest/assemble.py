"""Ingest one paper: the LaTeX path for equations when a source is given, the PDF's plain text
for page numbers (or the PDF path for everything when there is no usable source).

A pair degrades gracefully: an unusable PDF leaves the LaTeX equations without pages, an
unusable source (missing ``\\input``, recursive macros, unsafe archive) falls back to the PDF;
either way the reason is kept as a warning. Only when nothing is usable does it raise.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from wmbench.errors import IngestionError
from wmbench.ingest.archives import DEFAULT_LIMITS, ArchiveLimits
from wmbench.ingest.discover import PaperInput
from wmbench.ingest.document import Document
from wmbench.ingest.glossary import equation_glossary
from wmbench.ingest.latex_path import read_latex_paper
from wmbench.ingest.pages import assign_pages, read_page_texts
from wmbench.ingest.pdf_path import read_pdf_paper
from wmbench.ingest.template_text import TEMPLATE_SKIP, is_template
from wmbench.paper import Equation, Paper


def display_name(path: Path) -> str:
    """How an input file is named in errors and reports: its name in the papers folder."""
    return path.name + ("/" if path.is_dir() else "")


def ingest_paper(item: PaperInput, *, limits: ArchiveLimits = DEFAULT_LIMITS) -> Paper:
    """The :class:`Paper` for ``item``; raises IngestionError(file, reason) if nothing is usable."""
    return ingest_with_warnings(item, limits=limits)[0]


def ingest_with_warnings(item: PaperInput, *, limits: ArchiveLimits = DEFAULT_LIMITS) -> tuple[Paper, dict[str, str]]:
    """The paper and, per input file name, the warning or failure reason met while reading it."""
    problems: dict[str, str] = {}
    latex_doc: Document | None = None
    pdf_doc: Document | None = None
    page_texts: list[str] | None = None
    warnings: list[str] = []
    if item.source is not None:
        try:
            latex_doc, warnings = read_latex_paper(item.source, where=display_name(item.source), limits=limits)
        except IngestionError as exc:
            if item.pdf is None:
                raise
            problems[display_name(item.source)] = exc.reason
    if item.pdf is not None:
        try:
            if latex_doc is not None:  # the PDF only gives page numbers: its text is enough
                page_texts = read_page_texts(item.pdf, where=display_name(item.pdf))
            else:
                pdf_doc = read_pdf_paper(item.pdf, where=display_name(item.pdf))
        except IngestionError as exc:
            if latex_doc is None:
                first = f"{next(iter(problems.values()))}; " if problems else ""
                raise IngestionError(display_name(item.pdf), f"{first}{exc.reason}") from None
            problems[display_name(item.pdf)] = exc.reason
    if warnings and item.source is not None:
        problems.setdefault(display_name(item.source), "; ".join(warnings))
    return _paper(item, latex_doc, pdf_doc, page_texts), problems


def _glossary(prose: dict[str, str], equations: list[Equation]) -> dict[str, str]:
    """The prose glossary, then the left-hand sides of equations a noun phrase introduces (which
    also win where they say more: "the effective channel of user $k$" over "the effective channel")."""
    introduced = equation_glossary([(e.latex, e.context_before) for e in equations])
    return {**prose, **{k: v for k, v in introduced.items() if k not in prose or v.startswith(prose[k] + " ")}}


def _unless_template(equation: Equation) -> Equation:
    """The equation, marked to be skipped when the text around it is template text (either path)."""
    if equation.skip is None and (is_template(equation.context_before) or is_template(equation.context_after)):
        return replace(equation, skip=TEMPLATE_SKIP)
    return equation


def _paper(item: PaperInput, latex_doc: Document | None, pdf_doc: Document | None,
           page_texts: list[str] | None) -> Paper:
    meta = item.metadata
    if latex_doc is not None:
        equations = latex_doc.equations
        if page_texts is not None:
            assign_pages(equations, page_texts)
    else:
        equations = pdf_doc.equations if pdf_doc is not None else []
    equations = [_unless_template(e) for e in equations]
    pdf_read = pdf_doc is not None or page_texts is not None
    used = [display_name(p) for p, ok in ((item.pdf, pdf_read), (item.source, latex_doc is not None)) if p is not None and ok]
    best = latex_doc or pdf_doc
    return Paper(
        paper_id=item.paper_id,
        title=str(meta.get("title") or (latex_doc and latex_doc.title) or (pdf_doc and pdf_doc.title) or ""),
        abstract=next((a for a in (latex_doc and latex_doc.abstract, pdf_doc and pdf_doc.abstract)
                       if a and not is_template(a)), ""),
        license=meta.get("license") or None,
        arxiv_id=meta.get("arxiv_id") or None,
        sources=sorted(used),
        source_hash=item.content_hash(),
        equations=equations,
        sections=list(best.sections) if best else [],
        glossary=_glossary(best.glossary if best else {}, equations),
    )

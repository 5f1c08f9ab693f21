"""The LaTeX path: source (folder, .tex, archive) -> flattened text -> macros, then acronyms,
expanded -> document."""

from __future__ import annotations

from pathlib import Path

from wmbench.ingest.archives import DEFAULT_LIMITS, ArchiveLimits
from wmbench.ingest.document import Document
from wmbench.ingest.latex_acronyms import collect_acronyms, expand_acronyms
from wmbench.ingest.latex_document import parse_document
from wmbench.ingest.latex_macros import PACKAGE_MACROS, collect_macros, expand_macros
from wmbench.ingest.latex_project import load_latex_source


def read_latex_paper(
    source: Path, *, where: str, limits: ArchiveLimits = DEFAULT_LIMITS
) -> tuple[Document, list[str]]:
    """The document of a LaTeX source and the warnings met on the way."""
    project = load_latex_source(source, where=where, limits=limits)
    text, macros, warnings = collect_macros(project.text)
    expanded, acronyms = collect_acronyms(expand_macros(text, {**PACKAGE_MACROS, **macros}, where=where))
    expanded, acronym_warnings = expand_acronyms(expanded, acronyms)
    document = parse_document(expanded, where=where)
    return document, [*project.warnings, *warnings, *acronym_warnings, *document.warnings]

"""Paper ingestion: a folder of PDFs and LaTeX sources -> :class:`wmbench.paper.Paper` records.

Stages, one module each: ``discover`` (group files into papers) -> ``archives`` (safe
extraction) -> ``latex_project`` / ``latex_macros`` / ``latex_acronyms`` / ``latex_document``
with ``latex_equations`` and ``latex_refs`` (the exact LaTeX path) and ``pdf_layout`` /
``pdf_equations`` / ``pdf_latex`` / ``pdf_path`` (the PDF path) -> ``pages`` (pages for LaTeX equations) -> ``assemble`` (one paper) ->
``runner`` (a folder, in parallel, with a report). ``definitions`` parses "where" clauses;
``template_text`` spots template text left in a draft.
"""

from wmbench.ingest.assemble import ingest_paper
from wmbench.ingest.discover import PaperInput, discover_papers
from wmbench.ingest.runner import ingest_folder, read_papers

__all__ = ["PaperInput", "discover_papers", "ingest_folder", "ingest_paper", "read_papers"]

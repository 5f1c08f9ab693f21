"""Review: lint problems for machine-detectable defects, summarise, and sample a review sheet.

The lints (:mod:`wmbench.review.lints`) are also build gates; the vocabularies they check
against (renderable commands, units) are in :mod:`wmbench.review.vocabulary`, template phrases
in :mod:`wmbench.ingest.template_text`, which ingestion drops first.
"""

from wmbench.review.lints import LINTS, Lint, lint_problem
from wmbench.review.sheet import render_sheet
from wmbench.review.summary import Review, review, table_rows

__all__ = ["LINTS", "Lint", "Review", "lint_problem", "render_sheet", "review", "table_rows"]

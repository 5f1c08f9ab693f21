"""What the LaTeX path leaves behind on third-party sources: a figure per defect class, per paper.

For every paper of the folder with a LaTeX source: its display equations; those whose context
shows a reference that printed "?" ("Fig. ?", "(?)"); those whose LaTeX holds a command no
renderer knows (``\\gls``, ``\\ref``, ``\\IEEEeqnarraynumspace``, a package's ``\\mathbbm``);
those marked as template text; and the display-math blocks the walk could not read. A source
that does not load is listed with its reason.

    .venv/bin/python benchmarks/latex_leftovers.py [--papers ../shared/real-papers/papers]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from rich.console import Console
from rich.table import Table

from wmbench.errors import IngestionError
from wmbench.ingest import discover_papers
from wmbench.ingest.latex_path import read_latex_paper
from wmbench.review.vocabulary import RENDERABLE_COMMANDS

REPO = Path(__file__).resolve().parents[1]
_QUESTION_REF = re.compile(r"(?:Fig\.?|Figure|Table|Section|Sec\.|Theorem|Lemma|Proposition|Corollary|Eq\.|"
                           r"Algorithm|Appendix)[\s~]*\?|\(\?\)")
_COMMAND = re.compile(r"(?<!\\)(?:\\\\)*\\([A-Za-z@]+)")  # a control word, not the letters after a "\\" break
_UNREAD = re.compile(r"(\d+) of \d+ display-math blocks could not be read")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=Path, default=REPO.parent / "shared" / "real-papers" / "papers")
    args = parser.parse_args()
    table = Table(title=f"LaTeX path leftovers in {args.papers}")
    for column in ("paper", "equations", "'?' reference", "unknown command", "template", "unread blocks"):
        table.add_column(column, justify="left" if column == "paper" else "right")
    totals = [0, 0, 0, 0, 0]
    failures: list[str] = []
    for item in discover_papers(args.papers)[0]:
        if item.source is None:
            continue
        try:
            document, warnings = read_latex_paper(item.source, where=item.source.name)
        except IngestionError as exc:
            failures.append(f"{item.paper_id}: not loaded ({exc.reason})")
            continue
        rows = document.equations
        counts = [
            len(rows),
            sum(1 for e in rows if _QUESTION_REF.search(f"{e.context_before} {e.context_after}")),
            sum(1 for e in rows if any(c not in RENDERABLE_COMMANDS for c in _COMMAND.findall(e.latex))),
            sum(1 for e in rows if (e.skip or "").startswith("template")),
            sum(int(m.group(1)) for w in warnings if (m := _UNREAD.search(w))),
        ]
        totals = [t + c for t, c in zip(totals, counts)]
        table.add_row(item.paper_id, *map(str, counts))
    table.add_row("all", *map(str, totals))
    console = Console()
    console.print(table)
    for failure in failures:
        console.print(failure)


if __name__ == "__main__":
    main()

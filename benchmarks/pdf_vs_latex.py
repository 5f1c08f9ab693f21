"""How often the PDF path's keyed equations are equations of the paper: PDF reconstruction
against the LaTeX of the same paper, on papers that come with both.

For every paper folder ``SOURCES/<id>/`` with a ``PAPERS/<id>.pdf`` beside it, the PDF is read
alone (the PDF-only path: ingestion, selection, generation and gates of ``wmbench build``) and
its LaTeX source by the LaTeX path, as the reference. Each equation the build keys answers on
(the completed equation of its problems), and each equation ingestion gives with a confidence at
or above the selection threshold, is scored by its best token similarity
(:func:`wmbench.ingest.recovery.similarity`) to any display equation of the reference. Prints
per paper and overall the share that reach the match level (target: >= 90% of keyed equations).

    .venv/bin/python benchmarks/pdf_vs_latex.py [REAL_PAPERS] [--seed 0] [--match 0.8] [--show 0]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console
from rich.table import Table

from wmbench.build.paper_job import generate_paper
from wmbench.build.select import SelectConfig, clean_latex
from wmbench.errors import IngestionError
from wmbench.ingest import PaperInput, ingest_paper
from wmbench.ingest.latex_path import read_latex_paper
from wmbench.ingest.recovery import best_similarity

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, nargs="?", default=REPO.parent / "shared" / "real-papers",
                        help="a folder with papers/<id>.pdf and sources/<id>/")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--match", type=float, default=0.8, help="similarity that counts as a match")
    parser.add_argument("--show", type=int, default=0, help="print this many worst keyed equations per paper")
    args = parser.parse_args()
    threshold = SelectConfig().min_pdf_confidence
    table = Table(title=f"PDF-only equations vs the paper's LaTeX (match: similarity >= {args.match})")
    for column in ("paper", "ingested >= thr", "matched", "keyed eqs", "matched", "keyed problems", "matched"):
        table.add_column(column, justify="left" if column == "paper" else "right")
    totals = [0] * 6
    console = Console(width=160)
    worst: list[tuple[str, float, str, str]] = []
    for source in sorted(p for p in (args.folder / "sources").iterdir() if p.is_dir()):
        pdf = args.folder / "papers" / f"{source.name}.pdf"
        if not pdf.is_file():
            continue
        try:
            equations = read_latex_paper(source, where=source.name)[0].equations
            reference = [e.latex for e in equations] + [clean_latex(e.latex) for e in equations]  # as in the build
        except IngestionError as exc:
            console.print(f"{source.name}: no LaTeX reference ({exc.reason}); left out")
            continue
        if not reference:
            console.print(f"{source.name}: the LaTeX path finds no display equation in its source; left out")
            continue
        paper = ingest_paper(PaperInput(source.name, (pdf,), pdf, None))
        confident = [clean_latex(e.latex) for e in paper.equations if e.confidence >= threshold]
        problems = generate_paper(paper, args.seed)["problems"]
        keyed = [p["source_equation"].strip("$") for p in problems]
        score = {latex: best_similarity(latex, reference) for latex in {*confident, *keyed}}
        distinct = sorted(set(keyed))
        counts = [len(confident), sum(score[x] >= args.match for x in confident),
                  len(distinct), sum(score[x] >= args.match for x in distinct),
                  len(keyed), sum(score[x] >= args.match for x in keyed)]
        totals = [t + c for t, c in zip(totals, counts)]
        table.add_row(source.name, *_cells(counts))
        worst += sorted((source.name, score[x], x, _nearest(x, reference)) for x in distinct)[: args.show]
    table.add_row("overall", *_cells(totals), style="bold")
    console.print(table)
    for paper_id, value, latex, nearest in sorted(worst, key=lambda w: w[1]):
        console.print(f"[bold]{paper_id}[/] {value:.2f}\n  pdf:   {latex}\n  latex: {nearest}", highlight=False)


def _cells(counts: list[int]) -> list[str]:
    out = []
    for total, matched in zip(counts[::2], counts[1::2]):
        out += [str(total), f"{matched} ({matched / total:.0%})" if total else "-"]
    return out


def _nearest(latex: str, reference: list[str]) -> str:
    return max(reference, key=lambda r: best_similarity(latex, [r]), default="")


if __name__ == "__main__":
    main()

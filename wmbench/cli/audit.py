"""``wmbench audit``: n-gram contamination audit of a dataset against a text corpus."""

from __future__ import annotations

from pathlib import Path

import typer


def command(
    dataset: Path = typer.Option(..., "--dataset", help="Build directory, release folder, or one JSONL/Parquet file."),
    corpus: list[Path] = typer.Option(..., "--corpus", help="Corpus file or directory (text, JSONL, Parquet; .gz/.zst ok). Repeatable."),
    n: int = typer.Option(13, "--n", help="Word n-gram length."),
    column: str = typer.Option("text", "--column", help="Text column of JSONL/Parquet corpora."),
    out: Path | None = typer.Option(None, "--out", help="Folder for the audit files (default: DATASET/audit)."),
    no_update: bool = typer.Option(False, "--no-update", help="Do not write the counts into the dataset's records."),
) -> None:
    """Count verbatim n-gram overlaps between each problem and a corpus (streamed, bounded memory).

    Writes contamination.jsonl, summary.json, clean_strict_ids.txt (no document hit) and
    clean_lenient_ids.txt (at most two documents hit), and adds a `contamination` field to
    each record of a build directory or release folder.

    Examples:

      wmbench audit --dataset release/ --corpus arxiv_dump/ --n 13

      wmbench audit --dataset build/ --corpus crawl.jsonl.zst --column content --out audit/
    """
    from wmbench.audit import AuditConfig, run_audit

    summary = run_audit(AuditConfig(dataset, tuple(corpus), n=n, column=column, out=out, update_dataset=not no_update))
    if summary["corpus_lines_skipped"]:
        shown = summary["corpus_lines_skipped_first"]
        for where in shown:
            typer.echo(f"warning: {where}", err=True)
        typer.echo(f"warning: {summary['corpus_lines_skipped']} corpus line(s) skipped"
                   + (f" ({len(shown)} shown)" if len(shown) < summary["corpus_lines_skipped"] else ""), err=True)
    typer.echo(f"scanned {summary['corpus_bytes']} bytes in {summary['corpus_documents']} documents; "
               f"{summary['problems_with_hits']} of {summary['problems']} problems have hits; "
               f"clean strict {summary['clean_strict']}, lenient {summary['clean_lenient']}")

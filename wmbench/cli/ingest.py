"""``wmbench ingest``: turn a folder of papers (PDFs, LaTeX sources) into structured papers."""

from __future__ import annotations

from pathlib import Path

import typer


def command(
    papers: Path = typer.Option(..., "--papers", "-p", help="Folder of PDFs, .tar.gz/.tgz/.gz/.zip sources and LaTeX project folders."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder: papers/<paper_id>.json and ingest_report.json."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Papers ingested in parallel (processes)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
) -> None:
    """Ingest papers: equations (exact from LaTeX, rebuilt from PDFs), context, definitions, pages.

    Every input file appears in OUT/ingest_report.json as ingested (with its equation count) or skipped (with a one-line reason); one bad paper never stops the others. A pair (same stem) takes equations from the LaTeX source and page numbers from the PDF; if one of the two is unusable the other is used and the reason is reported.

    Examples:

        wmbench ingest --papers examples/papers --out build/ingest

        wmbench ingest -p ~/papers -o build/ingest --workers 4 --no-progress
    """
    from wmbench.ingest import ingest_folder

    report = ingest_folder(papers, out, workers=workers, progress=progress)
    for entry in report["files"]:
        if entry["status"] == "skipped" and entry.get("role") != "none":
            typer.echo(f"skipped: {entry['file']}: {entry['reason']}", err=True)
    typer.echo(
        f"{report['papers_ingested']} papers ingested, {report['equations']} equations, "
        f"{report['files_skipped']} files skipped -> {out}"
    )

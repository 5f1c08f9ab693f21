"""``wmbench ingest``: turn a folder of papers (PDFs, LaTeX sources) into structured papers."""

from __future__ import annotations

from pathlib import Path

import typer

from wmbench.cli._options import no_progress_option, quiet_option, show_progress


def command(
    papers: Path = typer.Option(..., "--papers", "-p", help="Folder of PDFs, .tar.gz/.tgz/.gz/.zip sources and LaTeX project folders."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder: papers/<paper_id>.json and ingest_report.json."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Papers ingested in parallel (processes)."),
    quiet: bool = quiet_option(),
    no_progress: bool = no_progress_option(),
) -> None:
    """Ingest papers: equations (exact from LaTeX, rebuilt from PDFs), context, definitions, pages.

    Every input file appears in OUT/ingest_report.json as ingested (with its equation count) or skipped (with a one-line reason); one bad paper never stops the others. A pair (same stem) takes equations from the LaTeX source and page numbers from the PDF; if one of the two is unusable the other is used and the reason is reported.

    Examples:

        wmbench ingest --papers examples/papers --out build/ingest

        wmbench ingest -p ~/papers -o build/ingest --workers 4 --quiet
    """
    from wmbench.errors import IngestionError
    from wmbench.ingest import ingest_folder
    from wmbench.storage import ensure_folder

    ensure_folder(out)
    report = ingest_folder(papers, out, workers=workers, progress=show_progress(quiet, no_progress))
    for entry in report["files"]:
        if entry["status"] == "skipped" and entry.get("role") != "none":
            typer.echo(f"skipped: {entry['file']}: {entry['reason']}", err=True)
    if not report["papers_ingested"]:
        raise IngestionError(str(papers), f"no paper could be ingested ({report['files_skipped']} file(s) skipped)")
    typer.echo(
        f"{report['papers_ingested']} papers ingested, {report['equations']} equations, "
        f"{report['files_skipped']} files skipped -> {out}"
    )

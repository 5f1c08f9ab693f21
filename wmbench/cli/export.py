"""``wmbench export``: turn a build directory into a Hub-ready release folder."""

from __future__ import annotations

import typer


def command(
    build: str = typer.Argument(..., help="Build directory written by `wmbench build` (or a JSONL/Parquet file)."),
    out: str = typer.Option(..., "--out", "-o", help="Release folder to write (created if needed)."),
) -> None:
    """Export a build as a Hub-ready dataset folder: Parquet configs, card, Croissant, licences.

    Only records whose source licence permits redistribution are exported (CC BY, CC BY-SA,
    CC0; non-commercial ones in the `nc` config). The rest are listed by id in
    OUT/withheld_manifest.jsonl; OUT/release_report.json gives the counts.

    Examples:

      wmbench export build/ --out release/

      wmbench export build/ --out release/ && wmbench push release/ --repo-id org/name --dry-run
    """
    from wmbench.release.export import export_release

    report = export_release(build, out)
    typer.echo(f"released {report['released']} records ({report['released_nc']} non-commercial), "
               f"withheld {report['withheld']}; configs: {', '.join(report['configs'])}")
    for warning in report["warnings"]:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"release folder: {out}")

"""``wmbench score``: grade model responses against a problem set."""

from __future__ import annotations

from pathlib import Path

import typer

_FORMATS = ("table", "json")


def command(
    dataset: Path = typer.Option(..., "--dataset", "-d", help="Problems: a .jsonl or .parquet file, or a build directory."),
    responses: Path = typer.Option(..., "--responses", "-r", help='JSONL lines {"problem_id": .., "response": ..}; several per problem allowed.'),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write one verdict per response (JSONL) here."),
    fmt: str = typer.Option("table", "--format", "-f", help="Summary as 'table' (rich) or 'json'."),
) -> None:
    """Score responses: accuracy overall and per problem type, pass@k when there are samples.

    Lines that are not JSON, lack a field, or name an unknown problem are reported on stderr (file:line and the reason) and counted; they never stop the run.

    Examples:

        wmbench score --dataset build/ --responses runs/qwen.jsonl

        wmbench score -d tests/data/reference_sample.jsonl -r answers.jsonl --out scored.jsonl --format json
    """
    import json

    from wmbench.errors import VerificationError
    from wmbench.storage import read_problems
    from wmbench.verify.score_file import read_responses, score, write_rows

    if fmt not in _FORMATS:
        raise VerificationError("--format", f"expected one of {', '.join(_FORMATS)}, got {fmt!r}")
    problems = read_problems(dataset)
    lines, issues = read_responses(responses)
    report = score(problems, lines, issues, responses)
    if not report.rows:
        first = f"; first: {report.issues[0].one_line()}" if report.issues else ""
        raise VerificationError(str(responses), f"no line could be scored ({len(report.issues)} line(s) skipped{first})")
    for issue in report.issues:
        typer.echo(f"warning: {issue.one_line()}", err=True)
    if report.answered < report.problems:
        typer.echo(f"warning: the responses answer {report.answered} of the {report.problems} problems in {dataset}; "
                   f"accuracy is over the {report.answered} answered", err=True)
    if out is not None:
        write_rows(report.rows, out)
    if fmt == "json":
        typer.echo(json.dumps(report.summary(), sort_keys=False))
    else:
        _print_table(report)


def _print_table(report) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="wmbench score")
    table.add_column("type")
    table.add_column("n", justify="right")
    table.add_column("accuracy", justify="right")
    for ptype, stats in report.by_type.items():
        table.add_row(ptype, str(stats["n"]), f"{stats['accuracy']:.3f}")
    table.add_row("all", str(report.n), f"{report.accuracy:.3f}", style="bold")
    console = Console()
    console.print(table)
    console.print(f"answered {report.answered} of {report.problems} problems")
    if report.pass_at:
        console.print("  ".join(f"pass@{k} = {v:.3f}" for k, v in report.pass_at.items()))
    if report.issues:
        console.print(f"{len(report.issues)} line(s) skipped (see warnings above)")

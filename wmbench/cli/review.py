"""``wmbench review``: lint a build's problems, and write a review sheet for a human to mark."""

from __future__ import annotations

from pathlib import Path

import typer

_FORMATS = ("table", "json")


def command(
    build: Path | None = typer.Argument(None, help="Build directory, or one JSONL/Parquet file of problems."),
    fmt: str = typer.Option("table", "--format", "-f", help="Findings as 'table' (by paper and defect) or 'json'."),
    sample: int = typer.Option(0, "--sample", "-n", min=0, help="Also write a review sheet of this many problems."),
    seed: int = typer.Option(0, "--seed", "-s", help="Seed of the sample."),
    sheet: Path | None = typer.Option(None, "--sheet", help="Where to write the sheet (default: BUILD/review_sheet.md)."),
    papers: Path | None = typer.Option(None, "--papers", "-p", help="The papers folder of the build: the sheet then shows each equation's context in the paper."),
    llm_base_url: str | None = typer.Option(None, "--llm-base-url", help="Also score every problem on the six-dimension quality rubric through this OpenAI-compatible endpoint; writes BUILD/quality.jsonl."),
    llm_model: str | None = typer.Option(None, "--llm-model", help="Model name for --llm-base-url."),
    llm_concurrency: int = typer.Option(4, "--llm-concurrency", min=1, help="Parallel rubric calls at most."),
    tally: Path | None = typer.Option(None, "--tally", help="Instead: count the marks of a filled-in sheet; with --sheet, write them there (ids, marks and notes only, no paper text)."),
) -> None:
    """Lint every problem: leftover macros, LaTeX that does not parse or render, words split by a
    mask, plot-text digits, rows cut from multi-row equations, template text, broken references,
    bullets, background sentences cut at an abbreviation, negated or ambiguous distractors,
    undefined symbols, questions naming what the background never mentions.

    The table counts problems with each defect by paper; the JSON adds each problem's findings.
    Lints marked as gates in `wmbench.review.lints` also drop problems during `wmbench build`.

    Examples:

        wmbench review build/example

        wmbench review build/example --format json > review.json

        wmbench review build/v1 --sample 40 --seed 0 --papers papers/ --sheet review/v1.md

        wmbench review --tally review/v1.md --sheet benchmarks/reviews/v1-marks.md

        wmbench review build/v1 --llm-base-url http://localhost:8000/v1 --llm-model Qwen/Qwen2.5-7B-Instruct
    """
    import json

    from wmbench.errors import SchemaError
    from wmbench.ingest import read_papers
    from wmbench.review import render_sheet, review
    from wmbench.storage import atomic_write_text, read_problems

    if fmt not in _FORMATS:
        raise SchemaError("--format", f"expected one of {', '.join(_FORMATS)}, got {fmt!r}")
    if tally is not None:
        _tally(tally, sheet)
        return
    if build is None:
        raise SchemaError("BUILD", "give a build directory or problems file (or --tally SHEET)")
    problems = read_problems(build)
    result = review(problems)
    if fmt == "json":
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print_table(result)
    if llm_base_url or llm_model:
        _rubric(problems, build, llm_base_url, llm_model, llm_concurrency, err=fmt == "json")
    if sample:
        target = sheet or (build if build.is_dir() else build.parent) / "review_sheet.md"
        atomic_write_text(target, render_sheet(problems, sample, seed, build.name, read_papers(papers) if papers else None))
        typer.echo(f"wrote {target}", err=fmt == "json")


def _rubric(problems: list, build: Path, base_url: str | None, model: str | None, concurrency: int, *, err: bool) -> None:
    """Score the problems on the rubric; write BUILD/quality.jsonl and print the distribution."""
    from wmbench.curate.rubric import DIMENSIONS, QUALITY_FILE, quality_lines, review_build
    from wmbench.errors import SchemaError
    from wmbench.llm_client import LLM_CACHE_DIR, LLMConfig
    from wmbench.storage import atomic_write_text

    if not (base_url and model):
        raise SchemaError("--llm-base-url/--llm-model", "give both to run the quality rubric")
    folder = build if build.is_dir() else build.parent
    scored, stats = review_build(problems, LLMConfig(base_url, model, concurrency=concurrency), folder / LLM_CACHE_DIR)
    target = folder / QUALITY_FILE
    atomic_write_text(target, quality_lines(scored))
    typer.echo(f"rubric ({stats['prompt_version']}): {stats['scored']} of {len(problems)} problems scored, "
               f"{stats['fallbacks']} failed calls", err=err)
    for dimension in DIMENSIONS:
        counts = stats["distribution"][dimension]
        typer.echo(f"  {dimension}: " + ", ".join(f"{score}: {n}" for score, n in counts.items()), err=err)
    typer.echo(f"wrote {target}", err=err)


def _tally(path: Path, out: Path | None) -> None:
    from wmbench.errors import SchemaError
    from wmbench.review.sheet import render_tally, tally
    from wmbench.storage import atomic_write_text

    if not path.is_file():
        raise SchemaError(str(path), "no such review sheet")
    text = path.read_text(encoding="utf-8")
    counts, rows = tally(text)
    if not rows:
        raise SchemaError(str(path), "no problem entries: not a sheet written by wmbench review --sample")
    typer.echo(", ".join(f"{mark} {n}" for mark, n in counts.items()) + f" of {len(rows)} problems")
    if out is not None:
        atomic_write_text(out, render_tally(text))
        typer.echo(f"wrote {out}")


def _print_table(result) -> None:
    from rich.console import Console
    from rich.table import Table

    from wmbench.review import LINTS, table_rows

    header, rows = table_rows(result)
    table = Table(title=f"wmbench review: {result.problems} problems")
    for k, name in enumerate(header):
        table.add_column(name, justify="left" if k == 0 else "right", no_wrap=True)
    for k, row in enumerate(rows):
        table.add_row(*row, style="bold" if k == len(rows) - 1 else None)
    console = Console(width=200)
    console.print(table)
    console.print("columns: " + ", ".join(f"{lint.short} = {lint.title}{' (gate)' if lint.gate else ''}" for lint in LINTS))
    console.print(f"negated-answer distractors in {result.negated_share_of_mcq():.1%} of MCQs; "
                  f"{result.undefined_total / max(1, result.problems):.2f} undefined symbols per problem")

"""``wmbench build``: turn a folder of papers into a verified five-type benchmark."""

from __future__ import annotations

from pathlib import Path

import typer

from wmbench.cli._options import no_progress_option, quiet_option, show_progress


def command(
    papers: Path = typer.Option(..., "--papers", "-p", help="Folder of papers: PDFs, LaTeX archives or folders, optional papers.csv."),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder: problems.jsonl, data/*.parquet, README.md, build_report.json."),
    seed: int = typer.Option(0, "--seed", "-s", help="Seed for masks, distractors, letters and splits; same seed, same bytes."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Papers processed in parallel (processes)."),
    resume: bool = typer.Option(False, "--resume", help="Reuse papers finished by an earlier (possibly killed) build in OUT."),
    llm_base_url: str | None = typer.Option(None, "--llm-base-url", help="OpenAI-compatible endpoint (vllm serve) that writes variable tables and scores problems (optional)."),
    llm_model: str | None = typer.Option(None, "--llm-model", help="Model name for --llm-base-url."),
    llm_concurrency: int = typer.Option(4, "--llm-concurrency", min=1, help="Parallel LLM calls at most."),
    llm_timeout: float = typer.Option(30.0, "--llm-timeout", help="Seconds per LLM call before it is retried."),
    llm_tables: bool = typer.Option(True, "--llm-tables/--no-llm-tables", help="With an LLM: write backgrounds from checked variable tables."),
    llm_rubric: bool = typer.Option(True, "--llm-rubric/--no-llm-rubric", help="With an LLM: score every problem on the six-dimension rubric (record field `quality`)."),
    llm_rewrite: bool = typer.Option(False, "--llm-rewrite", help="With an LLM: also rewrite question and background freely (gated)."),
    min_quality: int | None = typer.Option(None, "--min-quality", min=1, max=5, help="Drop problems with a rubric score below this (needs the rubric); reasons in build_report.json."),
    llm_max_calls: int | None = typer.Option(None, "--llm-max-calls", min=0, help="Calls to the endpoint per build at most (retries count); the rest fall back to the rules."),
    llm_retries: int = typer.Option(2, "--llm-retries", min=0, help="Retries of a call after a transport failure (a bad reply is retried once)."),
    llm_backoff: float = typer.Option(0.5, "--llm-backoff", min=0.0, help="Seconds before the first retry; doubles each time."),
    llm_select: bool = typer.Option(False, "--llm-select", help="Also ask the LLM which papers and equations to skip (it can only skip more than the lexicon; needs --llm-base-url/--llm-model)."),
    max_undefined: int = typer.Option(0, "--max-undefined", min=0, help="Symbols a problem's background may leave undefined (default 0: strict, every symbol defined)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace a different earlier build in OUT (its files are removed first)."),
    quiet: bool = quiet_option(),
    no_progress: bool = no_progress_option(),
) -> None:
    """Build a benchmark: select equations, generate MCQ and fill-in problems, gate, dedup, split.

    Every answer is checked by the verifier; no model server is needed unless --llm-base-url is given.
    The summary lists problems by type and split and every skipped paper with its reason.

    Examples:

        wmbench build --papers examples/papers --out build/example

        wmbench build -p papers/ -o build/v1 --seed 7 --workers 4 --resume

        wmbench build -p papers/ -o build/llm --llm-base-url http://localhost:8000/v1 --llm-model Qwen/Qwen2.5-7B-Instruct --min-quality 3

        wmbench build -p papers/ -o build/llm --llm-base-url http://localhost:8000/v1 --llm-model Qwen/Qwen2.5-7B-Instruct --llm-select
    """
    from dataclasses import fields

    from wmbench.build.llm_stages import LLMStages
    from wmbench.build.report import summary_lines
    from wmbench.build.runner import BuildConfig, build
    from wmbench.errors import GenerationError
    from wmbench.llm_client import LLMConfig

    if (llm_base_url is None) != (llm_model is None):
        raise GenerationError("--llm-base-url/--llm-model", "give both or neither")
    if llm_select and llm_base_url is None:
        raise GenerationError("--llm-select", "needs --llm-base-url and --llm-model")
    if llm_select and "llm_select" not in {f.name for f in fields(BuildConfig)}:
        raise GenerationError("--llm-select", "this build runner does not support LLM selection yet")
    if min_quality is not None and not (llm_base_url and llm_rubric):
        raise GenerationError("--min-quality", "needs the rubric: --llm-base-url and --llm-model, without --no-llm-rubric")
    llm = LLMConfig(llm_base_url, llm_model, concurrency=llm_concurrency, timeout=llm_timeout, retries=llm_retries,
                    backoff=llm_backoff, max_calls=llm_max_calls) if llm_base_url else None
    options = {"llm_select": True} if llm_select else {}
    options["llm_stages"] = LLMStages(tables=llm_tables, rubric=llm_rubric, rewrite=llm_rewrite, min_quality=min_quality)
    report = build(BuildConfig(papers=papers, out=out, seed=seed, workers=workers, resume=resume, llm=llm,
                               progress=show_progress(quiet, no_progress), overwrite=overwrite,
                               max_undefined=max_undefined, **options))
    for line in summary_lines(report):
        typer.echo(line)
    if not report["counts"]["problems_final"]:
        raise GenerationError(str(papers), f"no problems were built from {report['counts']['papers_found']} paper(s); "
                                           f"see {out / 'build_report.json'}")
    typer.echo(f"wrote {out}/problems.jsonl, {out}/data/, {out}/README.md, {out}/build_report.json")

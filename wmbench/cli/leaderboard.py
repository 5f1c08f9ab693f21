"""``wmbench leaderboard``: tables, intervals, plots and a page from lm-eval results."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer


def command(
    results: List[Path] = typer.Argument(..., help="lm-eval results files or folders holding results_*.json and samples_*.jsonl."),
    out: Path = typer.Option(Path("leaderboards"), "--out", "-o", help="Folder for the tables, plots and index.html."),
    pairs: Optional[Path] = typer.Option(None, "--pairs", help="YAML: pairs: [{base: X, trained: Y}, ...]."),
    pair: List[str] = typer.Option([], "--pair", help="One base→trained pair as BASE=TRAINED; repeatable."),
    sizes: Optional[Path] = typer.Option(None, "--sizes", help="YAML mapping model name → parameters in billions."),
    published: bool = typer.Option(False, "--published", help="Show the published WirelessMathBench-XL numbers beside local runs."),
    published_file: Optional[Path] = typer.Option(None, "--published-file", help="Published results CSV (default leaderboards/reference/published.csv)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed of the bootstrap resampling (default 0)."),
    resamples: Optional[int] = typer.Option(None, "--resamples", help="Bootstrap resamples per interval (default 2000)."),
    include_limited: bool = typer.Option(False, "--include-limited", help="Rank models evaluated with --limit too (marked in a Limit column); by default they are only listed under Runs."),
    check: bool = typer.Option(False, "--check", help="Regenerate and fail if the files in --out differ (options default to the stored ones)."),
) -> None:
    """Build leaderboard tables (Markdown, CSV, LaTeX) and one HTML page from lm-eval results.

    Per model: accuracy overall and per problem type, general-maths scores and their average,
    95% bootstrap confidence intervals over problems; base → trained gains with paired
    intervals; pass@k / mean@k when problems have several samples (--repeats).

    Several runs of one model are not pooled: each task uses the model's newest full run.
    Models evaluated with --limit are left out of the ranking tables unless --include-limited.
    Plots need matplotlib (wmbench's 'plots' extra); without it the tables are still written.

    Examples:

      wmbench leaderboard results/ --out leaderboards/ --pairs pairs.yaml --sizes sizes.yaml --published

      wmbench leaderboard results/qwen-base results/qwen-grpo --pair qwen-base=qwen-grpo --out lb/

      wmbench leaderboard tests/data/lm_eval_results --out leaderboards/example --check
    """
    import dataclasses

    from rich.console import Console

    from wmbench.leaderboard.report import LeaderboardOptions, check as check_outputs, generate, stored_options

    console = Console(stderr=True)
    explicit = _options(pairs, pair, sizes, published, published_file, seed, resamples, include_limited)
    if check:
        options = dataclasses.replace(stored_options(out), **explicit)
        compared = check_outputs(results, out, options)
        console.print(f"up to date: {len(compared)} files in {out} match the results")
        return
    options = LeaderboardOptions(**explicit)
    generated = generate(results, out, options)
    for note in generated.notes:
        console.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
    console.print(f"wrote {len(generated.files)} files to {out} (open {out / 'index.html'})", markup=False, highlight=False,
                  soft_wrap=True)


def _options(pairs_file, pair_flags, sizes_file, published, published_file, seed, resamples, include_limited) -> dict:
    """Only the options the user gave, so --check can fill the rest from the stored ones."""
    from wmbench.leaderboard.tables import Pair, pairs_from_mapping

    given: dict = {}
    pair_list = pairs_from_mapping(_read_yaml(pairs_file), where=str(pairs_file)) if pairs_file else []
    for flag in pair_flags:
        base, sep, trained = flag.partition("=")
        if not sep or not base or not trained:
            from wmbench.errors import SchemaError

            raise SchemaError(f"--pair {flag}", "expected BASE=TRAINED")
        pair_list.append(Pair(base, trained))
    if pair_list:
        given["pairs"] = tuple(pair_list)
    if sizes_file:
        given["sizes"] = _sizes(sizes_file)
    if published or published_file:
        given["published"] = True
    if published_file:
        given["published_file"] = str(published_file)
    if seed is not None:
        given["seed"] = seed
    if resamples is not None:
        given["resamples"] = resamples
    if include_limited:
        given["include_limited"] = True
    return given


def _sizes(path: Path) -> tuple[tuple[str, float], ...]:
    from wmbench.errors import SchemaError
    from wmbench.leaderboard.results import model_size

    data = _read_yaml(path)
    data = data.get("sizes", data) if isinstance(data, dict) else data
    if not isinstance(data, dict):
        raise SchemaError(str(path), "expected a mapping of model name to parameters in billions (7 or '7B')")
    sizes = []
    for name, value in data.items():
        number = value if isinstance(value, (int, float)) else model_size(str(value))
        if number is None:
            raise SchemaError(str(path), f"size of {name!r} is {value!r}; give billions as a number or like '7B'")
        sizes.append((str(name), float(number)))
    return tuple(sorted(sizes))


def _read_yaml(path: Path):
    import yaml

    from wmbench.errors import SchemaError

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SchemaError(str(path), f"cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise SchemaError(str(path), f"not valid YAML ({str(exc).splitlines()[0]})") from None

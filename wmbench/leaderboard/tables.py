"""Leaderboard tables as pandas DataFrames: accuracy per type, general maths, gains, transfer.

Numbers are percentages rounded to two decimals. A statistic with a 95% interval occupies three
columns, ``X``, ``X_ci_low`` and ``X_ci_high``; the renderers show them as ``X [low, high]``.
Every statistic is computed from the per-problem correctness in the samples files, so a model
and its intervals always describe the same problems.

A model whose numbers come from a ``--limit`` run (a subset of the problems, which lm-eval says
is for testing only) is kept out of the ranking tables unless ``include_limited`` is set; it
stays in the Runs table and :func:`notes` says why it is missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import pandas as pd

from wmbench.errors import SchemaError
from wmbench.leaderboard.results import (
    GENERAL_MATH_TASKS, WIRELESS_GROUP, WIRELESS_TASK_TYPES, ModelResults, SampleRecord, task_family,
)
from wmbench.leaderboard.stats import (
    DEFAULT_RESAMPLES, Interval, bootstrap_mean, mean_at_k_mean, paired_bootstrap, pass_at_k_mean,
)
from wmbench.metrics import k_values
from wmbench.schema import PROBLEM_TYPES

# Column labels of the problem types, in the reference paper's order.
TYPE_LABELS: dict[str, str] = {
    "MCQ": "MCQ", "fill_blank_25": "FB-25", "fill_blank_50": "FB-50", "fill_blank_75": "FB-75",
    "fill_blank_100": "FEC",
}
BENCHMARK_LABELS: dict[str, str] = {
    "wmbench_math500": "MATH-500", "wmbench_minerva_math": "Minerva", "wmbench_olympiadbench": "OlympiadBench",
    "wmbench_amc23": "AMC23", "wmbench_amc22_23": "AMC22-23", "wmbench_aime24": "AIME24", "wmbench_aime25": "AIME25",
}
OVERALL = "Overall"
AVERAGE = "Average"


@dataclass(frozen=True)
class Pair:
    """A base model and the model trained from it."""

    base: str
    trained: str


@dataclass(frozen=True)
class TableConfig:
    """Knobs of the statistics: the seed makes every interval reproducible."""

    seed: int = 0
    resamples: int = DEFAULT_RESAMPLES
    level: float = 0.95
    include_limited: bool = False  # rank models whose runs used --limit (marked in a Limit column)


def build_tables(models: Sequence[ModelResults], pairs: Sequence[Pair] = (), config: TableConfig = TableConfig()) -> dict[str, pd.DataFrame]:
    """Every table with at least one row, by name (the file stem the renderers use)."""
    check_pairs(models, pairs)
    tables = {
        "accuracy": accuracy_table(models, config),
        "general_math": general_math_table(models, config),
        "gains": gain_table(models, pairs, config, family="wireless"),
        "transfer": gain_table(models, pairs, config, family="general_math"),
        "pass_at_k": pass_at_k_table(models),
        "runs": runs_table(models),
    }
    return {name: table for name, table in tables.items() if not table.empty}


def ranked(models: Sequence[ModelResults], config: TableConfig) -> list[ModelResults]:
    """The models the ranking tables show: all, or only those without ``--limit`` runs."""
    return [m for m in models if config.include_limited or m.limit is None]


def notes(models: Sequence[ModelResults], config: TableConfig) -> list[str]:
    """One line per thing a reader of the tables must know: unused runs, models left out."""
    lines = []
    for model in models:
        unused = len(model.runs) - len(model.used_runs)
        if unused:
            used = ", ".join(run.date for run in model.used_runs)
            lines.append(f"{model.model}: {len(model.runs)} runs found, not pooled: each task's numbers come from its "
                         f"newest full run ({used}); {unused} unused, listed under Runs.")
        if model.limit is not None:
            shown = "shown with its Limit" if config.include_limited else "left out of the ranking tables (--include-limited shows it)"
            lines.append(f"{model.model}: evaluated with --limit {model.limit:g} (a subset of the problems, "
                         f"not comparable with full runs); {shown}.")
    return lines


def accuracy_table(models: Sequence[ModelResults], config: TableConfig) -> pd.DataFrame:
    """Per model: wireless accuracy over all problems and per problem type, with intervals."""
    models = ranked(models, config)
    types = [t for t in PROBLEM_TYPES if any(s.type == t for m in models for s in _wireless(m))]
    limits = any(m.limit is not None for m in models)
    rows = []
    for model in models:
        samples = _wireless(model)
        if not samples:
            if (row := _reported_row(model, types)) is not None:
                rows.append(_with_limit(row, model, limits))
            continue
        row: dict[str, object] = {"model": model.model, "size_b": model.size_b, "wireless_problems": len(samples)}
        _with_limit(row, model, limits)
        _put(row, OVERALL, _ci([s.acc for s in samples], config, f"{model.model}/wireless"))
        for ptype in types:
            scores = [s.acc for s in samples if s.type == ptype]
            _put(row, TYPE_LABELS[ptype], _ci(scores, config, f"{model.model}/{ptype}"))
        rows.append(row)
    return _sorted(pd.DataFrame(rows), OVERALL)


def general_math_table(models: Sequence[ModelResults], config: TableConfig) -> pd.DataFrame:
    """Per model: accuracy per general-maths benchmark with intervals, and their plain average."""
    models = ranked(models, config)
    tasks = [t for t in GENERAL_MATH_TASKS if any(m.reported_acc(t) is not None or any(s.task == t for s in m.samples) for m in models)]
    limits = any(m.limit is not None for m in models)
    rows = []
    for model in models:
        row: dict[str, object] = {"model": model.model, "size_b": model.size_b}
        _with_limit(row, model, limits)
        points = []
        for task in tasks:
            scores = [s.acc for s in model.samples if s.task == task]
            interval = _ci(scores, config, f"{model.model}/{task}")
            if not scores and (reported := model.reported_acc(task)) is not None:
                interval = Interval(reported, math.nan, math.nan, 1)  # saved without samples
            _put(row, BENCHMARK_LABELS[task], interval)
            if interval.n:
                points.append(interval.point)
        if points:
            row[AVERAGE] = _pct(sum(points) / len(points))
            rows.append(row)
    return _sorted(pd.DataFrame(rows), AVERAGE)


def gain_table(models: Sequence[ModelResults], pairs: Sequence[Pair], config: TableConfig, *, family: str) -> pd.DataFrame:
    """Per pair and scope: base and trained accuracy on shared problems, gain with a paired interval.

    ``family`` ``wireless`` gives one scope per problem type plus Overall; ``general_math`` one
    per benchmark plus the average of the benchmark gains (the transfer table).
    """
    by_name = {m.model: m for m in models}
    rows = []
    for pair in pairs:
        base, trained = by_name[pair.base], by_name[pair.trained]
        for scope, base_scores, trained_scores in _paired_scopes(base, trained, family):
            diff = paired_bootstrap(base_scores, trained_scores, seed=config.seed, resamples=config.resamples,
                                    level=config.level, label=f"{pair.base}->{pair.trained}/{scope}")
            rows.append(_gain_row(pair, scope, base_scores, trained_scores, diff, config))
        if family == "general_math" and rows:
            rows.extend(_average_gain(pair, [r for r in rows if r["base"] == pair.base and r["trained"] == pair.trained]))
    return pd.DataFrame(rows)


def pass_at_k_table(models: Sequence[ModelResults]) -> pd.DataFrame:
    """mean@k and pass@k per model and task family, when problems have several samples."""
    rows = []
    for model in models:
        for family in ("wireless", "general_math"):
            samples = [s for s in model.samples if task_family(s.task) == family]
            if not samples or min(s.n for s in samples) < 2:
                continue
            counts = [(s.n, s.c) for s in samples]
            min_n = min(n for n, _ in counts)
            row: dict[str, object] = {"model": model.model, "family": family, "problems": len(samples), "samples": min_n,
                                      "mean@k": _pct(mean_at_k_mean(counts))}
            row.update({f"pass@{k}": _pct(pass_at_k_mean(counts, k)) for k in k_values(min_n)})
            rows.append(row)
    return pd.DataFrame(rows)


def runs_table(models: Sequence[ModelResults]) -> pd.DataFrame:
    """One row per evaluation run: where it came from, what it covered, whether it is used, its settings."""
    rows = []
    for model in models:
        used = {run.source for run in model.used_runs}
        for run in model.runs:
            families = [task_family(s.task) for s in run.samples]
            rows.append({
                "model": run.model, "source": run.source, "used": "yes" if run.source in used else "no",
                "wireless_problems": families.count("wireless"), "general_math_problems": families.count("general_math"),
                "limit": run.settings.limit, "repeats": run.settings.repeats,
                "gen_kwargs": run.settings.gen_kwargs or "task defaults", "chat_template": run.settings.chat_template,
                "lm_eval": run.settings.lm_eval_version,
            })
    return pd.DataFrame(rows)


def resolve_pairs(models: Sequence[ModelResults], pairs: Iterable[Pair]) -> tuple[Pair, ...]:
    """Pairs with each model as shown, so a pair may name a checkpoint by the path it was run from."""
    shown = {run.recorded_as.rstrip("/"): model.model for model in models for run in model.runs if run.recorded_as}
    shown.update({model.model: model.model for model in models})
    def name(given: str) -> str:
        return shown.get(given, shown.get(given.rstrip("/"), given))

    return tuple(Pair(name(p.base), name(p.trained)) for p in pairs)


def check_pairs(models: Sequence[ModelResults], pairs: Iterable[Pair], *, where: str = "pairs") -> None:
    """Fail with one line if a pair names a model that has no results."""
    names = {m.model for m in models}
    for pair in pairs:
        for name in (pair.base, pair.trained):
            if name not in names:
                raise SchemaError(where, f"model {name!r} has no results (models: {', '.join(sorted(names))})")


def pairs_from_mapping(data: object, *, where: str) -> list[Pair]:
    """``{pairs: [{base: X, trained: Y}, ...]}`` (a parsed YAML file) as pairs."""
    items = data.get("pairs") if isinstance(data, Mapping) else None
    if not isinstance(items, list):
        raise SchemaError(where, "expected a mapping with a 'pairs' list of {base, trained}")
    pairs = []
    for index, item in enumerate(items):
        if not (isinstance(item, Mapping) and isinstance(item.get("base"), str) and isinstance(item.get("trained"), str)):
            raise SchemaError(where, f"pairs[{index}] must have string fields 'base' and 'trained'")
        pairs.append(Pair(item["base"], item["trained"]))
    return pairs


def _with_limit(row: dict[str, object], model: ModelResults, shown: bool) -> dict[str, object]:
    """Add the Limit column (blank for full runs) when some ranked model was limited."""
    if shown:
        row["limit"] = model.limit
    return row


def _reported_row(model: ModelResults, types: Sequence[str]) -> dict[str, object] | None:
    """A row from lm-eval's own accuracies, without intervals, for runs saved without samples."""
    overall = model.reported_acc(WIRELESS_GROUP)
    if overall is None:
        return None
    row: dict[str, object] = {"model": model.model, "size_b": model.size_b, "wireless_problems": None}
    _put(row, OVERALL, Interval(overall, float("nan"), float("nan"), 1))
    tasks = {ptype: task for task, ptype in WIRELESS_TASK_TYPES.items()}
    for ptype in types or PROBLEM_TYPES:
        value = model.reported_acc(tasks[ptype])
        _put(row, TYPE_LABELS[ptype], Interval(value, float("nan"), float("nan"), 1) if value is not None else Interval(0, 0, 0, 0))
    return row


def _wireless(model: ModelResults) -> list[SampleRecord]:
    return [s for s in model.samples if task_family(s.task) == "wireless"]


def _paired_scopes(base: ModelResults, trained: ModelResults, family: str) -> list[tuple[str, list[float], list[float]]]:
    """(scope, base scores, trained scores) aligned on the problems both models answered."""
    mine = {s.key: s for s in base.samples if task_family(s.task) == family}
    theirs = {s.key: s for s in trained.samples if task_family(s.task) == family}
    shared = [key for key in mine if key in theirs]
    if family == "wireless":
        scopes = [(TYPE_LABELS[t], [k for k in shared if mine[k].type == t]) for t in PROBLEM_TYPES]
        scopes.append((OVERALL, shared))
    else:
        scopes = [(BENCHMARK_LABELS[t], [k for k in shared if mine[k].task == t]) for t in GENERAL_MATH_TASKS]
    return [(scope, [mine[k].acc for k in keys], [theirs[k].acc for k in keys]) for scope, keys in scopes if keys]


def _gain_row(pair: Pair, scope: str, base: list[float], trained: list[float], diff: Interval,
              config: TableConfig) -> dict[str, object]:
    base_acc, trained_acc = sum(base) / len(base), sum(trained) / len(trained)
    relative = (trained_acc - base_acc) / base_acc * 100 if base_acc > 0 else None
    row: dict[str, object] = {"base": pair.base, "trained": pair.trained, "scope": scope, "shared_problems": len(base)}
    _put(row, "base_acc", _ci(base, config, f"{pair.base}/{scope}/base"))
    _put(row, "trained_acc", _ci(trained, config, f"{pair.trained}/{scope}/trained"))
    row.update({"gain_pts": _pct(diff.point), "gain_pts_ci_low": _pct(diff.low), "gain_pts_ci_high": _pct(diff.high),
                "gain_rel_pct": round(relative, 2) if relative is not None else None})
    return row


def _average_gain(pair: Pair, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The transfer table's last row: plain averages over the benchmarks (no interval)."""
    def mean(key: str) -> float:
        return round(sum(float(r[key]) for r in rows) / len(rows), 2)

    base_acc, trained_acc = mean("base_acc"), mean("trained_acc")
    return [{
        "base": pair.base, "trained": pair.trained, "scope": AVERAGE, "shared_problems": sum(int(r["shared_problems"]) for r in rows),
        "base_acc": base_acc, "base_acc_ci_low": None, "base_acc_ci_high": None,
        "trained_acc": trained_acc, "trained_acc_ci_low": None, "trained_acc_ci_high": None,
        "gain_pts": round(trained_acc - base_acc, 2),
        "gain_pts_ci_low": None, "gain_pts_ci_high": None,
        "gain_rel_pct": round((trained_acc - base_acc) / base_acc * 100, 2) if base_acc > 0 else None,
    }]


def _ci(scores: list[float], config: TableConfig, label: str) -> Interval:
    return bootstrap_mean(scores, seed=config.seed, label=label, resamples=config.resamples, level=config.level)


def _put(row: dict[str, object], name: str, interval: Interval) -> None:
    if interval.n == 0:
        row.update({name: None, f"{name}_ci_low": None, f"{name}_ci_high": None})
        return
    row.update({name: _pct(interval.point), f"{name}_ci_low": _pct(interval.low), f"{name}_ci_high": _pct(interval.high)})


def _pct(value: float) -> float | None:
    """A fraction as a percentage with two decimals (NaN, i.e. unknown, as None)."""
    return None if math.isnan(value) else round(float(value) * 100, 2)


def _sorted(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Best first, ties by model name, so row order is deterministic."""
    if table.empty:
        return table
    return table.sort_values([column, "model"], ascending=[False, True], kind="mergesort").reset_index(drop=True)

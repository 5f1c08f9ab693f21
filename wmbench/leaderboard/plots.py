"""Leaderboard plots with matplotlib's Agg backend: one PNG per figure, no timestamps inside.

* ``accuracy_by_type.png``: grouped bars, one group per problem type, one bar per model, 95% CIs;
* ``base_vs_trained.png``: base and trained accuracy side by side per pair and scope, 95% CIs;
* ``accuracy_vs_size.png``: overall accuracy against parameter count (log scale), local runs
  and, when shown, the published rows (public 310-item subset) in a different marker.

A figure without data (no pairs, no known sizes) is not drawn. Legends sit outside the axes, so
they never cover a bar or a point.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

from wmbench.leaderboard.tables import OVERALL, TYPE_LABELS

PLOT_FILES: tuple[str, ...] = ("accuracy_by_type.png", "base_vs_trained.png", "accuracy_vs_size.png")
_DPI = 100
_PNG_METADATA = {"Software": None}  # keep the matplotlib version out of the file

PLOTS_MISSING = "plots not drawn: matplotlib is not installed (pip install 'wmbench[plots]' adds it)"


def can_draw() -> bool:
    """Whether matplotlib is importable (the ``plots`` extra); tables never need it."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def planned_plots(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The figures the tables have data for, in a fixed order (no matplotlib needed)."""
    return [name for name, (has_data, _) in _FIGURES.items() if has_data(tables)]


def draw_plots(tables: Mapping[str, pd.DataFrame], out: Path) -> list[Path]:
    """Draw every figure the tables have data for; return the files written, in a fixed order.

    Raises ``ModuleNotFoundError`` (name ``matplotlib``) when matplotlib is not installed.
    """
    import matplotlib.pyplot as plt

    written = []
    for name in planned_plots(tables):
        fig = figure(name, tables)
        out.mkdir(parents=True, exist_ok=True)
        fig.savefig(out / name, dpi=_DPI, metadata=_PNG_METADATA, bbox_inches="tight")
        plt.close(fig)
        written.append(out / name)
    return written


def figure(name: str, tables: Mapping[str, pd.DataFrame]):
    """One figure (a ``PLOT_FILES`` name) as a matplotlib Figure on the Agg backend, not saved."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    return _FIGURES[name][1](tables)


def _has_accuracy(tables: Mapping[str, pd.DataFrame]) -> bool:
    return _rows(tables, "accuracy") is not None


def _has_gains(tables: Mapping[str, pd.DataFrame]) -> bool:
    return _rows(tables, "gains") is not None


def _has_sizes(tables: Mapping[str, pd.DataFrame]) -> bool:
    return any(t is not None and t["size_b"].notna().any() for t in (_rows(tables, "accuracy"), _rows(tables, "published")))


def _rows(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame | None:
    table = tables.get(name)
    return None if table is None or table.empty else table


def _accuracy_by_type(tables: Mapping[str, pd.DataFrame]):
    table = tables["accuracy"]
    import matplotlib.pyplot as plt

    scopes = [OVERALL] + [label for label in TYPE_LABELS.values() if label in table.columns]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    width = 0.8 / len(table)
    for i, row in table.iterrows():
        xs = [j + (i - (len(table) - 1) / 2) * width for j in range(len(scopes))]
        values = [_num(row[s]) for s in scopes]
        errors = _error_bars([row[s] for s in scopes], [row[f"{s}_ci_low"] for s in scopes],
                             [row[f"{s}_ci_high"] for s in scopes])
        ax.bar(xs, values, width, yerr=errors, capsize=2, label=str(row["model"]))
    ax.set_xticks(range(len(scopes)), scopes)
    return _finish(fig, ax, "Accuracy by problem type (95% CI)")


def _base_vs_trained(tables: Mapping[str, pd.DataFrame]):
    table = tables["gains"]
    import matplotlib.pyplot as plt

    labels = [f"{r.scope}\n{r.base}→{r.trained}" if table[["base", "trained"]].drop_duplicates().shape[0] > 1
              else str(r.scope) for r in table.itertuples()]
    xs = range(len(table))
    fig, ax = plt.subplots(figsize=(max(6, len(table) * 0.9), 4.5))
    for offset, column, label in ((-0.2, "base_acc", "base"), (0.2, "trained_acc", "trained")):
        errors = _error_bars(table[column], table[f"{column}_ci_low"], table[f"{column}_ci_high"])
        ax.bar([x + offset for x in xs], table[column], 0.4, yerr=errors, capsize=2, label=label)
    ax.set_xticks(list(xs), labels, fontsize=8)
    return _finish(fig, ax, "Base vs trained (95% CI)")


def _error_bars(values, lows, highs) -> list[list[float]]:
    """Error-bar lengths below and above each value (none where a value has no interval)."""
    def length(a, b) -> float:
        return 0.0 if pd.isna(a) or pd.isna(b) else float(a) - float(b)

    return [[length(v, lo) for v, lo in zip(values, lows)], [length(hi, v) for v, hi in zip(values, highs)]]


def _accuracy_vs_size(tables: Mapping[str, pd.DataFrame]):
    local, published = _rows(tables, "accuracy"), _rows(tables, "published")
    local = local[local["size_b"].notna()] if local is not None else None
    published = published[published["size_b"].notna()] if published is not None else None
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    if published is not None and not published.empty:
        ax.scatter(published["size_b"], published["acc_public310"], marker="s", color="#f0a500",
                   label="published (public 310)")
        for row in published.itertuples():
            ax.annotate(str(row.model), (row.size_b, row.acc_public310), xytext=(4, 3), textcoords="offset points",
                        fontsize=6, alpha=0.8)
    if local is not None and not local.empty:
        ax.scatter(local["size_b"], local[OVERALL], marker="o", color="#1f77b4", label="local runs")
        for row in local.itertuples():
            ax.annotate(str(row.model), (row.size_b, getattr(row, OVERALL)), xytext=(4, 3), textcoords="offset points", fontsize=7)
    ax.set_xscale("log")
    ax.margins(x=0.15)  # room for the labels of the largest and smallest models
    ax.set_xlabel("parameters (billions, log scale)")
    return _finish(fig, ax, "Accuracy against parameter count")


def _finish(fig, ax, title: str):
    """The styling every accuracy plot shares."""
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False)
    fig.tight_layout()
    return fig


def _num(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


# File name → (whether the tables have data for it, drawer).
_FIGURES: dict[str, tuple[Callable, Callable]] = dict(zip(PLOT_FILES, (
    (_has_accuracy, _accuracy_by_type), (_has_gains, _base_vs_trained), (_has_sizes, _accuracy_vs_size),
)))

"""Leaderboard plots with matplotlib's Agg backend: one PNG per figure, no timestamps inside.

* ``accuracy_by_type.png``: grouped bars, one group per problem type, one bar per model, 95% CIs;
* ``base_vs_trained.png``: base and trained accuracy side by side per pair and scope;
* ``accuracy_vs_size.png``: overall accuracy against parameter count (log scale), local runs
  and, when shown, the published rows (public 310-item subset) in a different marker.

A figure without data (no pairs, no known sizes) is not drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

from wmbench.leaderboard.tables import OVERALL, TYPE_LABELS

PLOT_FILES: tuple[str, ...] = ("accuracy_by_type.png", "base_vs_trained.png", "accuracy_vs_size.png")
_DPI = 100
_PNG_METADATA = {"Software": None}  # keep the matplotlib version out of the file


def draw_plots(tables: Mapping[str, pd.DataFrame], out: Path) -> list[Path]:
    """Draw every figure the tables have data for; return the files written, in a fixed order."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    drawers: list[tuple[str, Callable]] = list(zip(PLOT_FILES, (_accuracy_by_type, _base_vs_trained, _accuracy_vs_size)))
    written = []
    for name, drawer in drawers:
        figure = drawer(tables)
        if figure is None:
            continue
        out.mkdir(parents=True, exist_ok=True)
        figure.savefig(out / name, dpi=_DPI, metadata=_PNG_METADATA)
        import matplotlib.pyplot as plt

        plt.close(figure)
        written.append(out / name)
    return written


def _accuracy_by_type(tables: Mapping[str, pd.DataFrame]):
    table = tables.get("accuracy")
    if table is None or table.empty:
        return None
    import matplotlib.pyplot as plt

    scopes = [OVERALL] + [label for label in TYPE_LABELS.values() if label in table.columns]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    width = 0.8 / len(table)
    for i, row in table.iterrows():
        xs = [j + (i - (len(table) - 1) / 2) * width for j in range(len(scopes))]
        values = [_num(row[s]) for s in scopes]
        errors = [[_num(row[s]) - _num(row[f"{s}_ci_low"]) for s in scopes],
                  [_num(row[f"{s}_ci_high"]) - _num(row[s]) for s in scopes]]
        ax.bar(xs, values, width, yerr=errors, capsize=2, label=str(row["model"]))
    ax.set_xticks(range(len(scopes)), scopes)
    return _finish(fig, ax, "Accuracy by problem type (95% CI)")


def _base_vs_trained(tables: Mapping[str, pd.DataFrame]):
    table = tables.get("gains")
    if table is None or table.empty:
        return None
    import matplotlib.pyplot as plt

    labels = [f"{r.scope}\n{r.base}→{r.trained}" if table[["base", "trained"]].drop_duplicates().shape[0] > 1
              else str(r.scope) for r in table.itertuples()]
    xs = range(len(table))
    fig, ax = plt.subplots(figsize=(max(6, len(table) * 0.9), 4.5))
    ax.bar([x - 0.2 for x in xs], table["base_acc"], 0.4, label="base")
    ax.bar([x + 0.2 for x in xs], table["trained_acc"], 0.4, label="trained")
    ax.set_xticks(list(xs), labels, fontsize=8)
    return _finish(fig, ax, "Base vs trained")


def _accuracy_vs_size(tables: Mapping[str, pd.DataFrame]):
    local = tables.get("accuracy")
    local = local[local["size_b"].notna()] if local is not None and not local.empty else None
    published = tables.get("published")
    published = published[published["size_b"].notna()] if published is not None else None
    if (local is None or local.empty) and (published is None or published.empty):
        return None
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    if published is not None and not published.empty:
        ax.scatter(published["size_b"], published["acc_public310"], marker="s", color="#f0a500",
                   label="published (public 310)")
        for row in published.itertuples():
            ax.annotate(str(row.model), (row.size_b, row.acc_public310), fontsize=6, alpha=0.8)
    if local is not None and not local.empty:
        ax.scatter(local["size_b"], local[OVERALL], marker="o", color="#1f77b4", label="local runs")
        for row in local.itertuples():
            ax.annotate(str(row.model), (row.size_b, getattr(row, OVERALL)), fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel("parameters (billions, log scale)")
    return _finish(fig, ax, "Accuracy against parameter count")


def _finish(fig, ax, title: str):
    """The styling every accuracy plot shares."""
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _num(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)

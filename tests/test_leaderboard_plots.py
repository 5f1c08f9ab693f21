"""The plots as figures: no legend over a bar or a point, error bars wherever a table has an interval."""

from __future__ import annotations

import pytest
from fixtures_leaderboard import LM_EVAL_RESULTS, REPO

from wmbench.leaderboard import Pair, TableConfig, build_tables, load_results
from wmbench.leaderboard.plots import PLOT_FILES, figure
from wmbench.leaderboard.published import load_published

SIZES = {"qwen-base-sim": 1.5, "qwen-grpo-sim": 1.5}


@pytest.fixture(scope="module")
def tables():
    tables = build_tables(load_results([LM_EVAL_RESULTS], sizes=SIZES), [Pair("qwen-base-sim", "qwen-grpo-sim")],
                          TableConfig(resamples=300))
    tables["published"] = load_published(REPO / "leaderboards" / "reference" / "published.csv")
    return tables


@pytest.mark.parametrize("name", PLOT_FILES)
def test_the_legend_covers_no_bar_and_no_point(tables, name: str) -> None:
    fig = figure(name, tables)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent(renderer)
    bars = [patch.get_window_extent(renderer) for patch in ax.patches if patch.get_height() > 0]
    points = [xy for collection in ax.collections if collection.get_offsets().size
              for xy in ax.transData.transform(collection.get_offsets())]
    assert bars or points
    assert not [bar for bar in bars if legend.overlaps(bar)], f"{name}: the legend covers a bar"
    assert not [xy for xy in points if legend.contains(*xy)], f"{name}: the legend covers a point"


def _bars(name: str, tables) -> list:
    ax = figure(name, tables).axes[0]
    return [c for c in ax.containers if hasattr(c, "patches")]


def test_accuracy_bars_carry_their_confidence_intervals(tables) -> None:
    containers = _bars("accuracy_by_type.png", tables)
    assert len(containers) == len(tables["accuracy"]) and all(c.errorbar is not None for c in containers)


def test_base_and_trained_bars_span_their_confidence_intervals(tables) -> None:
    """Each error bar runs from the interval's low end to its high end, as the gains table gives it."""
    gains = tables["gains"]
    containers = _bars("base_vs_trained.png", tables)
    assert [c.get_label() for c in containers] == ["base", "trained"]
    for container, column in zip(containers, ("base_acc", "trained_acc")):
        assert container.errorbar is not None, f"{column}: bars without error bars"
        segments = container.errorbar.lines[2][0].get_segments()
        spans = [(round(min(y0, y1), 2), round(max(y0, y1), 2)) for (_, y0), (_, y1) in segments]
        assert spans == list(zip(gains[f"{column}_ci_low"], gains[f"{column}_ci_high"]))

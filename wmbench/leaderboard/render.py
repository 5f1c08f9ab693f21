"""Write leaderboard tables as Markdown, CSV, LaTeX (booktabs) and one static HTML page.

Text outputs are deterministic (same tables → same bytes), which ``--check`` relies on. Plots
are PNG files under ``plots/`` drawn with matplotlib's Agg backend; the HTML page links them by
relative path, so the page is deterministic text too.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Literal, Mapping, Sequence

import pandas as pd

from wmbench.leaderboard.plots import draw_plots, planned_plots
from wmbench.storage import atomic_write_text

PlotMode = Literal["draw", "link", "none"]

PAGE_FILES: tuple[str, ...] = ("leaderboard.md", "index.html")
_COUNT_COLUMNS = frozenset({"size_b", "wireless_problems", "general_math_problems", "shared_problems", "problems",
                            "samples", "limit", "repeats"})
# Columns of free text that may wrap on the page (everything else stays on one line).
WRAP_COLUMNS = frozenset({"source", "gen_kwargs"})
# Decimals shown per table: published figures keep the two decimals they were published with.
DECIMALS: dict[str, int] = {"published": 2}
_CI_LOW = "_ci_low"
_CI_HIGH = "_ci_high"
TITLES: dict[str, str] = {
    "accuracy": "WirelessMathBench-XL accuracy (%) by problem type, 95% bootstrap CI",
    "general_math": "General mathematics accuracy (%), 95% bootstrap CI",
    "gains": "Base → trained: gain on WirelessMathBench-XL (points, paired 95% CI; relative %)",
    "transfer": "Base → trained: transfer to general mathematics (points, paired 95% CI; relative %)",
    "pass_at_k": "Several samples per problem: mean@k and pass@k (%)",
    "runs": "Runs: where each result came from and how it was generated",
    "published": "Published WirelessMathBench-XL results (not run here; accuracy %, 95% CI on the 310-item public subset)",
}
# What a reader needs to read each table right, shown under its title.
CAPTIONS: dict[str, str] = {
    "accuracy": "Wireless problems: the WirelessMathBench-XL problems scored for the model (one run per task, "
                "never several runs pooled). MCQ: multiple choice; FB-25/50/75: fill-in with 25/50/75% of the "
                "equation masked; FEC: full equation completion.",
    "general_math": "Average: plain mean of the benchmark accuracies.",
    "gains": "Shared problems: the problems both models answered. Gain: trained minus base accuracy.",
    "transfer": "Shared problems: the problems both models answered. Average: plain mean over the benchmarks (no interval).",
    "pass_at_k": "From --repeats within one run; separate runs are never pooled.",
    "runs": "Every results file read. Used: whether any task's numbers come from this run (each task uses the "
            "model's newest full run). Wireless / general-maths problems: problems this run answered.",
    "published": "† is kept as published. Test-800: the full test split (authors' copy, not reproducible from "
                 "public data); public-310: the public test subset; Public-full: public-310 minus test-800, in points.",
}
HEADERS: dict[str, str] = {
    "model": "Model", "size_b": "Params (B)", "wireless_problems": "Wireless problems",
    "general_math_problems": "General-maths problems", "shared_problems": "Shared problems",
    "used": "Used", "base": "Base", "trained": "Trained",
    "scope": "Scope", "base_acc": "Base acc", "trained_acc": "Trained acc", "gain_pts": "Gain (pts)",
    "gain_rel_pct": "Gain (rel. %)", "family": "Tasks", "problems": "Problems", "samples": "Samples/problem",
    "group": "Group", "acc_full800": "Acc. test-800", "acc_public310": "Acc. public-310", "delta_pp": "Public-full (pp)",
    "source": "Source", "gen_kwargs": "Generation settings", "chat_template": "Chat template", "limit": "Limit",
    "repeats": "Samples/problem", "lm_eval": "lm-eval",
}


def write_outputs(tables: Mapping[str, pd.DataFrame], out: Path, *, manifest: str, notes: Sequence[str] = (),
                  plots: PlotMode = "draw") -> list[Path]:
    """Write every table in every format, the plots and the HTML page under ``out``.

    ``plots``: ``draw`` the PNGs and link them; ``link`` the ones the tables have data for without
    drawing (what ``--check`` compares); ``none``: neither (no matplotlib; the notes say so).
    """
    out.mkdir(parents=True, exist_ok=True)
    written = [atomic_write_text(out / "runs.json", manifest)]
    for name, table in tables.items():
        written.append(atomic_write_text(out / f"{name}.csv", table.to_csv(index=False, lineterminator="\n")))
        written.append(atomic_write_text(out / f"{name}.tex", to_latex(table, TITLES.get(name, name), name, DECIMALS.get(name, 1))))
    written.append(atomic_write_text(out / "leaderboard.md", to_markdown_page(tables, notes)))
    linked = [f"plots/{name}" for name in planned_plots(tables)] if plots == "link" else []
    if plots == "draw":
        drawn = draw_plots(tables, out / "plots")
        written.extend(drawn)
        linked = [p.relative_to(out).as_posix() for p in drawn]
    written.append(atomic_write_text(out / "index.html", to_html_page(tables, linked, notes)))
    return written


def caption(name: str, table: pd.DataFrame) -> str:
    """The caption under a table's title (the published table's also explains its Group labels)."""
    if name == "published":
        from wmbench.leaderboard.published import groups_caption

        return f"{groups_caption(table)} {CAPTIONS[name]}"
    return CAPTIONS.get(name, "")


def display_frame(table: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """Strings for people: ``X [low, high]`` for each interval, headers spelled out, blanks for missing."""
    shown = {}
    for column in table.columns:
        if column.endswith(_CI_LOW) or column.endswith(_CI_HIGH):
            continue
        low, high = f"{column}{_CI_LOW}", f"{column}{_CI_HIGH}"
        if HEADERS.get(column, column) in shown:
            raise ValueError(f"two columns would both be shown as {HEADERS.get(column, column)!r}")
        if low in table.columns:
            shown[HEADERS.get(column, column)] = [_with_ci(v, lo, hi, decimals) for v, lo, hi in zip(table[column], table[low], table[high])]
        else:
            places = None if column in _COUNT_COLUMNS else decimals
            shown[HEADERS.get(column, column)] = [_cell(v, places) for v in table[column]]
    return pd.DataFrame(shown)


def sort_values(table: pd.DataFrame) -> pd.DataFrame:
    """What each displayed cell sorts by: the number it shows (intervals by their point)."""
    kept = [c for c in table.columns if not (c.endswith(_CI_LOW) or c.endswith(_CI_HIGH))]
    return pd.DataFrame({HEADERS.get(c, c): [_sort_key(v) for v in table[c]] for c in kept})


def to_markdown_page(tables: Mapping[str, pd.DataFrame], notes: Sequence[str] = ()) -> str:
    """All tables in one Markdown document, each with its caption; the notes first."""
    parts = ["# Leaderboard\n", "Generated by `wmbench leaderboard`; do not edit by hand (`--check` compares).\n"]
    if notes:
        parts.append("".join(f"- {note}\n" for note in notes))
    for name, table in tables.items():
        parts.append(f"## {TITLES.get(name, name)}\n")
        if text := caption(name, table):
            parts.append(f"{text}\n")
        parts.append(display_frame(table, DECIMALS.get(name, 1)).to_markdown(index=False, disable_numparse=True) + "\n")
    return "\n".join(parts)


def to_latex(table: pd.DataFrame, caption: str, label: str, decimals: int = 1) -> str:
    """A booktabs table, special characters escaped, ready to ``\\input`` into a paper."""
    shown = display_frame(table, decimals)
    styler = shown.style.hide(axis="index").format(escape="latex").format_index(escape="latex", axis=1)
    body = styler.to_latex(hrules=True, column_format="l" + "r" * (len(shown.columns) - 1),
                           caption=_latex_escape(caption), label=f"tab:wmbench-{label.replace('_', '-')}",
                           position="t", position_float="centering")
    return body


def to_html_page(tables: Mapping[str, pd.DataFrame], plots: list[str], notes: Sequence[str] = ()) -> str:
    """The one static page: notes, sortable captioned tables and the plots, no external resources."""
    from wmbench.leaderboard._html import render_page

    sections = []
    for name, table in tables.items():
        shown, keys = display_frame(table, DECIMALS.get(name, 1)), sort_values(table)
        rows = [[(*_point_and_interval(text), key) for text, key in zip(shown.iloc[i].tolist(), keys.iloc[i].tolist())]
                for i in range(len(shown))]
        model_col = table["model"].tolist() if "model" in table.columns else [""] * len(shown)
        wrap = [HEADERS.get(c, c) for c in WRAP_COLUMNS if c in table.columns]
        sections.append({"name": name, "title": TITLES.get(name, name), "caption": caption(name, table),
                         "headers": list(shown.columns), "wrap": [h in wrap for h in shown.columns],
                         "rows": list(zip(model_col, rows)), "published": name == "published"})
    return render_page(sections, plots, list(notes))


def _point_and_interval(text: str) -> tuple[str, str]:
    """``"59.3 [40.7, 77.8]"`` as ``("59.3", "[40.7, 77.8]")``, so the page may wrap between them."""
    point, bracket, rest = text.partition(" [")
    return (point, f"[{rest}") if bracket and rest.endswith("]") else (text, "")


def _with_ci(value, low, high, places: int) -> str:
    if _missing(value):
        return ""
    if _missing(low) or _missing(high):
        return f"{value:.{places}f}"
    return f"{value:.{places}f} [{low:.{places}f}, {high:.{places}f}]"


def _cell(value, places: int | None) -> str:
    """A number with fixed decimals (``None``: shortest form, for counts and sizes)."""
    if _missing(value):
        return ""
    if isinstance(value, float) and places is not None:
        return f"{value:.{places}f}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _sort_key(value) -> str:
    """Numbers as canonical text the page's script compares numerically; others as text."""
    if _missing(value):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))
    return str(value)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


_LATEX_SPECIAL = re.compile(r"([&%$#_{}])")


def _latex_escape(text: str) -> str:
    return _LATEX_SPECIAL.sub(r"\\\1", text).replace("→", r"$\to$").replace("Δ", r"$\Delta$")

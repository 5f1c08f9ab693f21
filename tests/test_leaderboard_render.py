"""Rendering tables for people: interval cells, LaTeX escaping, HTML escaping (no browser needed)."""

from __future__ import annotations

import pandas as pd
import pytest

from wmbench.leaderboard.render import (
    display_frame,
    to_html_page,
    to_latex,
    to_markdown_page,
)

TABLE = pd.DataFrame([
    {"model": "qwen_7B & co 100%", "size_b": 7.0, "wireless_problems": 27, "Overall": 59.26, "Overall_ci_low": 40.74, "Overall_ci_high": 77.78},
    {"model": "<img src=x onerror=alert(1)>", "size_b": None, "wireless_problems": 27, "Overall": None, "Overall_ci_low": None, "Overall_ci_high": None},
])

# (row, displayed column, expected cell text)
CELLS = [
    (0, "Overall", "59.3 [40.7, 77.8]"),
    (1, "Overall", ""),
    (0, "Params (B)", "7"),
    (1, "Params (B)", ""),
    (0, "Wireless problems", "27"),
    (0, "Model", "qwen_7B & co 100%"),
]


@pytest.mark.parametrize(("row", "column", "expected"), CELLS)
def test_display_cells(row: int, column: str, expected: str) -> None:
    shown = display_frame(TABLE)
    assert list(shown.columns) == ["Model", "Params (B)", "Wireless problems", "Overall"]
    assert shown.loc[row, column] == expected


def test_latex_is_booktabs_and_escaped() -> None:
    tex = to_latex(TABLE, "Accuracy (%) of 2 models", "accuracy")
    assert "\\toprule" in tex and "\\midrule" in tex and "\\bottomrule" in tex
    assert "qwen\\_7B \\& co 100\\%" in tex
    assert "\\caption{Accuracy (\\%) of 2 models}" in tex and "\\label{tab:wmbench-accuracy}" in tex


def test_html_escapes_names_from_results_files() -> None:
    page = to_html_page({"accuracy": TABLE}, ["plots/accuracy_by_type.png"])
    assert "<img src=x onerror" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'data-value="59.26"' in page and '<img src="plots/accuracy_by_type.png"' in page
    assert "http://" not in page and "https://" not in page  # no external resources


def test_markdown_page_lists_every_table() -> None:
    text = to_markdown_page({"accuracy": TABLE, "general_math": TABLE.drop(columns="wireless_problems")})
    assert text.count("| Model ") == 2 and "59.3 [40.7, 77.8]" in text


def test_two_columns_with_one_header_are_refused() -> None:
    with pytest.raises(ValueError, match="Samples/problem"):
        display_frame(pd.DataFrame({"samples": [1], "repeats": [2]}))


def test_group_labels_the_release_does_not_use_get_no_invented_meaning() -> None:
    from wmbench.leaderboard.published import groups_caption

    assert "F marks the 2 frontier" in groups_caption(pd.DataFrame({"group": ["F", "D1", "F", "D2"]}))
    assert groups_caption(pd.DataFrame({"group": ["A", "B"]})) == "Group: the row label of the published file, kept as given."
    assert "kept as given" in groups_caption(pd.DataFrame({"group": ["F", "D2"]}))  # D1 missing: not the release's scheme

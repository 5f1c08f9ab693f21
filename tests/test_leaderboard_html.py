"""The leaderboard page in a real headless Chromium: rows, sorting by a header click, plots, and
a layout that fits common window widths.

Chromium is required: without it the test fails with the install command (CI installs it).
Screenshots are saved under test-artifacts/ (gitignored) for people to look at.
"""

from __future__ import annotations

import pytest
from fixtures_leaderboard import (
    ARTIFACTS,
    LM_EVAL_RESULTS,
    REPO,
    Browser,
    chromium_path,
)

from wmbench.leaderboard import LeaderboardOptions, Pair, generate
from wmbench.leaderboard.results import load_results

# Every table sits in its own container; the page never scrolls sideways and no table is wider
# than its container (wider would mean columns cut off at the container's edge until scrolled).
LAYOUT = """(() => {
  const page = document.documentElement;
  return {
    page: [page.scrollWidth, page.clientWidth],
    tables: document.querySelectorAll('table').length,
    boxes: Array.from(document.querySelectorAll('.table-wrap')).map(box => ({
      table: box.querySelector('table').id, content: box.scrollWidth, box: box.clientWidth,
      right: Math.round(box.getBoundingClientRect().right)})),
  };
})()"""
WIDTHS = (1280, 1400, 1920)
ROWS = "Array.from(document.querySelectorAll('#table-accuracy tbody tr')).map(r => r.dataset.model)"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory):
    chromium_path()  # fail early and clearly when the browser is missing
    out = tmp_path_factory.mktemp("page")
    options = LeaderboardOptions(resamples=300, pairs=(Pair("qwen-base-sim", "qwen-grpo-sim"),),
                                 sizes=(("qwen-base-sim", 1.5), ("qwen-grpo-sim", 1.5)), published=True,
                                 published_file=str(REPO / "leaderboards" / "reference" / "published.csv"))
    generate([LM_EVAL_RESULTS], out / "board", options)
    browser = Browser(out / "profile")
    try:
        browser.open((out / "board" / "index.html").as_uri())
        yield browser
    finally:
        browser.close()


def test_accuracy_table_has_one_row_per_model(page: Browser) -> None:
    models = sorted(m.model for m in load_results([LM_EVAL_RESULTS]))
    assert sorted(page.evaluate(ROWS)) == models
    assert page.evaluate("document.querySelectorAll('#table-accuracy thead th').length") >= 4


def test_clicking_a_header_sorts_the_rows(page: Browser) -> None:
    header = "Array.from(document.querySelectorAll('#table-accuracy thead th')).find(th => th.textContent.trim() === '{}')"
    page.evaluate(header.format("Model") + ".click()")
    descending = page.evaluate(ROWS)
    assert descending == sorted(descending, reverse=True)
    page.evaluate(header.format("Model") + ".click()")
    ascending = page.evaluate(ROWS)
    assert ascending == sorted(ascending) and ascending != descending
    page.evaluate(header.format("Overall") + ".click()")
    values = page.evaluate("Array.from(document.querySelectorAll('#table-accuracy tbody tr'))"
                           ".map(r => Number(r.cells[3].dataset.value))")
    assert values == sorted(values, reverse=True) and len(set(values)) > 1
    assert page.evaluate(header.format("Overall") + ".getAttribute('aria-sort')") == "descending"


def test_published_rows_are_marked_and_plots_load(page: Browser) -> None:
    assert page.evaluate("document.querySelector('section#published .badge').textContent") == "published"
    assert page.evaluate("document.querySelectorAll('#table-published tbody tr').length") == 19
    widths = page.evaluate("Array.from(document.images).map(i => i.naturalWidth)")
    assert len(widths) == 3 and all(w > 0 for w in widths)


def test_screenshot_is_saved_as_an_artifact(page: Browser) -> None:
    shot = page.screenshot(ARTIFACTS / "leaderboard.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


@pytest.mark.parametrize("width", WIDTHS)
def test_tables_fit_the_window_without_cutting_columns(page: Browser, width: int) -> None:
    page.set_width(width)
    shot = page.screenshot(ARTIFACTS / f"leaderboard-{width}px.png")
    layout = page.evaluate(LAYOUT)
    scroll_width, client_width = layout["page"]
    assert scroll_width <= client_width, f"page scrolls sideways at {width}px (see {shot})"
    assert len(layout["boxes"]) == layout["tables"] >= 6
    for box in layout["boxes"]:
        assert box["content"] <= box["box"], f"{box['table']} is cut off at {width}px (see {shot})"
        assert box["right"] <= client_width, box
    assert page.evaluate("getComputedStyle(document.querySelector('thead th')).whiteSpace") == "normal"


def test_published_group_labels_are_explained_under_the_table(page: Browser) -> None:
    groups = page.evaluate("Array.from(document.querySelectorAll('#table-published tbody tr')).map(r => r.cells[1].textContent)")
    caption = page.evaluate("document.querySelector('section#published p.caption').textContent")
    numbered = [g for g in groups if g.startswith("D")]
    assert len(numbered) + groups.count("F") == len(groups) == 19
    assert f"F marks the {groups.count('F')} frontier models" in caption and f"D1-D{len(numbered)} number the other" in caption

"""The dataset card: Hub metadata, generated sections, merging into an existing card."""

from __future__ import annotations

import pytest
from fixtures_release import BUILD_REPORT, assign, reference_problems
from huggingface_hub import DatasetCard

from wmbench.prompt import render_prompt
from wmbench.release.card import (
    merge_card,
    render_card,
    split_front_matter,
)

HAND_WRITTEN_CARD = """---
license: cc-by-4.0
pretty_name: My hand-named benchmark
tags:
- my-own-tag
annotations_creators:
- machine-generated
configs:
- config_name: stale
  data_files: old/*.parquet
---

# My hand-named benchmark

A paragraph the maintainers wrote by hand, which regeneration must keep.

<!-- wmbench:begin counts -->
## Counts

stale numbers
<!-- wmbench:end counts -->

## Acknowledgements

Thanks to the hand-written section after a generated one.
"""


@pytest.fixture(scope="module")
def problems():
    return assign(reference_problems())


def test_card_metadata_parses_on_the_hub_side(problems):
    card = DatasetCard(render_card(problems, BUILD_REPORT))
    data = card.data.to_dict()
    assert data["pretty_name"] == "wmbench test release"
    assert data["size_categories"] == ["n<1K"]
    assert data["language"] == ["en"]
    assert {"question-answering", "text-generation"} <= set(data["task_categories"])
    assert data["configs"] == [{"config_name": "default", "default": True, "data_files": [
        {"split": "train", "path": "data/train-*.parquet"}, {"split": "test", "path": "data/test-*.parquet"}]}]
    splits = {s["name"]: s["num_examples"] for s in data["dataset_info"][0]["splits"]}
    assert splits == {"train": sum(p.split == "train" for p in problems), "test": sum(p.split == "test" for p in problems)}
    assert sorted(data["license"]) == ["cc-by-4.0", "cc-by-nc-sa-4.0", "cc-by-sa-4.0", "other"]  # other: withheld at export


def test_card_body_counts_prompt_and_citation(problems):
    card = render_card(problems, BUILD_REPORT)
    mcq = min((p for p in problems if p.type == "MCQ"), key=lambda p: p.problem_id)
    assert render_prompt(mcq) in card
    n_test = sum(p.split == "test" and p.type == "fill_blank_50" for p in problems)
    n_train = sum(p.split == "train" and p.type == "fill_blank_50" for p in problems)
    n_all_test = sum(p.split == "test" for p in problems)
    assert f"| `fill_blank_50` | {n_train} | {n_test} | {n_test + n_train} |" in card
    assert f"| `all` | {27 - n_all_test} | {n_all_test} | 27 |" in card
    assert "| problems passing every gate | 30 |" in card and "| problems in the dataset | 27 |" in card
    assert "Built with seed 0, generator version g1." in card and "Commonest gate failures: leak (3)." in card
    assert "counts.by_type" not in card and "github.com/wmbench" not in card
    assert "WirelessMathBench-XL: An Auditable Benchmark" in card and "@software{wmbench" in card
    for section in ("summary", "counts", "construction", "fields", "prompt", "use", "limitations", "citation"):
        assert f"<!-- wmbench:begin {section} -->" in card and f"<!-- wmbench:end {section} -->" in card


@pytest.mark.parametrize("report", [{}, {"unexpected": [1, 2, 3]}, {"nested": {"deep": {"deeper": {"x": 1}}}}, {"pipe": "a|b\nc"}],
                         ids=["empty", "list", "nested", "markdown-unsafe"])
def test_card_tolerates_any_build_report(problems, report):
    card = render_card(problems, report)
    assert card.startswith("---\n") and card.endswith("<!-- wmbench:end citation -->\n")
    assert "a|b" not in card


def test_fields_table_lists_only_fields_the_records_fill(problems):
    card = render_card([p.replace(extra={}, record_license=None) for p in problems], BUILD_REPORT)
    fields = card[card.index("## Fields"):card.index("<!-- wmbench:end fields -->")]
    assert "| `paper_split` |" in fields and "| `license` |" in fields and "| `options` |" in fields
    for empty in ("record_license", "source_license", "extra", "page", "equation_label"):
        assert f"| `{empty}` |" not in fields


def test_render_is_deterministic_and_idempotent(problems):
    first = render_card(problems, BUILD_REPORT)
    assert first == render_card(list(problems), dict(BUILD_REPORT))
    merged = render_card(problems, BUILD_REPORT, existing=first)
    assert merged == first
    assert render_card(problems, BUILD_REPORT, existing=merged) == merged


def test_merge_keeps_hand_written_text_and_extra_metadata(problems):
    merged = render_card(problems, BUILD_REPORT, existing=HAND_WRITTEN_CARD)
    metadata, body = split_front_matter(merged)
    assert metadata["pretty_name"] == "My hand-named benchmark"
    assert metadata["tags"] == ["my-own-tag"]
    assert metadata["annotations_creators"] == ["machine-generated"]
    assert metadata["configs"][0]["config_name"] == "default"  # data-derived: regenerated
    assert sorted(metadata["license"]) == ["cc-by-4.0", "cc-by-nc-sa-4.0", "cc-by-sa-4.0", "other"]
    assert "dataset_info" in metadata and "size_categories" in metadata  # new keys added
    assert "A paragraph the maintainers wrote by hand, which regeneration must keep." in body
    assert "Thanks to the hand-written section after a generated one." in body
    assert "stale numbers" not in body
    assert body.index("hand, which") < body.index("## Counts") < body.index("## Acknowledgements")
    assert body.count("<!-- wmbench:begin counts -->") == 1
    for section in ("summary", "citation"):  # sections the old card lacked are appended
        assert body.index(f"<!-- wmbench:begin {section} -->") > body.index("## Acknowledgements")
    assert render_card(problems, BUILD_REPORT, existing=merged) == merged


def test_merge_card_of_two_texts_matches_render_with_existing(problems):
    generated = render_card(problems, BUILD_REPORT)
    assert merge_card(HAND_WRITTEN_CARD, generated) == render_card(problems, BUILD_REPORT, existing=HAND_WRITTEN_CARD)
    assert merge_card(generated, generated) == generated


def test_card_without_front_matter_is_kept_as_body(problems):
    merged = render_card(problems, {}, existing="# Notes\n\nJust text.\n")
    metadata, body = split_front_matter(merged)
    assert body.startswith("# Notes\n\nJust text.\n")
    assert metadata["configs"]

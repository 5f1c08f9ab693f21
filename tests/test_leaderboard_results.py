"""Reading lm-eval output into run records, and the tables built from them (real fixture runs).

The fixtures under tests/data/lm_eval_results were written by real lm-eval runs through the
replay model. Every expected number here is recomputed straight from those files with plain
json, not through wmbench.leaderboard.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from fixtures_leaderboard import DATA, LM_EVAL_RESULTS

from wmbench.errors import SchemaError
from wmbench.leaderboard import Pair, TableConfig, build_tables, load_results
from wmbench.leaderboard.results import display_names, model_size
from wmbench.topics import topic_of

CASES = DATA / "leaderboard"
SAMPLES_NAME = re.compile(r"^samples_(?P<task>.+)_(?P<date>\d{4}-\d\d-\d\dT[\d.-]+)\.jsonl$")
TYPE_COLUMNS = {"MCQ": "MCQ", "fill_blank_25": "FB-25", "fill_blank_50": "FB-50", "fill_blank_75": "FB-75",
                "fill_blank_100": "FEC"}
CONFIG = TableConfig(seed=0, resamples=500)


def _raw_samples() -> dict[str, dict[str, list[dict]]]:
    """model → task → sample rows, read directly from the samples files."""
    out: dict[str, dict[str, list[dict]]] = defaultdict(dict)
    for results_file in sorted(LM_EVAL_RESULTS.rglob("results_*.json")):
        model = json.loads(results_file.read_text(encoding="utf-8"))["model_name"]
        for path in results_file.parent.glob("samples_*.jsonl"):
            task = SAMPLES_NAME.match(path.name)["task"]
            out[model][task] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert out, f"no fixture results under {LM_EVAL_RESULTS}"
    return out


@pytest.fixture(scope="module")
def raw() -> dict[str, dict[str, list[dict]]]:
    return _raw_samples()


@pytest.fixture(scope="module")
def models():
    return load_results([LM_EVAL_RESULTS])


@pytest.fixture(scope="module")
def tables(models):
    names = {m.model for m in models}
    pairs = [Pair("qwen-base-sim", "qwen-grpo-sim")] if {"qwen-base-sim", "qwen-grpo-sim"} <= names else []
    return build_tables(models, pairs, CONFIG)


def _mean(values: list[float]) -> float:
    return round(100 * sum(values) / len(values), 2)


def test_every_model_and_run_is_read(models, raw) -> None:
    assert [m.model for m in models] == sorted(raw)
    for model in models:
        assert len(model.runs) == 1
        run = model.runs[0]
        assert run.settings.lm_eval_version == "0.4.13"
        assert run.settings.repeats == 1
        assert run.source.startswith(f"{model.model}/results_")
        assert len(model.samples) == sum(len(rows) for rows in raw[model.model].values())


def test_accuracy_table_matches_the_samples_files(tables, raw) -> None:
    table = tables["accuracy"].set_index("model")
    assert sorted(table.index) == sorted(raw)
    for model, tasks in raw.items():
        wireless = [row for task, rows in tasks.items() if task.startswith("wirelessmath_xl_") for row in rows]
        assert table.loc[model, "wireless_problems"] == len(wireless) == 27
        assert table.loc[model, "Overall"] == _mean([row["acc"] for row in wireless])
        for ptype, column in TYPE_COLUMNS.items():
            scores = [row["acc"] for row in wireless if row["doc"]["type"] == ptype]
            assert table.loc[model, column] == _mean(scores), (model, ptype)
            low, high = table.loc[model, f"{column}_ci_low"], table.loc[model, f"{column}_ci_high"]
            assert low <= table.loc[model, column] <= high


def test_accuracies_agree_with_what_lm_eval_reported(models) -> None:
    for model in models:
        run = model.runs[0]
        for task, reported in run.task_acc.items():
            scores = [s.acc for s in model.samples if s.task == task]
            if scores:  # subtasks; groups have no samples of their own
                assert sum(scores) / len(scores) == pytest.approx(reported), (model.model, task)
        wireless = [s.acc for s in model.samples if s.task.startswith("wirelessmath_xl_")]
        assert sum(wireless) / len(wireless) == pytest.approx(run.task_acc["wirelessmath_xl"])


def test_oracle_is_perfect_with_a_degenerate_interval(tables) -> None:
    table = tables["accuracy"].set_index("model")
    if "oracle" not in table.index:
        pytest.fail("the fixture results lack the oracle model")
    row = table.loc["oracle"]
    for column in ["Overall", *TYPE_COLUMNS.values()]:
        assert (row[column], row[f"{column}_ci_low"], row[f"{column}_ci_high"]) == (100.0, 100.0, 100.0)


def test_general_math_table_and_average(tables, raw) -> None:
    table = tables["general_math"].set_index("model")
    labels = {"wmbench_math500": "MATH-500", "wmbench_minerva_math": "Minerva", "wmbench_olympiadbench": "OlympiadBench",
              "wmbench_amc23": "AMC23", "wmbench_amc22_23": "AMC22-23", "wmbench_aime24": "AIME24", "wmbench_aime25": "AIME25"}
    for model, tasks in raw.items():
        points = []
        for task, label in labels.items():
            expected = _mean([row["acc"] for row in tasks[task]])
            assert table.loc[model, label] == expected
            points.append(sum(row["acc"] for row in tasks[task]) / len(tasks[task]))
        assert table.loc[model, "Average"] == round(100 * sum(points) / len(points), 2)


def test_gain_and_transfer_tables(tables, raw) -> None:
    gains = tables["gains"].set_index("scope")
    base, trained = raw["qwen-base-sim"], raw["qwen-grpo-sim"]
    def wireless(tasks):
        return {row["doc"]["problem_id"]: row for task, rows in tasks.items() if task.startswith("wirelessmath_xl_") for row in rows}
    b, t = wireless(base), wireless(trained)
    expected_base, expected_trained = _mean([r["acc"] for r in b.values()]), _mean([r["acc"] for r in t.values()])
    overall = gains.loc["Overall"]
    assert (overall["base_acc"], overall["trained_acc"]) == (expected_base, expected_trained)
    diff = sum(t[k]["acc"] - b[k]["acc"] for k in b) / len(b)
    assert overall["gain_pts"] == round(100 * diff, 2)
    assert overall["gain_pts_ci_low"] <= overall["gain_pts"] <= overall["gain_pts_ci_high"]
    base_rate = sum(r["acc"] for r in b.values()) / len(b)
    trained_rate = sum(r["acc"] for r in t.values()) / len(t)
    assert overall["gain_rel_pct"] == round(100 * (trained_rate - base_rate) / base_rate, 2)
    assert set(gains.index) == {"Overall", *TYPE_COLUMNS.values()}
    transfer = tables["transfer"].set_index("scope")
    assert "Average" in transfer.index and "MATH-500" in transfer.index
    per_benchmark = transfer.drop(index="Average")
    assert transfer.loc["Average", "gain_pts"] == pytest.approx(
        round(per_benchmark["trained_acc"].mean(), 2) - round(per_benchmark["base_acc"].mean(), 2), abs=0.011)


def test_a_model_paired_with_itself_gains_exactly_zero(models) -> None:
    name = models[0].model
    gains = build_tables(models, [Pair(name, name)], CONFIG)["gains"]
    assert (gains["gain_pts"] == 0).all()
    assert (gains["gain_pts_ci_low"] == 0).all() and (gains["gain_pts_ci_high"] == 0).all()


def test_two_runs_of_one_model_are_not_pooled_into_pass_at_2(tmp_path: Path, raw) -> None:
    """A second run of the same model replaces the first for its tasks; it never counts as a second sample."""
    source = LM_EVAL_RESULTS / "qwen-grpo-sim"
    first = tmp_path / "run1"
    shutil.copytree(source, first / source.name)
    second = tmp_path / "run2" / source.name
    second.mkdir(parents=True)
    # The second run: every answer flipped, under a newer timestamp, as lm-eval would name it.
    for path in (first / source.name).iterdir():
        new_name = re.sub(r"\d{4}-\d\d-\d\dT[\d.-]+(?=\.json)", "2030-01-01T00-00-00.000000", path.name)
        if path.name.startswith("samples_"):
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
            for row in rows:
                row["acc"] = 1.0 - row["acc"]
                row["filtered_resps"] = [[json.dumps({"correct": bool(row["acc"]), "reason": "flipped"})]]
            (second / new_name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        else:
            shutil.copyfile(path, second / new_name)
    models = load_results([tmp_path])
    assert [m.model for m in models] == ["qwen-grpo-sim"] and len(models[0].runs) == 2
    model = models[0]
    assert [run.date for run in model.used_runs] == ["2030-01-01T00-00-00.000000"]
    assert all((s.n, s.c) == (1, int(s.acc)) for s in model.samples)
    flipped = [1.0 - row["acc"] for task, rows in raw["qwen-grpo-sim"].items() if task.startswith("wirelessmath_xl_") for row in rows]
    tables = build_tables(models, (), CONFIG)
    assert "pass_at_k" not in tables
    assert tables["accuracy"].set_index("model").loc["qwen-grpo-sim", "Overall"] == _mean(flipped)
    assert tables["runs"]["used"].tolist() == ["no", "yes"]


def test_results_saved_without_samples_use_lm_evals_numbers(tmp_path: Path) -> None:
    results_file = next((LM_EVAL_RESULTS / "qwen-grpo-sim").glob("results_*.json"))
    (tmp_path / "qwen-grpo-sim").mkdir()
    shutil.copyfile(results_file, tmp_path / "qwen-grpo-sim" / results_file.name)
    reported = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    tables = build_tables(load_results([tmp_path]), (), CONFIG)
    row = tables["accuracy"].set_index("model").loc["qwen-grpo-sim"]
    assert row["Overall"] == round(100 * reported["wirelessmath_xl"]["acc,verify"], 2)
    assert row["FB-50"] == round(100 * reported["wirelessmath_xl_fill_50"]["acc,verify"], 2)
    assert row["Overall_ci_low"] is None or row["Overall_ci_low"] != row["Overall_ci_low"]  # no interval
    math_row = tables["general_math"].set_index("model").loc["qwen-grpo-sim"]
    assert math_row["MATH-500"] == round(100 * reported["wmbench_math500"]["acc,verify"], 2)


@pytest.mark.parametrize("case", json.loads((CASES / "model_sizes.json").read_text(encoding="utf-8")),
                         ids=lambda c: f"{c['name']}-{'given' if c['sizes'] else 'parsed'}")
def test_model_size(case: dict) -> None:
    assert model_size(case["name"], case["sizes"]) == case["expected"]


@pytest.mark.parametrize("case", json.loads((CASES / "model_names.json").read_text(encoding="utf-8")),
                         ids=lambda c: c["comment"])
def test_display_names(case: dict) -> None:
    shown = display_names(case["names"])
    assert [shown[name] for name in case["names"]] == case["expected"]


@pytest.mark.parametrize("case", json.loads((CASES / "topics.json").read_text(encoding="utf-8")),
                         ids=lambda c: c["comment"])
def test_topic_of(case: dict) -> None:
    assert topic_of(case["record"]) == case["expected"]


def test_bad_inputs_fail_with_one_line_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="no such results file"):
        load_results([tmp_path / "missing"])
    with pytest.raises(SchemaError, match="no lm-eval results"):
        load_results([tmp_path])
    broken = tmp_path / "m" / "results_2026-01-01T00-00-00.json"
    broken.parent.mkdir()
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(SchemaError) as error:
        load_results([tmp_path])
    assert str(broken) in error.value.one_line() and "not valid JSON" in error.value.one_line()
    broken.write_text(json.dumps({"results": {}}), encoding="utf-8")
    with pytest.raises(SchemaError, match="no 'config' object"):
        load_results([broken])


def test_accuracy_by_type_lists_types_in_their_natural_order(models) -> None:
    """MCQ, fill-in 25/50/75 %, full completion; not as text (which puts fill_blank_100 before fill_blank_25)."""
    from wmbench.leaderboard.analysis import accuracy_by, sample_frame

    table = accuracy_by(sample_frame(models), "type")
    assert list(table.index) == ["MCQ", "fill_blank_25", "fill_blank_50", "fill_blank_75", "fill_blank_100"]
    assert table.loc["fill_blank_50", "problems"] == 11

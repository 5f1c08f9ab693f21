"""Per-document metrics and the replay responses file, without running lm-eval."""

from __future__ import annotations

import json

import pytest

from wmbench.errors import SchemaError
from wmbench.evaluation.replay import read_responses
from wmbench.evaluation.scoring import process_results, sample_metrics

# (correctness of each response in order, expected acc, mean@k, pass@k)
METRIC_CASES = [
    ((True,), 1.0, 1.0, 1.0),
    ((False,), 0.0, 0.0, 0.0),
    ((True, False, False), 1.0, 1 / 3, 1.0),
    ((False, False, True, True), 0.0, 0.5, 1.0),
    ((False, False, False), 0.0, 0.0, 0.0),
]

# (file text, expected error fragment)
BAD_RESPONSE_FILES = [
    ('{"problem_id": "1", "response": "x"}\nnot json\n', ":2"),
    ('{"problem_id": "1"}\n', ":1"),
    ('["1", "x"]\n', ":1"),
    ('{"problem_id": "1", "response": 5}\n', ":1"),
]


@pytest.mark.parametrize(("correct", "acc", "mean", "passed"), METRIC_CASES)
def test_sample_metrics(correct, acc, mean, passed):
    assert sample_metrics(list(correct)) == pytest.approx({"acc": acc, "mean@k": mean, "pass@k": passed})


def test_process_results_reads_the_filter_verdicts():
    verdicts = [json.dumps({"correct": c, "reason": "r"}) for c in (False, True)]
    assert process_results({}, [verdicts]) == {"acc": 0.0, "mean@k": 0.5, "pass@k": 1.0}


def test_responses_keep_file_order_per_id_and_task(tmp_path):
    path = tmp_path / "r.jsonl"
    rows = [{"problem_id": 7, "response": "a"}, {"problem_id": "7", "response": "b"},
            {"task": "wmbench_aime24", "problem_id": "7", "response": "c"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    assert read_responses(path) == {(None, "7"): ["a", "b"], ("wmbench_aime24", "7"): ["c"]}


@pytest.mark.parametrize(("text", "where"), BAD_RESPONSE_FILES)
def test_bad_responses_file_names_file_and_line(tmp_path, text, where):
    path = tmp_path / "r.jsonl"
    path.write_text(text)
    with pytest.raises(SchemaError) as info:
        read_responses(path)
    assert info.value.where == f"{path}{where}"


def test_missing_responses_file(tmp_path):
    with pytest.raises(SchemaError, match="not found"):
        read_responses(tmp_path / "nope.jsonl")

"""``wmbench train grpo`` on bad input: one ``error:`` line naming the input and the reason."""

from __future__ import annotations

import json
import sys

import pytest
from fixtures_train import SMALL_RUN, sixteen_problems, write_build
from tiny_model import tiny_model  # noqa: F401  (session fixture)

from wmbench.cli import main


def run_cli(monkeypatch, capsys, *argv: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["wmbench", "train", "grpo", *argv])
    with pytest.raises(SystemExit) as exit_info:
        main()
    return exit_info.value.code, capsys.readouterr().err


def bad_inputs(tmp_path, model):
    all_test = write_build(tmp_path / "all-test", [p.replace(split="test") for p in sixteen_problems()])
    no_columns = tmp_path / "maths.jsonl"
    no_columns.write_text(json.dumps({"question": "What is 1+1?", "answer": "2"}) + "\n", encoding="utf-8")
    good = write_build(tmp_path / "build")
    return {
        "empty-train-split": ([model, "--data", str(all_test)], rf"error: {all_test}: empty train split \(problem split; found: test 16\)"),
        "no-problem-columns": ([model, "--data", str(no_columns)], rf"error: {no_columns}: not wmbench problem records .*training needs the columns"),
        "unknown-reward": ([model, "--data", str(good), "--rewards", "accuracy", "correctness"],
                           r"error: --rewards accuracy correctness: unknown reward 'correctness'; choose from accuracy, format"),
        "missing-model": (["--model_name_or_path", str(tmp_path / "no-such-model"), "--data", str(good)],
                          rf"error: model {tmp_path / 'no-such-model'}: no such checkpoint folder"),
        "unknown-option": ([model, "--data", str(good), "--learning_rat", "1e-5"], r"error: wmbench train grpo: .*--learning_rat"),
    }


@pytest.mark.parametrize("case", ["empty-train-split", "no-problem-columns", "unknown-reward", "missing-model", "unknown-option"])
def test_bad_input_is_one_error_line(tmp_path, tiny_model, monkeypatch, capsys, case):  # noqa: F811
    import re

    argv, expected = bad_inputs(tmp_path, f"--model_name_or_path={tiny_model}")[case]
    code, err = run_cli(monkeypatch, capsys, *argv, "--output_dir", str(tmp_path / "out"), *SMALL_RUN)
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 1 and len(errors) == 1 and re.match(expected, errors[0]), err
    assert "Traceback" not in err and not (tmp_path / "out").exists()

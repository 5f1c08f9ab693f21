"""``wmbench train grpo`` for real: TRL's GRPOTrainer, a tiny local model, the wmbench verifier as reward."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from fixtures_train import SMALL_RUN, write_build
from tiny_model import tiny_model  # noqa: F401  (session fixture)

from wmbench.train.config import RECIPE, parse_grpo_args

RECIPE_YAML = Path(__file__).resolve().parents[1] / "pipelines" / "grpo_wirelessmathlm.yaml"


def test_defaults_are_the_recipe_and_flags_override_the_yaml():
    ours, args, _ = parse_grpo_args(["--use_cpu"])
    assert (args.learning_rate, args.beta, args.temperature, args.num_train_epochs) == (1e-6, 0.01, 1.0, 40)
    assert ours.eval_temperature == 0.6 and ours.rewards == ["accuracy"]
    ours, args, model = parse_grpo_args(["--config", str(RECIPE_YAML), "--learning_rate", "2e-6", "--use_cpu"])
    assert args.learning_rate == 2e-6 and args.beta == RECIPE["beta"] and args.num_train_epochs == RECIPE["num_train_epochs"]
    assert model.model_name_or_path == "Qwen/Qwen2.5-3B" and ours.data == "build/" and args.vllm_mode == "colocate"


@pytest.mark.slow
def test_two_grpo_steps_log_verifier_rewards_and_write_a_checkpoint_that_loads(tmp_path, tiny_model, caplog):  # noqa: F811
    import torch
    from transformers import AutoModelForCausalLM

    from wmbench.train.grpo import train_grpo

    build = write_build(tmp_path / "build")
    out = tmp_path / "run"
    argv = [
        "--model_name_or_path", str(tiny_model), "--data", str(build), "--output_dir", str(out), *SMALL_RUN,
        "--val_size", "2", "--eval_strategy", "steps", "--eval_steps", "2", "--save_strategy", "steps", "--save_steps", "2",
        "--rewards", "accuracy", "format", "--reward_weights", "1.0", "0.5", "--use_chat_template",
    ]
    result = train_grpo(*parse_grpo_args(argv))

    steps = [log for log in result.log_history if "rewards/accuracy/mean" in log]
    assert [log["step"] for log in steps] == [1, 2]
    for log in steps:
        assert {"rewards/accuracy/std", "rewards/answer_format/mean", "reward", "reward_std", "unparseable"} <= set(log)
        assert 0.0 <= log["unparseable"] <= 1.0 and 0.0 <= log["rewards/accuracy/mean"] <= 1.0
        # a well-formed answer is a parseable one: the two logs come from the same completions
        assert log["rewards/answer_format/mean"] <= 1.0 - log["unparseable"] + 1e-6
        assert math.isclose(log["reward"], log["rewards/accuracy/mean"] + 0.5 * log["rewards/answer_format/mean"], abs_tol=1e-5)
    evals = [log for log in result.log_history if "eval_unparseable" in log]
    assert evals and "eval_rewards/accuracy/mean" in evals[0]

    assert (out / "checkpoint-2" / "trainer_state.json").is_file()
    trained = AutoModelForCausalLM.from_pretrained(out)
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    assert any(not torch.equal(a, b) for a, b in zip(trained.parameters(), base.parameters()))
    ids = torch.tensor([[1, 2, 3]])
    assert trained.generate(ids, max_new_tokens=4, do_sample=False).shape == (1, 7)

    # a killed run started again resumes from its last checkpoint: only step 3 is new
    with caplog.at_level("INFO", logger="wmbench.train.grpo"):
        resumed = train_grpo(*parse_grpo_args([*argv, "--max_steps", "3"]))
    assert f"resuming from {out / 'checkpoint-2'}" in caplog.text
    assert [log["step"] for log in resumed.log_history if "rewards/accuracy/mean" in log] == [1, 2, 3]


@pytest.mark.slow
def test_validation_rollouts_sample_at_the_eval_temperature(tmp_path, tiny_model):  # noqa: F811
    from wmbench.train.data import load_training_data
    from wmbench.train.grpo import WmbenchGRPOTrainer
    from wmbench.train.rewards import accuracy

    _, args, _ = parse_grpo_args(["--output_dir", str(tmp_path / "run"), *SMALL_RUN, "--max_steps", "1", "--eval_strategy", "no"])
    train, val = load_training_data(str(write_build(tmp_path / "build")), val_size=2).datasets()
    seen: list[float] = []

    def recording_accuracy(completions, **kwargs):
        seen.append(trainer.generation_config.temperature)
        return accuracy(completions, **kwargs)

    trainer = WmbenchGRPOTrainer(model=str(tiny_model), reward_funcs=[recording_accuracy], args=args,
                                 train_dataset=train, eval_dataset=val, eval_temperature=0.6)
    trainer.evaluate()
    assert seen and set(seen) == {0.6}
    assert trainer.temperature == 1.0 and trainer.generation_config.temperature == 1.0
    evaluated = len(seen)
    trainer.train()
    assert len(seen) > evaluated and set(seen[evaluated:]) == {1.0}

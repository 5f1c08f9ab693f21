"""Options of ``wmbench train grpo``: TRL's own config classes plus one small wmbench dataclass.

:func:`parse_grpo_args` parses ``--config recipe.yaml`` and flags with TRL's ``TrlParser`` into
``(WmbenchTrainArguments, GRPOConfig, ModelConfig)``, so every TRL option works from YAML or the
command line. Defaults are the WirelessMathLM recipe (:data:`RECIPE`); a YAML file or flags
override them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

# The WirelessMathLM recipe: GRPO from a base checkpoint, no SFT, binary verifier reward.
# Published: lr 1e-6, KL beta 0.01, rollout temperature 1.0 (validation 0.6), 40 epochs.
# Assumed here (not published): group size 8, 4,096 new tokens, TRL's default loss.
RECIPE: dict[str, Any] = {
    "learning_rate": 1e-6,
    "beta": 0.01,
    "temperature": 1.0,
    "num_train_epochs": 40,
    "num_generations": 8,
    "max_completion_length": 4096,
    "logging_steps": 1,
    "save_strategy": "epoch",
    "eval_strategy": "epoch",
    "report_to": "none",
    "output_dir": "checkpoints/grpo",
}
DESCRIPTION = (
    "GRPO on a wmbench build with the wmbench verifier as reward (TRL's GRPOTrainer). "
    "Every TRL GRPOConfig / ModelConfig option works as a flag or in --config YAML; defaults are the "
    "WirelessMathLM recipe (see pipelines/grpo_wirelessmathlm.yaml)."
)


@dataclass
class WmbenchTrainArguments:
    """Data, reward and evaluation options that TRL's classes do not have."""

    data: str | None = field(default=None, metadata={"help": "A wmbench build folder, JSONL or Parquet file, or a Hub dataset id."})
    data_config: str | None = field(default=None, metadata={"help": "Hub dataset config (e.g. paper_disjoint)."})
    split_by: Literal["problem", "paper"] = field(
        default="problem",
        metadata={"help": "Which split to train on: the problem-level `split` or the paper-disjoint `paper_split`."},
    )
    val_size: float = field(
        default=0.05,
        metadata={"help": "Held-out validation slice of the train split: a fraction (<1) or a number of problems; 0 = none."},
    )
    use_chat_template: bool = field(
        default=False, metadata={"help": "Send prompts as one user message through the tokenizer's chat template."}
    )
    rewards: list[str] = field(
        default_factory=lambda: ["accuracy"],
        metadata={"help": "Reward functions: accuracy (the wmbench verifier), format. Weights: --reward_weights."},
    )
    eval_temperature: float = field(default=0.6, metadata={"help": "Sampling temperature of validation rollouts."})
    eval: bool = field(
        default=False,
        metadata={"help": "After training, score base and trained with identical settings (lm-eval) and write a leaderboard."},
    )
    eval_backend: Literal["hf", "vllm"] = field(default="hf", metadata={"help": "lm-eval backend for --eval."})
    eval_tasks: str = field(default="wirelessmath_xl,wmbench_general_math", metadata={"help": "Tasks for --eval."})
    eval_math_data: str | None = field(default=None, metadata={"help": "Folder of <task>.jsonl for the maths tasks (default: the Hub)."})
    eval_limit: float | None = field(default=None, metadata={"help": "At most N problems per subtask in --eval (testing only)."})
    eval_max_gen_toks: int | None = field(default=None, metadata={"help": "New tokens per answer in --eval (default: max_completion_length)."})
    eval_output: str | None = field(default=None, metadata={"help": "Folder for --eval results (default: <output_dir>/eval)."})


def parse_grpo_args(argv: Sequence[str]) -> tuple[WmbenchTrainArguments, Any, Any]:
    """``(wmbench, GRPOConfig, ModelConfig)`` from flags and ``--config``, over :data:`RECIPE`."""
    from trl import GRPOConfig, ModelConfig, TrlParser

    parser = TrlParser((WmbenchTrainArguments, GRPOConfig, ModelConfig), description=DESCRIPTION, prog="wmbench train grpo",
                       allow_abbrev=False)  # a mistyped prefix (--learning_rat) is an error, not another option
    parser.set_defaults_with_config(**RECIPE)
    ours, grpo, model = parser.parse_args_and_config(args=list(argv))
    return ours, grpo, model

"""``wmbench train grpo``: TRL's GRPOTrainer on a wmbench build, the verifier as reward.

Nothing here trains by itself: data rows come from :mod:`wmbench.train.data`, rewards from
:mod:`wmbench.train.rewards`, and TRL does the rest (generation with transformers or vLLM,
accelerate / DeepSpeed for several GPUs, reporters, checkpoints, ``--push_to_hub``). The one
addition to GRPOTrainer is a separate sampling temperature for validation rollouts.
A run whose ``output_dir`` already holds a checkpoint resumes from the last one.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trl import GRPOConfig, GRPOTrainer, ModelConfig, get_peft_config

from wmbench.errors import TrainingError
from wmbench.train.config import WmbenchTrainArguments
from wmbench.train.data import is_hub_id, load_training_data
from wmbench.train.rewards import reward_functions

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainResult:
    """Where the run left its model, and its log history (one dict per logging step)."""

    output_dir: Path
    log_history: list[dict[str, Any]]


class WmbenchGRPOTrainer(GRPOTrainer):
    """GRPOTrainer whose validation rollouts sample at ``eval_temperature``."""

    def __init__(self, *args: Any, eval_temperature: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eval_temperature = eval_temperature

    def evaluate(self, *args: Any, **kwargs: Any) -> dict[str, float]:
        with self._sampling_temperature(self.eval_temperature):
            return super().evaluate(*args, **kwargs)

    @contextlib.contextmanager
    def _sampling_temperature(self, temperature: float | None) -> Iterator[None]:
        """Every place GRPOTrainer keeps its sampling temperature, set for the block."""
        if temperature is None:
            yield
            return
        saved = self.temperature
        holders = [h for h in (getattr(self, "generation_config", None), getattr(self, "vllm_generation", None)) if h is not None]
        kwargs = getattr(self, "generation_kwargs", None)
        try:
            self._set_temperature(temperature, holders, kwargs)
            yield
        finally:
            self._set_temperature(saved, holders, kwargs)

    def _set_temperature(self, temperature: float, holders: list[Any], kwargs: dict[str, Any] | None) -> None:
        self.temperature = temperature
        for holder in holders:
            holder.temperature = temperature
        if isinstance(kwargs, dict) and "temperature" in kwargs:
            kwargs["temperature"] = temperature


def train_grpo(ours: WmbenchTrainArguments, args: GRPOConfig, model_args: ModelConfig) -> TrainResult:
    """Train ``model_args.model_name_or_path`` with GRPO on ``ours.data``; save (and push) the model."""
    model = check_model(model_args.model_name_or_path, args.max_completion_length)
    rewards = reward_functions(ours.rewards, args.reward_weights)
    data = load_training_data(ours.data, config=ours.data_config, split_by=ours.split_by, val_size=ours.val_size,
                              seed=args.seed, chat=ours.use_chat_template)
    train_set, val_set = data.datasets()
    if val_set is None and args.eval_strategy != "no":
        logger.warning("val_size=0: no validation slice, so no validation during training")
        args.eval_strategy = "no"
    args.model_init_kwargs = {"revision": model_args.model_revision, "attn_implementation": model_args.attn_implementation,
                              "dtype": model_args.dtype, **(args.model_init_kwargs or {})}
    trainer = WmbenchGRPOTrainer(
        model=model,
        reward_funcs=rewards,
        args=args,
        train_dataset=train_set,
        eval_dataset=val_set,
        peft_config=get_peft_config(model_args),
        eval_temperature=ours.eval_temperature,
    )
    trainer.train(resume_from_checkpoint=_resume_point(args))
    trainer.save_model(args.output_dir)
    if args.push_to_hub:  # the model card names the dataset only when it is a Hub id, never a local path
        trainer.push_to_hub(dataset_name=None if Path(data.source).exists() else data.source)
    return TrainResult(Path(args.output_dir), list(trainer.state.log_history))


def check_model(name: str | None, max_completion_length: int | None = None) -> str:
    """``name`` if it is a local checkpoint or a loadable Hub id with room for the completions; else a one-line error."""
    from transformers import AutoConfig

    if not name:
        raise TrainingError("--model_name_or_path", "no model given: a local checkpoint folder or a Hub id")
    if not Path(name).exists() and not is_hub_id(name):
        raise TrainingError(f"model {name}", "no such checkpoint folder (and not a Hub id)")
    try:
        config = AutoConfig.from_pretrained(name)
    except (OSError, ValueError) as exc:
        raise TrainingError(f"model {name}", f"cannot load its config ({' '.join(str(exc).split())[:160]})") from None
    positions = getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions", None)
    if positions and max_completion_length and max_completion_length >= positions:
        raise TrainingError(f"model {name}", f"max_completion_length={max_completion_length} does not fit its "
                                             f"{positions} positions with a prompt; lower --max_completion_length")
    return name


def _resume_point(args: GRPOConfig) -> str | bool | None:
    """TRL's own ``resume_from_checkpoint``, else the last checkpoint in ``output_dir`` (a killed run)."""
    if args.resume_from_checkpoint is not None:
        return args.resume_from_checkpoint
    from transformers.trainer_utils import get_last_checkpoint

    folder = Path(args.output_dir)
    last = get_last_checkpoint(str(folder)) if folder.is_dir() else None
    if last:
        logger.info("resuming from %s", last)
    return last

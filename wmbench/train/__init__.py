"""GRPO training on a wmbench build: TRL's GRPOTrainer with the wmbench verifier as reward.

Stages: :mod:`~wmbench.train.config` (TRL's config classes + wmbench's options, the recipe),
:mod:`~wmbench.train.data` (train split → prompt rows), :mod:`~wmbench.train.rewards` (reward
functions by name), :mod:`~wmbench.train.grpo` (the trainer; imports TRL),
:mod:`~wmbench.train.evaluate` (base vs trained through lm-eval, then the leaderboard).
"""

from wmbench.train.config import RECIPE, WmbenchTrainArguments, parse_grpo_args
from wmbench.train.data import TrainingData, load_training_data
from wmbench.train.rewards import REWARDS, reward_functions

__all__ = ["RECIPE", "REWARDS", "TrainingData", "WmbenchTrainArguments", "load_training_data", "parse_grpo_args", "reward_functions"]

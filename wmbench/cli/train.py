"""``wmbench train grpo``: GRPO with TRL, every option TRL's parser knows (flags or ``--config`` YAML)."""

from __future__ import annotations

import logging

import typer

command = typer.Typer(name="train", help="Train models on a wmbench build.", no_args_is_help=True)


@command.command(
    "grpo",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def grpo(ctx: typer.Context) -> None:
    """GRPO with the wmbench verifier as reward (TRL's GRPOTrainer; `--help` lists every option).

    Examples:

      wmbench train grpo --config pipelines/grpo_wirelessmathlm.yaml --model_name_or_path Qwen/Qwen2.5-3B --data build/

      accelerate launch --config_file pipelines/accelerate/zero2.yaml -m wmbench.cli train grpo \\
          --config pipelines/grpo_wirelessmathlm.yaml --use_vllm --vllm_mode colocate --push_to_hub

      wmbench train grpo --model_name_or_path ./ckpt --data build/ --max_steps 2 --eval --eval_math_data math/
    """
    from wmbench.errors import TrainingError
    from wmbench.train.config import parse_grpo_args

    _show_progress_notes()

    try:
        ours, args, model_args = parse_grpo_args(ctx.args)
    except ValueError as exc:  # HfArgumentParser: unknown keys in the YAML or on the command line
        raise TrainingError("wmbench train grpo", " ".join(str(exc).split())) from None
    from wmbench.train.grpo import train_grpo

    result = train_grpo(ours, args, model_args)
    typer.echo(f"model: {result.output_dir}")
    if ours.eval:
        from wmbench.train.evaluate import compare_checkpoints

        board = compare_checkpoints(model_args.model_name_or_path, str(result.output_dir), ours, args, model_args)
        typer.echo(f"leaderboard: {board}")


def _show_progress_notes() -> None:
    """wmbench.train's INFO lines (data sizes, resuming) on stderr beside TRL's own progress."""
    log = logging.getLogger("wmbench.train")
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)

"""Base vs trained: score both checkpoints with identical lm-eval settings, then a leaderboard.

Both runs share tasks, data, split, prompt form (chat template or not), generation length and
seed, and are greedy, as the WirelessMathLM tables report. The leaderboard pairs them, so its
gain tables show the base → trained difference with paired bootstrap intervals.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from wmbench.train.config import WmbenchTrainArguments

logger = logging.getLogger(__name__)


def compare_checkpoints(base: str, trained: str, ours: WmbenchTrainArguments, args: Any, model_args: Any) -> Path:
    """Evaluate ``base`` and ``trained``; return the leaderboard folder with the pair."""
    from wmbench.evaluation.runner import EvalConfig, run
    from wmbench.leaderboard.report import LeaderboardOptions, generate
    from wmbench.leaderboard.results import model_name
    from wmbench.leaderboard.tables import Pair

    out = Path(ours.eval_output or Path(args.output_dir) / "eval")
    if ours.split_by == "paper":
        logger.warning("--eval scores the problem-level test split; a paper-disjoint comparison needs the paper_disjoint release")
    local_data = ours.data if ours.data and Path(ours.data).exists() else None
    names = []
    for checkpoint in (base, trained):
        result = run(EvalConfig(
            model=ours.eval_backend,
            model_args=f"pretrained={checkpoint},dtype={model_args.dtype or 'auto'}",
            tasks=tuple(t.strip() for t in ours.eval_tasks.split(",") if t.strip()),
            output=str(out / "results"),
            data=local_data,
            math_data=ours.eval_math_data,
            split="test",
            limit=int(ours.eval_limit) if ours.eval_limit is not None and ours.eval_limit >= 1 else ours.eval_limit,
            gen_kwargs=f"max_gen_toks={ours.eval_max_gen_toks or args.max_completion_length}",
            apply_chat_template=ours.use_chat_template,
            log_samples=True,
            device="cpu" if args.use_cpu else None,
            seed=args.seed,
        ))
        names.append(model_name(json.loads(result.results_file.read_text(encoding="utf-8"))))
    board = out / "leaderboard"
    options = LeaderboardOptions(pairs=(Pair(names[0], names[1]),), include_limited=ours.eval_limit is not None)
    generate([out / "results"], board, options)
    return board

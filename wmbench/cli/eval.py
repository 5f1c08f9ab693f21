"""``wmbench eval``: score a model on the wmbench lm-eval tasks."""

from __future__ import annotations

from typing import Optional

import typer


def command(
    model: str = typer.Option(..., "--model", help="lm-eval model: vllm, hf, local-chat-completions, wmbench-replay, ..."),
    model_args: str = typer.Option("", "--model-args", help="Comma-separated key=value model arguments."),
    tasks: str = typer.Option("wirelessmath_xl", "--tasks", help="Comma-separated tasks or groups."),
    output: str = typer.Option("results", "--output", "-o", help="Folder for lm-eval's results and samples files."),
    data: Optional[str] = typer.Option(None, "--data", help="wirelessmath_xl data: build dir, JSONL or Parquet (default: the Hub dataset)."),
    math_data: Optional[str] = typer.Option(None, "--math-data", help="Folder of <task>.jsonl files for the wmbench_* maths tasks."),
    split: Optional[str] = typer.Option(None, "--split", help="Split of --data to evaluate (default: test)."),
    limit: Optional[float] = typer.Option(None, "--limit", help="At most N problems per subtask (testing only)."),
    repeats: Optional[int] = typer.Option(None, "--repeats", help="Samples per problem, for mean@k and pass@k."),
    gen_kwargs: Optional[str] = typer.Option(None, "--gen-kwargs", help="Generation overrides, e.g. do_sample=true,temperature=0.6."),
    apply_chat_template: bool = typer.Option(False, "--apply-chat-template", help="Wrap prompts in the model's chat template."),
    log_samples: bool = typer.Option(False, "--log-samples", help="Also write per-sample responses and verdicts."),
    batch_size: str = typer.Option("1", "--batch-size", help="Batch size, or 'auto'."),
    device: Optional[str] = typer.Option(None, "--device", help="Device for the hf backend, e.g. cuda:1 or cpu (default: cuda:0, or the CPU without CUDA, as lm_eval)."),
    seed: int = typer.Option(0, "--seed", help="Seed for Python, NumPy and torch."),
) -> None:
    """Score a model on wirelessmath_xl and the general-maths tasks with lm-evaluation-harness.

    Writes OUTPUT/<model>/results_<time>.json (and samples_<task>_<time>.jsonl with
    --log-samples) in lm-eval's own format. For hf and vllm models the tasks' budget of 16384 new
    tokens is lowered to fit the model's context (prompt + new tokens), with a warning.

    Examples:

      wmbench eval --model vllm --model-args pretrained=Qwen/Qwen2.5-7B-Instruct,tensor_parallel_size=2 \\
          --tasks wirelessmath_xl,wmbench_general_math --apply-chat-template --output results/

      wmbench eval --model hf --model-args pretrained=./ckpt --data build/ --split test --limit 5

      wmbench eval --model wmbench-replay --model-args responses=api_out.jsonl,model=gpt-x \\
          --data build/ --log-samples --output results/
    """
    from wmbench.cli._options import require

    require("lm_eval", "eval", "eval")
    from wmbench.evaluation.runner import EvalConfig, run

    config = EvalConfig(
        model=model,
        model_args=model_args,
        tasks=tuple(t.strip() for t in tasks.split(",") if t.strip()),
        output=output,
        data=data,
        math_data=math_data,
        split=split,
        limit=int(limit) if limit is not None and limit >= 1 else limit,
        repeats=repeats,
        gen_kwargs=gen_kwargs,
        apply_chat_template=apply_chat_template,
        log_samples=log_samples,
        batch_size=int(batch_size) if batch_size.isdigit() else batch_size,
        device=device,
        seed=seed,
    )
    out = run(config)
    from lm_eval.utils import make_table

    typer.echo(make_table(out.results))
    if "groups" in out.results:
        typer.echo(make_table(out.results, "groups"))
    typer.echo(f"results: {out.results_file}")
    for path in out.samples_files:
        typer.echo(f"samples: {path}")

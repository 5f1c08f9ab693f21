"""A thin wrapper over ``lm_eval.simple_evaluate`` for the wmbench task suite.

It adds four things to a plain ``lm_eval`` run: the repo's ``tasks/`` folder on the include
path, the data location in the task metadata, the ``wmbench-replay`` model, and a generation
budget fitted to the model's context (:mod:`wmbench.evaluation.budget`). As ``lm_eval`` does,
the device defaults to ``cuda:0``, which lm-eval's ``hf`` backend replaces by the CPU on a
machine without CUDA. Results and samples are lm-eval's own files, written by its
``EvaluationTracker``::

    OUTPUT/<model_name_sanitized>/results_<timestamp>.json
    OUTPUT/<model_name_sanitized>/samples_<task>_<timestamp>.jsonl   (with log_samples)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import wmbench
from wmbench.errors import SchemaError, WmbenchError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvalConfig:
    """One evaluation run; fields mirror ``wmbench eval``'s options."""

    model: str
    model_args: str = ""
    tasks: tuple[str, ...] = ("wirelessmath_xl",)
    output: str = "results"
    data: str | None = None
    math_data: str | None = None
    split: str | None = None
    limit: float | None = None
    repeats: int | None = None
    log_samples: bool = False
    apply_chat_template: bool = False
    gen_kwargs: str | None = None
    batch_size: int | str = 1
    device: str | None = None
    seed: int = 0
    metadata: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class EvalOutput:
    """What a run produced: lm-eval's result mapping and the files written."""

    results: dict[str, Any]
    results_file: Path
    samples_files: tuple[Path, ...]


def tasks_dir() -> Path:
    """The ``tasks/`` folder beside the installed ``wmbench`` package."""
    path = Path(wmbench.__file__).resolve().parents[1] / "tasks"
    if not (path / "wirelessmath_xl").is_dir():
        raise WmbenchError(str(path), "task folder not found; install wmbench from a source checkout (pip install -e .)")
    return path


def task_metadata(config: EvalConfig) -> dict[str, Any]:
    """Metadata for the tasks' ``custom_dataset`` hooks: explicit keys over ``config.metadata``."""
    meta = dict(config.metadata)
    for key in ("data", "math_data", "split"):
        value = getattr(config, key)
        if value is not None:
            meta[key] = str(value)
    return meta


# lm_eval's own default: its hf backend falls back to the CPU when this device does not exist.
DEFAULT_DEVICE = "cuda:0"


def run(config: EvalConfig) -> EvalOutput:
    """Evaluate ``config.model`` on ``config.tasks`` and write lm-eval's results files."""
    import lm_eval.api.registry
    from lm_eval import simple_evaluate
    from lm_eval.loggers import EvaluationTracker
    from lm_eval.tasks import TaskManager

    import wmbench.evaluation.replay  # noqa: F401  registers wmbench-replay
    from wmbench.evaluation.budget import explicit_max_gen_toks, fit_generation_budget

    manager = _task_manager(TaskManager, config)
    tracker = EvaluationTracker(output_path=config.output)
    tasks = _load_tasks(manager, config)
    device = config.device or DEFAULT_DEVICE
    lm = lm_eval.api.registry.get_model(config.model).create_from_arg_string(
        _model_args(config), {"batch_size": config.batch_size, "device": device})
    for budget in fit_generation_budget(lm, _leaf_tasks(tasks), explicit=explicit_max_gen_toks(config.gen_kwargs),
                                        apply_chat_template=config.apply_chat_template):
        logger.warning("%s: max_gen_toks %d lowered to %d to fit the model's context of %d tokens (longest prompt %d)",
                       budget.task, budget.requested, budget.fits, budget.max_length, budget.longest_prompt)
    results = simple_evaluate(
        model=lm,
        model_args=_model_args(config),
        tasks=tasks,
        task_manager=manager,
        limit=config.limit,
        log_samples=config.log_samples,
        evaluation_tracker=tracker,
        apply_chat_template=config.apply_chat_template,
        gen_kwargs=config.gen_kwargs,
        batch_size=config.batch_size,
        device=str(getattr(lm, "device", device)),  # recorded in the results: the device really used
        random_seed=config.seed,
        numpy_random_seed=config.seed,
        torch_random_seed=config.seed,
        fewshot_random_seed=config.seed,
    )
    if results is None:  # non-zero ranks of a distributed run
        raise WmbenchError(config.model, "this process is not rank 0; results are written by rank 0")
    # as lm_eval records them (a model built here would be "CUSTOM" and named by its path)
    results["config"]["model"] = config.model
    tracker.general_config_tracker.model_source = config.model
    return _save(results, tracker, config.log_samples)


def _leaf_tasks(built: list[Any]) -> list[Any]:
    """The task objects of ``_load_tasks``'s tasks and groups."""
    return [task for item in built for task in (item.get_all_tasks() if hasattr(item, "get_all_tasks") else [item])]


def _model_args(config: EvalConfig) -> str:
    """Model arguments; the replay model gets ``model=`` so results land in a named folder."""
    args = config.model_args
    if config.model == "wmbench-replay" and "model=" not in args:
        stem = next((a.split("=", 1)[1] for a in args.split(",") if a.startswith("responses=")), "")
        args = f"{args},model={Path(stem).stem or 'replay'}".lstrip(",")
    return args


def _task_manager(factory: Any, config: EvalConfig) -> Any:
    """An index of wmbench's tasks; lm-eval's own ~14k task files are scanned only if asked for."""
    kwargs = {"include_path": str(tasks_dir()), "metadata": task_metadata(config)}
    manager = factory(include_defaults=False, **kwargs)
    if all(name in manager.all_tasks for name in config.tasks):
        return manager
    return factory(include_defaults=True, **kwargs)


def _load_tasks(manager: Any, config: EvalConfig) -> list[Any]:
    """Task and group objects for the requested names, with ``repeats`` applied to every task."""
    unknown = [name for name in config.tasks if name not in manager.all_tasks]
    if unknown:
        raise SchemaError(", ".join(unknown), f"unknown task; wmbench tasks live in {tasks_dir()}")
    built = []
    for name in config.tasks:
        loaded = manager.load([name])
        if name in loaded["groups"]:
            built.append(loaded["groups"][name])
        else:  # a task, or a tag standing for several tasks
            built.extend(loaded["tasks"].values())
        if config.repeats:
            for task in loaded["tasks"].values():
                task.set_config(key="repeats", value=int(config.repeats))
    return built


def _save(results: dict[str, Any], tracker: Any, log_samples: bool) -> EvalOutput:
    samples = results.pop("samples", None) if log_samples else None
    tracker.save_results_aggregated(results=results, samples=samples)
    folder = Path(tracker.output_path) / str(tracker.general_config_tracker.model_name_sanitized)
    written = []
    if samples is not None:
        for task_name in results["configs"]:
            tracker.save_results_samples(task_name=task_name, samples=samples[task_name])
            written.append(folder / f"samples_{task_name}_{tracker.date_id}.jsonl")
    return EvalOutput(results, folder / f"results_{tracker.date_id}.json", tuple(written))

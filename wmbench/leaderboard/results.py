"""Read lm-eval results and samples files into typed, versioned run records.

``lm_eval --output_path OUT --log_samples`` (and ``wmbench eval``) writes, per run,
``OUT/<model>/results_<date>.json`` beside one ``samples_<task>_<date>.jsonl`` per task. This
module finds those pairs under any number of paths, and turns each into a :class:`ModelRun`:
who was evaluated (model name, parameter count), how (generation settings, chat template,
limit, repeats), the accuracy lm-eval reported per task, and per problem whether the model was
right. A model is named as lm-eval names it, except that a checkpoint given by its path is named
by the path's last part(s), never by a machine path.

Runs of the same model are grouped into one :class:`ModelResults`, but never pooled: each task
takes its numbers from one run, the newest full run (a ``--limit`` run only when no full run has
the task), as leaderboards that re-evaluate a model do. The other runs stay listed, marked unused.
Several samples per problem (pass@k) come only from ``--repeats`` within one run.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping

from wmbench.errors import SchemaError
from wmbench.schema import PROBLEM_TYPES
from wmbench.storage import iter_json_lines

SCHEMA_VERSION = 1
TaskFamily = Literal["wireless", "general_math", "other"]

WIRELESS_GROUP = "wirelessmath_xl"
GENERAL_MATH_GROUP = "wmbench_general_math"
# Subtask name → problem type, for samples whose document does not carry ``type``.
WIRELESS_TASK_TYPES: dict[str, str] = {
    "wirelessmath_xl_mcq": "MCQ",
    "wirelessmath_xl_fill_25": "fill_blank_25",
    "wirelessmath_xl_fill_50": "fill_blank_50",
    "wirelessmath_xl_fill_75": "fill_blank_75",
    "wirelessmath_xl_full": "fill_blank_100",
}
GENERAL_MATH_TASKS: tuple[str, ...] = (
    "wmbench_math500", "wmbench_minerva_math", "wmbench_olympiadbench", "wmbench_amc23",
    "wmbench_amc22_23", "wmbench_aime24", "wmbench_aime25",
)
# Per-sample metric keys that mean "this response was right", in order of preference.
CORRECTNESS_KEYS: tuple[str, ...] = ("acc", "exact_match")

_RESULTS_NAME = re.compile(r"^results_(?P<date>.+)\.json$")
# A model given by its filesystem path rather than a Hub id: absolute, home- or dot-relative,
# or nested deeper than Hub's "org/name".
_PATH_LIKE = re.compile(r"^(?:/|~|\.{1,2}/|[A-Za-z]:[\\/])|^[^/]+/[^/]+/")
# An absolute path inside model arguments (``responses=/home/me/r.jsonl,...``); ``name`` is its last part.
_ABSOLUTE_PATH = re.compile(r'(?<![\w.~/-])/(?:[^,\s"/]+/)*(?P<name>[^,\s"/]+)')
# What lm-eval replaces by "__" in a model name to name its output folder (sanitize_model_name).
_LM_EVAL_UNSAFE = re.compile(r'["<>:/|\\?*\[\]]+')
# Last path parts that name a checkpoint of a run, not the run: shown with their parent folder.
_CHECKPOINT_PART = re.compile(r"^(?:(?:checkpoint|ckpt|step|global_step|epoch|iter)[-_]?\d+|final|best|last|latest)$", re.I)
_SIZE = re.compile(
    r"(?<![A-Za-z0-9.])"          # start of a name token
    r"(?P<number>\d+(?:\.\d+)?)"  # 7, 1.5, 0.5, 125
    r"\s*(?P<unit>[bBmM])"        # billions or millions
    r"(?![A-Za-z0-9])"            # end of the token: '7B-Instruct' yes, '7bit' no
)


@dataclass(frozen=True)
class SampleRecord:
    """One problem as one run saw it: ``c`` of ``n`` responses correct, ``acc`` for the first."""

    task: str
    problem_id: str
    acc: float
    n: int
    c: int
    type: str | None = None
    paper_id: str | None = None
    record: str | None = None  # the problem record as JSON, when the document carries it
    reason: str | None = None  # the verifier's reason for the first response, when kept

    @property
    def key(self) -> str:
        """Problem identity across models: task and problem id."""
        return f"{self.task}/{self.problem_id}"


@dataclass(frozen=True)
class RunSettings:
    """How a run generated: what changes scores besides the model."""

    model_source: str
    model_args: str
    gen_kwargs: str
    chat_template: bool
    system_instruction: bool
    fewshot_as_multiturn: bool
    limit: float | None
    repeats: int
    lm_eval_version: str


@dataclass(frozen=True)
class ModelRun:
    """One results file and its samples."""

    model: str
    size_b: float | None
    settings: RunSettings
    source: str
    date: str
    task_acc: dict[str, float] = field(hash=False)
    task_versions: dict[str, str] = field(hash=False)
    samples: tuple[SampleRecord, ...] = ()
    recorded_as: str = ""  # the name lm-eval recorded (a checkpoint's path); never written out


@dataclass(frozen=True)
class ModelResults:
    """Every run of one model, and the one run each task's numbers come from."""

    model: str
    size_b: float | None
    runs: tuple[ModelRun, ...]  # every run found, oldest first
    samples: tuple[SampleRecord, ...]  # from the chosen run of each task only
    chosen: Mapping[str, str] = field(default_factory=dict, hash=False)  # task → source of its run

    def task_samples(self, tasks: Iterable[str]) -> tuple[SampleRecord, ...]:
        """Samples of the given tasks, in stored order."""
        wanted = set(tasks)
        return tuple(s for s in self.samples if s.task in wanted)

    def reported_acc(self, task: str) -> float | None:
        """The accuracy lm-eval itself reported for a task, in the run chosen for it."""
        run = self.run_for(task)
        return run.task_acc.get(task) if run is not None else None

    def run_for(self, task: str) -> ModelRun | None:
        """The run a task's numbers come from."""
        source = self.chosen.get(task)
        return next((run for run in self.runs if run.source == source), None)

    @property
    def used_runs(self) -> tuple[ModelRun, ...]:
        """The runs some task's numbers come from."""
        sources = set(self.chosen.values())
        return tuple(run for run in self.runs if run.source in sources)

    @property
    def limit(self) -> float | None:
        """The largest ``--limit`` among the runs used, if any was limited."""
        limits = [run.settings.limit for run in self.used_runs if run.settings.limit is not None]
        return max(limits) if limits else None


def find_results_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every ``results_*.json`` under the given files and directories, sorted."""
    found: set[Path] = set()
    for path in map(Path, paths):
        if path.is_dir():
            found.update(p for p in path.rglob("results_*.json") if p.is_file())
        elif path.is_file():
            found.add(path)
        else:
            raise SchemaError(str(path), "no such results file or directory")
    if not found:
        raise SchemaError(", ".join(map(str, paths)), "no lm-eval results_*.json files found")
    return sorted(found)


def load_run(path: Path, *, sizes: Mapping[str, float] | None = None, root: Path | None = None) -> ModelRun:
    """Read one results file and the samples files written beside it."""
    data = _read_json(path)
    for key in ("results", "config"):
        if not isinstance(data.get(key), dict):
            raise SchemaError(str(path), f"not an lm-eval results file: no {key!r} object")
    model = model_name(data)  # display name; load_results shortens checkpoint paths
    task_acc = {task: float(value) for task, scores in data["results"].items()
                if (value := _correctness(scores)) is not None}
    return ModelRun(
        model=model,
        size_b=model_size(model, sizes),
        settings=_settings(data),
        source=_relative(path, root),
        date=_date_id(path),
        task_acc=dict(sorted(task_acc.items())),
        task_versions={str(k): str(v) for k, v in sorted((data.get("versions") or {}).items())},
        samples=tuple(_load_samples(path, data)),
    )


def load_results(paths: Iterable[str | Path], *, sizes: Mapping[str, float] | None = None) -> list[ModelResults]:
    """Read every run under ``paths`` and merge runs per model, sorted by model name."""
    paths = list(paths)
    files = find_results_files(paths)
    root = _common_root(paths)
    runs = [load_run(f, sizes=sizes, root=root) for f in files]
    shown = display_names(run.model for run in runs)
    runs = [_renamed(run, shown[run.model], sizes) for run in runs]
    by_model: dict[str, list[ModelRun]] = {}
    for run in sorted(runs, key=lambda r: (r.model, r.date, r.source)):
        by_model.setdefault(run.model, []).append(run)
    return [_choose(model, group) for model, group in sorted(by_model.items())]


def model_name(results: Mapping[str, Any]) -> str:
    """The evaluated model as lm-eval recorded it: ``model_name``, else ``config.model``."""
    name = results.get("model_name") or (results.get("config") or {}).get("model")
    return str(name) if name else "unknown"


def display_names(names: Iterable[str]) -> dict[str, str]:
    """How each recorded model name is shown: Hub ids unchanged, paths by their last part(s).

    A path is shortened to its last folder (``/ckpt/qwen-grpo`` → ``qwen-grpo``), with the
    parent when the last folder only numbers a checkpoint (``qwen-grpo/checkpoint-500``), and
    lengthened by parent folders until no two different paths are shown alike.
    """
    names = sorted(set(names))
    parts = {n: [p for p in n.replace("\\", "/").split("/") if p not in ("", ".", "..", "~")] or [n] for n in names}
    depth = {n: (_tail_depth(parts[n]) if _PATH_LIKE.match(n) else len(parts[n])) for n in names}
    while True:
        shown = {n: "/".join(parts[n][-depth[n]:]) for n in names}
        clashing = [n for n in names if sum(1 for m in names if shown[m] == shown[n]) > 1 and depth[n] < len(parts[n])]
        if not clashing:
            return shown
        for n in clashing:
            depth[n] += 1


def _renamed(run: ModelRun, shown: str, sizes: Mapping[str, float] | None) -> ModelRun:
    """The run under its shown name, with the recorded path gone from its arguments and source."""
    if shown == run.model:
        return dataclasses.replace(run, recorded_as=run.model, settings=dataclasses.replace(
            run.settings, model_args=_ABSOLUTE_PATH.sub(lambda m: m["name"], run.settings.model_args)))
    model_args = _ABSOLUTE_PATH.sub(lambda m: m["name"], run.settings.model_args.replace(run.model, shown))
    # lm-eval names the output folder after the sanitized model name, i.e. after the path
    source = run.source.replace(_LM_EVAL_UNSAFE.sub("__", run.model), _LM_EVAL_UNSAFE.sub("__", shown))
    size = model_size(run.model if sizes and run.model in sizes else shown, sizes)  # --sizes may name the path
    return dataclasses.replace(run, model=shown, size_b=size, source=source, recorded_as=run.model,
                               settings=dataclasses.replace(run.settings, model_args=model_args))


def _tail_depth(parts: list[str]) -> int:
    return min(len(parts), 2 if _CHECKPOINT_PART.match(parts[-1]) else 1)


def model_size(name: str, sizes: Mapping[str, float] | None = None) -> float | None:
    """Parameters in billions: from ``sizes`` when given, else a ``7B``/``1.5b``/``125M`` token."""
    if sizes and name in sizes:
        return float(sizes[name])
    matches = list(_SIZE.finditer(name.rsplit("/", 1)[-1]))
    if not matches:
        return None
    last = matches[-1]
    value = float(last["number"])
    return value / 1000 if last["unit"] in "mM" else value


def task_family(task: str) -> TaskFamily:
    """Which table a task belongs to."""
    if task in WIRELESS_TASK_TYPES or task.startswith(WIRELESS_GROUP + "_"):
        return "wireless"
    if task in GENERAL_MATH_TASKS:
        return "general_math"
    return "other"


def _choose(model: str, runs: list[ModelRun]) -> ModelResults:
    """One run per task: the newest full run that has it, else the newest limited one."""
    chosen: dict[str, ModelRun] = {}
    for run in runs:  # oldest first
        for task in {*run.task_acc, *(s.task for s in run.samples)}:
            best = chosen.get(task)
            if best is None or _preference(run) >= _preference(best):
                chosen[task] = run
    samples = tuple(s for run in runs for s in run.samples if chosen[s.task] is run)
    size = next((r.size_b for r in runs if r.size_b is not None), None)
    return ModelResults(model=model, size_b=size, runs=tuple(runs), samples=samples,
                        chosen={task: run.source for task, run in sorted(chosen.items())})


def _preference(run: ModelRun) -> tuple[bool, str, str]:
    return (run.settings.limit is None, run.date, run.source)


def _load_samples(results_path: Path, data: Mapping[str, Any]) -> list[SampleRecord]:
    date = _date_id(results_path)
    out: list[SampleRecord] = []
    for task in sorted(data["results"]):
        candidates = sorted(results_path.parent.glob(f"samples_{task}_{date}.jsonl"))
        for sample_path in candidates:
            out.extend(_read_samples(sample_path, task))
    return out


def _read_samples(path: Path, task: str) -> list[SampleRecord]:
    with open(path, encoding="utf-8") as handle:
        return [_sample(row, task, where) for where, row in iter_json_lines(handle, path)]


def _sample(row: Mapping[str, Any], task: str, where: str) -> SampleRecord:
    acc = _correctness(row)
    if acc is None:
        raise SchemaError(where, f"sample has no correctness metric (expected one of {', '.join(CORRECTNESS_KEYS)})")
    doc = row.get("doc") if isinstance(row.get("doc"), dict) else {}
    verdicts = _verdicts(row.get("filtered_resps"))
    n, c = (len(verdicts), sum(bool(v.get("correct")) for v in verdicts)) if verdicts else (1, int(acc >= 0.5))
    ptype = doc.get("type") if doc.get("type") in PROBLEM_TYPES else WIRELESS_TASK_TYPES.get(task)
    return SampleRecord(
        task=task,
        problem_id=str(doc.get("problem_id", row.get("doc_id", ""))),
        acc=float(acc),
        n=n,
        c=c,
        type=ptype,
        paper_id=doc.get("paper_id"),
        record=doc.get("record") if isinstance(doc.get("record"), str) else None,
        reason=str(verdicts[0].get("reason")) if verdicts and verdicts[0].get("reason") is not None else None,
    )


def _verdicts(filtered: Any) -> list[Mapping[str, Any]]:
    """The verifier's verdicts kept by the tasks' ``verify`` filter (dicts or JSON strings), if any."""
    items = filtered[0] if isinstance(filtered, list) and filtered and isinstance(filtered[0], list) else filtered
    if not isinstance(items, list) or not items:
        return []
    verdicts = []
    for item in items:
        if isinstance(item, str):
            try:
                item = json.loads(item)
            except json.JSONDecodeError:
                return []
        if not (isinstance(item, dict) and "correct" in item):
            return []
        verdicts.append(item)
    return verdicts


def _correctness(scores: Mapping[str, Any]) -> float | None:
    """The value of the first correctness metric, under any filter (``acc,verify``, ``acc``)."""
    for metric in CORRECTNESS_KEYS:
        for key, value in scores.items():
            if (key == metric or key.startswith(metric + ",")) and isinstance(value, (int, float)):
                return float(value)
    return None


def _settings(data: Mapping[str, Any]) -> RunSettings:
    config = data.get("config") or {}
    repeats = {int(cfg.get("repeats", 1) or 1) for cfg in (data.get("configs") or {}).values() if isinstance(cfg, dict)}
    limit = config.get("limit")
    return RunSettings(
        model_source=str(data.get("model_source") or config.get("model") or ""),  # the lm-eval backend
        model_args=_canonical(config.get("model_args")),
        gen_kwargs=_canonical(config.get("gen_kwargs")),
        chat_template=bool(data.get("chat_template") or data.get("chat_template_sha")),
        system_instruction=bool(data.get("system_instruction_sha")),
        fewshot_as_multiturn=bool(data.get("fewshot_as_multiturn")),
        limit=float(limit) if limit is not None else None,
        repeats=max(repeats) if repeats else 1,
        lm_eval_version=str(data.get("lm_eval_version") or ""),
    )


def _canonical(value: Any) -> str:
    """Settings as stable text: mappings as sorted JSON, strings unchanged."""
    if value is None or value == {} or value == "":
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SchemaError(str(path), f"not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except OSError as exc:
        raise SchemaError(str(path), f"cannot read ({exc.strerror})") from None
    if not isinstance(data, dict):
        raise SchemaError(str(path), "not an lm-eval results file: top level is not an object")
    return data


def _date_id(path: Path) -> str:
    """The timestamp lm-eval put in the name (``results_<date>.json`` or ``<stem>_<date>.json``)."""
    match = _RESULTS_NAME.match(path.name)
    return match["date"] if match else path.stem.rsplit("_", 1)[-1]


def _common_root(paths: list[str | Path]) -> Path | None:
    dirs = [Path(p) if Path(p).is_dir() else Path(p).parent for p in paths]
    return dirs[0] if len(dirs) == 1 else None


def _relative(path: Path, root: Path | None) -> str:
    """A path for reports that does not depend on the machine: relative to the input root."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return f"{path.parent.name}/{path.name}"

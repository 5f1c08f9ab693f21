"""Resolve a task's metadata to the documents lm-eval evaluates.

lm-eval calls a task's ``custom_dataset`` hook with the task's ``metadata`` (``--metadata`` on
the command line, merged with the model arguments) and its ``dataset_kwargs``. These functions
turn that mapping into a ``datasets.DatasetDict`` with one ``test`` split:

* WirelessMathBench-XL: ``data`` is a wmbench build directory, a JSONL or a Parquet file in
  either release schema (v1.1, or v1.0 with its integer ``question_id``); without it the
  official Hub dataset is loaded. ``split`` (default ``test``) selects the records (records
  without one count as ``train``, as in build directories); a local file without records of
  that split is an error naming the splits it has, and a file in which no record has a split
  (a v1.0 shard) is taken whole.
* General mathematics: ``math_data`` is a directory holding ``<task>.jsonl`` / ``.json`` /
  ``.parquet`` (for example ``wmbench_math500.jsonl``) or one file; without it the benchmark's
  Hub dataset is loaded. Rows keep the benchmark's own column layout; the task's
  ``dataset_kwargs`` name the columns.

Offline, a missing Hub dataset raises one :class:`SchemaError` line saying how to point at
local data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Mapping

from wmbench.errors import SchemaError
from wmbench.schema import Problem

WIRELESS_HUB_ID = "XINLI1997/WirelessMATHBench-XL"
DEFAULT_SPLIT = "test"
UNSPLIT = "train"  # records without a split count as train, as in wmbench.storage's shards
_LOCAL_SUFFIXES = (".jsonl", ".json", ".parquet")


def wireless_docs(problem_type: str, **metadata: Any) -> "datasets.DatasetDict":
    """Documents of one problem type for a ``wirelessmath_xl_*`` task."""
    import datasets

    split = str(metadata.get("split") or DEFAULT_SPLIT)
    problems = load_wireless_problems(metadata.get("data"), split)
    rows = [problem_to_doc(p) for p in problems if p.type == problem_type]
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(rows, features=_wireless_features())})


def load_wireless_problems(data: str | None, split: str) -> list[Problem]:
    """Records of ``split`` from a local path, or from the Hub when ``data`` is not given."""
    from wmbench.storage import read_problems

    if not data:
        return [Problem.from_dict(row, where=WIRELESS_HUB_ID) for row in _hub_wireless_rows(split)]
    problems = read_problems(data)
    if problems and not any(p.split for p in problems):  # one unsplit file (release schema v1.0): all of it
        return problems
    chosen = [p for p in problems if (p.split or UNSPLIT) == split]
    if problems and not chosen:
        found = sorted({p.split or UNSPLIT for p in problems})
        raise SchemaError(
            str(data),
            f"no records of split {split!r} (found: {', '.join(found)}); "
            f"choose one with --metadata '{{\"split\": \"{found[0]}\"}}' or `wmbench eval --split {found[0]}`",
        )
    return chosen


def _hub_wireless_rows(split: str) -> list[dict[str, Any]]:
    """The release's rows of ``split``: a Hub split of that name, else rows whose ``split`` column matches."""
    return rows_of_split(_hub_rows(WIRELESS_HUB_ID, None, None, _WIRELESS_HINT), split)


def rows_of_split(dataset: Mapping[str, Iterable[dict[str, Any]]], split: str) -> list[dict[str, Any]]:
    """Rows of a ``DatasetDict`` for ``split``: the split of that name (rows without a ``split``
    column, as in release schema v1.0, get its name), else rows whose ``split`` column matches."""
    if split in dataset:
        return [row if row.get("split") else {**row, "split": split} for row in dataset[split]]
    return [row for name in dataset for row in dataset[name] if row.get("split") == split]


def problem_to_doc(problem: Problem) -> dict[str, str]:
    """A flat lm-eval document: display fields plus the whole record as JSON."""
    return {
        "problem_id": problem.problem_id,
        "paper_id": problem.paper_id,
        "type": problem.type,
        "correct_answer": problem.correct_answer,
        "record": json.dumps(problem.to_dict(), ensure_ascii=False, sort_keys=True),
    }


def doc_to_problem(doc: Mapping[str, Any]) -> Problem:
    """The record a document was built from."""
    return Problem.from_dict(json.loads(doc["record"]), where="lm-eval doc")


def _wireless_features() -> "datasets.Features":
    import datasets

    names = ("problem_id", "paper_id", "type", "correct_answer", "record")
    return datasets.Features({name: datasets.Value("string") for name in names})


def math_docs(
    *,
    task: str,
    hub_id: str,
    hub_split: str,
    question_field: str,
    answer_field: str,
    id_field: str | None = None,
    hub_config: str | None = None,
    **metadata: Any,
) -> "datasets.DatasetDict":
    """Documents ``{problem_id, problem, answer}`` for one general-maths task."""
    import datasets

    local = _local_math_file(metadata.get("math_data"), task)
    rows = _read_rows(local) if local else _hub_rows(hub_id, hub_config, hub_split, _MATH_HINT)
    where = str(local or hub_id)
    docs = [_math_doc(row, index, where, question_field, answer_field, id_field) for index, row in enumerate(rows)]
    features = datasets.Features({name: datasets.Value("string") for name in ("problem_id", "problem", "answer")})
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(docs, features=features)})


def _math_doc(row: Mapping[str, Any], index: int, where: str, question: str, answer: str, id_field: str | None) -> dict[str, str]:
    for name in (question, answer):
        if name not in row:
            raise SchemaError(f"{where} row {index}", f"missing column {name!r} (columns: {', '.join(sorted(row))})")
    ident = row.get(id_field) if id_field else None
    return {
        "problem_id": str(ident if ident is not None else index),
        "problem": str(row[question]),
        "answer": _answer_text(row[answer]),
    }


def _answer_text(value: Any) -> str:
    """A gold answer as one string: lists (OlympiadBench) joined, ``$..$`` wrappers dropped,
    whole floats (AMC's ``42.0``) written as integers."""
    parts = value if isinstance(value, (list, tuple)) else [value]
    return ", ".join(_part_text(part) for part in parts)


def _part_text(part: Any) -> str:
    if isinstance(part, float) and part.is_integer():
        return str(int(part))
    return str(part).strip().strip("$").strip()


def _local_math_file(math_data: Any, task: str) -> Path | None:
    if not math_data:
        return None
    path = Path(str(math_data))
    if path.is_file():
        return path
    if not path.is_dir():
        raise SchemaError(str(path), "math_data: no such file or directory")
    for suffix in _LOCAL_SUFFIXES:
        if (path / f"{task}{suffix}").is_file():
            return path / f"{task}{suffix}"
    raise SchemaError(str(path), f"math_data: no {task}.jsonl, {task}.json or {task}.parquet in this directory")


def _read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a local JSONL / JSON-array / Parquet file, columns as they are."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".json" and text.lstrip().startswith("["):
            return list(json.loads(text))
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise SchemaError(str(path), f"not valid JSON ({exc.msg} at line {exc.lineno})") from None


_WIRELESS_HINT = "point at local data with --metadata '{\"data\": \"PATH\"}' or `wmbench eval --data PATH` (a build dir, JSONL or Parquet)"
_MATH_HINT = "point at local data with --metadata '{\"math_data\": \"DIR\"}' or `wmbench eval --math-data DIR` (a folder of <task>.jsonl files)"


def _hub_rows(hub_id: str, config: str | None, split: str | None, hint: str) -> Any:
    """A Hub dataset split (or, with ``split=None``, all splits); offline or unreachable becomes one actionable line."""
    import datasets

    try:
        return datasets.load_dataset(hub_id, config, split=split)
    except Exception as exc:  # datasets raises many kinds (ConnectionError, FileNotFoundError, ValueError)
        reason = " ".join(str(exc).split())[:160]
        raise SchemaError(
            f"Hub dataset {hub_id}" + (f" ({config})" if config else ""),
            f"could not be loaded ({type(exc).__name__}: {reason}); {hint}",
        ) from None

"""Per-problem results as one DataFrame, for "where do models fail" analyses (notebooks).

One row per model and problem: task, problem id, type, paper, topic and correctness. Pivot it
with pandas to see accuracy by type, topic or paper, or the problems every model misses.
"""

from __future__ import annotations

import json
from typing import Sequence

import pandas as pd

from wmbench.leaderboard.results import ModelResults, SampleRecord, task_family
from wmbench.leaderboard.tables import BENCHMARK_LABELS
from wmbench.schema import PROBLEM_TYPES
from wmbench.topics import topic_of

COLUMNS: tuple[str, ...] = ("model", "family", "task", "problem_id", "type", "paper_id", "topic", "acc", "n", "c", "reason")


def sample_frame(models: Sequence[ModelResults]) -> pd.DataFrame:
    """Every model's per-problem correctness with the problem's type, paper and topic."""
    rows = [_row(model.model, sample) for model in models for sample in model.samples]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def accuracy_by(frame: pd.DataFrame, by: str, *, family: str = "wireless") -> pd.DataFrame:
    """Accuracy (%) per value of ``by`` (type, topic, paper_id...) and model, with problem counts.

    Problem types come in their natural order (MCQ, fill-in 25/50/75 %, full); other values most
    problems first.
    """
    chosen = frame[frame["family"] == family]
    table = chosen.pivot_table(index=by, columns="model", values="acc", aggfunc="mean") * 100
    table.insert(0, "problems", chosen.groupby(by)["problem_id"].nunique())
    if by == "type":
        return table.round(1).reindex([t for t in PROBLEM_TYPES if t in table.index])
    return table.round(1).sort_values("problems", ascending=False, kind="mergesort")


def missed_by_all(frame: pd.DataFrame, *, family: str = "wireless") -> pd.DataFrame:
    """Problems no model answered correctly (first response), with their type and topic."""
    chosen = frame[frame["family"] == family]
    best = chosen.groupby(["task", "problem_id", "type", "topic"], dropna=False)["acc"].max().reset_index()
    return best[best["acc"] == 0].drop(columns="acc").reset_index(drop=True)


def _row(model: str, sample: SampleRecord) -> dict[str, object]:
    family = task_family(sample.task)
    if family == "wireless":
        record = json.loads(sample.record) if sample.record else {}
        topic = topic_of(record) if record else None
    else:
        topic = BENCHMARK_LABELS.get(sample.task, sample.task)
    return {"model": model, "family": family, "task": sample.task, "problem_id": sample.problem_id,
            "type": sample.type, "paper_id": sample.paper_id, "topic": topic, "acc": sample.acc, "n": sample.n, "c": sample.c,
            "reason": sample.reason}

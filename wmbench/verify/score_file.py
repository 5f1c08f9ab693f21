"""Score a file of model responses against a problem set: verdict rows, accuracy, pass@k.

Bad lines (not JSON, missing fields) and unknown problem ids become :class:`Issue` records,
counted and reported; they never stop the run.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wmbench.errors import VerificationError
from wmbench.metrics import k_values, pass_at_k
from wmbench.schema import LEGACY_ID_FIELD, PROBLEM_TYPES, Problem
from wmbench.verify.grader import verify_problem
from wmbench.verify.timeout import POOL_SIZE


@dataclass(frozen=True)
class Response:
    """One line of a responses file."""

    problem_id: str
    response: str
    line: int


@dataclass(frozen=True)
class Issue:
    """A line that could not be scored, named ``file:line``."""

    where: str
    reason: str

    def one_line(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class ScoreReport:
    """Verdict rows plus the summary ``wmbench score`` prints."""

    rows: list[dict[str, Any]]
    issues: list[Issue]
    by_type: dict[str, dict[str, float | int]] = field(default_factory=dict)
    pass_at: dict[str, float] = field(default_factory=dict)
    problems: int = 0  # records in the dataset scored against

    @property
    def answered(self) -> int:
        """Problems with at least one scored response."""
        return len({r["problem_id"] for r in self.rows})

    @property
    def n(self) -> int:
        return len(self.rows)

    @property
    def accuracy(self) -> float:
        return sum(r["correct"] for r in self.rows) / self.n if self.rows else 0.0

    def summary(self) -> dict[str, Any]:
        """``{"accuracy", "n", "answered", "problems", "by_type": {type: {"accuracy", "n"}}, "pass_at_k"?, "issues"}``."""
        out: dict[str, Any] = {"accuracy": self.accuracy, "n": self.n, "answered": self.answered,
                               "problems": self.problems, "by_type": self.by_type}
        if self.pass_at:
            out["pass_at_k"] = self.pass_at
        out["issues"] = len(self.issues)
        return out


def read_responses(path: Path) -> tuple[list[Response], list[Issue]]:
    """The well-formed lines of a responses JSONL file and an issue for every other line."""
    if not path.is_file():
        raise VerificationError(str(path), "no such responses file")
    good: list[Response] = []
    issues: list[Issue] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                parsed = response_fields(json.loads(line))
            except json.JSONDecodeError as exc:
                parsed = f"not valid JSON ({exc.msg})"
            if isinstance(parsed, str):
                issues.append(Issue(f"{path}:{lineno}", parsed))
            else:
                good.append(Response(parsed[0], parsed[1], lineno))
    return good, issues


def response_fields(data: Any) -> tuple[str, str] | str:
    """``(problem_id, response)`` of one responses-file line, or why the line is not one.

    The one check of the ``{"problem_id": ..., "response": "..."}`` format (``question_id`` as in
    release schema v1.0 is read too), for ``wmbench score``
    (which counts bad lines) and the replay model (which refuses them).
    """
    if not isinstance(data, dict):
        return "a line must hold a JSON object"
    pid, response = data.get("problem_id", data.get(LEGACY_ID_FIELD)), data.get("response")
    if not isinstance(pid, (str, int)) or isinstance(pid, bool):
        return "missing or invalid 'problem_id'"
    if not isinstance(response, str):
        return "missing or invalid 'response' (a string)"
    return str(pid), response


def score(problems: Iterable[Problem], responses: list[Response], issues: list[Issue], source: Path) -> ScoreReport:
    """Grade every response (in parallel threads, each using a math-verify worker) and summarise."""
    by_id = {p.problem_id: p for p in problems}
    known = [r for r in responses if r.problem_id in by_id]
    issues = issues + [Issue(f"{source}:{r.line}", f"unknown problem_id {r.problem_id!r}") for r in responses if r.problem_id not in by_id]
    issues.sort(key=lambda i: (int(i.where.rsplit(":", 1)[1]), i.reason))
    with ThreadPoolExecutor(max_workers=POOL_SIZE) as pool:
        verdicts = list(pool.map(lambda r: verify_problem(r.response, by_id[r.problem_id]), known))
    rows: list[dict[str, Any]] = []
    samples: dict[str, int] = defaultdict(int)
    for response, verdict in zip(known, verdicts, strict=True):
        problem = by_id[response.problem_id]
        rows.append({
            "problem_id": problem.problem_id, "sample": samples[problem.problem_id], "type": problem.type,
            "extracted": list(verdict.extracted), "correct": verdict.correct, "reason": verdict.reason,
            "per_blank": list(verdict.per_blank), "judge": verdict.judge, "line": response.line,
        })
        samples[problem.problem_id] += 1
    return ScoreReport(rows, issues, _by_type(rows), _pass_at(rows), problems=len(by_id))


def _by_type(rows: list[dict[str, Any]]) -> dict[str, dict[str, float | int]]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        groups[row["type"]].append(row["correct"])
    order = {t: i for i, t in enumerate(PROBLEM_TYPES)}  # MCQ, fill_blank_25 ... fill_blank_100
    return {t: {"accuracy": sum(v) / len(v), "n": len(v)} for t, v in sorted(groups.items(), key=lambda kv: order[kv[0]])}


def _pass_at(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Mean unbiased pass@k over problems, when any problem has several samples."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        counts[row["problem_id"]][0] += 1
        counts[row["problem_id"]][1] += int(row["correct"])
    if not counts or max(n for n, _ in counts.values()) < 2:
        return {}
    min_n = min(n for n, _ in counts.values())
    return {str(k): sum(pass_at_k(n, c, k) for n, c in counts.values()) / len(counts) for k in k_values(min_n)}


def write_rows(rows: list[dict[str, Any]], path: Path) -> None:
    """One verdict per line, in response order (deterministic)."""
    from wmbench.storage import atomic_write_text

    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))

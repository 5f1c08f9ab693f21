"""Lint a set of problems and summarise: defects by paper, the share of problems with each, and
the figures the targets are stated in (negated distractors among MCQs, undefined symbols)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wmbench.review.lints import LINTS, lint_problem, undefined_list
from wmbench.schema import Problem

REVIEW_SCHEMA_VERSION = 1
# Every class but undefined symbols, which nearly every real problem has and which has a figure of its own.
LINT_NAMES_BUT_UNDEFINED = tuple(lint.name for lint in LINTS if lint.name != "undefined_symbols")


@dataclass(frozen=True)
class Finding:
    problem_id: str
    paper_id: str
    type: str
    defects: dict[str, str]


@dataclass
class Review:
    """The lint results of a problem set."""

    findings: list[Finding] = field(default_factory=list)
    undefined_total: int = 0

    @property
    def problems(self) -> int:
        return len(self.findings)

    def count(self, defect: str, paper: str | None = None) -> int:
        return sum(1 for f in self.findings if defect in f.defects and (paper is None or f.paper_id == paper))

    def share(self, defect: str) -> float:
        return self.count(defect) / max(1, self.problems)

    def any_share(self, defects: Iterable[str]) -> float:
        """The share of problems with at least one of ``defects``."""
        wanted = set(defects)
        return sum(1 for f in self.findings if wanted & set(f.defects)) / max(1, self.problems)

    def negated_share_of_mcq(self) -> float:
        mcq = [f for f in self.findings if f.type == "MCQ"]
        return sum(1 for f in mcq if "negated_distractor" in f.defects) / max(1, len(mcq))

    def papers(self) -> list[str]:
        return sorted({f.paper_id for f in self.findings})

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: totals, each defect's count and share, per-paper counts, per-problem details."""
        by_paper = Counter(f.paper_id for f in self.findings)
        return {
            "schema_version": REVIEW_SCHEMA_VERSION,
            "problems": self.problems,
            "papers": len(by_paper),
            "mcq": sum(1 for f in self.findings if f.type == "MCQ"),
            "defects": {lint.name: {"title": lint.title, "gate": lint.gate, "problems": self.count(lint.name),
                                    "share": round(self.share(lint.name), 4)} for lint in LINTS},
            "any_gate_defect_share": round(self.any_share(lint.name for lint in LINTS if lint.gate), 4),
            "any_defect_but_undefined_share": round(self.any_share(LINT_NAMES_BUT_UNDEFINED), 4),
            "negated_distractor_share_of_mcq": round(self.negated_share_of_mcq(), 4),
            "undefined_symbols_per_problem": round(self.undefined_total / max(1, self.problems), 3),
            "by_paper": {paper: {"problems": by_paper[paper],
                                 **{lint.name: self.count(lint.name, paper) for lint in LINTS}}
                         for paper in self.papers()},
            "findings": [{"problem_id": f.problem_id, "paper_id": f.paper_id, "type": f.type, "defects": f.defects}
                         for f in self.findings if f.defects],
        }


def review(problems: Iterable[Problem]) -> Review:
    """Run every lint on every problem."""
    result = Review()
    for problem in problems:
        result.findings.append(Finding(problem.problem_id, problem.paper_id, problem.type, lint_problem(problem)))
        result.undefined_total += len(undefined_list(problem))
    return result


def table_rows(result: Review) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the by-paper table: problems, then each defect's count; a total row last."""
    header = ["paper", "problems"] + [lint.short for lint in LINTS]
    rows = [[paper, str(sum(1 for f in result.findings if f.paper_id == paper))]
            + [str(result.count(lint.name, paper)) for lint in LINTS] for paper in result.papers()]
    rows.append(["all", str(result.problems)] + [f"{result.count(lint.name)} ({result.share(lint.name):.1%})"
                                                 for lint in LINTS])
    return header, rows

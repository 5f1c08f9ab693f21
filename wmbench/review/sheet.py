"""The review sheet: a seeded sample of problems, stratified across papers and types, in Markdown.

Each problem is shown beside its source equation and the paper's text around it (when the papers
are given), with its lint findings and a usable / fixable / unusable mark and a notes line for a
human reviewer to fill in.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timezone

from wmbench import __version__
from wmbench.paper import Paper
from wmbench.review.lints import lint_problem
from wmbench.schema import PROBLEM_TYPES, Problem

_INDEX = re.compile(r"-eq(\d+)-[^-]+$")
CONTEXT_CHARS = 600


def sample(problems: list[Problem], n: int, seed: int) -> list[Problem]:
    """``n`` problems taken in turn from each paper, each paper cycling through the problem types
    (a different type first for each paper), the problems of a type in seeded order."""
    rng = random.Random(seed)
    by_paper: dict[str, dict[str, list[Problem]]] = defaultdict(lambda: defaultdict(list))
    for problem in sorted(problems, key=lambda p: p.problem_id):
        by_paper[problem.paper_id][problem.type].append(problem)
    queues: list[list[Problem]] = []
    for k, paper in enumerate(sorted(by_paper)):
        groups = by_paper[paper]
        for group in groups.values():
            rng.shuffle(group)
        order = [t for t in PROBLEM_TYPES[k % len(PROBLEM_TYPES):] + PROBLEM_TYPES[:k % len(PROBLEM_TYPES)] if t in groups]
        queue: list[Problem] = []
        while any(groups[t] for t in order):
            queue += [groups[t].pop() for t in order if groups[t]]
        queues.append(queue)
    rng.shuffle(queues)
    picked: list[Problem] = []
    while len(picked) < n and any(queues):
        for queue in queues:
            if queue and len(picked) < n:
                picked.append(queue.pop(0))
    return picked


def render_sheet(problems: list[Problem], n: int, seed: int, build: str,
                 papers: Mapping[str, Paper] | None = None) -> str:
    """The Markdown sheet for a sample of ``n`` problems (``build`` names the build in the header)."""
    chosen = sample(problems, n, seed)
    versions = sorted({p.generator_version for p in chosen if p.generator_version})
    lines = [
        f"# Review sheet: {len(chosen)} problems of {build}",
        "",
        f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d')} (UTC)",
        f"- Code: wmbench {__version__}; generator {', '.join(versions) or 'unknown'}",
        f"- Sample: `wmbench review {build} --sample {n} --seed {seed}`, stratified across "
        f"{len({p.paper_id for p in chosen})} papers and the problem types",
        "- Mark each problem with one [x]: **usable** as it is, **fixable** by a small edit, **unusable**.",
        "",
        "| mark | count |", "|---|---|", "| usable | |", "| fixable | |", "| unusable | |",
        "",
    ]
    for k, problem in enumerate(chosen, 1):
        lines += _entry(k, problem, (papers or {}).get(problem.paper_id))
    return "\n".join(lines).rstrip() + "\n"


def _entry(k: int, problem: Problem, paper: Paper | None) -> list[str]:
    where = ", ".join(x for x in (f"paper `{problem.paper_id}`", problem.type, problem.source_kind or "",
                                  f"eq. ({problem.equation_number})" if problem.equation_number else "",
                                  f"p. {problem.page}" if problem.page else "") if x)
    lines = [f"## {k}. `{problem.problem_id}`", "", where, "",
             "**Source equation**", "", _display(str(problem.extra.get("source_equation", ""))), ""]
    context = _context(problem, paper)
    if context:
        lines += ["**Paper context**", "", *(f"> {line}" for line in context.splitlines()), ""]
    lines += ["**Background**", "", problem.background, "", "**Question**", "", problem.question_text, "",
              "**Equation**", "", _display(problem.equation), ""]
    if problem.options:
        lines += ["**Options**", ""] + [f"- {letter}{' (key)' if letter == problem.correct_answer.strip() else ''}: {text}"
                                        for letter, text in problem.options.items()] + [""]
    else:
        lines += ["**Answer**", "", problem.correct_answer, ""]
    defects = lint_problem(problem)
    lines += ["**Lints**: " + ("; ".join(f"{name}: {detail}" for name, detail in defects.items()) or "none"), "",
              "**Mark**: [ ] usable  [ ] fixable  [ ] unusable", "", "**Notes**: ", "", "---", ""]
    return lines


def _display(latex: str) -> str:
    body = latex.strip().strip("$").strip()
    return f"$$\n{body}\n$$" if body else "(none recorded)"


def _context(problem: Problem, paper: Paper | None) -> str:
    """The paper's section and text around the problem's equation, when the paper is known."""
    match = _INDEX.search(problem.problem_id)  # the equation's 1-based index in the paper
    if paper is None or match is None or not 1 <= int(match.group(1)) <= len(paper.equations):
        return str(problem.extra.get("source_context", ""))
    equation = paper.equations[int(match.group(1)) - 1]
    before = " ".join(equation.context_before.split())[-CONTEXT_CHARS:]
    after = " ".join(equation.context_after.split())[:CONTEXT_CHARS]
    section = f"Section: {equation.section}\n" if equation.section else ""
    return f"{section}... {before}\n[equation]\n{after} ..."


_ENTRY = re.compile(r"^## \d+\. `(?P<id>[^`]+)`\n\n(?P<where>[^\n]*)\n(?P<body>.*?)(?=^## \d+\. `|\Z)", re.DOTALL | re.MULTILINE)
_MARK = re.compile(r"\*\*Mark\*\*:(?P<marks>[^\n]*)")
_NOTES = re.compile(r"\*\*Notes\*\*:[ \t]*(?P<notes>[^\n]*)")
MARKS = ("usable", "fixable", "unusable")


def tally(sheet: str) -> tuple[dict[str, int], list[dict[str, str]]]:
    """The marks of a filled-in sheet: counts per mark and one row per problem (id, type, mark,
    notes). A problem with no box or several boxes ticked counts as "unmarked"."""
    rows = []
    for entry in _ENTRY.finditer(sheet):
        marks = _MARK.search(entry.group("body"))
        ticked = [m for m in MARKS if marks and re.search(rf"\[[xX]\]\s*{m}\b", marks.group("marks"))]
        notes = _NOTES.search(entry.group("body"))
        rows.append({"problem_id": entry.group("id"), "type": entry.group("id").rsplit("-", 1)[-1],
                     "mark": ticked[0] if len(ticked) == 1 else "unmarked",
                     "notes": notes.group("notes").strip() if notes else ""})
    counts = {m: sum(1 for r in rows if r["mark"] == m) for m in (*MARKS, "unmarked")}
    return counts, rows


def render_tally(sheet: str) -> str:
    """A marked sheet's header, counts and per-problem marks, without the problems' text: the
    record to commit when the papers are not ours to copy."""
    counts, rows = tally(sheet)
    title = [line for line in sheet.splitlines()[:1] if line.startswith("# ")]
    header = [line for line in sheet.splitlines()[1:8] if line.startswith(("- Date", "- Code", "- Sample"))]
    marked = max(1, len(rows) - counts["unmarked"])
    lines = [*title, "", *header, "", "| mark | problems | share |", "|---|---|---|"]
    lines += [f"| {m} | {counts[m]} | {counts[m] / marked:.0%} |" for m in MARKS]
    if counts["unmarked"]:
        lines.append(f"| unmarked | {counts['unmarked']} | |")
    lines += ["", "| # | problem | type | mark | notes |", "|---|---|---|---|---|"]
    lines += [f"| {k} | `{r['problem_id']}` | {r['type']} | {r['mark']} | {r['notes'].replace('|', '/')} |"
              for k, r in enumerate(rows, 1)]
    return "\n".join(lines) + "\n"

"""Real papers in, usable problems out: build third-party papers and measure the defects left.

Builds the papers (seed 0) twice into a temporary folder: as ``wmbench build`` does, and with
the review lints' gates off (``BuildConfig(lint_gates=False)``), then lints both builds with
``wmbench review``'s lints. The second build shows what the generator gets right on its own;
the difference, what the gates catch. Prints:

- problems and papers built, and the papers skipped with their reasons;
- per defect class the share of problems with it, gated and ungated (target: at most 2% each);
- the share of MCQs with a whole-answer negated distractor (target: at most 10%);
- mean undefined symbols per problem;
- the share of backgrounds that give a dimension, set or unit for a symbol of the equation,
  among the problems where the paper states one for such a symbol (in a "where" definition, the
  glossary, or a formula such as ``\\mathbf{h}_k \\in \\mathbb{C}^{N\\times 1}``);
- the lint gates' drops as counted in ``build_report.json``.

    .venv/bin/python benchmarks/real_papers.py [--papers DIR] [--workers 2] [--json OUT.json]

``--papers`` defaults to ``../shared/real-papers/papers`` relative to the repository root.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from wmbench.build.gates import SOLVABILITY_GATES
from wmbench.build.paper_job import paper_definitions
from wmbench.build.runner import BuildConfig, build
from wmbench.errors import GenerationError
from wmbench.generate.background import equation_symbols, norm
from wmbench.ingest import read_papers
from wmbench.paper import Paper
from wmbench.review import LINTS, review
from wmbench.review.lints import math_spans
from wmbench.review.vocabulary import dimension_or_unit
from wmbench.schema import Problem
from wmbench.storage import read_problems

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAPERS = ROOT.parent / "shared" / "real-papers" / "papers"
TARGET_SHARE = 0.02
TARGET_NEGATED = 0.10
_OWN_FIGURE = ("negated_distractor", "undefined_symbols")  # judged by the share of MCQs, the mean count


def measure(papers: Path, workers: int) -> dict[str, Any]:
    """Every figure of the module docstring, as a JSON-able dict."""
    with tempfile.TemporaryDirectory(prefix="wmbench-real-") as tmp:
        report = build(BuildConfig(papers=papers, out=Path(tmp) / "gated", seed=0, workers=workers, progress=False))
        gated = read_problems(Path(tmp) / "gated")
        build(BuildConfig(papers=papers, out=Path(tmp) / "ungated", seed=0, workers=workers, progress=False,
                          lint_gates=False))
        ungated = read_problems(Path(tmp) / "ungated")
    with_gates, without = review(gated), review(ungated)
    lint_names = {lint.name for lint in LINTS} | set(SOLVABILITY_GATES)  # the gates an ungated build leaves out
    return {
        "papers": f"{papers.parent.name}/{papers.name}",
        "problems": len(gated),
        "papers_built": report["counts"]["papers_with_problems"],
        "papers_found": report["counts"]["papers_found"],
        "skipped": {p["paper_id"]: p["reason"] for p in report["papers"] if p["status"] != "ok"},
        "gated": _totals(with_gates.to_dict()),
        "ungated": _totals(without.to_dict()),
        "lint_gate_drops": {k: v for k, v in report["gate_failures"].items() if k.split(":", 1)[0] in lint_names},
        "dimension_or_unit": dimension_share(gated, read_papers(papers)),
    }


def _totals(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in summary.items() if k != "findings"}


def dimension_share(problems: list[Problem], papers: dict[str, Paper]) -> dict[str, Any]:
    """Among problems whose paper states a dimension, set or unit for a symbol of the equation,
    how many backgrounds state one for such a symbol; and how many backgrounds state any."""
    stated = given = given_all = 0
    statements = {pid: _statements(paper) for pid, paper in papers.items()}
    for problem in problems:
        in_background = _background_statements(problem.background)
        given_all += bool(in_background)
        source = str(problem.extra.get("source_equation", "")).strip("$")
        try:
            symbols = {norm(s) for s in equation_symbols(source)}
        except GenerationError:  # a source the symbol reader cannot parse states nothing
            symbols = set()
        paper_says = symbols & statements.get(problem.paper_id, set())
        if paper_says:
            stated += 1
            given += bool(paper_says & in_background)
    return {"paper_states": stated, "background_gives": given, "share": round(given / max(1, stated), 4),
            "backgrounds_with_any": given_all, "share_of_all": round(given_all / max(1, len(problems)), 4)}


_MEMBERSHIP = re.compile(r"(.{1,40}?)\\in(?![A-Za-z])")
_CLAUSE = re.compile(r";|(?<=[.!?])\s+|,\s+and\s+")


def _memberships(formula: str) -> set[str]:
    """The symbols ``x`` of ``x \\in <set or interval>`` and of ``x \\in \\mathbb{C}^{N\\times 1}`` in a formula."""
    found = set()
    for part in re.split(r"[,;]|\\quad|\\text\{[^{}]*\}", formula):
        match = _MEMBERSHIP.search(part)
        if match and dimension_or_unit(part[match.start(1):]):
            found.add(norm(match.group(1).strip()))
    return found


def _background_statements(background: str) -> set[str]:
    """The symbols a background gives a dimension, set or unit for: by a membership formula, or
    as the first symbol of a clause that states a unit ("$P$ denotes the power in dBm")."""
    found: set[str] = set()
    for clause in _CLAUSE.split(background):
        formulas = math_spans(clause)
        for formula in formulas:
            found |= _memberships(formula)
        if formulas and dimension_or_unit(re.sub(r"\$[^$]*\$", " ", clause)):
            found.add(norm(formulas[0]))
    return found


def _statements(paper: Paper) -> set[str]:
    """The (normalised) symbols for which the paper states a dimension, set or unit: in their
    definition, or as ``x \\in ...`` in a formula of the text or a display equation."""
    found = {norm(sym) for sym, desc in paper_definitions(paper).items() if dimension_or_unit(desc)}
    formulas = [e.latex for e in paper.equations]
    for equation in paper.equations:
        formulas += math_spans(equation.context_before) + math_spans(equation.context_after)
    for formula in formulas:
        found |= _memberships(formula)
    return found


def print_figures(figures: dict[str, Any]) -> None:
    print(f"{figures['problems']} problems from {figures['papers_built']} of {figures['papers_found']} papers "
          f"({figures['papers']}, seed 0)")
    for paper, reason in figures["skipped"].items():
        print(f"  skipped {paper}: {reason}")
    gated, ungated = figures["gated"], figures["ungated"]
    print(f"\n{'defect class':<54}{'gated':>9}{'no gates':>10}  target")
    for lint in LINTS:
        g, u = gated["defects"][lint.name], ungated["defects"][lint.name]
        target = ("see below" if lint.name in _OWN_FIGURE
                  else f"<= {TARGET_SHARE:.0%} {'ok' if g['share'] <= TARGET_SHARE else 'over'}")
        print(f"  {lint.title + (' (gate)' if lint.gate else ''):<52}{g['share']:>9.1%}{u['share']:>10.1%}  {target}")
    print(f"\nproblems with any defect of a gate class: {gated['any_gate_defect_share']:.1%} "
          f"(no gates {ungated['any_gate_defect_share']:.1%}); of any class but undefined symbols: "
          f"{gated['any_defect_but_undefined_share']:.1%} (no gates {ungated['any_defect_but_undefined_share']:.1%})")
    print(f"negated-answer distractor share of MCQs: {gated['negated_distractor_share_of_mcq']:.1%} "
          f"(no gates {ungated['negated_distractor_share_of_mcq']:.1%}; target <= {TARGET_NEGATED:.0%})")
    print(f"undefined symbols per problem: {gated['undefined_symbols_per_problem']:.2f} "
          f"(no gates {ungated['undefined_symbols_per_problem']:.2f})")
    d = figures["dimension_or_unit"]
    print(f"backgrounds giving a dimension or unit where the paper states one: {d['background_gives']} of "
          f"{d['paper_states']} ({d['share']:.1%}); any background: {d['backgrounds_with_any']} of "
          f"{figures['problems']} ({d['share_of_all']:.1%})")
    drops = figures["lint_gate_drops"]
    print("lint and solvability gates dropped: " + (", ".join(f"{k} ({n})" for k, n in drops.items()) or "none")
          + f"; problems without lint gates: {ungated['problems']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=Path, default=DEFAULT_PAPERS, help="folder of papers to build")
    parser.add_argument("--workers", type=int, default=2, help="build processes")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here as JSON")
    args = parser.parse_args()
    if not args.papers.is_dir():
        raise SystemExit(f"error: {args.papers}: papers folder does not exist (give --papers)")
    figures = measure(args.papers, args.workers)
    print_figures(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

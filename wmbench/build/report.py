"""``build_report.json``: every input's fate, counts at every stage, failures by reason, timings.

Everything but the ``timings`` section (seconds, papers taken from the cache, LLM cache hits)
depends only on the inputs and the seed; the schema is versioned for tools that read it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from wmbench.generate.problems import GENERATOR_VERSION
from wmbench.release.licenses import classify_license
from wmbench.schema import PROBLEM_TYPES, Problem

REPORT_SCHEMA_VERSION = 1


def build_report(config: Any, items: list, skipped_files: list[dict], results: dict[str, dict],
                 generated: list[Problem], removed: list[tuple[str, str]], final: list[Problem],
                 llm: dict[str, Any], timings: dict[str, Any]) -> dict[str, Any]:
    by_paper = Counter(p.paper_id for p in final)
    final_types: dict[str, Counter[str]] = {}
    for p in final:
        final_types.setdefault(p.paper_id, Counter())[p.type] += 1
    papers = [_fate(results[pid], final_types.get(pid, Counter())) for pid in sorted(results)]
    gate_failures: Counter[str] = Counter()
    equation_skips: Counter[str] = Counter()
    type_skips: Counter[str] = Counter()
    for result in results.values():
        gate_failures.update(result.get("gate_failures", {}))
        equation_skips.update(result.get("equation_skips", {}).values())
        type_skips.update(result.get("type_skips", {}))
    counts = {
        "papers_found": len(items),
        "papers_with_problems": sum(1 for pid in results if by_paper.get(pid)),
        "papers_skipped": sum(1 for r in results.values() if r["status"] != "ok"),
        "equations_found": sum(r.get("n_equations", 0) for r in results.values()),
        "equations_selected": sum(r.get("n_selected", 0) for r in results.values()),
        "problems_generated": sum(r.get("n_generated", 0) for r in results.values()),
        "problems_after_gates": len(generated),
        "problems_after_dedup": len(generated) - len(removed),
        "problems_final": len(final),
        "by_type": _ordered(Counter(p.type for p in final)),
        "by_split": dict(sorted(Counter(p.split or "train" for p in final).items())),
        "by_paper_split": dict(sorted(Counter(p.paper_split or "train" for p in final).items())),
        "mcq_letters": dict(sorted(Counter(p.correct_answer for p in final if p.type == "MCQ").items())),
    }
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "generator_version": GENERATOR_VERSION,
        "seed": config.seed,
        "test_fraction": round(config.test_fraction, 6),
        "max_undefined": config.max_undefined,
        "papers": papers,
        "skipped_files": sorted(skipped_files, key=lambda e: e.get("file", "")),
        "counts": counts,
        "gate_failures": dict(sorted(gate_failures.items())),
        "equation_skips": dict(sorted(equation_skips.items())),
        "type_skips": dict(sorted(type_skips.items())),
        "duplicates_removed": [{"problem_id": a, "duplicate_of": b} for a, b in removed],
        "withheld_at_export": withheld_at_export(final),
        "llm": llm,
        "timings": timings,
    }


def _fate(result: dict[str, Any], types: Counter[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"paper_id": result["paper_id"], "status": "ok" if types else "skipped"}
    if types:
        entry["problems"] = sum(types.values())
        entry["by_type"] = _ordered(types)
    else:
        entry["reason"] = result.get("reason") or "every problem was a near-duplicate"
    entry["equations"] = result.get("n_equations", 0)
    entry["equations_selected"] = result.get("n_selected", 0)
    return entry


def withheld_at_export(problems: list[Problem]) -> list[dict[str, Any]]:
    """Papers whose licence does not let ``wmbench export`` release their problems, with the reason."""
    by_paper: dict[str, list[Problem]] = {}
    for p in problems:
        by_paper.setdefault(p.paper_id, []).append(p)
    out = []
    for paper_id in sorted(by_paper):
        info = classify_license(by_paper[paper_id][0].license or by_paper[paper_id][0].source_license)
        if info.bucket == "withheld":
            out.append({"paper_id": paper_id, "problems": len(by_paper[paper_id]),
                        "license_class": info.license_class, "reason": info.reason})
    return out


def _ordered(counter: Counter[str]) -> dict[str, int]:
    return {t: counter.get(t, 0) for t in PROBLEM_TYPES}


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The few lines ``wmbench build`` prints: problems by type and split, skipped papers and why."""
    counts = report["counts"]
    lines = [f"{counts['problems_final']} problems from {counts['papers_with_problems']} of "
             f"{counts['papers_found']} papers"]
    lines.append("by type:  " + ", ".join(f"{t} {n}" for t, n in counts["by_type"].items()))
    lines.append("by split: " + ", ".join(f"{s} {n}" for s, n in counts["by_split"].items())
                 + "  (paper-disjoint: " + ", ".join(f"{s} {n}" for s, n in counts["by_paper_split"].items()) + ")")
    skipped = [p for p in report["papers"] if p["status"] != "ok"]
    if skipped:
        lines.append(f"papers skipped ({len(skipped)}):")
        lines += [f"  {p['paper_id']}: {p['reason']}" for p in skipped]
    for entry in report["skipped_files"]:
        lines.append(f"  file {entry.get('file')}: {entry.get('reason')}")
    withheld = report.get("withheld_at_export") or []
    if withheld:
        lines.append(f"licence: `wmbench export` will withhold {sum(w['problems'] for w in withheld)} problems "
                     f"of {len(withheld)} paper(s) whose licence does not permit redistribution:")
        lines += [f"  {w['paper_id']}: {w['reason']} ({w['problems']} problems)" for w in withheld]
    lines += _llm_lines(report)
    if report["gate_failures"]:
        lines.append("gate failures: " + ", ".join(f"{r} ({n})" for r, n in report["gate_failures"].items()))
    return lines


def _llm_lines(report: dict[str, Any]) -> list[str]:
    """What the LLM stages did: backgrounds from tables, rubric drops, usage; a server that went away."""
    llm = report.get("llm") or {}
    if not llm.get("enabled"):
        return []
    lines = []
    if tables := llm.get("tables"):
        sources = tables["backgrounds"]
        lines.append(f"llm tables: {tables['tables']} of {tables['equations']} equations; backgrounds from a checked "
                     f"table {sources['table'] + sources['table+rules']} of {sum(sources.values())} "
                     f"({sources['table+rules']} with rule fields), {tables['fallbacks']} failed calls")
    if rubric := llm.get("rubric"):
        dropped = f", {rubric['dropped']} below --min-quality {rubric['min_quality']}" if "min_quality" in rubric else ""
        lines.append(f"llm rubric: {rubric['scored']} problems scored, {rubric['fallbacks']} failed calls{dropped}")
    if usage := llm.get("usage"):
        lines.append(f"llm usage: {usage['requests']} requests, {usage['tokens_in']} tokens in, {usage['tokens_out']} out")
    calls = report.get("timings", {}).get("llm_calls") or {}
    if calls.get("server_went_away"):
        lines.append("llm server went away during the build: its requests fell back to the rules; "
                     "rerun with --resume once it is back to ask them (answered ones are cached)")
    return lines

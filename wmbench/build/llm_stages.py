"""The build's optional LLM stages, after dedup: variable tables → rewrite → rubric → quality threshold.

Each stage asks through one :class:`~wmbench.llm_client.Meter` (one call budget, one view of the
server) and one concurrency limit, over the whole build at once, with replies cached under
``OUT/.cache/llm/``. The papers are cached before these stages start and every reply is cached as
it arrives, so a build killed here, or whose server went away, loses nothing: ``--resume`` asks
only what is still missing. What the stages report is deterministic (tokens included: they are
cached with the replies); what depends on the run (calls actually sent, cache hits) goes to
the report's timings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wmbench.llm_client import LLM_CACHE_DIR, Answer, JsonChat, LLMConfig, Meter
from wmbench.schema import Problem


@dataclass(frozen=True)
class LLMStages:
    """Which LLM stages a build runs (with an endpoint), and the quality threshold."""

    tables: bool = True  # variable tables write the backgrounds
    rubric: bool = True  # six-dimension quality scores in each record
    rewrite: bool = False  # free rewriting of question and background (gated), before the rubric
    min_quality: int | None = None  # drop problems with a rubric score below this


def run_llm_stages(problems: list[Problem], results: dict[str, dict[str, Any]], llm: LLMConfig,
                   stages: LLMStages, out: Path, *, progress: bool = False, cached: Iterable[str] = ()
                   ) -> tuple[list[Problem], dict[str, Any], dict[str, Any]]:
    """(the problems after the stages, the report's ``llm`` section, run-only figures). The call
    budget is what selection left: its calls for the papers not taken from the ``cached`` ones."""
    from wmbench.curate.rubric import RUBRIC_SCHEMA, filter_quality, score_problems
    from wmbench.generate.llm_rewrite import rewrite_all
    from wmbench.generate.variable_table import TABLE_SCHEMA, apply_tables

    cached = set(cached)
    spent = sum(r.get("llm_select_calls", 0) for pid, r in results.items() if pid not in cached)
    meter = Meter(None if llm.max_calls is None else max(0, llm.max_calls - spent))
    cache = Path(out) / LLM_CACHE_DIR
    report: dict[str, Any] = {"enabled": True, "model": llm.model}
    by_paper: list[tuple[str, Answer]] = []
    if stages.tables:
        requests = {k: r for result in results.values() for k, r in result.get("table_requests", {}).items()}
        with JsonChat(llm, TABLE_SCHEMA, cache, meter=meter, name="variable_table") as chat:
            tables = apply_tables(problems, requests, chat, progress=progress)
        problems, report["tables"] = tables.problems, tables.stats
        by_paper += [(requests[k]["paper_id"], a) for k, a in tables.answers.items()]
    if stages.rewrite:
        problems, report["rewrite"], _ = rewrite_all(problems, llm, out, progress=progress, meter=meter)
    if stages.rubric:
        with JsonChat(llm, RUBRIC_SCHEMA, cache, meter=meter, name="rubric") as chat:
            scored, rubric, answers = score_problems(problems, chat, progress=progress)
        by_paper += [(p.paper_id, a) for p, a in zip(problems, answers, strict=True)]
        problems = scored
        if stages.min_quality is not None:
            problems, drops = filter_quality(problems, stages.min_quality)
            rubric = {**rubric, "min_quality": stages.min_quality, "dropped": len(drops),
                      "drop_reasons": dict(sorted(Counter(d["reason"].split(":", 1)[0] for d in drops).items())),
                      "drops": drops}
        report["rubric"] = rubric
    report["usage"] = _usage(by_paper)
    return problems, report, meter.run_stats() | {"cache_hits": sum(a.cache_hit for _, a in by_paper)}


def _usage(answers: list[tuple[str, Answer]]) -> dict[str, Any]:
    """Requests, tokens in and out and failed requests of the tables and rubric, in all and per paper."""
    papers: dict[str, dict[str, int]] = {}
    for paper_id, answer in answers:
        row = papers.setdefault(paper_id, {"requests": 0, "tokens_in": 0, "tokens_out": 0, "failed_requests": 0})
        row["requests"] += 1
        row["tokens_in"] += answer.tokens_in
        row["tokens_out"] += answer.tokens_out
        row["failed_requests"] += answer.reply is None
    total = {key: sum(row[key] for row in papers.values())
             for key in ("requests", "tokens_in", "tokens_out", "failed_requests")}
    return {**total, "papers": len(papers), "by_paper": dict(sorted(papers.items()))}

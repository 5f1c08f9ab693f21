"""The build's optional LLM stages, after dedup: variable tables → rewrite → rubric → quality threshold.

Each stage asks through one :class:`~wmbench.llm_client.Meter` (one call budget, one view of the
server) and one concurrency limit, over the whole build at once, with replies cached under
``OUT/.cache/llm/``. The papers are cached before these stages start and every reply is cached as
it arrives, so a build killed here, or whose server went away, loses nothing: ``--resume`` asks
only what is still missing. What the stages report is deterministic (tokens included: they are
cached with the replies); what depends on the run (calls actually sent, cache hits) goes to
the report's timings. The requests and their checks are made in generation
(:mod:`wmbench.generate.variable_table`, :mod:`wmbench.generate.llm_rewrite`); the stages here
send them and put every model-written text through the build's text gates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wmbench.build.gates import TEXT_GATES, GateConfig, answers, first_failure
from wmbench.generate.llm_rewrite import REPLY_SCHEMA, request_messages
from wmbench.generate.variable_table import (TABLE_PROMPT_VERSION, TABLE_SCHEMA, Table, check_table, equation_key,
                                             table_background, table_messages)
from wmbench.llm_client import LLM_CACHE_DIR, Answer, JsonChat, LLMConfig, Meter, failure_stats, usage_stats
from wmbench.schema import Problem

_REWRITTEN = "rewritten"


@dataclass(frozen=True)
class LLMStages:
    """Which LLM stages a build runs (with an endpoint), and the quality threshold."""

    tables: bool = True  # variable tables write the backgrounds
    rubric: bool = True  # six-dimension quality scores in each record
    rewrite: bool = False  # free rewriting of question and background (gated), before the rubric
    min_quality: int | None = None  # drop problems with a rubric score below this


def run_llm_stages(problems: list[Problem], results: dict[str, dict[str, Any]], llm: LLMConfig,
                   stages: LLMStages, out: Path, *, progress: bool = False, cached: Iterable[str] = (),
                   gate_config: GateConfig = GateConfig()) -> tuple[list[Problem], dict[str, Any], dict[str, Any]]:
    """(the problems after the stages, the report's ``llm`` section, run-only figures). The call
    budget is what selection left: its calls for the papers not taken from the ``cached`` ones;
    model-written texts pass the text gates with the build's ``gate_config``, as its problems did."""
    from wmbench.curate.rubric import RUBRIC_SCHEMA, filter_quality, score_problems

    cached = set(cached)
    spent = sum(r.get("llm_select_calls", 0) for pid, r in results.items() if pid not in cached)
    meter = Meter(None if llm.max_calls is None else max(0, llm.max_calls - spent))
    cache = Path(out) / LLM_CACHE_DIR
    report: dict[str, Any] = {"enabled": True, "model": llm.model}
    by_paper: list[tuple[str, Answer]] = []
    if stages.tables:
        requests = {k: r for result in results.values() for k, r in result.get("table_requests", {}).items()}
        with JsonChat(llm, TABLE_SCHEMA, cache, meter=meter, name="variable_table") as chat:
            tables = apply_tables(problems, requests, chat, progress=progress, gate_config=gate_config)
        problems, report["tables"] = tables.problems, tables.stats
        by_paper += [(requests[k]["paper_id"], a) for k, a in tables.answers.items()]
    if stages.rewrite:
        problems, report["rewrite"], _ = rewrite_all(problems, llm, out, progress=progress, meter=meter,
                                                     gate_config=gate_config)
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


@dataclass(frozen=True)
class TableOutcome:
    """The problems with their new backgrounds, the deterministic stats, the answers by equation key."""

    problems: list[Problem]
    stats: dict[str, Any]
    answers: dict[str, Answer]


def apply_tables(problems: list[Problem], requests: dict[str, dict[str, Any]], chat: JsonChat, *,
                 progress: bool = False, gate_config: GateConfig = GateConfig()) -> TableOutcome:
    """Ask for the table of every equation that has problems; rewrite their backgrounds from it.
    ``requests`` maps ``equation_key(problem)`` to :func:`table_request`'s dict."""
    keys = [k for k in dict.fromkeys(equation_key(p) for p in problems) if k in requests]
    replies = chat.map(lambda k: chat.ask(table_messages(requests[k])), keys, desc="variable tables", progress=progress)
    tables: dict[str, Table] = {}
    call_failures: list[str | None] = []
    fallbacks: Counter[str] = Counter()
    for key, answer in zip(keys, replies, strict=True):
        call_failures.append(None if answer.reply else f"call failed: {answer.failure}")
        if answer.reply is not None:
            tables[key] = check_table(answer.reply, requests[key])
            fallbacks.update(tables[key].fallbacks)
    sources: Counter[str] = Counter()
    out: list[Problem] = []
    for problem in problems:
        table = tables.get(equation_key(problem))
        if table is None:
            sources["rules"] += 1
            out.append(problem)
            continue
        written = table_background(table, requests[equation_key(problem)]["symbols"], answers(problem))
        fallbacks["answer shown verbatim"] += written.leaks
        candidate = problem.replace(background=written.text, extra={
            **problem.extra, "undefined_symbols": list(written.undefined),
            "background_source": "table" if not written.rule_fields else "table+rules"})
        failure = first_failure(candidate, TEXT_GATES, gate_config)
        if failure or not written.model_fields:
            fallbacks[f"background rejected by gate {failure.split(':', 1)[0]}" if failure else "no field usable"] += 1
            sources["rules"] += 1
            out.append(problem)
        else:
            sources[candidate.extra["background_source"]] += 1
            out.append(candidate)
    stats = {"prompt_version": TABLE_PROMPT_VERSION, "equations": len(keys), "tables": len(tables),
             **failure_stats(call_failures), "field_fallbacks": dict(sorted((k, v) for k, v in fallbacks.items() if v)),
             "backgrounds": {s: sources[s] for s in ("table", "table+rules", "rules")},
             "usage": usage_stats(replies)}
    return TableOutcome(out, stats, dict(zip(keys, replies, strict=True)))


def rewrite_all(problems: list[Problem], config: LLMConfig, out: Path, *, progress: bool = False,
                meter: Meter | None = None, gate_config: GateConfig = GateConfig()
                ) -> tuple[list[Problem], dict[str, Any], dict[str, int]]:
    """(problems with rewritten text where it succeeded, deterministic stats, run-only stats);
    ``meter`` is the build's shared call budget (a fresh one when None)."""
    with JsonChat(config, REPLY_SCHEMA, Path(out) / LLM_CACHE_DIR, meter=meter, name="rewrite") as chat:
        outcomes = chat.map(lambda p: _rewrite_one(chat, p, gate_config), problems, desc="rewrite", progress=progress)
    reasons = [reason for _, reason, _ in outcomes]
    stats = {"enabled": True, "model": config.model, "requests": len(problems),
             "rewritten": reasons.count(_REWRITTEN),
             **failure_stats(None if reason == _REWRITTEN else reason for reason in reasons)}
    run = {"cache_hits": sum(1 for _, _, hit in outcomes if hit)}
    return [p for p, _, _ in outcomes], stats, run


def _rewrite_one(chat: JsonChat, problem: Problem, gate_config: GateConfig) -> tuple[Problem, str, bool]:
    """(the problem to keep, "rewritten" or why not, whether the reply came from the cache)."""
    answer = chat.ask(request_messages(problem))
    if answer.reply is None:
        return problem, f"call failed: {answer.failure}", False
    rewritten = problem.replace(background=answer.reply["background"].strip(),
                                question_text=answer.reply["question_text"].strip())
    failure = first_failure(rewritten, TEXT_GATES, gate_config)
    if failure:
        return problem, f"rewrite rejected by gate {failure.split(':', 1)[0]}", answer.cache_hit
    return rewritten, _REWRITTEN, answer.cache_hit

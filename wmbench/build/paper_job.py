"""One paper from input files to gated problems: the unit of parallel work and of caching.

:func:`process_paper` runs in a worker process: ingestion, selection, generation of every type
for each selected equation, quality gates, and the best equations whose problems pass them; then
it stores the JSON-able result in the cache.
:func:`generate_paper` is the same from an already ingested :class:`~wmbench.paper.Paper`.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from wmbench.build.cache import PaperCache
from wmbench.build.gates import GateConfig, first_failure
from wmbench.build.llm_select import LLMSelectConfig, llm_filter
from wmbench.build.select import Selected, SelectConfig, paper_skip_reason, select_equations
from wmbench.errors import GenerationError, WmbenchError
from wmbench.generate.background import PaperScene
from wmbench.generate.problems import equation_problems
from wmbench.generate.variable_table import request_key, table_request
from wmbench.paper import Paper

log = logging.getLogger(__name__)


def process_paper(item: Any, key: str, seed: int, out: str,
                  llm_select: LLMSelectConfig | None = None, gates: tuple[str, ...] | None = None,
                  gate_config: GateConfig = GateConfig()) -> dict[str, Any]:
    """Ingest and generate one paper (a ``PaperInput``); cache the result unless it crashed."""
    from wmbench.ingest import ingest_paper

    try:
        paper = ingest_paper(item)
    except WmbenchError as exc:
        return _skipped(item.paper_id, f"ingestion failed: {exc.one_line()}")
    except Exception as exc:
        return {**_skipped(item.paper_id, f"internal error while ingesting: {type(exc).__name__}: {exc}"), "status": "error"}
    try:
        result = generate_paper(paper, seed, llm_select=llm_select, gates=gates, gate_config=gate_config)
    except Exception as exc:
        return {**_skipped(item.paper_id, f"internal error while generating: {type(exc).__name__}: {exc}"), "status": "error"}
    PaperCache(Path(out)).store(item.paper_id, key, result)
    return result


def generate_paper(paper: Paper, seed: int, config: SelectConfig = SelectConfig(),
                   llm_select: LLMSelectConfig | None = None, gates: tuple[str, ...] | None = None,
                   gate_config: GateConfig = GateConfig()) -> dict[str, Any]:
    """Gated problems of one paper and the fate of each of its equations, as a JSON-able dict
    (``gates``: the names of the gates to run, all of them by default; ``gate_config`` their knobs)."""
    reason = paper_skip_reason(paper, config)
    if reason:
        return {**_skipped(paper.paper_id, reason), "n_equations": len(paper.equations)}
    # every worthwhile equation is tried; the cap applies to those whose problems pass the gates
    selected, equation_skips = select_equations(paper, replace(config, max_equations_per_paper=len(paper.equations)))
    llm = llm_filter(paper, selected, llm_select) if llm_select is not None else None
    if llm is not None:  # the LLM can only skip more; its reasons read "llm: ..."
        selected = list(llm.kept)
        equation_skips.update(llm.skipped)
    known = paper_definitions(paper)
    scene = PaperScene.of(paper)  # what every background of the paper draws on, read once
    type_skips: Counter[str] = Counter()
    gate_failures: Counter[str] = Counter()
    passed: dict[int, list[dict[str, Any]]] = {}  # equation index -> its problems that pass every gate
    table_requests: dict[str, dict[str, Any]] = {}  # for the optional LLM variable tables
    generated = 0
    for chosen in selected:
        try:
            equation = replace(chosen.equation, definitions={**known, **chosen.equation.definitions})
            made, skipped = equation_problems(paper, chosen.index, equation, chosen.latex, chosen.topic, seed, scene)
        except GenerationError as exc:
            equation_skips[chosen.index] = f"generation failed: {exc.reason}"
            continue
        except Exception as exc:  # noqa: BLE001 - one odd equation must not cost the paper
            equation_skips[chosen.index] = f"generation failed: internal error {type(exc).__name__}"
            continue
        type_skips.update(f"{ptype}: {why}" for ptype, why in skipped.items())
        if made:
            _add_table_request(table_requests, paper, chosen.index, equation, chosen.latex, scene)
        generated += len(made)
        for problem in made:
            failure = first_failure(problem, gates, gate_config)
            if failure:
                gate_failures[failure] += 1
            else:
                passed.setdefault(chosen.index, []).append(problem.to_dict())
    best = _best_equations(selected, passed, config.max_equations_per_paper, equation_skips)
    problems = [problem for index in best for problem in passed[index]]
    kept = {request_key(paper.paper_id, index) for index in best}
    table_requests = {key: request for key, request in table_requests.items() if key in kept}
    result = {
        "paper_id": paper.paper_id, "status": "ok" if problems else "skipped",
        "reason": None if problems else (llm and llm.paper_reason) or "no problem passed the quality gates",
        "n_equations": len(paper.equations), "n_selected": len(selected), "n_generated": generated,
        "equation_skips": {str(k): v for k, v in sorted(equation_skips.items())},
        "type_skips": dict(sorted(type_skips.items())), "gate_failures": dict(sorted(gate_failures.items())),
        "problems": problems, "table_requests": table_requests,
        **({"llm_select": llm.stats, "llm_select_calls": llm.calls} if llm is not None else {}),
    }
    return result


def _best_equations(selected: list[Selected], passed: dict[int, list[dict[str, Any]]], cap: int,
                    equation_skips: dict[int, str]) -> list[int]:
    """The indices of the ``cap`` best-scored equations with any problem past the gates, in paper
    order; the other equations with passing problems are recorded as skipped."""
    ranked = sorted((s for s in selected if s.index in passed), key=lambda s: (-s.score, s.index))
    for extra in ranked[cap:]:
        equation_skips[extra.index] = f"beyond the best {cap} equations of the paper"
    return sorted(s.index for s in ranked[:cap])


def _add_table_request(requests: dict[str, dict[str, Any]], paper: Paper, index: int, equation: Any,
                       latex: str, scene: PaperScene) -> None:
    """The variable-table request of an equation with problems; an equation it fails on keeps the rules' backgrounds."""
    try:
        requests[request_key(paper.paper_id, index)] = table_request(paper, index, equation, latex, scene)
    except Exception:  # noqa: BLE001 - the request is optional: log it, keep the problems
        log.warning("no variable-table request for %s equation %d", paper.paper_id, index, exc_info=True)


def paper_definitions(paper: Paper) -> dict[str, str]:
    """Every symbol definition of the paper (the first one of each symbol wins), so an equation
    can use symbols defined under an earlier one: "where" clauses first, then the glossary of
    the whole text."""
    known: dict[str, str] = {}
    for equation in paper.equations:
        for symbol, description in equation.definitions.items():
            known.setdefault(symbol, description)
    for symbol, description in paper.glossary.items():
        known.setdefault(symbol, description)
    return known


def _skipped(paper_id: str, reason: str) -> dict[str, Any]:
    return {"paper_id": paper_id, "status": "skipped", "reason": reason, "n_equations": 0, "n_selected": 0,
            "n_generated": 0, "equation_skips": {}, "type_skips": {}, "gate_failures": {}, "problems": []}

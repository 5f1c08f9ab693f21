"""``wmbench build``: papers folder → gated, deduplicated, split benchmark in OUT.

Stages (each with a progress bar): discover → papers (ingest, select, generate, gate; in a
process pool, cached per paper) → dedup → LLM stages (optional: variable tables, rewrite, rubric) → letters and splits → write.
Results are merged in paper-id order whatever order the workers finish in, so the same inputs
and seed give byte-identical ``problems.jsonl`` and Parquet files.

Fixed costs are kept off the critical path: the verifier's math-verify process (sympy takes
about a second to import) starts only if a pair needs it, which is rare; several workers fork from one
``forkserver`` process that has imported the ingestion and generation modules once; one paper
or ``--workers 1`` runs in this process; the modules of the last stages are imported in the
background while the papers are processed, not by the workers.
"""

from __future__ import annotations

import importlib
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

from tqdm import tqdm

from wmbench.build.cache import PaperCache, cache_key
from wmbench.build.gates import GATES_WITHOUT_LINTS, GateConfig
from wmbench.build.letters import assign_letters
from wmbench.build.llm_select import LLMSelectConfig, summarize
from wmbench.build.llm_stages import LLMStages
from wmbench.build.out_dir import CARD_FILE, REPORT_FILE, prepare_out
from wmbench.build.paper_job import process_paper
from wmbench.build.report import build_report
from wmbench.build.splits import REFERENCE_TEST_FRACTION, assign_splits
from wmbench.errors import IngestionError
from wmbench.generate.llm_rewrite import LLMConfig
from wmbench.generate.problems import GENERATOR_VERSION
from wmbench.prompt import with_prompt
from wmbench.schema import Problem
from wmbench.storage import atomic_write_text, write_build_dir

# Imported once by the forkserver that the pool's workers fork from (instead of once per worker):
# the paper job, ingestion and the verifier. pymupdf is left to the workers' first PDF, so that
# it comes without its layout model (see wmbench.ingest.pdf_layout.import_pymupdf).
_WORKER_MODULES = ("wmbench.build.paper_job", "wmbench.ingest", "wmbench.verify")
# Imported in the background while the papers are processed: dedup (datasketch imports scipy),
# the card, and pandas, which pyarrow imports to build the Parquet tables.
_FINISH_MODULES = ("wmbench.build.dedup", "wmbench.release.card", "pandas")


@dataclass(frozen=True)
class BuildConfig:
    papers: Path
    out: Path
    seed: int = 0
    workers: int = 1
    resume: bool = False
    llm: LLMConfig | None = None
    llm_select: bool = False  # with llm: the LLM may also skip papers and equations
    llm_stages: LLMStages = LLMStages()  # with llm: variable tables, rubric, rewriting, quality threshold
    test_fraction: float = REFERENCE_TEST_FRACTION
    progress: bool = True
    lint_gates: bool = True  # False: keep problems the review lints and solvability gates would drop (to measure them)
    max_undefined: int = GateConfig.max_undefined  # symbols a background may leave undefined (0: strict)
    overwrite: bool = False  # replace a different earlier build in OUT (see wmbench.build.out_dir)


class _Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def stage(self, name: str) -> _Stage:
        return _Stage(self, name)


class _Stage:
    def __init__(self, timer: _Timer, name: str) -> None:
        self.timer, self.name = timer, name

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timer.seconds[self.name] = round(time.perf_counter() - self.started, 3)


def build(config: BuildConfig) -> dict[str, Any]:
    """Run every stage and write OUT; returns the build report."""
    from wmbench.ingest import discover_papers

    if not Path(config.papers).is_dir():
        raise IngestionError(str(config.papers), "papers folder does not exist or is not a folder")
    out = Path(config.out)
    timer = _Timer()
    started = time.perf_counter()
    with timer.stage("discover"):
        items, skipped_files = discover_papers(Path(config.papers))
    if not items:
        raise IngestionError(str(config.papers), _no_papers(skipped_files))
    prepare_out(out, (item.paper_id for item in items), config.seed, overwrite=config.overwrite)
    cache = PaperCache(out)
    if not config.resume:
        cache.clear()
    threading.Thread(target=_import_all, args=(_FINISH_MODULES,), name="wmbench-preload", daemon=True).start()
    with timer.stage("papers"):
        results, cached = _run_papers(items, config, cache)
    problems = [Problem.from_dict(d, where=f"cache of {pid}") for pid in sorted(results) for d in results[pid]["problems"]]
    with timer.stage("dedup"):
        # imported here, not by the workers: see _FINISH_MODULES
        from wmbench.build.dedup import dedup

        kept, removed = dedup(list(_bar(problems, "dedup", config)))
    llm_stats: dict[str, Any] = {"enabled": False}
    llm_run: dict[str, Any] = {}
    if config.llm is not None:
        from wmbench.build.llm_stages import run_llm_stages

        with timer.stage("llm"):
            kept, llm_stats, llm_run = run_llm_stages(kept, results, config.llm, config.llm_stages, out,
                                                      progress=config.progress, cached=cached,
                                                      gate_config=GateConfig(max_undefined=config.max_undefined))
    if config.llm_select:
        llm_stats = {**llm_stats, "select": summarize(r.get("llm_select") for r in results.values())}
    with timer.stage("finalize"):
        final = assign_splits(assign_letters(kept, config.seed), config.seed, config.test_fraction)
        final = [with_prompt(p) for p in _bar(final, "prompts", config)]
    with timer.stage("write"):
        write_build_dir(final, out)
    timer.seconds["total"] = round(time.perf_counter() - started, 3)
    report = build_report(config, items, skipped_files, results, problems, removed, final, llm_stats,
                          {"seconds": timer.seconds, "cached_papers": cached, "llm_cache_hits": llm_run.get("cache_hits", 0),
                           **({"llm_calls": llm_run} if llm_run else {})})
    atomic_write_text(out / REPORT_FILE, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    _write_card(out, final, report)
    return report


def _no_papers(skipped_files: list[dict]) -> str:
    if not skipped_files:
        return "no papers found: the folder holds no PDF, LaTeX archive or LaTeX folder"
    first = skipped_files[0]
    return f"no papers found; {len(skipped_files)} file(s) skipped, e.g. {first.get('file')}: {first.get('reason')}"


def _run_papers(items: list, config: BuildConfig, cache: PaperCache) -> tuple[dict[str, dict], list[str]]:
    """Each paper's result by id, from the cache or from a worker; plus the ids taken from the cache."""
    results: dict[str, dict] = {}
    cached: list[str] = []
    todo: list[tuple[Any, str]] = []
    workers = max(1, min(config.workers, len(items)))
    select = LLMSelectConfig.for_build(config.llm, config.out, workers) if config.llm_select and config.llm else None
    seen: set[str] = set()
    for item in items:
        if item.paper_id in seen:
            results[item.paper_id + "#duplicate"] = _duplicate(item.paper_id)
            continue
        seen.add(item.paper_id)
        key = cache_key(item.content_hash(), config.seed, GENERATOR_VERSION + (select.fingerprint() if select else "")
                        + ("" if config.lint_gates else "+no-lint-gates")
                        + (f"+max-undefined-{config.max_undefined}" if config.max_undefined else ""))
        hit = cache.load(item.paper_id, key) if config.resume else None
        if hit is not None:
            results[item.paper_id] = hit
            cached.append(item.paper_id)
        else:
            todo.append((item, key))
    with tqdm(total=len(items), initial=len(cached), desc="papers", unit="paper", disable=not config.progress) as bar:
        for paper_id, result in _execute(todo, config, select):
            results[paper_id] = result
            bar.update()
    return results, cached


def _execute(todo: list[tuple[Any, str]], config: BuildConfig,
             select: LLMSelectConfig | None = None) -> Iterator[tuple[str, dict]]:
    """Results in completion order (the caller sorts); a process pool when two or more workers have papers."""
    out = str(config.out)
    workers = min(config.workers, len(todo))
    gates = None if config.lint_gates else GATES_WITHOUT_LINTS
    gate_config = GateConfig(max_undefined=config.max_undefined)
    if workers <= 1:
        for item, key in todo:
            yield item.paper_id, process_paper(item, key, config.seed, out, select, gates, gate_config)
        return
    if "forkserver" in get_all_start_methods():  # a clean process to fork from: nothing inherited from the caller
        context = get_context("forkserver")
        context.set_forkserver_preload(list(_WORKER_MODULES))
    else:
        context = get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(process_paper, item, key, config.seed, out, select, gates, gate_config): item.paper_id
                   for item, key in todo}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _import_all(modules: tuple[str, ...]) -> None:
    """Import ahead of use; a failure is left to surface where the module is really used."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _duplicate(paper_id: str) -> dict[str, Any]:
    return {"paper_id": paper_id, "status": "skipped", "reason": f"duplicate paper id {paper_id!r}", "problems": [],
            "n_equations": 0, "n_selected": 0, "n_generated": 0, "equation_skips": {}, "type_skips": {},
            "gate_failures": {}}


def _bar(items: list, desc: str, config: BuildConfig) -> Iterator:
    return iter(tqdm(items, desc=desc, unit="problem", disable=not config.progress, leave=False))


def _write_card(out: Path, problems: list[Problem], report: dict[str, Any]) -> None:
    from wmbench.release.card import render_card

    path = out / CARD_FILE
    existing = path.read_text(encoding="utf-8") if path.exists() else None
    atomic_write_text(path, render_card(problems, report, existing=existing))

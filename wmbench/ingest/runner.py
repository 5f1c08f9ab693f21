"""Ingest a whole folder: discover papers, ingest them (in parallel), write the results.

Writes ``OUT/papers/<paper_id>.json`` (atomically, one per ingested paper; a stale file of a
paper skipped this time is removed) and ``OUT/ingest_report.json``: totals plus one entry per
input file, ``{"file", "paper_id", "status": "ingested"|"skipped", "equations", "reason",
"role"}`` (role: "primary" for the file the equations came from, "secondary" for the other
file of a pair, "none" for files that are not papers), sorted by file name, so the same inputs
give byte-identical outputs whatever the number of workers.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from wmbench.errors import IngestionError, WmbenchError
from wmbench.ingest.archives import DEFAULT_LIMITS, ArchiveLimits
from wmbench.ingest.assemble import display_name, ingest_paper, ingest_with_warnings
from wmbench.ingest.discover import PaperInput, discover_papers
from wmbench.paper import Paper
from wmbench.storage import atomic_write_text

logger = logging.getLogger(__name__)

REPORT_FILE = "ingest_report.json"
PAPERS_DIR = "papers"
REPORT_SCHEMA_VERSION = 1


def ingest_folder(
    papers_dir: Path, out: Path, *, workers: int = 1, progress: bool = True, limits: ArchiveLimits = DEFAULT_LIMITS
) -> dict:
    """Ingest every paper in ``papers_dir`` into ``out``; return the report (also written)."""
    papers_dir, out = Path(papers_dir), Path(out)
    if not papers_dir.is_dir():
        raise IngestionError(str(papers_dir), "not a directory")
    items, entries = discover_papers(papers_dir)
    results = _run(items, workers, progress, limits)
    for item in items:
        paper_json, file_entries = results[item.paper_id]
        target = out / PAPERS_DIR / f"{item.paper_id}.json"
        if paper_json is not None:
            atomic_write_text(target, paper_json)
        else:
            target.unlink(missing_ok=True)  # never leave an earlier run's version of a skipped paper
        entries.extend(file_entries)
    entries.sort(key=lambda e: (e["file"], e.get("paper_id") or ""))
    report = _report(entries)
    atomic_write_text(out / REPORT_FILE, json.dumps(report, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return report


def read_papers(papers_dir: Path) -> dict[str, Paper]:
    """The papers of a folder, ingested in memory, by id; one that fails is left out with a
    logged one-line warning (what a review sheet or a benchmark reads beside a build)."""
    items, _ = discover_papers(Path(papers_dir))
    papers = {}
    for item in items:
        try:
            papers[item.paper_id] = ingest_paper(item)
        except WmbenchError as exc:
            logger.warning(exc.one_line())
    return papers


def _report(entries: list[dict]) -> dict:
    papers = {e["paper_id"] for e in entries if e["status"] == "ingested" and e.get("paper_id")}
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "papers_ingested": len(papers),
        "files_skipped": sum(1 for e in entries if e["status"] == "skipped"),
        "equations": sum(e.get("equations", 0) for e in entries if e.get("role") == "primary"),
        "files": entries,
    }


def _run(items: list[PaperInput], workers: int, progress: bool, limits: ArchiveLimits) -> dict[str, tuple]:
    from tqdm import tqdm

    bar = tqdm(total=len(items), desc="ingest", unit="paper", disable=not progress)
    results: dict[str, tuple] = {}
    try:
        if workers <= 1 or len(items) <= 1:
            for item in items:
                results[item.paper_id] = ingest_item(item, limits)
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(ingest_item, item, limits): item for item in items}
                for future in as_completed(futures):
                    item = futures[future]
                    try:
                        results[item.paper_id] = future.result()
                    except Exception as exc:  # a crashed worker must not stop the other papers
                        results[item.paper_id] = (None, _failed(item, f"worker failed: {type(exc).__name__}: {exc}"))
                    bar.update()
    finally:
        bar.close()
    return results


def ingest_item(item: PaperInput, limits: ArchiveLimits = DEFAULT_LIMITS) -> tuple[str | None, list[dict]]:
    """The paper's JSON (or None) and the report entries of its files; never raises."""
    try:
        paper, problems = ingest_with_warnings(item, limits=limits)
    except WmbenchError as exc:
        return None, _failed(item, exc.reason)
    except Exception as exc:  # keep the folder going whatever one paper does
        return None, _failed(item, f"internal error: {type(exc).__name__}: {exc}")
    latex_used = item.source is not None and display_name(item.source) in paper.sources
    primary = item.source if latex_used else item.pdf
    entries = []
    for path in item.files:
        name = display_name(path)
        used = name in paper.sources
        entries.append({
            "file": name,
            "paper_id": item.paper_id,
            "status": "ingested" if used else "skipped",
            "equations": len(paper.equations) if used else 0,
            "reason": problems.get(name, "") or _role_note(path, item, paper.sources),
            "role": "primary" if path == primary else "secondary",
        })
    return paper.to_json(), entries


def _role_note(path: Path, item: PaperInput, sources: list[str]) -> str:
    if item.source is not None and item.pdf is not None and len(sources) == 2:
        return "equations from the LaTeX source" if path == item.source else "used for page numbers"
    return ""


def _failed(item: PaperInput, reason: str) -> list[dict]:
    return [
        {"file": display_name(p), "paper_id": item.paper_id, "status": "skipped", "equations": 0, "reason": reason,
         "role": "primary" if k == 0 else "secondary"}
        for k, p in enumerate(item.files)
    ]

"""The build's output folder: refuse a file, and refuse to mix with a different earlier build.

An earlier build is "the same build" when its ``build_report.json`` names the same papers and
seed: then it is rebuilt in place (``--resume`` reuses its cache). A different one is kept
unless ``--overwrite`` is given, which first removes every file a build writes (data, card,
report, cache), so nothing of the old build is left beside the new one.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterable
from pathlib import Path

from wmbench.errors import GenerationError
from wmbench.storage import DATA_DIR, PROBLEMS_FILE, ensure_folder

logger = logging.getLogger(__name__)

REPORT_FILE = "build_report.json"
CARD_FILE = "README.md"
CACHE_DIR = ".cache"
# Everything a build writes into OUT (the card's hand-written text goes with --overwrite too).
BUILD_OUTPUTS: tuple[str, ...] = (PROBLEMS_FILE, DATA_DIR, CARD_FILE, REPORT_FILE, CACHE_DIR)


def prepare_out(out: Path, paper_ids: Iterable[str], seed: int, *, overwrite: bool = False) -> None:
    """Make ``out`` ready for a build of ``paper_ids`` with ``seed``; see the module docstring."""
    ensure_folder(out)
    earlier = _earlier_build(out)
    if earlier is None:
        return
    papers, old_seed = earlier
    new = sorted(set(paper_ids))
    if papers == new and old_seed == seed:
        return
    if not overwrite:
        raise GenerationError(str(out), f"holds a different build ({_difference(papers, new, old_seed, seed)}); "
                                        "pass --overwrite to replace it, or choose another --out")
    logger.info("removing the earlier build in %s", out)
    for name in BUILD_OUTPUTS:
        path = out / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def _earlier_build(out: Path) -> tuple[list[str], int | None] | None:
    """The paper ids and seed of the build report in ``out``, if there is one."""
    path = out / REPORT_FILE
    if not path.is_file():
        return None
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
        papers = sorted({p["paper_id"] for p in report.get("papers", []) if "#" not in p["paper_id"]})
        return papers, report.get("seed")
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
        return [], None  # unreadable: a different build as far as we can tell


def _difference(old: list[str], new: list[str], old_seed: int | None, seed: int) -> str:
    if old_seed != seed and old == new:
        return f"seed {old_seed}, not {seed}"
    gone, added = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    parts = [f"{len(old)} papers"]
    if gone:
        parts.append("not given now: " + ", ".join(gone[:3]) + (" ..." if len(gone) > 3 else ""))
    if added:
        parts.append("new: " + ", ".join(added[:3]) + (" ..." if len(added) > 3 else ""))
    if old_seed != seed:
        parts.append(f"seed {old_seed}")
    return "; ".join(parts)

"""Results in, leaderboard files out: the steps behind ``wmbench leaderboard``.

``runs.json`` in the output directory records the schema version, the options (pairs, sizes,
seed, published, include_limited) and every run with its settings, so ``--check`` can regenerate
the same files from the stored results without repeating the options. ``--check`` compares text
only, so it never draws plots and does not need matplotlib.
"""

from __future__ import annotations

import dataclasses
import filecmp
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from wmbench.errors import SchemaError
from wmbench.leaderboard.results import SCHEMA_VERSION, ModelResults, load_results
from wmbench.leaderboard.tables import Pair, TableConfig, build_tables, check_pairs, resolve_pairs

MANIFEST = "runs.json"
# Files --check compares; PNGs depend on the matplotlib build and are regenerated, not compared.
CHECKED_SUFFIXES: tuple[str, ...] = (".md", ".csv", ".tex", ".html", ".json")


@dataclass(frozen=True)
class LeaderboardOptions:
    """Everything besides the results that shapes the output."""

    seed: int = 0
    resamples: int = 2000
    pairs: tuple[Pair, ...] = ()
    sizes: tuple[tuple[str, float], ...] = ()
    published: bool = False
    include_limited: bool = False
    published_file: str | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The options as stored in ``runs.json`` (no machine paths)."""
        return {"seed": self.seed, "resamples": self.resamples, "published": self.published,
                "include_limited": self.include_limited,
                "pairs": [dataclasses.asdict(p) for p in self.pairs], "sizes": dict(self.sizes)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], *, where: str) -> "LeaderboardOptions":
        """Options read back from ``runs.json``."""
        try:
            return cls(seed=int(data["seed"]), resamples=int(data["resamples"]), published=bool(data["published"]),
                       include_limited=bool(data.get("include_limited", False)),
                       pairs=tuple(Pair(p["base"], p["trained"]) for p in data["pairs"]),
                       sizes=tuple(sorted((str(k), float(v)) for k, v in data["sizes"].items())))
        except (KeyError, TypeError, ValueError) as exc:
            raise SchemaError(where, f"options are incomplete or malformed ({exc!r})") from None


@dataclass(frozen=True)
class Generated:
    """What ``generate`` wrote, and the notes a reader must see (also on the page)."""

    files: list[Path]
    notes: list[str]


def generate(results: Sequence[str | Path], out: str | Path, options: LeaderboardOptions) -> Generated:
    """Read the results and write every table, plot and the page under ``out``.

    Files a previous run wrote that this one does not (a table that lost its rows) are removed.
    Without matplotlib the tables and page are written without plots, and a note says so.
    """
    from wmbench.leaderboard.plots import PLOTS_MISSING, can_draw

    out = Path(out)
    draw = can_draw()
    with tempfile.TemporaryDirectory(prefix="wmbench-leaderboard-") as tmp:
        written, notes = _generate_into(results, Path(tmp), options, plots="draw" if draw else "none",
                                        extra_notes=() if draw else (PLOTS_MISSING,))
        _sync(Path(tmp), out)
        return Generated([out / p.relative_to(tmp) for p in written], notes)


def _generate_into(results: Sequence[str | Path], out: Path, options: LeaderboardOptions, *, plots: str,
                   extra_notes: Sequence[str] = ()) -> tuple[list[Path], list[str]]:
    from wmbench.leaderboard.render import write_outputs
    from wmbench.leaderboard.tables import notes as table_notes

    models = load_results(results, sizes=dict(options.sizes))
    options = dataclasses.replace(options, pairs=resolve_pairs(models, options.pairs))  # stored as shown
    check_pairs(models, options.pairs, where="--pairs")
    config = TableConfig(seed=options.seed, resamples=options.resamples, include_limited=options.include_limited)
    tables = build_tables(models, options.pairs, config)
    if options.published:
        from wmbench.leaderboard.published import load_published

        tables["published"] = load_published(options.published_file)
    notes = [*table_notes(models, config), *extra_notes]
    return write_outputs(tables, Path(out), manifest=manifest_text(models, options), notes=notes, plots=plots), notes


def check(results: Sequence[str | Path], out: str | Path, options: LeaderboardOptions | None = None) -> list[Path]:
    """Regenerate into a temporary directory and compare with ``out``; raise naming the first difference.

    Without ``options``, the ones stored in ``out/runs.json`` are used.
    """
    out = Path(out)
    if options is None:
        options = stored_options(out)
    with tempfile.TemporaryDirectory(prefix="wmbench-leaderboard-") as tmp:
        fresh = Path(tmp)
        _generate_into(results, fresh, options, plots="link")
        differing = first_difference(fresh, out)
        if differing is not None:
            raise SchemaError(str(out / differing), "differs from the tables regenerated from the results; "
                              "rerun `wmbench leaderboard` without --check to update it")
        return sorted(stored_path for n in generated_names()
                      if n.endswith(CHECKED_SUFFIXES) and (stored_path := out / n).is_file())


def stored_options(out: Path) -> LeaderboardOptions:
    """The options recorded in ``out/runs.json``."""
    path = out / MANIFEST
    if not path.exists():
        raise SchemaError(str(path), "no stored leaderboard to check; generate it first")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SchemaError(str(path), f"not valid JSON ({exc.msg})") from None
    return LeaderboardOptions.from_json(data.get("options") or {}, where=str(path))


def first_difference(fresh: Path, stored: Path) -> str | None:
    """The first checked file (relative path) that is missing, extra or different, if any."""
    names = sorted(n for n in generated_names() if n.endswith(CHECKED_SUFFIXES)
                   and ((fresh / n).is_file() or (stored / n).is_file()))
    for name in names:
        a, b = fresh / name, stored / name
        if not (a.exists() and b.exists()) or not filecmp.cmp(a, b, shallow=False):
            return name
    return None


def manifest_text(models: Sequence[ModelResults], options: LeaderboardOptions) -> str:
    """``runs.json``: schema version, options and every run's settings, as stable JSON."""
    runs = []
    for model in models:
        for run in model.runs:
            runs.append({
                "model": run.model, "size_b": run.size_b, "source": run.source, "date": run.date,
                "used_for": sorted(task for task, source in model.chosen.items() if source == run.source),
                "settings": dataclasses.asdict(run.settings), "task_acc": run.task_acc,
                "task_versions": run.task_versions, "samples": len(run.samples),
            })
    data = {"schema_version": SCHEMA_VERSION, "generator": "wmbench leaderboard", "options": options.to_json(), "runs": runs}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _sync(fresh: Path, out: Path) -> None:
    """Copy ``fresh`` over ``out`` and delete outputs of an earlier run that ``fresh`` lacks.

    Only names this command can generate are ever deleted; other files in ``out`` are kept.
    """
    keep = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
    for name in sorted(generated_names() - keep):
        if (out / name).is_file():
            (out / name).unlink()
    for name in sorted(keep):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fresh / name, target)


def generated_names() -> set[str]:
    """Every relative path the command can write."""
    from wmbench.leaderboard.plots import PLOT_FILES
    from wmbench.leaderboard.render import PAGE_FILES, TITLES

    tables = {f"{name}.{ext}" for name in TITLES for ext in ("csv", "tex")}
    return tables | {MANIFEST, *PAGE_FILES} | {f"plots/{name}" for name in PLOT_FILES}

"""Export a build directory as a Hub-ready dataset folder.

Layout of the release folder (every non-empty shard in the wmbench Parquet schema, so
:func:`wmbench.storage.read_problems` reads any of them)::

    README.md                      dataset card with ``configs:`` data_files
    croissant.json                 Croissant metadata describing the shards
    withheld_manifest.jsonl        records not released, by id only, with the reason
    release_report.json            counts, withheld reasons, unknown licences
    data/<split>-00000-of-00001.parquet             the ``default`` config
    data/<config>/<split>-00000-of-00001.parquet    every other config

The ``default`` shards sit where a build directory keeps its shards, so
``read_problems(<release folder>)`` and the lm-eval task (``data=<release folder>``) read the
released records. Configs: ``default`` (every redistributable record), one per problem type,
``paper_disjoint`` (split by ``paper_split``) and ``nc`` (non-commercial records, kept out of
every other config). Licences are decided by :mod:`wmbench.release.licenses`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wmbench.errors import PublishingError
from wmbench.release.card import (
    CardConfig,
    arrow_bytes,
    render_card,
    split_order,
    stable_report,
)
from wmbench.release.croissant import write_croissant
from wmbench.release.licenses import classify_license
from wmbench.schema import PROBLEM_TYPES, Problem
from wmbench.storage import (
    DATA_DIR,
    atomic_write_text,
    iter_problems,
    read_problems,
    remove_stale_shards,
    write_parquet,
)

CARD_FILE = "README.md"
MANIFEST_FILE = "withheld_manifest.jsonl"
REPORT_FILE = "release_report.json"
BUILD_REPORT_FILE = "build_report.json"
DEFAULT_CONFIG = "default"
PAPER_DISJOINT = "paper_disjoint"
NC_CONFIG = "nc"


@dataclass(frozen=True)
class ReleaseConfig:
    """One config of the release: its name and its records per split."""

    name: str
    splits: tuple[tuple[str, tuple[Problem, ...]], ...]

    def shard(self, split: str) -> str:
        """Path of a split's shard inside the release folder (``default`` as in a build directory)."""
        folder = DATA_DIR if self.name == DEFAULT_CONFIG else f"{DATA_DIR}/{self.name}"
        return f"{folder}/{split}-00000-of-00001.parquet"

    def card_config(self) -> CardConfig:
        """The card's ``configs:`` entry for this config."""
        return CardConfig(self.name, tuple((s, self.shard(s), len(rows), arrow_bytes(rows)) for s, rows in self.splits))


def export_release(build: str | Path, out: str | Path) -> dict[str, Any]:
    """Write the release folder for ``build`` into ``out``; returns the release report."""
    build, out = Path(build), Path(out)
    if out.resolve() == build.resolve():
        raise PublishingError(str(out), "the release folder must differ from the build directory")
    problems = [_with_license(p) for p in read_problems(build)]
    _check_unique_ids(problems, build)
    buckets: dict[str, list[Problem]] = {"public": [], "nc": [], "withheld": []}
    for problem in problems:
        buckets[classify_license(problem.source_license).bucket].append(problem)
    if not buckets["public"]:
        _write_manifest(buckets["withheld"], out / MANIFEST_FILE)
        raise PublishingError(str(build), f"no record's licence permits redistribution ({len(buckets['withheld'])} withheld, "
                                          f"{len(buckets['nc'])} non-commercial); see {out / MANIFEST_FILE}")
    configs = release_configs(buckets["public"], buckets["nc"])
    written = [_write_config(config, out) for config in configs]
    remove_stale_shards(out, {p for paths in written for p in paths}, configs=True)
    _write_manifest(buckets["withheld"], out / MANIFEST_FILE)
    report = _release_report(buckets, configs) | {"build_report": _build_report(build)}
    atomic_write_text(out / REPORT_FILE, json.dumps(report, indent=2) + "\n")
    existing = _existing_card(out / CARD_FILE, build / CARD_FILE)
    _write_metadata(out, buckets["public"] + buckets["nc"], report, [c.card_config() for c in configs], existing)
    return report


def release_configs(public: Sequence[Problem], nc: Sequence[Problem]) -> list[ReleaseConfig]:
    """The configs of a release, each with train/test (and any other split present)."""
    configs = [_config(DEFAULT_CONFIG, public, _split)]
    configs += [_config(t, [p for p in public if p.type == t], _split) for t in PROBLEM_TYPES
                if any(p.type == t for p in public)]
    if any(p.paper_split for p in public):
        # rows carry the split they sit in: a paper-disjoint test row says split "test"
        configs.append(_config(PAPER_DISJOINT, [p.replace(split=p.paper_split) for p in public if p.paper_split], _split))
    if nc:
        configs.append(_config(NC_CONFIG, nc, _split))
    return configs


def read_release(folder: str | Path) -> list[Problem]:
    """Every record of a release folder (the ``default`` and ``nc`` configs), in shard order."""
    folder = Path(folder)
    shards = sorted((folder / DATA_DIR).glob("*.parquet")) + sorted((folder / DATA_DIR / NC_CONFIG).glob("*.parquet"))
    if not shards:
        raise PublishingError(str(folder), f"not a release folder: no {DATA_DIR}/*.parquet (run `wmbench export` first)")
    return [p for shard in shards for p in iter_problems(shard)]


def refresh_release(folder: str | Path) -> None:
    """Rewrite the card and ``croissant.json`` for the shards now in ``folder`` (after an audit)."""
    folder = Path(folder)
    report_path = folder / REPORT_FILE
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.is_file() else {}
    _write_metadata(folder, read_release(folder), report, configs_on_disk(folder), _existing_card(folder / CARD_FILE))


def _write_metadata(folder: Path, released: list[Problem], report: dict[str, Any], configs: Sequence[CardConfig],
                    existing: str | None) -> None:
    """The card (merged into ``existing``) and ``croissant.json`` for ``configs``."""
    build_report = report.get("build_report") or {}
    atomic_write_text(folder / CARD_FILE, render_card(released, build_report, existing=existing, configs=configs))
    licenses = [lic.lower() for lic in report.get("record_licenses") or {}] or "unknown"
    write_croissant(folder, configs, name=str(build_report.get("pretty_name") or "wmbench"), license=licenses)


def _existing_card(*candidates: Path) -> str | None:
    """The first card that exists: the release folder's own, else the build's."""
    path = next((p for p in candidates if p.is_file()), None)
    return path.read_text(encoding="utf-8") if path else None


def configs_on_disk(folder: Path) -> list[CardConfig]:
    """The configs of a release folder from its shards: ``data/*`` is ``default``, ``data/<name>/*`` the rest."""
    data = folder / DATA_DIR
    groups = [(DEFAULT_CONFIG, sorted(data.glob("*.parquet")))]
    groups += [(d.name, sorted(d.glob("*.parquet"))) for d in sorted(data.iterdir(), key=lambda d: _config_order(d.name)) if d.is_dir()]
    configs = []
    for name, shards in groups:
        files = []
        for shard in shards:
            rows = list(iter_problems(shard))
            files.append((shard.name.split("-")[0], shard.relative_to(folder).as_posix(), len(rows), arrow_bytes(rows)))
        if files:
            configs.append(CardConfig(name, tuple(sorted(files, key=lambda f: split_order(f[0])))))
    return configs


def _config_order(name: str) -> tuple[int, str]:
    """default, the types, paper_disjoint, nc, then others by name (the order of :func:`release_configs`)."""
    order = (DEFAULT_CONFIG, *PROBLEM_TYPES, PAPER_DISJOINT, NC_CONFIG)
    return (order.index(name) if name in order else len(order), name)


def _split(problem: Problem) -> str:
    return problem.split or "train"


def _config(name: str, rows: Iterable[Problem], split_of) -> ReleaseConfig:
    """A config over ``rows``; empty splits are left out (``datasets`` cannot read empty shards)."""
    rows = list(rows)
    splits = sorted({split_of(p) for p in rows}, key=split_order)
    return ReleaseConfig(name, tuple((s, tuple(p for p in rows if split_of(p) == s)) for s in splits))


def _with_license(problem: Problem) -> Problem:
    """The record with ``source_license``, its class and its ``record_license`` filled in."""
    info = classify_license(problem.license or problem.source_license)
    return problem.replace(
        source_license=info.url or None,
        source_license_class=info.license_class,
        record_license=info.record_license,
    )


def _check_unique_ids(problems: Sequence[Problem], build: Path) -> None:
    dupes = sorted(pid for pid, n in Counter(p.problem_id for p in problems).items() if n > 1)
    if dupes:
        raise PublishingError(str(build), f"duplicate problem_id {', '.join(dupes[:5])}; ids must be unique to publish")


def _write_config(config: ReleaseConfig, out: Path) -> list[Path]:
    return [write_parquet(rows, out / config.shard(split)) for split, rows in config.splits]


def _write_manifest(withheld: Sequence[Problem], path: Path) -> None:
    lines = []
    for p in withheld:
        info = classify_license(p.source_license)
        lines.append(json.dumps({
            "problem_id": p.problem_id, "paper_id": p.paper_id, "split": p.split, "type": p.type,
            "license_class": info.license_class, "source_license": info.url, "reason": info.reason,
        }, ensure_ascii=False))
    atomic_write_text(path, "".join(line + "\n" for line in lines))


def _release_report(buckets: dict[str, list[Problem]], configs: Sequence[ReleaseConfig]) -> dict[str, Any]:
    withheld = buckets["withheld"]
    unknown = sorted({p.paper_id for p in withheld if p.source_license_class == "unknown"})
    return {
        "released": len(buckets["public"]) + len(buckets["nc"]),
        "released_public": len(buckets["public"]),
        "released_nc": len(buckets["nc"]),
        "withheld": len(withheld),
        "withheld_by_license_class": dict(sorted(Counter(p.source_license_class for p in withheld).items())),
        "unknown_license_papers": unknown,
        "record_licenses": dict(sorted(Counter(p.record_license for p in buckets["public"] + buckets["nc"]).items())),
        "configs": {c.name: {s: len(rows) for s, rows in c.splits} for c in configs},
        "warnings": [f"{len(unknown)} paper(s) have no recognised licence; their records are withheld: {', '.join(unknown[:10])}"] if unknown else [],
    }


def _build_report(build: Path) -> dict[str, Any]:
    path = build / BUILD_REPORT_FILE if build.is_dir() else build.parent / BUILD_REPORT_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PublishingError(str(path), f"not valid JSON ({exc.msg})") from None
    return stable_report(data) if isinstance(data, dict) else {}


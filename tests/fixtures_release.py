"""Build-like directories for the release and audit tests, made from the reference sample.

Splits and licences are assigned deterministically: within each type every third record is
``test``; papers take licences from :data:`PAPER_LICENSES` in order of first appearance, so
every release bucket (public, non-commercial, withheld, unknown) is represented.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
REFERENCE = DATA / "reference_sample.jsonl"

# Order chosen so that every type has public train and test records and `nc` has both splits.
PAPER_LICENSES: tuple[str | None, ...] = (
    "http://creativecommons.org/licenses/by-nc-sa/4.0/",
    "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
    "http://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org/licenses/by-sa/4.0",
    "http://creativecommons.org/licenses/by-nc-nd/4.0/",
    "http://creativecommons.org/licenses/by/4.0/",
    "http://creativecommons.org/publicdomain/zero/1.0/",
    None,
)
BUILD_REPORT = {"pretty_name": "wmbench test release", "seed": 0, "generator_version": "g1", "gate_failures": {"leak": 3},
                "counts": {"papers_found": 24, "problems_after_gates": 30, "problems_final": 27,
                           "by_type": {"MCQ": 6, "fill_blank_25": 5, "fill_blank_50": 11, "fill_blank_75": 3, "fill_blank_100": 2}}}


def reference_problems() -> list:
    from wmbench.storage import read_problems

    return read_problems(REFERENCE)


def assign(problems: Sequence, licenses: Sequence[str | None] = PAPER_LICENSES) -> list:
    """Records with deterministic ``split``, ``paper_split`` and ``license``."""
    papers: dict[str, int] = {}
    seen_per_type: dict[str, int] = {}
    out = []
    for problem in problems:
        rank = papers.setdefault(problem.paper_id, len(papers))
        nth = seen_per_type[problem.type] = seen_per_type.get(problem.type, -1) + 1
        out.append(problem.replace(
            split="test" if nth % 3 == 0 else "train",
            paper_split="test" if rank % 4 == 1 else "train",
            license=licenses[rank % len(licenses)],
        ))
    return out


def make_build(folder: Path, problems: Sequence | None = None, *, licenses: Sequence[str | None] = PAPER_LICENSES) -> Path:
    """A build directory: problems.jsonl, data/ shards and build_report.json."""
    from wmbench.storage import write_build_dir

    write_build_dir(assign(problems if problems is not None else reference_problems(), licenses), folder)
    (folder / "build_report.json").write_text(json.dumps(BUILD_REPORT), encoding="utf-8")
    return folder


def make_release(tmp_path: Path, *, licenses: Sequence[str | None] = PAPER_LICENSES) -> tuple[Path, Path]:
    """A build directory and its exported release folder."""
    from wmbench.release.export import export_release

    build = make_build(tmp_path / "build", licenses=licenses)
    export_release(build, tmp_path / "release")
    return build, tmp_path / "release"

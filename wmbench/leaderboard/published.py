"""The published WirelessMathBench-XL results, shown beside local runs and labelled as such.

The numbers live in ``leaderboards/reference/published.csv`` (source, commit and licence in the
README beside it); this module only reads and checks that file. Nothing here is computed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from wmbench.errors import SchemaError
from wmbench.leaderboard.results import model_size

PUBLISHED_CSV = Path("leaderboards") / "reference" / "published.csv"
COLUMNS: tuple[str, ...] = ("group", "model", "acc_full800", "acc_public310", "ci_low", "ci_high", "delta_pp")
_NUMBERED_GROUP = re.compile(r"^D(\d+)$")
SOURCE = "published: WirelessMathBench-XL release (LiXin97/WirelessMathBench-XL, data/public_subset_results.csv), CC BY 4.0"


def default_path() -> Path:
    """``leaderboards/reference/published.csv`` in the working directory, else in the source tree."""
    here = Path.cwd() / PUBLISHED_CSV
    return here if here.exists() else Path(__file__).resolve().parents[2] / PUBLISHED_CSV


def load_published(path: str | Path | None = None) -> pd.DataFrame:
    """The published table, best first, with a parsed ``size_b`` and a ``source`` column."""
    path = Path(path) if path else default_path()
    if not path.exists():
        raise SchemaError(str(path), "published results file not found; pass --published-file PATH")
    try:
        table = pd.read_csv(path, dtype={"group": str, "model": str})
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SchemaError(str(path), f"not a readable CSV ({exc})") from None
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise SchemaError(str(path), f"missing columns {', '.join(missing)} (expected {', '.join(COLUMNS)})")
    table = table[list(COLUMNS)].rename(columns={"ci_low": "acc_public310_ci_low", "ci_high": "acc_public310_ci_high"})
    table = table[["model", "group", *[c for c in table.columns if c not in ("model", "group")]]]
    table.insert(2, "size_b", [model_size(name) for name in table["model"]])
    table["source"] = "published"
    return table.sort_values(["acc_public310", "model"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def groups_caption(table: pd.DataFrame) -> str:
    """What the ``group`` labels mean, as far as the release says (its README does not define them)."""
    groups = [str(g) for g in table["group"]]
    numbered = sorted(int(m[1]) for g in groups if (m := _NUMBERED_GROUP.match(g)))
    frontier = groups.count("F")
    if frontier + len(numbered) != len(groups) or numbered != list(range(1, len(numbered) + 1)):
        return "Group: the row label of the published file, kept as given."
    return (f"Group: the release's own row label, kept as published. F marks the {frontier} frontier models the "
            f"release analyses further (its frontier_multin_delta.csv); D1-D{len(numbered)} number the other "
            f"{len(numbered)} rows one by one, and the release defines them no further.")

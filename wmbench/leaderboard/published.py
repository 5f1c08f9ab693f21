"""The published WirelessMathBench-XL results, shown beside local runs and labelled as such.

The numbers live in ``leaderboards/reference/published.csv`` (source, commit and licence in the
README beside it); this module only reads and checks that file. Nothing here is computed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wmbench.errors import SchemaError
from wmbench.leaderboard.results import model_size

PUBLISHED_CSV = Path("leaderboards") / "reference" / "published.csv"
COLUMNS: tuple[str, ...] = ("group", "model", "acc_full800", "acc_public310", "ci_low", "ci_high", "delta_pp")
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

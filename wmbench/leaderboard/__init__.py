"""Leaderboards from lm-eval results: typed run records, bootstrap statistics, tables, a page.

Stages, one module each: :mod:`~wmbench.leaderboard.results` (read lm-eval files) →
:mod:`~wmbench.leaderboard.stats` (intervals) → :mod:`~wmbench.leaderboard.tables` (pandas) →
:mod:`~wmbench.leaderboard.render` and :mod:`~wmbench.leaderboard.plots` (files), driven by
:mod:`~wmbench.leaderboard.report`. :mod:`~wmbench.leaderboard.published` reads the published
reference numbers.
"""

from wmbench.leaderboard.report import LeaderboardOptions, check, generate
from wmbench.leaderboard.results import ModelResults, ModelRun, SampleRecord, load_results
from wmbench.leaderboard.tables import Pair, TableConfig, build_tables

__all__ = [
    "LeaderboardOptions", "ModelResults", "ModelRun", "Pair", "SampleRecord", "TableConfig",
    "build_tables", "check", "generate", "load_results",
]

"""Curate: judge built problems (the LLM quality rubric) and keep the good ones."""

from wmbench.curate.rubric import DIMENSIONS, RUBRIC_VERSION, filter_quality, score_problems

__all__ = ["DIMENSIONS", "RUBRIC_VERSION", "filter_quality", "score_problems"]

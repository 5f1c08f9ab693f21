"""lm-eval hooks for the wmbench_* general-maths tasks: thin wrappers over wmbench."""

from wmbench.evaluation.data_source import math_docs
from wmbench.evaluation.scoring import math_verdicts, process_results


def load_docs(benchmark: str, **kwargs):
    """``custom_dataset``: ``{problem_id, problem, answer}`` rows from ``math_data`` or the Hub."""
    return math_docs(task=benchmark, **kwargs)


verify_responses = math_verdicts
__all__ = ["load_docs", "verify_responses", "process_results"]

"""lm-eval hooks for wirelessmath_xl: thin wrappers over wmbench (data, prompt, verifier)."""

from wmbench.evaluation.data_source import doc_to_problem, wireless_docs
from wmbench.evaluation.scoring import process_results, wireless_verdicts
from wmbench.prompt import render_prompt


def load_docs(problem_type: str, **metadata):
    """``custom_dataset``: the records of one type from ``data``/``split`` in the metadata."""
    return wireless_docs(problem_type, **metadata)


def doc_to_text(doc) -> str:
    """The project's one prompt template."""
    return render_prompt(doc_to_problem(doc))


verify_responses = wireless_verdicts
__all__ = ["load_docs", "doc_to_text", "verify_responses", "process_results"]

"""Fit each task's generation budget to the model's context before anything is generated.

The tasks ask for up to ``max_gen_toks: 16384`` new tokens, which long reasoning needs. lm-eval's
``hf`` backend asserts when that is not below the model's maximum length, and vLLM cuts the
prompt instead, so a model with a shorter context would fail or see a truncated problem. Here,
for a model that knows its context length and tokenizer (the ``hf`` and ``vllm`` backends), every
``generate_until`` task gets ``max_gen_toks = min(task's, max_length - longest prompt)``: the
prompt plus the new tokens always fit, as vLLM's own ``max_model_len`` check requires.

Rules, each a one-line message:

* the task's default budget does not fit: lowered, with a warning naming the task and numbers;
* a budget given explicitly (``--gen-kwargs max_gen_toks=N``) does not fit: an error;
* the longest prompt alone does not fit: an error (lm-eval would cut the problem's beginning).

API models (``local-completions``, ``local-chat-completions``, ...) and the replay model are
left alone: their server knows its context, lm-eval does not.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wmbench.errors import WmbenchError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Budget:
    """One task's generation budget: asked for, longest prompt, context, and what fits."""

    task: str
    requested: int
    longest_prompt: int
    max_length: int

    @property
    def fits(self) -> int:
        return self.max_length - self.longest_prompt


def context_length(lm: Any) -> int | None:
    """The model's maximum sequence length, for backends that truncate to it themselves."""
    from lm_eval.models.api_models import TemplateAPI

    if isinstance(lm, TemplateAPI) or not hasattr(lm, "tok_encode"):
        return None
    if getattr(lm, "backend", "causal") == "seq2seq":  # the encoder's length does not bound generation
        return None
    try:
        return int(lm.max_length)
    except (AttributeError, TypeError, ValueError):
        return None


def fit_generation_budget(lm: Any, tasks: Iterable[Any], *, explicit: int | None = None,
                          apply_chat_template: bool = False) -> list[Budget]:
    """Lower ``max_gen_toks`` of each generate-until task to what fits; returns the budgets changed."""
    max_length = context_length(lm)
    if max_length is None:
        return []
    lowered = []
    for task in tasks:
        if task.get_config("output_type") != "generate_until":
            continue
        kwargs = dict(task.get_config("generation_kwargs") or {})
        budget = Budget(task.config.task, int(explicit or kwargs.get("max_gen_toks", lm.max_gen_toks)),
                        _longest_prompt(lm, task, apply_chat_template), max_length)
        if budget.fits < 1:
            raise WmbenchError(budget.task, f"the longest prompt has {budget.longest_prompt} tokens, more than the model's "
                                            f"context of {max_length}; use a model with a longer context")
        if budget.requested <= budget.fits:
            continue
        if explicit is not None:
            raise WmbenchError(budget.task, f"max_gen_toks={explicit} does not fit the model's context of {max_length} "
                                            f"tokens with the longest prompt ({budget.longest_prompt}); use at most {budget.fits}")
        task.set_config(key="generation_kwargs", value={"max_gen_toks": budget.fits}, update=True)
        lowered.append(budget)
    return lowered


def _longest_prompt(lm: Any, task: Any, apply_chat_template: bool) -> int:
    """Tokens of the task's longest prompt, as the model will see it."""
    longest = 0
    for doc in task.eval_docs:
        text = task.doc_to_text(doc)
        if apply_chat_template:
            text = lm.apply_chat_template([{"role": "user", "content": text}])
        longest = max(longest, len(lm.tok_encode(text)))
    return longest


def explicit_max_gen_toks(gen_kwargs: str | dict | None) -> int | None:
    """``max_gen_toks`` (or an alias lm-eval accepts) from ``--gen-kwargs``, if given."""
    if not gen_kwargs:
        return None
    if isinstance(gen_kwargs, str):
        from lm_eval.utils import simple_parse_args_string

        gen_kwargs = simple_parse_args_string(gen_kwargs)
    for name in ("max_gen_toks", "max_new_tokens", "max_tokens", "max_completion_tokens"):
        if gen_kwargs.get(name) is not None:
            return int(gen_kwargs[name])
    return None

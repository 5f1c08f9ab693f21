"""Optional LLM-judge fallback for pairs the rules leave undecided; off by default.

Enabled by :func:`set_judge` or by the environment (``WMBENCH_JUDGE_URL`` = an OpenAI-compatible
base URL such as ``http://localhost:8000/v1``, ``WMBENCH_JUDGE_MODEL``, ``WMBENCH_JUDGE_API_KEY``,
``WMBENCH_JUDGE_CACHE`` = a directory). Only pairs that math-verify could not parse or timed out on
reach the judge. It answers in JSON through :mod:`wmbench.llm_client` (the client of every LLM
call in wmbench: replies validated, cached on disk by request hash, retried with backoff);
verdicts it decided carry ``judge=True``. Any failure of the endpoint leaves the pair undecided
(counted as wrong).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wmbench.llm_client import JsonChat

_PROMPT = (
    "You compare two mathematical expressions from a wireless-communications paper.\n"
    "Reference: {gold}\nCandidate: {candidate}\nContext: {context}\n"
    "Bold symbols are matrices or vectors (products do not commute); case and subscripts matter.\n"
    'Reply with one JSON object: {{"equivalent": true}} or {{"equivalent": false}}.'
)
_SCHEMA = {"type": "object", "properties": {"equivalent": {"type": "boolean"}}, "required": ["equivalent"]}


@dataclass(frozen=True)
class JudgeConfig:
    """Where the judge lives and where its verdicts are cached."""

    base_url: str
    model: str = "judge"
    api_key: str = "none"
    cache_dir: str = ".wmbench-judge-cache"
    timeout: float = 30.0
    retries: int = 1
    max_context_chars: int = 2000


_configured: list[JudgeConfig | None] = []  # empty: read the environment


def set_judge(config: JudgeConfig | None) -> None:
    """Use this judge (or none) from now on, overriding the environment."""
    _configured[:] = [config]


def reset_judge() -> None:
    """Forget :func:`set_judge`; the environment decides again."""
    _configured.clear()


def current_judge() -> JudgeConfig | None:
    """The configured judge, else one from the environment, else None (off)."""
    if _configured:
        return _configured[0]
    url = os.environ.get("WMBENCH_JUDGE_URL")
    if not url:
        return None
    return JudgeConfig(
        base_url=url,
        model=os.environ.get("WMBENCH_JUDGE_MODEL", "judge"),
        api_key=os.environ.get("WMBENCH_JUDGE_API_KEY", "none"),
        cache_dir=os.environ.get("WMBENCH_JUDGE_CACHE", ".wmbench-judge-cache"),
    )


def ask_judge(config: JudgeConfig, gold: str, candidate: str, context: str = "") -> bool | None:
    """The judge's verdict on one pair (cached on disk), or None when it gave none."""
    prompt = _PROMPT.format(gold=gold, candidate=candidate, context=context[: config.max_context_chars])
    answer = _chat(config).ask([{"role": "user", "content": prompt}])
    return None if answer.reply is None else answer.reply["equivalent"]


@lru_cache(maxsize=8)
def _chat(config: JudgeConfig) -> JsonChat:
    """One client per judge configuration, shared by every thread that grades."""
    from wmbench.llm_client import (  # imported on first use: the judge is rare
        JsonChat,
        LLMConfig,
    )

    llm = LLMConfig(base_url=config.base_url, model=config.model, api_key=config.api_key, timeout=config.timeout,
                    retries=config.retries, concurrency=1)
    return JsonChat(llm, _SCHEMA, Path(config.cache_dir))

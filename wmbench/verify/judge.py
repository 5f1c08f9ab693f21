"""Optional LLM-judge fallback for pairs the rules leave undecided; off by default.

Enabled by :func:`set_judge` or by the environment (``WMBENCH_JUDGE_URL`` = an OpenAI-compatible
base URL such as ``http://localhost:8000/v1``, ``WMBENCH_JUDGE_MODEL``, ``WMBENCH_JUDGE_API_KEY``,
``WMBENCH_JUDGE_CACHE`` = a directory). Only pairs that math-verify could not parse or timed out on
reach the judge; its answers are cached on disk by content hash, and verdicts it decided carry
``judge=True``. Any failure of the endpoint leaves the pair undecided (counted as wrong).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

_PROMPT = (
    "You compare two mathematical expressions from a wireless-communications paper.\n"
    "Reference: {gold}\nCandidate: {candidate}\nContext: {context}\n"
    "Bold symbols are matrices or vectors (products do not commute); case and subscripts matter.\n"
    "Reply with exactly one word: EQUIVALENT or DIFFERENT."
)
_WORD = re.compile(r"\b(EQUIVALENT|DIFFERENT)\b")


@dataclass(frozen=True)
class JudgeConfig:
    """Where the judge lives and where its verdicts are cached."""

    base_url: str
    model: str = "judge"
    api_key: str = "none"
    cache_dir: str = ".wmbench-judge-cache"
    timeout: float = 30.0
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
    context = context[: config.max_context_chars]
    key = hashlib.sha256(json.dumps([config.model, gold, candidate, context]).encode()).hexdigest()
    path = Path(config.cache_dir) / f"{key}.json"
    if path.exists():
        try:
            return json.loads(path.read_text())["equivalent"]
        except (OSError, ValueError, KeyError):
            pass
    verdict = _ask(config, gold, candidate, context)
    if verdict is not None:
        from wmbench.storage import atomic_write_text

        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps({"equivalent": verdict, "gold": gold, "candidate": candidate}))
    return verdict


def _ask(config: JudgeConfig, gold: str, candidate: str, context: str) -> bool | None:
    from openai import OpenAI, OpenAIError

    client = OpenAI(base_url=config.base_url, api_key=config.api_key, timeout=config.timeout, max_retries=0)
    try:
        reply = client.chat.completions.create(
            model=config.model,
            messages=[{"role": "user", "content": _PROMPT.format(gold=gold, candidate=candidate, context=context)}],
            temperature=0.0,
            max_tokens=8,
        )
        text = reply.choices[0].message.content or ""
    except (OpenAIError, IndexError, AttributeError, ValueError):
        return None
    found = _WORD.search(text.upper())
    return None if found is None else found.group(1) == "EQUIVALENT"

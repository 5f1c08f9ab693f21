"""Optional: an LLM rewrites each problem's question and background.

Each reply must be a JSON object matching :data:`REPLY_SCHEMA`; the shared client
(:mod:`wmbench.llm_client`) caches valid replies under ``OUT/.cache/llm/`` by a hash of
the request, retries with backoff and runs at most ``concurrency`` calls at a time. A call that
still fails, or a rewrite that fails the text gates, leaves the template text in place and is
counted by reason — the build never fails for it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wmbench.llm_client import (
    LLM_CACHE_DIR,
    JsonChat,
    LLMConfig,
    Meter,
    failure_stats,
    request_hash,
)
from wmbench.schema import Problem

__all__ = ["LLM_CACHE_DIR", "REPLY_SCHEMA", "LLMConfig", "request_hash", "request_messages", "rewrite_all"]

REPLY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "background": {"type": "string", "minLength": 20, "maxLength": 3000},
        "question_text": {"type": "string", "minLength": 10, "maxLength": 400},
    },
    "required": ["background", "question_text"],
}
_SYSTEM = (
    "You edit problems of a wireless-communications math benchmark. Rewrite the background and the "
    "question so they read naturally. Keep every symbol definition and every $...$ LaTeX exactly as "
    "written; do not add facts; never state the hidden expression. Reply with one JSON object with "
    'the keys "background" and "question_text" and nothing else.'
)
_REWRITTEN = "rewritten"


def request_messages(problem: Problem) -> list[dict[str, str]]:
    payload = {"type": problem.type, "background": problem.background, "question_text": problem.question_text,
               "equation": problem.equation}
    return [{"role": "system", "content": _SYSTEM},
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]


def rewrite_all(problems: list[Problem], config: LLMConfig, out: Path, *, progress: bool = False,
                meter: Meter | None = None) -> tuple[list[Problem], dict[str, Any], dict[str, int]]:
    """(problems with rewritten text where it succeeded, deterministic stats, run-only stats);
    ``meter`` is the build's shared call budget (a fresh one when None)."""
    with JsonChat(config, REPLY_SCHEMA, Path(out) / LLM_CACHE_DIR, meter=meter, name="rewrite") as chat:
        outcomes = chat.map(lambda p: _rewrite_one(chat, p), problems, desc="rewrite", progress=progress)
    reasons = [reason for _, reason, _ in outcomes]
    stats = {"enabled": True, "model": config.model, "requests": len(problems),
             "rewritten": reasons.count(_REWRITTEN),
             **failure_stats(None if reason == _REWRITTEN else reason for reason in reasons)}
    run = {"cache_hits": sum(1 for _, _, hit in outcomes if hit)}
    return [p for p, _, _ in outcomes], stats, run


def _rewrite_one(chat: JsonChat, problem: Problem) -> tuple[Problem, str, bool]:
    """(the problem to keep, "rewritten" or why not, whether the reply came from the cache)."""
    from wmbench.build.gates import TEXT_GATES, first_failure

    answer = chat.ask(request_messages(problem))
    if answer.reply is None:
        return problem, f"call failed: {answer.failure}", False
    rewritten = problem.replace(background=answer.reply["background"].strip(),
                                question_text=answer.reply["question_text"].strip())
    failure = first_failure(rewritten, TEXT_GATES)
    if failure:
        return problem, f"rewrite rejected by gate {failure.split(':', 1)[0]}", answer.cache_hit
    return rewritten, _REWRITTEN, answer.cache_hit

"""Optional: an LLM rewrites each problem's question and background (the request and its
reply's schema; ``rewrite_all`` in :mod:`wmbench.build.llm_stages` runs it behind the gates).

Each reply must be a JSON object matching :data:`REPLY_SCHEMA`; the shared client
(:mod:`wmbench.llm_client`) caches valid replies under ``OUT/.cache/llm/`` by a hash of
the request, retries with backoff and runs at most ``concurrency`` calls at a time. A call that
still fails, or a rewrite that fails the text gates, leaves the template text in place and is
counted by reason — the build never fails for it.
"""

from __future__ import annotations

import json
from typing import Any

from wmbench.llm_client import LLM_CACHE_DIR, LLMConfig, request_hash
from wmbench.schema import Problem

__all__ = ["LLM_CACHE_DIR", "REPLY_SCHEMA", "LLMConfig", "request_hash", "request_messages"]

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


def request_messages(problem: Problem) -> list[dict[str, str]]:
    payload = {"type": problem.type, "background": problem.background, "question_text": problem.question_text,
               "equation": problem.equation}
    return [{"role": "system", "content": _SYSTEM},
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]

"""Optional: an LLM rewrites each problem's question and background.

Any OpenAI-compatible endpoint (``vllm serve``, a hosted API) through the ``openai`` client.
Each reply must be a JSON object matching :data:`REPLY_SCHEMA`; valid replies are cached on
disk under ``OUT/.cache/llm/`` by a hash of the request, so a rebuild asks nothing twice and
gives the same text. Calls are retried with exponential backoff and run at most
``concurrency`` at a time. A call that still fails, or a rewrite that fails the text gates,
leaves the template text in place and is counted by reason — the build never fails for it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wmbench.schema import Problem
from wmbench.storage import atomic_write_text

LLM_CACHE_DIR = Path(".cache") / "llm"
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


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str = "not-needed"
    timeout: float = 30.0  # seconds per call
    retries: int = 2  # further attempts after the first
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    concurrency: int = 4
    temperature: float = 0.0


class _Failed(Exception):
    """A call that gave no usable reply; ``reason`` is counted in the report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def request_messages(problem: Problem) -> list[dict[str, str]]:
    payload = {"type": problem.type, "background": problem.background, "question_text": problem.question_text,
               "equation": problem.equation}
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]


def request_hash(config: LLMConfig, messages: list[dict[str, str]]) -> str:
    body = {"model": config.model, "temperature": config.temperature, "messages": messages}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def rewrite_all(problems: list[Problem], config: LLMConfig, out: Path, *,
                progress: bool = False) -> tuple[list[Problem], dict[str, Any], dict[str, int]]:
    """(problems with rewritten text where it succeeded, deterministic stats, run-only stats)."""
    from openai import OpenAI
    from tqdm import tqdm

    client = OpenAI(base_url=config.base_url, api_key=config.api_key, timeout=config.timeout, max_retries=0)
    cache_dir = Path(out) / LLM_CACHE_DIR
    with ThreadPoolExecutor(max_workers=max(1, config.concurrency)) as pool:
        jobs = pool.map(lambda p: _rewrite_one(client, config, cache_dir, p), problems)
        outcomes = list(tqdm(jobs, total=len(problems), desc="rewrite", unit="problem", disable=not progress))
    fallbacks = Counter(reason for _, reason, _ in outcomes if reason != "rewritten")
    stats = {"enabled": True, "model": config.model, "requests": len(problems),
             "rewritten": sum(1 for _, reason, _ in outcomes if reason == "rewritten"),
             "fallbacks": sum(fallbacks.values()), "fallback_reasons": dict(sorted(fallbacks.items()))}
    run = {"cache_hits": sum(1 for _, _, hit in outcomes if hit)}
    return [p for p, _, _ in outcomes], stats, run


def _rewrite_one(client, config: LLMConfig, cache_dir: Path, problem: Problem) -> tuple[Problem, str, bool]:
    from wmbench.build.gates import TEXT_GATES, first_failure

    messages = request_messages(problem)
    key = request_hash(config, messages)
    path = cache_dir / f"{key}.json"
    hit = path.exists()
    try:
        reply = _validate(json.loads(path.read_text(encoding="utf-8"))) if hit else _ask(client, config, messages)
    except (_Failed, OSError, ValueError) as exc:
        return problem, f"call failed: {getattr(exc, 'reason', type(exc).__name__)}", False
    if not hit:
        atomic_write_text(path, json.dumps(reply, ensure_ascii=False, sort_keys=True) + "\n")
    rewritten = problem.replace(background=reply["background"].strip(), question_text=reply["question_text"].strip())
    failure = first_failure(rewritten, TEXT_GATES)
    if failure:
        return problem, f"rewrite rejected by gate {failure.split(':', 1)[0]}", hit
    return rewritten, "rewritten", hit


def _ask(client, config: LLMConfig, messages: list[dict[str, str]]) -> dict[str, str]:
    reason = "no attempt"
    for attempt in range(config.retries + 1):
        if attempt:
            time.sleep(config.backoff * 2 ** (attempt - 1))
        try:
            response = client.chat.completions.create(model=config.model, messages=messages,
                                                      temperature=config.temperature,
                                                      response_format={"type": "json_object"})
            content = response.choices[0].message.content or ""
            return _validate(json.loads(_strip_fence(content)))
        except _Failed as exc:
            reason = exc.reason
        except json.JSONDecodeError:
            reason = "malformed JSON"
        except Exception as exc:
            reason = _error_name(exc)
    raise _Failed(reason)


def _error_name(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    return f"HTTP {status}" if status else type(exc).__name__


def _strip_fence(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[-1].rsplit("```", 1)[0]
    return text


def _validate(reply: Any) -> dict[str, str]:
    """The reply if it matches :data:`REPLY_SCHEMA`; raises _Failed naming the first problem."""
    import jsonschema

    try:
        jsonschema.validate(reply, REPLY_SCHEMA)
    except jsonschema.ValidationError as exc:
        raise _Failed(f"reply does not match the schema ({exc.validator})") from None
    return {"background": reply["background"], "question_text": reply["question_text"]}

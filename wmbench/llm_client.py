"""The one client for wmbench's optional LLM calls: question rewriting, paper/equation selection, the judge.

Any OpenAI-compatible endpoint (``vllm serve``, a hosted API) through the ``openai`` client. A
call sends chat messages and must get back one JSON object matching the caller's JSON schema.
Valid replies are cached on disk by a hash of the request (model, temperature, messages), so a
rerun with the same cache directory asks nothing twice and gives the same answers. Calls are
retried with exponential backoff and run at most ``concurrency`` at a time. A call that still
fails gives an :class:`Answer` with ``reply=None`` and the reason, which the caller counts and
answers with its rule-based fallback — an LLM never fails a build.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar

from wmbench.storage import atomic_write_text

LLM_CACHE_DIR = Path(".cache") / "llm"  # under the build's OUT folder

Messages = list[dict[str, str]]
_T = TypeVar("_T")
_R = TypeVar("_R")


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


@dataclass(frozen=True)
class Answer:
    """One request's outcome: the validated reply, or None and why not; whether it came from the cache."""

    reply: dict[str, Any] | None
    failure: str | None = None
    cache_hit: bool = False


class _Failed(Exception):
    """A call that gave no usable reply; ``reason`` is what gets counted."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class JsonChat:
    """Ask one endpoint for JSON objects matching ``schema``, cached under ``cache_dir``.

    ``with JsonChat(config, schema, cache_dir) as chat: chat.ask_all(messages_list)``
    """

    def __init__(self, config: LLMConfig, schema: dict[str, Any], cache_dir: Path) -> None:
        from openai import OpenAI

        self.config, self.schema, self.cache_dir = config, schema, Path(cache_dir)
        self._client = OpenAI(base_url=config.base_url, api_key=config.api_key, timeout=config.timeout,
                              max_retries=0)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def ask(self, messages: Messages) -> Answer:
        """The cached reply if there is one, else the endpoint's (cached when valid); never raises."""
        path = self.cache_dir / f"{request_hash(self.config, messages)}.json"
        hit = path.exists()
        try:
            reply = validate(json.loads(path.read_text(encoding="utf-8")), self.schema) if hit else self._ask(messages)
        except (_Failed, OSError, ValueError) as exc:
            return Answer(None, getattr(exc, "reason", type(exc).__name__))
        if not hit:
            atomic_write_text(path, json.dumps(reply, ensure_ascii=False, sort_keys=True) + "\n")
        return Answer(reply, cache_hit=hit)

    def map(self, job: Callable[[_T], _R], items: Sequence[_T], *, desc: str = "llm",
            progress: bool = False) -> list[_R]:
        """``job`` on every item, at most ``concurrency`` at a time; results in item order."""
        from tqdm import tqdm

        with ThreadPoolExecutor(max_workers=max(1, self.config.concurrency)) as pool:
            jobs = pool.map(job, items)
            return list(tqdm(jobs, total=len(items), desc=desc, unit="request", disable=not progress))

    def _ask(self, messages: Messages) -> dict[str, Any]:
        reason = "no attempt"
        for attempt in range(self.config.retries + 1):
            if attempt:
                time.sleep(self.config.backoff * 2 ** (attempt - 1))
            try:
                response = self._client.chat.completions.create(
                    model=self.config.model, messages=messages, temperature=self.config.temperature,
                    response_format={"type": "json_object"})
                content = response.choices[0].message.content or ""
                return validate(json.loads(_strip_fence(content)), self.schema)
            except _Failed as exc:
                reason = exc.reason
            except json.JSONDecodeError:
                reason = "malformed JSON"
            except Exception as exc:  # noqa: BLE001 - any transport error is a counted fallback
                reason = _error_name(exc)
        raise _Failed(reason)


def request_hash(config: LLMConfig, messages: Messages) -> str:
    """Cache key: what determines the answer (model, temperature, messages), not where it is served."""
    body = {"model": config.model, "temperature": config.temperature, "messages": messages}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def validate(reply: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """The reply's schema properties if it matches ``schema``; raises _Failed naming the first problem."""
    import jsonschema

    try:
        jsonschema.validate(reply, schema)
    except jsonschema.ValidationError as exc:
        raise _Failed(f"reply does not match the schema ({exc.validator})") from None
    return {key: reply[key] for key in schema["properties"] if key in reply}


def failure_stats(failures: Iterable[str | None], prefix: str = "") -> dict[str, Any]:
    """``{"fallbacks": n, "fallback_reasons": {reason: n}}`` over the failures that are not None."""
    counts = Counter(f"{prefix}{failure}" for failure in failures if failure is not None)
    return {"fallbacks": sum(counts.values()), "fallback_reasons": dict(sorted(counts.items()))}


def _error_name(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    return f"HTTP {status}" if status else type(exc).__name__


def _strip_fence(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[-1].rsplit("```", 1)[0]
    return text

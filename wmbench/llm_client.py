"""The one client for wmbench's optional LLM calls: variable tables, the rubric, selection, rewriting.

Any OpenAI-compatible endpoint (``vllm serve``, a hosted API) through the ``openai`` client. A
call sends chat messages and must get back one JSON object matching the caller's JSON schema,
which is sent as structured output (``response_format`` of type ``json_schema``, which vLLM
enforces while decoding); a server that refuses it is asked for plain JSON instead, and every
reply is parsed and validated here whichever way it came.

Valid replies are cached on disk by a hash of the request (model, temperature, messages, schema)
together with their token usage, so a rerun with the same cache directory asks nothing twice,
gives the same answers and reports the same tokens. A transport failure (timeout, HTTP error)
is retried ``retries`` times with exponential backoff, a reply that does not parse or validate
(or was cut off by the length limit) once. Calls run at most ``concurrency`` at a time, and a
:class:`Meter` shared by the stages of a build counts them against ``max_calls`` and notices a
server that went away (after a few refused connections in a row every further request fails at
once). A request that still fails gives an :class:`Answer` with ``reply=None`` and the reason,
which the caller counts and answers with its rule-based fallback — an LLM never fails a build;
failures are not cached, so a rerun asks them again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Self, TypeVar

from wmbench.storage import atomic_write_text

LLM_CACHE_DIR = Path(".cache") / "llm"  # under the build's OUT folder
DOWN_AFTER = 3  # refused connections in a row after which the server counts as gone

Messages = list[dict[str, str]]
_T = TypeVar("_T")
_R = TypeVar("_R")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: str = "not-needed"
    timeout: float = 30.0  # seconds per call
    retries: int = 2  # further attempts after a transport failure; a bad reply is retried once
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    concurrency: int = 4
    temperature: float = 0.0
    max_calls: int | None = None  # calls to the endpoint per build (retries count), None = no limit
    max_tokens: int | None = None  # completion tokens per call, None = the server's default


@dataclass(frozen=True)
class Answer:
    """One request's outcome: the validated reply, or None and why not; whether it came from the
    cache; the tokens it cost (prompt, completion; as first paid when it came from the cache)."""

    reply: dict[str, Any] | None
    failure: str | None = None
    cache_hit: bool = False
    tokens_in: int = 0
    tokens_out: int = 0


@dataclass
class Meter:
    """What the stages of one build share: the call budget, the usage counters, whether the
    server takes structured output and whether it is still there. Thread-safe."""

    max_calls: int | None = None
    calls: int = 0  # requests sent to the endpoint (retries count)
    failed_calls: int = 0
    structured: bool = True  # cleared when the server refuses a json_schema response_format
    refused_in_a_row: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def down(self) -> bool:
        return self.refused_in_a_row >= DOWN_AFTER

    def take_call(self) -> None:
        with self._lock:
            if self.down:
                raise _Failed("server unreachable")
            if self.max_calls is not None and self.calls >= self.max_calls:
                raise _Failed("call budget exhausted")
            self.calls += 1

    def outcome(self, *, failed: bool, refused: bool = False) -> None:
        with self._lock:
            self.failed_calls += failed
            self.refused_in_a_row = self.refused_in_a_row + 1 if refused else 0

    def run_stats(self) -> dict[str, int | bool]:
        """Run-only figures (they depend on the cache and the server, not on the inputs)."""
        return {"calls": self.calls, "failed_calls": self.failed_calls, "server_went_away": self.down}


@lru_cache(maxsize=8)
def process_meter(config: LLMConfig) -> Meter:
    """One meter per endpoint config in this process: the calls a build worker makes for many
    papers (selection) share one budget, ``config.max_calls``."""
    return Meter(config.max_calls)


class _Failed(Exception):
    """A call that gave no usable reply; ``reason`` is what gets counted."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _BadReply(_Failed):
    """A reply that came but does not parse or validate (retried once, not ``retries`` times)."""


class JsonChat:
    """Ask one endpoint for JSON objects matching ``schema``, cached under ``cache_dir``.

    ``with JsonChat(config, schema, cache_dir, meter=meter) as chat: chat.map(chat.ask, messages_list)``
    """

    def __init__(self, config: LLMConfig, schema: dict[str, Any], cache_dir: Path, *,
                 meter: Meter | None = None, name: str = "reply") -> None:
        from openai import OpenAI

        self.config, self.schema, self.cache_dir, self.name = config, schema, Path(cache_dir), name
        self.meter = meter or Meter(config.max_calls)
        self._client = OpenAI(base_url=config.base_url, api_key=config.api_key, timeout=config.timeout,
                              max_retries=0)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def ask(self, messages: Messages) -> Answer:
        """The cached reply if there is one, else the endpoint's (cached when valid); never raises."""
        path = self.cache_dir / f"{request_hash(self.config, messages, self.schema)}.json"
        try:
            if path.exists():
                reply, usage = _read_cached(path)
                return Answer(validate(reply, self.schema), None, True, *usage)
            reply, usage = self._ask(messages)
        except (_Failed, OSError, ValueError) as exc:
            return Answer(None, getattr(exc, "reason", type(exc).__name__))
        entry = {"reply": reply, "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1]}}
        atomic_write_text(path, json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        return Answer(reply, None, False, *usage)

    def map(self, job: Callable[[_T], _R], items: Sequence[_T], *, desc: str = "llm",
            progress: bool = False) -> list[_R]:
        """``job`` on every item, at most ``concurrency`` at a time; results in item order."""
        from tqdm import tqdm

        with ThreadPoolExecutor(max_workers=max(1, self.config.concurrency)) as pool:
            jobs = pool.map(job, items)
            return list(tqdm(jobs, total=len(items), desc=desc, unit="request", disable=not progress))

    def _ask(self, messages: Messages) -> tuple[dict[str, Any], tuple[int, int]]:
        reason, bad_replies, attempt = "no attempt", 0, 0
        while attempt <= self.config.retries and bad_replies < 2:
            if attempt:
                time.sleep(self.config.backoff * 2 ** (attempt - 1))
            attempt += 1
            self.meter.take_call()
            try:
                reply = self._call(messages)
            except _BadReply as exc:
                self.meter.outcome(failed=True)
                reason, bad_replies = exc.reason, bad_replies + 1
            except Exception as exc:  # noqa: BLE001 - any transport error is a counted fallback
                reason = _error_name(exc)
                self.meter.outcome(failed=True, refused=reason == "APIConnectionError")
                if self._refuses_schema(exc):
                    attempt -= 1  # asked again for plain JSON at once, not counted as a retry
                if self.meter.down:
                    break
            else:
                self.meter.outcome(failed=False)
                return reply
        raise _Failed(reason)

    def _call(self, messages: Messages) -> tuple[dict[str, Any], tuple[int, int]]:
        """One request; the validated reply and its (prompt, completion) tokens."""
        extra = {"max_tokens": self.config.max_tokens} if self.config.max_tokens else {}
        response = self._client.chat.completions.create(
            model=self.config.model, messages=messages, temperature=self.config.temperature,
            response_format=self._response_format(), **extra)
        choice = response.choices[0]
        usage = response.usage
        tokens = (usage.prompt_tokens or 0, usage.completion_tokens or 0) if usage else (0, 0)
        if choice.finish_reason == "length":
            raise _BadReply("truncated reply")
        try:
            reply = json.loads(_strip_fence(choice.message.content or ""))
        except json.JSONDecodeError:
            raise _BadReply("malformed JSON") from None
        return validate(reply, self.schema), tokens

    def _response_format(self) -> dict[str, Any]:
        if self.meter.structured:
            return {"type": "json_schema", "json_schema": {"name": self.name, "schema": self.schema}}
        return {"type": "json_object"}

    def _refuses_schema(self, exc: Exception) -> bool:
        """A 400 that names the response format while structured output was asked: ask plain JSON."""
        if not self.meter.structured or getattr(exc, "status_code", None) != 400:
            return False
        if "response_format" not in str(exc) and "json_schema" not in str(exc):
            return False
        log.warning("the LLM server refuses json_schema structured output; asking for plain JSON and validating here")
        self.meter.structured = False
        return True


def request_hash(config: LLMConfig, messages: Messages, schema: dict[str, Any] | None = None) -> str:
    """Cache key: what determines the answer (model, temperature, messages, reply schema), not where it is served."""
    body: dict[str, Any] = {"model": config.model, "temperature": config.temperature, "messages": messages}
    if schema is not None:
        body["schema"] = schema
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def validate(reply: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """The reply's schema properties if it matches ``schema``; raises _BadReply naming the first problem."""
    import jsonschema

    try:
        _validator(json.dumps(schema, sort_keys=True)).validate(reply)
    except jsonschema.ValidationError as exc:
        raise _BadReply(f"reply does not match the schema ({exc.validator})") from None
    return {key: reply[key] for key in schema["properties"] if key in reply}


@lru_cache(maxsize=32)
def _validator(schema_json: str) -> Any:
    """A validator per schema, checked once (``jsonschema.validate`` checks the schema on every call)."""
    import jsonschema

    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def usage_stats(answers: Iterable[Answer]) -> dict[str, int]:
    """Requests, cache-independent tokens in and out, and failed requests over ``answers``."""
    answers = list(answers)
    return {"requests": len(answers), "tokens_in": sum(a.tokens_in for a in answers),
            "tokens_out": sum(a.tokens_out for a in answers),
            "failed_requests": sum(a.reply is None for a in answers)}


def failure_stats(failures: Iterable[str | None], prefix: str = "") -> dict[str, Any]:
    """``{"fallbacks": n, "fallback_reasons": {reason: n}}`` over the failures that are not None."""
    counts = Counter(f"{prefix}{failure}" for failure in failures if failure is not None)
    return {"fallbacks": sum(counts.values()), "fallback_reasons": dict(sorted(counts.items()))}


def _read_cached(path: Path) -> tuple[Any, tuple[int, int]]:
    """A cache entry's reply and tokens (entries written before usage was kept hold the bare reply)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and set(data) == {"reply", "usage"}:
        usage = data["usage"]
        return data["reply"], (int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0)))
    return data, (0, 0)


def _error_name(exc: Exception) -> str:
    status = getattr(exc, "status_code", None)
    return f"HTTP {status}" if status else type(exc).__name__


def _strip_fence(text: str) -> str:
    """The JSON of a reply: after a reasoning model's ``</think>`` (a server without a reasoning
    parser passes it on) and inside a Markdown code fence."""
    text = text.rsplit("</think>", 1)[-1].strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[-1].rsplit("```", 1)[0]
    return text

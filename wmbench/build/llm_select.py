"""Optional: an LLM second opinion on the Select stage, which can only skip more.

After the lexicon (:mod:`wmbench.build.select`) has chosen a paper's equations, the LLM is asked
once per paper (title, abstract, section names) whether it is a wireless-communications paper
with system-model mathematics (a score in [0, 1] and a reason), and once per kept equation
(cleaned LaTeX and the text around it) whether it is a worthwhile system-model relation (keep or
skip, a category from the lexicon's topics, a reason). A paper scored below
``min_paper_score`` loses all its equations; a skipped equation is recorded as
``"llm: <reason>"`` beside the rule-based skip reasons. Equations the rules skipped are never
sent, so nothing the rules call trivial or malformed comes back.

Calls go through :mod:`wmbench.llm_client` (cache by request hash, retries, concurrency
limit). A failed call (timeout, HTTP error, malformed JSON, schema mismatch) keeps the lexicon's
decision and is counted in the paper's ``stats``; nothing here raises for the endpoint's sake.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from wmbench.build.select import TOPIC_NAMES, Selected
from wmbench.llm_client import LLM_CACHE_DIR, Answer, JsonChat, LLMConfig, failure_stats, process_meter
from wmbench.paper import Paper

PROMPT_VERSION = "1"  # bump when the prompts or schemas change: answers (and paper caches) change
CATEGORIES: tuple[str, ...] = TOPIC_NAMES

PAPER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "reason": {"type": "string", "minLength": 1, "maxLength": 1000},
    },
    "required": ["score", "reason"],
}
EQUATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "keep": {"type": "boolean"},
        "category": {"enum": list(CATEGORIES)},
        "reason": {"type": "string", "minLength": 1, "maxLength": 1000},
    },
    "required": ["keep", "category", "reason"],
}
_PAPER_SYSTEM = (
    "You screen papers for a wireless-communications math benchmark. Given a paper's title, abstract "
    "and section names, judge whether it is a wireless-communications paper whose system model is "
    'written in mathematics. Reply with one JSON object {"score": a number from 0 to 1, "reason": one '
    "short sentence} and nothing else."
)
_EQUATION_SYSTEM = (
    "You screen equations for a wireless-communications math benchmark. Given one display equation "
    "of a paper and the text around it, judge whether it is a worthwhile system-model relation (a "
    "signal model, rate, SINR, capacity, outage, constraint, objective or channel model), not a "
    "definition, notation or a step of a proof. Reply with one JSON object "
    '{"keep": true or false, "category": one of ' + json.dumps(list(CATEGORIES)) + ', "reason": one '
    "short sentence} and nothing else."
)
_SPACES = re.compile(r"\s+")
_MAX_REASON_CHARS = 200  # skip reasons are counted by text in the report: keep them one short line


@dataclass(frozen=True)
class LLMSelectConfig:
    """The endpoint, where its answers are cached, and how its answers are used."""

    llm: LLMConfig
    cache_dir: Path  # usually OUT/.cache/llm, shared with the rewrite stage
    min_paper_score: float = 0.5  # a paper scored below this loses all its equations
    topic_source: Literal["llm", "lexicon"] = "llm"  # whose category names a kept equation's topic
    context_chars: int = 400  # text sent from before (and, halved, after) each equation

    @classmethod
    def for_build(cls, llm: LLMConfig, out: Path, workers: int = 1) -> LLMSelectConfig:
        """The selection config of a build: each of its ``workers`` processes gets an equal share
        of the concurrency limit, so the endpoint never sees more than ``llm.concurrency`` calls,
        and of the call budget (the later LLM stages get what selection left)."""
        workers = max(1, workers)
        budget = None if llm.max_calls is None else llm.max_calls // workers
        share = replace(llm, concurrency=max(1, llm.concurrency // workers), max_calls=budget)
        return cls(llm=share, cache_dir=Path(out) / LLM_CACHE_DIR)

    def fingerprint(self) -> str:
        """What changes the answers (not the endpoint's address, timeouts or cache place): fold it
        into the per-paper cache key so a resumed build never mixes selections."""
        knobs = {"model": self.llm.model, "temperature": self.llm.temperature, "prompt": PROMPT_VERSION,
                 "min_paper_score": self.min_paper_score, "topic_source": self.topic_source,
                 "context_chars": self.context_chars}
        digest = hashlib.sha256(json.dumps(knobs, sort_keys=True).encode()).hexdigest()[:16]
        return f"llm-select-{digest}"


@dataclass(frozen=True)
class LLMSelection:
    """The equations still kept, the LLM's skip reasons by equation index, the paper's skip reason
    if the LLM rejected the whole paper, deterministic ``stats`` and the run-only cache hits."""

    kept: tuple[Selected, ...]
    skipped: dict[int, str]
    paper_reason: str | None
    stats: dict[str, Any]
    cache_hits: int = 0
    calls: int = 0  # requests sent to the endpoint (run-only, like cache_hits)


def llm_filter(paper: Paper, selected: Iterable[Selected], config: LLMSelectConfig) -> LLMSelection:
    """Ask about the paper, then about each selected equation; skip what the LLM rejects."""
    selected = tuple(selected)
    if not selected:
        return LLMSelection((), {}, None, _stats([], 0, False))
    meter = process_meter(config.llm)
    calls_before = meter.calls
    with JsonChat(config.llm, PAPER_SCHEMA, config.cache_dir, meter=meter, name="paper") as chat:
        verdict = chat.ask(paper_messages(paper))
    answers: list[Answer] = [verdict]
    rejected = verdict.reply is not None and verdict.reply["score"] < config.min_paper_score
    if rejected:
        why = f"llm: paper off-topic (score {verdict.reply['score']:.2f}): {_one_line(verdict.reply['reason'])}"
        return LLMSelection((), {s.index: why for s in selected}, why, _stats(answers, 0, True),
                            int(verdict.cache_hit), meter.calls - calls_before)
    with JsonChat(config.llm, EQUATION_SCHEMA, config.cache_dir, meter=meter, name="equation") as chat:
        replies = chat.map(lambda s: chat.ask(equation_messages(paper, s, config)), selected)
    kept: list[Selected] = []
    skipped: dict[int, str] = {}
    for chosen, answer in zip(selected, replies, strict=True):
        if answer.reply is None:
            kept.append(chosen)  # the lexicon's decision stands
        elif not answer.reply["keep"]:
            skipped[chosen.index] = f"llm: {_one_line(answer.reply['reason'])}"
        else:
            kept.append(replace(chosen, topic=answer.reply["category"]) if config.topic_source == "llm" else chosen)
    answers += replies
    return LLMSelection(tuple(kept), skipped, None, _stats(answers, len(skipped), False),
                        sum(a.cache_hit for a in answers), meter.calls - calls_before)


def paper_messages(paper: Paper) -> list[dict[str, str]]:
    payload = {"title": paper.title, "abstract": paper.abstract[:3000], "sections": list(paper.sections)}
    return [{"role": "system", "content": _PAPER_SYSTEM},
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]


def equation_messages(paper: Paper, chosen: Selected, config: LLMSelectConfig) -> list[dict[str, str]]:
    equation = chosen.equation
    payload = {"paper_title": paper.title, "section": equation.section or "", "equation": chosen.latex,
               "text_before": equation.context_before[-config.context_chars:],
               "text_after": equation.context_after[: config.context_chars // 2]}
    return [{"role": "system", "content": _EQUATION_SYSTEM},
            {"role": "user", "content": json.dumps(payload, ensure_ascii=False)}]


def summarize(stats: Iterable[dict[str, Any] | None]) -> dict[str, Any]:
    """The build report's ``llm_select`` section: the papers' ``stats`` added up (None = LLM off)."""
    present = [s for s in stats if s]
    if not present:
        return {"enabled": False}
    reasons: dict[str, int] = {}
    for s in present:
        for reason, n in s["fallback_reasons"].items():
            reasons[reason] = reasons.get(reason, 0) + n
    total = {key: sum(s[key] for s in present)
             for key in ("requests", "papers_rejected", "equations_skipped", "fallbacks")}
    return {"enabled": True, **total, "fallback_reasons": dict(sorted(reasons.items()))}


def _stats(answers: list[Answer], equations_skipped: int, paper_rejected: bool) -> dict[str, Any]:
    failures = [a.failure for a in answers]
    tagged = [f"paper call failed: {failures[0]}" if failures and failures[0] else None,
              *(f"equation call failed: {f}" if f else None for f in failures[1:])]
    return {"requests": len(answers), "papers_rejected": int(paper_rejected),
            "equations_skipped": equations_skipped, **failure_stats(tagged)}


def _one_line(text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= _MAX_REASON_CHARS else text[: _MAX_REASON_CHARS - 3].rstrip() + "..."


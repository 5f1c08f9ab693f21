"""The quality rubric: an LLM scores every problem on six dimensions, and a threshold keeps the good ones.

WirelessMathBench-XL scored each candidate on question clarity, background relevance, answer
accuracy, technical appropriateness, mathematical rigour and wireless relevance (1–5) and kept
those at 3 or more. Here one call per problem sends the problem (and its answer, which the judge
needs to judge accuracy) through the versioned prompt ``templates/llm/rubric.v1.jinja``; the
reply's scores and one-line reasons go into the record's optional ``quality`` field, with the
prompt version and the model. :func:`filter_quality` drops problems whose lowest score is below
the threshold, each with its reason. A failed call leaves the problem unscored (and kept); it is
counted. The judge only judges: nothing it says changes an equation, an answer or an option.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wmbench.llm_client import Answer, JsonChat, LLMConfig, failure_stats, usage_stats
from wmbench.schema import Problem
from wmbench.templating import load_template

RUBRIC_PROMPT = "llm/rubric.v1.jinja"  # a new file (and version) whenever the prompt changes
RUBRIC_VERSION = "rubric-v1"
DIMENSIONS: tuple[str, ...] = ("question_clarity", "background_relevance", "answer_accuracy",
                               "technical_appropriateness", "mathematical_rigour", "wireless_relevance")
SCORES = range(1, 6)
_SCORED = {"type": "object", "properties": {
    "score": {"type": "integer", "minimum": 1, "maximum": 5},
    "reason": {"type": "string", "minLength": 1, "maxLength": 400},
}, "required": ["score", "reason"]}
RUBRIC_SCHEMA: dict[str, Any] = {"type": "object", "properties": {d: _SCORED for d in DIMENSIONS},
                                 "required": list(DIMENSIONS)}


def rubric_messages(problem: Problem) -> list[dict[str, str]]:
    """The chat messages that ask for one problem's scores."""
    template = load_template(RUBRIC_PROMPT, keep_trailing_newline=False)
    answer = problem.correct_answer
    if problem.type == "MCQ" and problem.options:
        answer = f"{answer}: {problem.options.get(answer.strip(), '')}"
    payload = {"type": problem.type, "background": problem.background, "question": problem.question_text,
               "equation": problem.equation, "options": problem.options, "correct_answer": answer,
               "paper_title": problem.paper_title or ""}
    return [{"role": "system", "content": template.render(role="system", payload_json="")},
            {"role": "user", "content": template.render(role="user", payload_json=json.dumps(payload, ensure_ascii=False))}]


def quality_of(reply: dict[str, Any], model: str) -> dict[str, Any]:
    """The record's ``quality`` field from a validated reply."""
    return {"version": RUBRIC_VERSION, "model": model,
            "scores": {d: int(reply[d]["score"]) for d in DIMENSIONS},
            "reasons": {d: " ".join(str(reply[d]["reason"]).split()) for d in DIMENSIONS},
            "min": min(int(reply[d]["score"]) for d in DIMENSIONS)}


def score_problems(problems: list[Problem], chat: JsonChat, *, progress: bool = False
                   ) -> tuple[list[Problem], dict[str, Any], list[Answer]]:
    """(problems with ``quality`` where the call succeeded, deterministic stats, the answers)."""
    replies = chat.map(lambda p: chat.ask(rubric_messages(p)), problems, desc="rubric", progress=progress)
    scored = [p.replace(extra={**p.extra, "quality": quality_of(a.reply, chat.config.model)}) if a.reply else p
              for p, a in zip(problems, replies, strict=True)]
    stats = {"prompt_version": RUBRIC_VERSION, "scored": sum(a.reply is not None for a in replies),
             **failure_stats(None if a.reply else f"call failed: {a.failure}" for a in replies),
             "distribution": distribution(scored), "usage": usage_stats(replies)}
    return scored, stats, replies


def distribution(problems: Iterable[Problem]) -> dict[str, dict[str, int]]:
    """How many problems got each score, by dimension (scored problems only)."""
    counts: dict[str, Counter[int]] = {d: Counter() for d in DIMENSIONS}
    for problem in problems:
        quality = problem.extra.get("quality")
        if isinstance(quality, dict):
            for d in DIMENSIONS:
                counts[d][quality["scores"][d]] += 1
    return {d: {str(s): counts[d][s] for s in SCORES} for d in DIMENSIONS}


def filter_quality(problems: list[Problem], threshold: int) -> tuple[list[Problem], list[dict[str, str]]]:
    """(the problems kept, ``{"problem_id", "reason"}`` for each dropped one). A problem is dropped
    when a dimension scores below ``threshold``; unscored problems are kept."""
    kept: list[Problem] = []
    dropped: list[dict[str, str]] = []
    for problem in problems:
        quality = problem.extra.get("quality")
        low = [d for d in DIMENSIONS if isinstance(quality, dict) and quality["scores"][d] < threshold]
        if low:
            worst = min(low, key=lambda d: (quality["scores"][d], DIMENSIONS.index(d)))
            dropped.append({"problem_id": problem.problem_id,
                            "reason": f"{worst} {quality['scores'][worst]} < {threshold}: {quality['reasons'][worst]}"})
        else:
            kept.append(problem)
    return kept, dropped


QUALITY_FILE = "quality.jsonl"  # in a reviewed build: one {"problem_id", "quality"} line per scored problem


def review_build(problems: list[Problem], llm: LLMConfig, cache_dir: Path, *, progress: bool = False
                 ) -> tuple[list[Problem], dict[str, Any]]:
    """The rubric on an existing build (``wmbench review --llm-base-url``): (problems with their
    scores, the stats). Replies are cached under ``cache_dir`` (the build's own LLM cache, so a
    build that already ran the rubric with the same model is not asked again)."""
    with JsonChat(llm, RUBRIC_SCHEMA, cache_dir, name="rubric") as chat:
        scored, stats, _ = score_problems(problems, chat, progress=progress)
    return scored, stats


def quality_lines(problems: Iterable[Problem]) -> str:
    """The JSONL text of :data:`QUALITY_FILE`: scored problems in id order."""
    rows = sorted((p.problem_id, p.extra["quality"]) for p in problems if isinstance(p.extra.get("quality"), dict))
    return "".join(json.dumps({"problem_id": pid, "quality": q}, ensure_ascii=False, sort_keys=True) + "\n"
                   for pid, q in rows)

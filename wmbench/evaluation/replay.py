"""``wmbench-replay``: an lm-eval model that answers from saved responses.

Responses produced anywhere (an API, a vLLM batch job, a notebook) are scored through the very
same tasks: write one JSON line per response, ``{"problem_id": ..., "response": ...}``, with an
optional ``"task"`` (e.g. ``wmbench_aime24``) when ids repeat across benchmarks, and run::

    wmbench eval --model wmbench-replay --model-args responses=out.jsonl,model=my-api-model ...

Each request carries its document, whose ``problem_id`` picks the responses; several lines for
one id serve ``repeats`` in file order. ``model=`` only names the run (the results folder).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Literal

import lm_eval.models  # noqa: F401  fill lm-eval's lazy model registry before adding to it
from lm_eval.api.model import LM
from lm_eval.api.registry import register_model

from wmbench.errors import SchemaError
from wmbench.storage import iter_json_lines
from wmbench.verify.score_file import response_fields

MODEL_NAME = "wmbench-replay"
OnMissing = Literal["error", "empty"]


def read_responses(path: str | Path) -> dict[tuple[str | None, str], list[str]]:
    """Saved responses keyed by ``(task or None, problem_id)``, in file order."""
    path = Path(path)
    if not path.is_file():
        raise SchemaError(str(path), "responses file not found")
    table: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    with open(path, encoding="utf-8") as handle:
        for where, row in iter_json_lines(handle, path):
            fields = response_fields(row)
            if isinstance(fields, str):
                raise SchemaError(where, fields)
            table[(row.get("task"), fields[0])].append(fields[1])
    return dict(table)


@register_model(MODEL_NAME)
class ReplayLM(LM):
    """Answers ``generate_until`` requests with saved responses; no likelihoods."""

    def __init__(self, responses: str, model: str | None = None, on_missing: OnMissing = "error", **_: Any) -> None:
        super().__init__()
        if on_missing not in ("error", "empty"):
            raise SchemaError("wmbench-replay", f"on_missing must be 'error' or 'empty', got {on_missing!r}")
        self.path = str(responses)
        self.model = model or Path(self.path).stem
        self.on_missing = on_missing
        self._table = read_responses(self.path)

    def generate_until(self, requests: list[Any], disable_tqdm: bool = False) -> list[str]:
        """One saved response per request; the n-th request for an id gets its n-th response."""
        served: dict[tuple[str | None, str], int] = defaultdict(int)
        out = []
        for request in requests:
            key = self._key(request)
            answers = self._table.get(key, [])
            index = served[key]
            served[key] += 1
            if index < len(answers):
                out.append(answers[index])
            elif self.on_missing == "empty":
                out.append("")
            else:
                raise SchemaError(
                    self.path,
                    f"no response #{index + 1} for problem {key[1]!r} (task {request.task_name}); "
                    "add it or pass on_missing=empty",
                )
        return out

    def _key(self, request: Any) -> tuple[str | None, str]:
        if "problem_id" not in request.doc:
            raise SchemaError(str(request.task_name), "wmbench-replay answers wmbench tasks only (documents with a problem_id)")
        problem_id = str(request.doc["problem_id"])
        task_key = (request.task_name, problem_id)
        return task_key if task_key in self._table else (None, problem_id)

    def loglikelihood(self, requests: list[Any], disable_tqdm: bool = False) -> list[tuple[float, bool]]:
        raise NotImplementedError("wmbench-replay only answers generate_until tasks")

    def loglikelihood_rolling(self, requests: list[Any], disable_tqdm: bool = False) -> list[float]:
        raise NotImplementedError("wmbench-replay only answers generate_until tasks")

    @property
    def tokenizer_name(self) -> str:
        return MODEL_NAME

    def apply_chat_template(self, chat_history: list[dict[str, str]], add_generation_prompt: bool = True) -> str:
        """Saved responses do not depend on the prompt; join the turns for the samples file."""
        return "\n\n".join(turn["content"] for turn in chat_history)

    def chat_template(self, chat_template: bool | str = False) -> str:
        return ""

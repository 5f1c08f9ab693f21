"""Turn a document's model responses into verdicts and per-document metrics.

The tasks' filter calls :func:`wireless_verdicts` / :func:`math_verdicts`, so lm-eval's samples
file keeps, per response, the extracted answers and the verifier's reason: ``filtered_resps``
holds one JSON object string per response (``Verdict.to_dict()``; lm-eval writes list items
as strings, so JSON keeps them readable with ``json.loads``).
``process_results`` then calls :func:`sample_metrics` on those verdicts:

* ``acc``: the first response is correct (greedy accuracy when ``repeats`` is 1);
* ``mean@k``: the fraction of the ``k = repeats`` responses that are correct;
* ``pass@k``: the unbiased pass@k estimate with ``n = k`` samples, i.e. at least one correct.

All answer checking is :mod:`wmbench.verify`; nothing here compares answers itself.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Sequence

METRICS: tuple[str, ...] = ("acc", "mean@k", "pass@k")


def wireless_verdicts(resps: Iterable[Sequence[str]], docs: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """lm-eval ``custom`` filter: each wireless document's responses → verdict JSON strings."""
    from wmbench.evaluation.data_source import doc_to_problem
    from wmbench.verify import verify_problem

    out = []
    for responses, doc in zip(resps, docs):
        problem = doc_to_problem(doc)
        out.append([_verdict_json(verify_problem(_text(r), problem)) for r in responses])
    return out


def math_verdicts(resps: Iterable[Sequence[str]], docs: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """lm-eval ``custom`` filter: each maths document's responses → verdict JSON strings."""
    from wmbench.verify import verify_math

    return [[_verdict_json(verify_math(_text(r), doc["answer"])) for r in responses] for responses, doc in zip(resps, docs)]


def sample_metrics(correct: Sequence[bool]) -> dict[str, float]:
    """``acc``, ``mean@k`` and ``pass@k`` of one document's per-response correctness (``k = n``)."""
    from wmbench.metrics import mean_at_k, pass_at_k

    n = len(correct)
    if n == 0:
        return {name: 0.0 for name in METRICS}
    return {
        "acc": float(bool(correct[0])),
        "mean@k": mean_at_k(correct),
        "pass@k": float(pass_at_k(n, sum(map(bool, correct)), n)),
    }


def process_results(doc: Mapping[str, Any], results: Sequence[Sequence[str]]) -> dict[str, float]:
    """lm-eval ``process_results``: ``results`` holds one request's filtered verdict list."""
    return sample_metrics([json.loads(verdict)["correct"] for verdict in results[0]])


def _verdict_json(verdict: Any) -> str:
    data = verdict.to_dict()
    data = {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _text(response: Any) -> str:
    """A response as text (API backends may hand back ``None`` for an empty completion)."""
    return response if isinstance(response, str) else ""

"""Child process of :mod:`wmbench.verify.timeout`: JSON lines ``{"gold", "pred", "mode"}`` in, ``{"result", "extracted"}`` out.

Three modes:

* ``scalar``: the scalar-algebra check of renamed expressions (sympy results only);
* ``general``: math-verify on two answers, as lm-eval uses it on general maths (its own
  normalisation of units, ``\\text``, percentages; string answers allowed);
* ``full``: math-verify's own parse-and-verify of a whole response with its default extraction
  (``extracted`` is the answer it found). A verdict that rests on math-verify's first-number
  fallback (``$4\\sqrt{2}.$`` read as 4) is refused: the extracted text, boxed on its own, must
  parse to the same value.

Answers are always handed over boxed, never as ``$..$``, which enables that fallback.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time


def _boxed(text: str) -> list:
    from math_verify import parse

    return parse(f"\\boxed{{{text}}}", parsing_timeout=None)


def _verdict(gold: str, pred: str, mode: str = "scalar") -> tuple[bool | None, str | None]:
    import sympy
    from math_verify import parse, verify

    if mode == "full":
        return _full(gold, pred)
    parsed_gold, parsed_pred = _boxed(gold), _boxed(pred)
    if not parsed_gold or not parsed_pred:
        return None, None
    if mode == "general":
        return bool(verify(parsed_gold, parsed_pred, timeout_seconds=None)), None
    if not isinstance(parsed_gold[0], sympy.Basic) or not isinstance(parsed_pred[0], sympy.Basic):
        return None, None
    return bool(verify(parsed_gold[:1], parsed_pred[:1], timeout_seconds=None)), None


def _full(gold: str, response: str) -> tuple[bool | None, str | None]:
    from math_verify import parse, verify

    reference = gold if ("\\boxed" in gold or "$" in gold) else f"${gold}$"
    parsed_gold, parsed_pred = parse(reference, parsing_timeout=None), parse(response, parsing_timeout=None)
    if not parsed_gold or not parsed_pred:
        return None, None
    extracted = str(parsed_pred[-1])
    if not verify(parsed_gold, parsed_pred, timeout_seconds=None):
        return False, extracted
    alone = _boxed(extracted)
    if len(parsed_pred) > 1 and (not alone or str(alone[0]) != str(parsed_pred[0])):
        return False, extracted  # the first-number fallback
    return True, extracted


def _exit_with_parent() -> None:
    """Leave as soon as the parent is gone, even in the middle of a long sympy computation."""
    parent = os.getppid()
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def main() -> None:
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    out = sys.stdout
    sys.stdout = sys.stderr  # anything a library prints must not corrupt the protocol
    _verdict("x + 1", "1 + x")  # import and warm math-verify before saying we are ready
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        try:
            request = json.loads(line)
            result, extracted = _verdict(request["gold"], request["pred"], request.get("mode", "scalar"))
        except Exception:
            result, extracted = None, None
        out.write(json.dumps({"result": result, "extracted": extracted}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()

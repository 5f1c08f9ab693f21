"""Child process of :mod:`wmbench.verify.timeout`: JSON lines ``{"gold", "pred", "general"}`` in, ``{"result"}`` out.

Two modes: the scalar-algebra check of renamed expressions (sympy results only), and, with
``general``, math-verify exactly as lm-eval uses it on general maths (its own normalisation of
units, ``\\text``, percentages; string answers allowed).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time


def _verdict(gold: str, pred: str, general: bool = False) -> bool | None:
    import sympy
    from math_verify import parse, verify

    if general:
        parsed_gold = parse(f"\\boxed{{{gold}}}", parsing_timeout=None)
        parsed_pred = parse(f"\\boxed{{{pred}}}", parsing_timeout=None)
        if not parsed_gold or not parsed_pred:
            return None
        return bool(verify(parsed_gold, parsed_pred, timeout_seconds=None))
    parsed_gold = parse(f"${gold}$", parsing_timeout=None)
    parsed_pred = parse(f"${pred}$", parsing_timeout=None)
    if not parsed_gold or not parsed_pred:
        return None
    if not isinstance(parsed_gold[0], sympy.Basic) or not isinstance(parsed_pred[0], sympy.Basic):
        return None
    return bool(verify(parsed_gold[:1], parsed_pred[:1], timeout_seconds=None))


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
            result = _verdict(request["gold"], request["pred"], bool(request.get("general")))
        except Exception:
            result = None
        out.write(json.dumps({"result": result}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()

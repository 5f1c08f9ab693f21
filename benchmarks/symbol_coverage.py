"""How many problems of a build define every symbol of their equation.

Prints, for each build directory given: problems, problems with no undefined symbol (and the
share), undefined symbols out of all symbols of the problems' equations, the most frequent
undefined symbols, and the gate failures.

    .venv/bin/wmbench build --papers examples/papers --out /tmp/build --workers 2
    .venv/bin/python benchmarks/symbol_coverage.py /tmp/build [/tmp/other_build ...]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from wmbench.generate.background import equation_symbols
from wmbench.storage import read_problems


def coverage(build: Path) -> dict[str, object]:
    """The coverage figures of one build directory."""
    problems = read_problems(build / "problems.jsonl")
    undefined = [list(p.extra.get("undefined_symbols", [])) for p in problems]
    n_symbols = sum(len(equation_symbols(str(p.extra.get("source_equation", "")).strip("$"))) for p in problems)
    report = json.loads((build / "build_report.json").read_text(encoding="utf-8"))
    return {
        "problems": len(problems),
        "fully_defined": sum(1 for u in undefined if not u),
        "undefined_total": sum(len(u) for u in undefined),
        "symbols_total": n_symbols,
        "top_undefined": Counter(s for u in undefined for s in u).most_common(10),
        "gate_failures": report.get("gate_failures", {}),
    }


def main(paths: list[str]) -> None:
    for path in paths:
        c = coverage(Path(path))
        share = c["fully_defined"] / max(1, c["problems"])
        print(f"{path}: problems {c['problems']}, every symbol defined {c['fully_defined']} ({share:.1%}), "
              f"undefined symbols {c['undefined_total']} of {c['symbols_total']}")
        print(f"  gate failures: {c['gate_failures'] or 'none'}")
        print("  most often undefined: " + ", ".join(f"{s} ({n})" for s, n in c["top_undefined"]))


if __name__ == "__main__":
    main(sys.argv[1:])

"""What a solver meets in a build's problems: giveaway distractors, split words, names, backgrounds.

Prints, for each build directory given (problems.jsonl or its parquet data):

* from ``wmbench review`` (:func:`wmbench.review.review`): MCQs with a distractor that is the
  whole answer negated or an ambiguous one (``\\ln`` or ``\\log_2`` for a bare ``\\log``), problems
  with a word split by a blank, backgrounds with list bullets, undefined symbols per problem;
* problems listing a letter of a word as an undefined symbol (the T of TXOP);
* backgrounds that open with the boilerplate "This problem is based on the paper", that give a
  dimension or set (``\\in\\mathbb{C}^{...}``, "N x 1 vector"), and that give a unit or a domain
  ("in dB", "(W)", ``\\in[0,2\\pi)``, ``>0``);
* questions that name the equation after a topic ("the achievable rate equation") or point at
  "the equation described in the background".

    .venv/bin/wmbench build --papers ../shared/real-papers/papers --out /tmp/build --seed 0
    .venv/bin/python benchmarks/generate_quality.py /tmp/build [/tmp/other_build ...]

``benchmarks/real_papers.py`` builds the real papers itself and reports every lint class, and the
dimension share among the problems whose paper states one.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from wmbench.review import review
from wmbench.storage import read_problems

# A word inside maths: three or more letters not spelling a command (TXOP, error, max).
_WORD_RUN = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")
_DIMENSION = re.compile(r"\\in\s*\\mathbb\{[CR]\}\s*\^|\\times\s*1\b|\b\w+\s*\\times\s*\w+\$?\s+(?:vector|matrix)"
                        r"|\$[^$]*\\times[^$]*\$\s+(?:vector|matrix)")
_UNIT = re.compile(r"\((?:in\s+)?(?:dB[mWi]?|W|mW|Hz|kHz|MHz|GHz|m|km|s|ms|bits?/s(?:/Hz)?|bps(?:/Hz)?|rad|radians|"
                   r"meters?|seconds?|watts?|degrees?|J|joules?)\)|\bin\s+(?:dB[mWi]?|Hz|kHz|MHz|GHz|W|mW|watts?|"
                   r"meters?|seconds?|radians?|degrees?|bits?/s(?:/Hz)?|bps(?:/Hz)?|Joules?)\b")
_DOMAIN = re.compile(r"\\in\s*[\[(]|\\in\s*\\mathbb\{[RNZ]\}(?![\s^]*\^)|\$[^$]*(?:>|\\geq?|<|\\leq?)\s*0\s*\$")
_BOILERPLATE = "This problem is based on the paper"
_TOPIC_NAMED = re.compile(r"the (?:achievable rate|SINR|channel capacity|outage probability|received signal model|"
                          r"channel model|energy and power model|system model|probability expression|constraint|"
                          r"optimization problem) equation\b")  # the topic template; the paper's own words do not count


def _word_letters_flagged(problem) -> bool:
    """Whether a letter of a word (the T of TXOP, the l of logp) is listed as an undefined symbol:
    every occurrence of that letter in the equation lies inside a word."""
    source = str(problem.extra.get("source_equation", "")).strip("$")
    words = [(m.start(), m.end()) for m in _WORD_RUN.finditer(source)]
    for symbol in problem.extra.get("undefined_symbols", []):
        spots = [m.start() for m in re.finditer(rf"(?<![\\A-Za-z]){re.escape(symbol)}|(?<=[A-Za-z]){re.escape(symbol)}", source)] \
            if re.fullmatch(r"[A-Za-z]", symbol) else []
        if spots and all(any(s <= at < e for s, e in words) for at in spots):
            return True
    return False


def quality(build: Path) -> dict[str, float]:
    problems = read_problems(build)
    found = review(problems)
    mcqs = [f for f in found.findings if f.type == "MCQ"]
    n = max(1, len(problems))
    backgrounds = [p.background for p in problems]
    return {
        "problems": len(problems),
        "mcq": len(mcqs),
        "mcq_negated": found.negated_share_of_mcq(),
        "mcq_ambiguous": sum("ambiguous_distractor" in f.defects for f in mcqs) / max(1, len(mcqs)),
        "split_word": found.share("split_word"),
        "bullets": found.share("bullets"),
        "word_letters_flagged": sum(_word_letters_flagged(p) for p in problems) / n,
        "undefined_per_problem": found.undefined_total / n,
        "boilerplate_opening": sum(b.startswith(_BOILERPLATE) for b in backgrounds) / n,
        "dimension": sum(bool(_DIMENSION.search(b)) for b in backgrounds) / n,
        "unit_or_domain": sum(bool(_UNIT.search(b) or _DOMAIN.search(b)) for b in backgrounds) / n,
        "topic_named_question": sum(bool(_TOPIC_NAMED.search(p.question_text)) for p in problems) / n,
        "described_in_background": sum("described in the background" in p.question_text for p in problems) / n,
    }


def main(paths: list[str]) -> None:
    for path in paths:
        q = quality(Path(path))
        print(f"{path}: {q['problems']} problems, {q['mcq']} MCQs")
        for key, value in q.items():
            if key not in ("problems", "mcq"):
                print(f"  {key:26s} {value:.3f}" if key == "undefined_per_problem" else f"  {key:26s} {value:.1%}")


if __name__ == "__main__":
    main(sys.argv[1:])

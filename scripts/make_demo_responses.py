"""Write oracle and wrong model responses for a problem file (the demo's stand-in for a model)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from wmbench.schema import OPTION_LETTERS
from wmbench.storage import read_problems
from wmbench.verify import extract_boxed


def main(dataset: str, out: str) -> None:
    oracle, wrong = [], []
    for problem in read_problems(dataset):
        if problem.type == "MCQ":
            good = f"\\boxed{{{problem.correct_answer}}}"
            other = next(letter for letter in OPTION_LETTERS if letter != problem.correct_answer)
            bad = f"\\boxed{{{other}}}"
        else:
            golds = extract_boxed(problem.correct_answer)[: problem.n_blanks]
            good = "Step by step, the answers are " + ", ".join(f"\\boxed{{{g}}}" for g in golds)
            bad = ", ".join(["\\boxed{0}"] * problem.n_blanks)
        oracle.append({"problem_id": problem.problem_id, "response": good})
        wrong.append({"problem_id": problem.problem_id, "response": bad})
    for name, rows in (("oracle", oracle), ("wrong", wrong)):
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        Path(out, f"{name}.jsonl").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    Path(sys.argv[2]).mkdir(parents=True, exist_ok=True)
    main(*sys.argv[1:3])

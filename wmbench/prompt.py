"""The one prompt template (Background / Question / Equation / Options / answer format).

lm-eval tasks, ``wmbench build`` and notebooks all call :func:`render_prompt`, so a problem is
shown to a model the same way everywhere.
"""

from __future__ import annotations

from wmbench.schema import Problem
from wmbench.templating import load_template


def render_prompt(problem: Problem) -> str:
    """The prompt a model sees for ``problem``, in the public release's layout."""
    return load_template("prompt.jinja", keep_trailing_newline=False).render(
        background=problem.background,
        question_text=problem.question_text,
        equation=problem.equation,
        options=problem.options,
        type=problem.type,
        n_blanks=problem.n_blanks,
    ).rstrip("\n")


def with_prompt(problem: Problem) -> Problem:
    """The record with its ``prompt`` field rendered from the other fields."""
    return problem.replace(prompt=render_prompt(problem))

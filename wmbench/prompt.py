"""The one prompt template (Background / Question / Equation / Options / answer format).

lm-eval tasks, ``wmbench build`` and notebooks all call :func:`render_prompt`, so a problem is
shown to a model the same way everywhere.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from wmbench.schema import Problem


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wmbench", "templates"),
        autoescape=False,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("prompt.jinja")


def render_prompt(problem: Problem) -> str:
    """The prompt a model sees for ``problem``, in the public release's layout."""
    return _template().render(
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

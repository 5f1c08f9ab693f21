"""The jinja2 templates under ``wmbench/templates/``: one loader for the prompt, card and page."""

from __future__ import annotations

from functools import lru_cache

import jinja2


@lru_cache(maxsize=None)
def load_template(name: str, *, html: bool = False, keep_trailing_newline: bool = True) -> jinja2.Template:
    """A template by file name. ``html`` autoescapes and trims block lines (the leaderboard page);
    text templates (prompt, dataset card) render as written. Undefined variables are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wmbench", "templates"),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=keep_trailing_newline,
        trim_blocks=html,
        lstrip_blocks=html,
    )
    return env.get_template(name)

"""Render the leaderboard page from ``templates/leaderboard.html.jinja`` (autoescaped)."""

from __future__ import annotations

from functools import lru_cache

import jinja2


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wmbench", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("leaderboard.html.jinja")


def render_page(sections: list[dict], plots: list[str]) -> str:
    """The HTML page: one sortable table per section, then the plots."""
    return _template().render(sections=sections, plots=plots)

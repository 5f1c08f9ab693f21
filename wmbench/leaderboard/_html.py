"""Render the leaderboard page from ``templates/leaderboard.html.jinja`` (autoescaped)."""

from __future__ import annotations

from wmbench.templating import load_template


def render_page(sections: list[dict], plots: list[str], notes: list[str]) -> str:
    """The HTML page: the notes, one captioned sortable table per section, then the plots."""
    return load_template("leaderboard.html.jinja", html=True).render(sections=sections, plots=plots, notes=notes)

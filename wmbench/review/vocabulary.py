"""The vocabularies the lints check against, in one place for every stage to import.

- :data:`RENDERABLE_COMMANDS` / :data:`RENDERABLE_ENVIRONMENTS`: what KaTeX renders, read from
  ``wmbench/data/katex_commands.txt`` (generated from KaTeX itself by
  ``scripts/katex_commands.js``). A control word outside it is a leftover macro, and so is
  revision markup (:data:`MARKUP_COMMANDS`, the :data:`COLOR_NAMES` a ``\\color`` leaves in prose).
- template and filler phrases live with ingestion, which drops them first:
  :func:`wmbench.ingest.template_text.template_phrase`.
- :func:`dimension_or_unit`: whether a text states a dimension, set, domain or unit.
"""

from __future__ import annotations

import re
from importlib import resources

_COMMANDS_FILE = "katex_commands.txt"


def _load() -> tuple[frozenset[str], frozenset[str]]:
    text = resources.files("wmbench").joinpath("data", _COMMANDS_FILE).read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    commands = frozenset(line[1:] for line in lines if line.startswith("\\"))
    environments = frozenset(line[1:-1] for line in lines if line.startswith("{"))
    return commands, environments


# Control-word names (without the backslash) and environment names KaTeX renders.
RENDERABLE_COMMANDS, RENDERABLE_ENVIRONMENTS = _load()

# Commands KaTeX renders that are a draft's revision markup, not maths: a problem keeps none.
MARKUP_COMMANDS = frozenset({"color", "textcolor", "colorbox", "fcolorbox"})
# xcolor's base colour names: the argument of a \color left in prose ("black." or "blueThe").
COLOR_NAMES = ("black", "blue", "brown", "cyan", "gray", "green", "magenta", "orange", "purple", "red",
               "teal", "violet", "yellow")

# A dimension or set (\in\mathbb{C}^{N\times 1}, \in\mathbb{R}_+, \in[0,2\pi), N\times M) or a
# unit (in dB, (W), [Hz], \mathrm{dBm}, "in radians", m/s) stated for a quantity.
_UNITS = (r"dB[mWi]?|[kMG]?Hz|[mk]?W|watts?|km|meters?|metres?|ms|seconds?|m/s|[kMG]?bps|bits?/s(?:/Hz)?"
          r"|nats?/s(?:/Hz)?|radians?|rad|degrees?|Kelvin|joules?")
_LETTER_UNITS = r"m|s|J|K"  # only in brackets or upright: "in s" and "(s)" of "user(s)" are words
_DIMENSION_OR_UNIT = re.compile(
    r"\\in\s*(?:\\mathbb\s*\{?[CRNZ]\}?|\\left\s*[\[(]|[\[(])"  # a number set or an interval
    r"|\^\s*\{[^{}]*\\times[^{}]*\}"                                               # a size N\times M
    rf"|\bin\s+(?:units\s+of\s+)?(?:{_UNITS})\b"                                  # "in dB"
    rf"|(?<![A-Za-z])[(\[]\s*(?:{_UNITS}|{_LETTER_UNITS})\s*[)\]]"                   # "(W)", "[Hz]"
    rf"|\\(?:mathrm|text|rm|textrm)\s*\{{\s*(?:{_UNITS}|{_LETTER_UNITS})\s*\}}"    # \mathrm{dBm}
)


def dimension_or_unit(text: str) -> str | None:
    """The first statement of a dimension, set, domain or unit in ``text``, or None."""
    match = _DIMENSION_OR_UNIT.search(text)
    return match.group(0) if match else None

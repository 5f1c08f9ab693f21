"""What several commands share: the progress switch, missing extras, the help's placeholders.

Progress bars follow pip and ``hf download``: ``--quiet``/``-q`` turns them off, and they are
off by themselves when stderr is not a terminal (a pipe or a log file), as tqdm's
``disable=None`` does. ``--no-progress`` stays as a hidden alias of ``--quiet``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer

from wmbench.errors import WmbenchError

QUIET_HELP = "No progress bars (they are also off when stderr is not a terminal)."


def quiet_option() -> typer.models.OptionInfo:
    """The ``--quiet/-q`` option of every command that shows progress bars."""
    return typer.Option(False, "--quiet", "-q", help=QUIET_HELP)


def no_progress_option() -> typer.models.OptionInfo:
    """The hidden ``--no-progress`` alias of ``--quiet``."""
    return typer.Option(False, "--no-progress", hidden=True)


def show_progress(*quiet: bool) -> bool:
    """Progress bars on: no quiet flag given and stderr is a terminal."""
    return not any(quiet) and sys.stderr.isatty()


def require(module: str, extra: str, command: str) -> None:
    """Import ``module`` or stop with one line naming the extra that installs it."""
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module.split(".")[0]:
            raise
        raise WmbenchError(f"wmbench {command}", f"needs {module}, which is not installed; install the "
                                                 f"'{extra}' extra: pip install -e \".[{extra}]\"") from None


def plain_metavars(command: Any) -> Any:
    """Click-style value placeholders in ``--help``: ``PATH``, ``TEXT``, ``INTEGER``; none for flags.

    Typer writes ``<bool>`` after every flag and ``<list[Path]>`` after repeatable options and
    arguments; this gives each parameter of ``command`` (and of its subcommands) click's own
    placeholder instead.
    """
    for param in command.params:  # typer's own (vendored) click parameters
        _plain(param)
    make_help = command.get_help_option
    command.get_help_option = lambda ctx: _plain(make_help(ctx))
    for sub in getattr(command, "commands", {}).values():
        plain_metavars(sub)
    return command


def _plain(param: Any) -> Any:
    if param is not None and hasattr(param, "display_type_rich"):
        label = "" if getattr(param, "is_flag", False) else _placeholder(param.display_type(None))
        param.display_type_rich = lambda ctx: label
    return param


_CLICK_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "path": "PATH", "bool": "BOOLEAN"}


def _placeholder(typer_label: str) -> str:
    """``<int range>`` -> ``INTEGER``, ``<list[Path]>`` -> ``PATH``, ``<str>`` -> ``TEXT``."""
    label = typer_label.strip("<>").removeprefix("list[").removesuffix("]").split()[0]
    return _CLICK_NAMES.get(label.lower(), label.upper())

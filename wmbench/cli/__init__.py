"""The ``wmbench`` command line: one module per command, registered here.

User errors (:class:`wmbench.errors.WmbenchError`) print one line naming the input and the
reason and exit with status 1; ``--verbose`` shows the traceback too.
"""

from __future__ import annotations

import logging
import sys
from importlib import import_module

import typer

import wmbench
from wmbench.cli._options import plain_metavars
from wmbench.errors import WmbenchError

app = typer.Typer(
    name="wmbench",
    help="Build a machine-verified wireless math benchmark from papers and score models on it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_state = {"verbose": False}

# (module under wmbench.cli, command name); each module defines ``command`` (a function, or a
# Typer app for a noun with verbs, e.g. ``wmbench train grpo``).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("score", "score"),
    ("eval", "eval"),
    ("leaderboard", "leaderboard"),
    ("export", "export"),
    ("push", "push"),
    ("audit", "audit"),
    ("ingest", "ingest"),
    ("build", "build"),
    ("review", "review"),
    ("train", "train"),
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"wmbench {wmbench.__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show tracebacks on errors."),
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Show the version and exit."),
) -> None:
    _state["verbose"] = verbose


for _module, _name in COMMANDS:
    _command = import_module(f"wmbench.cli.{_module}").command
    if isinstance(_command, typer.Typer):
        app.add_typer(_command, name=_name)
    else:
        app.command(_name)(_command)


def _show_warnings() -> None:
    """wmbench's module loggers reach the terminal as ``warning: <message>`` lines (errors have their own)."""
    root = logging.getLogger("wmbench")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        handler.setLevel(logging.WARNING)
        root.addHandler(handler)


def main() -> None:
    """Console-script entry point."""
    _show_warnings()
    try:
        plain_metavars(typer.main.get_command(app))(prog_name="wmbench")
    except WmbenchError as exc:
        if _state["verbose"] or "--verbose" in sys.argv or "-v" in sys.argv:
            raise
        typer.echo(f"error: {exc.one_line()}", err=True)
        raise SystemExit(1) from None

#!/usr/bin/env bash
# The test command: creates ./.venv (Python 3.11) with wmbench and its test extra, then runs every test.
EXTRAS="test" source "$(dirname "$0")/_env.sh"
exec python -m pytest -q -n 2 "$@"

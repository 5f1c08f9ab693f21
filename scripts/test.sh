#!/usr/bin/env bash
# The test command: installs what the tests need (Debian's chromium for the leaderboard page test,
# ./.venv with Python 3.11, wmbench and its test extra), then runs every test.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "installing Debian's chromium (headless browser for the leaderboard page test) ..." >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
EXTRAS="test" source "$(dirname "$0")/_env.sh"
exec python -m pytest -q -n 2 "$@"

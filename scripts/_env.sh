# Sourced by the set-up scripts: create ./.venv with Python 3.11 (once) and install wmbench with EXTRAS.
# Usage: EXTRAS="test" source scripts/_env.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -vE "^WARNING: Location" || true
fi
target="."
[ -n "${EXTRAS:-}" ] && target=".[${EXTRAS}]"
# torch is pinned in the test extra: pip takes the CPU build from local disk instead of a CUDA one.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target" 2>&1 \
  | grep -vE "^(WARNING: Location|  |$)" || true
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export PATH="$PWD/.venv/bin:$PATH"

#!/usr/bin/env bash
# Run the whole test suite (or what "$@" selects) from the repository root.
# pytest exits 5 when it collects no tests; that, like any failure, fails here.
# It runs in .venv (made by ./scripts/install.sh) when there is one, else with python3.
set -euo pipefail

cd "$(dirname "$0")/.."

python=python3
if [[ -x .venv/bin/python ]]; then
    python=.venv/bin/python
fi

exec "$python" -m pytest -p no:cacheprovider "$@"

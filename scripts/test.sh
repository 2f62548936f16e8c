#!/usr/bin/env bash
# Run the whole test suite (or what "$@" selects) from the repository root.
# The whole suite (no arguments) starts with ./scripts/check.sh: format, lint and types
# must be clean too. pytest exits 5 when it collects no tests; that, like any failure,
# fails here. It runs in .venv (made by ./scripts/install.sh) when there is one, else with
# python3.
set -euo pipefail

cd "$(dirname "$0")/.."

python=python3
if [[ -x .venv/bin/python ]]; then
    python=.venv/bin/python
fi

if (($# == 0)); then
    ./scripts/check.sh
fi
exec "$python" -m pytest -p no:cacheprovider "$@"

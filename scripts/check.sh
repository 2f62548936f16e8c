#!/usr/bin/env bash
# The static checks, all of which must be clean before a change lands:
#   format  ruff format --check (the whole tree)
#   lint    ruff check
#   types   mypy on the four packages (strict where pyproject.toml says so)
# Module sizes and the import graph are checked by tests/test_architecture.py (the suite).
# Run from anywhere; uses the project's .venv when ./scripts/install.sh made one.
set -euo pipefail

cd "$(dirname "$0")/.."

PY=python3
if [[ -x .venv/bin/python ]]; then
    PY=.venv/bin/python
fi

status=0
echo "check.sh: ruff format --check"
"$PY" -m ruff format --check . || status=1
echo "check.sh: ruff check"
"$PY" -m ruff check . || status=1
echo "check.sh: mypy"
"$PY" -m mypy scoreboard server display judge_client || status=1
if ((status)); then
    echo "check.sh: FAILED (see above)" >&2
else
    echo "check.sh: clean"
fi
exit "$status"

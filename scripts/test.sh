#!/usr/bin/env bash
# Run the whole test suite (or what "$@" selects) from the repository root.
# pytest exits 5 when it collects no tests; that, like any failure, fails here.
set -euo pipefail

cd "$(dirname "$0")/.."

exec python3 -m pytest -p no:cacheprovider "$@"

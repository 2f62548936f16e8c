#!/usr/bin/env bash
# Refresh requirements.lock: install the package with its test extras, at the newest
# versions pyproject.toml allows, into a throw-away venv, and write what pip froze there.
# Then run ./scripts/install.sh and ./scripts/test.sh, and commit the lock if they pass.
#
#     ./scripts/lock.sh                  # newest versions
#     ./scripts/lock.sh -c old.txt       # extra pip arguments, e.g. constraints
set -euo pipefail

cd "$(dirname "$0")/.."

base_python=${SCORECAST_PYTHON:-$( [[ -x /usr/bin/python3 ]] && echo /usr/bin/python3 || echo python3 )}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$base_python" -m venv "$tmp/venv"
pip_args=(--disable-pip-version-check -q)
if [[ $(id -u) -eq 0 ]]; then
    pip_args+=(--root-user-action=ignore)
fi
"$tmp/venv/bin/python" -m pip install "${pip_args[@]}" "$@" '.[test]'
{
    echo "# Exact versions for ./scripts/install.sh (pip install -c requirements.lock)."
    echo "# Made by ./scripts/lock.sh with $("$tmp/venv/bin/python" --version); do not edit by hand."
    "$tmp/venv/bin/python" -m pip freeze --disable-pip-version-check --exclude-editable --exclude scorecast
} >requirements.lock
echo "lock.sh: wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)"

#!/usr/bin/env bash
# Install what Scorecast needs on Debian 12: the system packages its tests use
# (redis-server, chromium, a CJK font for screenshots, python3-venv), a virtual
# environment .venv, and the Python package in it in editable mode with its test
# and bench extras, at the exact versions of requirements.lock. Safe to run again.
#
# Debian's python3 is "externally managed" (PEP 668): pip refuses to install into
# it, so everything Python goes into .venv. The venv is made from Debian's own
# /usr/bin/python3 when there is one (SCORECAST_PYTHON=/path/to/python3 picks
# another interpreter; an existing .venv is kept). scripts/test.sh and
# `.venv/bin/scorecast demo` use it.
#
# Playwright is only a driver for Debian's /usr/bin/chromium: never run
# `playwright install` (it downloads a browser build of its own).
set -euo pipefail

cd "$(dirname "$0")/.."

# libpango-1.0-0 and libpangoft2-1.0-0: WeasyPrint (scorecast export's PDFs) lays text out with them
APT_PACKAGES=(redis-server chromium fonts-noto-cjk python3-venv poppler-utils libpango-1.0-0 libpangoft2-1.0-0)

if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    SUDO=()
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ $status != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]})); then
    if ((${#SUDO[@]} == 0)) && [[ $(id -u) -ne 0 ]]; then
        echo "install.sh: need root (or sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
    echo "install.sh: installing ${missing[*]}"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "${missing[@]}"
else
    echo "install.sh: Debian packages already present: ${APT_PACKAGES[*]}"
fi

# The tests start their own redis-server on free ports; the system service
# is not needed. Without systemd (containers, CI) there is nothing to stop.
if command -v systemctl >/dev/null 2>&1; then
    "${SUDO[@]}" systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
if command -v service >/dev/null 2>&1; then
    "${SUDO[@]}" service redis-server stop >/dev/null 2>&1 || true
fi

if [[ -n ${SCORECAST_PYTHON:-} ]]; then
    base_python=$SCORECAST_PYTHON
elif [[ -x /usr/bin/python3 ]]; then
    base_python=/usr/bin/python3
else
    base_python=python3
fi

if [[ ! -x .venv/bin/python ]]; then
    echo "install.sh: creating .venv with $("$base_python" --version) ($base_python)"
    rm -rf .venv
    "$base_python" -m venv .venv
fi

pip_args=(--disable-pip-version-check -q)
if [[ $(id -u) -eq 0 ]]; then
    pip_args+=(--root-user-action=ignore)
fi
# requirements.lock pins every package (direct and transitive) to the versions the suite
# was last run with; pyproject.toml only gives lower bounds. Refresh: ./scripts/lock.sh.
# The bench extras too: the suite tests the benches' own arithmetic (tests/test_bench_*.py).
.venv/bin/python -m pip install "${pip_args[@]}" -c requirements.lock -e '.[test,bench]'

echo "install.sh: done ($(.venv/bin/python --version) in .venv; run ./scripts/test.sh)"

#!/usr/bin/env bash
# Install what Scorecast needs on Debian 12: the system packages its tests use
# (redis-server, chromium, a CJK font for screenshots) and the Python package
# itself in editable mode with its test extras. Safe to run again.
#
# Playwright is only a driver for Debian's /usr/bin/chromium: never run
# `playwright install` (it downloads a browser build of its own).
set -euo pipefail

cd "$(dirname "$0")/.."

APT_PACKAGES=(redis-server chromium fonts-noto-cjk)

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

pip_args=(--disable-pip-version-check -q)
if [[ $(id -u) -eq 0 ]]; then
    pip_args+=(--root-user-action=ignore)
fi
python3 -m pip install "${pip_args[@]}" -e '.[test]'

echo "install.sh: done"

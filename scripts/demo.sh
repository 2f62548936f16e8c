#!/usr/bin/env bash
# Run the demo: a hub with the bundled sample competition and simulated judges
# (`scorecast demo`; arguments go to it, e.g. --port 8001). Uses .venv (made by
# ./scripts/install.sh) when there is one, else python3.
set -euo pipefail

cd "$(dirname "$0")/.."

python=python3
if [[ -x .venv/bin/python ]]; then
    python=.venv/bin/python
fi

exec "$python" -m server.cli demo "$@"

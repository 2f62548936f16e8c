"""One JSON request to a running hub, as the command-line tools make it.

``call_hub(url, token, body)`` POSTs ``body`` (or GETs without one) with the credential as a
bearer token and returns the decoded answer. A refusal becomes ``SystemExit`` with the hub's
error code and message (``"<who>: <code>: <message>"``), an unreachable hub names the address:
the tools print that line and exit, never a traceback.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


def call_hub(url: str, token: str, body: dict[str, Any] | None = None, *, who: str) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        try:
            err = json.loads(e.read())["error"]
            raise SystemExit(f"{who}: {err['code']}: {err['message']}") from None
        except (ValueError, KeyError, TypeError):
            raise SystemExit(f"{who}: the hub answered HTTP {e.code}") from None
    except urllib.error.URLError as e:
        raise SystemExit(f"{who}: cannot reach the hub at {url}: {e.reason}") from None

"""Security headers on every page (issue 12, item 6): a CSP without inline script, nosniff,
no referrer; overlays embeddable anywhere, everything else (pad, desk, public site, screens,
API) not framable. The browser tests (test_browser.py, tests/judge/test_pad_browser.py) show
the pages still work under the policy (a CSP violation is a console error there)."""

from __future__ import annotations

import httpx
import pytest

from tests.display.test_pages import PAGES
from tests.hubkit import HubProcess

OTHER = [
    "/judge",
    "/judge/static/app.js",
    "/judge/api/me",  # 401, headers all the same
    "/api/v1/programs",
    "/api/v1/programs/weld/leaderboard",
    "/feeds/programs/weld.json",
    "/feeds/programs/weld.csv",
    "/healthz",
    "/metrics",
    "/no-such-page",
]


@pytest.mark.parametrize("path", PAGES + OTHER)
def test_every_response_carries_the_security_headers(site: HubProcess, path: str) -> None:
    r = httpx.get(site.http + path, timeout=10)
    assert r.status_code in (200, 401, 404), (path, r.status_code)
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'", csp  # no inline script, no eval
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert f"ws://127.0.0.1:{site.port}" in directives["connect-src"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    if path.startswith("/overlay/"):
        assert "frame-ancestors" not in directives  # OBS / vMix / CasparCG, framed anywhere
        assert "x-frame-options" not in r.headers
    else:
        assert directives["frame-ancestors"] == "'none'"
        assert r.headers["x-frame-options"] == "DENY"


def test_a_forged_host_header_does_not_reach_the_policy(site: HubProcess) -> None:
    r = httpx.get(site.http + "/", headers={"Host": "x; script-src *"}, timeout=10)
    assert "script-src *" not in r.headers["content-security-policy"]


def test_an_unexpected_error_still_carries_the_security_headers() -> None:
    """Starlette's own 500 page comes from its outermost middleware: the headers wrap it too."""
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from server.headers import SecuredStarlette

    def boom(request: object) -> None:
        raise RuntimeError("a bug")

    app = SecuredStarlette(routes=[Route("/boom", boom)])
    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    assert "a bug" not in response.text  # no traceback or message leaks
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"

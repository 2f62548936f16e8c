"""What the page handlers share: query parameters and the 404 page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.requests import Request
from starlette.responses import Response

from .data import NotFound
from .render import Page

Handler = Callable[[Request], Awaitable[Response]]


def int_param(request: Request, key: str, default: int, low: int, high: int) -> int:
    """An integer query parameter clamped to [low, high]; a malformed one gives the default."""
    try:
        value = int(request.query_params.get(key, default))
    except ValueError:
        return default
    return max(low, min(high, value))


def not_found_page(request: Request, e: NotFound) -> Response:
    page = Page(request)
    message = page.t(f"No {e.what} with the id “{{ident}}”.", ident=e.ident)
    return page.render("error.html", status=404, message=message)


def html_page(handler: Handler) -> Handler:
    """Unknown ids become a readable 404 page instead of an error."""

    @wraps(handler)
    async def wrapper(request: Request) -> Response:
        try:
            return await handler(request)
        except NotFound as e:
            return not_found_page(request, e)

    return wrapper

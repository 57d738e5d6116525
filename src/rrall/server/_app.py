"""The application factory: a Starlette app composed of route modules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute

from ..engine import Guideline
from ..rr_all import RR_ALL
from . import _pages
from ._config import ServerConfig
from ._errors import RequestError, handle_http_error, handle_request_error

__all__ = ["DEFAULT_ROUTES", "RouteSource", "create_app", "serve"]


RouteSource = Callable[[ServerConfig], Sequence[BaseRoute]]
"""A route module's entry point: the routes it serves, given the server's configuration."""

#: The route modules `create_app` composes by default: the pages and the JSON walk endpoint.
DEFAULT_ROUTES: tuple[RouteSource, ...] = (_pages.routes,)


def create_app(
    *,
    guideline: Guideline = RR_ALL,
    routes: Iterable[RouteSource] = DEFAULT_ROUTES,
    debug: bool = False,
) -> Starlette:
    """The rrall web application: the explorer at ``/``, the report page and the JSON endpoints.

    Args:
        guideline: The guideline to walk patients through; the R/R ALL text by default.
        routes: The route modules to compose, each called with the `ServerConfig`.
        debug: Starlette's debug mode (tracebacks in 500 pages): never in production.

    Returns:
        An ASGI application; serve it with uvicorn (see `serve`).

    Examples:
        >>> from rrall.server import create_app
        >>> [route.path for route in create_app().routes]
        ['/', '/api/walk', '/api/explore', '/report', '/static']
    """
    config = ServerConfig(guideline=guideline)
    composed = [route for source in routes for route in source(config)]
    app = Starlette(
        debug=debug,
        routes=composed,
        exception_handlers={RequestError: handle_request_error, HTTPException: handle_http_error},
    )
    app.state.config = config
    return app


def serve(host: str = "127.0.0.1", port: int = 8080, *, guideline: Guideline = RR_ALL) -> None:
    """Run `create_app` under uvicorn until interrupted (port 0: any free port)."""
    import uvicorn

    uvicorn.run(create_app(guideline=guideline), host=host, port=port, log_level="info")

"""The rrall web server: the explorer, the report page and the JSON walk endpoint.

``create_app()`` builds a Starlette application from route modules, each a
function that takes the `ServerConfig` and returns routes; `rrall serve`
runs it under uvicorn. Needs the ``server`` extra (``pip install 'rrall[server]'``).

Bad input never gets a 500: it gets a 4xx whose JSON body names the field,
``{"error": "...", "field": "..."}``.
"""

from ._app import DEFAULT_ROUTES, RouteSource, create_app, serve
from ._config import ServerConfig
from ._errors import RequestError

__all__ = ["DEFAULT_ROUTES", "RequestError", "RouteSource", "ServerConfig", "create_app", "serve"]

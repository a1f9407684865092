"""Per-client rate limits on searching and completing (Flask-Limiter), so one client cannot starve the rest.

Each client — its address as Izde sees it; behind a proxy, let the proxy pass the real one (werkzeug's ProxyFix) —
may search `RATE_LIMIT_SEARCH` times (the page, the API, the feed and the export share it) and complete
`RATE_LIMIT_SUGGEST` times; past that it gets 429 with Retry-After. Both are Flask-Limiter limit strings
(`IZDE_RATE_LIMIT_SEARCH="10 per second;300 per minute"`); `IZDE_RATELIMIT_ENABLED=false` turns limiting off.
Counts live in the process's memory: each `izde serve` process counts for itself, so with `--workers N` a client
may get up to N times the limit (`RATELIMIT_STORAGE_URI`, e.g. a Redis, makes the count shared).
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

DEFAULTS = {
    # A person searches a few times a minute; a partner's box completes on every keystroke, debounced.
    "RATE_LIMIT_SEARCH": "10 per second;300 per minute",
    "RATE_LIMIT_SUGGEST": "20 per second;1200 per minute",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,  # X-RateLimit-* on every answer, Retry-After on a 429
}

# The routes that run a search share one budget; completion has its own.
SEARCH_ENDPOINTS = ("pages.search_page", "pages.search_atom", "pages.search_csv", "api.api_search")
SUGGEST_ENDPOINTS = ("api.api_suggest",)


def install(app: Flask) -> Limiter:
    """Give `app` its own limiter (its own counts) on the search and completion endpoints."""
    # Registered before the limiter's own hook, so it runs after it (Flask runs these last-registered first):
    # Flask-Limiter puts Retry-After (0) on every answer; only a 429 means it.
    @app.after_request
    def retry_after_only_on_429(response):
        if response.status_code != 429:
            response.headers.pop("Retry-After", None)
        return response

    limiter = Limiter(get_remote_address, app=app)
    app.extensions["izde_limiter"] = limiter  # the limited views hold it only weakly
    search = limiter.shared_limit(lambda: current_app.config["RATE_LIMIT_SEARCH"], scope="search")
    suggest = limiter.limit(lambda: current_app.config["RATE_LIMIT_SUGGEST"])
    for endpoints, limit in ((SEARCH_ENDPOINTS, search), (SUGGEST_ENDPOINTS, suggest)):
        for endpoint in endpoints:
            app.view_functions[endpoint] = limit(app.view_functions[endpoint])
    return limiter

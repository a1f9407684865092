"""Izde's web front end: search pages, article pages, the issue browser, a JSON API, feeds and exports.

`create_app(config)` is the factory (Flask's tutorial shape); settings come from defaults, then `IZDE_*`
environment variables (IZDE_INDEX, IZDE_CORS_ORIGINS, IZDE_PAGE_SIZE, IZDE_EMBED_ANCESTORS, IZDE_RATE_LIMIT_SEARCH,
IZDE_RATE_LIMIT_SUGGEST, IZDE_RATELIMIT_ENABLED: see `ratelimit`), then `config`.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from pathlib import Path

from flask import Flask, abort, g, request
from flask_cors import CORS
from flask_talisman import Talisman

from search.columns import warm

from . import i18n, ratelimit

# Every asset comes from Izde itself and no page has inline script or style, so the policy allows nothing else;
# no page may be framed but the partner box's /embed (see `create_app`).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "connect-src": "'self'", "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'",
    "frame-ancestors": "'none'",
}

MAX_REQUEST_BYTES = 64 * 1024  # a request's body (every route is a GET: there is nothing to send)
MAX_QUERY_STRING_BYTES = 32 * 1024  # a 1,000-character Cyrillic query with 20 long filter values is ~20 KB
MAX_HEADER_BYTES = 1024 * 1024  # `izde serve` (waitress) refuses bigger requests before Izde sees them (431)

DEFAULTS = {
    "INDEX": "var/index",
    "CORS_ORIGINS": "*",
    "PAGE_SIZE": 10,
    "SITE_NAME": "Izde",
    "EMBED_ANCESTORS": "*",  # who may frame /embed: a CSP frame-ancestors source list
}


class Izde(Flask):
    def log_exception(self, exc_info) -> None:
        """Log a server error with the request id that the error page and the X-Request-ID header show."""
        self.logger.error("request %s: exception on %s [%s]", g.get("request_id"), request.path, request.method,
                          exc_info=exc_info)


def create_app(config: dict | None = None) -> Flask:
    app = Izde(__name__)
    app.config.from_mapping({**DEFAULTS, **ratelimit.DEFAULTS})
    app.config.from_prefixed_env("IZDE")
    if config:
        app.config.update(config)
    app.extensions["izde"] = IndexHolder(Path(app.config["INDEX"]))

    from .api import bp as api_bp
    from .embed import bp as embed_bp
    from .pages import bp as pages_bp

    app.register_blueprint(pages_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(embed_bp)
    # The API is read-only and cookieless: any origin may call it unless the deployment says otherwise.
    CORS(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}}, methods=["GET"],
         supports_credentials=False, send_wildcard=app.config["CORS_ORIGINS"] == "*")
    # Security headers: CSP, X-Frame-Options DENY, nosniff, Referrer-Policy. HTTPS is the deployment's proxy's
    # job (Izde serves plain HTTP behind it), so no redirect to https here.
    ratelimit.install(app)
    talisman = Talisman(app, force_https=False, session_cookie_secure=False, frame_options="DENY",
                        content_security_policy=CONTENT_SECURITY_POLICY,
                        referrer_policy="strict-origin-when-cross-origin")
    # The partner box's iframe page is the one page other sites may frame (IZDE_EMBED_ANCESTORS narrows who).
    app.view_functions["embed.embed_frame"] = talisman(
        frame_options=None,
        content_security_policy={**CONTENT_SECURITY_POLICY, "frame-ancestors": app.config["EMBED_ANCESTORS"]},
    )(app.view_functions["embed.embed_frame"])

    @app.before_request
    def refuse_bodies_and_name_the_request():
        g.request_id = uuid.uuid4().hex[:16]
        if (request.content_length or 0) > MAX_REQUEST_BYTES:
            abort(413, f"a request body may be at most {MAX_REQUEST_BYTES:,} bytes")
        if len(request.query_string) > MAX_QUERY_STRING_BYTES:
            abort(414, f"the query string may be at most {MAX_QUERY_STRING_BYTES:,} bytes; ask for less")

    @app.before_request
    def pick_language():
        g.lang, g.remember_lang = i18n.choose(request.args.get("lang"), request.cookies.get(i18n.COOKIE),
                                              request.accept_languages)

    @app.after_request
    def remember_language(response):
        if getattr(g, "remember_lang", False) and request.blueprint != "embed":  # the partner box sets no cookie
            response.set_cookie(i18n.COOKIE, g.lang, max_age=365 * 24 * 3600, samesite="Lax")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response

    @app.context_processor
    def helpers():
        return {"_": lambda key, **kw: i18n.translate(key, g.get("lang", i18n.DEFAULT), **kw),
                "lang": g.get("lang", i18n.DEFAULT), "languages": i18n.LANGUAGES}

    return app


class IndexHolder:
    """The open index. When a build or an update swaps a new build in behind the index path, the new build is
    opened and warmed (facet columns, the lexicon: seconds at 10,000 articles) in the background while requests
    are still answered from the previous one, which stays on disk; then requests move to it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._target: str | None = None
        self._ix = None
        self._next: str | None = None  # the build being opened and warmed
        self._held = None  # the lock that keeps the build answered from on disk (`index.build.hold_build`)
        self._lock = threading.Lock()  # waitress serves from several threads
        self._resolved: tuple[str, str] | None = None  # the index path's link, and where it led

    def __del__(self) -> None:  # an app made and dropped (tests) lets go of its build
        if getattr(self, "_held", None) is not None:
            self._held.close()

    def _use(self, ix, target: str) -> None:
        from index.build import hold_build

        held = hold_build(Path(target))
        if self._held is not None:
            self._held.close()
        self._ix, self._target, self._held = ix, target, held

    def get(self):
        from index.build import open_index

        target = self._target_of_path()
        with self._lock:
            if self._ix is None:
                self._use(open_index(self.path), target)  # raises IndexUnavailable: what to do
                threading.Thread(target=warm, args=(self._ix,), daemon=True).start()
            elif target != self._target and target != self._next:
                self._next = target
                threading.Thread(target=self._switch, args=(target,), daemon=True).start()
            return self._ix

    def _target_of_path(self) -> str:
        """`os.path.realpath(self.path)`, the build the index path leads to, resolved again only when the link
        changes: `realpath` looks at every part of the path, a system call each, and each lets another thread take
        the interpreter (under load, waits at every request)."""
        try:
            link = os.readlink(self.path)
        except OSError:  # not a link
            return os.path.realpath(self.path)
        known = self._resolved
        if known is None or known[0] != link:
            known = self._resolved = (link, os.path.realpath(self.path))
        return known[1]

    def _switch(self, target: str) -> None:
        from index.build import IndexUnavailable, open_index

        try:
            ix = open_index(Path(target))
            warm(ix)
        except IndexUnavailable as exc:  # a damaged new build: keep answering from the one that works
            logging.getLogger(__name__).error("not switching to %s: %s", target, exc)
            return
        except Exception:  # a bug: logged with its traceback, and the build that works goes on answering
            logging.getLogger(__name__).exception("not switching to %s", target)
            return
        with self._lock:
            if self._next == target:
                self._use(ix, target)

"""The search box for partner sites: `<izde-search>` (web/static/embed.js), its iframe version and its demo page.

`/embed.js` is the address partners put in their pages; it redirects (cached five minutes) to `/embed.<hash>.js`,
which is served for a year as immutable, so a new version reaches every partner within minutes and is then
cached. Both answer any origin (a module script from another origin is fetched with CORS). `/embed` is the same box
in a page of its own for an iframe — the one page other sites may frame — and `/embed/demo` shows a live box and
writes the snippet for chosen attributes.
"""

from __future__ import annotations

import hashlib
import html
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from search.searcher import facet_values

from .pages import index

bp = Blueprint("embed", __name__)
SCRIPT = "embed.js"
ATTRIBUTES = ("lang", "placeholder", "section", "year", "language", "kind", "results", "target", "theme")
YEAR = 365 * 24 * 3600


def script_digest() -> str:
    """The first 12 hex digits of the script's SHA-256: its address changes whenever it does."""
    digest = current_app.extensions.get("izde_embed_digest")
    if digest is None:
        with current_app.open_resource(f"static/{SCRIPT}") as f:
            digest = current_app.extensions["izde_embed_digest"] = hashlib.sha256(f.read()).hexdigest()[:12]
    return digest


def _cross_origin(response: Response, max_age: int, immutable: bool = False) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={max_age}" + (", immutable" if immutable else "")
    return response


@bp.route("/embed.js")
def embed_script_latest():
    return _cross_origin(redirect(url_for("embed.embed_script", digest=script_digest()), 302), 300)


@bp.route("/embed.<digest>.js")
def embed_script(digest: str):
    if digest != script_digest():  # an older version's address: the current one
        return embed_script_latest()
    with current_app.open_resource(f"static/{SCRIPT}") as f:
        body = f.read()
    return _cross_origin(Response(body, mimetype="text/javascript"), YEAR, immutable=True)


def _box_attributes() -> dict[str, str]:
    """The box's attributes from the query string (the iframe's and the demo's): only the known ones."""
    return {name: request.args[name][:200] for name in ATTRIBUTES if request.args.get(name, "").strip()}


@bp.route("/embed")
def embed_frame():
    """The box alone, for an iframe; it tells the parent page its height (see README, "The partner box")."""
    return render_template("embed.html", attributes=_box_attributes(), digest=script_digest())


@bp.route("/embed/demo")
def embed_demo():
    values = facet_values(index())
    choices = {name: values.get(name, [])[:60] for name in ("section", "year", "language", "kind")}
    attributes, site = _box_attributes(), request.host_url.rstrip("/")
    return render_template("embed_demo.html", attributes=attributes, digest=script_digest(), choices=choices,
                           site=site, snippet=snippet(site, attributes), iframe=iframe(site, attributes))


def snippet(site: str, attributes: dict[str, str]) -> str:
    """The two lines a partner pastes (the demo page's JavaScript writes the same)."""
    text = "".join(f' {name}="{html.escape(value)}"' for name, value in attributes.items())
    return f'<script src="{site}/embed.js" type="module"></script>\n<izde-search{text}></izde-search>'


def iframe(site: str, attributes: dict[str, str]) -> str:
    query = urlencode(attributes)
    return (f'<iframe src="{site}/embed{"?" + html.escape(query) if query else ""}" title="Izde" '
            'width="100%" height="420"></iframe>')

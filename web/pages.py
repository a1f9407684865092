"""The HTML pages and their alternates: search, article (with RIS/BibTeX), issues, about, Atom, CSV, OpenSearch."""

from __future__ import annotations

import csv
import io
import re

from flask import (Blueprint, Response, abort, current_app, g, make_response, render_template, request, url_for)
from feedgen.feed import FeedGenerator
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from index.build import IndexUnavailable
from search.articles import get_article, related
from search.issues import issue_contents, list_issues
from search.query import parse_query
from search.searcher import FACETS, search
from search.snippets import highlight_html

from . import citations, i18n
from .params import FACET_PARAMS, parse

bp = Blueprint("pages", __name__)
EXPORT_LIMIT = 10_000  # rows in a CSV export; the whole result set of any real query
FEED_ENTRIES = 50


def index():
    return current_app.extensions["izde"].get()


def url_with(**changes) -> str:
    """This search's URL with some parameters changed (None removes one; a ("toggle", value) pair flips a value).

    Changing anything but the page goes back to page 1.
    """
    args = MultiDict(request.args)
    for name, value in changes.items():
        if isinstance(value, tuple) and value[0] == "toggle":
            values = args.getlist(name)
            args.setlist(name, [v for v in values if v != value[1]] if value[1] in values else values + [value[1]])
        elif value is None:
            args.pop(name, None)
        else:
            args.setlist(name, [str(value)])
    if "page" not in changes:
        args.pop("page", None)
    return url_for("pages.search_page", **args.to_dict(flat=False))


@bp.app_context_processor
def url_helpers():
    return {"url_with": url_with}


def error_answer(status: int, key: str, api_message: str):
    """An error in the form its client reads: JSON under /api/, else a page in the visitor's language. A server
    error also shows the request id that its log line carries."""
    request_id = g.get("request_id") if status >= 500 else None
    if request.path.startswith("/api/"):
        error = {"status": status, "message": api_message}
        if request_id:
            error["request_id"] = request_id
        return {"error": error}, status
    return render_template("error.html", status=status, message=i18n.translate(key, g.get("lang", i18n.DEFAULT)),
                           request_id=request_id), status


@bp.app_errorhandler(IndexUnavailable)
def no_index(exc):
    return error_answer(503, "error.no_index", str(exc))


@bp.app_errorhandler(404)
def not_found(exc):
    return error_answer(404, "error.not_found", getattr(exc, "description", "not found"))


@bp.app_errorhandler(429)
def too_many_requests(exc):  # Flask-Limiter adds Retry-After to the answer
    return error_answer(429, "error.too_many", "too many requests from this address; try again shortly")


@bp.app_errorhandler(HTTPException)
def other_http_error(exc):  # 400, 405, 413, 431 …: the status and what werkzeug says of it
    return error_answer(exc.code or 400, "error.bad_request", exc.description or exc.name)


@bp.app_errorhandler(500)
def server_error(exc):  # logged with the request id by `web.Izde.log_exception`
    return error_answer(500, "error.server", "internal error")


@bp.route("/")
@bp.route("/search")
def search_page():
    params = parse(request.args, current_app.config["PAGE_SIZE"])
    result = None
    if params.q or any(getattr(params.filters, name) for name in FACET_PARAMS):
        result = search(index(), params.q or "*", params.filters, params.page, params.page_size, params.sort)
    chips = [(name, value) for name in FACET_PARAMS for value in request.args.getlist(name) if value.strip()]
    chips += [(name, request.args[name]) for name in ("from", "to") if request.args.get(name, "").strip()]
    # A refused parameter is a 400, but the page still shows what the valid ones find, and says what was refused.
    return render_template("search.html", params=params, result=result, facets=FACETS, chips=chips,
                           query_string=request.query_string.decode("utf-8", "replace")), 400 if params.errors else 200


@bp.route("/a/<article_id>")
def article_page(article_id: str):
    ix = index()
    article = get_article(ix, article_id)
    if article is None:
        abort(404)
    q = request.args.get("q", "")
    terms = parse_query(q).terms if q else None
    paragraphs = highlight_html(article.body, terms, article.language) if terms else None
    url = url_for("pages.article_page", article_id=article.id, _external=True)
    return render_template("article.html", article=article, paragraphs=paragraphs, q=q, params={"q": q},
                           related=related(ix, article.id) or [], reference=citations.reference(article, url),
                           url=url)


@bp.route("/a/<article_id>.ris")
def article_ris(article_id: str):
    return _citation(article_id, citations.ris, "application/x-research-info-systems", "ris")


@bp.route("/a/<article_id>.bib")
def article_bibtex(article_id: str):
    return _citation(article_id, citations.bibtex, "application/x-bibtex", "bib")


def _citation(article_id, render, mimetype, extension):
    article = get_article(index(), article_id)
    if article is None:
        abort(404)
    url = url_for("pages.article_page", article_id=article.id, _external=True)
    response = Response(render(article, url), mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename=izde-{article.id}.{extension}"
    return response


@bp.route("/issues")
def issues_page():
    ix = index()
    label = request.args.get("issue")
    if label:
        entries = issue_contents(ix, label)
        if not entries:
            abort(404)
        return render_template("issue.html", label=label, entries=entries)
    return render_template("issues.html", years=list_issues(ix))


@bp.route("/about")
def about_page():
    return render_template("about.html", site=request.host_url.rstrip("/"))


@bp.route("/search.atom")
def search_atom():
    params = parse(request.args, FEED_ENTRIES)
    if params.errors:
        return _refused(params)
    result = search(index(), params.q or "*", params.filters, 1, FEED_ENTRIES, "newest", facets=False)
    feed = FeedGenerator()
    feed.id(_xml(request.url))
    feed.title(_xml(f"Izde: {params.q or '*'}"))
    feed.link(href=_xml(request.url), rel="self")
    feed.link(href=_xml(url_with()), rel="alternate")
    feed.language(g.lang)
    feed.author({"name": "Izde"})
    for hit in reversed(result.hits):  # feedgen puts each new entry first
        entry = feed.add_entry()
        url = url_for("pages.article_page", article_id=hit.id, _external=True)
        entry.id(url)
        entry.title(_xml(hit.title))
        entry.link(href=url)
        entry.summary(_xml(hit.snippet))
        stamp = (hit.date or "1970-01-01")[:16]
        entry.updated(stamp + ("" if "T" in stamp else "T00:00") + ":00+06:00")
    if not result.hits:
        feed.updated("1970-01-01T00:00:00+00:00")
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


def _refused(params) -> Response:
    """A feed or an export with a refused parameter: a 400 in plain words, in the visitor's language."""
    lines = [i18n.translate(f"search.param_{reason}", g.lang, name=name) for name, reason in params.errors]
    return Response("\n".join(lines) + "\n", status=400, mimetype="text/plain")


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml(text: str) -> str:
    """Text XML 1.0 can carry: a query or a scraped page may hold control characters (a NUL, a vertical tab),
    which lxml refuses in a feed."""
    return _XML_FORBIDDEN.sub("", text)


def _safe_cell(value) -> str:
    """Spreadsheets run a cell starting with = + - @ (or a tab or return) as a formula: make it text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.route("/search.csv")
def search_csv():
    params = parse(request.args)
    if params.errors:
        return _refused(params)
    result = search(index(), params.q or "*", params.filters, 1, 100, params.sort, facets=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "title", "date", "issue", "section", "language", "kind", "authors", "url", "snippet"])
    page, rows = 1, 0
    while True:
        for hit in result.hits:
            writer.writerow([_safe_cell(v) for v in (
                hit.id, hit.title, hit.date, hit.issue, hit.section, hit.language, hit.kind,
                "; ".join(a["name"] for a in hit.authors),
                url_for("pages.article_page", article_id=hit.id, _external=True), hit.snippet)])
            rows += 1
        if page >= result.pages or rows >= EXPORT_LIMIT:
            break
        page += 1
        result = search(index(), params.q or "*", params.filters, page, 100, params.sort, facets=False)
    response = make_response("\ufeff" + buffer.getvalue())  # the BOM makes spreadsheet programs read UTF-8
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = "attachment; filename=izde-search.csv"
    return response


@bp.route("/opensearch.xml")
def opensearch():
    return Response(render_template("opensearch.xml"), mimetype="application/opensearchdescription+xml")

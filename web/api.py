"""The JSON API: the same functions as the pages, the same parameters as the search URL, errors as JSON."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from search.articles import get_article, related
from search.issues import issue_contents, list_issues
from search.searcher import search
from search.serialize import to_data
from search.suggest import complete

from .openapi import document as openapi_document
from .params import parse, whole_number

bp = Blueprint("api", __name__, url_prefix="/api")
MAX_PREFIX_CHARS = 200  # what a search box may ask to complete


def _index():
    return current_app.extensions["izde"].get()


def error(status: int, message: str):
    return jsonify({"error": {"status": status, "message": message}}), status


@bp.route("/search")
def api_search():
    params = parse(request.args, current_app.config["PAGE_SIZE"])
    if params.errors:
        return error(400, params.message())
    result = search(_index(), params.q or "*", params.filters, params.page, params.page_size, params.sort)
    data = result.to_dict()
    for hit in data["hits"]:
        hit["url"] = url_for("pages.article_page", article_id=hit["id"], _external=True)
    return jsonify(data)


@bp.route("/articles/<article_id>")
def api_article(article_id: str):
    article = get_article(_index(), article_id)
    if article is None:
        return error(404, f"no article with id {article_id}")
    return jsonify(article.to_dict())


@bp.route("/articles/<article_id>/related")
def api_related(article_id: str):
    limit = whole_number(request.args.get("limit", "10"))
    if limit is None or not 1 <= limit <= 50:
        return error(400, "limit must be a whole number from 1 to 50")
    found = related(_index(), article_id, limit)
    if found is None:
        return error(404, f"no article with id {article_id}")
    return jsonify(to_data(found))


@bp.route("/suggest")
def api_suggest():
    q = request.args.get("q", "")
    if len(q) > MAX_PREFIX_CHARS:
        return error(400, f"parameter 'q' is longer than {MAX_PREFIX_CHARS} characters: complete a word, not a text")
    found = complete(_index(), q, 8)
    if request.args.get("format") == "opensearch":  # OpenSearch suggestions: [query, [completions]]
        return jsonify([q, [c.text for c in found]])
    return jsonify(to_data(found))


@bp.route("/issues")
def api_issues():
    ix = _index()
    label = request.args.get("issue")
    if label:
        entries = issue_contents(ix, label)
        if not entries:
            return error(404, f"no issue {label!r} in the index")
        return jsonify(to_data(entries))
    year = request.args.get("year")
    if year is not None and whole_number(year) is None:
        return error(400, "year must be a number")
    return jsonify(to_data(list_issues(ix, whole_number(year) if year else None)))


@bp.route("/openapi.json")
def api_openapi():
    return jsonify(openapi_document(request.host_url.rstrip("/")))


@bp.route("/<path:anything>")
def api_unknown(anything: str):
    return error(404, f"no API route /api/{anything}")

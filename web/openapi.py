"""The OpenAPI 3.1 description of the JSON API, served at /api/openapi.json."""

from __future__ import annotations

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_ERROR = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _param(name: str, description: str, schema: dict | None = None, many: bool = False, where: str = "query",
           required: bool = False) -> dict:
    schema = schema or _STRING
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": {"type": "array", "items": schema, "maxItems": 20} if many else schema,
            **({"explode": True, "style": "form"} if many else {})}


SEARCH_PARAMS = [
    _param("q", "The query: words, \"phrases\", AND/OR/NOT, -word, title:, author:, section:, prefix*, fuzzy~. "
              "At most 1,000 characters (a longer one is a 400)", {"type": "string", "maxLength": 1000}),
    _param("issue", "Issue label, e.g. `1 (147)`; `unknown` for articles with none", many=True),
    _param("year", "Year, or `unknown`", many=True),
    _param("section", "Section (rubric)", many=True),
    _param("language", "ky, ru or en", {"type": "string", "enum": ["ky", "ru", "en"]}, many=True),
    _param("kind", "Kind of material", {"type": "string", "enum": ["magazine-article", "news", "press-release",
                                                                   "other"]}, many=True),
    _param("author", "Author's full name", many=True),
    _param("from", "From date: YYYY, YYYY-MM or YYYY-MM-DD"),
    _param("to", "To date: YYYY, YYYY-MM or YYYY-MM-DD"),
    _param("sort", "Order", {"type": "string", "enum": ["relevance", "newest", "oldest"]}),
    _param("page", "Page, from 1", {"type": "integer", "minimum": 1, "maximum": 10000}),
    _param("size", "Results per page", {"type": "integer", "minimum": 1, "maximum": 100}),
]
ID = _param("id", "Article id", where="path", required=True)


def _ok(schema: dict, description: str = "OK") -> dict:
    return {"200": {"description": description, "content": {"application/json": {"schema": schema}}}}


def document(server: str) -> dict:
    """The OpenAPI document, with `server` as the base URL."""
    ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
    return {
        "openapi": "3.1.0",
        "info": {"title": "Izde API", "version": "1",
                 "description": "Search the archive of the «Муниципалитет» magazine. Read-only; CORS allowed. "
                                "Every error is JSON (`Error`); search and suggest are rate-limited per client "
                                "(429 with Retry-After); a request body over 64 KB is a 413."},
        "servers": [{"url": server}],
        "paths": {
            "/api/search": {"get": {"summary": "Search", "parameters": SEARCH_PARAMS,
                                    "responses": {**_ok(ref("SearchResult")), "400": _ERROR}}},
            "/api/articles/{id}": {"get": {"summary": "One article", "parameters": [ID],
                                           "responses": {**_ok(ref("Article")), "404": _ERROR}}},
            "/api/articles/{id}/related": {"get": {
                "summary": "Related articles, with the key terms they share",
                "parameters": [ID, _param("limit", "How many", {"type": "integer", "minimum": 1, "maximum": 50})],
                "responses": {**_ok({"type": "array", "items": ref("RelatedArticle")}), "400": _ERROR,
                              "404": _ERROR}}},
            "/api/suggest": {"get": {"summary": "Completions for a prefix (archive words, then titles)",
                                     "parameters": [_param("q", "What has been typed (at most 200 characters)",
                                                           {"type": "string", "maxLength": 200}),
                                                    _param("format", "`opensearch` for [query, [completions]]")],
                                     "responses": {**_ok({"type": "array"}), "400": _ERROR}}},
            "/api/issues": {"get": {"summary": "Years → issues, or one issue's contents",
                                    "parameters": [_param("year", "Only this year", {"type": "integer"}),
                                                   _param("issue", "An issue label: its table of contents")],
                                    "responses": {**_ok({"type": ["object", "array"]}), "400": _ERROR,
                                                  "404": _ERROR}}},
            "/api/openapi.json": {"get": {"summary": "This document", "responses": _ok({"type": "object"})}},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["status", "message"],
                "properties": {"status": {"type": "integer"}, "message": _STRING,
                               "request_id": {"type": "string", "description": "server errors only: the id the "
                                                                                 "server's log gives the error"}}}}},
            "Author": {"type": "object", "properties": {"name": _STRING, "role": _NULLABLE_STRING}},
            "Hit": {"type": "object", "required": ["id", "title", "score", "snippet", "snippet_parts"], "properties": {
                "id": _STRING, "title": _STRING, "date": _NULLABLE_STRING, "year": {"type": ["integer", "null"]},
                "issue": _NULLABLE_STRING, "section": _NULLABLE_STRING, "language": _STRING, "kind": _STRING,
                "authors": {"type": "array", "items": ref("Author")}, "score": {"type": "number"},
                "snippet": _STRING, "snippet_html": _STRING, "url": _STRING,
                "snippet_parts": {"type": "array", "description": "The snippet as data, for clients that build "
                                  "their own nodes (never parse HTML): its pieces in order, `match` true for the "
                                  "words the query matched; the text of all pieces is `snippet` without its «»",
                                  "items": ref("SnippetPart")}}},
            "SnippetPart": {"type": "object", "required": ["text", "match"],
                            "properties": {"text": _STRING, "match": {"type": "boolean"}}},
            "FacetValue": {"type": "object", "properties": {"value": _STRING, "count": {"type": "integer"},
                                                            "selected": {"type": "boolean"}}},
            "SearchResult": {"type": "object", "required": ["total", "hits", "facets"], "properties": {
                "query": _STRING, "total": {"type": "integer"}, "page": {"type": "integer"},
                "pages": {"type": "integer"}, "page_size": {"type": "integer"}, "sort": _STRING,
                "hits": {"type": "array", "items": ref("Hit")},
                "facets": {"type": "object", "additionalProperties": {"type": "array", "items": ref("FacetValue")}},
                "filters": {"type": "object"}, "message": _NULLABLE_STRING, "suggestion": _NULLABLE_STRING,
                "relaxed": {"type": ["object", "null"], "description":
                            "Set when fewer than three articles have every word: the results then go on, below "
                            "those, with articles that have all words but one (found with `words` of `of` words).",
                            "properties": {"words": {"type": "integer"}, "of": {"type": "integer"},
                                           "full_matches": {"type": "integer"}}}}},
            "Article": {"type": "object", "required": ["id", "title", "body"], "properties": {
                "id": _STRING, "title": _STRING, "body": _STRING,
                "title_derived": {"type": "boolean", "description": "the page had no title: this is its first "
                                                                    "sentence"}, "language": _STRING, "kind": _STRING,
                "date": _NULLABLE_STRING, "year": {"type": ["integer", "null"]}, "issue": _NULLABLE_STRING,
                "section": _NULLABLE_STRING, "url": _NULLABLE_STRING, "source": _STRING,
                "authors": {"type": "array", "items": ref("Author")}, "related": {"type": "array"},
                "keyterms": {"type": "array", "items": _STRING},
                "translation": {"type": ["object", "null"]}}},
            "RelatedArticle": {"type": "object", "properties": {
                "id": _STRING, "title": _STRING, "date": _NULLABLE_STRING, "issue": _NULLABLE_STRING,
                "language": _STRING, "score": {"type": "number"}, "shared": {"type": "array", "items": _STRING}}},
        }},
    }

"""The Flask app through its test client: every route, bad parameters, languages, API, feeds, exports."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest

import archive_factory
from index.build import build_index
from web import create_app

ROUTES = ["/", "/search?q=суу", "/a/ky-water-0", "/a/ky-water-0?q=суу", "/a/ky-water-0.ris", "/a/ky-water-0.bib",
          "/issues", "/issues?issue=1 (147)", "/about", "/search.atom?q=суу", "/search.csv?q=суу", "/opensearch.xml",
          "/api/search?q=суу", "/api/articles/ky-water-0", "/api/articles/ky-water-0/related", "/api/suggest?q=суу",
          "/api/issues", "/api/issues?year=2024", "/api/issues?issue=1 (147)", "/api/openapi.json"]
BAD = ["/search?q=суу&year=³", "/api/search?q=суу&year=²", "/api/search?page=³", "/api/search?size=١",
       "/api/articles/ky-water-0/related?limit=³", "/api/issues?year=³", "/search?q=year:³",
       "/search?q=суу&page=0", "/search?q=суу&page=-1", "/search?q=суу&page=abc", "/search?q=суу&year=abc",
       "/search?q=суу&size=100000", "/search?q=суу&sort=sideways", "/search?q=суу&from=yesterday",
       "/search?q=суу&lang=xx", "/search?q=" + "а" * 20000, "/search?q=%00%01", "/search?q=\"", "/search?q=(((",
       "/search?q=суу&page=99999", "/search.atom?q=\"&year=x", "/search.csv?q=(((", "/a/%00", "/issues?issue=x",
       "/api/search?q=\"", "/api/suggest", "/api/suggest?q=%00", "/api/articles/nope/related?limit=abc"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    archive_factory.write(root / "archive.jsonl")
    build_index([root / "archive.jsonl"], root / "index")
    return create_app({"INDEX": str(root / "index"), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.mark.parametrize("url", ROUTES)
def test_every_route_answers(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.data


@pytest.mark.parametrize("url", BAD)
def test_bad_parameters_never_give_a_500(client, url):
    response = client.get(url)
    assert response.status_code in (200, 400, 404, 414), (url, response.status_code)
    if url.startswith("/api/") and response.status_code != 200:
        assert set(response.get_json()["error"]) == {"status", "message"}


def test_unknown_ids_are_404_page_and_404_json(client):
    page = client.get("/a/no-such-id")
    assert page.status_code == 404 and "Мындай бет жок" in page.get_data(as_text=True)
    api = client.get("/api/articles/no-such-id")
    assert api.status_code == 404 and api.get_json()["error"]["status"] == 404
    assert client.get("/api/articles/no-such-id/related").status_code == 404
    assert client.get("/api/no/such/route").get_json()["error"]["status"] == 404


def test_api_rejects_bad_parameters_with_a_message(client):
    response = client.get("/api/search?q=суу&year=abc&page=0")
    assert response.status_code == 400
    assert "year" in response.get_json()["error"]["message"] and "page" in response.get_json()["error"]["message"]


def test_search_page_state_lives_in_the_url(client):
    html = client.get("/search?q=суу&year=2024&kind=magazine-article").get_data(as_text=True)
    assert 'aria-live="polite"' in html and "Табылды: 2" in html
    assert "year=2024" in html and 'class="chips"' in html  # active filters as removable chips
    assert 'rel="alternate" type="application/atom+xml"' in html and 'rel="search"' in html
    assert "<mark>" in html


def test_facet_links_narrow_and_widen(client):
    html = client.get("/search?q=суу").get_data(as_text=True)
    assert "year=2024" in html  # a facet link adds the value
    narrowed = client.get("/search?q=суу&year=2024").get_data(as_text=True)
    assert "Табылды: 3" in narrowed
    assert 'href="/search?q=%D1%81%D1%83%D1%83"' in narrowed  # and the chip removes it again


def test_did_you_mean_and_empty_state(client):
    html = client.get("/search?q=таштандылрды").get_data(as_text=True)
    assert "Муну издедиңизби:" in html and "таштандыларды" in html
    assert "Кеңештер" in html


def test_interface_languages(client):
    assert "Табылды" in client.get("/search?q=суу").get_data(as_text=True)  # Kyrgyz by default
    ru = client.get("/search?q=суу&lang=ru")
    assert "Найдено" in ru.get_data(as_text=True) and "izde_lang=ru" in ru.headers["Set-Cookie"]
    assert "Найдено" in client.get("/search?q=суу").get_data(as_text=True)  # remembered
    fresh = create_app(client.application.config).test_client()
    html = fresh.get("/search?q=суу", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Found" in html and '<html lang="en">' in html
    assert "Табылды" in fresh.get("/search?q=суу&lang=ky").get_data(as_text=True)


def test_every_interface_string_is_translated():
    from web.i18n import MESSAGES

    for key, texts in MESSAGES.items():
        assert len(texts) == 3 and all(t.strip() for t in texts), key


def test_article_page(client):
    html = client.get("/a/ky-water-0?q=суу").get_data(as_text=True)
    assert '<meta name="citation_title"' in html and '<meta name="citation_author" content="Айгүл АСАНОВА">' in html
    assert '<meta name="citation_issue" content="1 (120)">' in html
    assert "<mark>" in html
    assert "/a/ru-water-0" in html  # the same article in Russian
    assert "// Муниципалитет. — 2022. — № 1 (120)." in html  # cite this
    assert "жалпы сөздөр" in html  # related articles with their shared terms


def test_ris_and_bibtex(client):
    ris = client.get("/a/ky-water-0.ris").get_data(as_text=True)
    assert ris.startswith("TY  - JOUR") and "AU  - Айгүл АСАНОВА" in ris and ris.rstrip().endswith("ER  -")
    bib = client.get("/a/ky-water-0.bib").get_data(as_text=True)
    assert bib.startswith("@article{izde-ky-water-0,") and "number = {1 (120)}" in bib


def test_openapi_document_is_valid(client):
    from openapi_spec_validator import validate

    document = client.get("/api/openapi.json").get_json()
    validate(document)
    assert {"/api/search", "/api/articles/{id}", "/api/articles/{id}/related", "/api/suggest", "/api/issues"} <= set(
        document["paths"])


def test_atom_feed_is_valid_and_newest_first(client):
    import atoma

    feed = atoma.parse_atom_bytes(client.get("/search.atom?q=суу").data)
    dates = [entry.updated for entry in feed.entries]
    assert len(dates) == 7 and dates == sorted(dates, reverse=True)
    assert all(entry.id_ and entry.title.value for entry in feed.entries)


@pytest.mark.parametrize("url", ["/", "/search?q=суу", "/about", "/issues", "/api/search?q=суу",
                                 "/search.atom?q=суу", "/no-such-page"])
def test_security_headers_on_every_answer(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.status_code < 400 or url == "/no-such-page"


def test_rate_limits_answer_429_with_retry_after(client):
    limited = create_app({**client.application.config, "RATELIMIT_ENABLED": True,
                          "RATE_LIMIT_SEARCH": "3 per minute", "RATE_LIMIT_SUGGEST": "2 per minute"}).test_client()
    # The page, the API and the feed share one search budget per client.
    for url in ("/search?q=суу", "/api/search?q=суу", "/search.atom?q=суу"):
        answer = limited.get(url)
        assert answer.status_code == 200 and "Retry-After" not in answer.headers and "X-RateLimit-Limit" in answer.headers
    api = limited.get("/api/search?q=суу")
    assert api.status_code == 429 and int(api.headers["Retry-After"]) > 0
    assert api.get_json()["error"]["status"] == 429
    page = limited.get("/search?q=суу&lang=en")
    assert page.status_code == 429 and "Too many requests from this address" in page.get_data(as_text=True)
    assert limited.get("/about").status_code == 200  # reading is not limited
    # Completion has its own budget.
    assert [limited.get("/api/suggest?q=суу").status_code for _ in range(3)] == [200, 200, 429]
    # Another client is not held back by this one.
    other = limited.get("/api/suggest?q=суу", environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 200


def test_pages_have_no_inline_script_or_style(client):
    import re

    for url in ("/", "/search?q=суу", "/about", "/issues", "/embed", "/embed/demo"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page) and "<style" not in page and " style=" not in page
        assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers


@pytest.mark.parametrize("query", ["су%00у", "%01суу", "суу%0b%0c", "%1f", "суу%EF%BF%BE"])
def test_atom_feed_of_a_query_with_control_characters_is_valid_xml(client, query):
    import atoma

    response = client.get(f"/search.atom?q={query}")  # a NUL or a control character once gave a 500
    assert response.status_code == 200
    feed = atoma.parse_atom_bytes(response.data)
    assert feed.title.value.startswith("Izde: ")


def test_csv_export_is_the_whole_result_and_safe(client, tmp_path):
    evil = tmp_path / "evil.jsonl"
    evil.write_text(json.dumps({"id": "evil", "title": "=HYPERLINK(\"http://x\")", "body": "+суу -1 @x",
                                "language": "ky"}, ensure_ascii=False))
    build_index([evil], tmp_path / "ix")
    evil_client = create_app({"INDEX": str(tmp_path / "ix"), "TESTING": True}).test_client()
    rows = list(csv.reader(io.StringIO(evil_client.get("/search.csv?q=суу").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][1].startswith("'=")  # a formula would run in a spreadsheet; text does not
    whole = list(csv.reader(io.StringIO(client.get("/search.csv?q=суу&size=1").get_data(as_text=True))))
    assert len(whole) == 1 + 7


def test_cors_for_the_api_only(client, app):
    response = client.get("/api/search?q=суу", headers={"Origin": "https://partner.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Access-Control-Allow-Origin" not in client.get("/search?q=суу", headers={"Origin": "https://x"}).headers
    limited = create_app({**app.config, "CORS_ORIGINS": ["https://gov.kg"]}).test_client()
    ok = limited.get("/api/search?q=суу", headers={"Origin": "https://gov.kg"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://gov.kg"
    assert "Access-Control-Allow-Origin" not in limited.get("/api/search?q=суу",
                                                           headers={"Origin": "https://evil.example"}).headers


def test_opensearch_suggestions(client):
    assert "application/x-suggestions+json" in client.get("/opensearch.xml").get_data(as_text=True)
    query, completions = client.get("/api/suggest?q=түтү&format=opensearch").get_json()
    assert query == "түтү" and "түтүктөрү" in completions


def test_missing_index_is_a_clear_503(tmp_path):
    client = create_app({"INDEX": str(tmp_path / "none"), "TESTING": True}).test_client()
    page = client.get("/search?q=суу")
    assert page.status_code == 503 and "izde index build" in page.get_data(as_text=True)
    assert client.get("/api/search?q=суу").get_json()["error"]["status"] == 503


def test_settings_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("IZDE_INDEX", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("IZDE_PAGE_SIZE", "25")
    app = create_app()
    assert app.config["INDEX"] == str(tmp_path / "elsewhere") and app.config["PAGE_SIZE"] == 25


def test_a_rebuild_is_picked_up_without_restart(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"title": "Биринчи", "body": "суу"}, ensure_ascii=False))
    build_index([tmp_path / "a.jsonl"], tmp_path / "ix")
    client = create_app({"INDEX": str(tmp_path / "ix"), "TESTING": True}).test_client()
    assert client.get("/api/search?q=суу").get_json()["total"] == 1
    (tmp_path / "b.jsonl").write_text(json.dumps({"title": "Экинчи", "body": "суу"}, ensure_ascii=False))
    build_index([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], tmp_path / "ix")
    # The new build is opened and warmed in the background; until then the previous one answers.
    deadline, totals = time.monotonic() + 30, []
    while not totals or totals[-1] != 2:
        assert time.monotonic() < deadline, totals
        totals.append(client.get("/api/search?q=суу").get_json()["total"])
    assert set(totals) <= {1, 2}


def test_limits_are_clear_400s_that_still_search(client):
    long_query = "суу " * 300  # 1,200 characters
    api = client.get("/api/search", query_string={"q": long_query})
    assert api.status_code == 400 and "'q' is longer than 1000 characters" in api.get_json()["error"]["message"]
    page = client.get("/search", query_string={"q": long_query, "lang": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "only its first 1,000 characters were searched" in html
    assert "Found:" in html  # what was valid is still searched
    many = client.get("/api/search", query_string=[("q", "суу")] + [("section", f"s{n}") for n in range(21)])
    assert many.status_code == 400 and "'section' has more than 20 values" in many.get_json()["error"]["message"]
    assert client.get("/api/search", query_string=[("q", "суу")] + [("section", "x")] * 20).status_code == 200
    for bad in ("page=10001", "size=101", "size=0"):
        answer = client.get(f"/api/search?q=суу&{bad}")
        assert answer.status_code == 400 and "must be a whole number" in answer.get_json()["error"]["message"]
    for route in ("/search.atom", "/search.csv"):
        refused = client.get(route, query_string={"q": "суу", "year": "x", "lang": "ru"})
        assert refused.status_code == 400 and "Параметр «year» неверен" in refused.get_data(as_text=True)
    suggest = client.get("/api/suggest", query_string={"q": "а" * 201})
    assert suggest.status_code == 400 and "longer than 200" in suggest.get_json()["error"]["message"]


def test_bodies_and_methods_get_a_4xx_in_the_clients_form(client):
    big = client.get("/api/search?q=суу", data=b"x" * (65 * 1024))
    assert big.status_code == 413 and big.get_json()["error"]["status"] == 413
    post = client.post("/api/search?q=суу", data=b"{}")
    assert post.status_code == 405 and post.get_json()["error"]["status"] == 405
    huge = client.get("/api/search", query_string={"q": "суу", "author": "ы" * 20000})
    assert huge.status_code == 414 and "at most 32,768 bytes" in huge.get_json()["error"]["message"]
    page = client.post("/search?q=суу&lang=en")
    assert page.status_code == 405 and "Bad request" in page.get_data(as_text=True)


def test_server_errors_are_logged_with_the_request_id_the_page_shows(tmp_path, caplog):
    archive_factory.write(tmp_path / "archive.jsonl")
    build_index([tmp_path / "archive.jsonl"], tmp_path / "index")
    app = create_app({"INDEX": str(tmp_path / "index")})  # not TESTING: errors are handled, not raised

    def broken():
        raise RuntimeError("a bug")
    app.add_url_rule("/broken", view_func=broken)
    app.add_url_rule("/api/broken", view_func=broken)
    client = app.test_client()
    page = client.get("/broken?lang=en")
    request_id = page.headers["X-Request-ID"]
    html = page.get_data(as_text=True)
    assert page.status_code == 500 and f"Request id (tell the administrator): {request_id}" in html
    assert "Traceback" not in html and "a bug" not in html
    logged = [r for r in caplog.records if r.levelname == "ERROR"]
    assert logged and request_id in logged[-1].getMessage() and logged[-1].exc_info[0] is RuntimeError
    api = client.get("/api/broken")
    assert api.status_code == 500 and api.get_json()["error"] == {
        "status": 500, "message": "internal error", "request_id": api.headers["X-Request-ID"]}
    assert client.get("/search?q=суу").headers["X-Request-ID"] != request_id

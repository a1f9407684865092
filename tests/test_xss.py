"""Markup and script in articles and queries are shown as text everywhere — pages, snippets, chips, the API opened
in a browser, Atom, OpenSearch, CSV — checked in real headless Chromium against `izde serve`: no dialog opens, no
injected element or handler exists, and the markup is there to read as text."""

from __future__ import annotations

import csv
import io
import json
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from index.build import build_index
from conftest import needs_chromium

sys.path.append(str(Path(__file__).parent.parent / "bench"))  # after the packages: bench/search.py is a script
import stress  # noqa: E402

pytestmark = needs_chromium

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = '"><script>window.__xss = 1; alert(2)</script>'
HOSTILE = [
    {"id": "evil-1", "title": f"Суу {IMG} {SCRIPT}", "language": "ky", "kind": "magazine-article",
     "date": "2024-01-31", "issue": "1 (147)", "section": '"><svg onload=alert(3)>Тажрыйба',
     "authors": ["<b onmouseover=alert(4)>Айгүл</b> АСАНОВА"],
     "body": f"Айылга таза суу келди. {IMG} Тургундар кубанышты. <script>alert(5)</script> Суу түтүгү оңдолду. "
             "<a href=javascript:alert(6)>шилтеме</a>"},
    {"id": "evil-2", "title": '=HYPERLINK("http://evil.example","суу")', "language": "ky", "kind": "news",
     "date": "2024-02-01", "authors": ["@SUM(1+1)"], "body": "+суу -суу =суу. Суу жөнүндө жаңылык."},
]
HANDLERS = "[onerror],[onload],[onmouseover],[onclick],svg,img[src='x'],a[href^='javascript']"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    (root / "evil.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in HOSTILE) + "\n",
                                     encoding="utf-8")
    build_index([root / "evil.jsonl"], root / "index")
    with stress.serve(root / "index", IZDE_RATELIMIT_ENABLED="false") as (port, _pid):
        yield f"http://127.0.0.1:{port}"


def _q(**params) -> str:
    return urllib.parse.urlencode(params)


PAGES = ["/search?" + _q(q="суу"), "/search?" + _q(q=f"{IMG} суу"), "/search?" + _q(q="суу", section=HOSTILE[0]["section"]),
         "/search?" + _q(q="суу", author=HOSTILE[0]["authors"][0]), "/a/evil-1", "/a/evil-1?" + _q(q="суу"),
         "/a/evil-1?" + _q(q=SCRIPT), "/a/evil-2", "/issues", "/issues?" + _q(issue="1 (147)"),
         "/api/search?" + _q(q="суу"), "/api/articles/evil-1", "/search.atom?" + _q(q="суу"),
         "/embed?" + _q(placeholder=SCRIPT, section=IMG, lang=SCRIPT), "/embed/demo?" + _q(section=SCRIPT, results=IMG)]


@pytest.mark.parametrize("path", PAGES)
def test_markup_is_shown_as_text_and_never_runs(server, browser, path):
    context = browser.new_context()
    try:
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        response = page.goto(server + path)
        page.wait_for_timeout(300)  # time for an onerror or onload to fire
        assert response.status == 200, path
        assert not dialogs and page.evaluate("window.__xss") is None, (path, dialogs)
        assert page.locator(HANDLERS).count() == 0, path
        own = page.evaluate("[...document.scripts].every(s => s.src && new URL(s.src).origin === location.origin)")
        assert own, path
        if path.startswith(("/search?", "/a/evil-1", "/issues?")):
            text = page.evaluate("document.body.innerText")
            assert "onerror=alert(1)" in text or "onload=alert(3)" in text or "onmouseover" in text, path
    finally:
        context.close()


def _get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.headers["Content-Type"], answer.read().decode("utf-8")


def test_feeds_exports_and_json_carry_markup_as_data(server):
    kind, atom = _get(server + "/search.atom?" + _q(q="суу"))
    assert kind.startswith("application/atom+xml") and "&lt;img src=x onerror=alert(1)&gt;" in atom
    assert "<img" not in atom and "<script" not in atom
    kind, data = _get(server + "/api/search?" + _q(q="суу"))
    assert kind.startswith("application/json")
    hit = next(h for h in json.loads(data)["hits"] if h["id"] == "evil-1")
    assert IMG in hit["title"] and "<img" not in hit["snippet_html"].replace("<mark>", "").replace("</mark>", "")
    kind, opensearch = _get(server + "/opensearch.xml")
    assert kind.startswith("application/opensearchdescription+xml") and "<script" not in opensearch
    kind, text = _get(server + "/search.csv?" + _q(q="суу"))
    rows = {row[0]: row for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows["evil-2"][1] == "'" + HOSTILE[1]["title"] and rows["evil-2"][7] == "'@SUM(1+1)"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows.values() for cell in row)

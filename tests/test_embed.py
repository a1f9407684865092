"""The partner box in real headless Chromium: a partner's page on another origin (another port of 127.0.0.1)
embeds `<izde-search>` from `izde serve`. Typing, the keyboard, opening a result, a hostile stylesheet, markup in
articles, two boxes, a failing API, the iframe and the demo page. Screenshots go to test-artifacts/."""

from __future__ import annotations

import gzip
import json
import shutil
import sys
import threading
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import archive_factory
from index.archive import sample_archive
from index.build import build_index
from conftest import ARTIFACTS, needs_chromium

sys.path.append(str(Path(__file__).parent.parent / "bench"))  # after the packages: bench/search.py is a script
import stress  # noqa: E402

pytestmark = needs_chromium

HOSTILE_CSS = "* { color: red !important; font: 40px serif !important; display: block !important }"
EVIL = {"id": "evil-embed", "title": "Суу <img src=x onerror=alert(1)> \"><script>window.__xss=1</script>",
        "language": "ky", "kind": "news", "date": "2024-03-01", "section": "<b onmouseover=alert(2)>Рубрика</b>",
        "body": "Зымырык айылында суу түтүгү <img src=x onerror=alert(3)> оңдолду. <script>alert(4)</script> Суу келди."}


def page_html(izde: str, body: str, head: str = "", lang: str = "ky") -> str:
    return (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>Partner</title>{head}"
            f"<script src='{izde}/embed.js' type='module'></script></head><body>{body}</body></html>")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """(Izde's origin, the partner's origin): two servers on two ports."""
    root = tmp_path_factory.mktemp("embed")
    archive = root / "archive"
    shutil.copytree(sample_archive(), archive, ignore=shutil.ignore_patterns("NOTICE.md"))
    rows = archive_factory.rows() + [EVIL]
    (archive / "items.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                         encoding="utf-8")
    build_index([archive], root / "index")
    partner = root / "partner"
    partner.mkdir()
    with stress.serve(root / "index", IZDE_RATELIMIT_ENABLED="false") as (port, _pid):
        izde = f"http://127.0.0.1:{port}"
        box = "<h1>Муниципалитет</h1><izde-search results='3'></izde-search>"
        pages = {
            "light.html": page_html(izde, box),
            "dark.html": page_html(izde, "<h1>Dark</h1><izde-search theme='dark' results='3'></izde-search>",
                                   "<link rel='stylesheet' href='dark.css'>"),
            "hostile.html": page_html(izde, box, "<link rel='stylesheet' href='hostile.css'>"),
            "two.html": page_html(izde, "<izde-search id='a' language='ru'></izde-search>"
                                        "<izde-search id='b' lang='en' kind='news'></izde-search>"),
            "russian.html": page_html(izde, "<izde-search></izde-search>", lang="ru"),
            "target.html": page_html(izde, "<izde-search target='izde' section='Тажрыйба' lang='en'></izde-search>"),
            "frame.html": (f"<!doctype html><html><body><iframe id='f' src='{izde}/embed?lang=ru' title='Izde' "
                           "style='width:100%;height:100px;border:0'></iframe><script src='frame.js'></script>"
                           "</body></html>"),
            "frame.js": "window.heights = []; addEventListener('message', e => { if (e.data && e.data.type === "
                        "'izde:height') { heights.push(e.data.height); document.getElementById('f').style.height = "
                        "e.data.height + 'px'; } });",
            "hostile.css": HOSTILE_CSS,
            "dark.css": "body { background: #111; color: #eee; font-family: Georgia, serif; }",
        }
        for name, text in pages.items():
            (partner / name).write_text(text, encoding="utf-8")
        handler = partial(QuietHandler, directory=str(partner))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield izde, f"http://127.0.0.1:{server.server_address[1]}"
        server.shutdown()
        server.server_close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 900, "height": 800})
    yield context
    context.close()


def open_page(context, url):
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_function("customElements.get('izde-search') !== undefined")
    return page


def type_into(page, text, box="izde-search"):
    field = page.locator(f"{box} [part=input]")
    field.click()
    field.type(text, delay=30)
    return field


def type_query(page, text, box="izde-search"):
    field = type_into(page, text, box)
    page.locator(f"{box} [part=result]").first.wait_for()
    return field


def test_results_in_place_keyboard_and_opening_a_result(sites, context):
    izde, partner = sites
    page = open_page(context, partner + "/light.html")
    field = type_query(page, "суу")
    assert page.locator("izde-search [part=result]").count() == 3  # results="3"
    status = page.locator("izde-search [role=status]")
    assert status.get_attribute("aria-live") == "polite" and status.inner_text().startswith("Табылды:")
    assert field.get_attribute("role") == "combobox" and field.get_attribute("aria-expanded") == "true"
    assert page.locator("izde-search mark").count() > 0  # matched words marked
    first = page.locator("izde-search [part=result]").first.inner_text()
    assert "·" in first  # date · issue · section
    more = page.locator("izde-search [part=more]")
    assert more.get_attribute("href").startswith(izde + "/search?q=")
    # Down through completions to the first result; the active option is announced through aria-activedescendant.
    options = page.locator("izde-search [role=option]")
    results_start = next(i for i in range(options.count()) if options.nth(i).get_attribute("part") == "result")
    for _ in range(results_start + 1):
        field.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert page.locator(f"izde-search #{active}").get_attribute("aria-selected") == "true"
    assert page.locator(f"izde-search #{active}").get_attribute("part") == "result"
    shot_name = ARTIFACTS / "embed-light.png"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(shot_name), full_page=True)
    # Escape closes the list; a second Escape clears the box.
    field.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    field.press("Escape")
    assert field.input_value() == ""
    type_query(page, "суу")
    field.press("ArrowDown")
    while page.locator(f"izde-search #{field.get_attribute('aria-activedescendant')}").get_attribute("part") != "result":
        field.press("ArrowDown")
    with page.expect_navigation():
        field.press("Enter")
    assert page.url.startswith(izde + "/a/")
    assert not context.cookies()  # no cookies, on either origin


def test_a_completion_searches_and_tab_moves_on(sites, context):
    _izde, partner = sites
    page = open_page(context, partner + "/light.html")
    field = type_into(page, "су")
    suggestion = page.locator("izde-search [part=suggestion]").first
    suggestion.wait_for()
    word = suggestion.inner_text()
    field.press("ArrowDown")
    field.press("Enter")
    page.wait_for_function("w => document.querySelector('izde-search').shadowRoot.querySelector('input').value === w",
                           arg=word)
    page.locator("izde-search [part=result]").first.wait_for()
    field.press("Tab")
    assert field.get_attribute("aria-expanded") == "false"
    # An article's title among the completions opens that article.
    field.fill("")
    field.type("Суу түт", delay=30)
    title = page.locator("izde-search [part=suggestion][data-url]").first
    title.wait_for()
    chosen = title.inner_text()
    with page.expect_navigation():
        title.click()
    assert "/a/" in page.url and page.locator("h1").inner_text() == chosen


STYLE_PROBE = """() => {
  const root = document.querySelector('izde-search').shadowRoot;
  const pick = (sel) => { const s = getComputedStyle(root.querySelector(sel));
    return [s.color, s.fontSize, s.fontFamily, s.display, s.backgroundColor, s.borderRadius]; };
  return {input: pick('input'), button: pick('button'), title: pick('.title'), snippet: pick('.snippet'),
          list: pick('ul'), status: pick('.status')};
}"""


def test_a_hostile_stylesheet_leaves_the_box_intact(sites, context):
    _izde, partner = sites
    calm = open_page(context, partner + "/light.html")
    type_query(calm, "суу")
    hostile = open_page(context, partner + "/hostile.html")
    type_query(hostile, "суу")
    assert hostile.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(255, 0, 0)"  # it applies
    assert hostile.evaluate(STYLE_PROBE) == calm.evaluate(STYLE_PROBE)
    # …and the box's own CSS does not leak out into the page.
    assert calm.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(0, 0, 0)"


def test_markup_in_an_article_is_text_in_the_box(sites, context):
    _izde, partner = sites
    page = open_page(context, partner + "/light.html")
    type_query(page, "Зымырык")
    page.wait_for_timeout(300)
    titles = page.locator("izde-search [part=title]").all_inner_texts()
    assert any("<img src=x onerror=alert(1)>" in t for t in titles)
    injected = page.evaluate("""() => { const root = document.querySelector('izde-search').shadowRoot;
        return root.querySelectorAll('img, script, b, [onerror], [onmouseover]').length
             + document.querySelectorAll('img, b').length; }""")
    assert injected == 0 and not page.dialogs and page.evaluate("window.__xss") is None


def test_two_boxes_search_independently_with_their_presets(sites, context):
    _izde, partner = sites
    page = open_page(context, partner + "/two.html")
    type_query(page, "водопровод", "#a")
    assert page.locator("#b [part=result]").count() == 0
    assert page.locator("#b [part=input]").get_attribute("placeholder") == "Search…"  # lang="en"
    type_query(page, "суу", "#b")
    kinds = page.evaluate("""() => [...document.querySelectorAll('#b')].map(b => b.shadowRoot
        .querySelectorAll('[part=result]').length)""")
    assert kinds[0] >= 1
    a_titles = page.locator("#a [part=title]").all_inner_texts()
    assert a_titles and all("Водопровод" in t for t in a_titles)  # language="ru" kept box a to Russian
    b_links = page.locator("#b [part=result] a").evaluate_all("links => links.map(a => a.href)")
    assert {link.rsplit("/", 1)[1] for link in b_links} <= {"news-1", "news-2", "evil-embed"}  # kind="news"


def test_the_page_language_and_a_failing_api(sites, context):
    _izde, partner = sites
    page = open_page(context, partner + "/russian.html")
    field = page.locator("izde-search [part=input]")
    assert field.get_attribute("placeholder") == "Поиск…"  # <html lang="ru">, no lang attribute
    page.route("**/api/**", lambda route: route.abort())
    type_into(page, "суу")
    status = page.locator("izde-search [role=status]")
    status.filter(has_text="недоступен").wait_for()
    assert field.get_attribute("aria-expanded") == "false" and field.is_editable()


def test_dark_page_and_a_phone(sites, browser):
    _izde, partner = sites
    context = browser.new_context(viewport={"width": 320, "height": 700})
    try:
        page = open_page(context, partner + "/dark.html")
        type_query(page, "суу")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "embed-dark-320px.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing sticks out at 320 px
        background = page.evaluate("""() => getComputedStyle(document.querySelector('izde-search').shadowRoot
            .querySelector('input')).backgroundColor""")
        assert background == "rgb(29, 31, 33)"  # theme="dark"
    finally:
        context.close()


def test_the_iframe_reports_its_height_and_only_embed_may_be_framed(sites, context):
    izde, partner = sites
    page = context.new_page()
    page.goto(partner + "/frame.html")
    page.wait_for_function("window.heights.length > 0")
    frame = page.frame_locator("#f")
    frame.locator("izde-search [part=input]").type("суу", delay=30)
    frame.locator("izde-search [part=result]").first.wait_for()
    page.wait_for_function("Math.max(...window.heights) > 200")  # it grew with its results, and said so
    assert not context.cookies()  # ?lang=ru is not remembered in a cookie inside a partner's page
    with urllib.request.urlopen(izde + "/embed") as answer:
        assert "X-Frame-Options" not in answer.headers
        assert "frame-ancestors *" in answer.headers["Content-Security-Policy"]
    with urllib.request.urlopen(izde + "/about") as answer:
        assert answer.headers["X-Frame-Options"] == "DENY"


def test_the_demo_page_writes_the_snippet_under_izdes_own_policy(sites, context):
    izde, _partner = sites
    page = context.new_page()
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto(izde + "/embed/demo?lang=en")
    page.locator("izde-search [part=input]").type("суу", delay=30)
    page.locator("izde-search [part=result]").first.wait_for()
    page.select_option("select[name=theme]", "dark")
    page.fill("input[name=results]", "7")
    page.dispatch_event("input[name=results]", "change")
    snippet = page.locator("#izde-snippet").inner_text()
    assert f'<script src="{izde}/embed.js" type="module"></script>' in snippet
    assert 'results="7"' in snippet and 'theme="dark"' in snippet
    assert 'results=7' in page.locator("#izde-iframe").inner_text()
    assert not violations


def test_the_script_is_small_hashed_and_cached(sites):
    izde, _partner = sites
    with urllib.request.urlopen(izde + "/embed.js") as answer:  # follows the redirect
        body = answer.read()
        assert answer.url.startswith(izde + "/embed.") and answer.url != izde + "/embed.js"
        assert "immutable" in answer.headers["Cache-Control"] and answer.headers["Access-Control-Allow-Origin"] == "*"
    assert len(gzip.compress(body)) <= 15 * 1024
    assert b"innerHTML" not in body and b"localStorage" not in body and b"document.cookie" not in body


def test_target_izde_only_opens_izde(sites, context):
    izde, partner = sites
    page = open_page(context, partner + "/target.html")
    field = type_into(page, "суу")
    page.locator("izde-search [part=suggestion]").first.wait_for()  # completions, but no results in place
    assert page.locator("izde-search [part=result]").count() == 0
    with page.expect_navigation():
        field.press("Enter")
    assert page.url.startswith(izde + "/search?q=%D1%81%D1%83%D1%83&section=") and "lang=en" in page.url
    assert "Found:" in page.inner_text("main")

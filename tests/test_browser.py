"""A real browser on the real server: `izde serve` in its own process, Debian's headless Chromium driven by
Playwright. Screenshots land in test-artifacts/. Skipped, with the reason, where Chromium is not installed."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ARTIFACTS, needs_chromium
from index.build import build_index

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory, sample_dir):
    root = tmp_path_factory.mktemp("browser")
    build_index([sample_dir, Path(__file__).parent / "data" / "pages"], root / "index")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "serve", "--port", str(port),
         "--index", str(root / "index")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/about", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                process.wait()
                pytest.fail("izde serve did not start: " + process.stdout.read().decode(errors="replace"))
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ky-KG", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_search_facet_article_language(server, page):
    page.goto(server + "/")
    page.get_by_label("Издөө сурамы").fill("жергиликтүү")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    count = page.locator("#count")
    assert count.get_attribute("aria-live") == "polite"
    total = int(count.inner_text().split(":")[1])
    assert total >= 5
    assert page.locator("li.hit mark").count() > 0
    shot(page, "1-search")

    page.locator(".facets a", has_text="жаңылык").click()  # the "news" facet
    page.wait_for_url("**kind=news**")
    assert int(page.locator("#count").inner_text().split(":")[1]) == 1
    assert page.locator(".chips").is_visible()
    shot(page, "2-facet")

    page.locator("li.hit h3 a").first.click()
    page.wait_for_url("**/a/**")
    assert "форум" in page.locator("h1").inner_text().lower()
    assert page.locator("article mark").count() > 0  # the query's matches are marked in the full text
    shot(page, "3-article")

    page.get_by_role("link", name="RU").click()
    page.wait_for_url("**lang=ru**")
    assert page.get_by_role("link", name="Поиск").first.is_visible()
    page.goto(server + "/issues")  # the choice is remembered
    assert page.locator("h1").inner_text() == "Номера журнала"
    shot(page, "4-russian")


def test_keyboard_only_search(server, page):
    page.goto(server + "/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    page.locator("#q").focus()
    page.keyboard.type("муниципалитет")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert int(page.locator("#count").inner_text().split(":")[1]) >= 2


def test_autocomplete_fills_suggestions(server, page):
    violations = []  # the Content-Security-Policy is enforced: the page's own script must keep within it
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.goto(server + "/")
    page.locator("#q").press_sequentially("муниц", delay=30)
    # A selector, not wait_for_function: the policy forbids evaluating strings in the page, the harness's too.
    page.locator("#q-suggestions option").first.wait_for(state="attached", timeout=5000)
    values = page.eval_on_selector_all("#q-suggestions option", "els => els.map(e => e.value)")
    assert any(v.startswith("муниципал") for v in values)
    assert not violations


def test_works_on_a_phone_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 380, "height": 800})
    page = context.new_page()
    page.goto(server + "/search?q=jergiliktuu")
    assert int(page.locator("#count").inner_text().split(":")[1]) >= 5
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # nothing wider than the phone
    shot(page, "5-phone")
    context.close()

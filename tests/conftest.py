"""Shared fixtures: the real sample archive, real Whoosh indexes on disk, the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.archive import sample_archive
from index.build import build_index, open_index

# The suite hits the app faster than any person: rate limits are off unless a test turns them on
# (tests/test_web.py::test_rate_limits_answer_429_with_retry_after).
os.environ.setdefault("IZDE_RATELIMIT_ENABLED", "false")

DATA = Path(__file__).parent / "data"
PAGES = DATA / "pages"

# The browser tests (test_browser, test_xss, test_embed) drive Debian's headless Chromium through Playwright.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
needs_chromium = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed "
                                    "(apt-get install chromium); .ci/run installs it")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return sample_archive()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, sample_dir):
    """An index of the bundled sample archive (five real pages), built once per test session."""
    path = tmp_path_factory.mktemp("sample") / "index"
    report = build_index([sample_dir], path)
    assert report.indexed == 5
    ix = open_index(path)
    yield ix
    ix.close()


@pytest.fixture(scope="session")
def mixed_index(tmp_path_factory, sample_dir):
    """The sample plus the hand-made Kyrgyz and Russian pages of tests/data/pages."""
    path = tmp_path_factory.mktemp("mixed") / "index"
    build_index([sample_dir, PAGES], path)
    ix = open_index(path)
    yield ix
    ix.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


@contextmanager
def izde_serve(index: Path, *options: str):
    """`izde serve` on the index in a process of its own, on a free port: yields (its base URL, the process) once it
    answers, and stops it (SIGTERM) at the end. A server stopped from outside its own process never races its own
    loop, as one closed under a thread running it does."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "serve", "--port", str(port),
                                "--index", str(index), *options], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/about", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    raise RuntimeError("izde serve did not start: " + process.communicate()[0].decode(errors="replace"))
                time.sleep(0.1)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=30)

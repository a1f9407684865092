"""`izde serve` as people run it: a real process on a real port, with one or several worker processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from index.build import build_index
from web import server

SEARCH = "/api/search?" + urllib.parse.urlencode({"q": "суу"})
SERVE = [sys.executable, "-c", "from web.cli import main; main()", "serve"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _wait(condition, seconds: float = 30.0, what: str = ""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.load(answer)


@pytest.fixture(scope="module")
def index_path(tmp_path_factory, sample_dir) -> Path:
    path = tmp_path_factory.mktemp("serve") / "index"
    build_index([sample_dir], path)
    return path


def test_workers_share_the_port_are_replaced_when_they_die_and_stop_together(index_path):
    port = _free_port()
    process = subprocess.Popen([*SERVE, "--port", str(port), "--index", str(index_path), "--workers", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        workers = _wait(lambda: len(_children(process.pid)) == 2 and _children(process.pid), what="two workers")
        first = _wait(lambda: _answers(base + SEARCH), what="an answer")
        assert first["total"] >= 1
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        replaced = _wait(lambda: (kids := _children(process.pid)) and len(kids) == 2 and victim not in kids and kids,
                         what="a replacement worker")
        assert len(replaced - workers) == 1
        for _ in range(20):  # every request answered, whichever worker takes it
            assert _get(base + SEARCH)["total"] == first["total"]
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert f"worker {victim} stopped (signal 9); starting another" in output
    assert "Traceback" not in output
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers | replaced)


def test_by_default_one_worker_a_core(index_path):
    """With no --workers (nor IZDE_WORKERS) `izde serve` forks one worker for each core it may run on, at most four:
    one process answers on one core at a time (BENCHMARKS.md, serving defaults)."""
    expected = min(len(os.sched_getaffinity(0)), server.MAX_DEFAULT_WORKERS)
    assert server.default_workers() == expected
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "IZDE_WORKERS"}
    process = subprocess.Popen([*SERVE, "--port", str(port), "--index", str(index_path)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert _wait(lambda: _answers(f"http://127.0.0.1:{port}" + SEARCH), what="an answer")["total"] >= 1
        # One worker is this process itself; more are its children, each up once it has opened the index.
        children = expected if expected > 1 else 0
        _wait(lambda: len(_children(process.pid)) >= children, what=f"{children} workers")
        assert len(_children(process.pid)) == children
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert ("процесс / processes" in output) == (expected > 1)


def _answers(url: str):
    try:
        return _get(url)
    except OSError:
        return None


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_taken_port_is_a_clear_error(index_path, workers):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([*SERVE, "--port", str(port), "--index", str(index_path), "--workers", workers],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "дареги алынбады / the address is not available" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_workers_that_die_as_they_start_stop_the_server():
    """A worker that cannot start (a broken app) is not started again and again: after three quick deaths the
    supervisor stops with exit status 1 and says why."""
    done = subprocess.run([sys.executable, "-c", "import sys; from web.server import _supervise; "
                           "sys.exit(_supervise(2, lambda: 1 / 0))"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "ZeroDivisionError" in done.stderr
    assert "workers keep stopping as soon as they start; Izde stopped" in done.stderr
    assert done.stderr.count("starting another") == 2

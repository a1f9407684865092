"""Serving the app under waitress: in this process, or in several processes that share one listening socket.

One Python process answers on one core at a time (the GIL), so at the archive's real size one `izde serve` process
tops out well under what a partner's search box asks of it. With `workers` > 1 this process binds the socket, forks
that many waitress processes that accept from it (the kernel hands each connection to whichever process is free),
replaces a worker that dies, and stops them all on SIGTERM or Ctrl-C. Each worker opens the index, warms it and
follows new builds by itself (`web.IndexHolder`), and holds the build it answers from (`index.build.hold_build`).
Each worker also keeps its own rate-limit counts (`web.ratelimit`).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
import traceback
from typing import Callable

MAX_DEFAULT_WORKERS = 4  # the default's cap: each worker keeps its own caches (some 300-350 MB at 10,000 articles)
DEFAULT_THREADS = 2  # threads per worker: BENCHMARKS.md, "Serving defaults" (thirteenth session)
RESTART_WITHIN = 5.0  # a worker that dies this soon after it started (a broken app) is not started again
MAX_QUICK_DEATHS = 3


def default_workers() -> int:
    """Worker processes when none are asked for: one for each core this process may run on, at most
    `MAX_DEFAULT_WORKERS`. One Python process answers on one core at a time, so on two cores two workers served
    about twice the searches of one, at a lower p99 (BENCHMARKS.md). One where processes cannot fork (Windows)."""
    if not hasattr(os, "fork"):
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


def serve(make_app: Callable[[], object], host: str, port: int, workers: int = 1, **options) -> int:
    """Serve `make_app()` on host:port with waitress `options` (threads, limits); returns the exit status.
    Raises OSError when the address cannot be had (the port is taken)."""
    import waitress

    if workers <= 1:
        waitress.serve(make_app(), host=host, port=port, **options)
        return 0
    listener = socket.create_server((host, port), backlog=1024)

    def work() -> None:
        waitress.serve(make_app(), sockets=[listener], **options)

    return _supervise(workers, work)


def _supervise(workers: int, work: Callable[[], None]) -> int:
    started: dict[int, float] = {}
    stopping = False
    quick_deaths = 0

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(started):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def start() -> None:
        pid = os.fork()
        if pid == 0:  # the worker: the supervisor stops it with SIGTERM; Ctrl-C reaches the supervisor
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            status = 1
            try:
                work()
                status = 0
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
        started[pid] = time.monotonic()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        start()
    status = 0
    while started:
        try:
            pid, code = os.wait()
        except ChildProcessError:
            break
        began = started.pop(pid, None)
        if began is None or stopping:
            continue
        quick_deaths = quick_deaths + 1 if time.monotonic() - began < RESTART_WITHIN else 0
        if quick_deaths >= MAX_QUICK_DEATHS:
            print(f"ката: процесс {pid} да токтоду ({_describe(code)}); процесстер башталары менен токтоп жатат, "
                  f"Izde токтоду / worker {pid} stopped too ({_describe(code)}); workers keep stopping as soon as "
                  "they start; Izde stopped", file=sys.stderr, flush=True)
            status = 1
            stop(signal.SIGTERM, None)
            continue
        print(f"эскертүү: процесс {pid} токтоду ({_describe(code)}); жаңысы башталат / "
              f"worker {pid} stopped ({_describe(code)}); starting another", file=sys.stderr, flush=True)
        start()
    return status


def _describe(code: int) -> str:
    if os.WIFSIGNALED(code):
        return f"signal {os.WTERMSIG(code)}"
    return f"exit {os.waitstatus_to_exitcode(code)}"

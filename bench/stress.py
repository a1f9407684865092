"""`make stress`: Izde under hostile input, killed builds and load — bounded, self-stopping, loopback only.

1. **Kill trials**: `izde index build` and `izde index update` are killed with SIGKILL at random moments (the archive
   changes between trials, so each run has work to do). After each, the index must open and answer a set of
   queries exactly as before the run (totals, hits in order), or as a finished run does (totals and the articles
   matched); after the last, the next run completes.
2. **Fuzz**: hostile requests over every route (`bench/hostile.py`) and the JSON API generated from its OpenAPI
   document by Schemathesis, sent over HTTP to `izde serve`: every status is counted, and any 5xx is a failure.
3. **An issue added** (with `--load-index` and `--load-archive`): `izde index update` timed adding 40 new
   articles to the archive, and taking them away again.
4. **Load** (with `--load-index`): `--clients` clients for `--seconds` on a mixed query set, then the same while
   `izde index update` swaps new builds in: requests/s, p50/p95/p99, errors, server memory.

    python bench/stress.py [--trials 20] [--fuzz 10000] [--load-index var/ix10k --load-archive ARCHIVE]

Exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

import scale_archive  # noqa: E402
from scale import _free_port, _rss_mb, load_run  # noqa: E402

from index.build import build_index, open_index  # noqa: E402
from search.searcher import search  # noqa: E402

QUERIES = ["жергиликтүү", "бюджет", "айыл", "кеңеш", "суу", "мектеп", "закон", "местного", "район", "2019"]
IZDE = [sys.executable, "-c", "from web.cli import main; main()"]


# --- 1. kill trials ---------------------------------------------------------------------------------------------

def _answers(index: Path) -> dict:
    """What the index answers: each query's total, its first 20 hits in order, and every article it matches."""
    ix = open_index(index)
    try:
        out = {}
        for q in QUERIES:
            first = search(ix, q, page_size=20, facets=False, cache=False)
            matched, page = set(), 1
            while True:
                found = search(ix, q, page=page, page_size=100, facets=False, cache=False)
                matched.update(h.id for h in found.hits)
                if page >= found.pages:
                    break
                page += 1
            out[q] = (first.total, [h.id for h in first.hits], frozenset(matched))
        return out
    finally:
        ix.close()


def _same_matches(a: dict, b: dict) -> bool:
    """The same totals and the same articles for every query. Order may differ: after an update, deleted articles
    still count in Whoosh's term statistics, so scores differ slightly from those of a fresh build."""
    return all(a[q][0] == b[q][0] and a[q][2] == b[q][2] for q in QUERIES)


def _write_archive(archive: Path, articles: int, seed: int, length: tuple[int, int] = (300, 2000)) -> Path:
    """A generated archive in several JSON Lines files, and one more file that trials add and take away."""
    archive.mkdir(parents=True, exist_ok=True)
    rows = scale_archive.generate(articles + 5, seed=seed, length=length)
    for n in range(0, articles, 20):
        scale_archive.write(rows[n:min(n + 20, articles)], archive / f"part-{n:04d}.jsonl")
    extra = archive.parent / "extra.jsonl"
    scale_archive.write(rows[articles:], extra)
    return extra


def kill_trials(work: Path, command: str, trials: int = 20, seed: int = 1, articles: int = 80,
                length: tuple[int, int] = (300, 2000)) -> dict:
    """SIGKILL `izde index <command>` at random moments, `trials` times; see the module's docstring."""
    rng = random.Random(seed)
    archive, index = work / f"{command}-archive", work / f"{command}-ix"
    extra = _write_archive(archive, articles, seed, length)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = [*IZDE, "index", command, str(archive), "--index", str(index), "--quiet"]

    def flip() -> None:  # add the extra file, or take it away: the next run has articles to add or remove
        target = archive / "extra.jsonl"
        if target.exists():
            target.unlink()
        else:
            shutil.copy(extra, target)

    subprocess.run(run, check=True, env=env, capture_output=True)  # the first index
    expected = {False: _answers(index)}  # what a finished run answers, without and with the extra file
    flip()
    started = time.perf_counter()  # how long a run that has work to do takes: kills land across it
    subprocess.run(run, check=True, env=env, capture_output=True)
    duration = time.perf_counter() - started
    current = expected[True] = _answers(index)
    flip()
    outcomes = Counter()
    for _ in range(trials):
        process = subprocess.Popen(run, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        finished = process.wait() == 0
        try:
            now = _answers(index)
        except Exception as exc:  # the index must always open
            outcomes["broken"] += 1
            print(f"  {command}: index broken after a kill: {exc}", file=sys.stderr)
            continue
        if now == current and not finished:
            outcomes["killed, previous index intact"] += 1
        elif _same_matches(now, expected[(archive / "extra.jsonl").exists()]):
            # The run swapped its build in before the kill: the index is the new one, and whole.
            outcomes["finished before the kill"] += 1
            current = now
            flip()
        else:
            outcomes["broken"] += 1
            print(f"  {command}: after a kill the index answers neither as before nor as a finished run",
                  file=sys.stderr)
    completed = subprocess.run(run, env=env, capture_output=True).returncode == 0
    completed = completed and _same_matches(_answers(index), expected[(archive / "extra.jsonl").exists()])
    builds = index.parent / f"{index.name}.builds"
    leftovers = [p.name for p in builds.iterdir() if not (p / "izde.json").exists()]
    return {"command": command, "trials": trials, "articles": articles, "run_seconds": round(duration, 2),
            "intact": trials - outcomes["broken"], "outcomes": dict(outcomes),
            "completed": completed and not leftovers}


# --- 2. fuzz over HTTP ------------------------------------------------------------------------------------------

@contextlib.contextmanager
def serve(index: Path, threads: int = 8, log: Path | None = None, **env):
    """`izde serve` on a free loopback port, stopped on exit; yields (port, pid). Its log goes to `log`. One worker
    process, the pid's own, whose memory the load figures read."""
    port = _free_port()
    log_file = open(log, "w") if log else subprocess.DEVNULL
    server = subprocess.Popen([*IZDE, "serve", "--index", str(index), "--port", str(port), "--threads", str(threads),
                               "--workers", "1"],
                              env={**os.environ, "PYTHONPATH": str(REPO), **env}, cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=log_file)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"izde serve did not start on port {port}") from None
                time.sleep(0.2)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)
        if log:
            log_file.close()


def _get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def fuzz(index: Path, requests: int = 10_000) -> dict:
    """Hostile requests over every route, then Schemathesis over the API, against `izde serve`."""
    from hypothesis import HealthCheck, Phase, given, settings

    import hostile
    import schemathesis

    statuses: Counter = Counter()
    failures: list[str] = []
    errors: list[str] = []  # the 5xx, kept whole

    def record(status: int, text: str, path: str) -> None:
        statuses[status] += 1
        if status >= 500:
            errors.append(f"{status} {path}")
        elif status >= 400 and path.startswith("/api/"):
            try:
                error = json.loads(text)["error"]
                assert error["status"] == status and error["message"].strip()
            except Exception:
                failures.append(f"{status} without a JSON error: {path[:200]}")

    api_share = requests // 5
    log = index.parent / "fuzz-server.log"
    with serve(index, log=log, IZDE_RATELIMIT_ENABLED="false") as (port, _pid):
        @settings(max_examples=requests - api_share, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(path=hostile.requests())
        def route(path):
            record(*_get(port, path), path)

        route()
        schema = schemathesis.openapi.from_url(f"http://127.0.0.1:{port}/api/openapi.json")
        schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE,
                                               schemathesis.GenerationMode.NEGATIVE])
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:
            @settings(max_examples=api_share // len(operations), deadline=None, database=None,
                      phases=[Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy())
            def api(case):
                response = case.call()
                record(response.status_code, response.text, case.formatted_path)

            api()
    if errors:
        print("server errors:\n" + "\n".join(errors) + "\n--- server log ---\n" + log.read_text()[-20000:],
              file=sys.stderr)
    return {"requests": sum(statuses.values()), "statuses": dict(sorted(statuses.items())),
            "failures": (errors + failures)[:20], "failed": len(errors) + len(failures)}


# --- 3. adding an issue, and load -----------------------------------------------------------------------------

def _issue(articles: int = 40, seed: int = 201) -> list[dict]:
    """One issue's worth of new articles, with ids of their own (the generator numbers from s0)."""
    rows = scale_archive.generate(articles, seed=seed)
    for n, row in enumerate(rows):
        row["id"] = f"stress-issue-{seed}-{n}"
    return rows


def _update(index: Path, archive: Path) -> dict:
    """Run `izde index update` and return its report, with the seconds it took."""
    started = time.perf_counter()
    done = subprocess.run([*IZDE, "index", "update", str(archive), "--index", str(index), "--quiet", "--json"],
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    return {"seconds": round(time.perf_counter() - started, 1),
            **{k: report[k] for k in ("added", "changed", "removed", "unchanged")}}


def add_issue(index: Path, archive: Path) -> dict:
    """Time `izde index update` adding one issue's worth of new articles to the archive, then taking it away."""
    new = scale_archive.write(_issue(), archive / "stress-issue.jsonl")
    try:
        added = _update(index, archive)
        new.unlink()
        return {"add": added, "remove": _update(index, archive)}
    finally:
        new.unlink(missing_ok=True)


# --- 4. load ----------------------------------------------------------------------------------------------------

def load(index: Path, archive: Path | None, clients: int, seconds: float) -> list[dict]:
    """A mixed query set at `clients` concurrent clients; then again while updates swap new builds in."""
    urls = [f"/api/search?{urllib.parse.urlencode({'q': q, 'page': p})}" for q in QUERIES for p in (1, 2)]
    urls += [f"/api/suggest?{urllib.parse.urlencode({'q': q[:n]})}" for q in QUERIES for n in (2, 4)]
    urls += [f"/search?{urllib.parse.urlencode({'q': q, 'year': 2019})}" for q in QUERIES[:4]]
    random.Random(3).shuffle(urls)
    rows = []
    with serve(index, threads=8, IZDE_RATELIMIT_ENABLED="false") as (port, pid):
        before = _rss_mb(pid)
        row = load_run(urls, clients, seconds, port)
        rows.append({**row, "while": "serving", "memory": (round(before), round(_rss_mb(pid)))})
        if archive is not None:
            swaps, stop = [0], threading.Event()

            def updating():  # add an issue, take it away, add it … each a real swap
                extra, rows_ = archive / "stress-extra.jsonl", _issue(seed=202)
                while not stop.is_set():
                    if extra.exists():
                        extra.unlink()
                    else:
                        scale_archive.write(rows_, extra)
                    report = _update(index, archive)
                    swaps[0] += bool(report["added"] or report["removed"])

            updater = threading.Thread(target=updating)
            updater.start()
            before = _rss_mb(pid)
            row = load_run(urls, clients, seconds, port)
            stop.set()
            updater.join()
            (archive / "stress-extra.jsonl").unlink(missing_ok=True)
            rows.append({**row, "while": f"updating ({swaps[0]} swaps)",
                         "memory": (round(before), round(_rss_mb(pid)))})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20, help="SIGKILL trials each for build and update")
    parser.add_argument("--articles", type=int, default=200, help="articles in the kill trials' archive")
    parser.add_argument("--fuzz", type=int, default=10_000, help="fuzz requests (0: none)")
    parser.add_argument("--load-index", type=Path, help="an index to load-test (10,000 articles for the figure)")
    parser.add_argument("--load-archive", type=Path, help="its archive folder: also load-test while updating")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    ok = True
    print(f"# make stress — {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores\n")
    with tempfile.TemporaryDirectory(prefix="izde-stress-") as tmp:
        for command in ("build", "update") if args.trials else ():
            result = kill_trials(Path(tmp), command, args.trials, articles=args.articles)
            ok &= result["intact"] == result["trials"] and result["completed"]
            print(f"kill trials, {command}: {json.dumps(result, ensure_ascii=False)}")
        if args.fuzz:
            build_index([scale_archive_folder(Path(tmp))], Path(tmp) / "fuzz-ix")
            result = fuzz(Path(tmp) / "fuzz-ix", args.fuzz)
            ok &= result["failed"] == 0
            print(f"fuzz: {json.dumps(result, ensure_ascii=False)}")
    if args.load_index and args.load_archive:
        print(f"adding an issue: {json.dumps(add_issue(args.load_index, args.load_archive))}")
    if args.load_index:
        for row in load(args.load_index, args.load_archive, args.clients, args.seconds):
            ok &= row["errors"] == 0
            print(f"load, {row['clients']} clients, {row['while']}: {row['requests']} requests, "
                  f"{row['rps']:.1f}/s, p50 {row['p50']:.0f} ms, p95 {row['p95']:.0f} ms, "
                  f"p99 {row['p99']:.0f} ms, errors {row['errors']}, "
                  f"memory {row['memory'][0]} → {row['memory'][1]} MB")
    print("\nall checks passed" if ok else "\nSOME CHECKS FAILED")
    return 0 if ok else 1


def scale_archive_folder(work: Path) -> Path:
    """A small archive with markup and hostile text in it, for the fuzz run's index."""
    folder = work / "fuzz-archive"
    _write_archive(folder, 60, seed=11)
    return folder


if __name__ == "__main__":
    sys.exit(main())

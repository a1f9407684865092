"""Izde at the archive's real size: build, search, autocomplete, related and HTTP load on a generated archive, side
by side with the straightforward computation, SQLite FTS5 and stock Whoosh on the same archive and queries.

The archive comes from `bench/scale_archive.py` (vocabulary on the Heaps curve), half Kyrgyz, half Russian.
Queries are drawn from it, ≥ 200 per type with `--queries 200`: one word, an inflected word (a treebank noun in a
form drawn from its paradigm), two words, a phrase, a folded spelling (у for ү), a Latin-script spelling, a
prefix, a negation, with filters, page 5. Every figure is a median, p95 and p99 of single calls on one thread.

    python bench/scale.py --articles 1000                      # builds var/bench/scale-1000.*
    python bench/scale.py --articles 10000 --index DIR         # reuse an index built from the same archive
    python bench/scale.py --articles 1000 --http 30            # and HTTP load runs of `izde serve`, 30 s a step
                                                               # (one worker process, then one a core)
    python bench/scale.py --articles 10000 --index DIR --http 30 --http-only  # the HTTP runs alone
    python bench/scale.py --articles 10000 --index DIR --http 20 --http-only --http-workers 2 \
        --http-threads 8 1 --http-clients 8                    # two servers' settings side by side
    python bench/scale.py --articles 1000 --check-prefilter    # and check the snippets' prefilter on every word
    python bench/scale.py --articles 100000 --index DIR --search-only  # searches and completions alone
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(REPO), str(BENCH)]

import scale_archive  # noqa: E402
from paradigms import CASES, inflect  # noqa: E402
from spellings import typed_latin  # noqa: E402

from index.build import open_index  # noqa: E402
from index.kyrgyz import fold  # noqa: E402
from search.articles import StoredRelated, related  # noqa: E402
from search.columns import index_version  # noqa: E402
from search.searcher import Filters, search  # noqa: E402
from search.suggest import complete  # noqa: E402
from web.server import DEFAULT_THREADS  # noqa: E402

KINDS = ("one word", "inflected word", "two words", "phrase", "folded", "latin", "prefix", "negation",
         "with filters", "page 5")


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """Median, p95 and p99, in milliseconds."""
    ordered = sorted(values)
    at = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return statistics.median(ordered) * 1000, at(0.95) * 1000, at(0.99) * 1000


def fmt(values: list[float]) -> str:
    p50, p95, p99 = percentiles(values)
    return f"{p50:.1f} / {p95:.1f} / {p99:.1f}"


# --- the queries -----------------------------------------------------------------------------------------------

def make_queries(articles: list[dict], per_kind: int, seed: int = 5) -> dict[str, list[tuple[str, dict, int]]]:
    """{kind: [(text, filters, page)]}, drawn from the archive's own text (so words come as often as they are used)."""
    rng = random.Random(seed)
    lemmas = [w for w in scale_archive.nominal_lemmas() if len(w) > 3]
    sentences = []
    for a in rng.sample(articles, min(len(articles), 400)):
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", a["body"]) if len(s.split()) > 4][:10]
    kyrgyz = [s for s in sentences if re.search("[өүң]", s)]

    def pick(pool: list[str], want=lambda ws: len(ws) >= 2) -> list[str]:
        return picked(pool, want)[0]

    def picked(pool: list[str], want=lambda ws: len(ws) >= 2) -> tuple[list[str], list[str]]:
        """A sentence's words of four letters or more, and all its words."""
        while True:
            every = scale_archive.WORD.findall(rng.choice(pool))
            ws = [w for w in every if len(w) > 3]
            if want(ws):
                return ws, every

    out: dict[str, list] = {k: [] for k in KINDS}
    sections = sorted({a["section"] for a in articles})
    for _ in range(per_kind):
        ws, every = picked(sentences)
        out["one word"].append((rng.choice(ws), {}, 1))
        lemma = rng.choice(lemmas)
        out["inflected word"].append((inflect(lemma, rng.random() < 0.3, None, rng.choice(CASES)[0]), {}, 1))
        i = rng.randrange(len(ws) - 1)
        out["two words"].append((f"{ws[i]} {ws[rng.randrange(len(ws))]}", {}, 1))
        # The i-th long word and the word that follows it in the sentence, whatever its length: two words that stand
        # side by side (the next long word, as drawn before the fourteenth session, may have a short one between).
        at = [k for k, w in enumerate(every) if len(w) > 3][i]
        out["phrase"].append((f'"{every[at]} {every[at + 1]}"', {}, 1))
        ky = pick(kyrgyz, lambda ws: any(re.search("[өүң]", w) for w in ws))
        out["folded"].append((fold(next(w for w in ky if re.search("[өүң]", w))).lower(), {}, 1))
        out["latin"].append((typed_latin(rng.choice(pick(kyrgyz))).lower(), {}, 1))
        out["prefix"].append((rng.choice(ws)[:rng.randint(3, 5)].lower() + "*", {}, 1))
        out["negation"].append((f"{ws[0]} -{ws[-1]}", {}, 1))
        filters = rng.choice([{"year": [rng.randint(2009, 2026)]}, {"section": [rng.choice(sections)]},
                              {"language": ["ru"], "year_from": 2015}, {"kind": ["news", "press-release"]}])
        out["with filters"].append((rng.choice(ws), filters, 1))
        common = pick(sentences)
        out["page 5"].append((common[0], {}, 5))
    return out


def prefixes(articles: list[dict], n: int, seed: int = 6) -> list[str]:
    """What people type into the box: the first 1–6 letters of archive words, keystroke by keystroke."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        word = rng.choice(scale_archive.WORD.findall(rng.choice(articles)["title"])).lower()
        out += [word[:k] for k in range(1, min(6, len(word)) + 1)]
    return out[:n]


# --- Izde ------------------------------------------------------------------------------------------------------

def build(archive: Path, index: Path, whoosh_writer: bool = False) -> dict:
    """Build in a child process, for its own time and peak memory (`whoosh_writer`: with Whoosh's own writer,
    IZDE_WHOOSH_WRITER=1, the straightforward way the inverting writer replaces)."""
    code = ("import sys, time; from pathlib import Path; from index.build import build_index; t = time.perf_counter();"
            f" r = build_index([Path({str(archive)!r})], Path({str(index)!r})); print(r.indexed, time.perf_counter() - t)")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    env = dict(os.environ, IZDE_WHOOSH_WRITER="1" if whoosh_writer else "0")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True, env=env)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    indexed, seconds = done.stdout.split()
    size = sum(f.stat().st_size for f in Path(os.path.realpath(index)).iterdir())
    return {"articles": int(indexed), "seconds": float(seconds), "size_mb": size / 1e6,
            "peak_mb": max(peak, before) / 1024}


def cold_start(index: Path, text: str) -> float:
    code = ("import time; t = time.perf_counter(); from pathlib import Path; from index.build import open_index;"
            " from search.searcher import search;"
            f" search(open_index(Path({str(index)!r})), {text!r}); print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    return float(done.stdout)


def timed(fn, items) -> list[float]:
    """Seconds each `fn(item)` took."""
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - start)
    return out


def time_izde(ix, queries, fast: bool) -> tuple[dict[str, list[float]], dict[str, int]]:
    times, answered = {}, {}
    for kind, items in queries.items():
        times[kind], answered[kind] = [], 0
        for text, filters, page in items:
            start = time.perf_counter()
            result = search(ix, text, Filters(**filters), page=page, fast=fast, cache=False)
            times[kind].append(time.perf_counter() - start)
            answered[kind] += result.total > 0
    return times, answered


# --- SQLite FTS5 -----------------------------------------------------------------------------------------------

def fts5_build(articles: list[dict], path: Path) -> float:
    start = time.perf_counter()
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id, issue, year, section, language, kind, date)")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61')")
    for i, a in enumerate(articles, 1):
        db.execute("INSERT INTO meta VALUES (?,?,?,?,?,?,?,?)", (i, a["id"], a.get("issue"), int(a["date"][:4]),
                                                                a["section"], a["language"], a["kind"], a["date"]))
        db.execute("INSERT INTO docs(rowid, title, body) VALUES (?,?,?)", (i, a["title"], a["body"]))
    db.commit()
    db.close()
    return time.perf_counter() - start


def fts5_query(text: str) -> str:
    """The same query in FTS5 syntax: words quoted, a phrase kept, prefix*, -word as NOT."""
    if text.startswith('"'):
        return text
    parts, negated = [], []
    for word in text.split():
        target = negated if word.startswith("-") else parts
        word = word.lstrip("-")
        target.append(f'"{word[:-1]}"*' if word.endswith("*") else f'"{word}"')
    return " AND ".join(parts) + "".join(f" NOT {w}" for w in negated)


def fts5_search(db, text: str, filters: dict, page: int) -> int:
    """Page of 10 by bm25 with snippets, the total, and the five facets counted with GROUP BY."""
    where, args = ["docs MATCH ?"], [fts5_query(text)]
    for name in ("year", "section", "language", "kind"):
        if filters.get(name):
            where.append(f"meta.{name} IN ({','.join('?' * len(filters[name]))})")
            args += filters[name]
    if filters.get("year_from"):
        where.append("meta.year >= ?")
        args.append(filters["year_from"])
    sql = f"FROM docs JOIN meta ON meta.rowid = docs.rowid WHERE {' AND '.join(where)}"
    db.execute(f"SELECT meta.id, snippet(docs, 1, '[', ']', '…', 18) {sql} ORDER BY bm25(docs) LIMIT 10 OFFSET ?",
               args + [(page - 1) * 10]).fetchall()
    total = db.execute(f"SELECT count(*) {sql}", args).fetchone()[0]
    for name in ("issue", "year", "section", "language", "kind"):
        db.execute(f"SELECT meta.{name}, count(*) {sql} GROUP BY meta.{name}", args).fetchall()
    return total


def time_fts5(db, queries) -> tuple[dict[str, list[float]], dict[str, int]]:
    times, answered = {}, {}
    for kind, items in queries.items():
        times[kind], answered[kind] = [], 0
        for text, filters, page in items:
            start = time.perf_counter()
            try:
                total = fts5_search(db, text, filters, page)
            except sqlite3.OperationalError:
                total = 0
            times[kind].append(time.perf_counter() - start)
            answered[kind] += total > 0
    return times, answered


# --- stock Whoosh ----------------------------------------------------------------------------------------------

def stock_build(articles: list[dict], path: Path) -> float:
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    start = time.perf_counter()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), title=fields.TEXT(StemmingAnalyzer(), stored=True),
                           body=fields.TEXT(StemmingAnalyzer(), stored=True),
                           **{n: fields.ID(stored=True, sortable=True) for n in ("issue", "section", "language",
                                                                                 "kind")},
                           year=fields.NUMERIC(int, stored=True, sortable=True))
    ix = index.create_in(str(path), schema)
    writer = ix.writer(limitmb=256)
    for a in articles:
        writer.add_document(id=a["id"], title=a["title"], body=a["body"], issue=a.get("issue") or "",
                            section=a["section"], language=a["language"], kind=a["kind"], year=int(a["date"][:4]))
    writer.commit()
    ix.close()
    return time.perf_counter() - start


def time_stock(path: Path, queries) -> tuple[dict[str, list[float]], dict[str, int]]:
    from whoosh import index, query as Q, sorting
    from whoosh.qparser import MultifieldParser

    ix = index.open_dir(str(path))
    parser = MultifieldParser(["title", "body"], ix.schema)
    facets = {n: sorting.FieldFacet(n) for n in ("issue", "year", "section", "language", "kind")}
    times, answered = {}, {}
    with ix.searcher() as searcher:
        for kind, items in queries.items():
            times[kind], answered[kind] = [], 0
            for text, filters, page in items:
                start = time.perf_counter()
                q = parser.parse(text.replace(" -", " NOT "))
                parts = [Q.Or([Q.Term(n, str(v)) for v in filters[n]]) for n in ("section", "language", "kind")
                         if filters.get(n)]
                if filters.get("year"):
                    parts.append(Q.NumericRange("year", filters["year"][0], filters["year"][0]))
                results = searcher.search_page(q, page, pagelen=10, filter=Q.And(parts) if parts else None,
                                               groupedby=facets)
                for hit in results:
                    hit.highlights("body")
                times[kind].append(time.perf_counter() - start)
                answered[kind] += len(results) > 0
    ix.close()
    return times, answered


# --- HTTP load -------------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int, kind: str = "VmRSS") -> float:
    """A process's resident memory (`VmRSS`), or a part of it: `RssAnon`, its own memory, without the pages of
    files it maps (the index's files, which the page cache holds and shares)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(kind + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def load_run(urls: list[str], clients: int, seconds: float, port: int) -> dict:
    """`clients` threads, each sending the next URL as soon as the last answer came, for `seconds`; all requests'
    figures, and the searches' alone."""
    latencies: list[float] = []
    searches: list[float] = []  # the latencies of the searches alone (the rest are completions)
    failures: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < stop:
            path = urls[i % len(urls)]
            url = f"http://127.0.0.1:{port}{path}"
            i += 1
            start = time.perf_counter()
            why = None
            try:
                with urllib.request.urlopen(url, timeout=30) as answer:
                    answer.read()
                    why = None if answer.status == 200 else f"HTTP {answer.status}"
            except Exception as error:  # an HTTP error status, a timeout (30 s), a refused or reset connection
                why = repr(error)[:200]
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                if path.startswith("/api/search"):
                    searches.append(took)
                if why:
                    failures.append(f"{why} after {took:.1f} s: {path[:80]}")

    # Each client walks its own stretch of the list, a search then a completion (a box's user): none repeats another.
    threads = [threading.Thread(target=client, args=(k * len(urls) // clients,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    p50, p95, p99 = percentiles(latencies)
    return {"clients": clients, "requests": len(latencies), "rps": len(latencies) / elapsed, "p50": p50,
            "p95": p95, "p99": p99, "errors": len(failures), "failures": failures, "searches": len(searches),
            "search_rps": len(searches) / elapsed, "search_p": percentiles(searches) if searches else (0, 0, 0)}


def _tree_rss_mb(pid: int, kind: str = "VmRSS") -> float:
    """The resident memory of a process and its children (`izde serve --workers N`: the supervisor and N)."""
    children = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
        except OSError:
            continue
    return _rss_mb(pid, kind) + sum(_rss_mb(child, kind) for child in children)


def http(index: Path, queries, completions: list[str], seconds: float, workers: int = 1, threads: int = DEFAULT_THREADS,
         steps: tuple[int, ...] = (1, 8, 32)) -> list[dict]:
    port = _free_port()
    env = {**os.environ, "IZDE_RATELIMIT_ENABLED": "false"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "izde"), "serve", "--index", str(index),
                               "--port", str(port), "--threads", str(threads), "--workers", str(workers)], cwd=REPO,
                              env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=a", timeout=5).read()
                break
            except Exception:
                time.sleep(0.2)
        urls = []  # a mix: four searches (one repeated: partners' boxes repeat) to three completions
        items = [item for kind in KINDS for item in queries[kind]]
        random.Random(9).shuffle(items)
        for n, (text, filters, page) in enumerate(items):
            params = {"q": text, "page": page, **{k: v[0] if isinstance(v, list) else v for k, v in filters.items()}}
            urls.append("/api/search?" + urllib.parse.urlencode(params))
            urls.append("/api/suggest?" + urllib.parse.urlencode({"q": completions[n % len(completions)]}))
        memory_before = _tree_rss_mb(server.pid), _tree_rss_mb(server.pid, "RssAnon")
        rows = []
        for clients in steps:  # each step's memory after it: caches fill, then it should stay flat
            rows.append(load_run(urls, clients, seconds, port))
            rows[-1]["own_mb"] = _tree_rss_mb(server.pid, "RssAnon")
        rows[-1]["memory"] = memory_before + (_tree_rss_mb(server.pid), _tree_rss_mb(server.pid, "RssAnon"))
        return rows
    finally:
        server.terminate()
        server.wait(timeout=30)


def print_http(index: Path, queries, completions: list[str], seconds: float,
               threads: tuple[int, ...] = (DEFAULT_THREADS,),
               workers: tuple[int, ...] = (), steps: tuple[int, ...] = (1, 8, 32)) -> None:
    """HTTP load runs of `izde serve`: one worker process, then one a core (or each of `workers`), with each of
    `threads` a process, one after the other."""
    for workers_, threads_ in [(w, t) for w in workers or sorted({1, os.cpu_count() or 1}) for t in threads]:
        print()
        print(f"| HTTP, `izde serve --threads {threads_} --workers {workers_}`, {seconds:.0f} s per step | "
              "requests/s | p50 / p95 / p99 ms | searches/s | searches p50 / p95 / p99 ms | errors |")
        print("|---|---|---|---|---|---|")
        rows = http(index, queries, completions, seconds, workers_, threads_, steps)
        for row in rows:
            print(f"| {row['clients']} clients | {row['rps']:.0f} | {row['p50']:.0f} / {row['p95']:.0f} / "
                  f"{row['p99']:.0f} | {row['search_rps']:.0f} | "
                  + " / ".join(f"{v:.0f}" for v in row["search_p"]) + f" | {row['errors']} of {row['requests']} |")
        for row in rows:
            for failure in row["failures"][:5]:
                print(f"\nFailed ({row['clients']} clients): {failure}")
        before, own_before, after, own_after = rows[-1]["memory"]
        print(f"\nServer memory (all its processes, resident): {before:.0f} MB before the load, {after:.0f} MB after; "
              f"of which their own (anonymous, without the mapped pages of the index's files, which the page cache "
              f"holds): {own_before:.0f} MB before, {own_after:.0f} MB after; after each step "
              + ", ".join(f"{row['own_mb']:.0f} MB ({row['clients']} clients)" for row in rows) + ".")


def check_prefilter(articles: list[dict]) -> int:
    """The snippets' prefilter lets every word through for each of its own keys, on every word of the archive, of
    the treebank (train and test, forms and lemmas) and of the UniMorph paradigms (the test takes a sample); returns
    how many keys were checked, raising on the first refusal."""
    from index.analysis import analyze_word
    from search.query import QueryTerms

    checked = 0
    texts = [a["title"] + " " + a["body"] for a in articles]
    for name in ("ky_ktmu-ud-train.conllu", "ky_ktmu-ud-test.conllu"):
        rows = (line.split("\t") for line in (BENCH / "data" / "ud-kyrgyz-ktmu" / name).open(encoding="utf-8")
                if line[:1].isdigit())
        texts.extend(f"{row[1]} {row[2]}" for row in rows)
    texts.extend(" ".join(line.split("\t")[:2]) for line in (BENCH / "data" / "unimorph-kir" / "kir.tsv").open(
        encoding="utf-8"))
    surfaces = {w for text in texts for w in scale_archive.WORD.findall(text)}
    for surface in surfaces:
        for language in ("ky", "ru", "en"):
            token = analyze_word(surface, language)
            for kind in ("stem", "fold", "latin") if token else ():
                for key in token.keys(kind):
                    if not QueryTerms(**{kind: {key}}).prefilter(language)(token.text):
                        raise AssertionError(f"the prefilter refuses {surface!r} ({language}) its {kind} key {key!r}")
                    checked += 1
    return checked


# --- the report ------------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200, help="queries per type")
    parser.add_argument("--straightforward", type=int, default=30,
                        help="queries per type also timed the straightforward way (slow)")
    parser.add_argument("--index", type=Path, help="an index already built from this archive")
    parser.add_argument("--work", type=Path, default=REPO / "var" / "bench")
    parser.add_argument("--no-stock", action="store_true", help="skip stock Whoosh (its build is slow)")
    parser.add_argument("--whoosh-writer", action="store_true",
                        help="build a second time with Whoosh's own writer, side by side")
    parser.add_argument("--check-prefilter", action="store_true", help="check the snippet prefilter on every word")
    parser.add_argument("--http", type=float, default=0, help="seconds per step of an HTTP load run (0: none)")
    parser.add_argument("--http-only", action="store_true", help="only the HTTP load runs (with --index and --http)")
    parser.add_argument("--search-only", action="store_true",
                        help="only Izde's searches and completions (100,000 articles: the rest takes hours)")
    parser.add_argument("--http-threads", type=int, nargs="+", default=[DEFAULT_THREADS],
                        help="threads a server process (each, one run after another; default: izde serve's)")
    parser.add_argument("--http-workers", type=int, nargs="+", default=[],
                        help="server processes (each; default 1, then one a core)")
    parser.add_argument("--http-clients", type=int, nargs="+", default=[1, 8, 32], help="clients, a step each")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    archive = args.work / f"scale-{args.articles}.jsonl"
    if not archive.exists():
        scale_archive.write(scale_archive.generate(args.articles), archive)
    articles = [json.loads(line) for line in archive.open(encoding="utf-8")]
    words = sum(len(a["title"].split()) + len(a["body"].split()) for a in articles)
    print(f"Archive: {len(articles):,} generated articles, {words:,} words ({archive.name}); Python "
          f"{platform.python_version()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}\n")

    if args.check_prefilter:
        print(f"Snippet prefilter: none of {check_prefilter(articles):,} keys of the archive's words refused.\n")
    built = by_whoosh = None
    index = args.index
    if index is None:
        index = args.work / f"index-{args.articles}"
        if args.whoosh_writer:  # first: a child's peak memory is read as the largest of the children's so far
            by_whoosh = build(archive, args.work / f"index-{args.articles}-whoosh-writer", whoosh_writer=True)
        built = build(archive, index)
    ix = open_index(index)
    queries = make_queries(articles, args.queries)
    completions = prefixes(articles, max(200, args.queries))
    if args.http_only:
        print_http(index, queries, completions, args.http, tuple(args.http_threads), tuple(args.http_workers),
                   tuple(args.http_clients))
        ix.close()
        return 0
    ids = [a["id"] for a in random.Random(4).sample(articles, min(len(articles), max(200, args.queries)))]
    # Warm-up: the first search of an index version reads its columns and lexicon (counted in cold start).
    search(ix, "бюджет", cache=False)
    complete(ix, "б")

    fast, answered = time_izde(ix, queries, fast=True)
    if args.search_only:
        print(f"| query type ({args.queries} each) | Izde p50 / p95 / p99 ms | answered |")
        print("|---|---|---|")
        for kind in KINDS:
            print(f"| {kind} | {fmt(fast[kind])} | {answered[kind]} |")
        print(f"| **all searches** | {fmt([t for kind in KINDS for t in fast[kind]])} | |")
        keystrokes = timed(lambda p: complete(ix, p), completions)
        print(f"| autocomplete ({len(completions)} keystrokes) | {fmt(keystrokes)} | |")
        ix.close()
        return 0
    few = {kind: items[:args.straightforward] for kind, items in queries.items()}
    slow, _ = time_izde(ix, few, fast=False) if args.straightforward else ({}, {})
    fts_path = args.work / f"fts5-{args.articles}.sqlite"
    fts_build = fts5_build(articles, fts_path)
    db = sqlite3.connect(fts_path)
    fts, fts_answered = time_fts5(db, queries)
    stock, stock_answered, stock_build_s = {}, {}, None
    if not args.no_stock:
        stock_build_s = stock_build(articles, args.work / f"stock-{args.articles}")
        stock, stock_answered = time_stock(args.work / f"stock-{args.articles}", queries)

    print(f"| query type ({args.queries} each) | Izde p50 / p95 / p99 ms | straightforward p50 / p95 (first "
          f"{args.straightforward}) | FTS5 p50 / p95 / p99 | stock Whoosh p50 / p95 / p99 | answered: Izde / FTS5 / "
          "stock |")
    print("|---|---|---|---|---|---|")
    for kind in KINDS:
        straight = " / ".join(f"{v:.0f}" for v in percentiles(slow[kind])[:2]) if slow else "–"
        print(f"| {kind} | {fmt(fast[kind])} | {straight} | {fmt(fts[kind])} | "
              f"{fmt(stock[kind]) if stock else '–'} | {answered[kind]} / {fts_answered[kind]} / "
              f"{stock_answered.get(kind, '–')} |")
    everything = [t for kind in KINDS for t in fast[kind]]
    print(f"| **all searches** | {fmt(everything)} | | {fmt([t for k in KINDS for t in fts[k]])} | "
          f"{fmt([t for k in KINDS for t in stock[k]]) if stock else '–'} | |")

    print()
    print("| what | Izde p50 / p95 / p99 ms | straightforward p50 / p95 / p99 ms |")
    print("|---|---|---|")
    print(f"| autocomplete ({len(completions)} keystrokes) | {fmt(timed(lambda p: complete(ix, p), completions))} | "
          f"{fmt(timed(lambda p: complete(ix, p, fast=False), completions[:60]))} (first 60) |")
    print(f"| related, first view of an article ({len(ids)}) | "
          f"{fmt(timed(lambda i: related(ix, i, cache=False), ids))} | "
          f"{fmt(timed(lambda i: related(ix, i, cache=False, fast=False), ids[:60]))} (first 60) |")
    if StoredRelated(index_version(ix)).get(ids[0]) is not None:  # `izde index build` stored every list
        print(f"| related, first view, from the lists stored at build (`store_related`) | "
              f"{fmt(timed(lambda i: related(ix, i), ids))} | |")
    else:
        print("| related, first view, from stored lists | not stored: run `izde index build`, or `store_related` | |")
    for i in ids:
        related(ix, i)
    print(f"| related, seen before (cached per index version) | {fmt(timed(lambda i: related(ix, i), ids))} | |")
    repeated = [q for kind in KINDS for q in queries[kind][:20]]
    for text, filters, page in repeated:
        search(ix, text, Filters(**filters), page=page)
    print(f"| search, repeated query (cached per index version) | "
          f"{fmt(timed(lambda q: search(ix, q[0], Filters(**q[1]), page=q[2]), repeated))} | |")
    try:
        print(f"| cold start: a new process to its first answer | {cold_start(index, 'бюджет') * 1000:.0f} ms | |")
    except RuntimeError as error:
        print(f"| cold start | failed: {error} | |")
    print()
    print("| build | seconds | articles/s | index MB | peak memory MB |")
    print("|---|---|---|---|---|")
    if built:
        print(f"| Izde | {built['seconds']:.1f} | {built['articles'] / built['seconds']:.1f} | {built['size_mb']:.0f} | "
              f"{built['peak_mb']:.0f} |")
    if by_whoosh:
        print(f"| Izde with Whoosh's own writer (the same postings) | {by_whoosh['seconds']:.1f} | "
              f"{by_whoosh['articles'] / by_whoosh['seconds']:.1f} | {by_whoosh['size_mb']:.0f} | "
              f"{by_whoosh['peak_mb']:.0f} |")
    print(f"| SQLite FTS5 | {fts_build:.1f} | {len(articles) / fts_build:.0f} | {fts_path.stat().st_size / 1e6:.0f} | |")
    if stock_build_s:
        print(f"| stock Whoosh (StemmingAnalyzer) | {stock_build_s:.1f} | {len(articles) / stock_build_s:.0f} | | |")
    if args.http:
        print_http(index, queries, completions, args.http, tuple(args.http_threads), tuple(args.http_workers),
                   tuple(args.http_clients))
    ix.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Index build throughput and query latency on a larger archive: articles made of UD KTMU sentences.

Builds an index of N articles (each 40 consecutive treebank sentences, with issue, year and section spread over
them), then times, over several rounds: `search()` with facets for typical queries, `complete()` (autocomplete,
called on every keystroke) and `related()`. Reports medians.

    python bench/search.py [--articles 1000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.build import build_index, open_index  # noqa: E402
from search.articles import related  # noqa: E402
from search.searcher import Filters, search  # noqa: E402
from search.suggest import complete  # noqa: E402

from scale_archive import treebank_sentences  # noqa: E402

QUERIES = ["мамлекет", "жергиликтүү бюджет", '"Кыргыз Республикасынын"', "шаар -Бишкек", "jergiliktuu", "мектеп*"]
PREFIXES = ["м", "мам", "мамлек", "жерги", "шаа", "кыргызс"]


def archive(path: Path, n: int) -> Path:
    texts = treebank_sentences()
    rows = []
    for i in range(n):
        chunk = [texts[(i * 40 + j) % len(texts)] for j in range(40)]
        year = 2009 + i % 16
        rows.append({"id": f"a{i}", "title": chunk[0], "body": "\n\n".join(chunk[1:]), "language": "ky",
                     "kind": "magazine-article", "date": f"{year}-{1 + i % 12:02d}-15",
                     "issue": f"{1 + i % 12} ({(year - 2009) * 12 + 1 + i % 12})",
                     "section": ["Тажрыйба", "Бюджет", "Мыйзамдар", "Көңүл чордонунда"][i % 4]})
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def timed(fn, rounds: int) -> float:
    values = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        values.append(time.perf_counter() - start)
    return statistics.median(values)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        source = archive(Path(tmp) / "archive.jsonl", args.articles)
        report = build_index([source], Path(tmp) / "index")
        ix = open_index(Path(tmp) / "index")
        words = sum(len(line.split()) for line in source.read_text("utf-8").splitlines())
        print(f"Archive: {report.indexed} articles, {words:,} words; {args.rounds} rounds; "
              f"Python {platform.python_version()} on {platform.machine()}")
        print()
        print("| what | median |")
        print("|---|---|")
        print(f"| index build (read, analyze, key terms, write) | {report.seconds:.1f} s "
              f"({report.indexed / report.seconds:.0f} articles/s) |")
        for q in QUERIES:
            print(f"| search `{q}`, page 1 + facets + snippets | "
                  f"{timed(lambda: search(ix, q), args.rounds) * 1000:.0f} ms |")
        print(f"| search `мамлекет`, year=2020 filter | "
              f"{timed(lambda: search(ix, 'мамлекет', Filters(year=[2020])), args.rounds) * 1000:.0f} ms |")
        for prefix in PREFIXES:
            print(f"| autocomplete `{prefix}` | {timed(lambda: complete(ix, prefix), args.rounds) * 1000:.1f} ms |")
        print(f"| related articles (top 10) | {timed(lambda: related(ix, 'a7'), args.rounds) * 1000:.0f} ms |")
        ix.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

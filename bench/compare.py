"""Before/after rows for BENCHMARKS.md: the same searches timed by several checkouts of Izde, one after another.

    git worktree add /tmp/before COMMIT
    python bench/compare.py --index DIR --archive var/bench/scale-10000.jsonl /tmp/before .

Each checkout runs in a process of its own (so none inherits another's caches) on the same queries
(`bench/scale.py`'s generator, `--queries` of each type), every query a first one: `search(..., cache=False)`,
as `bench/scale.py` times it. Prints p50 / p95 ms for all searches and for each type.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

CHILD = r"""
import json, sys
repo, index, archive, per_kind = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
sys.path.insert(0, repo)
sys.path.append(repo + "/bench")
from pathlib import Path
from index.build import open_index
from search.searcher import search
from search.suggest import complete
import scale
ix = open_index(Path(index))
articles = [json.loads(line) for line in open(archive, encoding="utf-8")][:3000]
queries = scale.make_queries(articles, per_kind)
search(ix, "бюджет", cache=False)  # the index version's columns, and the lexicon, as a served index has them
complete(ix, "б")
times, _answered = scale.time_izde(ix, queries, fast=True)
print(json.dumps(times))
"""


def percentiles(values: list[float]) -> str:
    ms = np.array(values) * 1000
    return f"{np.median(ms):,.0f} / {np.percentile(ms, 95):,.0f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--archive", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=30, help="queries of each type")
    args = parser.parse_args(argv)
    rows = []
    for checkout in args.checkouts:
        done = subprocess.run([sys.executable, "-c", CHILD, str(checkout.resolve()), str(args.index.resolve()),
                               str(args.archive.resolve()), str(args.queries)], capture_output=True, text=True,
                              cwd=checkout, check=True)
        rows.append((checkout, json.loads(done.stdout.splitlines()[-1])))
    kinds = list(rows[0][1])
    print("| checkout | all searches p50 / p95 ms | " + " | ".join(kinds) + " |")
    print("|---|---|" + "---|" * len(kinds))
    for checkout, times in rows:
        everything = [t for kind in kinds for t in times[kind]]
        print(f"| {checkout} | {percentiles(everything)} | " + " | ".join(percentiles(times[k]) for k in kinds) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

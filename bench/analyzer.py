"""Analyzer throughput: Izde's whole analysis (ICU segmentation, normalization, Kyrgyz/Russian stemming, folding,
Latin key — all four variants) against Whoosh's stock StemmingAnalyzer, on the same text, in the same run.

Each round analyzes the whole corpus with each analyzer in turn; the table gives medians over the rounds and the
ratio to the stock analyzer. "cold" clears Izde's word caches before every round (every word stemmed afresh),
"warm" keeps them (what a long indexing run or a web process sees).

    python bench/analyzer.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh.analysis import StemmingAnalyzer  # noqa: E402

from index import analysis  # noqa: E402
from index.archive import read_archive, sample_archive  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "ud-kyrgyz-ktmu"


def corpus() -> list[str]:
    texts = [a.title + "\n" + a.body for a in read_archive(sample_archive()).articles]
    sentences = [line[len("# text = "):] for line in (DATA / "ky_ktmu-ud-test.conllu").read_text("utf-8").splitlines()
                 if line.startswith("# text = ")]
    texts += ["\n".join(sentences[i:i + 50]) for i in range(0, len(sentences), 50)]
    return texts


def clear_caches() -> None:
    analysis.normalize_word.cache_clear()
    analysis.variant_keys.cache_clear()
    analysis.russian_stem.cache_clear()
    for stemmer in analysis._STEMMERS.values():  # the ICU objects themselves stay built, as in a running process
        for cache in (stemmer._cached, stemmer._keys, stemmer._parses):
            cache.cache_clear()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    texts = corpus()
    stock = StemmingAnalyzer()
    tokens = sum(len(analysis.analyze(t)) for t in texts)

    def izde():
        for text in texts:
            analysis.analyze(text)

    def whoosh_stock():
        for text in texts:
            for _ in stock(text):
                pass

    timings: dict[str, list[float]] = {"Whoosh StemmingAnalyzer (English Porter, 1 field)": [],
                                       "Izde analyze(), cold caches (4 variants)": [],
                                       "Izde analyze(), warm caches (4 variants)": []}
    names = list(timings)
    for _ in range(args.rounds):
        t = time.perf_counter(); whoosh_stock(); timings[names[0]].append(time.perf_counter() - t)
        clear_caches()
        t = time.perf_counter(); izde(); timings[names[1]].append(time.perf_counter() - t)
        t = time.perf_counter(); izde(); timings[names[2]].append(time.perf_counter() - t)
    base = statistics.median(timings[names[0]])
    print(f"Corpus: {len(texts)} texts, {sum(map(len, texts)):,} characters, {tokens:,} tokens; "
          f"{args.rounds} rounds; Python {platform.python_version()} on {platform.machine()}")
    print()
    print("| analyzer | median s | tokens/s | time vs stock |")
    print("|---|---|---|---|")
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.3f} | {tokens / median:,.0f} | {median / base:.2f}× |")
    print()
    print(f"Peak memory of this process (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

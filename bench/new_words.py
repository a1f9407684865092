"""The Kyrgyz stemmer on words met for the first time, as a build's analysis process meets them.

A build stems each distinct word once per process (the keys are kept after that), so at 10,000 articles what the
stemmer costs is its cost on new words, in three alphabets (plain, folded, Latin). This takes one pool process's
half of a generated archive (every other run of 8 articles, as `index.build` hands them out), warms a stemmer per
alphabet on the Kyrgyz words of its first `--warm` articles (the ranker's kept scores fill as in a build), and
times the keys of the Kyrgyz words it meets first in the next `--articles`: `keys` (`_keys_at_once`) and the
step-by-step `_all_keys` beside it, alternately, each round with fresh stemmers. Medians over the rounds.

    python bench/scale_archive.py --articles 10000 --out var/bench/scale-10000.jsonl
    python bench/new_words.py var/bench/scale-10000.jsonl [--warm 3000 --articles 400 --rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.analysis import normalize_word, word_language, words  # noqa: E402
from index.archive import read_archive  # noqa: E402
from index.kyrgyz import ALPHABETS, KyrgyzStemmer  # noqa: E402


def kyrgyz_words(articles) -> list[str]:
    """The distinct normalized Kyrgyz words of `articles`, in the order first met."""
    found: dict[str, None] = {}
    for article in articles:
        for _, _, surface in words(article.title + "\n" + article.body):
            word = normalize_word(surface)
            if word and word not in found and word_language(word, article.language) == "ky":
                found[word] = None
    return list(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--warm", type=int, default=3000)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    articles = read_archive([args.archive]).articles
    half = [a for i, a in enumerate(articles) if (i // 8) % 2 == 0]
    warm = kyrgyz_words(half[:args.warm])
    met = set(warm)
    new = [w for w in kyrgyz_words(half[args.warm:args.warm + args.articles]) if w not in met]
    print(f"{len(warm):,} words to warm on, {len(new):,} new words timed; µs a word")
    print("| alphabet | `_all_keys`, step by step | `keys`, one pass | ratio |")
    print("|---|---|---|---|")
    totals = {"slow": [], "fast": []}
    for name, transform in ALPHABETS.items():
        spell = transform or (lambda w: w)
        warm_words, new_words = [spell(w) for w in warm], [spell(w) for w in new]
        times = {"slow": [], "fast": []}
        for _ in range(args.rounds):
            for way in ("slow", "fast"):
                stemmer = KyrgyzStemmer(transform)
                for word in warm_words:
                    stemmer.keys(word)
                step = stemmer._all_keys if way == "slow" else stemmer.keys
                started = time.perf_counter()
                for word in new_words:
                    step(word)
                times[way].append((time.perf_counter() - started) / len(new_words) * 1e6)
        slow, fast = statistics.median(times["slow"]), statistics.median(times["fast"])
        totals["slow"].append(slow)
        totals["fast"].append(fast)
        print(f"| {name} | {slow:.1f} | {fast:.1f} | {fast / slow:.2f} |")
    slow, fast = sum(totals["slow"]), sum(totals["fast"])
    print(f"| all three | {slow:.1f} | {fast:.1f} | {fast / slow:.2f} |")


if __name__ == "__main__":
    main()

"""Key terms of each article: its most distinctive stems (tf·idf over the archive, stop words left out).

Computed at build time, when the whole archive's statistics are at hand, and stored beside the index
(`index.links`): related
articles are found by them, and an editor is shown the ones two articles share, each as the word the article
itself uses most for that stem (stems are for matching, never shown).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from .analysis import AnalyzedToken
from .stopwords import is_stop_word

KEY_TERMS = 25


@dataclass(frozen=True)
class KeyTerm:
    stem: str
    word: str  # the surface form the article uses most for this stem
    weight: float


def candidates(tokens: list[AnalyzedToken]) -> tuple[Counter, dict[str, Counter]]:
    """The stems that may be key terms, with how often the text has each, and the words it writes them with."""
    counts: Counter = Counter()
    words: dict[str, Counter] = {}
    for t in tokens:
        if not is_candidate(t.text, t.stem):
            continue
        counts[t.stem] += 1
        words.setdefault(t.stem, Counter())[t.text] += 1
    return counts, words


def is_candidate(text: str, stem: str) -> bool:
    """Whether a word (normalized, and its primary stem) may be a key term: not a stop word, a stem of three
    letters or more and only letters."""
    return not is_stop_word(text) and len(stem) >= 3 and stem.isalpha()


def counted_candidates(words: list[tuple[str, str] | None], counts: list[int]) -> tuple[Counter, dict[str, dict]]:
    """`candidates` from a text's distinct words in the order they first stand in it, each (its normalized form,
    its primary stem) if `is_candidate`, else None, with how often it stands there: the same counts, and for each
    stem the same words and counts, in the same order (a stem's words in the order the text first writes them,
    which breaks ties for its most used word), as plain dictionaries (a `Counter` makes each new key through a
    Python `__missing__`: a third of this, counted with them)."""
    out: dict[str, int] = {}
    written: dict[str, dict[str, int]] = {}
    for word, count in zip(words, counts):
        if word is not None:
            text, stem = word
            out[stem] = out.get(stem, 0) + count
            found = written.get(stem)
            if found is None:
                written[stem] = {text: count}
            else:
                found[text] = found.get(text, 0) + count
    return Counter(out), written


def key_terms_from(counts: Counter, words: dict[str, str], df: Counter, n_docs: int,
                   limit: int = KEY_TERMS, straightforward: bool = False) -> list[KeyTerm]:
    """The `limit` stems of one article with the highest tf·idf (sublinear tf; smooth idf), from its candidates
    (`candidates`, with each stem's most used word) and the archive's document frequencies.

    Only the `limit` best become `KeyTerm`s, picked by `heapq.nsmallest` (which gives what sorting all and taking
    the first gives) from those whose weight numpy puts near enough the best (`_near_the_best`); `straightforward`:
    every candidate weighed and made one, and sorted. An article has some 300 candidates: making them all was half
    of the build's key-term step (BENCHMARKS.md, fourteenth session), and weighing and rounding each in Python most
    of the rest (eighteenth session); tests/test_fast_paths.py holds the two equal."""
    log, get = math.log, df.get
    top = 1 + n_docs
    if straightforward:
        scored = []
        for stem, tf in counts.items():
            idf = log(top / (1 + get(stem, 0))) + 1.0
            scored.append(KeyTerm(stem, words[stem], round((1 + log(tf)) * idf, 4)))
        scored.sort(key=lambda k: (-k.weight, k.stem))
        return scored[:limit]
    stems = _near_the_best(counts, df, top, limit)
    best = heapq.nsmallest(limit, ((-round((1 + log(counts[stem])) * (log(top / (1 + get(stem, 0))) + 1.0), 4), stem)
                                   for stem in stems))
    return [KeyTerm(stem, words[stem], -weight) for weight, stem in best]


NEAR = 1e-3  # how far below the `limit`-th best weight numpy's weights keep a candidate (`_near_the_best`)


def _near_the_best(counts: Counter, df: Counter, top: int, limit: int):
    """The candidates that may be among the `limit` best by their rounded weight: every one whose weight, computed
    in numpy, is at most NEAR below the `limit`-th best such weight. numpy's logarithm may differ from `math.log`'s
    in the last bit and the weights are then rounded to 4 places, so a weight moves by less than 1e-4 from numpy's to
    the rounded one: a candidate left out is more than NEAR - 2e-4 below `limit` candidates that are kept, and so
    below each of the `limit` best."""
    if len(counts) <= limit:
        return counts
    stems = list(counts)
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(stems))
    documents = np.fromiter(map(df.get, stems, repeat(0)), dtype=np.float64, count=len(stems))
    weights = (1 + np.log(tf)) * (np.log(top / (1 + documents)) + 1.0)
    floor = np.partition(weights, len(stems) - limit)[len(stems) - limit] - NEAR
    return [stems[i] for i in np.flatnonzero(weights >= floor).tolist()]

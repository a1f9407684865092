"""What the fast paths keep in memory for one version of the index: each document's facet values and date key as
arrays, and the archive's words sorted for completion.

Built once when an index version is first searched, and looked up by `IndexVersion` — the index's directory and
its generation — so a rebuilt or updated index gets new arrays and nothing computed on an older one is served.
"""

from __future__ import annotations

import bisect
import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import PurePath
from typing import Callable, Hashable

import numpy as np
from whoosh import sorting
from whoosh.scoring import BM25F

from index.schema import FACETS

MISSING = -1  # a document's ordinal when it has no value for a facet
_LOCAL = threading.local()  # a thread's open searchers, and the versions its calls see


@dataclass(frozen=True)
class IndexVersion:
    folder: str
    generation: int


def index_version(ix) -> IndexVersion:
    """The version of an open index: a rebuild (a new directory) or a commit (a new generation) changes it. Within
    a call of a function made `one_version`, the version it read when the call began."""
    held = getattr(_LOCAL, "versions", None)
    if held:
        found = held.get(id(ix))
        if found is not None:
            return found
    return _read_version(ix)


def _read_version(ix) -> IndexVersion:
    return IndexVersion(str(getattr(ix.storage, "folder", id(ix.storage))), ix.latest_generation())


def one_version(function: Callable) -> Callable:
    """A function of an open index (its first argument) that sees the index at one version throughout a call: the
    version is read once when the call begins (Whoosh lists the index's folder for it, a system call that lets
    another thread take the interpreter: a search asked for it five times, and under load each was a wait), and
    a commit while the call runs is seen by the next call. Calls within the call share it."""
    @functools.wraps(function)
    def pinned(ix, *args, **kwargs):
        held = _LOCAL.__dict__.setdefault("versions", {})
        if id(ix) in held or isinstance(ix, (str, PurePath)):
            return function(ix, *args, **kwargs)
        held[id(ix)] = _read_version(ix)
        try:
            return function(ix, *args, **kwargs)
        finally:
            del held[id(ix)]
    return pinned


class LruCache:
    """A small thread-safe least-recently-used cache (waitress answers from several threads). It holds up to
    `size` entries, or with `cost` (a value's size) values whose costs add up to at most `size`."""

    def __init__(self, size: int, cost: Callable[[object], int] | None = None) -> None:
        self.size = size
        self.cost = cost
        self._held = 0
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}

    def _get(self, key: Hashable):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return True, self._data[key]
            return False, self._making.setdefault(key, threading.Lock())

    def peek(self, key: Hashable):
        """The value kept for `key`, or None; never makes one."""
        with self._lock:
            return self._data.get(key)

    def get(self, key: Hashable):
        """The value kept for `key` (now the most recently used), or None; never makes one."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            return None

    def clear(self) -> None:
        """Let go of every value kept."""
        with self._lock:
            self._data.clear()
            self._held = 0

    def get_or_make(self, key: Hashable, make: Callable[[], object]):
        found, value = self._get(key)
        if found:
            return value
        with value:  # one thread makes a key's value (a lexicon takes seconds); the others wait for it
            found, value = self._get(key)
            if found:
                return value
            try:
                value = make()
            finally:
                with self._lock:
                    self._making.pop(key, None)
            with self._lock:
                self._data[key] = value
                self._data.move_to_end(key)
                self._held += self.cost(value) if self.cost else 1
                while self._held > self.size and len(self._data) > 1:
                    _, old = self._data.popitem(last=False)
                    self._held -= self.cost(old) if self.cost else 1
            return value


class FacetColumn:
    """One facet: its distinct values, and each document's value as an index into them (MISSING for none)."""

    def __init__(self, values: list, ordinals: np.ndarray) -> None:
        self.values = values
        self.ordinals = ordinals

    def selected(self, wanted: set[str], unknown: str) -> np.ndarray:
        """A mask of the documents whose value is one of `wanted` (`unknown` standing for no value)."""
        codes = [i for i, v in enumerate(self.values) if str(v) in wanted]
        mask = np.isin(self.ordinals, codes)
        if unknown in wanted:
            mask |= self.ordinals == MISSING
        return mask

    def counts(self, docs: np.ndarray) -> dict:
        """{value: how many of `docs` have it}, None for those that have none."""
        ordinals = self.ordinals[docs]
        present = ordinals[ordinals != MISSING]
        counted = np.bincount(present, minlength=len(self.values)) if len(present) else np.zeros(0, dtype=int)
        out = {self.values[i]: int(n) for i, n in enumerate(counted) if n}
        if len(present) < len(ordinals):
            out[None] = len(ordinals) - len(present)
        return out


class Columns:
    """The facet columns and date sort keys of every document of one index version."""

    def __init__(self, searcher) -> None:
        self.doc_count = searcher.doc_count_all()
        self.facets: dict[str, FacetColumn] = {}
        for name in FACETS:
            raw = [None] * self.doc_count
            for sub, offset in searcher.leaf_searchers():
                column = sub.reader().column_reader(name)
                for docnum in range(sub.doc_count_all()):
                    raw[offset + docnum] = column[docnum]
            values = sorted({v for v in raw if not _missing(v)}, key=str)
            code = {v: i for i, v in enumerate(values)}
            self.facets[name] = FacetColumn(values, np.array([MISSING if _missing(v) else code[v] for v in raw],
                                                             dtype=np.int32))
        # The key Whoosh itself sorts "newest first" by, so ties are broken exactly as its sorted search breaks them.
        newest = DateFacet(reverse=True).categorizer(searcher)
        self.newest = np.zeros(self.doc_count, dtype=np.int64)
        for sub, offset in searcher.leaf_searchers():
            newest.set_searcher(sub, offset)
            for docnum in range(sub.doc_count_all()):
                self.newest[offset + docnum] = newest.key_for(None, docnum)


class DateFacet(sorting.FieldFacet):
    """Whoosh's `FieldFacet("date")`, whose newest-first order also knows a segment in which no article has a date
    (an update that added only undated pages): that segment has no date column, its documents read the column's
    default, b"", and Whoosh's reversed categorizer looks for it among the other segments' dates, does not find it,
    and fails every search (ValueError). Here a value sorts where it would stand among them: for every value
    Whoosh finds, its own key."""

    def __init__(self, reverse: bool = False) -> None:
        super().__init__("date", reverse=reverse)

    def categorizer(self, global_searcher):
        found = super().categorizer(global_searcher)
        if type(found) is sorting.ReversedColumnCategorizer:
            found.__class__ = _ReversedDates
        return found


class _ReversedDates(sorting.ReversedColumnCategorizer):
    def key_for(self, matcher, segment_docnum):
        # Whoosh: 0 - self._values.index(value), the values sorted and distinct.
        return 0 - bisect.bisect_left(self._values, self._creader[segment_docnum])


def _missing(value) -> bool:
    # A missing number reads back as the column's default (2**32 - 1): no year is a year past 9999.
    return value in (None, "", b"") or (isinstance(value, int) and value > 9999)


_COLUMNS = LruCache(4)
STORED_HELD = 4096  # documents' stored fields kept (their bodies most of it: some 50 MB at 4,096, 12 KB a document)
_STORED = LruCache(STORED_HELD)


def stored_fields(searcher, version: IndexVersion, docnum: int) -> dict:
    """`searcher.stored_fields(docnum)` of the index version `version` (which `searcher` reads), kept: Whoosh
    decompresses and unpickles a document's whole record each time it is asked, and under load the decompression
    of a body was a wait for the interpreter. Shared: treat it as read-only."""
    return _STORED.get_or_make((version, docnum), lambda: searcher.stored_fields(docnum))


def columns(ix, searcher) -> Columns:
    """The columns of the version of `ix` that `searcher` reads."""
    return _COLUMNS.get_or_make(index_version(ix), lambda: Columns(searcher))


class Lexicon:
    """The archive's exact words (title and body) sorted, with the number of articles using each, and the title
    words with the documents whose title has each: a completion is a binary search for the prefix's range."""

    def __init__(self, reader) -> None:
        # Each segment's terms are read from its own table: asking a reader of several segments (an updated index)
        # merges every term's statistics across all of them, a hundred times slower. A word's count is its
        # document frequency in the title or the body, whichever is larger, summed over the segments.
        leaves = [sub for sub, _offset in reader.leaf_readers()]
        counts: dict[str, int] = {}
        for fieldname in ("title", "body"):
            field_counts: dict[str, int] = {}
            for sub in leaves:
                for term, info in sub.iter_field(fieldname):
                    word = _text(term)
                    field_counts[word] = field_counts.get(word, 0) + info.doc_frequency()
            for word, count in field_counts.items():
                counts[word] = max(counts.get(word, 0), count)
        self.words = sorted(counts)
        self.counts = np.array([counts[w] for w in self.words], dtype=np.int64)
        self.lengths = np.array([len(w) for w in self.words], dtype=np.int64)
        # The title words' postings end to end: the documents of title words lo..hi are one slice.
        self.title_words = sorted({_text(term) for sub in leaves for term in sub.field_terms("title")})
        postings = [np.fromiter(reader.postings("title", w).all_ids(), dtype=np.int64) for w in self.title_words]
        self.title_offsets = np.cumsum([0] + [len(p) for p in postings])
        self.title_docs = np.concatenate(postings) if postings else np.zeros(0, dtype=np.int64)

    @staticmethod
    def _range(words: list[str], prefix: str) -> tuple[int, int]:
        return bisect.bisect_left(words, prefix), bisect.bisect_left(words, prefix + "\U0010ffff")

    def starting(self, prefix: str) -> list[str]:
        """The words that start with `prefix`, A–Z."""
        lo, hi = self._range(self.words, prefix)
        return self.words[lo:hi]

    def most_used(self, prefixes: list[str], limit: int) -> list[tuple[str, int]]:
        """The `limit` words that start with any of `prefixes`, most used first (then shorter, then A–Z)."""
        ranges = [self._range(self.words, p) for p in dict.fromkeys(prefixes)]
        found = np.concatenate([np.arange(lo, hi) for lo, hi in ranges]) if ranges else np.zeros(0, np.int64)
        if len({len(p) for p in prefixes}) > 1:  # a prefix's spellings (one length) never find a word twice
            found = np.unique(found)
        counts = self.counts[found]
        if len(found) > limit:  # only words used at least as often as the limit-th can make it
            floor = np.partition(counts, len(counts) - limit)[len(counts) - limit]
            found, counts = found[counts >= floor], counts[counts >= floor]
        # The words are sorted, so a word's place in them orders it A–Z.
        order = np.lexsort((found, self.lengths[found], -counts))[:limit]
        return [(self.words[i], int(self.counts[i])) for i in found[order]]

    def titles(self, prefixes: list[str], order: np.ndarray, limit: int) -> list[int]:
        """The first `limit` documents, by `order` (a sort key per document) then number, whose title has a word
        starting with one of `prefixes`."""
        parts = [self.title_docs[self.title_offsets[lo]:self.title_offsets[hi]]
                 for lo, hi in (self._range(self.title_words, p) for p in prefixes)]
        docs = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
        return docs[np.lexsort((docs, order[docs]))[:limit]].tolist()


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


_LEXICONS = LruCache(4)


def lexicon(ix, reader) -> Lexicon:
    return _LEXICONS.get_or_make(index_version(ix), lambda: Lexicon(reader))


def built_lexicon(ix) -> Lexicon | None:
    """The lexicon of this version of `ix` if it has been built (`izde serve` builds it when it opens a version),
    else None: a one-off command should not wait seconds for it."""
    return _LEXICONS.peek(index_version(ix))


SEARCHERS_PER_THREAD = 4


class _Held(OrderedDict):
    """A thread's open searchers, closed when the thread ends and its locals go."""

    def __del__(self) -> None:
        for searcher in self.values():
            searcher.close()


def shared_searcher(ix):
    """A searcher on the current version of `ix`, kept open for this thread and reused: opening one reads the
    term index from disk, which costs more than a whole search. Whoosh searchers are not shared between threads.
    Never close it; it is closed when its thread moves on to other versions."""
    version = index_version(ix)
    held = getattr(_LOCAL, "held", None)
    if held is None:
        held = _LOCAL.held = _Held()
    if version not in held:
        held[version] = ix.searcher(weighting=BM25F())
        while len(held) > SEARCHERS_PER_THREAD:
            _, old = held.popitem(last=False)
            old.close()
    held.move_to_end(version)
    return held[version]


def warm(ix) -> None:
    """Build what the fast paths keep for this version of the index (facet columns, the lexicon) now, so that no
    visitor waits for it: `izde serve` does this before it answers from a new version."""
    searcher = shared_searcher(ix)
    columns(ix, searcher)
    lexicon(ix, searcher.reader())

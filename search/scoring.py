"""Which documents a query matches, and their scores, computed in numpy over whole posting lists.

Whoosh 2.7.4 walks the matches of a query one document at a time through a Python tree of matchers: a query word
is an OR of 16–40 terms, so a common word costs a tree step per term for each of thousands of documents. Here the
same tree of matchers — Whoosh builds it, so its shape (which decides the order in which floats are added) is
Whoosh's own — is evaluated a whole segment at a time: each node gives a mask of the documents it matches and an
array of their scores, computed with the same operations in the same order as the matcher's `score()`, so the
floats are bit for bit those Whoosh computes. Phrases, and two words near each other in any order (a proximity
clause), are matched from positions (the arrays beside the segment, `index.arrays`, else Whoosh's blocks, decoded
many postings at once); a node this module does not know (an unordered span of three words or
more, anything new) is walked the straightforward way, alone, and its matches and scores go into the arrays.
Whoosh is pinned at 2.7.4, and some of its private attributes are read here (a posting block's arrays, a leaf's
term, the lengths column).

The tree is built over a segment's searcher seen through `_Planned`, for the cost of cache look-ups:
- its term matchers are `_Cached`, the same postings read from the segment's arrays or the cache (Whoosh's own cost
  three term look-ups, a scorer's set-up and a block read each);
- a prefix of so many words that Whoosh would add them up unscored in an array is one `_Union` of their postings;
- a phrase (a `Phrase`, or a `Sequence` in order) is matched whole from cached positions (`_Planned.near`), where
  Whoosh's position matchers would walk to their first match as they are made.
Each stands where Whoosh's matcher would, a class for each of Whoosh's (Whoosh orders equally weighted matchers by
whether their classes are the same), and walks as Whoosh's does wherever a node above it is walked.

`straightforward_matches` is that walk for the whole query over Whoosh's own tree; `tests/test_fast_paths.py`
holds the two equal, and the planned tree equal to Whoosh's.
"""

from __future__ import annotations

import copy
import heapq
from math import log
from pathlib import Path
from typing import Callable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, W3TermInfo, W3TermsReader, _lenfield
from whoosh.filedb.filetables import OrderedHashReader, _lengths as _LENGTHS  # a record's key and value lengths
from whoosh.matching import ListMatcher, ReadTooFar, mcore
from whoosh.matching.binary import AndMaybeMatcher, AndNotMatcher, IntersectionMatcher, UnionMatcher
from whoosh.matching.wrappers import FilterMatcher, InverseMatcher, WrappingMatcher
from whoosh.query import And, AndMaybe, Not, Or, Phrase, Prefix, Sequence, Term
from whoosh.query.compound import BinaryQuery, CompoundQuery
from whoosh.query.wrappers import WrappingQuery
from whoosh.query.spans import SpanNear, SpanNear2, SpanWrappingMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.util import make_weighted_tree
from whoosh.util.numeric import byte_to_length

from index.arrays import SegmentArrays, decode_positions, joined_values, open_arrays, read_blocks

from .columns import LruCache

POSTINGS_HELD = 8_000_000  # postings kept decoded across queries (8 bytes each: about 64 MB)
VALUES_HELD = 4_000_000  # and postings with their positions encoded (about 25 bytes each)
TERMS_HELD = 2_000_000  # terms' statistics in a segment (or that a segment lacks them)


class _Segment:
    """What scoring needs of one segment of one index version: its live documents and its field lengths (read
    with the reader of whichever thread first needs them)."""

    def __init__(self, reader) -> None:
        self.size = reader.doc_count_all()
        self.deleted = (frozenset(d for d in range(self.size) if reader.is_deleted(d)) if reader.has_deletions()
                        else frozenset())
        self.live = np.ones(self.size, dtype=bool)
        self.live[np.fromiter(self.deleted, dtype=np.int64, count=len(self.deleted))] = False
        self._lengths: dict[str, np.ndarray] = {}

    def lengths(self, reader, fieldname: str) -> np.ndarray:
        """Each document's length in a field, as BM25F reads it (`doc_field_length` with its default of 1)."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = self._length_column(reader, fieldname)
            if found is None:  # another codec: ask for each document
                length = reader.doc_field_length
                found = np.array([length(docnum, fieldname, 1) for docnum in range(self.size)], dtype=np.float64)
            self._lengths[fieldname] = found
        return found

    def _length_column(self, reader, fieldname: str) -> np.ndarray | None:
        """The lengths column read whole: one byte a document, decoded as `W3PerDocReader.doc_field_length`
        decodes each (`byte_to_length`; a zero byte, an empty field, reads as no length: NaN, never scored)."""
        perdoc = getattr(reader, "_perdoc", None)
        if not isinstance(perdoc, W3PerDocReader):
            return None
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return np.ones(self.size)  # no column: the default of 1
        raw = np.zeros(self.size, dtype=np.uint8)
        stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)[:self.size]
        raw[:len(stored)] = stored
        return _BYTE_LENGTHS[raw]


_BYTE_LENGTHS = np.array([np.nan] + [byte_to_length(b) for b in range(1, 256)], dtype=np.float64)
_SEGMENTS = LruCache(16)
_POSTINGS = LruCache(POSTINGS_HELD, cost=lambda value: len(value[0]))
_VALUES = LruCache(VALUES_HELD, cost=lambda value: len(value[0]))
_TERMS = LruCache(TERMS_HELD)
_ARRAYS = LruCache(64)
LEXICON_TERMS_HELD = 2_000_000  # terms of fields' whole lexicons held at once (some 335 bytes each: about 670 MB)
# Fields' whole lexicons, held while work that asks for most of their terms runs (`hold_lexicons`).
_LEXICONS = LruCache(LEXICON_TERMS_HELD, cost=lambda lexicon: len(lexicon.at))


def _key(version, number: int) -> tuple:
    """What a segment's cached postings, positions and term statistics are keyed by (a plain tuple: hashed
    faster than the `IndexVersion` dataclass, once for each term of a query)."""
    return version.folder, version.generation, number


def _segment(version, number: int, reader) -> _Segment:
    return _SEGMENTS.get_or_make((version, number), lambda: _Segment(reader))


def _leaf(reader, fieldname: str, text: bytes, extent=None):
    """A term's posting matcher at its start, without the filter of deleted documents (taken out at the end). With
    where its postings are (`extent`, as `_Planned` keeps it with its statistics), made as Whoosh's codec makes it
    for postings not kept with the term: `reader.postings` would look the term up again, and gather the segment's
    deleted documents into a set, for every term."""
    terms = getattr(reader, "_terms", None)
    if extent is not None and type(terms) is W3TermsReader:
        return W3LeafMatcher(terms._postfile, *extent, reader.schema[fieldname].format, term=(fieldname, text))
    matcher = reader.postings(fieldname, text)
    leaf = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    leaf.reset()  # the filter has moved it past the deleted documents it skipped
    return leaf


def _read_postings(reader, fieldname: str, text: bytes, extent=None) -> tuple[np.ndarray, np.ndarray]:
    """A term's whole posting list in one segment, deleted documents included: (document numbers, weights)."""
    return read_blocks(_leaf(reader, fieldname, text, extent))


def _extent(key: tuple, fieldname: str, text: bytes, stats=None) -> tuple[int, int] | None:
    """Where a term's postings are in the segment `key` names, where its statistics are kept (`_Planned.stats`)."""
    stats = stats or _TERMS.peek(key + (fieldname, text))
    return stats[4] if stats else None


def _arrays(key: tuple, reader) -> SegmentArrays | None:
    """The arrays written beside the segment `key` names (`index.arrays`), mapped; None where it has none."""
    return _ARRAYS.get_or_make(key, lambda: open_arrays(Path(key[0]), reader.segment(), reader.doc_count_all())
                               or False) or None


def _postings(key: tuple, reader, fieldname: str, text: bytes, stats=None) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings in the segment `key` names (`_key`): a term of one document from its statistics (its
    document and weight), else from the arrays beside the segment, else from the cache or read now with `reader`
    (`_read_postings`, the straightforward way, which tests/test_fast_paths.py holds them equal to)."""
    stats = stats or _TERMS.peek(key + (fieldname, text))
    if stats is not None and stats[5] is not None:  # in one document, with the largest weight
        return np.array([stats[5]], dtype=np.int32), np.array([stats[1]], dtype=np.float32)
    extent = _extent(key, fieldname, text, stats)
    if extent is not None and (arrays := _arrays(key, reader)) is not None:
        found = arrays.postings(extent)
        if found is not None:
            return found
    return _read_or_kept(key, reader, fieldname, text, extent)


def _read_or_kept(key: tuple, reader, fieldname: str, text: bytes, extent) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings from the cache, or read now (`_read_postings`): the last way `_postings` reads them."""
    return _POSTINGS.get_or_make(key + (fieldname, text), lambda: _read_postings(reader, fieldname, text, extent))


def _read_values(reader, fieldname: str, text: bytes, extent=None) -> tuple[np.ndarray, tuple[bytes, np.ndarray],
                                                                            Callable]:
    """A term's postings in one segment, deleted documents included, their positions still encoded: (document
    numbers, every posting's encoded positions one after another and where each starts, the field's decoder). A
    query decodes only the documents it asks about (`_Evaluator._positions`): those that have every word of a
    phrase, say, not every one that has its commonest."""
    leaf = _leaf(reader, fieldname, text, extent)
    values: list[bytes] = []
    ids, _weights = read_blocks(leaf, values)
    return ids.astype(np.int64), joined_values(values), leaf.format.decoder("positions")


class _Cached(mcore.LeafMatcher):
    """A term's postings in one segment, read from the cache, in place of Whoosh's `W3LeafMatcher` (the same
    documents, weights and scores, one step at a time where Whoosh's tree moves it). Building Whoosh's leaf
    costs three term look-ups and a block read; the tree's evaluation reads this one's arrays whole. Positions,
    which only position matchers ask for, come from Whoosh's leaf, made the first time they are asked for and moved
    to this one's document."""

    def __init__(self, ids, weights, scorer, format_, term, reader, arrays: SegmentArrays | None = None,
                 extent=None) -> None:
        self._ids, self._weights, self._size, self._i = ids, weights, len(ids), 0
        self.scorer, self.format, self._term = scorer, format_, term
        self._reader, self._real = reader, None
        self._arrays, self._extent = arrays, extent

    def is_active(self) -> bool:
        return self._i < self._size

    def id(self) -> int:
        return int(self._ids[self._i])

    def weight(self) -> float:
        return float(self._weights[self._i])

    def next(self) -> bool:
        if self._i >= self._size:
            raise ReadTooFar
        self._i += 1
        return False

    def skip_to(self, target) -> None:
        if self._i >= self._size:
            raise ReadTooFar
        if target > self._ids[self._i]:
            self._i += int(np.searchsorted(self._ids[self._i:], target))

    def reset(self) -> None:
        self._i = 0

    def copy(self):
        twin = self.__class__(self._ids, self._weights, self.scorer, self.format, self._term, self._reader,
                              self._arrays, self._extent)
        twin._i = self._i
        return twin

    def _at(self):
        """Whoosh's own leaf of the term, at this one's document."""
        real = self._real
        docnum = self.id()
        if real is None or not real.is_active() or real.id() > docnum:
            real = self._real = _leaf(self._reader, *self._term)
            real.scorer = self.scorer
        real.skip_to(docnum)
        return real

    def value(self):
        return self._at().value()

    def value_as(self, astype: str):
        """As Whoosh's leaf decodes its value; positions from the arrays beside the segment where they are there
        (a proximity clause reads them for each document it checks)."""
        if astype == "positions" and self._arrays is not None:
            found = self._arrays.positions(self._extent, np.array([self._i]))
            if found is not None:
                return found[1].tolist()
        return super().value_as(astype)

    def supports_block_quality(self) -> bool:
        return False  # a planned tree is evaluated or walked, never handed to a collector that skips by quality


class _Listed(ListMatcher):
    """A matcher computed whole while a tree is planned, standing where one of Whoosh's would: its documents and
    their scores, walked as a list. A subclass for each Whoosh class it stands for, as Whoosh orders equally
    weighted matchers by whether their classes are the same."""

    def __init__(self, ids: np.ndarray, scores: np.ndarray) -> None:
        super().__init__(ids, scores.tolist())
        self._scores = scores

    def id(self) -> int:
        return int(self._ids[self._i])

    def copy(self):
        twin = self.__class__(self._ids, self._scores)
        twin._i = self._i
        return twin

    def supports(self, astype) -> bool:
        return False  # no posting values, as `ArrayUnionMatcher`; a phrase's spans are not kept (nothing Izde
        # builds asks a phrase for them)


class _Union(_Listed):
    """For the `ArrayUnionMatcher` that Whoosh makes of a prefix of many words (`_Prefix`): the documents with any
    of them, each scoring 1.0 (a prefix scores constantly). Whoosh's own would first make a matcher for every
    word."""


class _PositionedNear(_Listed):
    """For `SpanNear.SpanNearMatcher` (a `Sequence`, `_Planned.near`): Whoosh's own would walk to its first match
    as it is made, reading positions a document at a time."""


class _PositionedNear2(_Listed):
    """For `SpanNear2.SpanNear2Matcher` (a `Phrase`, `_Planned.near`)."""


class _Summed(_Listed):
    """The documents and scores of Whoosh's tree of `UnionMatcher`s over a prefix's words (`_Planned.summed`);
    `parent` and `side` are its shape (`weighted_tree`; its leaves are the words of `terms`, which Whoosh would
    wrap in a filter of the segment's deleted documents where `filtered`)."""


class _Intersected(_Listed):
    """One side of an intersection planned whole (`_Planned.intersection`): the documents of both sides, with this
    side's scores; `side` is the matcher it was evaluated from."""

    def __init__(self, ids: np.ndarray, scores: np.ndarray, side=None) -> None:
        super().__init__(ids, scores)
        self.side = side

    def copy(self):
        twin = self.__class__(self._ids, self._scores, self.side)
        twin._i = self._i
        return twin


_LISTED = (_Union, _PositionedNear, _PositionedNear2, _Summed, _Intersected)


def weighted_tree(weights: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The tree Whoosh's `make_weighted_tree` makes of matchers of one class with these weights
    (`straightforward_weighted_tree`), as arrays by node: each node's parent (-1 at the root), whether it is its
    parent's second side (`b` of `UnionMatcher(a, b)`), and its height (a leaf's is 0). The leaves are nodes 0 to
    n - 1, the forks follow in the order they are made.

    Whoosh sorts (weight, matcher) pairs, pops the two first, and inserts their fork with `insort`. Matchers compare
    equal to those of their class and below none of another, so equal weights keep their order and a fork goes
    after every pair of its weight: a heap of (weight, when it joined, node) pops them in the same order, without
    a Python comparison of matchers for each step of the sort and the insertions (a prefix's hundreds of words)."""
    tips = len(weights)
    heap = [(weights[i], joined, i) for joined, i in enumerate(sorted(range(tips), key=weights.__getitem__))]
    size = max(2 * tips - 1, tips)
    parent, side, height = [-1] * size, [0] * size, [0] * size
    node = tips
    while len(heap) > 1:
        wa, _, a = heapq.heappop(heap)
        wb, _, b = heapq.heappop(heap)
        parent[a] = parent[b] = node
        side[b] = 1
        height[node] = 1 + max(height[a], height[b])
        heapq.heappush(heap, (wa + wb, node, node))  # nodes are numbered as they join: later than every leaf
        node += 1
    return np.array(parent, dtype=np.int64), np.array(side, dtype=np.int64), np.array(height, dtype=np.int64)


DENSE_SUMS = 1 << 20  # nodes times documents up to which a tree's sums are added in one grid (8 bytes each)


def _tree_sums(docs: np.ndarray, scores: np.ndarray, nodes: np.ndarray, parent: np.ndarray, side: np.ndarray,
               height: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Each document's score added up a tree of unions (`weighted_tree`'s arrays) as Whoosh's `UnionMatcher`s add
    it, `a + b` at each fork where both sides have the document: `docs` and `scores` are the leaves' (`nodes`: the
    leaf of each; `size`: above the largest document). A document of one leaf keeps its score; the others are added
    fork by fork in a grid of the tree's nodes by those documents (`_grid_sums`), or where that grid would be large
    a height of the tree at a time (`_sums_by_height`). Returns the documents, ascending, and their sums."""
    counts = np.bincount(docs, minlength=size)
    many = counts[docs] > 1
    sums = np.zeros(size, dtype=np.float64)  # by document: sorting them was most of the time at fifty terms
    sums[docs] = scores  # the sums of those in one leaf; the others' are put in below
    if many.any():
        docs_m, scores_m, nodes_m = docs[many], scores[many], nodes[many]
        columns = np.flatnonzero(counts > 1)
        if len(parent) * len(columns) <= DENSE_SUMS:
            column = np.zeros(size, dtype=np.int64)
            column[columns] = np.arange(len(columns))
            sums[columns] = _grid_sums(scores_m, nodes_m, column[docs_m], parent, side, len(columns))
        else:
            docs_m, scores_m = _sums_by_height(docs_m, scores_m, nodes_m, parent, side, height, size)
            sums[docs_m] = scores_m
    found = np.flatnonzero(counts)
    return found, sums[found]


def _grid_sums(scores: np.ndarray, nodes: np.ndarray, at: np.ndarray, parent: np.ndarray, side: np.ndarray,
               columns: int) -> np.ndarray:
    """The sums at the root of documents in two or more leaves: a row for each node of the tree, a column for each
    document (`at`: each score's), 0 where a node lacks the document (a + 0.0 is a, so a fork where one side lacks
    it passes the other's on unchanged), each fork the sum of its sides' rows, in the order the forks were made
    (after both their sides; the last is the root). A Python step a fork, where `_sums_by_height` takes a dozen
    numpy steps a height (a weighted tree of fifty terms is twenty or thirty high)."""
    count = len(parent)
    grid = np.zeros((count, columns), dtype=np.float64)
    grid[nodes, at] = scores
    child = np.flatnonzero(parent >= 0)
    sides = np.zeros((count, 2), dtype=np.int64)
    sides[parent[child], side[child]] = child
    tips = (count + 1) // 2
    for fork, (a, b) in zip(range(tips, count), sides[tips:].tolist()):
        np.add(grid[a], grid[b], out=grid[fork])
    return grid[count - 1]


def _sums_by_height(docs: np.ndarray, scores: np.ndarray, nodes: np.ndarray, parent: np.ndarray, side: np.ndarray,
                    height: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """`_grid_sums`, a height of the tree at a time, for a grid too large: the documents (ascending) of two or more
    leaves and their sums."""
    parent_height = np.where(parent >= 0, height[np.maximum(parent, 0)], -1)
    for h in range(1, int(height.max()) + 1):
        up = np.flatnonzero(parent_height[nodes] == h)
        if not len(up):
            continue
        above = parent[nodes[up]]
        key = (above * size + docs[up]) * 2 + side[nodes[up]]
        order = np.argsort(key, kind="stable")
        up, key, above = up[order], key[order], above[order]
        both = np.flatnonzero((key[1:] >> 1) == (key[:-1] >> 1))  # a document on both sides: a, then b
        first, second = up[both], up[both + 1]
        scores[first] = scores[first] + scores[second]
        nodes[up] = above
        keep = np.ones(len(nodes), dtype=bool)
        keep[second] = False
        docs, scores, nodes = docs[keep], scores[keep], nodes[keep]
    order = np.argsort(docs, kind="stable")
    return docs[order], scores[order]


class _Tip(mcore.Matcher):
    """A leaf of `straightforward_weighted_tree`: compares as a term matcher does (by class only)."""

    def __init__(self, index: int) -> None:
        self.index = index


class _Fork(mcore.Matcher):
    """A fork of it (`UnionMatcher(a, b)`), comparing as a `UnionMatcher` does."""

    def __init__(self, a, b) -> None:
        self.a, self.b = a, b


def straightforward_weighted_tree(weights: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`weighted_tree`'s tree made by Whoosh's `make_weighted_tree` itself, of placeholders that compare as matchers
    do (the same shape; its forks are numbered after both their sides)."""
    tips = len(weights)
    tree = make_weighted_tree(_Fork, [(weight, _Tip(i)) for i, weight in enumerate(weights)])
    size = max(2 * tips - 1, tips)
    parent, side, height = [-1] * size, [0] * size, [0] * size
    numbers = iter(range(tips, size))

    def place(node) -> int:
        if type(node) is _Tip:
            return node.index
        a, b = place(node.a), place(node.b)
        at = next(numbers)
        parent[a] = parent[b] = at
        side[b] = 1
        height[at] = 1 + max(height[a], height[b])
        return at
    place(tree)
    return np.array(parent, dtype=np.int64), np.array(side, dtype=np.int64), np.array(height, dtype=np.int64)


class _Prefix(Prefix):
    """A `Prefix` whose words, where there are so many of them that Whoosh would add them up in an array
    (`Or.TOO_MANY_CLAUSES` or more: `PreloadedOr`, unscored as a prefix scores constantly), are matched as one
    `_Union` while a tree is planned; fewer (two or more), as the tree of unions Whoosh makes of them, computed
    whole (`_Planned.summed`)."""

    def matcher(self, searcher, context=None):
        if isinstance(searcher, _Planned) and self.text and self.constantscore and Or.matcher_type == Or.AUTO_MATCHER:
            words = searcher.prefixed(self.fieldname, self.text).nonempty()  # `_btexts`, the empty text left out
            texts = words.texts
            if len(texts) >= Or.TOO_MANY_CLAUSES:
                return searcher.union(self.fieldname, words)
            # Or's choice of Whoosh's `DefaultOr` (a tree of unions) for fewer
            if len(texts) >= 2 and ((context.needs_current if context else True) or len(texts) == 2
                                    or searcher.doc_count_all() > 5000):
                m = searcher.summed(self.fieldname, texts)
                if m is not None:
                    return m if self.boost == 1.0 else WrappingMatcher(m, self.boost)
        return Prefix.matcher(self, searcher, context)

    def estimate_size(self, ixreader):
        if isinstance(ixreader, _PlannedReader):  # Whoosh's sum of its words' `doc_frequency`, from their statistics
            return ixreader.prefix_size(self.fieldname, self.text)
        return Prefix.estimate_size(self, ixreader)


class _Sequence(Sequence):
    """A `Sequence` in order (a phrase whose words have several keys) matched whole while a tree is planned."""

    def matcher(self, searcher, context=None):
        subs = self.subqueries
        if isinstance(searcher, _Planned) and self.ordered and len(subs) > 1 and context is not None:
            # `Sequence._matcher`: its words' matchers, needing the current match, in a binary tree of SpanNear
            sides = [sub.matcher(searcher, context.set(needs_current=True)) for sub in subs]
            found = searcher.near(sides, self.slop)
            if found is not None:
                m = _PositionedNear(*found)
                return WrappingMatcher(m, self.boost) if self.boost != 1.0 else m
        return Sequence.matcher(self, searcher, context)


class _Phrase(Phrase):
    """A `Phrase` matched whole while a tree is planned."""

    def matcher(self, searcher, context=None):
        if not isinstance(searcher, _Planned) or not self.words:
            return Phrase.matcher(self, searcher, context)
        # `Phrase.matcher` up to its SpanNear2 of terms, whose matchers are made as `SpanNear2.matcher` makes them
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return mcore.NullMatcher()
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            return Phrase.matcher(self, searcher, context)  # Whoosh's own error
        reader = searcher.reader()
        words = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return mcore.NullMatcher()
            if (fieldname, word) not in reader:
                return mcore.NullMatcher()
            words.append(word)
        found = searcher.near([Term(fieldname, word).matcher(searcher, context) for word in words], self.slop)
        if found is None:
            return Phrase.matcher(self, searcher, context)
        m = _PositionedNear2(*found)
        return WrappingMatcher(m, boost=self.boost) if self.boost != 1.0 else m


class _And(And):
    """An `And` whose tree of `IntersectionMatcher`s is made, while a tree is planned, with each one's two sides
    evaluated whole (`_Planned.intersection`): Whoosh's walks both sides to their first common document as it is
    made, a document at a time, so that a word and the NOT of a word found in nearly every document walked the
    whole of the word's postings (a tenth of a second)."""

    def _matcher(self, subs, searcher, context):
        if not isinstance(searcher, _Planned):
            return And._matcher(self, subs, searcher, context)
        reader = searcher.reader()  # `And._matcher`, with Whoosh's weights and tree
        return self._tree_matcher(subs, searcher.intersection, searcher, context,
                                  lambda q: 0 - q.estimate_size(reader))


_PLANNED_AS = {Prefix: _Prefix, Sequence: _Sequence, Phrase: _Phrase, And: _And}


def _nodes(q):
    yield q
    for child in q.children():
        yield from _nodes(child)


def _plannable(q):
    """The query with its prefixes, sequences and phrases those of this module (which ask nothing else of Whoosh
    than Whoosh's own do). Each node on the way is a shallow copy with its children replaced: Whoosh's own
    `accept` rebuilds a node from its children and boost alone, and a `Sequence` so rebuilt loses its slop and
    order."""
    if type(q) is Prefix:
        return _Prefix(q.fieldname, q.text, boost=q.boost, constantscore=q.constantscore)
    if not any(type(node) in _PLANNED_AS for node in _nodes(q)):
        return q
    new = copy.copy(q)
    if type(q) in _PLANNED_AS:
        new.__class__ = _PLANNED_AS[type(q)]
    if isinstance(q, BinaryQuery):
        new.a, new.b = _plannable(q.a), _plannable(q.b)
        new.subqueries = (new.a, new.b)
    elif isinstance(q, CompoundQuery):
        new.subqueries = [_plannable(sub) for sub in q.subqueries]
    elif isinstance(q, Not):
        new.query = _plannable(q.query)
    elif isinstance(q, WrappingQuery):
        new.child = _plannable(q.child)
    elif not q.is_leaf():
        return q  # a kind of node this does not know: Whoosh's own under it
    return new


def planned_matcher(q, sub, version, number: int, segment: _Segment, context):
    """The matcher tree of `q` in one segment, planned over the cache (`_Planned`)."""
    return _plannable(q).matcher(_Planned(sub, version, number, segment), context)


class _PlannedReader:
    """A segment's reader as a query sees it while it builds its matchers: whether a term is there, and in how many
    documents, from the cache; everything else from the reader itself."""

    def __init__(self, planned: "_Planned") -> None:
        self._planned = planned
        self._real = planned.reader_of_segment

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __contains__(self, term) -> bool:
        fieldname, text = term
        if fieldname not in self._real.schema:
            return False
        return self._planned.stats(fieldname, self._real._text_to_bytes(fieldname, text)) is not None

    def doc_frequency(self, fieldname, text) -> int:
        self._real._test_field(fieldname)
        stats = self._planned.stats(fieldname, self._real._text_to_bytes(fieldname, text))
        return 0 if stats is None else stats[0]

    def expand_prefix(self, fieldname, prefix):
        return iter(self._planned.expansion(fieldname, prefix))

    def prefix_size(self, fieldname, prefix) -> int:
        """`sum(self.doc_frequency(fieldname, text) for text in self.expand_prefix(fieldname, prefix))`."""
        return int(self._planned.prefixed(fieldname, prefix).documents.sum())


def _stats(key: tuple, reader, fieldname: str, text: bytes):
    """`_term_stats` of a term in the segment `key` names, from its field's lexicon where it is held
    (`hold_lexicons`), else from the cache or read now with `reader`; None where the segment lacks it."""
    lexicon = _LEXICONS.peek(key + (fieldname,))
    if lexicon is not None:
        return lexicon.stats(text)

    def make():
        try:
            info = reader.term_info(fieldname, text)
        except TermNotFound:
            return None
        return _term_stats(info)
    return _TERMS.get_or_make(key + (fieldname, text), make)


class _Lexicon:
    """Every term of a field in a segment with its statistics (`prefixed` of the empty prefix), by text."""

    def __init__(self, words: Prefixed) -> None:
        self.words = words
        self.at = {text: i for i, text in enumerate(words.texts)}

    def stats(self, text: bytes):
        """`_term_stats` of the term `text`, or None where the field lacks it."""
        i = self.at.get(text)
        return None if i is None else self.words.stats(i)


def hold_lexicons(searcher, version, fieldnames) -> None:
    """Read the whole lexicon of each of `fieldnames` in each segment at once and look terms up in it until
    `let_go_lexicons`: for work that asks for most of a field's terms, where a term read from the term file for
    each (several reads of its hash table) costs far more (every article's related list asks for fifty terms, most
    of them asked by no other list: BENCHMARKS.md, eighteenth session). Some 0.6 s and 210 MB for the
    640,000 terms of `body_stem` and `title_stem` at 10,000 articles; at most LEXICON_TERMS_HELD terms in all (an
    index of many segments keeps the last ones read, and reads the others' terms from their term files as before)."""
    for number, (sub, _offset) in enumerate(searcher.leaf_searchers()):
        reader = sub.reader()
        key = _key(version, number)
        for fieldname in fieldnames:
            if fieldname in reader.schema:
                _LEXICONS.get_or_make(key + (fieldname,), lambda: _Lexicon(prefixed(reader, fieldname, "")))


def let_go_lexicons() -> None:
    """Let go of the lexicons `hold_lexicons` read."""
    _LEXICONS.clear()


def _term_stats(info) -> tuple:
    """What a query reads of a term's `W3TermInfo`: (documents, largest weight, shortest length, postings kept with
    the term, where its postings are or None where they are kept with it, its one document where it is in one: the
    term information's lowest document number). A tuple of numbers is a fifth of the size of the info object (the
    cache holds millions)."""
    inlined, documents = info.is_inlined(), info.doc_frequency()
    return (documents, info.max_weight(), info.min_length(), inlined, None if inlined else info.extent(),
            info.min_id() if documents == 1 else None)


_INFO = W3TermInfo._struct  # the head of a term's `W3TermInfo.to_bytes`
_NO_ID = 0xFFFFFFFF


class Prefixed:
    """A prefix's terms in one segment, in key order, with what `_term_stats` keeps of each, as arrays: a
    three-letter prefix is thousands of terms in each of eight fields, and most of them are in one document."""

    def __init__(self, texts: list[bytes], documents, maxweight, minlength, inlined, place, size, minid) -> None:
        self.texts = texts
        self.documents, self.maxweight, self.minlength = documents, maxweight, minlength  # minlength decoded
        self.inlined, self.place, self.size, self.minid = inlined, place, size, minid  # minid: _NO_ID for none

    @classmethod
    def of(cls, pairs: list[tuple[bytes, tuple]]) -> "Prefixed":
        """From (text, `_term_stats`) pairs."""
        stats = [found for _, found in pairs]
        return cls([text for text, _ in pairs], np.array([f[0] for f in stats], dtype=np.int64),
                   np.array([f[1] for f in stats], dtype=np.float64), np.array([f[2] for f in stats], dtype=np.int64),
                   np.array([f[3] for f in stats], dtype=bool),
                   np.array([f[4][0] if f[4] else 0 for f in stats], dtype=np.int64),
                   np.array([f[4][1][0] if f[4] else 0 for f in stats], dtype=np.int64),
                   np.array([_NO_ID if f[5] is None else f[5] for f in stats], dtype=np.int64))

    def pairs(self) -> list[tuple[bytes, tuple]]:
        """(text, `_term_stats`) of each term."""
        return [(text, (documents, maxweight, minlength, inlined, None if inlined else (place, (size,)),
                        (None if minid == _NO_ID else minid) if documents == 1 else None))
                for text, documents, maxweight, minlength, inlined, place, size, minid in zip(
                    self.texts, self.documents.tolist(), self.maxweight.tolist(), self.minlength.tolist(),
                    self.inlined.tolist(), self.place.tolist(), self.size.tolist(), self.minid.tolist())]

    def stats(self, i: int) -> tuple:
        """`_term_stats` of the i-th term (each number read as a Python one by `item`: a numpy scalar made and
        converted for each was a tenth of a related list's look-ups)."""
        documents, minid, inlined = self.documents.item(i), self.minid.item(i), bool(self.inlined.item(i))
        return (documents, self.maxweight.item(i), self.minlength.item(i), inlined,
                None if inlined else (self.place.item(i), (self.size.item(i),)),
                (None if minid == _NO_ID else minid) if documents == 1 else None)

    def alone(self) -> np.ndarray:
        """Which terms are in one document, whose number the statistics keep (`_term_stats`' last)."""
        return (self.documents == 1) & (self.minid != _NO_ID)

    def nonempty(self) -> "Prefixed":
        """Without a term of no text (`MultiTerm.matcher` leaves it out)."""
        if all(self.texts):
            return self
        keep = np.array([bool(text) for text in self.texts], dtype=bool)
        return Prefixed([text for text in self.texts if text], *(column[keep] for column in (
            self.documents, self.maxweight, self.minlength, self.inlined, self.place, self.size, self.minid)))


def prefixed(reader, fieldname: str, prefix) -> Prefixed:
    """The terms of `fieldname` that begin with `prefix` (`reader.iter_prefix`, `straightforward_prefixed_terms`),
    read from the segment's term file at once: its records lie in key order (a field's key is its number in two
    bytes, then the term), and the file ends with the place of every record in that order, so the prefix's terms
    are one run of records, found by two binary searches over those places, read in one piece and decoded with
    numpy. Whoosh's own reads each record's lengths, key and value with a read each and makes a `W3TermInfo` of
    each. Readers other than a segment's of the default codec are read the straightforward way."""
    terms = getattr(reader, "_terms", None)
    index = getattr(terms, "_tindex", None)
    if type(terms) is not W3TermsReader or type(index) is not OrderedHashReader or index.extras.get(
            "indextype") not in _PLACES:
        return Prefixed.of(straightforward_prefixed_terms(reader, fieldname, prefix))
    reader._test_field(fieldname)
    start = terms._keycoder(fieldname, reader._text_to_bytes(fieldname, prefix))
    places = _places(index)
    dbfile = index.dbfile

    def key_at(i: int) -> bytes:
        place = int(places[i])
        return dbfile.get(place + _LENGTHS.size, _LENGTHS.unpack(dbfile.get(place, _LENGTHS.size))[0])

    count = len(places)
    lo = _bisect(count, lambda i: key_at(i) < start)
    hi = _bisect(count, lambda i: key_at(i)[:len(start)] <= start, lo)
    first = int(places[lo]) if lo < hi else 0
    blob = (dbfile.get(first, (int(places[hi]) if hi < count else index.endofdata) - first) if lo < hi else b""
            ) + bytes(_RECORD_TAIL)
    raw = np.frombuffer(blob, dtype=np.uint8)
    at = places[lo:hi].astype(np.int64) - first
    lengths = raw[at[:, None] + np.arange(_LENGTHS.size)].view(">i4").astype(np.int64)
    keys = at + _LENGTHS.size
    info_at = keys + lengths[:, 0]
    info = raw[info_at[:, None] + np.arange(_INFO.size)].view(_INFO_DTYPE)[:, 0]
    extent = raw[(info_at + _INFO.size)[:, None] + np.arange(_EXTENT_DTYPE.itemsize)].view(_EXTENT_DTYPE)[:, 0]
    texts = [blob[a:b] for a, b in zip((keys + 2).tolist(), info_at.tolist())]
    inlined = info["inlined"].astype(bool)
    return Prefixed(texts, info["documents"].astype(np.int64), info["maxweight"].astype(np.float64),
                    _BYTE_LENGTH_ARRAY[info["minlength"]], inlined, np.where(inlined, 0, extent["place"]),
                    np.where(inlined, 0, extent["size"]).astype(np.int64), info["minid"].astype(np.int64))


def _bisect(count: int, below: Callable[[int], bool], lo: int = 0) -> int:
    """The first i in lo..count for which `below(i)` is false (it is true for a run of i from lo, then false)."""
    hi = count
    while lo < hi:
        mid = (lo + hi) // 2
        if below(mid):
            lo = mid + 1
        else:
            hi = mid
    return lo


_PLACES = {"B": "u1", "H": ">u2", "i": ">i4", "I": ">u4", "q": ">i8"}  # the index array's types, as Whoosh reads them
_INFO_DTYPE = np.dtype([("inlined", "u1"), ("weight", ">f4"), ("documents", ">u4"), ("minlength", "u1"),
                        ("maxlength", "u1"), ("maxweight", ">f4"), ("minid", ">u4"), ("maxid", ">u4")])
_EXTENT_DTYPE = np.dtype([("place", ">i8"), ("size", ">i4")])  # then where the postings are (`W3TermInfo.from_bytes`)
_RECORD_TAIL = _INFO_DTYPE.itemsize + _EXTENT_DTYPE.itemsize  # read past the last record: never used, always there
_BYTE_LENGTH_ARRAY = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)
_INDEXES = LruCache(64)  # term files' index arrays (4 bytes a term)


def _places(index: OrderedHashReader) -> np.ndarray:
    """Where each record of a term file starts, in key order: the file's index array (`closest_key_pos` searches
    it a read at a time), read whole once (a copy: a mapped file is closed with its reader) and kept for every
    reader of the file. A segment's files are named by its random id, and never change."""
    dtype = np.dtype(_PLACES[index.extras["indextype"]])

    def read() -> np.ndarray:
        return np.frombuffer(index.dbfile.get(index.indexbase, index.indexlen * dtype.itemsize), dtype=dtype)
    name = getattr(index.dbfile, "_name", None)
    if not name:
        return read()
    return _INDEXES.get_or_make((name, index.indexbase, index.indexlen), read)


def straightforward_prefixed_terms(reader, fieldname: str, prefix) -> list[tuple[bytes, tuple]]:
    return [(text, _term_stats(info)) for text, info in reader.iter_prefix(fieldname, prefix)]


class _Planned:
    """A segment's searcher as a query sees it while it builds its matchers, its term matchers `_Cached`: the tree
    is the one Whoosh builds (same shape, same classes in the same places, same scorers' figures), for the cost of
    cache look-ups. Anything else is asked of the searcher itself."""

    def __init__(self, sub, version, number: int, segment: _Segment) -> None:
        self._sub, self._version, self._number, self._segment = sub, version, number, segment
        self._key = _key(version, number)
        self._stats: dict = {}
        self._expansions: dict = {}
        self.reader_of_segment = sub.reader()
        self._reader = _PlannedReader(self)

    def __getattr__(self, name):
        return getattr(self._sub, name)

    def reader(self):
        return self._reader

    def stats(self, fieldname: str, text: bytes):
        """`_term_stats` of a term, or None where the segment lacks it."""
        found = self._stats.get((fieldname, text), self._stats)  # asked several times a query: kept here too
        if found is self._stats:
            found = self._stats[fieldname, text] = _stats(self._key, self.reader_of_segment, fieldname, text)
        return found

    def stats_of(self, leaves: list[tuple[str, bytes | None, float]]) -> list:
        """`stats` of the term of each (fieldname, text, boost) of `leaves`, None for a text of None (a term that
        matches nothing), each field's held lexicon (`hold_lexicons`) looked for once, not once a term."""
        lexicons: dict = {}
        found = []
        for fieldname, text, _boost in leaves:
            if text is None:
                found.append(None)
                continue
            lexicon = lexicons.get(fieldname, lexicons)
            if lexicon is lexicons:
                lexicon = lexicons[fieldname] = _LEXICONS.peek(self._key + (fieldname,))
            found.append(lexicon.stats(text) if lexicon is not None else self.stats(fieldname, text))
        return found

    def expansion(self, fieldname: str, prefix) -> list[bytes]:
        """The segment's words of a field that begin with `prefix` (`expand_prefix`)."""
        return self.prefixed(fieldname, prefix).texts

    def prefixed(self, fieldname: str, prefix) -> Prefixed:
        """Those words with their statistics (`prefixed`), read once a query (a prefix's size and its matcher both
        ask); the statistics of fewer than `Or.TOO_MANY_CLAUSES` are kept with every term's, for the matcher of
        each (more are matched as one union of arrays)."""
        found = self._expansions.get((fieldname, prefix))
        if found is None:
            found = self._expansions[fieldname, prefix] = prefixed(self.reader_of_segment, fieldname, prefix)
            if len(found.texts) < Or.TOO_MANY_CLAUSES:
                for text, stats in found.pairs():
                    self._stats.setdefault((fieldname, text), stats)
        return found

    def near(self, sides: list, slop: int) -> tuple[np.ndarray, np.ndarray] | None:
        """What a position matcher in order with mindist 1 (a phrase: `SpanNear2Matcher` over `sides`, or a
        `Sequence`'s binary tree of `SpanNearMatcher`) matches, and its scores: (ids, scores) of the live
        documents; None where a side is not a term or an Or of terms. Its score is the sum of its sides' in a binary
        tree as `make_binary_tree` splits them (an intersection's a + b at each node: both trees split alike, and
        their span matchers' boost is 1); where it matches is `_Evaluator.chain`."""
        evaluate = _Evaluator(self._version, self._number, self._segment, self.reader_of_segment)
        terms = [evaluate._terms(side) for side in sides]
        if None in terms:
            return None

        def tree(part: list) -> tuple[np.ndarray, np.ndarray]:
            if len(part) == 1:
                return evaluate(part[0])
            (ma, sa), (mb, sb) = tree(part[:len(part) // 2]), tree(part[len(part) // 2:])
            mask = ma & mb
            return mask, np.where(mask, sa + sb, 0.0)
        mask, scores = tree(sides)
        mask &= evaluate.chain(terms, mask, slop, 1) & self._segment.live
        found = np.flatnonzero(mask)
        return found, scores[found]

    def intersection(self, a, b) -> IntersectionMatcher:
        """`IntersectionMatcher(a, b)`, its sides evaluated whole: each becomes an `_Intersected` of the live
        documents both match, with that side's scores, so that the intersection's walk to its first match (its
        constructor's) is one step, and its scores (a's + b's) are Whoosh's."""
        evaluate = _Evaluator(self._version, self._number, self._segment, self.reader_of_segment)
        (ma, sa), (mb, sb) = evaluate(a), evaluate(b)
        found = np.flatnonzero(ma & mb & self._segment.live)
        return IntersectionMatcher(_Intersected(found, sa[found], a), _Intersected(found, sb[found], b))

    def union(self, fieldname: str, words: Prefixed) -> _Union:
        """`Or([Term(fieldname, text) ...])` of many terms as Whoosh's `ArrayUnionMatcher` of them matches unscored:
        the live documents with any of them."""
        mask = np.zeros(self._segment.size, dtype=bool)
        alone = words.alone()
        mask[words.minid[alone]] = True  # the documents of the words in one document (most of a long prefix's)
        reader = self.reader_of_segment
        rest = np.flatnonzero(~alone)
        arrays = _arrays(self._key, reader)
        if arrays is not None:  # as `_postings` reads each: those the arrays beside the segment have, at once
            placed = rest[~words.inlined[rest]]
            found, lacked = arrays.documents_of(words.place[placed])
            mask[found] = True
            for i in placed[lacked].tolist():
                mask[_read_or_kept(self._key, reader, fieldname, words.texts[i], words.stats(i)[4])[0]] = True
            rest = rest[words.inlined[rest]]
        for i in rest.tolist():
            mask[_postings(self._key, reader, fieldname, words.texts[i], words.stats(i))[0]] = True
        found = np.flatnonzero(mask & self._segment.live)
        return _Union(found, np.ones(len(found)))

    def _idf(self, fieldname: str, text: bytes, stats: tuple) -> float:
        """The term's idf as its `BM25FScorer` has it (`parent.idf`)."""
        sub = self._sub
        parent = sub.get_parent()
        if parent is sub and type(parent.weighting) is BM25F:
            # One segment: its term's documents are the index's, so Whoosh's idf (`WeightingModel.idf`) from the
            # cached statistics, where the searcher would look the term up in the term index again (and not kept
            # in the searcher's cache of idfs, which Whoosh's own matchers read).
            return log(parent.doc_count_all() / (stats[0] + 1)) + 1
        return parent.idf(fieldname, text)

    def summed(self, fieldname: str, texts: list[bytes]):
        """`Or([Term(fieldname, text) ...]).matcher` as Whoosh's `DefaultOr` makes it of a prefix's 2 to
        `Or.TOO_MANY_CLAUSES` - 1 words, unboosted: a `UnionMatcher`, whose first side is a `_Summed` of the
        documents and scores of Whoosh's whole tree of unions (its second matches nothing), so that the nodes
        above compare it as the `UnionMatcher` it is. None where a word's matcher would not be `_Cached`
        (`summed_terms`)."""
        if fieldname not in self._sub.schema:
            return None
        stats = [self.stats(fieldname, text) for text in texts]
        if any(found is None for found in stats):
            return None
        found = self.summed_terms([(fieldname, text, 1.0) for text in texts], stats)
        if found is None:
            return None
        docs, scores, parent, side = found
        summed = _Summed(docs, scores)
        summed.parent, summed.side, summed.terms = parent, side, [(fieldname, text) for text in texts]
        summed.filtered = bool(self._segment.deleted)
        return UnionMatcher(summed, mcore.NullMatcher())

    def summed_terms(self, leaves: list[tuple[str, bytes, float]], stats: list):
        """The live documents (ascending) and scores of Whoosh's `DefaultOr` tree over the terms `leaves`
        ((fieldname, text, boost), each `Term(fieldname, text, boost=boost)`), as the evaluator scores it, and the
        tree's `parent` and `side` arrays; None where a term's matcher would not be `_Cached`. `stats`: each term's
        `_term_stats`, None for a term the segment lacks (a `NullMatcher`, of weight 0 in the tree:
        `Term.estimate_size`).

        Whoosh's tree is `make_weighted_tree` over the terms' document counts, made here as `weighted_tree`
        (matchers compare equal only to their own class and below none of another, so the shape depends on the
        counts alone, unless one's class is a subclass of the other's: then Python asks the subclass's reflected
        comparison first, and finds it above). A document's score is its terms' BM25F scores, each times its boost
        (`WrappingMatcher`), added up the tree, `a + b` at each union where both sides have it; the terms are
        scored at once (as `_Evaluator.scored` scores each) and added up for the documents with more than one of
        them (`_tree_sums`). Whoosh's would make a matcher and a scorer for each term, and the evaluator two arrays
        the size of the segment for each node."""
        sub = self._sub
        weighting = sub.weighting
        if type(weighting) is not BM25F:
            return None
        if any(found is not None and (found[3] or not sub.schema[fieldname].scorable)
               for (fieldname, _, _), found in zip(leaves, stats)):
            return None
        if self._segment.deleted and len({boost == 1.0 for (_, _, boost), found in zip(leaves, stats) if found}) > 1:
            # Unboosted, a term is the `FilterMatcher` of the deleted documents, boosted a `WrappingMatcher` of it:
            # a subclass, which Python's comparisons ask first, and so sorts after its base among equal weights.
            return None
        parent, side, height = weighted_tree([0 if found is None else found[0] for found in stats])
        reader = self.reader_of_segment
        present = [node for node, found in enumerate(stats) if found is not None]
        if not present:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64), parent, side
        lists = [_postings(self._key, reader, leaves[node][0], leaves[node][1], stats[node]) for node in present]
        counts = [len(ids) for ids, _ in lists]
        docs = np.concatenate([ids for ids, _ in lists]).astype(np.int64)
        tf = np.concatenate([weights for _, weights in lists]).astype(np.float64)
        nodes = np.repeat(np.array(present, dtype=np.int64), counts)
        fields = sorted({leaves[node][0] for node in present})
        figures = {}  # a field's B and average length, as its terms' `BM25FScorer`s have them
        for fieldname in fields:
            figures[fieldname] = (weighting._field_B.get(fieldname, weighting.B),
                                  sub.get_parent().avg_field_length(fieldname) or 1)
        each = [(self._idf(leaves[node][0], leaves[node][1], stats[node]), *figures[leaves[node][0]],
                 leaves[node][2]) for node in present]
        idf, B, avgfl, boost = (np.repeat(np.array(column, dtype=np.float64), counts) for column in zip(*each))
        if len(fields) == 1:
            fl = self._segment.lengths(reader, fields[0])[docs]
        else:
            fl = np.empty(len(docs), dtype=np.float64)
            of = np.repeat(np.array([fields.index(leaves[node][0]) for node in present]), counts)
            for i, fieldname in enumerate(fields):
                fl[of == i] = self._segment.lengths(reader, fieldname)[docs[of == i]]
        K1 = weighting.K1
        scores = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))  # `_Evaluator.scored`
        scores = scores * boost  # `WrappingMatcher`'s (a boost of 1 changes nothing)
        docs, scores = _tree_sums(docs, scores, nodes, parent, side, height, self._segment.size)
        live = self._segment.live[docs]
        return docs[live], scores[live], parent, side

    def postings(self, fieldname, text, weighting=None, qf=1):
        """`Searcher.postings` of an atomic searcher, a `_Cached` leaf in place of Whoosh's own."""
        sub = self._sub
        weighting = weighting or sub.weighting
        field = sub.schema[fieldname] if fieldname in sub.schema else None
        if field is not None:
            text = field.to_bytes(text)
        if type(weighting) is not BM25F or field is None or not field.scorable or (
                stats := self.stats(fieldname, text)) is None or stats[3]:
            # Whoosh's own (and its errors); postings kept with the term make a `ListMatcher` (the default codec
            # keeps none: its limit is terms of no documents)
            return sub.postings(fieldname, text, weighting, qf)
        # BM25FScorer(sub, fieldname, text, B, K1, qf) with the figures its constructor reads, from the cache
        scorer = BM25FScorer.__new__(BM25FScorer)
        parent = sub.get_parent()
        scorer.idf = self._idf(fieldname, text, stats)
        scorer.avgfl = parent.avg_field_length(fieldname) or 1
        scorer.B = weighting._field_B.get(fieldname, weighting.B)
        scorer.K1, scorer.qf = weighting.K1, qf
        scorer.dfl = lambda docid: sub.doc_field_length(docid, fieldname, 1)
        scorer._maxquality = scorer._score(stats[1], stats[2])
        reader = self.reader_of_segment
        ids, weights = _postings(self._key, reader, fieldname, text, stats)
        leaf = _Cached(ids, weights, scorer, field.format, (fieldname, text), reader, _arrays(self._key, reader),
                       stats[4])
        deleted = self._segment.deleted
        return FilterMatcher(leaf, deleted, exclude=True) if deleted else leaf


_NEAR = (SpanNear.SpanNearMatcher, SpanNear2.SpanNear2Matcher)


class _Moved(Exception):
    """A matcher to be walked had already been moved on from its start."""


class _Evaluator:
    """Evaluates one segment's matcher tree into (mask, scores) over the segment's documents. `reader` is this
    thread's reader of the segment: what is kept across queries and threads holds arrays, never a reader (Whoosh's
    readers are neither shared between threads nor kept open after their searcher)."""

    def __init__(self, version, number: int, segment: _Segment, reader) -> None:
        self.version, self.number, self.segment, self.reader = version, number, segment, reader
        self.key = _key(version, number)
        self.size = segment.size
        self.strict = False
        self.bounding = False  # position matchers count as matching wherever their words are (an upper bound)

    def empty(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size, dtype=np.float64)

    def __call__(self, m) -> tuple[np.ndarray, np.ndarray]:
        kind = type(m)
        if kind is mcore.NullMatcherClass:
            return self.empty()
        if kind is UnionMatcher:  # a.score() + b.score() where both match, else the one that does
            (ma, sa), (mb, sb) = self(m.a), self(m.b)
            return ma | mb, sa + sb
        if kind is IntersectionMatcher:
            (ma, sa), (mb, sb) = self(m.a), self(m.b)
            mask = ma & mb
            return mask, np.where(mask, sa + sb, 0.0)
        if kind is AndMaybeMatcher:  # a's matches; b's score added where b matches too
            (ma, sa), (mb, sb) = self(m.a), self(m.b)
            return ma, np.where(ma, sa + sb, 0.0)
        if kind is AndNotMatcher:
            (ma, sa), (mb, _) = self(m.a), self(m.b)
            mask = ma & ~mb
            return mask, np.where(mask, sa, 0.0)
        if kind is WrappingMatcher:
            mask, scores = self(m.child)
            return mask, scores * m.boost
        if kind is FilterMatcher:
            mask, scores = self(m.child)
            if m._exclude and m._ids == self.segment.deleted:  # the segment's deletions: taken out at the end
                return mask, scores * m.boost
            listed = np.zeros(self.size, dtype=bool)
            listed[np.fromiter(m._ids, dtype=np.int64, count=len(m._ids))] = True
            mask = mask & (~listed if m._exclude else listed)
            return mask, np.where(mask, scores * m.boost, 0.0)
        if kind is InverseMatcher and m.limit == self.size and getattr(m.missing, "__func__", None) is getattr(
                self.reader.is_deleted, "__func__", False):  # NOT: the live documents the child lacks
            # The inverse has already moved its child on: only a child read whole from its postings will do.
            try:
                mask, _ = self.unmoved(m.child)
            except _Moved:
                return self.walk(m)
            mask = ~mask & self.segment.live
            return mask, np.where(mask, m._weight, 0.0)
        if self.bounding and isinstance(m, SpanWrappingMatcher):
            # Its score where it matches is its words' matcher's score; where it does not, nothing. So the words'
            # matcher's scores bound it from above, and are its exact scores where the positions fit.
            mask, scores = self.unmoved(m.child)
            return mask, scores * m.boost
        if kind is _Cached:
            return self.scored(m._term[0], m._ids, m._weights, m.scorer)
        if kind in _LISTED:
            mask, scores = self.empty()
            mask[m._ids] = True
            scores[m._ids] = m._scores
            return mask, scores
        if kind is W3LeafMatcher and type(m.scorer) is BM25FScorer and m._term is not None:
            return self.leaf(m)
        if kind in _NEAR:
            return self.near(m)
        return self.walk(m)

    def _terms(self, m) -> list | None:
        """The terms whose positions are a matcher's spans (a term, or an Or of terms), or None for others."""
        kind = type(m)
        if kind is _Cached or (kind is W3LeafMatcher and type(m.scorer) is BM25FScorer and m._term is not None):
            return [m._term]
        if kind is mcore.NullMatcherClass:
            return []
        if kind is WrappingMatcher or (kind is FilterMatcher and m._exclude and m._ids == self.segment.deleted):
            return self._terms(m.child)
        if kind is UnionMatcher:
            a, b = self._terms(m.a), self._terms(m.b)
            return None if a is None or b is None else a + b
        return None

    def _positions(self, terms: list, within: np.ndarray) -> np.ndarray:
        """Where `terms` stand in the documents of `within`, as sorted keys `docnum << 32 | position`, term by term."""
        reader = self.reader
        key = self.key
        keys: list[np.ndarray] = []
        arrays = _arrays(key, reader)
        for term in terms:
            extent = _extent(key, *term)
            listed = arrays.postings(extent) if arrays is not None else None
            if listed is not None:  # from the arrays beside the segment
                pick = np.flatnonzero(within[listed[0]])
                found = arrays.positions(extent, pick)
                if found is not None:
                    keys.append((np.repeat(listed[0][pick].astype(np.int64), found[0]) << 32) | found[1])
                    continue
            ids, (values, starts), decode = _VALUES.get_or_make(
                key + term, lambda term=term, extent=extent: _read_values(reader, *term, extent))
            pick = np.flatnonzero(within[ids])
            counts, positions = decode_positions(values, starts, pick, decode)
            keys.append((np.repeat(ids[pick], counts) << 32) | positions)
        return np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)

    def near(self, m) -> tuple[np.ndarray, np.ndarray]:
        """Words near each other (a phrase, or a `Sequence`): their matcher's matches and scores (a position
        matcher scores as its words' matcher), where the positions fit, as Whoosh's `_get_spans` reads single
        positions. Two words a and b: mindist <= b - a <= slop, or |b - a| unordered. More words, in order and
        mindist >= 1: each next word's position is mindist to slop after the span so far, which then ends there
        (its start never matters again); unordered spans of three or more are walked."""
        sides = m.ms if isinstance(m, SpanNear2.SpanNear2Matcher) else [m.a, m.b]
        terms = [self._terms(side) for side in sides]
        if len(sides) < 2 or None in terms or (len(sides) > 2 and not (m.ordered and m.mindist >= 1)):
            return self.walk(m)
        try:  # the constructor has moved the child on: its terms are read whole
            mask, scores = self.unmoved(m.child)
        except _Moved:
            return self.walk(m)
        if len(sides) == 2:
            fits = np.zeros(self.size, dtype=bool)
            a, b = (self._positions(t, mask) for t in terms)
            b = np.sort(b)
            for distance in range(m.mindist, m.slop + 1):
                for step in ((distance,) if m.ordered else (distance, -distance)):
                    fits[a[_among(a + step, b)] >> 32] = True
        else:
            fits = self.chain(terms, mask, m.slop, m.mindist)
        mask = mask & fits
        return mask, np.where(mask, scores * m.boost, 0.0)

    def chain(self, terms: list[list], within: np.ndarray, slop: int, mindist: int) -> np.ndarray:
        """The documents of `within` where each side's terms stand in order, each next one mindist to slop after
        the one before (Whoosh's `_get_spans` in order with mindist >= 1: the span so far then ends there, and its
        start never matters again)."""
        ends = np.sort(self._positions(terms[0], within))  # keys docnum << 32 | position (`_positions`)
        for side in terms[1:]:
            b = self._positions(side, within)
            ends = np.unique(np.concatenate([b[_among(b - distance, ends)]
                                             for distance in range(mindist, slop + 1)]))
        fits = np.zeros(self.size, dtype=bool)
        fits[ends >> 32] = True
        return fits

    def leaf(self, m) -> tuple[np.ndarray, np.ndarray]:
        fieldname, text = m._term
        return self.scored(fieldname, *_postings(self.key, self.reader, fieldname, text), m.scorer)

    def scored(self, fieldname: str, ids: np.ndarray, weights: np.ndarray, s) -> tuple[np.ndarray, np.ndarray]:
        """A term's matches and BM25F scores from its postings (`s`: its `BM25FScorer`)."""
        tf = weights.astype(np.float64)
        fl = self.segment.lengths(self.reader, fieldname)[ids]
        # BM25F as `whoosh.scoring.bm25` computes it, operation for operation:
        # idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
        scored = s.idf * ((tf * (s.K1 + 1)) / (tf + s.K1 * ((1 - s.B) + s.B * fl / s.avgfl)))
        mask, scores = self.empty()
        mask[ids] = True
        scores[ids] = scored
        return mask, scores

    def unmoved(self, m) -> tuple[np.ndarray, np.ndarray]:
        """Evaluate `m` where it has been moved on from its start: raise `_Moved` where a node would be walked."""
        was, self.strict = self.strict, True
        try:
            return self(m)
        finally:
            self.strict = was

    def walk(self, m) -> tuple[np.ndarray, np.ndarray]:
        """The straightforward way, for a node of another kind: Whoosh's own walk over its matches."""
        if self.strict:
            raise _Moved
        mask, scores = self.empty()
        while m.is_active():
            docnum = m.id()
            mask[docnum] = True
            scores[docnum] = m.score()
            m.next()
        return mask, scores


def _among(values: np.ndarray, ordered: np.ndarray) -> np.ndarray:
    """`np.isin(values, ordered)` for `ordered` sorted, by binary search (a phrase's common words are tens of
    thousands of positions, and `isin` hashes them again for each distance)."""
    if not len(ordered):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
    return ordered[at] == values


def positions(searcher, version, docnums, terms: list[tuple[str, bytes]]) -> dict[int, list[int]]:
    """Where any of `terms` ((fieldname, text) pairs) stand in each of `docnums` (index-wide numbers of live
    documents): {docnum: sorted positions}. What snippets mark, read from the index instead of analyzing the text
    again (a page's ten documents, 10–40 terms): from the arrays beside the segment, else the positions a phrase
    kept, else a posting block read for each term a document has."""
    where: dict[int, set[int]] = {docnum: set() for docnum in docnums}
    for number, (sub, offset) in enumerate(searcher.leaf_searchers()):
        reader = sub.reader()
        local = sorted(d - offset for d in where if offset <= d < offset + reader.doc_count_all())
        if not local:
            continue
        key = _key(version, number)
        for fieldname, text in terms:
            if fieldname not in reader.schema or (stats := _stats(key, reader, fieldname, text)) is None:
                continue
            arrays = _arrays(key, reader)
            listed = arrays.postings(stats[4]) if arrays is not None else None
            if listed is not None:  # which of the documents have the term, and where in its postings
                at = np.searchsorted(listed[0], local).tolist()
                wanted = [(d, i) for d, i in zip(local, at) if i < len(listed[0]) and listed[0][i] == d]
                found = arrays.positions(stats[4], np.array([i for _, i in wanted], dtype=np.int64))
                if found is not None:  # from the arrays beside the segment
                    for (docnum, _), each in zip(wanted, np.split(found[1], np.cumsum(found[0])[:-1])):
                        where[docnum + offset].update(each.tolist())
                    continue
            kept = _VALUES.peek(key + (fieldname, text))
            if kept is not None:  # a phrase read them whole
                ids, (values, starts), decode = kept
                at = np.searchsorted(ids, local)
                for docnum, i in zip(local, at.tolist()):
                    if i < len(ids) and ids[i] == docnum:
                        where[docnum + offset].update(decode(values[starts[i]:starts[i + 1]]))
                continue
            leaf = _leaf(reader, fieldname, text, stats[4])
            decode = leaf.format.decoder("positions")
            for docnum in local:  # Whoosh skips whole blocks by their largest document number
                if not leaf.is_active():
                    break
                leaf.skip_to(docnum)
                if leaf.is_active() and leaf.id() == docnum:
                    where[docnum + offset].update(decode(leaf.value()))
    return {docnum: sorted(at) for docnum, at in where.items()}


def body_words(searcher, version, docnums) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Where the words of the body of each of `docnums` start and end, from the arrays beside its segment, for those
    whose segment has them and none of whose words was joined across a hyphen (`index.arrays`)."""
    found = {}
    for number, (sub, offset) in enumerate(searcher.leaf_searchers()):
        reader = sub.reader()
        size = reader.doc_count_all()
        mine = [d for d in docnums if offset <= d < offset + size]
        arrays = _arrays(_key(version, number), reader) if mine else None
        for docnum in mine if arrays is not None else ():
            spans = arrays.words(docnum - offset)
            if spans is not None:
                found[docnum] = spans
    return found


def matches(searcher, q, version, planned: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The documents `q` matches (ascending index-wide numbers) and their scores, computed in numpy; `version` is
    the `IndexVersion` that `searcher` reads (what is cached is keyed by it). `planned`: the tree's term matchers
    from the cache (`_Planned`), else Whoosh's own."""
    context = searcher.context(needs_current=True)
    docs, scores = [], []
    for number, (sub, offset) in enumerate(searcher.leaf_searchers()):
        segment = _segment(version, number, sub.reader())
        mask, score = _Evaluator(version, number, segment, sub.reader())(
            planned_matcher(q, sub, version, number, segment, context) if planned else q.matcher(sub, context))
        mask &= segment.live
        found = np.flatnonzero(mask)
        docs.append(found + offset)
        scores.append(score[found])
    return np.concatenate(docs), np.concatenate(scores)


def terms_matches(searcher, terms: list[Term], version) -> tuple[np.ndarray, np.ndarray]:
    """`matches(searcher, Or(terms), version)` of plain `Term` queries (boosted or not): the documents and their
    scores from each segment's terms at once (`_Planned.summed_terms`), without a matcher or a scorer for each term
    or the evaluator's arrays the size of the segment for each node of the tree (related articles ask an `Or` of
    fifty terms of every article: BENCHMARKS.md, eighteenth session). Where a segment's terms cannot be
    (postings kept with a term, another weighting, `Or.TOO_MANY_CLAUSES` terms or more), `matches` itself;
    tests/test_fast_paths.py holds the two equal."""
    if len(terms) >= Or.TOO_MANY_CLAUSES or any(type(term) is not Term or term.minquality for term in terms):
        return matches(searcher, Or(terms), version)
    docs, scores = [], []
    for number, (sub, offset) in enumerate(searcher.leaf_searchers()):
        leaves, fields = [], {}  # (each field looked up in the schema once)
        for term in terms:
            field = fields.get(term.fieldname, fields)
            if field is fields:
                field = fields[term.fieldname] = sub.schema[term.fieldname] if term.fieldname in sub.schema else None
            try:
                leaves.append((term.fieldname, field.to_bytes(term.text) if field is not None else None, term.boost))
            except ValueError:  # `Term.matcher`'s NullMatcher
                leaves.append((term.fieldname, None, term.boost))
        planned = _Planned(sub, version, number, _segment(version, number, sub.reader()))
        found = planned.summed_terms(leaves, planned.stats_of(leaves))
        if found is None:
            return matches(searcher, Or(terms), version)
        docs.append(found[0] + offset)
        scores.append(found[1])
    if not docs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate(docs), np.concatenate(scores)


class Bounded:
    """The matches of `AndMaybe(a, b)` where b needs positions (the proximity clause of a query of several words):
    every document with a's exact score (`scores`) and the most b could add (`extra`: b's score, which it adds only
    where its positions fit). Checking positions is what costs, so only the documents that could reach the page are
    checked (`exact`)."""

    def __init__(self, docs: np.ndarray, scores: np.ndarray, extra: np.ndarray, checks: list) -> None:
        self.docs, self.scores, self.extra, self._checks = docs, scores, extra, checks

    def exact(self, chosen: np.ndarray) -> np.ndarray:
        """The exact scores of the documents at the ascending positions `chosen` of `docs`."""
        out = self.scores[chosen].copy()
        for j, i in enumerate(chosen):
            docnum = int(self.docs[i])
            if self.extra[i] and _positions_fit(self._checks, docnum):
                out[j] = self.scores[i] + self.extra[i]  # AndMaybe's a.score() + b.score()
        return out


def _positions_fit(checks: list, docnum: int) -> bool:
    """Whether the position matcher of the segment holding `docnum` matches it, asked in ascending order."""
    for offset, size, spans in checks:
        if offset <= docnum < offset + size:
            docnum -= offset
            child = spans.child
            if child.is_active() and child.id() < docnum:
                child.skip_to(docnum)
            # Whoosh's own test at a document (`SpanWrappingMatcher._find_next`): its words are there and
            # `_get_spans` finds them in place. A document before where the matcher stands has none.
            return child.is_active() and child.id() == docnum and bool(spans._get_spans())
    return False


def _unwrap(m):
    while type(m) is WrappingMatcher:
        m = m.child
    return m


def bounded_matches(searcher, q, version, planned: bool = True) -> Bounded | None:
    """`matches` for a query `AndMaybe(a, b)` whose b is a position matcher (see `Bounded`); None for others."""
    if not isinstance(q, AndMaybe):
        return None
    context = searcher.context(needs_current=True)
    docs, scores, extras, checks = [], [], [], []
    for number, (sub, offset) in enumerate(searcher.leaf_searchers()):
        segment = _segment(version, number, sub.reader())
        evaluate = _Evaluator(version, number, segment, sub.reader())
        m = planned_matcher(q, sub, version, number, segment, context) if planned else q.matcher(sub, context)
        if type(m) is not AndMaybeMatcher or not isinstance(_unwrap(m.b), SpanWrappingMatcher):
            mask, score = evaluate(m)
            extra = np.zeros(segment.size)
        else:
            mask, score = evaluate(m.a)
            try:
                evaluate.bounding = True
                bmask, extra = evaluate.unmoved(m.b)
                checks.append((offset, segment.size, _unwrap(m.b)))
            except _Moved:  # words that need walking under the positions: b exactly, the straightforward way
                evaluate.bounding = False
                bmask, bscore = evaluate(m.b)
                score = np.where(mask, score + bscore, 0.0)
                bmask, extra = np.zeros(segment.size, dtype=bool), np.zeros(segment.size)
            extra = np.where(mask & bmask, extra, 0.0)
        mask &= segment.live
        found = np.flatnonzero(mask)
        docs.append(found + offset)
        scores.append(score[found])
        extras.append(extra[found])
    return Bounded(np.concatenate(docs), np.concatenate(scores), np.concatenate(extras), checks)


def straightforward_matches(searcher, q) -> tuple[np.ndarray, np.ndarray]:
    """The same, by Whoosh's walk of the whole tree one document at a time."""
    context = searcher.context(needs_current=True)
    docs, scores = [], []
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, context)
        while m.is_active():
            docs.append(offset + m.id())
            scores.append(m.score())
            m.next()
    return np.array(docs, dtype=np.int64), np.array(scores, dtype=np.float64)

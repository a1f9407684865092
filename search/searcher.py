"""Ranked search with filters, facet counts and snippets: the one function the CLI and the web both call."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import query as Q
from whoosh import sorting
from whoosh.scoring import BM25F

import numpy as np

from index.build import open_index
from index.calendar import issue_sort_key
from index.analysis import VARIANTS
from index.schema import FACETS, field_name

from . import scoring
from .columns import (Columns, DateFacet, LruCache, columns, index_version, one_version, shared_searcher,
                      stored_fields)
from .query import DEFAULT_WEIGHTS, ParsedQuery, Weights, parse_query
from .serialize import plain
from .snippets import Judge, make_snippet
from .suggest import did_you_mean

MAX_PAGE_SIZE = 100
SUGGEST_BELOW = 3  # with fewer results than this, look for a "did you mean"
RELAX_BELOW = 3  # with fewer full matches than this, also show what matches all words but one, below them
SORTS = ("relevance", "newest", "oldest")
UNKNOWN = "unknown"  # the facet value of results that have none (issue not known)


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def date_bound(value: str | None, end: bool) -> str | None:
    """Read YYYY, YYYY-MM or YYYY-MM-DD as the first (or, with `end`, last) day it covers; ValueError if neither.

    >>> date_bound("2023", False), date_bound("2023-06", True), date_bound(None, True)
    ('2023-01-01', '2023-06-31', None)
    """
    if not value:
        return None
    if not _DATE.match(value):
        raise ValueError(f"{value!r} is not a date")
    if len(value) == 10:
        return value
    if len(value) == 7:
        return value + ("-31" if end else "-01")
    return value + ("-12-31" if end else "-01-01")


@dataclass
class Filters:
    """What the results are narrowed to. Values of one facet combine with OR, different facets with AND."""

    issue: list[str] = field(default_factory=list)
    year: list[int] = field(default_factory=list)
    section: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    author: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    date_from: str | None = None
    date_to: str | None = None

    def query(self, without: str | None = None, facets: bool = True) -> Q.Query | None:
        """The filter as a Whoosh query; `without` leaves one facet's own selection out (for its counts), and
        `facets=False` all of them (the fast path counts those from columns)."""
        parts: list[Q.Query] = []
        for name in ("issue", "section", "language", "kind", "year"):
            values = getattr(self, name)
            if name == without or not values or not facets:
                continue
            alternatives = []
            for value in values:
                if str(value) == UNKNOWN:
                    alternatives.append(Q.Not(Q.Every(name)))
                elif name == "year":
                    alternatives.append(Q.NumericRange("year", int(value), int(value)))
                else:
                    alternatives.append(Q.Term(name, value))
            parts.append(Q.Or(alternatives))
        if self.author:
            parts.append(Q.Or([Q.Term("author", a.strip().lower()) for a in self.author]))
        if self.year_from is not None or self.year_to is not None:
            parts.append(Q.NumericRange("year", self.year_from, self.year_to))
        if self.date_from or self.date_to:
            end = (self.date_to + "T99") if self.date_to else None
            parts.append(Q.TermRange("date", self.date_from, end))
        return Q.And(parts) if parts else None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in (None, [])}

    def key(self) -> tuple:
        """A hashable form, for the result cache."""
        return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(self.to_dict().items()))


@dataclass
class Hit:
    id: str
    title: str
    date: str | None
    year: int | None
    issue: str | None
    section: str | None
    language: str
    kind: str
    authors: list[dict]
    score: float
    snippet: str
    snippet_html: str
    snippet_parts: list[dict]  # the snippet as [{text, match}] pieces: `Snippet.parts`


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class Relaxed:
    """The results go on below the full matches with documents that have all words but one."""

    words: int  # how many of the query's words those documents have
    of: int  # how many words the query has
    full_matches: int  # how many documents have all of them (they come first)


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    page_size: int
    sort: str
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    filters: dict
    message: str | None = None
    suggestion: str | None = None  # a corrected query that finds more ("did you mean")
    relaxed: Relaxed | None = None  # set when strict AND found too little and all words but one were searched too

    @property
    def full_matches(self) -> int:
        """How many results have every word of the query."""
        return self.relaxed.full_matches if self.relaxed else self.total

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    def to_dict(self) -> dict:
        data = plain(self)  # `asdict(self)`
        data["pages"] = self.pages
        return data


_issue_key = functools.lru_cache(maxsize=1 << 12)(issue_sort_key)  # each search orders all issues' labels


def _facet_order(name: str, counts: dict) -> list:
    if name == "year":
        return sorted(counts, key=lambda v: (v == UNKNOWN, -(int(v) if v != UNKNOWN else 0)))
    if name == "issue":
        return sorted(counts, key=lambda v: (v == UNKNOWN, _issue_key(v) if v != UNKNOWN else (0, 0)))
    return sorted(counts, key=lambda v: (v == UNKNOWN, -counts[v], v))


def _count(searcher, q: Q.Query, filt: Q.Query | None, name: str) -> dict[str, int]:
    facet = sorting.FieldFacet(name, allow_overlap=False, maptype=sorting.Count)
    results = searcher.search(q, filter=filt, groupedby={name: facet}, limit=1)
    counts: dict[str, int] = {}
    for value, n in results.groups(name).items():
        # A missing number reads back as the column's default (2**32 - 1): no year is a year past 9999.
        missing = value in (None, "", b"") or (isinstance(value, int) and value > 9999)
        key = UNKNOWN if missing else str(value)
        counts[key] = counts.get(key, 0) + n
    return counts


def _score(value) -> float:
    # Sorted by (score, date), Whoosh reports the sort key; ScoreFacet keys are negated scores. Sorted by date alone
    # the key is the date's place (newest first) or the date itself (oldest first: bytes), which is no score.
    if isinstance(value, tuple):
        value = -value[0]
    if isinstance(value, (bytes, str)):
        return 0.0
    return round(float(value or 0.0), 4)


def _sortedby(sort: str):
    if sort == "relevance":  # ties are broken by date, newest first
        return [sorting.ScoreFacet(), DateFacet(reverse=True)]
    return DateFacet(reverse=(sort == "newest"))


class _Counted:
    """Facet counts of one query, counted the straightforward way: one search per facet, each
    with the filter minus that facet's own selection."""

    def __init__(self, searcher, q: Q.Query, filters: Filters) -> None:
        self.counts = {name: _count(searcher, q, filters.query(without=name), name) for name in FACETS}


class _FastCounted:
    """The same figures from the documents that match the query and the filters that are not facets (one pass,
    `_one_pass`), counted against the index version's facet columns (`search.columns`)."""

    def __init__(self, cols: Columns, docs: np.ndarray, filters: Filters, facets: bool) -> None:
        masks = _facet_masks(cols, filters, docs)
        everything = np.ones(len(docs), dtype=bool)
        for mask in masks.values():
            everything &= mask
        self.docs = docs[everything]
        self.total = len(self.docs)
        self.counts = {}
        for name in FACETS if facets else ():
            keep = np.ones(len(docs), dtype=bool)
            for other, mask in masks.items():
                if other != name:
                    keep &= mask
            self.counts[name] = {UNKNOWN if value is None else str(value): n
                                 for value, n in cols.facets[name].counts(docs[keep]).items()}


def _facet_masks(cols: Columns, filters: Filters, docs: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """For each facet with a selection, which documents (of `docs`, or all) it lets through."""
    masks = {}
    for name in FACETS:
        wanted = {str(v) for v in getattr(filters, name)}
        if wanted:
            mask = cols.facets[name].selected(wanted, UNKNOWN)
            masks[name] = mask if docs is None else mask[docs]
    return masks


def _one_pass(searcher, cols: Columns, q: Q.Query, filters: Filters, limit: int | None, version):
    """The documents that match `q` and the filters that are not facets: all of them (for the total and the facet
    counts) and, unless `limit` is None, the ones that could be among the first `limit` by score of those the facet
    selections let through — every document scoring at least the `limit`-th best, ties included — as
    (docnums, their exact scores).

    The matches and their scores come from `search.scoring`, which evaluates Whoosh's own matcher tree in numpy a
    segment at a time, with the floats Whoosh computes. As the sorted search does, it never lets Whoosh's collector
    "replace" matchers mid-search (an AndMaybe would lose its optional part) or score a Prefix as a constant.
    A proximity clause (`scoring.Bounded`) is checked only for the documents it could lift onto the page.
    """
    bounded = scoring.bounded_matches(searcher, q, version)
    if bounded is not None:
        docs, scores, extra = bounded.docs, bounded.scores, bounded.extra
    else:
        docs, scores = scoring.matches(searcher, q, version)
        extra = None
    at = np.arange(len(docs))  # where each document is in what `scoring` answered
    rest = filters.query(facets=False)
    if rest is not None:
        at = at[np.isin(docs, np.fromiter(searcher.docs_for_query(rest), dtype=np.int64))]
    if limit is None:
        return docs[at], None
    masks = list(_facet_masks(cols, filters).values())
    shown = at[np.logical_and.reduce(masks)[docs[at]]] if masks else at
    low = scores[shown]
    if len(shown) > limit:  # only documents whose best possible score reaches the limit-th lowest bound can make it
        floor = np.partition(low, len(low) - limit)[len(low) - limit]
        keep = (low + extra[shown] if extra is not None else low) >= floor  # ties kept
        shown, low = shown[keep], low[keep]
    exact = bounded.exact(shown) if extra is not None else low
    return docs[at], (docs[shown], exact)


def _ranked(searcher, q: Q.Query, filt, sort: str, limit: int) -> tuple[list[tuple[float, int]], int]:
    """The first `limit` (score, docnum) in the result order and how many match, the straightforward way: Whoosh
    sorts every match by (score, date), scoring all of them."""
    results = searcher.search(q, limit=limit, filter=filt, sortedby=_sortedby(sort), terms=False)
    return [(hit.score, hit.docnum) for hit in results], len(results)


def _fast_ranked(cols: Columns, candidates: tuple[np.ndarray, np.ndarray], limit: int) -> list[tuple[tuple, int]]:
    """The first `limit` by relevance, as the sorted search orders them — by score, ties by date, newest first, then
    by document number — from `_one_pass`'s candidates (every document that could be among them)."""
    docnums, scores = candidates
    newest = cols.newest[docnums]
    order = np.lexsort((docnums, newest, -scores))[:limit]
    return [((-float(scores[i]), int(newest[i])), int(docnums[i])) for i in order]


_RESULTS = LruCache(512)  # repeated queries of one index version (a partner's box repeats itself)


@one_version
def search(ix, text: str, filters: Filters | None = None, page: int = 1, page_size: int = 10,
           sort: str = "relevance", weights: Weights = DEFAULT_WEIGHTS, facets: bool = True,
           relax: bool = True, fast: bool = True, cache: bool = True) -> SearchResult:
    """Search the index `ix` (an open Whoosh index, or a path to one).

    Returns total, the page of hits (with snippets) and facet counts that describe the current result set, each
    facet's counts ignoring that facet's own selection so a user can widen again. Never raises on odd input:
    an unusable query gives an empty result with a `message`. With `relax`, a query whose words are all found
    together in fewer than `RELAX_BELOW` articles goes on with the articles that have all of them but one.

    `fast` takes the fast paths (facet counts from columns, ranking that skips, a per-index-version cache of
    results); `fast=False` computes the same answer the straightforward way, and the tests hold them equal.
    A cached result is shared: treat it as read-only. `cache=False` computes afresh (the benchmarks time that).
    """
    if isinstance(ix, (str, Path)):
        ix = open_index(Path(ix))
    filters = filters or Filters()
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    sort = sort if sort in SORTS else "relevance"
    if not (fast and cache):
        return _search(ix, text, filters, page, page_size, sort, weights, facets, relax, fast)
    key = (index_version(ix), text, filters.key(), page, page_size, sort, weights, facets, relax)
    return _RESULTS.get_or_make(key, lambda: _search(ix, text, filters, page, page_size, sort, weights, facets,
                                                     relax, fast))


def _search(ix, text: str, filters: Filters, page: int, page_size: int, sort: str, weights: Weights, facets: bool,
            relax: bool, fast: bool) -> SearchResult:
    parsed: ParsedQuery = parse_query(text, weights)
    empty = SearchResult(text, 0, page, page_size, sort, [], {}, filters.to_dict(), parsed.message)
    if parsed.query is None:
        return empty
    searcher = shared_searcher(ix) if fast else ix.searcher(weighting=BM25F())
    try:
        filt = filters.query()
        limit = page * page_size
        if fast:
            version = index_version(ix)
            cols = columns(ix, searcher)
            docs, top = _one_pass(searcher, cols, parsed.query, filters, limit if sort == "relevance" else None,
                                  version)
            counted = _FastCounted(cols, docs, filters, facets)
            if top is not None:
                ranked = _fast_ranked(cols, top, limit)
            else:  # by date: Whoosh's sorted search
                ranked, _ = _ranked(searcher, parsed.query, filt, sort, limit)
            total = counted.total
        else:
            ranked, total = _ranked(searcher, parsed.query, filt, sort, limit)
            counted = None
        # Whoosh answers a page past the end with the last page; past the end there is nothing to show.
        shown = ranked[(page - 1) * page_size:limit] if (page - 1) * page_size < total else []
        relaxed = None
        if relax and parsed.relaxed is not None and total < RELAX_BELOW:
            wider, wider_total, wider_counted = None, 0, None
            if fast and sort == "relevance":
                wider_docs, top = _one_pass(searcher, cols, parsed.relaxed, filters, limit + total, version)
                wider_counted = _FastCounted(cols, wider_docs, filters, facets)
                wider, wider_total = _fast_ranked(cols, top, limit + total), wider_counted.total
            if wider is None:
                found = searcher.search(parsed.relaxed, limit=limit + total, filter=filt, sortedby=_sortedby(sort),
                                        terms=False)
                wider, wider_total = [(hit.score, hit.docnum) for hit in found], len(found)
            if wider_total > total:  # the full matches first, then those missing one word, each in rank order
                # All full matches (fewer than RELAX_BELOW): the page's, or the straightforward way.
                full = ranked[:total] if fast and len(ranked) >= total else _ranked(searcher, parsed.query, filt, sort,
                                                                                     RELAX_BELOW)[0]
                first = {docnum for _, docnum in full}
                ranked = full + [(score, docnum) for score, docnum in wider if docnum not in first]
                shown = ranked[(page - 1) * page_size:limit]
                relaxed = Relaxed(parsed.words - 1, parsed.words, total)
                total = wider_total
                if fast:
                    wider_counted = wider_counted or _FastCounted(
                        cols, _one_pass(searcher, cols, parsed.relaxed, filters, None, version)[0], filters, facets)
                counted = (wider_counted if fast
                           else _Counted(searcher, parsed.relaxed, filters) if facets else None)
        if not fast and facets and counted is None:
            counted = _Counted(searcher, parsed.query, filters)
        judges: dict[str, Judge] = {}  # one for each language of the page's articles
        docnums = [docnum for _, docnum in shown]
        at = _body_positions(searcher, version, parsed, docnums) if fast else {}
        spans = scoring.body_words(searcher, version, docnums) if fast else {}
        stored = (lambda docnum: stored_fields(searcher, version, docnum)) if fast else searcher.stored_fields
        hits = [_hit(stored(docnum), score, parsed, fast, judges, at.get(docnum), spans.get(docnum))
                for score, docnum in shown]
        facet_counts: dict[str, list[FacetValue]] = {}
        for name in FACETS if facets else ():
            selected = {str(v) for v in getattr(filters, name)}
            counts = dict(counted.counts[name])
            for value in selected:
                counts.setdefault(value, 0)
            facet_counts[name] = [FacetValue(v, counts[v], v in selected) for v in _facet_order(name, counts)]
    finally:
        if not fast:
            searcher.close()
    suggestion = None
    full_matches = relaxed.full_matches if relaxed else total
    if facets and full_matches < SUGGEST_BELOW:
        corrected = did_you_mean(ix, parsed.text, fast=fast)
        if corrected and search(ix, corrected, filters, facets=False, page_size=1,
                                fast=fast).full_matches > full_matches:
            suggestion = corrected
    return SearchResult(text, total, page, page_size, sort, hits, facet_counts, filters.to_dict(), parsed.message,
                        suggestion, relaxed)


def _body_positions(searcher, version, parsed: ParsedQuery, docnums: list[int]) -> dict[int, list[int]]:
    """Where the query's words (`QueryTerms`, but its prefixes) stand in the bodies of `docnums`, read from the body's
    four variant fields: what a snippet marks (`make_snippet`'s `at`)."""
    terms = parsed.terms
    if not terms or not docnums:
        return {}
    wanted = [(field_name("body", kind), key.encode("utf-8")) for kind in VARIANTS
              for key in sorted(getattr(terms, kind))]
    return scoring.positions(searcher, version, docnums, wanted)


def _hit(doc: dict, score, parsed: ParsedQuery, fast: bool, judges: dict[str, Judge],
         at: list[int] | None = None, spans: tuple | None = None) -> Hit:
    language = doc.get("language", "ky")
    judge = judges.get(language) or judges.setdefault(language, Judge(parsed.terms, language))
    snippet = make_snippet(doc.get("body", ""), parsed.terms, language, fast=fast, judge=judge, at=at, spans=spans)
    return Hit(id=doc["id"], title=doc["title"], date=doc.get("date"), year=doc.get("year"),
               issue=doc.get("issue"), section=doc.get("section"), language=doc.get("language"),
               kind=doc.get("kind"), authors=doc.get("authors") or [], score=_score(score),
               snippet=snippet.text(("«", "»")), snippet_html=snippet.html(), snippet_parts=snippet.parts())


def facet_values(ix) -> dict[str, list]:
    """Every value each facet takes in the index, sorted (years newest first): for pickers such as the partner
    box's snippet generator."""
    found = columns(ix, shared_searcher(ix)).facets
    return {name: sorted(column.values, key=str, reverse=name == "year") for name, column in found.items()}

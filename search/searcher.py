"""Ranked search with filters, facet counts and snippets: the one function the CLI and the web both call."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import query as Q
from whoosh import sorting
from whoosh.scoring import BM25F

from index.build import open_index
from index.calendar import issue_sort_key
from index.schema import FACETS

from .query import DEFAULT_WEIGHTS, ParsedQuery, Weights, parse_query
from .snippets import make_snippet
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

    def query(self, without: str | None = None) -> Q.Query | None:
        """The filter as a Whoosh query; `without` leaves one facet's own selection out (for its counts)."""
        parts: list[Q.Query] = []
        for name in ("issue", "section", "language", "kind", "year"):
            values = getattr(self, name)
            if name == without or not values:
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
        data = asdict(self)
        data["pages"] = self.pages
        return data


def _facet_order(name: str, counts: dict) -> list:
    if name == "year":
        return sorted(counts, key=lambda v: (v == UNKNOWN, -(int(v) if v != UNKNOWN else 0)))
    if name == "issue":
        return sorted(counts, key=lambda v: (v == UNKNOWN, issue_sort_key(v) if v != UNKNOWN else (0, 0)))
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
    # Sorted by (score, date), Whoosh reports the sort key; ScoreFacet keys are negated scores.
    if isinstance(value, tuple):
        value = -value[0]
    return round(float(value or 0.0), 4)


def search(ix, text: str, filters: Filters | None = None, page: int = 1, page_size: int = 10,
           sort: str = "relevance", weights: Weights = DEFAULT_WEIGHTS, facets: bool = True,
           relax: bool = True) -> SearchResult:
    """Search the index `ix` (an open Whoosh index, or a path to one).

    Returns total, the page of hits (with snippets) and facet counts that describe the current result set, each
    facet's counts ignoring that facet's own selection so a user can widen again. Never raises on odd input:
    an unusable query gives an empty result with a `message`. With `relax`, a query whose words are all found
    together in fewer than `RELAX_BELOW` articles goes on with the articles that have all of them but one.
    """
    if isinstance(ix, (str, Path)):
        ix = open_index(Path(ix))
    filters = filters or Filters()
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    sort = sort if sort in SORTS else "relevance"
    parsed: ParsedQuery = parse_query(text, weights)
    empty = SearchResult(text, 0, page, page_size, sort, [], {}, filters.to_dict(), parsed.message)
    if parsed.query is None:
        return empty
    with ix.searcher(weighting=BM25F()) as searcher:
        filt = filters.query()
        if sort == "relevance":
            # Ties are broken by date, newest first.
            sortedby = [sorting.ScoreFacet(), sorting.FieldFacet("date", reverse=True)]
        else:
            sortedby = sorting.FieldFacet("date", reverse=(sort == "newest"))
        results = searcher.search_page(parsed.query, page, pagelen=page_size, filter=filt, sortedby=sortedby,
                                       terms=False)
        total = results.total
        # Whoosh answers a page past the end with the last page; past the end there is nothing to show.
        shown = list(results) if (page - 1) * page_size < total else []
        relaxed, counted_query = None, parsed.query
        if relax and parsed.relaxed is not None and total < RELAX_BELOW:
            wider = searcher.search(parsed.relaxed, limit=page * page_size + total, filter=filt, sortedby=sortedby,
                                    terms=False)
            if len(wider) > total:  # the full matches first, then those missing one word, each in rank order
                full = list(searcher.search(parsed.query, limit=RELAX_BELOW, filter=filt, sortedby=sortedby))
                first = {hit.docnum for hit in full}
                ranked = full + [hit for hit in wider if hit.docnum not in first]
                shown = ranked[(page - 1) * page_size:page * page_size]
                relaxed = Relaxed(parsed.words - 1, parsed.words, total)
                total, counted_query = len(wider), parsed.relaxed
        hits = []
        for hit in shown:
            doc = hit.fields()
            snippet = make_snippet(doc.get("body", ""), parsed.terms, doc.get("language", "ky"))
            hits.append(Hit(id=doc["id"], title=doc["title"], date=doc.get("date"), year=doc.get("year"),
                            issue=doc.get("issue"), section=doc.get("section"), language=doc.get("language"),
                            kind=doc.get("kind"), authors=doc.get("authors") or [],
                            score=_score(hit.score), snippet=snippet.text(("«", "»")),
                            snippet_html=snippet.html()))
        facet_counts: dict[str, list[FacetValue]] = {}
        if facets:
            for name in FACETS:
                selected = {str(v) for v in getattr(filters, name)}
                counts = _count(searcher, counted_query, filters.query(without=name), name)
                for value in selected:
                    counts.setdefault(value, 0)
                facet_counts[name] = [FacetValue(v, counts[v], v in selected) for v in _facet_order(name, counts)]
    suggestion = None
    full_matches = relaxed.full_matches if relaxed else total
    if facets and full_matches < SUGGEST_BELOW:
        corrected = did_you_mean(ix, parsed.text)
        if corrected and search(ix, corrected, filters, facets=False, page_size=1).full_matches > full_matches:
            suggestion = corrected
    return SearchResult(text, total, page, page_size, sort, hits, facet_counts, filters.to_dict(), parsed.message,
                        suggestion, relaxed)

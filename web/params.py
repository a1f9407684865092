"""Read search parameters from a URL: the same parameters drive the page, the API, the feed and the export."""

from __future__ import annotations

from dataclasses import dataclass, field

from search.searcher import MAX_PAGE_SIZE, SORTS, Filters, date_bound
FACET_PARAMS = ("issue", "year", "section", "language", "kind", "author")


@dataclass
class SearchParams:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    page_size: int = 10
    sort: str = "relevance"
    errors: list[str] = field(default_factory=list)  # names of parameters that were not valid (and ignored)


def parse(args, default_page_size: int = 10) -> SearchParams:
    """Read q, issue, year, section, language, kind, author, from, to, sort, page and size; never raises."""
    p = SearchParams(q=(args.get("q") or "").strip(), page_size=default_page_size)
    for name in ("issue", "section", "language", "kind", "author"):
        setattr(p.filters, name, [v for v in args.getlist(name) if v.strip()][:20])
    years = []
    for value in args.getlist("year"):
        if value.strip().isdigit() or value == "unknown":
            years.append(value if value == "unknown" else int(value))
        elif value.strip():
            p.errors.append("year")
    p.filters.year = years[:20]
    for name, end in (("from", False), ("to", True)):
        try:
            setattr(p.filters, "date_to" if end else "date_from", date_bound((args.get(name) or "").strip(), end))
        except ValueError:
            p.errors.append(name)
    for name, low, high in (("page", 1, 10_000), ("size", 1, MAX_PAGE_SIZE)):
        value = (args.get(name) or "").strip()
        if not value:
            continue
        if value.isdigit() and low <= int(value) <= high:
            if name == "page":
                p.page = int(value)
            else:
                p.page_size = int(value)
        else:
            p.errors.append(name)
    sort = args.get("sort") or "relevance"
    if sort in SORTS:
        p.sort = sort
    else:
        p.errors.append("sort")
    return p

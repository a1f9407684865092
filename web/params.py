"""Read search parameters from a URL: the same parameters drive the page, the API, the feed and the export."""

from __future__ import annotations

from dataclasses import dataclass, field

from search.query import MAX_QUERY_CHARS
from search.searcher import MAX_PAGE_SIZE, SORTS, Filters, date_bound

FACET_PARAMS = ("issue", "year", "section", "language", "kind", "author")
MAX_FILTER_VALUES = 20  # values of one filter parameter
MAX_PAGE = 10_000

# Why a parameter was refused: the API's message (English; the pages say it in the visitor's language).
REASONS = {
    "invalid": "is not valid",
    "too_long": f"is longer than {MAX_QUERY_CHARS} characters; only the first {MAX_QUERY_CHARS} were searched",
    "too_many": f"has more than {MAX_FILTER_VALUES} values; only the first {MAX_FILTER_VALUES} were used",
    "range": f"must be a whole number: page from 1 to {MAX_PAGE}, size from 1 to {MAX_PAGE_SIZE}",
}


@dataclass
class SearchParams:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    page_size: int = 10
    sort: str = "relevance"
    # (parameter, reason) for each parameter that was refused or cut: a key of REASONS. What was valid is still
    # searched, and the answer says what was not with a 400.
    errors: list[tuple[str, str]] = field(default_factory=list)

    def message(self) -> str:
        """The API's 400 message: each refused parameter and why."""
        return "; ".join(f"parameter '{name}' {REASONS[reason]}" for name, reason in self.errors)


def whole_number(text: str) -> int | None:
    """The number a parameter spells in ASCII digits, else None: "³" and "١" are digits to `str.isdigit`, and
    `int` refuses the first.

    >>> whole_number(" 12 "), whole_number("³"), whole_number("-1"), whole_number("")
    (12, None, None, None)
    """
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def parse(args, default_page_size: int = 10) -> SearchParams:
    """Read q, issue, year, section, language, kind, author, from, to, sort, page and size; never raises."""
    p = SearchParams(q=(args.get("q") or "").strip(), page_size=default_page_size)
    if len(p.q) > MAX_QUERY_CHARS:
        p.errors.append(("q", "too_long"))
        p.q = p.q[:MAX_QUERY_CHARS]
    for name in FACET_PARAMS:
        values = [v for v in args.getlist(name) if v.strip()]
        if len(values) > MAX_FILTER_VALUES:
            p.errors.append((name, "too_many"))
            values = values[:MAX_FILTER_VALUES]
        if name == "year":
            if any(whole_number(v) is None and v != "unknown" for v in values):
                p.errors.append(("year", "invalid"))
            values = [v if v == "unknown" else whole_number(v) for v in values
                      if v == "unknown" or whole_number(v) is not None]
        setattr(p.filters, name, values)
    for name, end in (("from", False), ("to", True)):
        try:
            setattr(p.filters, "date_to" if end else "date_from", date_bound((args.get(name) or "").strip(), end))
        except ValueError:
            p.errors.append((name, "invalid"))
    for name, low, high in (("page", 1, MAX_PAGE), ("size", 1, MAX_PAGE_SIZE)):
        value = (args.get(name) or "").strip()
        if not value:
            continue
        number = whole_number(value)
        if number is not None and low <= number <= high:
            if name == "page":
                p.page = number
            else:
                p.page_size = number
        else:
            p.errors.append((name, "range"))
    sort = args.get("sort") or "relevance"
    if sort in SORTS:
        p.sort = sort
    else:
        p.errors.append(("sort", "invalid"))
    return p

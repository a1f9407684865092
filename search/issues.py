"""Browse the magazine by issue: years → issues → an issue's table of contents, from the index."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.calendar import issue_sort_key

from .columns import LruCache, index_version, one_version, shared_searcher


@dataclass
class IssueSummary:
    label: str
    date: str | None  # the issue's date (its articles' date)
    year: int | None
    articles: int
    languages: list[str] = field(default_factory=list)


@dataclass
class ContentsEntry:
    id: str
    title: str
    section: str | None
    authors: list[dict]
    language: str
    date: str | None


_ISSUE_DOCS = LruCache(4)


def _issue_docs(ix) -> list[dict]:
    """The stored fields, bodies left out, of every article with an issue; read once per index version."""
    return _ISSUE_DOCS.get_or_make(index_version(ix), lambda: [
        {k: v for k, v in d.items() if k != "body"} for d in shared_searcher(ix).all_stored_fields() if d.get("issue")])


@one_version
def list_issues(ix, year: int | None = None) -> dict[int, list[IssueSummary]]:
    """Issues by year, newest year first, each year's issues in publication order."""
    groups: dict[str, list[dict]] = {}
    for doc in _issue_docs(ix):
        groups.setdefault(doc["issue"], []).append(doc)
    years: dict[int, list[IssueSummary]] = {}
    for label, docs in groups.items():
        dates = sorted(d["date"][:10] for d in docs if d.get("date"))
        date = dates[0] if dates else None
        issue_year = int(date[:4]) if date else None
        if year is not None and issue_year != year:
            continue
        years.setdefault(issue_year or 0, []).append(
            IssueSummary(label, date, issue_year, len(docs), sorted({d["language"] for d in docs})))
    return {y: sorted(v, key=lambda i: issue_sort_key(i.label)) for y, v in sorted(years.items(), reverse=True)}


@one_version
def issue_contents(ix, label: str) -> list[ContentsEntry]:
    """The table of contents of one issue: its articles by section, then title; [] for an unknown issue."""
    docs = [d for d in _issue_docs(ix) if d["issue"] == label]
    entries = [ContentsEntry(d["id"], d["title"], d.get("section"), d.get("authors") or [], d["language"],
                             d.get("date")) for d in docs]
    return sorted(entries, key=lambda e: (e.language, e.section or "", e.title))

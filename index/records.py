"""The records the archive reader makes: one `Article` per page or JSON line."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

LANGUAGES = ("ky", "ru", "en")
KINDS = ("magazine-article", "news", "press-release", "other")


@dataclass(frozen=True)
class Author:
    """A person (or, with no role, an organisation) who signed an article."""

    name: str
    role: str | None = None


@dataclass(frozen=True)
class RelatedRef:
    """One line of a page's «Окшош материалы» / «Похожие материалы» list."""

    issue: str | None
    date: str | None
    title: str


@dataclass
class Article:
    """One article of the archive, as the reader understood it.

    `date` is an ISO date, or an ISO date and time ("2018-07-03T09:29") where the page gives a time.
    `issue` is the magazine issue label ("1 (147)", "10-11 (144-145)") or None when unknown: a wrong
    issue is worse than none, so the reader never guesses it.
    """

    id: str
    source: str
    title: str
    body: str
    language: str
    kind: str = "other"
    url: str | None = None
    date: str | None = None
    issue: str | None = None
    section: str | None = None
    authors: list[Author] = field(default_factory=list)
    related: list[RelatedRef] = field(default_factory=list)
    title_derived: bool = False  # the page had no title: this one is its first sentence

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def to_dict(self) -> dict:
        """Return the record as JSON-ready data, with the field names of the README."""
        data = dataclasses.asdict(self)
        data["year"] = self.year
        order = ["id", "source", "url", "language", "kind", "title", "title_derived", "authors", "date", "year",
                 "issue", "section", "body", "related"]
        return {key: data[key] for key in order}

"""The magazine's issue calendar: which issue came out on which date.

A page's banner shows the site's *current* issue at crawl time, not the article's, so an article's issue is never
read off its own banner. On this site an article's date is its issue's date, so the issue is resolved by matching the
article's date against a calendar learned from the whole archive: every «Окшош материалы» line
(`№1 (147) / 2024-01-31 Title`) and every banner (`9 (155) 11 Сентябрь 2024`) is an (issue, date) observation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

_LABEL = re.compile(r"^\s*(\d{1,2}(?:\s*-\s*\d{1,2})?)\s*\(\s*(\d{1,4}(?:\s*-\s*\d{1,4})?)\s*\)\s*$")


@lru_cache(maxsize=4096)
def normalize_issue_label(label: str) -> str | None:
    """Return the canonical form of an issue label, or None if it is not one. Kept for the last few thousand labels:
    reading an archive asks it of each article's issue and of each of its related-article lines (some 50,000 times
    at 10,000 articles, of a few hundred labels), and reading is the build's start, while the cores wait.

    >>> normalize_issue_label("2-3(100-101)")
    '2-3 (100-101)'
    >>> normalize_issue_label(" 1 ( 147 ) ")
    '1 (147)'
    >>> normalize_issue_label("147") is None
    True
    """
    match = _LABEL.match(label)
    if not match:
        return None
    number, total = (re.sub(r"\s+", "", part) for part in match.groups())
    return f"{number} ({total})"


def issue_sort_key(label: str) -> tuple[int, int]:
    """Order issue labels in publication order: by the running number in brackets.

    >>> sorted(["10-11 (144-145)", "1 (147)", "9 (143)"], key=issue_sort_key)
    ['9 (143)', '10-11 (144-145)', '1 (147)']
    """
    match = _LABEL.match(label)
    if not match:
        return (10**6, 0)
    total = match.group(2)
    first = int(re.split(r"\s*-\s*", total)[0])
    return (first, int(re.split(r"\s*-\s*", match.group(1))[0]))


@dataclass
class IssueCalendar:
    """Observations of (date, issue) pairs, and the dates they resolve without doubt."""

    _seen: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def observe(self, date: str | None, issue: str | None) -> None:
        """Record that `issue` came out on `date` (an ISO date; a time part is ignored)."""
        if not date or not issue:
            return
        label = normalize_issue_label(issue)
        if label:
            self._seen[date[:10]].add(label)

    def issue_on(self, date: str | None) -> str | None:
        """Return the issue published on `date`, or None if unknown or contradictory."""
        if not date:
            return None
        labels = self._seen.get(date[:10])
        if labels and len(labels) == 1:
            return next(iter(labels))
        return None

    def __len__(self) -> int:
        return len(self._seen)

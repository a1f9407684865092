"""Link the Kyrgyz and Russian pages of the same magazine article.

The magazine prints each article in both languages, on different pages with different ids, dates and rubric
names. Two pages are taken for one article only when they are in the same issue and what survives translation
agrees: numbers, Latin-script words, and proper names compared through the shared Latin key (Жаманкулова and
Жаманкулова, Баткен and Баткен, MSDSP and MSDSP). When unsure — a weak match, or a second candidate close to the
first — nothing is linked: a wrong link is worse than none.
"""

from __future__ import annotations

import re

from .analysis import AnalyzedToken
from .kyrgyz import latin_key
from .records import Article

MIN_SCORE = 0.25  # Jaccard similarity of the two signatures
MARGIN = 2.0  # the best candidate must score this many times the runner-up
_NUMBER = re.compile(r"^\d{2,}$")


def signature(article: Article, title: list[AnalyzedToken], body: list[AnalyzedToken] = ()) -> frozenset[str]:
    """What a translation keeps: numbers of two digits or more, Latin-script words, capitalised names. Title and
    body read as one text: a capitalised word is a name unless it opens that text."""
    marks = set()
    for tokens, opens in ((title, True), (body, not title)):
        for t in tokens:
            mark, name = word_mark(t.text, t.original, t.language)
            if mark is not None and not (name and opens and t.pos == 0):
                marks.add(mark)
    return frozenset(marks)


def word_mark(text: str, original: str, language: str) -> tuple[str | None, bool]:
    """What one word (normalized, as written, and its language) adds to a signature, and whether it is a name,
    which counts only where it does not open the text (`signature`)."""
    if _NUMBER.match(text):
        return "#" + text, False
    if language == "latn" and len(text) > 1:
        return "L" + text, False
    if original[:1].isupper() and len(text) > 3:
        # A capitalised word not at the text's start: most are names. Their Latin key, cut to the stem-ish first
        # five letters, is the same in both languages whatever the case ending.
        return "N" + latin_key(text)[:5], True
    return None, False


def link_translations(articles: list[Article], signatures: dict[str, frozenset[str]]) -> dict[str, str]:
    """Return {id: id of the same article in the other language}, both ways, for the pairs that are sure."""
    by_issue: dict[tuple[str, str], list[Article]] = {}
    for a in articles:
        if a.issue and a.language in ("ky", "ru"):
            by_issue.setdefault((a.issue, a.language), []).append(a)

    def score(a: Article, b: Article) -> float:
        x, y = signatures.get(a.id, frozenset()), signatures.get(b.id, frozenset())
        return len(x & y) / len(x | y) if x and y else 0.0

    def best(a: Article, pool: list[Article]) -> Article | None:
        ranked = sorted(((score(a, b), b.id, b) for b in pool), key=lambda r: (-r[0], r[1]))
        if not ranked or ranked[0][0] < MIN_SCORE:
            return None
        if len(ranked) > 1 and ranked[0][0] < MARGIN * ranked[1][0]:
            return None
        return ranked[0][2]

    links: dict[str, str] = {}
    for (issue, language), group in by_issue.items():
        if language != "ky":
            continue
        others = by_issue.get((issue, "ru"), [])
        for a in group:
            b = best(a, others)
            if b is not None and best(b, group) is a:  # each must be the other's clear best
                links[a.id], links[b.id] = b.id, a.id
    return links

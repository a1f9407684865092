"""Keyword in context: 1–3 fragments of an article around the words a query matched, the matches marked.

Matching uses the analyzer's variants, so an inflected form (муниципалитеттерге for муниципалитет), a folded one
(жергиликтүү for жергиликтуу) and a Latin-script query (jergiliktuu) are marked alike. Offsets come from the
analyzer and point into the original text, so what is marked is exactly what the page says.
"""

from __future__ import annotations

import html
from bisect import bisect_left
import re
from dataclasses import dataclass

from index.analysis import analyze, analyze_word, normalize_word, words

from .columns import LruCache
from .query import QueryTerms

WINDOW_TOKENS = 18  # words in one fragment
MAX_FRAGMENTS = 3
WORDS_HELD = 400_000  # words of recently shown texts kept (about 100 bytes each)


@dataclass(frozen=True)
class Snippet:
    """Fragments of text, each a list of (text, matched) pieces."""

    fragments: tuple[tuple[tuple[str, bool], ...], ...]
    leading: bool = False  # text was left out before the first fragment
    trailing: bool = False  # … and after the last

    def _join(self, pieces: list[str]) -> str:
        return ("… " if self.leading else "") + " … ".join(pieces) + (" …" if self.trailing else "")

    def text(self, mark: tuple[str, str] = ("", "")) -> str:
        """Plain text, matches wrapped in `mark`, fragments joined with " … "."""
        return self._join(["".join(f"{mark[0]}{t}{mark[1]}" if hit else t for t, hit in frag)
                           for frag in self.fragments])

    def html(self) -> str:
        """HTML: every piece escaped first, then matches wrapped in <mark>."""
        return self._join(["".join(f"<mark>{html.escape(t)}</mark>" if hit else html.escape(t) for t, hit in frag)
                           for frag in self.fragments])

    def parts(self) -> list[dict]:
        """The snippet as data — [{text, match}] pieces, the " … " between fragments included — so that a client
        builds its own nodes from text, never parsing HTML (the partner box, `web/static/embed.js`)."""
        out: list[dict] = []
        for n, frag in enumerate(self.fragments):
            pieces = [("… " if self.leading and n == 0 else " … " if n else "", False), *frag,
                      (" …" if self.trailing and n == len(self.fragments) - 1 else "", False)]
            for text, hit in pieces:
                if not text:
                    continue
                if out and out[-1]["match"] == hit and not hit:
                    out[-1]["text"] += text
                else:
                    out.append({"text": text, "match": hit})
        return out

    @property
    def matched(self) -> list[str]:
        return [t for frag in self.fragments for t, hit in frag if hit]


class Judge:
    """Whether a query meets a document's words, in documents of one language: each spelling judged once, however
    many of a page's snippets it is in (the articles of one page share most of their words)."""

    def __init__(self, terms: QueryTerms, language: str) -> None:
        self.terms, self.language = terms, language
        self.could_match = terms.prefilter(language) if terms else (lambda word: False)
        self.verdicts: dict[str, tuple[str, bool] | None] = {}  # spelling: (normalized word, matched), None: no word

    def __call__(self, surface: str) -> tuple[str, bool] | None:
        word = normalize_word(surface)
        if not word:
            return None
        if not self.could_match(word):
            return word, False
        token = analyze_word(surface, self.language)
        return None if token is None else (token.text, self.terms.matches(token))


def make_snippet(text: str, terms: QueryTerms, language: str = "ky", fallback_chars: int = 240,
                 fast: bool = True, judge: Judge | None = None) -> Snippet:
    """Choose up to three fragments of `text` with the most distinct matched words; the opening if none match.

    The straightforward way (`fast=False`) analyzes every word; the fast way finds the words first and judges each
    distinct spelling once (an article uses most of its words many times), and once for all the snippets `judge`
    (the same query and language) serves. Both find the same words.
    """
    if fast:
        tokens, hits = _judged_once(text, judge or Judge(terms, language))
    else:
        analyzed = analyze(text, language)
        tokens = [(t.start, t.end, t.text) for t in analyzed]
        hits = [i for i, t in enumerate(analyzed) if terms.matches(t)] if terms else []
    if not hits:
        end = text.find(" ", fallback_chars) if len(text) > fallback_chars else len(text)
        end = len(text) if end < 0 else end
        return Snippet((((text[:end].strip(), False),),), trailing=end < len(text))
    return _fragments(text, tokens, hits)


@dataclass(frozen=True)
class _Words:
    """A text's words as snippets read them, whatever the query: (start, end, normalized word) of each word that
    normalizes to something (`analyze` keeps those), and for each spelling the indexes of its words."""

    tokens: list[tuple[int, int, str]]
    spellings: dict[str, list[int]]


def _words(text: str) -> _Words:
    tokens: list[tuple[int, int, str]] = []
    spellings: dict[str, list[int]] = {}
    for a, b, surface in words(text):
        word = normalize_word(surface)
        if word:
            spellings.setdefault(surface, []).append(len(tokens))
            tokens.append((a, b, word))
    return _Words(tokens, spellings)


# The words of the texts snippets were made of lately, by the text itself (what they hold depends on nothing else):
# the articles a search shows come back in the next searches, and finding their words is most of a snippet's cost.
_WORDS = LruCache(WORDS_HELD, cost=lambda found: len(found.tokens))


def _judged_once(text: str, judge: Judge) -> tuple[list[tuple[int, int, str]], list[int]]:
    """(start, end, word) of each analyzed word and the indexes of those the query matches, each spelling
    judged once, and analyzed only if its first letters could begin one of the query's keys."""
    found = _WORDS.get_or_make(text, lambda: _words(text))
    judged = judge.verdicts
    hits: list[int] = []
    for surface, where in found.spellings.items():
        verdict = judged.get(surface, judged)  # the dict itself: not judged yet
        if verdict is judged:
            verdict = judged[surface] = judge(surface)
        if verdict is not None and verdict[1]:
            hits.extend(where)
    hits.sort()
    return found.tokens, hits


def _fragments(text: str, tokens: list[tuple[int, int, str]], hits: list[int]) -> Snippet:
    windows = []
    for i in hits:
        start = max(0, i - WINDOW_TOKENS // 3)
        end = min(len(tokens), start + WINDOW_TOKENS)
        inside = hits[bisect_left(hits, start):bisect_left(hits, end)]  # hits are in text order
        distinct = len({tokens[j][2] for j in inside})
        windows.append((distinct, len(inside), -start, start, end))
    chosen: list[tuple[int, int]] = []
    for *_, start, end in sorted(windows, reverse=True):
        if all(end <= a or start >= b for a, b in chosen):
            chosen.append((start, end))
        if len(chosen) == MAX_FRAGMENTS:
            break
    hit_set = set(hits)
    fragments = []
    for start, end in sorted(chosen):
        pieces: list[tuple[str, bool]] = []
        cursor = tokens[start][0]
        for j in range(start, end):
            tok_start, tok_end, _ = tokens[j]
            if j in hit_set:
                if tok_start > cursor:
                    pieces.append((text[cursor:tok_start], False))
                pieces.append((text[tok_start:tok_end], True))
                cursor = tok_end
        stop = tokens[end - 1][1]
        if stop > cursor:
            pieces.append((text[cursor:stop], False))
        fragments.append(tuple((re.sub(r"\s+", " ", t), hit) for t, hit in pieces))
    first, last = min(chosen), max(chosen)
    return Snippet(tuple(fragments), leading=first[0] > 0, trailing=last[1] < len(tokens))


def highlight_html(text: str, terms: QueryTerms, language: str = "ky") -> list[str]:
    """The whole text as HTML paragraphs, every matched word in <mark> (escaped first, then marked)."""
    tokens = [t for t in analyze(text, language) if terms.matches(t)] if terms else []
    pieces, cursor = [], 0
    for t in tokens:
        pieces.append(html.escape(text[cursor:t.start]))
        pieces.append(f"<mark>{html.escape(text[t.start:t.end])}</mark>")
        cursor = t.end
    pieces.append(html.escape(text[cursor:]))
    return [p.strip() for p in "".join(pieces).split("\n\n") if p.strip()]

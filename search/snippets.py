"""Keyword in context: 1–3 fragments of an article around the words a query matched, the matches marked.

Matching uses the analyzer's variants, so an inflected form (муниципалитеттерге for муниципалитет), a folded one
(жергиликтүү for жергиликтуу) and a Latin-script query (jergiliktuu) are marked alike. Offsets come from the
analyzer and point into the original text, so what is marked is exactly what the page says.
"""

from __future__ import annotations

import functools
import html
import operator
import re
import unicodedata
from array import array
from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

from index.analysis import analyze, analyze_word, indexed_words, normalize_word, words
from index.kyrgyz import LOOKALIKES

from .columns import LruCache
from .query import QueryTerms

WINDOW_TOKENS = 18  # words in one fragment
MAX_FRAGMENTS = 3
WORDS_HELD = 1_000_000  # words of recently shown texts kept (about 45 bytes each with their texts: some 45 MB)
SHOWN_HELD = 50_000  # texts remembered as shown once


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

    def verdict(self, surface: str) -> tuple[str, bool] | None:
        """(normalized word, matched) for a spelling, None where it normalizes to nothing; each judged once."""
        found = self.verdicts.get(surface, self.verdicts)  # the dict itself: not judged yet
        if found is self.verdicts:
            found = self.verdicts[surface] = self(surface)
        return found

    def __call__(self, surface: str) -> tuple[str, bool] | None:
        word = normalize_word(surface)
        if not word:
            return None
        if not self.could_match(word):
            return word, False
        token = analyze_word(surface, self.language)
        return None if token is None else (token.text, self.terms.matches(token))


def make_snippet(text: str, terms: QueryTerms, language: str = "ky", fallback_chars: int = 240,
                 fast: bool = True, judge: Judge | None = None, at: list[int] | None = None,
                 spans: tuple | None = None) -> Snippet:
    """Choose up to three fragments of `text` with the most distinct matched words; the opening if none match.

    The straightforward way (`fast=False`) analyzes every word; the fast way finds the words first and judges each
    distinct spelling once (an article uses most of its words many times), and once for all the snippets `judge`
    (the same query and language) serves. A text met before has its words kept (`_WORDS`). Fastest, `at` says where
    the query's words stand, as the index has them: the positions of its terms in the text's document (word numbers
    of `analyze`'s tokens, `search.scoring.positions`); then only prefixes are judged; and `spans`, where the text's
    words start and end (`index.analysis.indexed_words`, as the build wrote them: `scoring.body_words`), spares
    finding the words. All find the same words.
    """
    if fast and at is not None and spans is not None:
        starts, ends = spans
        if at and at[-1] >= len(starts):  # not this text's words: find them after all
            return make_snippet(text, terms, language, fallback_chars, fast, judge, at)
        if terms.prefixes:  # no word of these was joined: each is spelt as the text between its ends
            hits = _prefixed_in(text, starts, ends, terms.prefixes, at)
        else:
            hits = at
        word_of = lambda i: normalize_word(text[starts[i]:ends[i]])  # noqa: E731
        return _fragments(text, starts, ends, hits, word_of) if hits else _opening(text, fallback_chars)
    found = _kept_words(text) if fast else None
    if fast and at is not None:
        if found is not None:
            starts, ends, word_of = found.starts, found.ends, found.word
            surfaces = found.spellings()
            ids = found.ids
        else:
            starts, ends, surfaces = indexed_words(text)
            ids = None
            word_of = lambda i: normalize_word(surfaces[i])  # noqa: E731
        if at and at[-1] >= len(starts):  # not this text's document: judge it after all
            return make_snippet(text, terms, language, fallback_chars, fast, judge)
        hits = _prefixed(surfaces, ids, terms.prefixes, at) if terms.prefixes else at
    elif found is not None:
        hits = _judged_once(found, judge or Judge(terms, language))
        starts, ends, word_of = found.starts, found.ends, found.word
    elif fast:
        starts, ends, normalized, hits = _judged_in_passing(text, judge or Judge(terms, language))
        word_of = normalized.__getitem__
    else:
        analyzed = analyze(text, language)
        starts, ends = [t.start for t in analyzed], [t.end for t in analyzed]
        hits = [i for i, t in enumerate(analyzed) if terms.matches(t)] if terms else []

        def word_of(i: int) -> str:
            return analyzed[i].text
    if not hits:
        return _opening(text, fallback_chars)
    return _fragments(text, starts, ends, hits, word_of)


def _opening(text: str, fallback_chars: int) -> Snippet:
    """The text's first `fallback_chars` characters or so, to a word's end: the snippet where nothing matched."""
    end = text.find(" ", fallback_chars) if len(text) > fallback_chars else len(text)
    end = len(text) if end < 0 else end
    return Snippet((((text[:end].strip(), False),),), trailing=end < len(text))


class _Words:
    """A text's words as snippets read them, whatever the query: where each word that normalizes to something
    (`analyze` keeps those) starts and ends, and which of the text's spellings it is: about 26 bytes a word."""

    __slots__ = ("starts", "ends", "ids", "_spellings", "_text", "_joined")

    def __init__(self, text: str) -> None:
        starts, ends, surfaces = indexed_words(text)
        index = {surface: i for i, surface in enumerate(dict.fromkeys(surfaces))}
        self.starts, self.ends = array("i", starts), array("i", ends)
        self.ids = np.fromiter(map(index.__getitem__, surfaces), dtype=np.int32, count=len(surfaces))
        self._spellings = "\n".join(index)  # one string, not one object a spelling (a word has no line break)
        self._text = text
        # A word joined across a line-break hyphen («жер- гиликтүү») is spelt otherwise than the text between its
        # ends.
        lengths = map(operator.sub, ends, starts)
        self._joined = {i: surface for i, (surface, length) in enumerate(zip(surfaces, lengths))
                        if length != len(surface)}

    def spellings(self) -> list[str]:
        """The text's distinct spellings, in the order of `ids`."""
        return self._spellings.split("\n") if self._spellings else []

    def word(self, i: int) -> str:
        """The normalized word at index `i`."""
        surface = self._joined.get(i) if self._joined else None
        return normalize_word(surface or self._text[self.starts[i]:self.ends[i]])

    def __len__(self) -> int:
        return len(self.starts)


# The words of the texts snippets were made of lately, by the text itself (what they hold depends on nothing else):
# the articles a search shows come back in the next searches, and finding their words is most of a snippet's cost.
# A text's words are kept the second time it is shown (keeping them costs more than judging them in passing).
_WORDS = LruCache(WORDS_HELD, cost=len)
_SHOWN = LruCache(SHOWN_HELD)  # hashes of the texts shown once lately


def _kept_words(text: str) -> _Words | None:
    """The words kept for `text`; kept now if it was shown before; None the first time. (Two texts of one hash only
    have the second one's words kept on its first showing.)"""
    found = _WORDS.get(text)
    if found is None:
        shown = hash(text)
        if _SHOWN.get(shown) is None:
            _SHOWN.get_or_make(shown, lambda: True)
            return None
        found = _WORDS.get_or_make(text, lambda: _Words(text))
    return found


def _prefixed(spellings: list[str], ids, prefixes: set[str], at: list[int]) -> list[int]:
    """`at` and the words that begin with one of `prefixes` (normalized), in text order; `ids`: which of the
    distinct `spellings` each word is, or None where `spellings` are the words themselves."""
    begins = tuple(prefixes)
    matched = [i for i, surface in enumerate(spellings) if normalize_word(surface).startswith(begins)]
    if not matched:
        return at
    words_matched = np.flatnonzero(np.isin(ids, matched)).tolist() if ids is not None else matched
    return sorted(set(at).union(words_matched))


_LETTERS_BELOW = 0x500  # simple letters are all below this: ASCII and Cyrillic (U+04FF, the last, is left out)


@functools.lru_cache(maxsize=1)
def _simple_letters() -> np.ndarray:
    """Which code points below `_LETTERS_BELOW` are simple: the Cyrillic and ASCII letters and digits that
    `normalize_word` maps one to one (a lower-case letter, or a look-alike's, as `_could_open` says) when a word
    goes on with another of them: no combining mark after it to compose with, no apostrophe to drop."""
    simple = np.zeros(_LETTERS_BELOW, dtype=bool)
    for cp in [*range(0x30, 0x3A), *range(0x41, 0x5B), *range(0x61, 0x7B), *range(0x400, _LETTERS_BELOW - 1)]:
        ch = chr(cp)
        simple[cp] = ch.isalnum() and not unicodedata.combining(ch) and len(normalize_word(ch)) == 1 \
            and unicodedata.normalize("NFKC", ch) == ch
    return simple


@functools.lru_cache(maxsize=1024)
def _could_open(openings: frozenset[str]) -> np.ndarray:
    """Which simple letters a word (of two simple letters or more) may begin with whose normalized form begins with
    one of `openings`: the letter folded, or its Cyrillic look-alike's (`fix_lookalikes` maps it in a word that is
    mostly Cyrillic)."""
    could = np.zeros(_LETTERS_BELOW, dtype=bool)
    for cp in np.flatnonzero(_simple_letters()).tolist():
        ch = chr(cp)
        could[cp] = bool({normalize_word(ch), normalize_word(ch.translate(LOOKALIKES))} & openings)
    return could


def _prefixed_in(text: str, starts: np.ndarray, ends: np.ndarray, prefixes: set[str], at: list[int]) -> list[int]:
    """`_prefixed` over the words of `text` between `starts` and `ends`, judging only the words that may begin with
    a prefix: a word that opens with two simple letters (`_simple_letters`) is normalized from a first letter that
    settles its own, and most settle on another than any prefix's. tests/test_fast_paths.py holds it to
    `_prefixed` of every word."""
    if not len(starts):
        return at
    simple = _simple_letters()
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    first = np.minimum(points[starts], _LETTERS_BELOW - 1)  # above: as the last one below, not simple
    second = np.minimum(points[np.minimum(starts + 1, len(points) - 1)], _LETTERS_BELOW - 1)
    settled = simple[first] & ((ends - starts == 1) | simple[second])
    judged = np.flatnonzero(~settled | _could_open(frozenset(p[0] for p in prefixes))[first]).tolist()
    begins = tuple(prefixes)
    matched = [i for i, a, b in zip(judged, starts[judged].tolist(), ends[judged].tolist())
               if normalize_word(text[a:b]).startswith(begins)]
    return sorted(set(at).union(matched)) if matched else at


def _judged_in_passing(text: str, judge: Judge) -> tuple[list[int], list[int], list[str], list[int]]:
    """A text's words (where each starts and ends, its normalized form) and the indexes of those the query
    matches, in one pass over them, each spelling judged once."""
    starts: list[int] = []
    ends: list[int] = []
    normalized: list[str] = []
    hits: list[int] = []
    for a, b, surface in words(text):
        verdict = judge.verdict(surface)
        if verdict is None:
            continue
        if verdict[1]:
            hits.append(len(starts))
        starts.append(a)
        ends.append(b)
        normalized.append(verdict[0])
    return starts, ends, normalized, hits


def _judged_once(found: _Words, judge: Judge) -> list[int]:
    """The indexes of the words the query matches, in text order: each spelling judged once, and analyzed only if
    its first letters could begin one of the query's keys."""
    matched = [i for i, surface in enumerate(found.spellings())
               if (verdict := judge.verdict(surface)) is not None and verdict[1]]
    return np.flatnonzero(np.isin(found.ids, matched)).tolist() if matched else []


def _fragments(text: str, starts, ends, hits: list[int], word_of) -> Snippet:
    """Up to three windows of words with the most distinct matched words (`word_of`: a matched word's normalized
    form), as a `Snippet`."""
    windows = []
    for i in hits:
        start = max(0, i - WINDOW_TOKENS // 3)
        end = min(len(starts), start + WINDOW_TOKENS)
        inside = hits[bisect_left(hits, start):bisect_left(hits, end)]  # hits are in text order
        distinct = len({word_of(j) for j in inside})
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
        cursor = starts[start]
        for j in range(start, end):
            tok_start, tok_end = starts[j], ends[j]
            if j in hit_set:
                if tok_start > cursor:
                    pieces.append((text[cursor:tok_start], False))
                pieces.append((text[tok_start:tok_end], True))
                cursor = tok_end
        stop = ends[end - 1]
        if stop > cursor:
            pieces.append((text[cursor:stop], False))
        fragments.append(tuple((re.sub(r"\s+", " ", t), hit) for t, hit in pieces))
    first, last = min(chosen), max(chosen)
    return Snippet(tuple(fragments), leading=first[0] > 0, trailing=last[1] < len(starts))


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

"""Keyword in context: 1–3 fragments of an article around the words a query matched, the matches marked.

Matching uses the analyzer's variants, so an inflected form (муниципалитеттерге for муниципалитет), a folded one
(жергиликтүү for жергиликтуу) and a Latin-script query (jergiliktuu) are marked alike. Offsets come from the
analyzer and point into the original text, so what is marked is exactly what the page says.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from index.analysis import analyze

from .query import QueryTerms

WINDOW_TOKENS = 18  # words in one fragment
MAX_FRAGMENTS = 3


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

    @property
    def matched(self) -> list[str]:
        return [t for frag in self.fragments for t, hit in frag if hit]


def make_snippet(text: str, terms: QueryTerms, language: str = "ky", fallback_chars: int = 240) -> Snippet:
    """Choose up to three fragments of `text` with the most distinct matched words; the opening if none match."""
    tokens = analyze(text, language)
    hits = [i for i, t in enumerate(tokens) if terms.matches(t)] if terms else []
    if not hits:
        end = text.find(" ", fallback_chars) if len(text) > fallback_chars else len(text)
        end = len(text) if end < 0 else end
        return Snippet((((text[:end].strip(), False),),), trailing=end < len(text))
    windows = []
    for i in hits:
        start = max(0, i - WINDOW_TOKENS // 3)
        end = min(len(tokens), start + WINDOW_TOKENS)
        inside = [j for j in hits if start <= j < end]
        distinct = len({tokens[j].text for j in inside})
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
        cursor = tokens[start].start
        for j in range(start, end):
            tok = tokens[j]
            if j in hit_set:
                if tok.start > cursor:
                    pieces.append((text[cursor:tok.start], False))
                pieces.append((text[tok.start:tok.end], True))
                cursor = tok.end
        stop = tokens[end - 1].end
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

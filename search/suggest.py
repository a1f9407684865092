"""Help while typing and after a miss: autocomplete from the archive's words and titles, and "did you mean".

Both offer real words of the archive as it is written (never stems): completions come from the exact-word
fields' lexicons, corrections from Whoosh's edit-distance corrector over the same words.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from whoosh import query as Q

from index.analysis import analyze, normalize_word

MAX_VARIANTS = 16  # spellings of a prefix tried when it may have been typed without ү/ө/ң
MAX_TERMS_SCANNED = 5000
UNFOLD = {"у": "уү", "о": "оө", "н": "нң"}


@dataclass(frozen=True)
class Completion:
    text: str
    kind: str  # "word" or "title"
    count: int  # articles with the word; 1 for a title
    id: str | None = None  # the article, for a title


def _spellings(prefix: str) -> list[str]:
    """The prefix as typed, and as it would be with ү/ө/ң where у/о/н were typed (at most MAX_VARIANTS)."""
    options = [UNFOLD.get(ch, ch) for ch in prefix]
    return ["".join(p) for p in itertools.islice(itertools.product(*options), MAX_VARIANTS)]


def complete(ix, prefix: str, limit: int = 8) -> list[Completion]:
    """Completions of the last word of `prefix`: archive words by how many articles use them, then titles.

    Earlier words are kept ("бюджеттик уг" → "бюджеттик угуулар"); у/о/н in the prefix also complete to ү/ө/ң.
    """
    words = [t for t in analyze(prefix or "")]
    if not words:
        return []
    head, last = prefix[:words[-1].start], words[-1].text
    counts: dict[str, int] = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for spelling in _spellings(last):
            for fieldname in ("title", "body"):
                for n, term in enumerate(reader.expand_prefix(fieldname, spelling)):
                    if n >= MAX_TERMS_SCANNED:
                        break
                    word = term.decode("utf-8") if isinstance(term, bytes) else term
                    counts[word] = max(counts.get(word, 0), reader.doc_frequency(fieldname, word))
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
        out = [Completion(head + word, "word", n) for word, n in ranked[: max(1, limit - limit // 3)]]
        titles = searcher.search(Q.Or([Q.Prefix("title", s) for s in _spellings(last)]), limit=limit)
        for hit in titles:
            if len(out) >= limit:
                break
            out.append(Completion(hit["title"], "title", 1, hit["id"]))
    return out[:limit]


def did_you_mean(ix, text: str, max_distance: int = 2) -> str | None:
    """A corrected query, each unknown word replaced by the archive word closest to it; None if none helps."""
    tokens = analyze(text or "")
    if not tokens:
        return None
    corrected, changed = text, False
    with ix.searcher() as searcher:
        reader = searcher.reader()
        corrector = searcher.corrector("body")
        for t in reversed(tokens):  # right to left, so earlier offsets stay valid
            if reader.doc_frequency("body", t.text) or reader.doc_frequency("title", t.text) or len(t.text) < 3:
                continue
            if t.text.isdigit() or searcher.doc_frequency("body_stem", t.stem):
                continue  # numbers, and words the archive has in another form, are not misspellings
            options = []
            for distance in range(1, max_distance + 1):  # the nearest words first, however rare
                options = corrector.suggest(t.text, limit=5, maxdist=distance, prefix=1)
                if options:
                    break
            if not options:
                continue
            best = max(options, key=lambda w: (reader.doc_frequency("body", w), -abs(len(w) - len(t.text))))
            corrected = corrected[:t.start] + _match_case(text[t.start:t.end], best) + corrected[t.end:]
            changed = True
    return corrected if changed and normalize_word(corrected) != normalize_word(text) else None


def _match_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word

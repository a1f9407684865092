"""Help while typing and after a miss: autocomplete from the archive's words and titles, and "did you mean".

Both offer real words of the archive as it is written (never stems): completions come from the exact-word
fields' lexicons, corrections from Whoosh's edit-distance corrector over the same words.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein
from whoosh import query as Q
from whoosh import sorting

from index.analysis import analyze, normalize_word

from .columns import built_lexicon, columns, index_version, lexicon, one_version, shared_searcher, stored_fields

MAX_VARIANTS = 16  # spellings of a prefix tried when it may have been typed without ү/ө/ң
NEWEST = sorting.FieldFacet("date", reverse=True)
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


@one_version
def complete(ix, prefix: str, limit: int = 8, fast: bool = True) -> list[Completion]:
    """Completions of the last word of `prefix`: archive words by how many articles use them, then the newest
    titles with a word that starts so.

    Earlier words are kept ("бюджеттик уг" → "бюджеттик угуулар"); у/о/н in the prefix also complete to ү/ө/ң.
    `fast` looks them up in the index version's in-memory lexicon (`search.columns.Lexicon`); `fast=False` asks
    Whoosh's term index, and the tests hold both equal.
    """
    words = [t for t in analyze(prefix or "")]
    if not words:
        return []
    head, last = prefix[:words[-1].start], words[-1].text
    spellings = _spellings(last)
    want = max(1, limit - limit // 3)
    searcher = shared_searcher(ix) if fast else ix.searcher()
    try:
        if fast:
            lex = lexicon(ix, searcher.reader())
            ranked = lex.most_used(spellings, want)
            found = lex.titles(spellings, columns(ix, searcher).newest, limit)
            version = index_version(ix)
            titles = [stored_fields(searcher, version, docnum) for docnum in found]
        else:
            ranked = _most_used(searcher.reader(), spellings)[:want]
            titles = [hit.fields() for hit in searcher.search(Q.Or([Q.Prefix("title", s) for s in spellings]),
                                                               limit=limit, sortedby=NEWEST)]
    finally:
        if not fast:
            searcher.close()
    out = [Completion(head + word, "word", n) for word, n in ranked]
    for doc in titles:
        if len(out) >= limit:
            break
        out.append(Completion(doc["title"], "title", 1, doc["id"]))
    return out[:limit]


def _most_used(reader, spellings: list[str]) -> list[tuple[str, int]]:
    """Every archive word starting with one of `spellings`, with the articles using it, most used first."""
    counts: dict[str, int] = {}
    for spelling in spellings:
        for fieldname in ("title", "body"):
            for term in reader.expand_prefix(fieldname, spelling):
                word = term.decode("utf-8") if isinstance(term, bytes) else term
                counts[word] = max(counts.get(word, 0), reader.doc_frequency(fieldname, word))
    return sorted(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))


def _suggest(reader, lex, word: str, distance: int, limit: int = 5) -> list[str]:
    """Whoosh's `ReaderCorrector.suggest(word, limit, maxdist=distance, prefix=1)` on the body field, from the
    in-memory lexicon: the body words that begin with the same letter and are at most `distance` edits away, the
    `limit` most frequent (among equals, the last A–Z), in order of frequency, then A–Z: the same words in the
    same order.

    Edits are counted as Whoosh counts them, which rapidfuzz does in C: on an index of one segment Whoosh walks a
    Levenshtein automaton (a swap of two letters is two edits), on several it computes the optimal string
    alignment distance in Python (a swap is one edit)."""
    metric = Levenshtein if reader.is_atomic() else OSA
    near = process.extract(word, lex.starting(word[:1]), scorer=metric.distance, score_cutoff=distance, limit=None)
    scored = []
    for candidate, _, _ in near:
        if ("body", candidate) in reader:  # the lexicon also has title words
            frequency = reader.frequency("body", candidate) or 1
            scored.append((0 - (distance + (1.0 / frequency * 0.5)), candidate))
    best = sorted(scored, reverse=True)[:limit]  # Whoosh's heap keeps the greatest (score, word) pairs
    return [w for _, w in sorted(best, key=lambda x: (0 - x[0], x[1]))]


@one_version
def did_you_mean(ix, text: str, max_distance: int = 2, fast: bool = True) -> str | None:
    """A corrected query, each unknown word replaced by the archive word closest to it; None if none helps.

    `fast` finds the nearest words in the in-memory lexicon with rapidfuzz when the lexicon is built (a server
    builds it when it opens an index version; a one-off command does not wait for it); otherwise, and with
    `fast=False`, Whoosh's corrector answers, which on an updated index computes the distance to every body word
    with the same first letter in Python (seconds at 10,000 articles). The tests hold both equal."""
    tokens = analyze(text or "")
    if not tokens:
        return None
    corrected, changed = text, False
    searcher = shared_searcher(ix)
    reader = searcher.reader()
    corrector = searcher.corrector("body")
    lex = built_lexicon(ix) if fast else None
    for t in reversed(tokens):  # right to left, so earlier offsets stay valid
        if reader.doc_frequency("body", t.text) or reader.doc_frequency("title", t.text) or len(t.text) < 3:
            continue
        if t.text.isdigit() or searcher.doc_frequency("body_stem", t.stem):
            continue  # numbers, and words the archive has in another form, are not misspellings
        options = []
        for distance in range(1, max_distance + 1):  # the nearest words first, however rare
            options = (_suggest(reader, lex, t.text, distance) if lex is not None
                       else corrector.suggest(t.text, limit=5, maxdist=distance, prefix=1))
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

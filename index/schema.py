"""The Whoosh schema: stored display fields, four analyzed variants per text field, sortable facet fields."""

from __future__ import annotations

from collections import defaultdict

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions

from .analysis import VARIANTS, field_analyzer

# Bumped whenever the schema or the analysis changes what the index stores: an index built by another version is
# refused with a message to rebuild rather than searched wrongly.
SCHEMA_VERSION = 6


class KeyedText(TEXT):
    """A text field whose words may each have several keys at one position (a stem field: `KyrgyzStemmer.keys`).

    Besides a string (analyzed by the field's analyzer, which emits every key at its word's position), it indexes a
    list with one tuple of keys per word, as the indexer hands over what it has analyzed already. Whoosh's own list
    form cannot say that two terms stand at one position.
    """

    def index(self, value, **kwargs):
        if not (isinstance(value, list) and value and isinstance(value[0], tuple)):
            yield from super().index(value, **kwargs)
            return
        positions: dict[str, list[int]] = defaultdict(list)
        for pos, keys in enumerate(value):
            for key in keys:
                positions[key].append(pos)
        boost = self.format.field_boost
        for key, poslist in positions.items():
            yield key.encode("utf-8"), len(poslist), len(poslist) * boost, self.format.encode(poslist)


ONE_POSITION_KEPT = 1 << 16  # positions whose one-position encoding `postings_of` keeps
_one_position: dict[int, bytes] = {}


def postings_of(field, value: list) -> tuple[list[bytes], list[int], list[float], list[bytes]] | None:
    """What `field.index(value)` yields, as four lists (terms, frequencies, weights, encoded positions), for a text
    field with Whoosh's `Positions` format and the lists the indexer hands over: words (an exact field, which Whoosh
    reads with `entoken`) or tuples of keys (`KeyedText`). None for anything else: then `field.index`.

    Made without Whoosh's token stream, one position list a term counted straight from the words; a term that
    stands once in a document (most do) has its encoding from `_one_position`. `Positions.word_values` and
    `KeyedText.index` are the straightforward way, tests/test_writer.py holds the two equal (the build's analysis
    spent a seventh of its time in them: BENCHMARKS.md, twelfth session)."""
    if type(field.format) is not Positions or not isinstance(value, list) or \
            (value and not isinstance(value[0], tuple if isinstance(field, KeyedText) else str)):
        return None
    keyed = value if value and isinstance(value[0], tuple) else [(word,) for word in value]
    keys, freqs, weights, values = _postings(field, keyed)
    return [key.encode("utf-8") for key in keys], freqs, weights, values


def numbered_postings_of(field, words: list[tuple[int, ...]]) -> tuple[list[int], list[int], list[float],
                                                                        list[bytes]] | None:
    """`postings_of` for a field whose words come as numbers, each word the tuple of its keys' numbers (a number
    standing for the same key throughout): the same postings, each term a number. Counting numbers is no faster
    than counting words, but an analysis process that sends numbers (`index.writer.Numbered`) no longer looks each
    word up in its large table of numbers, once for each of its keys, in each field (that was as long as the
    counting: BENCHMARKS.md, fourteenth session). tests/test_writer.py holds the two equal."""
    return None if type(field.format) is not Positions else _postings(field, words)


def _postings(field, keyed: list[tuple]) -> tuple[list, list[int], list[float], list[bytes]]:
    """Each key of `keyed` (a tuple of keys for each position), its frequency, weight and encoded positions."""
    positions: dict = {}
    for pos, keys in enumerate(keyed):
        for key in keys:
            if key in positions:
                positions[key].append(pos)
            else:
                positions[key] = [pos]
    encode, values = field.format.encode, []
    for poslist in positions.values():
        encoded = _one_position.get(poslist[0]) if len(poslist) == 1 else None
        if encoded is None:
            encoded = encode(poslist)
            if len(poslist) == 1 and len(_one_position) < ONE_POSITION_KEPT:
                _one_position[poslist[0]] = encoded
        values.append(encoded)
    freqs = [len(poslist) for poslist in positions.values()]
    return list(positions), freqs, [float(f) * field.format.field_boost for f in freqs], values


TEXT_FIELDS = ("title", "body", "authors_text", "section_text")
FACETS = ("issue", "year", "section", "language", "kind")


def field_name(base: str, kind: str) -> str:
    """Name of one variant field: ("body", "exact") → "body", ("body", "stem") → "body_stem"."""
    return base if kind == "exact" else f"{base}_{kind}"


def make_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        "source": STORED(),
        "url": STORED(),
        "date": ID(stored=True, sortable=True),
        "year": NUMERIC(int, stored=True, sortable=True, signed=False),
        "issue": ID(stored=True, sortable=True),
        "section": ID(stored=True, sortable=True),
        "language": ID(stored=True, sortable=True),
        "kind": ID(stored=True, sortable=True),
        "author": KEYWORD(stored=False, commas=True, lowercase=True, scorable=False),
        "authors": STORED(),
        "related": STORED(),
        "title_derived": STORED(),  # the page had no title: it is the body's first sentence
    }
    for base in TEXT_FIELDS:
        for kind in VARIANTS:
            stored = kind == "exact" and base in ("title", "body")
            kind_of_field = TEXT if kind == "exact" else KeyedText
            fields[field_name(base, kind)] = kind_of_field(analyzer=field_analyzer(kind), stored=stored, phrase=True)
    return Schema(**fields)

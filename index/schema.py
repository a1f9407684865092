"""The Whoosh schema: stored display fields, four analyzed variants per text field, sortable facet fields."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import VARIANTS, field_analyzer

# Bumped whenever the schema or the analysis changes what the index stores: an index built by another version is
# refused with a message to rebuild rather than searched wrongly.
SCHEMA_VERSION = 4

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
        "keyterms": STORED(),  # [(stem, word, weight)]: see index/keyterms.py
        "translation": STORED(),  # id of the same article in the other language, when sure
    }
    for base in TEXT_FIELDS:
        for kind in VARIANTS:
            stored = kind == "exact" and base in ("title", "body")
            fields[field_name(base, kind)] = TEXT(analyzer=field_analyzer(kind), stored=stored, phrase=True)
    return Schema(**fields)

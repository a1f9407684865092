"""What the indexer learns only after reading the whole archive — each article's key terms (they need every
article's stems) and its other-language twin — kept beside the Whoosh index in `links.sqlite`.

Whoosh cannot change a stored field without indexing the document again, so with these in the index the build
had to analyze the archive twice; in a side table it analyzes each article once, as it writes it.

The same file keeps, for each article, what those archive-wide steps need of it (table `prepared`: the hash of its
record, its key-term candidates, its translation signature), so `izde index update` analyzes only the articles that
changed and recomputes key terms and twins from the table.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

LINKS_FILE = "links.sqlite"


def prepared_row(record_hash: str, candidates: Counter, words: dict[str, str],
                 signature: frozenset[str]) -> tuple[str, str, str, str]:
    """What the `prepared` table keeps of an article (but its id): the hash of its record, its key-term candidates,
    each one's most used word, and its translation signature, as JSON."""
    return (record_hash, json.dumps(candidates, ensure_ascii=False), json.dumps(words, ensure_ascii=False),
            json.dumps(sorted(signature), ensure_ascii=False))


class PreparedStore:
    """The `prepared` table of a build being written: one row an article."""

    def __init__(self, directory: Path, create: bool = True) -> None:
        """`create=False`: a second connection to the table a build made, its rows committed (`commit`)."""
        self._db = sqlite3.connect(directory / LINKS_FILE)
        if create:
            self._db.execute("CREATE TABLE prepared (id TEXT PRIMARY KEY, hash TEXT NOT NULL, candidates TEXT NOT NULL,"
                             " words TEXT NOT NULL, signature TEXT NOT NULL)")

    def add(self, article_id: str, row: tuple[str, str, str, str]) -> None:
        """Add an article's row: `prepared_row` of it."""
        self._db.execute("INSERT INTO prepared VALUES (?, ?, ?, ?, ?)", (article_id, *row))

    def copy_from(self, old_directory: Path, ids: Iterable[str]) -> None:
        """Copy the rows of `ids` from an earlier build's table (the articles an update leaves as they were)."""
        self._db.execute("ATTACH DATABASE ? AS old", (str(Path(old_directory) / LINKS_FILE),))
        self._db.execute("CREATE TEMP TABLE keep (id TEXT PRIMARY KEY)")
        self._db.executemany("INSERT INTO keep VALUES (?)", ((i,) for i in ids))
        self._db.execute("INSERT INTO prepared SELECT p.* FROM old.prepared p JOIN keep USING (id)")
        self._db.commit()
        self._db.execute("DETACH DATABASE old")

    def rows(self, words: bool = True) -> Iterator[tuple[str, Counter, dict[str, str] | None, frozenset[str]]]:
        """(id, candidates, words, signature) of each article, by id; `words=False`: None for its words, which are
        then not read (as long as its candidates)."""
        for article_id, candidates, written, sig in self._db.execute(
                "SELECT id, candidates, " + ("words" if words else "NULL") + ", signature FROM prepared ORDER BY id"):
            yield (article_id, Counter(json.loads(candidates)), json.loads(written) if words else None,
                   frozenset(json.loads(sig)))

    def write_links(self, rows) -> None:
        """Write the `links` table: (id, keyterms [(stem, word, weight)], translation id or None) rows."""
        self._db.execute("CREATE TABLE links (id TEXT PRIMARY KEY, keyterms TEXT NOT NULL, translation TEXT)")
        self._db.executemany("INSERT INTO links VALUES (?, ?, ?)",
                             ((i, json.dumps(terms, ensure_ascii=False), twin) for i, terms, twin in rows))

    def commit(self) -> None:
        self._db.commit()

    def close(self) -> None:
        self._db.commit()
        self._db.close()


def record_hashes(directory: Path) -> dict[str, str]:
    """{article id: hash of its record} of a build; empty for a build made before the table existed."""
    db = sqlite3.connect(f"file:{Path(directory) / LINKS_FILE}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT id, hash FROM prepared"))
    except sqlite3.OperationalError:
        return {}
    finally:
        db.close()


class Links:
    """Read-only, shared by the threads that serve searches."""

    def __init__(self, directory: Path) -> None:
        self._db = sqlite3.connect(f"file:{Path(directory) / LINKS_FILE}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def get(self, article_id: str) -> tuple[list[tuple[str, str, float]], str | None]:
        """(key terms, twin's id) of an article; ([], None) for an id the table does not have."""
        with self._lock:
            row = self._db.execute("SELECT keyterms, translation FROM links WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return [], None
        return [tuple(t) for t in json.loads(row[0])], row[1]

    def close(self) -> None:
        self._db.close()

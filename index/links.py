"""What the indexer learns only after reading the whole archive — each article's key terms (they need every
article's stems) and its other-language twin — kept beside the Whoosh index in `links.sqlite`.

Whoosh cannot change a stored field without indexing the document again, so with these in the index the build
had to analyze the archive twice; in a side table it analyzes each article once, as it writes it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

LINKS_FILE = "links.sqlite"


def write_links(directory: Path, rows) -> None:
    """Write (id, keyterms [(stem, word, weight)], translation id or None) rows."""
    db = sqlite3.connect(directory / LINKS_FILE)
    try:
        db.execute("CREATE TABLE links (id TEXT PRIMARY KEY, keyterms TEXT NOT NULL, translation TEXT)")
        db.executemany("INSERT INTO links VALUES (?, ?, ?)",
                       ((i, json.dumps(terms, ensure_ascii=False), twin) for i, terms, twin in rows))
        db.commit()
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

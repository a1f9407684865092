"""What a search reads of each segment most often, written beside it once as plain arrays, read back mapped.

Whoosh 2.7.4 keeps a term's postings in pickled blocks: the first time a query reads a term it unpickles and
delta-decodes every block in Python (about a microsecond a posting, and a query word is 16–40 terms). And a snippet
needs where each word of a shown body starts and ends, which is ICU's word breaking over the whole text (1–3 ms a
body). Both are fixed once a segment is written (Whoosh never changes a segment's files), so the build writes them
beside it, and a search maps them (`numpy.memmap`: no loading, shared by every process serving the index):

* ``.izde_at`` / ``.izde_from`` / ``.izde_ids`` / ``.izde_wts``: each term's postings (document numbers, weights),
  the terms found by where Whoosh's postings file has them (the extent its term info gives), deleted documents
  included, exactly as Whoosh's blocks decode;
* ``.izde_docs`` / ``.izde_words`` / ``.izde_joined``: for each document, where the words of its stored body start and
  end — the words `analyze` keeps, numbered as the index numbers their positions — and whether one of them was joined
  across a line-break hyphen (then its spelling is not the text between its ends, and a snippet finds the words
  itself).

The file names begin with the segment's, so Whoosh deletes them with their segment when it merges it away. A segment
without them (an index built before them, or a write that failed) is read the straightforward way.
"""

from __future__ import annotations

import os
from array import array
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermsReader

from .analysis import indexed_words

SUFFIXES = {"at": ".izde_at", "from": ".izde_from", "ids": ".izde_ids", "wts": ".izde_wts",
            "docs": ".izde_docs", "words": ".izde_words", "joined": ".izde_joined"}
DTYPES = {"at": np.int64, "from": np.int64, "ids": np.int32, "wts": np.float32,
          "docs": np.int64, "words": np.int32, "joined": np.uint8}
MIN_POSTINGS = 16  # rarer terms (most of them: Heaps' law) are one short block, cheap to read from Whoosh
TEXT_FIELD = "body"  # whose words snippets are made of


def read_blocks(leaf) -> tuple[np.ndarray, np.ndarray]:
    """A term's whole posting list from its matcher at its start, deleted documents included: (document numbers,
    weights), a block at a time where it is Whoosh's `W3LeafMatcher` (which keeps each block's ids and weights as
    arrays), one posting at a time otherwise."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if isinstance(leaf, W3LeafMatcher):
        while leaf.is_active():
            leaf._read_ids()
            leaf._read_weights()
            ids.append(np.asarray(leaf._ids, dtype=np.int32))
            weights.append(np.asarray(leaf._weights, dtype=np.float32))
            leaf._next_block()
    else:
        found = []
        while leaf.is_active():
            found.append((leaf.id(), leaf.weight()))
            leaf.next()
        ids.append(np.array([i for i, _ in found], dtype=np.int32))
        weights.append(np.array([w for _, w in found], dtype=np.float32))
    return (np.concatenate(ids) if ids else np.zeros(0, np.int32),
            np.concatenate(weights) if weights else np.zeros(0, np.float32))


def _paths(folder: Path, segment) -> dict[str, Path]:
    return {name: folder / segment.make_filename(suffix) for name, suffix in SUFFIXES.items()}


def write_arrays(folder: Path, ix) -> int:
    """Write the arrays of every segment of the open index `ix` (in `folder`) that has none; return how many."""
    written = 0
    with ix.reader() as reader:
        for sub, _offset in reader.leaf_readers():
            paths = _paths(folder, sub.segment())
            if all(p.exists() for p in paths.values()):
                continue
            _write_segment(sub, paths)
            written += 1
    return written


def _write_segment(reader, paths: dict[str, Path]) -> None:
    partial = {name: path.with_name(path.name + ".part") for name, path in paths.items()}
    terms = getattr(reader, "_terms", None)
    at, start = array("q"), array("q", [0])
    with open(partial["ids"], "wb") as ids_file, open(partial["wts"], "wb") as wts_file:
        if type(terms) is W3TermsReader:
            for fieldname in _scorable(reader):
                format_ = reader.schema[fieldname].format
                for text, info in reader.iter_field(fieldname):
                    if info.is_inlined() or info.doc_frequency() < MIN_POSTINGS:
                        continue  # kept with the term itself, or a block or so: read from Whoosh, cheaply
                    offset, length = info.extent()
                    ids, weights = read_blocks(W3LeafMatcher(terms._postfile, offset, length, format_,
                                                             term=(fieldname, text)))
                    ids_file.write(ids.tobytes())
                    wts_file.write(weights.tobytes())
                    at.append(offset)
                    start.append(start[-1] + len(ids))
    order = np.argsort(np.frombuffer(at, dtype=np.int64), kind="stable")
    np.frombuffer(at, dtype=np.int64)[order].tofile(partial["at"])
    froms = np.frombuffer(start, dtype=np.int64)
    np.stack([froms[:-1][order], froms[1:][order]], axis=1).ravel().tofile(partial["from"])  # (start, end) a term
    docs, spans, joined = array("q", [0]), array("i"), array("B")
    for docnum in range(reader.doc_count_all()):
        text = (reader.stored_fields(docnum) or {}).get(TEXT_FIELD) or ""
        starts, ends, surfaces = indexed_words(text)
        pairs = np.empty(2 * len(starts), dtype=np.int32)
        pairs[0::2], pairs[1::2] = starts, ends
        spans.frombytes(pairs.tobytes())
        docs.append(docs[-1] + len(starts))
        joined.append(any(text[s:e] != w for s, e, w in zip(starts, ends, surfaces)))
    for name, data in (("docs", docs), ("words", spans), ("joined", joined)):
        with open(partial[name], "wb") as handle:
            data.tofile(handle)
    for name, path in partial.items():
        os.replace(path, paths[name])


def _scorable(reader) -> list[str]:
    return [name for name, field in reader.schema.items() if field.scorable and name in reader.indexed_field_names()]


class SegmentArrays:
    """One segment's arrays, mapped read-only: `postings(extent)` and `words(docnum)`."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._at, self._from = arrays["at"], arrays["from"].reshape(-1, 2)
        self._ids, self._wts = arrays["ids"], arrays["wts"]
        self._docs, self._words, self._joined = arrays["docs"], arrays["words"].reshape(-1, 2), arrays["joined"]

    def postings(self, extent) -> tuple[np.ndarray, np.ndarray] | None:
        """A term's (document numbers, weights) by where Whoosh keeps its postings (`W3TermInfo.extent()`), or None
        where the arrays lack it."""
        if extent is None:
            return None
        i = int(np.searchsorted(self._at, extent[0]))
        if i >= len(self._at) or self._at[i] != extent[0]:
            return None
        a, b = self._from[i]
        return self._ids[a:b], self._wts[a:b]

    def words(self, docnum: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Where the words of a document's body start and end (the index's numbering), or None where one of them was
        joined across a hyphen."""
        if docnum + 1 >= len(self._docs) or self._joined[docnum]:
            return None
        pairs = self._words[self._docs[docnum]:self._docs[docnum + 1]]
        return pairs[:, 0], pairs[:, 1]


def open_arrays(folder: Path, segment, documents: int) -> SegmentArrays | None:
    """A segment's arrays, or None where they are missing or do not fit together (read the straightforward way)."""
    paths = _paths(folder, segment)
    arrays = {}
    for name, path in paths.items():
        try:
            size = path.stat().st_size
        except OSError:
            return None
        dtype = np.dtype(DTYPES[name])
        if size % dtype.itemsize:
            return None
        arrays[name] = np.memmap(path, dtype=dtype, mode="r") if size else np.zeros(0, dtype)
    terms, docs = len(arrays["at"]), len(arrays["docs"])
    if (len(arrays["from"]) != 2 * terms or (terms and int(arrays["from"].max()) > len(arrays["ids"]))
            or len(arrays["ids"]) != len(arrays["wts"]) or docs != documents + 1 or len(arrays["joined"]) != documents
            or 2 * int(arrays["docs"][-1]) != len(arrays["words"])):
        return None
    return SegmentArrays(arrays)

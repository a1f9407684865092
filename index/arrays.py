"""What a search reads of each segment most often, written beside it once as plain arrays, read back mapped.

Whoosh 2.7.4 keeps a term's postings in pickled blocks: the first time a query reads a term it unpickles and
delta-decodes every block in Python (about a microsecond a posting, and a query word is 16–40 terms). And a snippet
needs where each word of a shown body starts and ends, which is ICU's word breaking over the whole text (1–3 ms a
body). Both are fixed once a segment is written (Whoosh never changes a segment's files), so the build writes them
beside it, and a search maps them (`mmap`: no loading, shared by every process serving the index):

* ``.izde_at`` / ``.izde_from`` / ``.izde_ids`` / ``.izde_wts``: each term's postings (document numbers, weights),
  the terms found by where Whoosh's postings file has them (the extent its term info gives), deleted documents
  included, exactly as Whoosh's blocks decode;
* ``.izde_posat`` / ``.izde_pos``: their positions, posting after posting, each posting's as many as its weight
  (a term whose weights are not its counts of positions has none here: -1);
* ``.izde_docs`` / ``.izde_words`` / ``.izde_joined``: for each document, where the words of its stored body start and
  end — the words `analyze` keeps, numbered as the index numbers their positions — and whether one of them was joined
  across a line-break hyphen (then its spelling is not the text between its ends, and a snippet finds the words
  itself).

The file names begin with the segment's, so Whoosh deletes them with their segment when it merges it away. A segment
without them (an index built before them, or a write that failed) is read the straightforward way.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import pickle
import shutil
from array import array
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermsReader

from .analysis import indexed_words

SUFFIXES = {"at": ".izde_at", "from": ".izde_from", "ids": ".izde_ids", "wts": ".izde_wts",
            "posat": ".izde_posat", "pos": ".izde_pos",
            "docs": ".izde_docs", "words": ".izde_words", "joined": ".izde_joined"}
DTYPES = {"at": np.int64, "from": np.int64, "ids": np.int32, "wts": np.float32, "posat": np.int64, "pos": np.int32,
          "docs": np.int64, "words": np.int32, "joined": np.uint8}
MIN_POSTINGS = 16  # rarer terms (most of them: Heaps' law) are one short block, cheap to read from Whoosh
BEGINS_HELD = 256  # terms whose postings' places among their positions are kept (8 bytes a posting)
PARALLEL_FROM = 2000  # documents in a segment from which its terms are read in several processes (else one)
TEXT_FIELD = "body"  # whose words snippets are made of


def read_blocks(leaf, values: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A term's whole posting list from its matcher at its start, deleted documents included: (document numbers,
    weights), a block at a time where it is Whoosh's `W3LeafMatcher` (which keeps each block's ids and weights as
    arrays), one posting at a time otherwise. Each posting's encoded value is appended to `values` if given (a
    block's values come with its ids: one unpickling)."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if isinstance(leaf, W3LeafMatcher):
        while leaf.is_active():
            leaf._read_ids()
            leaf._read_weights()
            ids.append(np.asarray(leaf._ids, dtype=np.int32))
            weights.append(np.asarray(leaf._weights, dtype=np.float32))
            if values is not None:
                leaf._read_values()
                values.extend(leaf._values)
            leaf._next_block()
    else:
        found = []
        while leaf.is_active():
            found.append((leaf.id(), leaf.weight()))
            if values is not None:
                values.append(leaf.value())
            leaf.next()
        ids.append(np.array([i for i, _ in found], dtype=np.int32))
        weights.append(np.array([w for _, w in found], dtype=np.float32))
    return (np.concatenate(ids) if ids else np.zeros(0, np.int32),
            np.concatenate(weights) if weights else np.zeros(0, np.float32))


def joined_values(values: list[bytes]) -> tuple[bytes, np.ndarray]:
    """Postings' encoded values one after another, and where each starts (one more: where the last ends)."""
    return b"".join(values), np.concatenate([[0], np.cumsum([len(v) for v in values], dtype=np.int64)])


_LIST_PICKLE = b"\x80\x02]q\x00"  # how each posting's deltas begin, after its count: a list, pickle protocol 2
_BININT1, _BININT2, _BININT, _APPEND = b"KMJa"  # pickle's opcodes for a number of 1, 2 or 4 bytes, and APPEND
# Postings from which those of one position are read from their bytes (`decode_positions`): the numpy steps cost
# some 30 µs a call, and save half a microsecond a posting (BENCHMARKS.md, sixteenth session); a search reads a
# term's postings, a build a stretch of some 100,000 at a time.
READ_FROM = 256


def decode_positions(values: bytes, starts: np.ndarray, pick: np.ndarray, decode) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the postings `pick` of a term whose encoded values are `values`, the i-th from `starts[i]`
    to `starts[i + 1]`: (how many each has, all of them one posting after another).

    Whoosh's `Positions.decode_positions` unpickles each posting's deltas and adds them up in Python; here the
    postings' pickled lists, each a list pickle of its own that refers to nothing before it, are read as one tuple of
    lists in one `pickle.loads`, and added up in numpy; from READ_FROM postings, a list of one position (most
    postings) is read in numpy straight from its bytes, as unpickling the many small lists was most of writing a
    segment's arrays. A value not in that form (another format, another pickle protocol) is decoded by `decode`
    (Whoosh's own), one posting at a time; tests/test_fast_paths.py holds each way equal to Whoosh's."""
    return decode_spans(values, starts[pick], starts[pick + 1], decode)


def decode_spans(values: bytes, begin: np.ndarray, end: np.ndarray, decode) -> tuple[np.ndarray, np.ndarray]:
    """`decode_positions` of postings whose encoded values are `values[begin[i]:end[i]]`, in any order."""
    if not len(begin):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    raw = np.frombuffer(values, dtype=np.uint8)
    form = len(_LIST_PICKLE)
    if np.any(end - begin < 4 + form + 1) or np.any(raw[end - 1] != ord(".")) or not _headed(raw, begin + 4):
        lists = [decode(values[a:b]) for a, b in zip(begin.tolist(), end.tolist())]
        counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        return counts, np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    if len(begin) < READ_FROM:
        return _unpickled(raw, begin, end)
    # A list of one position (most postings: a word once in a document) is its opcode and the number's 1, 2 or 4
    # bytes, then APPEND and STOP: read straight from the bytes.
    opcode = raw[begin + 4 + form]
    size = _SIZES[opcode]
    one = (size > 0) & (end - begin == 4 + form + 1 + size + 2) & (raw[end - 2] == _APPEND)
    counts = np.ones(len(begin), dtype=np.int64)
    positions = np.empty(0, dtype=np.int64)
    if not one.all():
        walked = _walked(raw, begin[~one], end[~one])
        counts[~one], positions = walked if walked is not None else _unpickled(raw, begin[~one], end[~one])
    if not one.any():
        return counts, positions
    at = begin[one] + 4 + form + 1  # the number's first byte
    number = raw[at].astype(np.int64)
    for k, shift in ((1, 8), (2, 16), (3, 24)):
        wider = size[one] > k
        number[wider] |= raw[at[wider] + k].astype(np.int64) << shift
    number[(size[one] == 4) & (number >= 1 << 31)] -= 1 << 32  # BININT is signed
    out = np.empty(int(counts.sum()), dtype=np.int64)
    starts_out = np.cumsum(counts) - counts
    out[starts_out[one]] = number
    out[in_ranges(len(out), starts_out[~one], counts[~one])] = positions
    return counts, out


def _headed(raw: np.ndarray, at: np.ndarray) -> bool:
    """Whether `_LIST_PICKLE` stands at each of `at` in `raw` (all of them within it): its bytes compared as one
    item of a view whose items overlap, one beginning at each byte, where comparing byte by byte took a fancy index
    of every posting for each of its five bytes."""
    form = len(_LIST_PICKLE)
    windows = np.ndarray(buffer=raw, dtype=f"V{form}", shape=(len(raw) - form + 1,), strides=(1,))
    return bool((windows[at] == np.frombuffer(_LIST_PICKLE, dtype=f"V{form}")[0]).all())


_SIZES = np.zeros(256, dtype=np.int64)  # the bytes of the number after each opcode: BININT1, BININT2, BININT
_SIZES[[_BININT1, _BININT2, _BININT]] = 1, 2, 4
_MARK, _APPENDS = b"(e"
LONGEST_WALKED = 1000  # pickle writes a longer list's items in batches, each with its own MARK and APPENDS


def _walked(raw: np.ndarray, begin: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """`_unpickled`, for postings of several positions (a quarter of the postings a build decodes, by
    their count): each list read from its bytes in numpy where it has the form pickle gives a list of 2 to
    LONGEST_WALKED numbers — after the count (the number of positions, 4 bytes big-endian, as Whoosh's
    `Positions.encode` writes it) and `_LIST_PICKLE`, MARK, the numbers (each BININT1, BININT2 or BININT and its
    bytes), APPENDS, STOP — the lists walked together, their k-th numbers at the k-th step. Bytes in that form are
    read so by pickle too. None if any list is not in it (the caller unpickles them). Unpickling them into Python
    lists was two fifths of decoding a build's positions. tests/test_fast_paths.py holds the two equal."""
    form, last = len(_LIST_PICKLE), len(raw) - 1
    count = value_counts(raw, begin)
    if not len(begin) or count.min() < 2 or count.max() > LONGEST_WALKED or np.any(raw[begin + 4 + form] != _MARK):
        return None
    order = np.argsort(-count, kind="stable")  # the longest lists first: those still walked at step k lead
    counts = count[order]
    at = begin[order] + 4 + form + 1  # each list's next opcode
    out_starts = np.cumsum(counts) - counts
    deltas = np.empty(int(counts.sum()), dtype=np.int64)
    walking = np.searchsorted(-counts, -np.arange(int(counts[0])), side="left")  # lists longer than k, at step k
    valid = True
    for k, n in enumerate(walking.tolist()):
        here = at[:n]
        size = _SIZES[raw[here]]
        valid = valid and bool(size.all())
        number = raw[np.minimum(here + 1, last)].astype(np.int64)
        for byte in (2, 3, 4):
            number |= np.where(size >= byte, raw[np.minimum(here + byte, last)].astype(np.int64), 0) << 8 * (byte - 1)
        number[(size == 4) & (number >= 1 << 31)] -= 1 << 32  # BININT is signed
        deltas[out_starts[:n] + k] = number
        at[:n] = here + 1 + size
    if not (valid and np.all(at + 2 == end[order]) and np.all(raw[np.minimum(at, last)] == _APPENDS)):
        return None
    running = np.cumsum(deltas)
    positions = running - np.repeat(running[out_starts] - deltas[out_starts], counts)
    out = np.empty_like(positions)
    out[gather((np.cumsum(count) - count)[order], counts)] = positions  # back in the postings' order
    return count, out


def value_counts(raw: np.ndarray, begin: np.ndarray) -> np.ndarray:
    """How many positions each encoded value beginning at `begin` in `raw` has: its first four bytes, big-endian, as
    Whoosh's `Positions.encode` writes them."""
    return (raw[begin].astype(np.int64) << 24 | raw[begin + 1].astype(np.int64) << 16
            | raw[begin + 2].astype(np.int64) << 8 | raw[begin + 3])


def _unpickled(raw: np.ndarray, begin: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`decode_positions` of the postings from `begin` to `end` in `raw`, by one `pickle.loads`: each posting's
    bytes but its count (4), the pickle's protocol mark (2) and its stop (1), one after another, in a tuple."""
    first = begin + 4 + 2
    lengths = end - 1 - first
    lists = pickle.loads(b"\x80\x02(" + taken(raw, first, lengths).tobytes() + b"t.")
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    deltas = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    running = np.concatenate([[0], np.cumsum(deltas)])  # the sum of all deltas before each one, and the last
    return counts, running[1:] - np.repeat(running[np.cumsum(counts) - counts], counts)


def gather(begins: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indexes begins[0] … begins[0] + counts[0] - 1, then begins[1] …: ranges laid end to end."""
    return np.repeat(begins - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))


# Writing the postings copies every posting's value (some 15 bytes), and every block's header and data, from one
# array of bytes into another. Indexed through `gather`, such a copy makes arrays of eight bytes a byte copied, each
# in memory fresh from the kernel, which zeroes it first: in the processes writing the fields the kernel's zeroing
# of pages was a sixth of their time, three quarters of it for `gather`'s arrays (`perf`, BENCHMARKS.md, nineteenth
# session). `in_ranges` and `taken` are the same copies with one byte of mask a byte, or one index a range.
TAKEN_WIDTH = 32  # ranges up to this many bytes long are taken as one item of this many bytes (`taken`)


def in_ranges(size: int, begins: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """A mask of `size` items, True at `gather(begins, counts)`, for ranges in ascending order that do not overlap
    (`array[in_ranges(...)]` is then `array[gather(...)]`, for reading or for writing). tests/test_fast_paths.py
    holds the two equal."""
    ends = begins + counts
    nonempty = counts > 0
    marks = np.zeros(size + 1, dtype=np.int8)
    marks[begins[nonempty]] = 1
    marks[ends[nonempty]] -= 1  # where a range ends as the next begins: 0
    return np.cumsum(marks[:-1], dtype=np.int8).view(bool)


def taken(data: np.ndarray, begins: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """`data[gather(begins, counts)]` of contiguous bytes (uint8), ranges in any order: a range of up to
    TAKEN_WIDTH bytes taken as one item of TAKEN_WIDTH bytes (a view of `data` whose items overlap, one beginning
    at each byte) and trimmed to its length by a mask; longer ones, and those too near the end, through `gather`.
    tests/test_fast_paths.py holds the two equal."""
    width = TAKEN_WIDTH
    if data.dtype != np.uint8 or not data.flags.c_contiguous or len(data) < width:
        return data[gather(begins, counts)]
    windows = np.ndarray(buffer=data, dtype=f"V{width}", shape=(len(data) - width + 1,), strides=(1,))
    short = (counts <= width) & (begins < len(windows))
    rows = windows[begins[short]].view(np.uint8).reshape(-1, width)
    shorts = rows[np.arange(width) < counts[short][:, None]]
    if short.all():
        return shorts
    out = np.empty(int(counts.sum()), dtype=np.uint8)
    of_short = np.repeat(short, counts)
    out[of_short] = shorts
    out[~of_short] = data[gather(begins[~short], counts[~short])]
    return out


def _paths(folder: Path, segment) -> dict[str, Path]:
    return {name: folder / segment.make_filename(suffix) for name, suffix in SUFFIXES.items()}


def write_arrays(folder: Path, ix, processes: int | None = None) -> int:
    """Write the arrays of every segment of the open index `ix` (in `folder`) that has none; return how many. The
    terms' arrays are read in `processes` worker processes (default: one per core for a segment of PARALLEL_FROM
    documents or more), each taking some of the fields, while this one finds the bodies' words."""
    written = 0
    with ix.reader() as reader:
        for sub, _offset in reader.leaf_readers():
            paths = _paths(folder, sub.segment())
            if all(p.exists() for p in paths.values()):
                continue
            many = sub.doc_count_all() >= PARALLEL_FROM
            _write_segment(folder, sub, paths, processes or ((os.cpu_count() or 1) if many else 1))
            written += 1
    return written


def body_words(tokens, text: str) -> tuple[bytes, bool]:
    """What the arrays keep of a body from its analyzed tokens: where each word starts and ends (int32 pairs, as
    bytes) and whether one was joined across a line-break hyphen — what `_write_words` finds breaking the stored
    body into words again (`analyze` keeps the words `indexed_words` gives, numbered alike)."""
    pairs = np.empty(2 * len(tokens), dtype=np.int32)
    pairs[0::2] = [t.start for t in tokens]
    pairs[1::2] = [t.end for t in tokens]
    return pairs.tobytes(), any(text[t.start:t.end] != t.original for t in tokens)


class ArraysWriter:
    """The arrays of the segment an `index.writer.InvertingWriter` is writing, made from its postings while it writes
    them: each stretch of terms, as the process that writes its fields has just sorted and written it (`part`), and
    the bodies' words the analysis kept (`body_words`, the writer's `kept`). No second sort of the postings held in
    memory (the arrays' own forked processes sorted every field again, over half of their work), no reading Whoosh's
    blocks back, no breaking every body into words again: the same files as `write_arrays` makes from the finished
    segment (tests/test_writer.py compares their bytes)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.partial: dict[str, Path] = {}

    def wanted(self, writer) -> bool:
        """Whether the arrays can be made from the writer's postings: every document's words were kept. If not,
        none are made here, and `write_arrays` writes them after the commit."""
        words = writer.kept
        if len(words) != writer.docnum or any(w is None for w in words):
            return False
        self.partial = {name: path.with_name(path.name + ".part")
                        for name, path in _paths(self.folder, writer.newsegment).items()}
        return True

    def part(self, k: int) -> "TermArrays":
        """The arrays of the k-th part of the fields (one field, or all of them), made by the process that writes
        their postings."""
        return TermArrays(str(self.partial["ids"]) + f".{k}")

    def finish(self, writer, bases: list[int]) -> None:
        """The parts' arrays laid one after the other, in the postings file's order (the k-th part's postings were
        written from `bases[k]` in it), and the words' arrays."""
        _write_word_arrays(writer.kept, self.partial)
        stems = [str(self.partial["ids"]) + f".{k}" for k in range(len(bases))]
        parts = []
        for stem, base in zip(stems, bases):
            with np.load(f"{stem}.terms.npz") as found:
                parts.append((found["at"] + base, found["from"], found["posat"], int(found["written"])))
            os.remove(f"{stem}.terms.npz")
        _join([(None, stem) for stem in stems], parts, self.partial, _paths(self.folder, writer.newsegment))


class TermArrays:
    """Some fields' terms' arrays, to `stem`.ids, .wts and .pos, from their postings a stretch at a time as
    `index.writer.TermWriter.write_stretch` writes them; `close` leaves what `_join` takes in `stem`.terms.npz."""

    def __init__(self, stem: str) -> None:
        self.stem = stem
        self.files = tuple(open(f"{stem}.{name}", "wb") for name in ("ids", "wts", "pos"))
        self.at, self.start, self.posat = array("q"), array("q", [0]), array("q")
        self.written = 0  # positions

    def add(self, field, extents: np.ndarray, counts: np.ndarray, docs: np.ndarray, weights: np.ndarray,
            value_starts: np.ndarray, value_lengths: np.ndarray, values: bytes, positions=None) -> None:
        """A stretch of a field's terms as written: where each one's postings begin in the postings file, how many
        it has, and its postings one term after another (documents, weights, and where each one's encoded value
        begins in `values` and how long it is; `positions`, where the writer has them, their positions as
        `decode_positions` gives them, else they are decoded from the values). Only a scorable field's terms of
        MIN_POSTINGS postings or more have arrays."""
        if not field.scorable:
            return
        kept = counts >= MIN_POSTINGS
        if not kept.any():
            return
        picked = np.repeat(kept, counts)  # the kept terms' postings
        begin = value_starts[picked]
        format_ = field.format if field.format.supports("positions") else None
        if positions is not None and not kept.all():
            how_many, every = positions
            positions = how_many[picked], every[np.repeat(picked, how_many)]
        self.written = _write_stretch(extents[kept], counts[kept], docs[picked], weights[picked],
                                      (values, begin, begin + value_lengths[picked]), format_, self.written, self.at,
                                      self.start, self.posat, self.files, positions)

    def close(self) -> None:
        for handle in self.files:
            handle.close()
        froms = np.frombuffer(self.start, dtype=np.int64)
        np.savez(f"{self.stem}.terms.npz", at=np.frombuffer(self.at, dtype=np.int64),
                 **{"from": np.stack([froms[:-1], froms[1:]], axis=1)},
                 posat=np.frombuffer(self.posat, dtype=np.int64), written=np.array(self.written))


def _shares(fields: list[str], processes: int, partial: dict[str, Path]) -> list[tuple[list[str], str]]:
    """The fields shared out among `processes`, a stretch of them in order each (so their parts, laid one after the
    other, are in the postings file's order, as `ArraysWriter`'s are), each share with the stem of its part files."""
    processes = max(processes, 1)
    cuts = [round(k * len(fields) / processes) for k in range(processes + 1)]
    shares = [fields[a:b] for a, b in zip(cuts, cuts[1:])]
    return [(share, str(partial["ids"]) + f".{k}") for k, share in enumerate(shares) if share]


def _in_processes(work, jobs: list, meanwhile) -> list:
    """`work(job)` for each job — in forked processes when there are several — while this one runs `meanwhile()`."""
    if len(jobs) > 1:
        with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
            pending = pool.map_async(work, jobs)
            meanwhile()
            return pending.get()
    parts = [work(job) for job in jobs]
    meanwhile()
    return parts


def _join(jobs: list, parts: list, partial: dict[str, Path], paths: dict[str, Path]) -> None:
    """The parts' files one after the other, the terms in the postings file's order, and the finished files put in
    place of the partial ones."""
    at, froms, posat = [], [], []
    postings = positions = 0
    with open(partial["ids"], "wb") as ids_file, open(partial["wts"], "wb") as wts_file, \
            open(partial["pos"], "wb") as pos_file:
        for (_share, stem), (part_at, part_from, part_posat, part_positions) in zip(jobs, parts):
            for name, handle in (("ids", ids_file), ("wts", wts_file), ("pos", pos_file)):
                with open(f"{stem}.{name}", "rb") as piece:
                    shutil.copyfileobj(piece, handle)
                os.remove(f"{stem}.{name}")
            at.append(part_at)
            froms.append(part_from + postings)
            posat.append(np.where(part_posat >= 0, part_posat + positions, -1))
            postings += int(part_from[-1, 1]) if len(part_from) else 0
            positions += part_positions
    at_all = np.concatenate(at) if at else np.zeros(0, np.int64)
    order = np.argsort(at_all, kind="stable")
    at_all = at_all[order]
    if len(at_all) > 1 and not np.all(at_all[1:] > at_all[:-1]):
        raise RuntimeError("two terms' postings begin at one place in the postings file")
    at_all.tofile(partial["at"])
    (np.concatenate(froms) if froms else np.zeros((0, 2), np.int64))[order].ravel().tofile(partial["from"])
    (np.concatenate(posat) if posat else np.zeros(0, np.int64))[order].tofile(partial["posat"])
    for name, path in partial.items():
        os.replace(path, paths[name])


def _write_stretch(extents: np.ndarray, lengths: np.ndarray, ids: np.ndarray, weights: np.ndarray, values,
                   format_, written: int, at: array, start: array, posat: array, files, positions=None) -> int:
    """Some terms' arrays: where each one's postings begin in the postings file, how many it has, and its postings
    one term after another (documents, weights, and `values`: (encoded values, where each posting's begins, where
    it ends)); their positions decoded all at once, or as given (`positions`: how many each posting has, and all of
    them, as `decode_spans` gives them); a term whose weights are not its counts of positions keeps none, as
    `_write_terms` decides. Returns how many positions are written in all."""
    if not len(extents):
        return written
    ids_file, wts_file, pos_file = files
    weights = weights.astype(np.float32)
    ids_file.write(ids.astype(np.int32).tobytes())
    wts_file.write(weights.tobytes())
    firsts = np.cumsum(lengths) - lengths
    at.frombytes(extents.astype(np.int64).tobytes())
    start.frombytes((start[-1] + np.cumsum(lengths)).astype(np.int64).tobytes())
    if format_ is None:
        posat.frombytes(np.full(len(extents), -1, dtype=np.int64).tobytes())
        return written
    counts, positions = positions if positions is not None else decode_spans(*values, format_.decoder("positions"))
    # Per term: are its postings' weights their counts of positions, and do its positions fit in 32 bits?
    fits = np.logical_and.reduceat(counts == weights, firsts)
    begins = np.concatenate([[0], np.cumsum(counts)])  # where each posting's positions begin among all
    term_begins, term_ends = begins[firsts], begins[firsts + lengths]
    if len(positions):
        largest = np.maximum.reduceat(np.append(positions, 0), np.minimum(term_begins, len(positions)))
        fits &= (term_begins == term_ends) | (largest < 2**31)
    sizes = (term_ends - term_begins)[fits]
    pos_file.write(positions[in_ranges(len(positions), term_begins[fits], sizes)].astype(np.int32).tobytes())
    places = np.full(len(extents), -1, dtype=np.int64)
    places[fits] = written + np.cumsum(sizes) - sizes
    posat.frombytes(places.tobytes())
    return written + int(sizes.sum())


def _write_segment(folder: Path, reader, paths: dict[str, Path], processes: int) -> None:
    partial = {name: path.with_name(path.name + ".part") for name, path in paths.items()}
    fields = _scorable(reader) if type(getattr(reader, "_terms", None)) is W3TermsReader else []
    jobs = [(str(folder), reader.segment().segment_id(), share, stem)
            for share, stem in _shares(fields, processes, partial)]
    parts = _in_processes(_terms_of_fields, jobs, lambda: _write_words(reader, partial))
    _join([(share, stem) for _f, _s, share, stem in jobs], parts, partial, paths)


def _terms_of_fields(job) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """In a worker process: the postings and positions of the terms of some fields of one segment, written to
    `stem`.ids, .wts and .pos; returns each term's place in Whoosh's postings file, (start, end) in the part's
    postings, where its positions start in the part's (-1: none), and how many positions the part has."""
    folder, segment_id, fields, stem = job
    ix = whoosh_index.open_dir(folder)
    try:
        with ix.reader() as whole:
            reader = next(sub for sub, _ in whole.leaf_readers() if sub.segment().segment_id() == segment_id)
            return _write_terms(reader, fields, stem)
    finally:
        ix.close()


def _write_terms(reader, fields: list[str], stem: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    terms = reader._terms
    at, start, posat = array("q"), array("q", [0]), array("q")
    written = 0  # positions
    with open(f"{stem}.ids", "wb") as ids_file, open(f"{stem}.wts", "wb") as wts_file, \
            open(f"{stem}.pos", "wb") as pos_file:
        for fieldname in fields:
            format_ = reader.schema[fieldname].format
            positioned = format_.supports("positions")
            for text, info in reader.iter_field(fieldname):
                if info.is_inlined() or info.doc_frequency() < MIN_POSTINGS:
                    continue  # kept with the term itself, or a block or so: read from Whoosh, cheaply
                offset, length = info.extent()
                values: list[bytes] = []
                ids, weights = read_blocks(W3LeafMatcher(terms._postfile, offset, length, format_,
                                                         term=(fieldname, text)), values if positioned else None)
                ids_file.write(ids.tobytes())
                wts_file.write(weights.tobytes())
                at.append(offset)
                start.append(start[-1] + len(ids))
                posat.append(-1)
                if positioned:
                    counts, positions = decode_positions(*joined_values(values), np.arange(len(values)),
                                                         format_.decoder("positions"))
                    if np.array_equal(counts, weights) and (not len(positions) or positions.max() < 2**31):
                        pos_file.write(positions.astype(np.int32).tobytes())
                        posat[-1] = written
                        written += len(positions)
    froms = np.frombuffer(start, dtype=np.int64)
    return (np.frombuffer(at, dtype=np.int64).copy(), np.stack([froms[:-1], froms[1:]], axis=1),
            np.frombuffer(posat, dtype=np.int64).copy(), written)


def _write_words(reader, partial: dict[str, Path]) -> None:
    """Where each body's words start and end, and whether one was joined across a hyphen: the stored bodies broken
    into words again."""
    def bodies():
        for docnum in range(reader.doc_count_all()):
            text = (reader.stored_fields(docnum) or {}).get(TEXT_FIELD) or ""
            starts, ends, surfaces = indexed_words(text)
            pairs = np.empty(2 * len(starts), dtype=np.int32)
            pairs[0::2], pairs[1::2] = starts, ends
            yield pairs.tobytes(), any(text[s:e] != w for s, e, w in zip(starts, ends, surfaces))

    _write_word_arrays(bodies(), partial)


def _write_word_arrays(bodies, partial: dict[str, Path]) -> None:
    """The words' arrays from each document's (int32 start and end pairs as bytes, whether a word was joined)."""
    docs, joined = array("q", [0]), array("B")
    with open(partial["words"], "wb") as handle:
        for pairs, was_joined in bodies:
            handle.write(pairs)
            docs.append(docs[-1] + len(pairs) // 8)
            joined.append(bool(was_joined))
    for name, data in (("docs", docs), ("joined", joined)):
        with open(partial[name], "wb") as handle:
            data.tofile(handle)


def _scorable(reader) -> list[str]:
    return [name for name, field in reader.schema.items() if field.scorable and name in reader.indexed_field_names()]


class SegmentArrays:
    """One segment's arrays, the big ones mapped read-only: `postings(extent)`, `positions(extent, ranks)` and
    `words(docnum)`."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self._at, self._from = arrays["at"], arrays["from"].reshape(-1, 2)
        self._ids, self._wts = arrays["ids"], arrays["wts"]
        self._posat, self._pos = arrays["posat"], arrays["pos"]
        self._docs, self._words, self._joined = arrays["docs"], arrays["words"].reshape(-1, 2), arrays["joined"]
        # Where each posting's positions begin among its term's, for the terms read lately (a proximity clause asks
        # for one posting at a time, of the same few terms).
        self._begins = lru_cache(maxsize=BEGINS_HELD)(self._begins_of)

    def _begins_of(self, i: int) -> np.ndarray:
        a, b = self._from[i]
        counts = self._wts[a:b].astype(np.int64)
        return np.cumsum(counts) - counts

    def _term(self, extent) -> int | None:
        if extent is None:
            return None
        i = int(np.searchsorted(self._at, extent[0]))
        return i if i < len(self._at) and self._at[i] == extent[0] else None

    def postings(self, extent) -> tuple[np.ndarray, np.ndarray] | None:
        """A term's (document numbers, weights) by where Whoosh keeps its postings (`W3TermInfo.extent()`), or None
        where the arrays lack it."""
        i = self._term(extent)
        if i is None:
            return None
        a, b = self._from[i]
        return self._ids[a:b], self._wts[a:b]

    def documents_of(self, places: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The document numbers of many terms at once, by where Whoosh keeps their postings (each extent's first
        number): (all of theirs that the arrays have, one term after another; which of the terms they lack)."""
        i = np.searchsorted(self._at, places)
        inside = i < len(self._at)
        have = np.zeros(len(places), dtype=bool)
        have[inside] = self._at[i[inside]] == places[inside]
        spans = self._from[i[have]]
        return self._ids[gather(spans[:, 0], spans[:, 1] - spans[:, 0])], ~have

    def positions(self, extent, ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The positions of a term's postings at `ranks` (ascending places in its postings), as `decode_positions`
        gives them: (how many each has, all of them one posting after another); None where the arrays lack them."""
        i = self._term(extent)
        if i is None or self._posat[i] < 0:
            return None
        a = self._from[i, 0]
        picked = self._wts[a + ranks].astype(np.int64)
        return picked, self._pos[gather(self._posat[i] + self._begins(i)[ranks], picked)].astype(np.int64)

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
        if not size:
            arrays[name] = np.zeros(0, dtype)
        elif name in ("at", "from", "posat", "docs", "joined"):  # small, and read an item at a time: in memory
            arrays[name] = np.fromfile(path, dtype=dtype)
        else:  # a plain array over the mapped file (a `numpy.memmap` costs a subclass's set-up on every slice)
            with open(path, "rb") as handle:
                arrays[name] = np.frombuffer(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), dtype=dtype)
    terms, docs = len(arrays["at"]), len(arrays["docs"])
    if (len(arrays["from"]) != 2 * terms or (terms and int(arrays["from"].max()) > len(arrays["ids"]))
            or len(arrays["ids"]) != len(arrays["wts"]) or docs != documents + 1 or len(arrays["joined"]) != documents
            or 2 * int(arrays["docs"][-1]) != len(arrays["words"]) or len(arrays["posat"]) != terms):
        return None
    # The positions of the term that has the last of them end where the positions do (each term's are as many as
    # its postings' weights, written one term after another).
    posat = arrays["posat"]
    last = int(np.argmax(posat)) if terms else -1
    if last < 0 or posat[last] < 0:
        if len(arrays["pos"]):
            return None
    else:
        a, b = arrays["from"][2 * last:2 * last + 2]
        if int(posat[last]) + round(float(np.sum(arrays["wts"][a:b], dtype=np.float64))) != len(arrays["pos"]):
            return None
    return SegmentArrays(arrays)

"""Build the Whoosh index from an archive, into a fresh directory swapped in atomically.

The index path is a symbolic link to the current build (`<path>.builds/<stamp>`). A build writes a new directory
and then replaces the link in one `rename`, so a failed or interrupted build leaves the previous index searchable,
and a searcher that is open on the previous build keeps its files (the last two builds are kept). An update
(`update_index`) does the same with a new build that starts as hard links to the current one's files.

One build or update of an index runs at a time (`build_lock`); the next one cleans up what a killed one left. The
meta file, written last, lists every file and its size, so a truncated or deleted file is reported when the index
is opened rather than as a failure in the middle of a search.
"""

from __future__ import annotations

import fcntl
import functools
import gc
import hashlib
import json
import mmap
import multiprocessing
import os
import shutil
import threading
import time
from array import array
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Positions

from .analysis import VARIANTS, AnalyzedToken, analyze, analyzed_surface
from .analysis import words as word_spans
from .archive import Problem, read_archive
from .arrays import ArraysWriter, body_words, write_arrays
from .keyterms import candidates, counted_candidates, is_candidate, key_terms_from
from .links import LINKS_FILE, PreparedStore, prepared_row, record_hashes
from .records import Article
from .schema import SCHEMA_VERSION, TEXT_FIELDS, field_name, make_schema, numbered_postings_of, postings_of
from .translations import link_translations, signature, word_mark
from .writer import FRESH, InvertingWriter, Numbering, Preindexed

META_FILE = "izde.json"
# Kept in a build's folder once the build is finished, by the search layer (`search.articles.store_related`): it
# and what SQLite writes beside it (a part being written, its journal) are not part of the build's manifest, and
# are never carried over to the next build by an update.
RELATED_FILE = "related.sqlite"
IN_USE = ".in-use"  # a server holds a shared lock on this file of the build it answers from (`hold_build`)
KEEP_BUILDS = 2
# An update that would leave this many deleted copies, and more than there are articles left as they were, builds
# anew instead (the copies stay in the segments, and every search steps over them: at 10,000 articles related lists
# took 90 s to store after an update that changed them all, against 35 s after a build).
REBUILD_FROM = 1000
CHUNK = 8  # articles a task of the analysis pool (`_for_writing`)
POOL_FROM = 50  # articles from which they are analyzed in worker processes (fewer: in this one)
AHEAD = 256  # articles handed to the analysis pool and not yet written (`_prepared`); at least CHUNK, or it waits
WRITER_TIMEOUT = 60.0  # seconds to wait for Whoosh's write lock before giving up with a clear error


class IndexUnavailable(RuntimeError):
    """The index cannot be opened or built; the message says what to do."""




def default_index_dir() -> Path:
    """The index directory: `IZDE_INDEX`, or ./var/index."""
    return Path(os.environ.get("IZDE_INDEX") or "var/index")


@dataclass
class BuildReport:
    indexed: int
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    path: Path | None = None
    files: int = 0  # files seen
    items: int = 0  # pages and JSON Lines lines seen: the archive's articles plus the skipped ones

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.skipped]


def _variants(tokens: list[AnalyzedToken]) -> dict[str, list]:
    """Each variant field's words: the exact words, and for the others each word's tuple of keys (`KeyedText`)."""
    # What `AnalyzedToken.keys(kind)` gives, read straight off each token.
    return {kind: list(map(_VARIANT_OF[kind], tokens)) for kind in VARIANTS}


_VARIANT_OF = {kind: attrgetter("text" if kind == "exact" else f"{kind}_keys") for kind in VARIANTS}


def document(article: Article, analyzed: dict[str, list[AnalyzedToken]] | None = None) -> dict:
    """The Whoosh document of an article: every text field analyzed once, fed to its four variant fields.

    `analyzed` may hold the tokens of some fields already (the indexer passes title and body, which it also
    needs for key terms).
    """
    analyzed = analyzed or {}
    doc = _plain_fields(article)
    for base, text in _texts(article).items():
        if not text:
            continue
        tokens = analyzed.get(base) or analyze(text, article.language)
        for kind, words in _variants(tokens).items():
            doc[field_name(base, kind)] = words
    return {k: v for k, v in doc.items() if v is not None and v != []}


def _plain_fields(article: Article) -> dict:
    """The fields of an article's document but its text fields' words (`document`), some of them None or []."""
    return {
        "id": article.id, "source": article.source, "url": article.url,
        "date": article.date, "year": article.year, "issue": article.issue,
        "section": article.section, "language": article.language, "kind": article.kind,
        "author": ",".join(a.name for a in article.authors) or None,
        "authors": [{"name": a.name, "role": a.role} for a in article.authors],
        "related": [{"issue": r.issue, "date": r.date, "title": r.title} for r in article.related],
        "title_derived": article.title_derived or None,
        "_stored_title": article.title, "_stored_body": article.body,
    }


def _texts(article: Article) -> dict[str, str]:
    """The text of each text field (`TEXT_FIELDS`)."""
    return {"title": article.title, "body": article.body,
            "authors_text": " ; ".join(a.name for a in article.authors), "section_text": article.section or ""}


@dataclass
class Prepared:
    """An article analyzed, ready to write: its Whoosh document, and what the whole-archive steps need of it."""

    id: str
    doc: dict
    candidates: Counter | None  # key-term candidate stems and how often the article has each
    words: dict[str, str] | None  # each candidate stem as the article writes it most often
    signature: frozenset[str]
    # Its row of the prepared table (`links.prepared_row`) where an analysis process made it (`_for_writing`): the
    # candidates and words are then None.
    row: tuple[str, str, str, str] | None = None


_SCHEMA = make_schema()
_PREINDEXED = frozenset(field_name(base, kind) for base in TEXT_FIELDS for kind in VARIANTS)
_POSITIONED = frozenset(name for name in _PREINDEXED if type(_SCHEMA[name].format) is Positions)


KEPT_WORDS = "_body_words"  # a prepared document's body words for the arrays (`index.arrays.body_words`)


def preindexed(doc: dict, straightforward: bool = False) -> dict:
    """The document with its text fields indexed already (`Preindexed`: what each field's `index()` gives), as
    `InvertingWriter` takes them: done where the article is analyzed, so the one writing process only files the
    postings away. `postings_of` makes them, `straightforward`: each field's own `index()`."""
    return {name: _preindexed(_SCHEMA[name], value, straightforward) if name in _PREINDEXED else value
            for name, value in doc.items()}


def _preindexed(field, value, straightforward: bool) -> Preindexed:
    lists = None if straightforward else postings_of(field, value)
    return Preindexed(field.index(value)) if lists is None else Preindexed.of_lists(*lists)


def numbered(doc: dict, analyzed: dict[str, list[AnalyzedToken]], numbering: Numbering,
             straightforward: bool = False) -> dict:
    """`preindexed`, in an analysis process: the text fields from their words' tokens (`analyzed`, each text field's)
    as that process's numbers of their keys (`Numbered`), and the keys it numbered first (FRESH). Every field's
    postings counted and encoded at once in numpy (`Numbering.packed`), or with `straightforward` (or where that
    declines) a field at a time by `numbered_postings_of`."""
    numbering.renew()
    fields = []
    for base, tokens in analyzed.items():
        if tokens:
            words = numbering.word_numbers(tokens, VARIANTS)
            fields.extend((field_name(base, kind), kind, words) for kind in VARIANTS)
    return _numbered_fields(doc, fields, numbering, straightforward)


def _numbered_fields(doc: dict, fields: list[tuple[str, str, np.ndarray]], numbering: Numbering,
                     straightforward: bool = False) -> dict:
    """`numbered`'s document from each text field's (name, variant, its words' numbers), its words numbered."""
    out = dict(doc)
    out.update(zip((name for name, _, _ in fields), _field_values(fields, numbering, straightforward)))
    out[FRESH] = numbering.fresh()
    return out


def _packed(fields: list[tuple[str, str, np.ndarray]], numbering: Numbering) -> list | None:
    """`Numbering.packed` of text fields given as (name, variant, its words' numbers), of one document or several;
    None where it declines."""
    if not _POSITIONED.issuperset(name for name, _, _ in fields):
        return None
    return numbering.packed([(kind, words, _SCHEMA[name].format.field_boost) for name, kind, words in fields])


def _field_values(fields: list[tuple[str, str, np.ndarray]], numbering: Numbering,
                  straightforward: bool = False) -> list:
    """The `Numbered` value of each of a document's text fields (`_numbered_fields`)."""
    packed = None if straightforward else _packed(fields, numbering)
    if packed is not None:
        return packed
    values = []
    for name, kind, words in fields:
        keys = numbering.keys[kind]
        lists = numbered_postings_of(_SCHEMA[name], [keys.of(word) for word in words.tolist()])
        if lists is None:
            raise ValueError(f"{name}: a text field without positions cannot be numbered")
        values.append(numbering.numbered(kind, *lists))
    return values


def prepare(article: Article, preindex: bool = False, straightforward: bool = False) -> Prepared:
    """Analyze an article once: its text fields for its document, title and body for its key-term candidates and
    its signature. `preindex`: the document's text fields as `preindexed` gives them (in an analysis process, as
    `numbered` does, from the process's `Vocabulary` unless `straightforward`), and its body's words for the
    segment's arrays (`KEPT_WORDS`)."""
    if preindex and _VOCABULARY is not None and not straightforward:
        return _VOCABULARY.prepare(article)
    analyzed = {base: analyze(text, article.language) if text else [] for base, text in _texts(article).items()}
    title, body = analyzed["title"], analyzed["body"]
    counts, words = candidates(title + body)
    doc = document(article, analyzed)
    if preindex:
        doc = preindexed(doc) if _NUMBERING is None else numbered(doc, analyzed, _NUMBERING)
        doc[KEPT_WORDS] = body_words(body, article.body)
    return Prepared(article.id, doc, counts, _most_used(words), signature(article, title, body))


def _most_used(words: dict[str, dict[str, int]]) -> dict[str, str]:
    """Each stem's most used word, from how often the text writes each (`candidates`).

    `max` is what `Counter.most_common(1)` runs (`heapq.nlargest` of one), the first word of the highest count,
    without the two calls around it (an eighth of a warm `prepare`)."""
    return {stem: max(c.items(), key=itemgetter(1))[0] for stem, c in words.items()}


class Vocabulary:
    """An analysis process's words, as `prepare` takes them from a text: each word as written (and the text's
    language) looked up in a dictionary to its number in the process's `Numbering`, and what the build needs of a
    word (its keys, whether it may be a key term, what it adds to a translation's signature, its length as written)
    worked out the first time the process meets it and kept by that number. `prepare` through it gives what
    `prepare` gives from the tokens `analyze` makes, without a token for each word (making them, looking each one up
    again to number it, and walking them for the candidates and the signature were most of an analysis process's
    time besides stemming: BENCHMARKS.md, sixteenth session); tests/test_writer.py holds the two equal.

    The numbers and what is kept by them begin anew with the `Numbering`'s series (`Numbering.renew`)."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.series = None

    def _begin(self) -> None:
        """A new series: nothing known."""
        self.series = self.numbering.series
        self.surfaces: dict[str, dict[str, int]] = {}  # a text's language → a word as written → its number, or -1
        self.candidate: list[tuple[str, str] | None] = []  # by number: (normalized word, stem) if `is_candidate`
        self.mark: list[tuple[str | None, bool]] = []  # by number: `word_mark`
        self.lengths = array("q")  # by number: the word's length as written

    def numbers(self, text: str, language: str) -> tuple[list[int], list[int], np.ndarray]:
        """Where each word of `text` (`analysis.words`) starts and ends, and its number (-1: a word that normalizes
        to nothing, which `analyze` leaves out); words first met numbered in the order they stand."""
        spans = word_spans(text)
        if not spans:
            return [], [], np.empty(0, dtype=np.int64)
        starts, ends, surfaces = zip(*spans)
        known = self.surfaces.get(language)
        if known is None:
            known = self.surfaces[language] = {}
        numbers = list(map(known.get, surfaces))
        if None in numbers:
            for i, surface in enumerate(surfaces):
                if numbers[i] is None:
                    number = known.get(surface)
                    numbers[i] = known[surface] = self._new(surface, language) if number is None else number
            self.numbering.flush()
        return list(starts), list(ends), np.array(numbers, dtype=np.int64)

    def _new(self, surface: str, language: str) -> int:
        word = analyzed_surface(surface, language)
        if word is None:
            return -1
        original, text, stem_keys, fold_keys, latin_keys, lang = word
        number = self.numbering.word_number(original, lang, [(text,), stem_keys, fold_keys, latin_keys], VARIANTS)
        if number == len(self.candidate):
            self.candidate.append((text, stem_keys[0]) if is_candidate(text, stem_keys[0]) else None)
            self.mark.append(word_mark(text, original, lang))
            self.lengths.append(len(original))
        elif number > len(self.candidate):
            raise RuntimeError("a Numbering's words were numbered outside its Vocabulary")
        return number

    def prepare(self, article: Article) -> Prepared:
        """`prepare(article, preindex=True)`, from the words' numbers."""
        return self.prepare_many([article])[0]

    def prepare_many(self, articles: list[Article]) -> list[Prepared]:
        """`prepare` of each of `articles`, in order: their words numbered article after article (each document's
        FRESH entry the keys it numbered first), then every text field of them all counted and encoded by one
        `Numbering.packed` (its numpy calls cost more by the call than by the posting: a document's sixteen fields
        at a time, some 1 ms a document, were a seventh of an analysis process: BENCHMARKS.md, twenty-fourth
        session); where it declines, each document's fields on their own (`_field_values`). One series for them
        all: a new one only begins before them."""
        self.numbering.renew()
        if self.series != self.numbering.series:
            self._begin()
        started, fields = [], []
        for article in articles:
            doc = {name: value for name, value in _plain_fields(article).items() if value is not None and value != []}
            own, kept = [], {}
            for base, text in _texts(article).items():
                starts, ends, numbers = self.numbers(text, article.language) if text else ([], [], np.empty(0, int))
                here = numbers >= 0
                kept[base] = (numbers[here], here, starts, ends)
                if here.any():
                    own.extend((field_name(base, kind), kind, kept[base][0]) for kind in VARIANTS)
            started.append((article, doc, own, kept, self.numbering.fresh()))
            fields.extend(own)
        values = _packed(fields, self.numbering) if fields else None
        out, at = [], 0
        for article, doc, own, kept, fresh in started:
            if values is not None:
                doc.update(zip((name for name, _, _ in own), values[at:at + len(own)]))
                at += len(own)
            else:
                doc.update(zip((name for name, _, _ in own), _field_values(own, self.numbering)))
            doc[FRESH] = fresh
            doc[KEPT_WORDS] = self._body_words(*kept["body"])
            title, body = kept["title"][0], kept["body"][0]
            counts, stems = self._candidates(np.concatenate([title, body]))
            out.append(Prepared(article.id, doc, counts, _most_used(stems),
                                self._signature(kept["title"], kept["body"])))
        return out

    def _body_words(self, numbers: np.ndarray, here: np.ndarray, starts: list[int], ends: list[int]):
        """`arrays.body_words` of the body's kept words."""
        pairs = np.empty((len(numbers), 2), dtype=np.int32)
        if len(numbers):
            pairs[:, 0] = np.array(starts)[here]
            pairs[:, 1] = np.array(ends)[here]
        # A word joined across a line-break hyphen spans more than its letters (`analysis.words`).
        written = np.frombuffer(self.lengths, dtype=np.int64)[numbers]
        joined = bool((pairs[:, 1] - pairs[:, 0] != written).any())
        return pairs.tobytes(), joined

    def _candidates(self, numbers: np.ndarray) -> tuple[Counter, dict[str, dict[str, int]]]:
        """`keyterms.candidates` of the words `numbers`, each distinct word once, in the order they first stand."""
        distinct, first, counts = np.unique(numbers, return_index=True, return_counts=True)
        order = np.argsort(first)
        candidate = self.candidate
        return counted_candidates([candidate[n] for n in distinct[order].tolist()], counts[order].tolist())

    def _signature(self, title, body) -> frozenset[str]:
        """`translations.signature` of the kept title and body words."""
        marks, mark = set(), self.mark
        for (numbers, here, _, _), opens in ((title, True), (body, not len(title[0]))):
            distinct = set(numbers.tolist())
            if opens and len(here) and here[0] and mark[numbers[0]][1] and numbers[0] not in numbers[1:]:
                distinct.discard(int(numbers[0]))  # a name that only opens the text
            marks.update(mark[n][0] for n in distinct if mark[n][0] is not None)
        return frozenset(marks)


# An analysis process's numbers for its terms (`index.writer.Numbering`) and its words (`Vocabulary`), made anew in
# each process of each pool: `InvertingWriter` takes a pool's results in the order they were made, as `Numbered`
# values need. None in the writing process itself, whose values it files straight away.
_NUMBERING: Numbering | None = None
_VOCABULARY: Vocabulary | None = None


def _analysis_process() -> None:
    """A pool process's start: no cycle collection (`_no_cycle_collection`), and numbers of its own."""
    global _NUMBERING, _VOCABULARY
    gc.disable()
    _NUMBERING = Numbering()
    _VOCABULARY = Vocabulary(_NUMBERING)


def _workers() -> int:
    """Processes that analyze while this one writes: IZDE_BUILD_WORKERS, else one per core (filing the analyzed
    postings away takes this process a few milliseconds an article: `index.writer`)."""
    return _setting("IZDE_BUILD_WORKERS", int, os.cpu_count() or 1, "a number of processes")


def _for_writing(articles: list[Article], preindex: bool = False) -> list[Prepared]:
    """`prepare` of each of `articles` (a task of the analysis pool; with the process's `Vocabulary`, all at once:
    `Vocabulary.prepare_many`), in an analysis process, each with its row of the prepared table made there
    (`Prepared.row`) in place of its candidates and their words: pickled here and unpickled by the writing process
    only to be turned into that row there, they cost both processes more than the row (the JSON and the hash were
    some 3 s of the writing process's 25 s of CPU while 10,000 articles were analyzed: BENCHMARKS.md, twenty-first
    session)."""
    if preindex and _VOCABULARY is not None:
        items = _VOCABULARY.prepare_many(articles)
    else:
        items = [prepare(article, preindex=preindex) for article in articles]
    return [Prepared(item.id, item.doc, None, None, item.signature,
                     prepared_row(record_hash(article), item.candidates, item.words, item.signature))
            for article, item in zip(articles, items)]


def _prepared(articles: list[Article], preindex: bool = False) -> Iterator[Prepared]:
    """Each article prepared, in order: in worker processes when there are cores for them (analysis is most of a
    build; the one writer must stay in this process), each then with its row of the prepared table made there
    (`_for_writing`); in this process, without."""
    workers = _workers()
    if workers < 1 or len(articles) < POOL_FROM:
        yield from map(functools.partial(prepare, preindex=preindex), articles)
        return
    job = functools.partial(_for_writing, preindex=preindex)
    # At most AHEAD articles out and not yet taken: the pool's results wait in this process until they are, and
    # while the writer writes a segment (minutes, at 100,000 articles) the workers would go on filling its memory.
    window, stop = threading.Semaphore(AHEAD), threading.Event()

    def fed() -> Iterator[list[Article]]:  # read by the pool's task thread, which must not block forever once we stop
        task = []
        for article in articles:
            while not window.acquire(timeout=0.1):
                if stop.is_set():
                    return
            task.append(article)
            if len(task) == CHUNK:
                yield task
                task = []
        if task:
            yield task

    with multiprocessing.get_context("fork").Pool(workers, initializer=_analysis_process) as pool:
        try:
            for items in pool.imap(job, fed()):
                for item in items:
                    window.release()
                    yield item
        finally:
            stop.set()  # before the pool's exit, which waits for its task thread


def record_hash(article: Article) -> str:
    """A hash of everything indexed of an article: an update rewrites the article when it changes (its file, or
    what the whole archive decides for it — the issue from the calendar, the rubric's spelling)."""
    data = json.dumps(article.to_dict(), ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()


def _memory_limit() -> int:
    """Bytes of postings an `InvertingWriter` may hold before its segment is written and a new one begun:
    IZDE_BUILD_MEMORY_MB, else 2,048 MB (one segment at 10,000 articles)."""
    return int(_setting("IZDE_BUILD_MEMORY_MB", float, 2048, "a number of megabytes") * 1024 * 1024)


def _setting(name: str, kind, default, what: str):
    """An environment setting of the build, or `default`; one that is not `what` stops the build with a message."""
    configured = os.environ.get(name)
    if not configured:
        return default
    try:
        value = kind(configured)
    except ValueError:
        value = -1
    if value < 0:
        raise IndexUnavailable(f"{name} must be {what}, not {configured!r}")
    return value


def _add(writer, store: PreparedStore, articles: list[Article], renew: Callable[[], object] | None = None):
    """Analyze `articles` (in worker processes) and write each to the Whoosh writer and the prepared table; return
    the writer to commit. With `renew`, an `InvertingWriter` whose postings outgrow `_memory_limit()` commits its
    segment and `renew()` gives the writer of the next one, so a build's memory stays bounded however large the
    archive (the index then has several segments)."""
    limit = _memory_limit()
    # Each record's hash as its article comes back (or with its row, from an analysis process), while the pool
    # analyzes the next ones (hashing them all first kept the pool waiting a second at 10,000 articles).
    for article, item in zip(articles, _prepared(articles, preindex=isinstance(writer, InvertingWriter))):
        if item.id != article.id:
            raise RuntimeError(f"the analysis gave {item.id} where {article.id} was due")
        writer.add_document(**item.doc)
        store.add(item.id, item.row or prepared_row(record_hash(article), item.candidates, item.words, item.signature))
        if renew is not None and isinstance(writer, InvertingWriter) and writer.pool.over(limit):
            _commit(writer, merge=False)
            received = writer.received
            writer = renew()
            writer.received = received
    return writer


def _commit(writer, **options) -> None:
    """Commit a Whoosh writer; one whose commit fails is cancelled (its files closed, its lock released), as
    Whoosh's own `with writer:` does, before the error goes on."""
    try:
        writer.commit(**options)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise


def _finish_links(store: PreparedStore, articles: list[Article]) -> None:
    """Key terms (tf·idf against the whole archive's document frequencies) and twins, from the prepared table."""
    df, signatures = Counter(), {}
    for article_id, counts, _words, sig in store.rows(words=False):
        df.update(counts.keys())
        signatures[article_id] = sig
    translations = link_translations(articles, signatures)
    store.write_links([(article_id, [(k.stem, k.word, k.weight) for k in
                                     key_terms_from(counts, words, df, len(signatures))], translations.get(article_id))
                       for article_id, counts, words, _sig in store.rows()])


@contextmanager
def _links_alongside(store: PreparedStore, articles: list[Article], directory: Path):
    """`_finish_links` in a thread of its own, on a connection of its own, while the caller writes the segment: the
    segment's writing leaves this process's core idle for a third of its time (its processes write the postings and
    arrays, and this one waits for them), and key terms are a single process's work (7 s at 10,000 articles). The
    thread's error, if any, is raised when the caller is done. Only for a build of one segment: a build past the
    memory limit would hold the key terms' tables on top of its last segment's postings (a 100,000-article build
    with them beside its writing peaked at 13.8 GB resident; the thirteenth session's, without, at 12.3 GB)."""
    store.commit()  # the thread's connection reads what this one wrote

    def finish() -> None:
        own = PreparedStore(directory, create=False)
        try:
            _finish_links(own, articles)
        finally:
            own.close()

    with ThreadPoolExecutor(1, thread_name_prefix="izde-links") as pool:
        done = pool.submit(finish)
        yield
        done.result()


def _writer(ix, straightforward: bool = False):
    """The index's writer: `InvertingWriter` (Whoosh's segment writer with the postings inverted in memory: the same
    files, written several times faster), or with `straightforward` Whoosh's own, posting by posting through its
    pool (tests compare the two; `IZDE_WHOOSH_WRITER=1` chooses it too)."""
    if straightforward or os.environ.get("IZDE_WHOOSH_WRITER") == "1":
        return ix.writer(timeout=WRITER_TIMEOUT, procs=1, limitmb=256, compound=False)
    return InvertingWriter(ix, timeout=WRITER_TIMEOUT, compound=False)


def _arrays_from_memory(writer, directory: Path) -> None:
    """Have an `InvertingWriter` make its segment's arrays from its postings as it writes them (`index.arrays
    .ArraysWriter`); `write_arrays` writes any segment's that are still missing after the commit."""
    if isinstance(writer, InvertingWriter):
        writer.keep = KEPT_WORDS
        writer.arrays = ArraysWriter(directory)


@contextmanager
def _no_cycle_collection():
    """Python's cyclic garbage collector off while a build makes its millions of small objects (tokens, postings,
    term entries): each of its full collections walks every object the process holds, which cost a build a sixth of
    its time (1,000 articles 55.2 → 45.2 s, 10,000 articles 453 → 380 s: BENCHMARKS.md). What the build makes has
    no reference cycles to collect; one collection at the end takes whatever there is. Used as a decorator."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        gc.collect()


@_no_cycle_collection()
def write_index(articles: list[Article], directory: Path, straightforward: bool = False) -> None:
    """Write `articles` into a new Whoosh index in `directory` (one writer process: see README, design notes);
    `straightforward`: with Whoosh's own writer (`_writer`).

    One pass analyzes and writes each article; what needs the whole archive (document frequencies for key
    terms, signatures for linking translations) waits in the prepared table of `index.links`, so memory does not
    grow with the archive's text, and key terms and twins go to the same file at the end.
    """
    directory.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(directory), make_schema())
    # Not a compound segment: Whoosh 2.7.4 reads each file of a compound segment into memory (BytesIO over the
    # mapped file) for every searcher it opens — 1.7 GB a searcher at 10,000 articles; separate files are read
    # on demand.
    live = []  # the writer of the segment being written (a new one past the memory limit: `_add`)

    def renew():
        live[:] = [_writer(ix, straightforward)]
        _arrays_from_memory(live[0], directory)
        return live[0]

    first = renew()
    store = PreparedStore(directory)
    try:
        _add(first, store, articles, renew)
    except BaseException:
        if not live[0].is_closed:  # (a segment's commit that failed cancelled its writer)
            live[0].cancel()
        store.close()
        raise
    # One segment (optimize); past the memory limit the segments stay as written (merging them would hold all their
    # postings at once again).
    one_segment = live[0] is first

    def last_segment() -> None:
        _commit(live[0], optimize=one_segment, merge=False)
        write_arrays(directory, ix)
        ix.close()

    if one_segment:  # key terms beside the writing; past the memory limit after it, not on top of its memory
        with _links_alongside(store, articles, directory):
            last_segment()
    else:
        last_segment()
        _finish_links(store, articles)
    store.close()


class IndexBusy(IndexUnavailable):
    """Another build or update of the same index is running."""


@contextmanager
def build_lock(index_path: Path):
    """Hold the index's build lock, or raise `IndexBusy` at once. While held, no other build or update runs, so
    what earlier builds left half-written is cleaned up here."""
    index_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(index_path.parent / f".{index_path.name}.lock", "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise IndexBusy(f"another build or update of {index_path} is running ({holder}); "
                        "try again when it has finished") from None
    try:
        handle.truncate(0)
        handle.write(f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        _clean_partial(index_path)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _new_build_dir(index_path: Path) -> Path:
    builds = index_path.parent / (index_path.name + ".builds")
    builds.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    return builds / stamp


def _new_build(index_path: Path, paths: list[Path], result, write: Callable[[Path], None]) -> Path:
    """Write a new build with `write(target)`, then finish it and swap it in; a build that fails is removed. An
    archive in which no article was found (every file skipped, or the wrong folder) is refused, and the index is left
    as it was: an index of no documents would only replace a good one (and Whoosh reads it with an empty reader that
    search cannot use)."""
    if not result.articles:
        skipped = "; ".join(str(p) for p in result.skipped[:3]) + ("; …" if len(result.skipped) > 3 else "")
        raise IndexUnavailable(f"no article found in {', '.join(map(str, paths))} ({result.files} files, "
                               f"{len(result.skipped)} skipped{': ' + skipped if skipped else ''}); "
                               "the index is left as it was")
    target = _new_build_dir(index_path)
    try:
        write(target)
        _finish_build(index_path, target, len(result.articles), len(result.skipped), paths)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _later(name: str) -> bool:
    """A file kept in a finished build by another layer (`RELATED_FILE` and SQLite's files beside it)."""
    return name.startswith(RELATED_FILE)


def _finish_build(index_path: Path, target: Path, articles: int, skipped: int, paths: list[Path]) -> None:
    """Write the meta file (the last file of a build: a build without one is unfinished), swap it in, prune."""
    meta = {"schema_version": SCHEMA_VERSION, "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "articles": articles, "skipped": skipped, "sources": [str(p) for p in paths],
            "files": {f.name: f.stat().st_size for f in sorted(target.iterdir())
                      if f.is_file() and not f.name.startswith(".") and not _later(f.name)}}
    (target / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    _fsync_dir(target)
    _swap(index_path, target)
    _prune(target.parent, keep=target)


def build_index(paths: list[Path], index_path: Path | None = None,
                progress: Callable[[Path], None] | None = None) -> BuildReport:
    """Read the archive at `paths` and swap a freshly built index in at `index_path`."""
    started = time.perf_counter()
    index_path = Path(index_path or default_index_dir())
    with build_lock(index_path):
        result = read_archive(paths, progress=progress)
        target = _new_build(index_path, paths, result, lambda target: write_index(result.articles, target))
    return BuildReport(indexed=len(result.articles), problems=result.problems,
                       seconds=time.perf_counter() - started, path=target, files=result.files, items=result.items)


@dataclass
class UpdateReport(BuildReport):
    """What an update did: `indexed` counts the articles (re)written; a full rebuild says why in `rebuilt`."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: str | None = None


def _current_build(index_path: Path) -> tuple[Path | None, str | None]:
    """The build an update can start from, or (None, why a full build is needed instead)."""
    if not (index_path / META_FILE).exists():
        return None, "there was no index yet"
    try:
        open_index(index_path).close()
    except IndexUnavailable as exc:
        return None, str(exc)
    current = Path(os.path.realpath(index_path))
    if not record_hashes(current):
        return None, "the index was built before updates were possible"
    return current, None


def update_index(paths: list[Path], index_path: Path | None = None,
                 progress: Callable[[Path], None] | None = None) -> UpdateReport:
    """Bring the index at `index_path` up to date with the archive at `paths`, in a new build swapped in.

    The whole archive is read (the reader is cheap; the issue calendar and the rubrics' spellings need every
    page), but only articles whose record changed are analyzed and written: new and changed ones are added,
    those whose files are gone are deleted, the rest stay in the segments they are in (the new build starts as
    hard links to the current one's files, which Whoosh never changes). Key terms and twins are recomputed from
    the prepared table — arithmetic, not analysis. Related lists are computed on demand for each index version.
    With no index, one from another schema version or a damaged one, or when most articles changed or went
    (`REBUILD_FROM`), this is a full build (`rebuilt` says why).
    """
    started = time.perf_counter()
    index_path = Path(index_path or default_index_dir())
    with build_lock(index_path):
        current, why = _current_build(index_path)
        result = read_archive(paths, progress=progress)
        if current is None:
            target = _new_build(index_path, paths, result, lambda target: write_index(result.articles, target))
            return UpdateReport(indexed=len(result.articles), problems=result.problems, path=target,
                                seconds=time.perf_counter() - started, added=len(result.articles), rebuilt=why,
                                files=result.files, items=result.items)
        old = record_hashes(current)
        new = {a.id: record_hash(a) for a in result.articles}
        write = [a for a in result.articles if old.get(a.id) != new[a.id]]
        removed = sorted(set(old) - set(new))
        report = UpdateReport(indexed=len(write), problems=result.problems, path=current,
                              files=result.files, items=result.items,
                              added=sum(a.id not in old for a in write), changed=sum(a.id in old for a in write),
                              removed=len(removed), unchanged=len(new) - len(write))
        stale = report.changed + report.removed  # copies the update would leave in the index, deleted
        if stale >= REBUILD_FROM and 2 * stale > len(old):
            report.rebuilt = (f"{stale} of the index's {len(old)} articles changed or went (a moved archive changes "
                              "them all): a new build leaves no deleted copies for every search to step over")
            report.indexed = len(result.articles)
            report.path = _new_build(index_path, paths, result, lambda target: write_index(result.articles, target))
        elif write or removed:
            report.path = _new_build(index_path, paths, result,
                                     lambda target: _write_update(current, target, result.articles, write, removed))
    report.seconds = time.perf_counter() - started
    return report


@_no_cycle_collection()
def _write_update(current: Path, target: Path, articles: list[Article], write: list[Article],
                  removed: list[str]) -> None:
    target.mkdir(parents=True)
    for f in current.iterdir():  # Whoosh's files: segments are written once and never changed
        if (f.is_file() and f.name not in (META_FILE, LINKS_FILE) and not _later(f.name)
                and not f.name.endswith("LOCK") and not f.name.startswith(".")):
            try:
                os.link(f, target / f.name)
            except OSError:  # another file system, or no hard links there
                shutil.copy2(f, target / f.name)
    ix = whoosh_index.open_dir(str(target))
    writer = _writer(ix)
    _arrays_from_memory(writer, target)
    store = PreparedStore(target)
    try:
        rewritten = {a.id for a in write}
        store.copy_from(current, (a.id for a in articles if a.id not in rewritten))
        for article_id in [*removed, *rewritten]:
            writer.delete_by_term("id", article_id)
        _add(writer, store, write)
    except BaseException:
        writer.cancel()
        store.close()
        raise
    _commit(writer)  # Whoosh merges small segments as it sees fit
    write_arrays(target, ix)  # for the new segments (the kept ones have theirs; merged ones went with them)
    ix.close()
    _finish_links(store, articles)
    store.close()


def _fsync_dir(directory: Path) -> None:
    """Make a finished build's files durable before the link points at it."""
    for f in directory.iterdir():
        if f.is_file():
            with open(f, "rb") as handle:
                os.fsync(handle.fileno())


def _swap(index_path: Path, target: Path) -> None:
    if index_path.exists() and not index_path.is_symlink():
        if not (index_path / META_FILE).exists() and any(index_path.iterdir()):
            raise IndexUnavailable(f"{index_path} exists and is not an Izde index; choose another --index directory")
        shutil.rmtree(index_path)
    link = index_path.parent / f".{index_path.name}.swap-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(os.path.relpath(target, index_path.parent))
    os.replace(link, index_path)


def _prune(builds: Path, keep: Path) -> None:
    """Keep the last KEEP_BUILDS finished builds, and any older one that a server still answers from."""
    done = sorted((p for p in builds.iterdir() if p.is_dir() and (p / META_FILE).exists()), key=lambda p: p.name)
    for old in done[:-KEEP_BUILDS]:
        if old != keep and not _in_use(old):
            shutil.rmtree(old, ignore_errors=True)


def hold_build(index_path: Path):
    """Mark the build that `index_path` leads to as in use (a shared lock on its IN_USE file) for as long as the
    returned file stays open, so that no later build or update deletes it: `izde serve` holds the one it answers
    from. None if the build cannot be marked (it is then kept only as one of the last KEEP_BUILDS)."""
    try:
        handle = open(Path(os.path.realpath(index_path)) / IN_USE, "a")
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return handle
    except OSError:
        return None


def _in_use(build: Path) -> bool:
    try:
        with open(build / IN_USE, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(handle, fcntl.LOCK_UN)
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False


def _clean_partial(index_path: Path) -> None:
    """Remove what killed builds left: build folders without a meta file, and swap links never renamed. Called
    only under the build lock, when no build is running."""
    builds = index_path.parent / (index_path.name + ".builds")
    current = os.path.realpath(index_path)
    if builds.is_dir():
        for partial in builds.iterdir():
            if partial.is_dir() and not (partial / META_FILE).exists() and str(partial.resolve()) != current:
                shutil.rmtree(partial, ignore_errors=True)
    for link in index_path.parent.glob(f".{index_path.name}.swap-*"):
        link.unlink(missing_ok=True)


class MappedStorage(FileStorage):
    """Whoosh's `FileStorage` with its files read through memory maps. Whoosh reads the term index, postings and
    stored fields a few bytes at a time, a seek and a read each: system calls, each of which lets another thread
    take the interpreter, so that under load a search waited for it at every read. A mapped file's read is a copy
    in memory. The files of an index never change once written, and a mapped file shares the page cache."""

    def open_file(self, name, **kwargs):
        with open(self._fpath(name), "rb") as file:
            try:
                mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
        return StructFile(mapped, name=name, **kwargs)


def open_index(index_path: Path | None = None):
    """Open the index for searching; raise `IndexUnavailable` with what to do when there is none or it is outdated."""
    index_path = Path(index_path or default_index_dir())
    meta_path = index_path / META_FILE
    if not meta_path.exists() or not whoosh_index.exists_in(str(index_path)):
        raise IndexUnavailable(f"no index at {index_path}; build one with `izde index build`")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise IndexUnavailable(f"the index at {index_path} is damaged (its {META_FILE} cannot be read); "
                               "rebuild it with `izde index build`") from None
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexUnavailable(f"the index at {index_path} was built by another version of Izde; "
                               "rebuild it with `izde index build`")
    for name, size in (meta.get("files") or {}).items():  # a truncated or deleted file: say so now, not mid-search
        path = index_path / name
        actual = path.stat().st_size if path.is_file() else None
        if actual != size:
            state = "is missing" if actual is None else f"has {actual} bytes, not {size}"
            raise IndexUnavailable(f"the index at {index_path} is damaged ({name} {state}); "
                                   "rebuild it with `izde index build`")
    try:
        return MappedStorage(str(index_path.resolve())).open_index()
    except Exception as exc:  # Whoosh's own errors on a damaged table of contents
        raise IndexUnavailable(f"the index at {index_path} cannot be opened ({type(exc).__name__}: {exc}); "
                               "rebuild it with `izde index build`") from None

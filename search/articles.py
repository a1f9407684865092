"""One article and its neighbours: the whole record, related articles (more-like-this), and how well related
articles agree with the editors' own «Окшош материалы» lists (recall@10)."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import sqlite3
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as Q

from index.build import RELATED_FILE
from index.links import Links

from . import scoring
from .columns import LruCache, index_version, one_version, shared_searcher
from .serialize import plain

RELATED_LIMIT = 10
PARALLEL_RELATED = 2000  # articles from which `store_related` computes the lists in one process per core
TITLE_WEIGHT = 1.5  # a key term in the other article's title counts this much more than in its body


@dataclass
class ArticleView:
    """An article as stored, with its key terms and the id and title of its other-language twin."""

    id: str
    title: str
    body: str
    language: str
    kind: str
    date: str | None
    year: int | None
    issue: str | None
    section: str | None
    url: str | None
    source: str
    authors: list[dict]
    related: list[dict]
    keyterms: list[str]
    translation: dict | None = None
    title_derived: bool = False  # the page had no title: this one is its first sentence

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RelatedArticle:
    id: str
    title: str
    date: str | None
    issue: str | None
    language: str
    score: float
    shared: list[str]  # the key terms both articles have, as the first article writes them


@dataclass
class Evaluation:
    """How many of the editors' related articles (those in the index) the top 10 contains."""

    articles: int = 0
    listed: int = 0
    found: int = 0
    per_article: list[dict] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.listed if self.listed else 0.0

    def to_dict(self) -> dict:
        return {"articles": self.articles, "listed": self.listed, "found": self.found,
                "recall_at_10": round(self.recall, 4), "per_article": self.per_article}


def _stored(searcher, article_id: str) -> dict | None:
    return searcher.document(id=article_id)


@one_version
def get_article(ix, article_id: str) -> ArticleView | None:
    """Return the whole article, or None when no article has that id."""
    searcher = shared_searcher(ix)
    doc = _stored(searcher, article_id)
    if doc is None:
        return None
    keyterms, translation = _links(ix).get(article_id)
    twin = _stored(searcher, translation) if translation else None
    return ArticleView(
        id=doc["id"], title=doc["title"], body=doc.get("body", ""), language=doc.get("language"),
        kind=doc.get("kind"), date=doc.get("date"), year=doc.get("year"),
        issue=doc.get("issue"), section=doc.get("section"), url=doc.get("url"), source=doc.get("source", ""),
        authors=doc.get("authors") or [], related=doc.get("related") or [],
        keyterms=[word for _stem, word, _w in keyterms],
        translation={"id": twin["id"], "title": twin["title"], "language": twin["language"]} if twin else None,
        title_derived=bool(doc.get("title_derived")))


def _norm_title(title: str) -> str:
    return re.sub(r"\W+", " ", title).strip().lower()


_RELATED = LruCache(2048)
_LINKS = LruCache(4)
_STORED = LruCache(4)


def _links(ix) -> Links:
    """Key terms and twins of the index version `ix` reads (`index.links`)."""
    return _LINKS.get_or_make(index_version(ix), lambda: Links(Path(ix.storage.folder)))



@one_version
def related(ix, article_id: str, limit: int = RELATED_LIMIT, cache: bool = True,
            fast: bool = True) -> list[RelatedArticle] | None:
    """The `limit` articles most like this one, by its key terms; never itself, its duplicates or its twin.

    Returns None when no article has that id. Answers are kept per index version (`cache=False` computes afresh).
    `fast` scores the key terms in numpy (`search.scoring`); `fast=False` asks Whoosh for its top N, and the tests
    hold both equal.
    """
    version = index_version(ix)
    if not (cache and fast):
        return _related(shared_searcher(ix), _links(ix), article_id, limit, version if fast else None)
    if limit == RELATED_LIMIT:
        stored = _STORED.get_or_make(version, lambda: StoredRelated(version)).get(article_id)
        if stored is not None:
            return stored
    return _RELATED.get_or_make((version, article_id, limit),
                                lambda: _related(shared_searcher(ix), _links(ix), article_id, limit, version))


class StoredRelated:
    """The related lists `store_related` kept for one index version: read only where the file says it was made
    for this very version (its folder's generation and `RELATED_LIMIT`), so a list is never served from an older
    index; an article it lacks is computed as usual."""

    def __init__(self, version) -> None:
        self._local = threading.local()  # a connection for each thread that asks
        self._file = Path(version.folder) / RELATED_FILE
        self._made = (version.generation, RELATED_LIMIT)
        self._path: Path | None = None  # the file, once it is known to be this version's
        self._seen = None  # the file's modification time when it was last looked at

    def _ready(self) -> bool:
        """Whether this version's file is there. A server opens a new build before `izde index build` has stored
        its lists, so the file is looked for again whenever it changes."""
        if self._path is None:
            try:
                changed = self._file.stat().st_mtime_ns
            except OSError:
                return False
            if changed != self._seen:
                self._seen = changed
                if _made_for(self._file) == self._made:
                    self._path = self._file
        return self._path is not None

    def get(self, article_id: str) -> list[RelatedArticle] | None:
        if not self._ready():
            return None
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True)
        row = db.execute("SELECT articles FROM related WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else [RelatedArticle(**a) for a in json.loads(row[0])]


def _made_for(path: Path) -> tuple[int, int] | None:
    """(generation, limit) of a stored related file; None for one that cannot be read."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return tuple(db.execute("SELECT generation, size FROM made").fetchone())
        finally:
            db.close()
    except (sqlite3.Error, TypeError):
        return None


def _count(path: Path) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM related").fetchone()[0]
    finally:
        db.close()


def store_related(ix, processes: int | None = None) -> int:
    """Compute every article's related list for the index version `ix` reads and keep them beside it
    (`related.sqlite`), so that an article's first view reads its list instead of computing it (15–45 ms at 10,000
    articles). `izde index build` and `izde index update` call it once the index is written. Returns how many
    articles it stored. The file is written whole and then renamed into place. The lists are computed in
    `processes` worker processes, each with the index opened afresh (default: one per core from PARALLEL_RELATED
    articles on; the same lists as in one, tested)."""
    version = index_version(ix)
    path = Path(version.folder) / RELATED_FILE
    if _made_for(path) == (version.generation, RELATED_LIMIT):  # an update that changed nothing
        return _count(path)
    reader = shared_searcher(ix).reader()
    # The live documents' numbers: each list's process reads the article's id and title with the few fields the
    # lists show of it (`_Kept`), where reading every document's stored fields here first took half a second.
    docnums = [docnum for docnum in range(reader.doc_count_all()) if not reader.is_deleted(docnum)]
    if processes is None:
        processes = (os.cpu_count() or 1) if len(docnums) >= PARALLEL_RELATED else 1
    chunks = [docnums[i:i + 100] for i in range(0, len(docnums), 100)]
    part = path.with_name(f"{RELATED_FILE}.part-{os.getpid()}")  # two processes storing at once never share one
    part.unlink(missing_ok=True)
    db = sqlite3.connect(part)
    try:
        db.execute("CREATE TABLE made (generation INTEGER NOT NULL, size INTEGER NOT NULL)")
        db.execute("INSERT INTO made VALUES (?, ?)", (version.generation, RELATED_LIMIT))
        db.execute("CREATE TABLE related (id TEXT PRIMARY KEY, articles TEXT NOT NULL)")
        stored = 0
        if processes > 1:
            # Started afresh ("spawn"): a forked worker would inherit this process's caches of the index, open files
            # whose read positions the processes would share.
            context = multiprocessing.get_context("spawn")
            with context.Pool(processes, initializer=_open_for_lists, initargs=(version,)) as pool:
                for rows in pool.imap(_lists_in_worker, chunks):
                    db.executemany("INSERT OR REPLACE INTO related VALUES (?, ?)", rows)
                    stored += len(rows)
        else:
            try:
                for chunk in chunks:
                    rows = _lists(ix, chunk)
                    db.executemany("INSERT OR REPLACE INTO related VALUES (?, ?)", rows)
                    stored += len(rows)
            finally:
                _KEPT.clear()  # a worker's dies with it; this process lets go of the searcher and the links
                scoring.let_go_lexicons()
        db.commit()
    finally:
        db.close()
    os.replace(part, path)
    return stored


class _Kept:
    """What the lists of a whole index read of an article again and again, kept for one index version: the stored
    fields a list shows of it (by document number) and its key terms and twin (`Links.get`). An article stands in
    some thirty candidate lists, and reading these afresh each time was a sixth of `store_related` (BENCHMARKS.md,
    sixteenth session). At most KEPT articles' of each (by estimate a few tens of megabytes: 25 key terms an
    article)."""

    KEPT = 10_000

    def __init__(self, version, searcher, links: Links) -> None:
        self.version, self._searcher, self._links = version, searcher, links
        self._fields, self._terms = LruCache(self.KEPT), LruCache(self.KEPT)

    def stored_fields(self, docnum: int) -> dict:
        def shown() -> dict:
            fields = self._searcher.stored_fields(docnum)
            return {"id": fields["id"], "title": fields["title"],
                    **{name: fields.get(name) for name in ("date", "issue", "language")}}
        return self._fields.get_or_make(docnum, shown)

    def get(self, article_id: str):
        return self._terms.get_or_make(article_id, lambda: self._links.get(article_id))


_KEPT: list[_Kept] = []  # the one `_Kept` of the index version `_lists` last read


def _lists(ix, docnums: list[int]) -> list[tuple[str, str]]:
    """(id, its related list as JSON) for the article of each of `docnums` (live documents of `ix`): `_related`,
    reading the articles it shows through a `_Kept` (the tests hold the lists equal to `related` computed by
    Whoosh)."""
    version = index_version(ix)
    searcher = shared_searcher(ix)
    if not _KEPT or _KEPT[0].version != version or _KEPT[0]._searcher is not searcher:
        _KEPT[:] = [_Kept(version, searcher, _links(ix))]
        # Most of the lists' terms are asked by no other list: read from the term file one by one, they were a
        # sixth of `store_related` (BENCHMARKS.md, eighteenth session).
        scoring.hold_lexicons(searcher, version, ("body_stem", "title_stem"))
    kept = _KEPT[0]
    rows = []
    for docnum in docnums:
        doc = kept.stored_fields(docnum)
        found = _related(searcher, kept, doc["id"], RELATED_LIMIT, version, shown=kept.stored_fields, doc=doc)
        if found is not None:
            rows.append((doc["id"], json.dumps(plain(found), ensure_ascii=False)))
    return rows


_WORKER_INDEX = []  # in a worker process of `store_related`: the index it opened


def _open_for_lists(version) -> None:
    """A worker's start: the index of `version`, whose document numbers its lists are asked by."""
    ix = whoosh_index.open_dir(version.folder)
    if index_version(ix) != version:
        raise RuntimeError(f"{version.folder} was committed to while its related lists were being made")
    _WORKER_INDEX[:] = [ix]


def _lists_in_worker(docnums: list[int]) -> list[tuple[str, str]]:
    return _lists(_WORKER_INDEX[0], docnums)


def _top(searcher, terms: list, limit: int, version) -> list[tuple[float, int]]:
    """The first `limit` (score, docnum) of `Or(terms)` by score, lower docnum first among equals, as Whoosh's
    top-N collector orders them: from Whoosh's search, or (with an index `version`) from `search.scoring`."""
    if version is None:
        return [(hit.score, hit.docnum) for hit in searcher.search(Q.Or(terms), limit=limit)]
    docs, scores = scoring.terms_matches(searcher, terms, version)
    if len(docs) > limit:
        floor = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        docs, scores = docs[scores >= floor], scores[scores >= floor]
    order = np.lexsort((docs, -scores))[:limit]
    return [(float(scores[i]), int(docs[i])) for i in order]


def _related(searcher, links, article_id: str, limit: int, version,
             shown=None, doc: dict | None = None) -> list[RelatedArticle] | None:
    """`related`, computed. `links`: what gives an article's key terms and twin (`Links`, or `_Kept`); `shown`:
    what reads a listed article's stored fields (`searcher.stored_fields`); `doc`: the article's stored fields
    (its title at least) where they have been read."""
    shown = shown or searcher.stored_fields
    doc = doc or _stored(searcher, article_id)
    if doc is None:
        return None
    terms, translation = links.get(article_id)
    if not terms:
        return []
    clauses = []
    for stem, _word, weight in terms:
        clauses.append(Q.Term("body_stem", stem, boost=weight))
        clauses.append(Q.Term("title_stem", stem, boost=weight * TITLE_WEIGHT))
    own_title = _norm_title(doc["title"])
    exclude = {article_id, translation}
    results = _top(searcher, clauses, limit * 3 + 5, version)
    out: list[RelatedArticle] = []
    mine = {stem: word for stem, word, _w in terms}
    seen_titles = {own_title}
    for score, docnum in results:
        other = shown(docnum)
        title = _norm_title(other["title"])
        if other["id"] in exclude or title in seen_titles:
            continue  # itself, its other-language twin, or a copy of an article already listed
        seen_titles.add(title)
        theirs = {stem for stem, _w2, _x in links.get(other["id"])[0]}
        shared = [mine[stem] for stem, _word, _weight in terms if stem in theirs]
        out.append(RelatedArticle(other["id"], other["title"], other.get("date"), other.get("issue"),
                                  other.get("language"), round(float(score), 4), shared))
        if len(out) == limit:
            break
    return out


def evaluate_related(ix, limit: int = RELATED_LIMIT) -> Evaluation:
    """Grade related articles by the editors' lists: for every article whose «Окшош материалы» names articles
    that are in the index, count how many of those its top `limit` contains."""
    docs = list(shared_searcher(ix).all_stored_fields())
    by_title: dict[str, list[dict]] = {}
    for doc in docs:
        by_title.setdefault(_norm_title(doc["title"]), []).append(doc)

    def resolve(ref: dict) -> str | None:
        candidates = by_title.get(_norm_title(ref["title"]), [])
        if ref.get("date"):
            dated = [c for c in candidates if (c.get("date") or "")[:10] == ref["date"]]
            candidates = dated or candidates
        return candidates[0]["id"] if len(candidates) == 1 else None

    report = Evaluation()
    for doc in docs:
        targets = {t for ref in doc.get("related") or [] if (t := resolve(ref)) and t != doc["id"]}
        if not targets:
            continue
        got = {r.id for r in related(ix, doc["id"], limit) or []}
        report.articles += 1
        report.listed += len(targets)
        report.found += len(targets & got)
        report.per_article.append({"id": doc["id"], "title": doc["title"], "listed": len(targets),
                                   "found": len(targets & got)})
    return report

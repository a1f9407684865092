"""Build the Whoosh index from an archive, into a fresh directory swapped in atomically.

The index path is a symbolic link to the current build (`<path>.builds/<stamp>`). A build writes a new directory
and then replaces the link in one `rename`, so a failed or interrupted build leaves the previous index searchable,
and a searcher that is open on the previous build keeps its files (the last two builds are kept).
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import pickle
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from whoosh import index as whoosh_index

from .analysis import VARIANTS, AnalyzedToken, analyze
from .archive import Problem, read_archive
from .keyterms import candidates, key_terms_from
from .links import write_links
from .records import Article
from .schema import SCHEMA_VERSION, field_name, make_schema
from .translations import link_translations, signature

META_FILE = "izde.json"
KEEP_BUILDS = 2
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

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.skipped]


def _variants(tokens: list[AnalyzedToken]) -> dict[str, list]:
    """Each variant field's words: the exact words, and for the others each word's tuple of keys (`KeyedText`)."""
    return {kind: [t.text if kind == "exact" else t.keys(kind) for t in tokens] for kind in VARIANTS}


def document(article: Article, analyzed: dict[str, list[AnalyzedToken]] | None = None) -> dict:
    """The Whoosh document of an article: every text field analyzed once, fed to its four variant fields.

    `analyzed` may hold the tokens of some fields already (the indexer passes title and body, which it also
    needs for key terms).
    """
    analyzed = analyzed or {}
    doc = {
        "id": article.id, "source": article.source, "url": article.url,
        "date": article.date, "year": article.year, "issue": article.issue,
        "section": article.section, "language": article.language, "kind": article.kind,
        "author": ",".join(a.name for a in article.authors) or None,
        "authors": [{"name": a.name, "role": a.role} for a in article.authors],
        "related": [{"issue": r.issue, "date": r.date, "title": r.title} for r in article.related],
        "title_derived": article.title_derived or None,
        "_stored_title": article.title, "_stored_body": article.body,
    }
    texts = {"title": article.title, "body": article.body,
             "authors_text": " ; ".join(a.name for a in article.authors), "section_text": article.section or ""}
    for base, text in texts.items():
        if not text:
            continue
        tokens = analyzed.get(base) or analyze(text, article.language)
        for kind, words in _variants(tokens).items():
            doc[field_name(base, kind)] = words
    return {k: v for k, v in doc.items() if v is not None and v != []}


@dataclass
class Prepared:
    """An article analyzed, ready to write: its Whoosh document, and what the whole-archive steps need of it."""

    id: str
    doc: dict
    candidates: Counter  # key-term candidate stems and how often the article has each
    words: dict[str, str]  # each candidate stem as the article writes it most often
    signature: frozenset[str]


def prepare(article: Article) -> Prepared:
    """Analyze an article once: title and body for its document, its key-term candidates and its signature."""
    title, body = analyze(article.title, article.language), analyze(article.body, article.language)
    counts, words = candidates(title + body)
    # The signature reads title and body as one text (a capitalised word is a name unless it opens the text).
    shifted = title + [dataclasses.replace(t, pos=t.pos + len(title)) for t in body] if title else body
    return Prepared(article.id, document(article, {"title": title, "body": body}), counts,
                    {stem: c.most_common(1)[0][0] for stem, c in words.items()}, signature(article, shifted))


def _workers() -> int:
    """Processes that analyze while this one writes: IZDE_BUILD_WORKERS, else one per core but one."""
    configured = os.environ.get("IZDE_BUILD_WORKERS")
    return int(configured) if configured else max(0, (os.cpu_count() or 1) - 1)


def _prepared(articles: list[Article]) -> Iterator[Prepared]:
    """Each article prepared, in order: in worker processes when there are cores for them (analysis is half of a
    build, Whoosh's writing the other half, and the one writer must stay in this process)."""
    workers = _workers()
    if workers < 1 or len(articles) < 50:
        yield from map(prepare, articles)
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(prepare, articles, chunksize=8)


def write_index(articles: list[Article], directory: Path) -> None:
    """Write `articles` into a new Whoosh index in `directory` (one writer process: see README, design notes).

    One pass analyzes and writes each article; what needs the whole archive (document frequencies for key
    terms, signatures for linking translations) is gathered on the way, and key terms and twins go to the side
    table of `index.links` at the end. The candidates wait in a spill file, so memory does not grow with the
    archive's text.
    """
    df, signatures = Counter(), {}
    directory.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(directory), make_schema())
    # Not a compound segment: Whoosh 2.7.4 reads each file of a compound segment into memory (BytesIO over the
    # mapped file) for every searcher it opens — 1.7 GB a searcher at 10,000 articles; separate files are read
    # on demand.
    writer = ix.writer(timeout=WRITER_TIMEOUT, procs=1, limitmb=256, compound=False)
    with tempfile.TemporaryFile(dir=directory) as spill:
        try:
            for item in _prepared(articles):
                writer.add_document(**item.doc)
                df.update(item.candidates.keys())
                signatures[item.id] = item.signature
                pickle.dump((item.id, item.candidates, item.words), spill, pickle.HIGHEST_PROTOCOL)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(optimize=True)
        ix.close()
        translations = link_translations(articles, signatures)
        spill.seek(0)

        def rows():
            for _ in articles:
                article_id, counts, words = pickle.load(spill)
                terms = key_terms_from(counts, words, df, len(articles))
                yield article_id, [(k.stem, k.word, k.weight) for k in terms], translations.get(article_id)
        write_links(directory, rows())


def build_index(paths: list[Path], index_path: Path | None = None,
                progress: Callable[[Path], None] | None = None) -> BuildReport:
    """Read the archive at `paths` and swap a freshly built index in at `index_path`."""
    started = time.perf_counter()
    index_path = Path(index_path or default_index_dir())
    result = read_archive(paths, progress=progress)
    builds = index_path.parent / (index_path.name + ".builds")
    builds.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    target = builds / stamp
    try:
        write_index(result.articles, target)
        meta = {"schema_version": SCHEMA_VERSION, "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "articles": len(result.articles), "skipped": len(result.skipped),
                "sources": [str(p) for p in paths]}
        (target / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    _swap(index_path, target)
    _prune(builds, keep=target)
    return BuildReport(indexed=len(result.articles), problems=result.problems,
                       seconds=time.perf_counter() - started, path=target)


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
    done = sorted((p for p in builds.iterdir() if p.is_dir() and (p / META_FILE).exists()), key=lambda p: p.name)
    for old in done[:-KEEP_BUILDS]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    for partial in builds.iterdir():  # builds that died before writing their meta file
        if partial.is_dir() and not (partial / META_FILE).exists() and partial != keep:
            if time.time() - partial.stat().st_mtime > 3600:
                shutil.rmtree(partial, ignore_errors=True)


def open_index(index_path: Path | None = None):
    """Open the index for searching; raise `IndexUnavailable` with what to do when there is none or it is outdated."""
    index_path = Path(index_path or default_index_dir())
    meta_path = index_path / META_FILE
    if not meta_path.exists() or not whoosh_index.exists_in(str(index_path)):
        raise IndexUnavailable(f"no index at {index_path}; build one with `izde index build`")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexUnavailable(f"the index at {index_path} was built by another version of Izde; "
                          "rebuild it with `izde index build`")
    return whoosh_index.open_dir(str(index_path.resolve()))

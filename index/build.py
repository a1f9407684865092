"""Build the Whoosh index from an archive, into a fresh directory swapped in atomically.

The index path is a symbolic link to the current build (`<path>.builds/<stamp>`). A build writes a new directory
and then replaces the link in one `rename`, so a failed or interrupted build leaves the previous index searchable,
and a searcher that is open on the previous build keeps its files (the last two builds are kept).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from whoosh import index as whoosh_index

from .analysis import VARIANTS, AnalyzedToken, analyze
from .archive import Problem, read_archive
from .keyterms import KeyTerm, document_frequencies, key_terms
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


def document(article: Article, keyterms: list[KeyTerm] = (), translation: str | None = None,
             analyzed: dict[str, list[AnalyzedToken]] | None = None) -> dict:
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
        "keyterms": [(k.stem, k.word, k.weight) for k in keyterms],
        "translation": translation, "title_derived": article.title_derived or None,
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


def _content(article: Article) -> list[AnalyzedToken]:
    return analyze(article.title + "\n\n" + article.body, article.language)


def write_index(articles: list[Article], directory: Path) -> None:
    """Write `articles` into a new Whoosh index in `directory` (one writer process: see README, design notes).

    Two passes: the first gathers what needs the whole archive (document frequencies for key terms, signatures
    for linking translations); the second indexes, with the analyzer's word caches already warm.
    """
    df, signatures = Counter(), {}
    for article in articles:
        tokens = _content(article)
        df.update(document_frequencies([tokens]))
        signatures[article.id] = signature(article, tokens)
    translations = link_translations(articles, signatures)
    directory.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(directory), make_schema())
    writer = ix.writer(timeout=WRITER_TIMEOUT, procs=1, limitmb=256)
    try:
        for article in articles:
            analyzed = {"title": analyze(article.title, article.language),
                        "body": analyze(article.body, article.language)}
            terms = key_terms(analyzed["title"] + analyzed["body"], df, len(articles))
            writer.add_document(**document(article, terms, translations.get(article.id), analyzed))
    except BaseException:
        writer.cancel()
        raise
    writer.commit(optimize=True)
    ix.close()


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

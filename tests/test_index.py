"""Index builds: counts, stable ids, atomic swap, clear errors, Whoosh 2.7.4's refresh after merges."""

from __future__ import annotations

import json
import sqlite3

import pytest
from whoosh import fields, index as whoosh_index
from whoosh.query import Every

from index.archive import read_archive
from index.build import META_FILE, IndexUnavailable, build_index, open_index
from index.links import prepared_row
from search.searcher import search


def test_sample_builds_five_of_five(tmp_path, sample_dir):
    report = build_index([sample_dir], tmp_path / "ix")
    assert (report.indexed, report.skipped) == (5, [])
    ix = open_index(tmp_path / "ix")
    with ix.searcher() as s:
        assert s.doc_count() == 5
    ix.close()


def test_rebuild_gives_same_ids_and_no_duplicates(tmp_path, sample_dir):
    build_index([sample_dir], tmp_path / "ix")
    first = _ids(tmp_path / "ix")
    build_index([sample_dir, sample_dir], tmp_path / "ix")  # the same archive twice: duplicates are dropped
    assert _ids(tmp_path / "ix") == first
    assert first == sorted(a.id for a in read_archive(sample_dir).articles)


def _ids(path):
    ix = open_index(path)
    with ix.searcher() as s:
        ids = sorted(doc["id"] for doc in s.all_stored_fields())
    ix.close()
    return ids


def test_interrupted_build_leaves_previous_index_searchable(tmp_path, sample_dir):
    path = tmp_path / "ix"
    build_index([sample_dir], path)

    def interrupt(_path):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index([sample_dir], path, progress=interrupt)
    assert search(open_index(path), "жергиликтүү").total == 5
    assert len([p for p in (tmp_path / "ix.builds").iterdir()]) == 1  # the partial build was removed


def test_key_terms_failing_in_their_thread_fail_the_build(tmp_path, sample_dir, monkeypatch):
    """Key terms and twins are computed in a thread beside the segment's writing; its error is the build's, which
    then leaves the previous index as it was."""
    import index.build as build

    path = tmp_path / "ix"
    build_index([sample_dir], path)
    links = build._finish_links

    def fails(store, articles):
        links(store, articles)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(build, "_finish_links", fails)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        build_index([sample_dir], path)
    assert search(open_index(path), "жергиликтүү").total == 5
    assert len([p for p in (tmp_path / "ix.builds").iterdir()]) == 1  # the failed build was removed


def test_missing_and_outdated_indexes_say_what_to_do(tmp_path, sample_dir):
    with pytest.raises(IndexUnavailable, match="izde index build"):
        open_index(tmp_path / "nothing")
    build_index([sample_dir], tmp_path / "ix")
    meta = tmp_path / "ix" / META_FILE
    data = json.loads(meta.read_text())
    data["schema_version"] = -1
    meta.write_text(json.dumps(data))
    with pytest.raises(IndexUnavailable, match="another version"):
        open_index(tmp_path / "ix")


def test_refuses_to_replace_a_folder_that_is_not_an_index(tmp_path, sample_dir):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.txt").write_text("do not delete")
    with pytest.raises(IndexUnavailable, match="not an Izde index"):
        build_index([sample_dir], tmp_path / "docs")
    assert (tmp_path / "docs" / "thesis.txt").exists()


def test_refresh_after_merging_commits_counts_each_document_once(tmp_path):
    # Why whoosh is pinned to 2.7.4: its forks count documents twice here after segments merge.
    ix = whoosh_index.create_in(str(tmp_path), fields.Schema(id=fields.ID(stored=True, unique=True)))
    searcher = ix.searcher()
    for batch in range(40):
        writer = ix.writer(timeout=10.0)
        for n in range(5):
            writer.add_document(id=f"{batch}-{n}")
        writer.commit()
        searcher = searcher.refresh()
        expected = 5 * (batch + 1)
        assert searcher.doc_count() == expected
        assert len(searcher.search(Every(), limit=None)) == expected
    searcher.close()
    ix.close()


def test_analysis_pool_keeps_a_bounded_window_and_stops_cleanly(tmp_path, monkeypatch):
    """The workers are handed at most AHEAD articles beyond what the writer took, give them back in order, the same
    as analysed in this process, and a build that stops half-way (an error in the writer) leaves no pool waiting."""
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import scale_archive

    from index import build

    source = scale_archive.write(scale_archive.generate(70, seed=3, length=(20, 40)), tmp_path / "a.jsonl")
    articles = read_archive([source]).articles
    monkeypatch.setattr(build, "AHEAD", 9)
    monkeypatch.setenv("IZDE_BUILD_WORKERS", "2")
    pooled, here = list(build._prepared(articles)), list(map(build.prepare, articles))
    assert [(p.id, p.doc["body_stem"], p.signature) for p in pooled] == \
        [(p.id, p.doc["body_stem"], p.signature) for p in here]
    # Each one's row of the prepared table, made in the analysis process, is the one this process makes of it.
    assert all(p.row is not None and p.candidates is None for p in pooled)
    assert [p.row for p in pooled] == [
        prepared_row(build.record_hash(a), p.candidates, p.words, p.signature) for a, p in zip(articles, here)]

    class Counted(list):  # how far the pool has read the articles
        read = 0

        def __iter__(self):
            for item in super().__iter__():
                Counted.read += 1
                yield item

    started = time.monotonic()
    taken = build._prepared(Counted(articles))
    assert next(taken).id == articles[0].id
    time.sleep(1.0)  # the workers fill the window and wait
    assert 9 <= Counted.read <= 1 + 9 + 1  # one taken, nine out, one waiting for room
    taken.close()
    assert time.monotonic() - started < 30

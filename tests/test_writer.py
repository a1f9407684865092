"""The inverting writer (index/writer.py) writes Whoosh's own files: an index built or updated with it is, file for
file and byte for byte, the index Whoosh's `SegmentWriter` writes from the same articles, when it pickles and
compresses every block as Whoosh does (`RAW_BELOW` 0, `DATA_PROTOCOL` 2); by default it pickles blocks at a newer
protocol and stores the blocks that compression would not make smaller as they are, and the index then holds the
same terms, postings and statistics in smaller files."""

from __future__ import annotations

import functools
import io
import itertools
import multiprocessing
import os
import re
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.formats import Positions

from index.archive import read_archive
from index.build import WRITER_TIMEOUT, open_index, preindexed, prepare, update_index, write_index
from index.analysis import VARIANTS
from index.schema import TEXT_FIELDS, field_name, make_schema, numbered_postings_of, postings_of
import index.arrays as arrays_module
import index.build as build_module
import index.writer as writer_module
from index.writer import InvertingWriter, Preindexed, add_terms

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))

import scale_archive  # noqa: E402


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Generated articles (two languages, inflected words, names) and the sample pages' articles."""
    articles = scale_archive.generate(70, seed=11, length=(30, 120))
    source = scale_archive.write(articles, tmp_path_factory.mktemp("archive") / "archive.jsonl")
    sample = Path(__file__).resolve().parent.parent / "index" / "sample"
    return read_archive([source]).articles + read_archive([sample]).articles, source


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of an index, segments named by their place in the table of contents (their ids are random), and
    what the table of contents says but for those ids."""
    ix = whoosh_index.open_dir(str(folder))
    toc = ix._read_toc()
    ix.close()
    names = {segment.segment_id(): f"segment{i}" for i, segment in enumerate(toc.segments)}
    out = {}
    for path in folder.iterdir():
        if path.is_file() and not path.name.endswith((".toc", "LOCK")) and path.name != "izde.json":
            out[re.sub(r"^MAIN_[a-z0-9]+", lambda m: names.get(m[0], "orphan"), path.name)] = path.read_bytes()
    assert not any(name.startswith("orphan") for name in out)  # every file belongs to a segment of the index
    out["toc"] = repr([(names[s.segment_id()], s.doc_count_all(), s.deleted_count(), sorted(s._fieldlengths.items()))
                       for s in toc.segments] + [toc.generation, sorted(toc.schema.names())]).encode()
    return out


def _same(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []


@pytest.fixture
def every_block_compressed(monkeypatch):
    """Every block pickled at protocol 2 and compressed by zlib at the codec's level, and the stored fields
    compressed by zlib, as Whoosh's writer does: its bytes exactly."""
    monkeypatch.setattr(writer_module, "RAW_BELOW", 0)
    monkeypatch.setattr(writer_module, "DATA_PROTOCOL", 2)
    monkeypatch.setattr(writer_module, "COMPRESS", zlib.compress)
    monkeypatch.setattr(writer_module, "STORED_COMPRESS", zlib.compress)
    monkeypatch.setattr(writer_module, "BLOCK_LEVEL", None)


def _postings(folder: Path) -> dict:
    """Every term of an index with its statistics and its postings (document, weight, value) as Whoosh reads them,
    how many of its blocks are stored uncompressed, and the compression levels its blocks' headers say."""
    ix = whoosh_index.open_dir(str(folder))
    out, raw, levels = {}, 0, set()
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            info = reader.term_info(fieldname, text)
            matcher, postings = reader.postings(fieldname, text), []
            while matcher.is_active():
                raw += matcher.block_min_id() == matcher.id() and not matcher._compression
                levels.add(matcher._compression)
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            out[fieldname, text] = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                                    info.max_weight(), info.min_id(), info.max_id(), postings)
    ix.close()
    return {"terms": out, "raw blocks": raw, "levels": levels}


@pytest.mark.parametrize("processes", [1, 3])
def test_a_built_index_is_whooshs_byte_for_byte(archive, tmp_path, monkeypatch, every_block_compressed, processes):
    """Whoosh's files, and the segment arrays: made from each stretch of postings as it is written (their positions
    as the analysis processes sent them) and from the bodies' words the analysis kept — in one process, or the
    fields' postings and arrays written in three (and the terms table's hash tables laid out in two) — they are what
    `write_arrays` reads back from Whoosh's blocks and the stored bodies after the commit."""
    articles, _ = archive
    shipped = []  # for each field written in this process, whether its positions came with its postings
    shipped_positions = writer_module._FieldPostings.shipped_positions

    def spied(self, *args):
        found = shipped_positions(self, *args)
        shipped.append(found is not None)
        return found
    monkeypatch.setattr(writer_module._FieldPostings, "shipped_positions", spied)
    monkeypatch.setattr(writer_module, "PARALLEL_FROM", 0)
    monkeypatch.setattr(writer_module, "HASHES_FROM", 0)  # the terms table laid out in two processes too
    monkeypatch.setattr(writer_module.os, "cpu_count", lambda: processes)  # the writer's processes
    after_commit = []  # how many segments' arrays `write_arrays` had to write after the commit
    monkeypatch.setattr(build_module, "write_arrays", lambda folder, ix: after_commit.append(
        arrays_module.write_arrays(folder, ix, processes=processes)))
    write_index(articles, tmp_path / "whoosh", straightforward=True)
    assert after_commit == [1]
    write_index(articles, tmp_path / "fast")
    assert after_commit == [1, 0]  # made while the postings were written
    if processes == 1:
        assert True in shipped and False in shipped  # the text fields' came; the other fields' values have none
    whoosh, fast = _files(tmp_path / "whoosh"), _files(tmp_path / "fast")
    assert any(name.endswith(".pst") for name in whoosh) and len([n for n in whoosh if ".izde_" in n]) == 9
    _same(whoosh, fast)
    assert not list((tmp_path / "fast").glob("*.part*")) and not list((tmp_path / "fast").glob("*.npz"))


def test_compact_blocks_hold_the_same_postings_in_smaller_files(archive, tmp_path):
    """By default blocks are pickled at `DATA_PROTOCOL`, those whose pickle is shorter than `RAW_BELOW` stored
    uncompressed and the others compressed at `BLOCK_LEVEL`, and the stored fields compressed by ISA-L: every
    other file is Whoosh's byte for byte, the postings file, the terms table and the arrays' list of terms (which
    say where each term's postings are) hold the same terms, statistics and postings, in fewer bytes, and the
    stored fields' column the same stored fields; the arrays written from memory are what `write_arrays` reads
    back from these blocks; searches answer alike."""
    from search.searcher import search

    articles, _ = archive
    write_index(articles, tmp_path / "whoosh", straightforward=True)
    write_index(articles, tmp_path / "fast")
    whoosh, fast = _files(tmp_path / "whoosh"), _files(tmp_path / "fast")
    moved = [name for name in whoosh if name.endswith((".pst", ".trm", ".izde_at", "._stored.col"))]
    assert len(moved) == 4
    stored = next(name for name in moved if name.endswith("._stored.col"))
    assert fast[stored] != whoosh[stored]  # compressed by ISA-L, not zlib
    read_back = shutil.copytree(tmp_path / "fast", tmp_path / "read back")
    for path in read_back.glob("*.izde_*"):
        path.unlink()
    ix = whoosh_index.open_dir(str(read_back))
    assert arrays_module.write_arrays(read_back, ix) == 1
    ix.close()
    _same(fast, _files(read_back))
    _same({k: v for k, v in whoosh.items() if k not in moved}, {k: v for k, v in fast.items() if k not in moved})
    pst = next(name for name in moved if name.endswith(".pst"))
    assert len(fast[pst]) < len(whoosh[pst])
    whoosh_postings, fast_postings = _postings(tmp_path / "whoosh"), _postings(tmp_path / "fast")
    assert whoosh_postings["raw blocks"] == 0 and fast_postings["raw blocks"] > len(fast_postings["terms"]) // 2
    assert whoosh_postings["levels"] == {3} and fast_postings["levels"] == {0, writer_module.BLOCK_LEVEL}
    assert fast_postings["terms"] == whoosh_postings["terms"]
    a, b = whoosh_index.open_dir(str(tmp_path / "whoosh")), whoosh_index.open_dir(str(tmp_path / "fast"))
    with a.reader() as ra, b.reader() as rb:
        assert ra.doc_count_all() == rb.doc_count_all() == len(articles)
        assert [ra.stored_fields(n) for n in range(len(articles))] == \
            [rb.stored_fields(n) for n in range(len(articles))]
    for text in ("бюджет", "айыл өкмөтү", "органы местного", "мектеп*"):
        assert search(a, text, page_size=10).to_dict() == search(b, text, page_size=10).to_dict(), text
    a.close()
    b.close()


def test_plain_values_the_pool_in_order_and_parts_in_processes_give_the_same_segment(archive, tmp_path,
                                                                                     monkeypatch,
                                                                                     every_block_compressed):
    """Unindexed field values (indexed by the writer itself), the inverted postings sent in order through Whoosh's
    own field writer one by one, and the fields' postings written in three processes and laid end to end, write the
    same segment as the fast path in one process."""
    articles, _ = archive
    docs = [prepare(a).doc for a in articles]
    monkeypatch.setattr(writer_module, "PARALLEL_FROM", 0)
    written = {}
    for name, straightforward, preindex, processes in (("plain", False, False, 1), ("pooled", True, True, 1),
                                                       ("parts", False, True, 3), ("fast", False, True, 1)):
        folder = tmp_path / name
        folder.mkdir()
        ix = whoosh_index.create_in(str(folder), make_schema())
        writer = InvertingWriter(ix, straightforward=straightforward, processes=processes, timeout=WRITER_TIMEOUT,
                                 compound=False)
        for article, doc in zip(articles, docs):
            writer.add_document(**(prepare(article, preindex=True).doc if preindex else doc))
        writer.commit(optimize=True)
        ix.close()
        written[name] = _files(folder)
    for name in ("plain", "pooled", "parts"):
        _same(written[name], written["fast"])
    assert not list(tmp_path.glob("*/*.tmp/field*"))


def test_documents_lengths_read_at_once_are_whooshs_document_by_document(archive, tmp_path):
    """The lengths a posting's block records of its documents, read from each field's lengths column at once, are
    what Whoosh's per-document reader gives document by document: for every field, scored or not, with documents
    that have no length in it (no authors, no section), and for more documents than the column holds."""
    articles, _ = archive
    write_index(articles, tmp_path)
    ix = whoosh_index.open_dir(str(tmp_path))
    with ix.reader() as reader:
        pdr, documents = reader._perdoc, reader.doc_count_all()
        some, none = set(), set()  # fields some documents have no length in; fields without lengths
        for name in make_schema().names():
            fast = writer_module.document_lengths(pdr, name, documents)
            assert fast.tolist() == writer_module.document_lengths(pdr, name, documents, straightforward=True).tolist()
            if not fast.any():
                none.add(name)
            elif not fast.all():
                some.add(name)
            beyond = writer_module.document_lengths(pdr, name, documents + 3)
            assert beyond[documents:].tolist() == [0, 0, 0] and beyond[:documents].tolist() == fast.tolist()
        assert "authors_text" in some and {"id", "date"} <= none
    ix.close()


def test_entries_moved_at_once_are_the_entries_moved_one_by_one():
    """A field written in another process has its terms' extents from the start of its own postings; laid into the
    segment's postings file `base` bytes on, every entry's extent moves by `base`, and nothing else of it: entry by
    entry (`moved`), and in the table's records made in that process (`TermRecords.moved`), the same bytes."""
    from whoosh.codec.whoosh3 import W3TermInfo

    entries = []
    for k, (offset, length) in enumerate([(0, 10), (17, 300), (2**31 + 5, 7), (2**40 + 3, 2**20)]):
        info = W3TermInfo(weight=1.5 * k, df=k + 1, minlength=2, maxlength=9, maxweight=2.0, minid=k, maxid=k + 4)
        info.set_extent(offset, length)
        entries.append((b"\x00\x05" + f"word{k}".encode(), info.to_bytes()))
    records = writer_module.TermRecords
    for base in (0, 4096, 2**33 + 1):
        straightforward = writer_module.moved(entries, base)
        assert [writer_module.extent(info) for _, info in straightforward] == [writer_module.extent(info) + base
                                                                               for _, info in entries]
        fast = records.load(records.of(entries).dump()).moved(base)  # as the writing process gets them
        expected = records.of(straightforward)
        assert (fast.data, fast.first, fast.last, fast.hashes) == (expected.data, expected.first, expected.last,
                                                                   expected.hashes)
        assert fast.sizes.tolist() == expected.sizes.tolist() and fast.key_sizes.tolist() == expected.key_sizes.tolist()
    inlined = entries + [(b"\x00\x05inlined", entries[0][1] + b"\x01")]
    with pytest.raises(ValueError, match="inlined"):
        writer_module.moved(inlined, 10)
    with pytest.raises(ValueError, match="inlined"):
        records.of(inlined).moved(10)


def _ends_at_once(i: int, stem: str) -> None:
    os._exit(3)  # a writing process that dies (killed, out of memory) without a word


def _no_room(*args, **kwargs):
    raise OSError("no room left on the device")


def _bad_table(table, records) -> None:
    raise OSError("the terms table cannot be written")  # in the writing process, as it lays a field in


@pytest.mark.parametrize("failing, message", [(_ends_at_once, "worker process failed"), (_no_room, "no room"),
                                              (_bad_table, "terms table")])
def test_a_writing_process_that_dies_or_fails_fails_the_commit_with_a_clear_error(archive, tmp_path, monkeypatch,
                                                                                  failing, message):
    """A process writing a field's postings that dies, or whose writing raises, or the writing process failing as it
    lays a field in, fails the commit with what happened, and no process is left writing."""
    articles, _ = archive
    monkeypatch.setattr(writer_module, "PARALLEL_FROM", 0)
    if failing is _no_room:
        monkeypatch.setattr(writer_module.TermWriter, "write_stretch", failing)
    elif failing is _bad_table:
        monkeypatch.setattr(writer_module, "add_records", failing)
    else:
        monkeypatch.setattr(writer_module, "_write_field", failing)
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = InvertingWriter(ix, processes=2, timeout=WRITER_TIMEOUT, compound=False)
    for article in articles[:10]:
        writer.add_document(**prepare(article, preindex=True).doc)
    with pytest.raises((RuntimeError, OSError), match=message):
        writer.commit(optimize=True)
    assert writer_module._WRITING is None
    assert not multiprocessing.active_children()
    writer.cancel()  # what a caller does with a writer whose commit failed (Whoosh's `with writer:`, the build)
    ix.close()


@pytest.mark.parametrize("batch", [1, writer_module.BATCH_DOCUMENTS])
def test_terms_numbered_by_the_analysis_processes_give_the_same_segments(archive, tmp_path, monkeypatch, batch):
    """Documents whose fields two pool processes number with series of their own (`Numbered`), taken in whichever
    order the processes made them and over several segments (each new segment's writer meeting the series where
    they are), each process beginning new series as its words pass WORDS_KEPT, are written as the same documents
    indexed in the writing process itself, byte for byte: filed a document at a time, or (by default) the
    documents of a series BATCH_DOCUMENTS at a time, the segments ending at the same documents."""
    articles, _ = archive
    monkeypatch.setattr(writer_module, "BATCH_DOCUMENTS", batch)
    monkeypatch.setenv("IZDE_BUILD_MEMORY_MB", "0.5")
    monkeypatch.setattr(build_module, "CHUNK", 1)  # an article a task: both processes take some
    monkeypatch.setattr(writer_module, "WORDS_KEPT", 300)  # a new series every few articles
    taken = []
    add_numbered = writer_module.InvertedPostings.add_numbered
    monkeypatch.setattr(writer_module.InvertedPostings, "add_numbered",
                        lambda self, name, docnum, value, terms, boost: (taken.append(value.series),
                                                                         add_numbered(self, name, docnum, value,
                                                                                      terms, boost)))
    monkeypatch.setenv("IZDE_BUILD_WORKERS", "2")
    write_index(articles, tmp_path / "pooled")
    monkeypatch.setenv("IZDE_BUILD_WORKERS", "0")
    write_index(articles, tmp_path / "here")
    assert len({process for process, _ in taken}) == 2  # both processes', and only the pool's values were numbered
    assert len(set(taken)) > 4  # and each began new series
    pooled, here = _files(tmp_path / "pooled"), _files(tmp_path / "here")
    assert len([name for name in here if name.endswith(".pst")]) >= 3
    _same(pooled, here)


def test_an_updated_and_merged_index_is_whooshs_byte_for_byte(archive, tmp_path, monkeypatch,
                                                               every_block_compressed):
    """Updates add segments and delete documents (each update's articles analyzed in pool processes, which number
    their terms); merging the segments into one sends their postings back through the inverted pool one at a time,
    as they went into Whoosh's."""
    _, source = archive
    monkeypatch.setattr(build_module, "POOL_FROM", 1)
    monkeypatch.setenv("IZDE_BUILD_WORKERS", "2")
    lines = source.read_text(encoding="utf-8").splitlines()
    built = {}
    for name, whoosh_writer in (("whoosh", "1"), ("fast", "0")):
        monkeypatch.setenv("IZDE_WHOOSH_WRITER", whoosh_writer)
        folder = tmp_path / name
        current = tmp_path / "a" / "archive.jsonl"  # one place: the stored fields name it
        current.parent.mkdir(exist_ok=True)
        for step in (lines[:40], lines[5:60], lines[3:30] + lines[35:70]):  # added, removed, added back
            current.write_text("\n".join(step) + "\n", encoding="utf-8")
            update_index([current], folder / "ix")
        ix = open_index(folder / "ix")
        assert ix.doc_count() == 62 and len(ix._read_toc().segments) == 3
        ix.close()
        built[name] = _files((folder / "ix").resolve())
        merged = shutil.copytree((folder / "ix").resolve(), folder / "merged")
        ix = whoosh_index.open_dir(str(merged))
        writer = ix.writer(compound=False) if name == "whoosh" else InvertingWriter(ix, compound=False)
        writer.commit(optimize=True)
        assert len(ix._read_toc().segments) == 1
        ix.close()
        built[name + " merged"] = _files(merged)
    _same(built["whoosh"], built["fast"])
    _same(built["whoosh merged"], built["fast merged"])


@pytest.mark.parametrize("processes", [1, 2])
def test_hash_tables_laid_out_from_kept_arrays_are_whooshs(tmp_path, monkeypatch, processes):
    """A terms table whose entries `add_records` keeps as arrays (`KEPT_RECORDS`) is laid out by `write_hashes`
    byte for byte as Whoosh lays out its own buckets of the same entries, added in several runs, in one process or
    two; entries added both ways cannot be laid out in order, and say so."""
    import functools
    import random

    monkeypatch.setattr(writer_module, "HASHES_FROM", 0)
    rng = random.Random(3)
    keys = sorted({bytes(rng.randrange(256) for _ in range(rng.randint(1, 12))) for _ in range(5000)})
    runs = [keys[:1], keys[1:1700], keys[1700:]]
    storage = FileStorage(str(tmp_path))
    files = {}
    for name in ("whoosh", "kept"):
        table = OrderedHashWriter(storage.create_file(name))
        if name == "kept":
            table._write_hashes = functools.partial(writer_module.write_hashes, table, processes)
            setattr(table, writer_module.KEPT_RECORDS, [])
        for run in runs:
            add_terms(table, [(key, key[::-1] + b"!") for key in run])
        assert not any(table.buckets) if name == "kept" else sum(map(len, table.buckets)) == len(keys)
        table.close()
        files[name] = (tmp_path / name).read_bytes()
    assert files["kept"] == files["whoosh"]
    table = OrderedHashWriter(storage.create_file("both"))
    setattr(table, writer_module.KEPT_RECORDS, [])
    table.add(b"a", b"1")
    add_terms(table, [(b"b", b"2")])
    with pytest.raises(RuntimeError, match="two ways"):
        writer_module.write_hashes(table, processes)
    table.dbfile.close()


def test_term_entries_must_come_in_order(tmp_path):
    storage = FileStorage(str(tmp_path))
    table = OrderedHashWriter(storage.create_file("t.hsh"))
    add_terms(table, [(b"\x00\x00a", b"1"), (b"\x00\x00b", b"2")])
    with pytest.raises(ValueError, match="keys must increase"):
        add_terms(table, [(b"\x00\x00b", b"3")])
    table.close()


def test_fields_indexed_without_the_token_stream_are_what_their_own_index_gives(archive):
    """`postings_of` (the words counted straight into each term's positions, a term that stands once encoded from
    the kept encodings) gives each text field's own `index()`, term for term and byte for byte: on every field of
    the archive's documents, on lists with repeated words and keys, and on an empty one."""
    articles, _ = archive
    schema = make_schema()
    docs = [prepare(a).doc for a in articles]
    docs.append({"body": ["а", "б", "а", "а"], "body_stem": [("а", "аа"), ("б",), ("аа", "а")], "title": []})
    compared = 0
    for doc in docs:
        fast, straightforward = preindexed(doc), preindexed(doc, straightforward=True)
        assert fast.keys() == straightforward.keys()
        for name, value in straightforward.items():
            if isinstance(value, Preindexed):
                assert postings_of(schema[name], doc[name]) is not None, name
                assert fast[name].__getstate__() == value.__getstate__(), name
                compared += 1
    assert compared > 16 * len(articles) // 2
    assert postings_of(schema["body"], "a text") is None  # a string: the field's analyzer reads it
    assert postings_of(schema["id"], ["x"]) is None  # not a text field with positions


def test_a_numbering_past_its_words_begins_a_new_series_and_the_writer_forgets_the_old():
    """`Numbering.renew` begins a series numbered from 0 once it keeps that many words; `Received` then holds only
    the new series' terms of that process, and another process's are untouched."""
    one, two, received = writer_module.Numbering(), writer_module.Numbering(), writer_module.Received()
    for word in ("аймак", "шаар"):
        one.words[word] = one.numbers("exact", (word,))
    two.numbers("exact", ("село",))
    received.learn(one.fresh())
    received.learn(two.fresh())
    one.renew(words_kept=3)
    assert one.series == (one.process, 0)  # two words: not yet
    one.renew(words_kept=2)
    assert one.series == (one.process, 1) and one.numbers("exact", ("шаар",)) == (0,)
    received.learn(one.fresh())
    assert received.terms == {((one.process, 1), "exact"): ["шаар".encode()],
                              ((two.process, 0), "exact"): ["село".encode()]}


def test_fields_of_numbered_words_are_indexed_as_the_words_are(archive):
    """`numbered_postings_of` (each word's keys as numbers) gives the postings `postings_of` gives
    of the words themselves, each number standing for its key: on every text field of the archive's documents, on
    repeated words and keys, and on no words."""
    articles, _ = archive
    schema = make_schema()
    docs = [prepare(a).doc for a in articles]
    docs.append({"body": ["а", "б", "а", "а"], "body_stem": [("а", "аа"), ("б",), ("аа", "а")], "body_fold": []})
    numbers: dict[str, int] = {}
    text_fields = {field_name(base, kind) for base in TEXT_FIELDS for kind in VARIANTS}
    compared = 0
    for doc in docs:
        for name, words in doc.items():
            if name not in text_fields:
                continue
            keyed = [word if isinstance(word, tuple) else (word,) for word in words]
            numbered = [tuple(numbers.setdefault(key, len(numbers)) for key in keys) for keys in keyed]
            terms, freqs, weights, values = numbered_postings_of(schema[name], numbered)
            key_of = {n: key.encode("utf-8") for key, n in numbers.items()}
            got = {key_of[n]: posting for n, posting in zip(terms, zip(freqs, weights, values))}
            expected = postings_of(schema[name], words) if words else ([], [], [], [])
            assert got == {t: tuple(posting) for t, *posting in zip(*expected)}, name
            assert len(got) == len(terms)
            compared += 1
    assert compared > 16 * len(articles) // 2
    assert numbered_postings_of(schema["id"], [(1,)]) is None  # not a text field with positions


def test_an_article_prepared_from_its_words_numbers_is_what_its_tokens_give(archive, monkeypatch):
    """`Vocabulary.prepare` (each word as written looked up once to its number, what the build needs of it kept by
    that number) gives what `prepare` gives from `analyze`'s tokens in an analysis process: the same document (its
    fields numbered alike, byte for byte, the same fresh keys), key-term candidates in the same order (a stem's
    most used word is the first of its highest count), signature and body words. On the archive, with a new series
    every few articles, and on texts that test each rule: a name that only opens the title, or opens it and stands
    again later; no title (the body opens); a title of nothing but a word that normalizes to nothing; words joined
    across a line-break hyphen, footnote digits, a character outside the BMP, Latin words, numbers, an acronym with
    an ending; the same word in a Kyrgyz and a Russian text."""
    import dataclasses

    articles, _ = archive
    monkeypatch.setattr(writer_module, "WORDS_KEPT", 400)  # a new series every few articles
    base = articles[0]
    texts = [
        ("ky", "Бишкекте жыйын болду", "Шаардын 2024-жылкы бюджети кабыл алынды."),
        ("ky", "Бишкекте жыйын болду", "Бишкекте да, Ошто да жер- гиликтүү кеңештер ЖӨБдүн отурумун өткөрдү1."),
        ("ky", "", "Баткен облусунда MSDSP жана UNDP 😀 долбоору 15 айылда иштейт; Баткен жер- гиликтүү."),
        ("ky", "ʼʼ", "Ош шаарында 12 мектеп курулду, Oshtogu jergiliktuu ʼʼ кеңеш."),
        ("ru", "Совет в Бишкеке", "Бишкек и Ош: местное самоуправление, 2019 год, Бишкекте ЖӨБдүн."),
        ("ru", "Бишкек", "Бишкек"),
    ]
    cases = list(articles) + [dataclasses.replace(base, id=f"edge-{i}", language=language, title=title, body=body)
                              for i, (language, title, body) in enumerate(texts)]
    fast, slow = writer_module.Numbering(), writer_module.Numbering()
    monkeypatch.setattr(build_module, "_VOCABULARY", build_module.Vocabulary(fast))
    monkeypatch.setattr(build_module, "_NUMBERING", fast)
    series = set()
    for article in cases:
        a = prepare(article, preindex=True)
        monkeypatch.setattr(build_module, "_NUMBERING", slow)
        b = prepare(article, preindex=True, straightforward=True)
        monkeypatch.setattr(build_module, "_NUMBERING", fast)
        _same_prepared(a, b)
        series.add(fast.series)
    assert len(series) > 3  # the vocabulary began anew with each series
    edge = {p.id: p for p in (prepare(a, preindex=True) for a in cases[-len(texts):])}
    assert "Nbishk" not in edge["edge-0"].signature and "Nbishk" in edge["edge-1"].signature
    assert edge["edge-2"].doc[build_module.KEPT_WORDS][1] and "LMSDSP".lower() in {m.lower() for m in
                                                                                    edge["edge-2"].signature}


def _same_prepared(a, b) -> None:
    """Two analyses of one article give the same: its document byte for byte (but for its numbers' series, which
    each `Numbering` names for itself), its key-term candidates in the same order, its signature."""
    assert (a.id, a.signature) == (b.id, b.signature)
    assert list(a.candidates.items()) == list(b.candidates.items()), a.id
    assert list(a.words.items()) == list(b.words.items()), a.id
    assert a.doc.keys() == b.doc.keys(), a.id
    for name, value in a.doc.items():
        if name == writer_module.FRESH:
            assert value[1] == b.doc[name][1] and value[0][1] == b.doc[name][0][1], a.id
        elif isinstance(value, writer_module.Numbered):
            assert value.__getstate__()[1:] == b.doc[name].__getstate__()[1:], (a.id, name)
        else:
            assert value == b.doc[name], (a.id, name)


def test_articles_prepared_together_are_what_each_prepared_alone_gives(archive, monkeypatch):
    """An analysis process prepares the articles of a task together (`Vocabulary.prepare_many`): their words
    numbered article after article, every field of them all counted and encoded by one `Numbering.packed`. Each
    document is byte for byte the one `Vocabulary.prepare` gives it alone (the same fresh keys, candidates,
    signature and body words), on the archive in tasks of several sizes and with a task whose one article has a
    word of 1,001 positions (packed then declines, and each article is counted on its own). A new series begins
    only before a task, so that a task's documents share one."""
    import dataclasses

    articles, _ = archive
    cases = list(articles) + [dataclasses.replace(articles[0], id="long", language="ru", title="Город",
                                                  body="село " * 1001 + "город")] + list(articles[:5])
    tasks, at, size = [], 0, 1
    while at < len(cases):
        tasks.append(cases[at:at + size])
        at, size = at + size, size % 9 + 1
    assert any(len(task) > 1 and "long" in {a.id for a in task} for task in tasks)
    one, many = build_module.Vocabulary(writer_module.Numbering()), build_module.Vocabulary(writer_module.Numbering())
    singles = [one.prepare(article) for article in cases]
    grouped = [item for task in tasks for item in many.prepare_many(task)]
    for a, b in zip(grouped, singles, strict=True):
        _same_prepared(a, b)
        assert list(a.doc) == list(b.doc), a.id  # its fields in the same order
    monkeypatch.setattr(writer_module, "WORDS_KEPT", 2000)
    many = build_module.Vocabulary(writer_module.Numbering())
    series = [{item.doc[writer_module.FRESH][0] for item in many.prepare_many(task)} for task in tasks]
    assert all(len(one_task) == 1 for one_task in series)
    assert len(set().union(*series)) > 3


def test_a_stored_field_cannot_be_given_preindexed(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = InvertingWriter(ix, timeout=WRITER_TIMEOUT, compound=False)
    body = Preindexed(make_schema()["body"].index(["бюджет"]))
    with pytest.raises(ValueError, match="_stored_body"):
        writer.add_document(id="x", body=body)
    writer.cancel()
    ix.close()



def test_a_build_past_its_memory_limit_writes_several_segments_that_search_alike(archive, tmp_path, monkeypatch):
    """Past IZDE_BUILD_MEMORY_MB of postings the build commits its segment and begins another, so its memory stays
    bounded; the segments find what the one segment finds (the same hits, but where Whoosh itself ranks otherwise
    across segments: a prefix's words are counted per segment), the fast paths answer as Whoosh does on them, and each
    segment has its arrays."""
    from search.searcher import search

    articles, _ = archive
    write_index(articles, tmp_path / "one")
    monkeypatch.setenv("IZDE_BUILD_MEMORY_MB", "0.5")
    write_index(articles, tmp_path / "several")
    one, several = whoosh_index.open_dir(str(tmp_path / "one")), whoosh_index.open_dir(str(tmp_path / "several"))
    segments = several._read_toc().segments
    assert len(one._read_toc().segments) == 1 and len(segments) >= 3
    assert sum(s.doc_count_all() for s in segments) == len(articles)
    assert len(list((tmp_path / "several").glob("*.izde_at"))) == len(segments)
    for text in ("бюджет", "айыл өкмөтү", "органы местного", "жергиликтуу", "мектеп*"):
        a, b = search(one, text, page_size=10), search(several, text, page_size=10)
        assert a.total == b.total > 0, text
        if not text.endswith("*"):
            assert [h.id for h in a.hits] == [h.id for h in b.hits], text
        assert b.to_dict() == search(several, text, page_size=10, fast=False).to_dict(), text
    one.close()
    several.close()


def _stretch_and_terms(seed: int, terms: int):
    """Random terms of 1 to 300 postings (one block, or several), their documents ascending, whole weights and some
    not, values of 1 to 300 bytes, field lengths of 0 to 200,000 (their byte saturates; 0 only where no term of
    several blocks is, as Whoosh's writer fails on a block of no lengths after others), documents past 65,535. Half
    the terms are as a build makes them (whole weights, values of 2 to 59 bytes): the others mix in the rest."""
    rng = np.random.default_rng(seed)
    counts = np.where(rng.random(terms) < 0.6, 1, rng.integers(2, 300, terms))
    docs, weights, values = [], [], []
    for count in counts.tolist():
        docs.append(np.sort(rng.choice(200_000 if count <= 128 else 190_000, count, replace=False)))
        built = rng.random() < 0.5
        mixed = rng.random(count) < (1.0 if built else 0.9)
        weights.append(np.where(mixed, rng.integers(1, 4, count), rng.random(count) * 3)
                       .astype(np.float64) if rng.random() < 0.8 else np.ones(count))
        sizes = rng.integers(2, 60, count) if built else \
            np.where(rng.random(count) < 0.95, rng.integers(1, 60, count), rng.integers(200, 300, count))
        values.extend(rng.bytes(int(n)) for n in sizes)
    field_lengths = rng.integers(1, 200_000, 200_000)
    field_lengths[190_000:][rng.random(10_000) < 0.2] = 0
    texts = sorted({rng.bytes(6) for _ in range(terms)})[:terms]
    return (texts[:len(counts)], counts[:len(texts)], np.concatenate(docs), np.concatenate(weights), values,
            field_lengths)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_stretch_of_terms_is_written_as_term_after_term(seed):
    """`TermWriter.write_stretch` (terms of one block made together in numpy, their pickles laid out by hand) writes
    the bytes and the terms' entries that `write_term` writes term after term through `pickle` and `zlib`: one
    posting and many, several blocks, weights of 1.0, equal and mixed, whole and not, long values, lengths of 0 and
    past a byte's, documents of every pickled size, stretches written after others, values read from wherever they
    are."""
    schema = make_schema()
    texts, counts, docs, weights, values, field_lengths = _stretch_and_terms(seed, 3000)
    written = {}
    for way in ("term", "stretch"):
        postfile = io.BytesIO()
        writer = writer_module.TermWriter(W3Codec(), postfile, 1000)
        writer.start_field(3, schema["body"])
        by_term = []  # the terms `write_stretch` leaves to `_term`
        term = writer._term
        writer._term = lambda *args: (by_term.append(len(args[0])), term(*args))[1]
        a = 0
        for half in (slice(0, len(counts) // 2), slice(len(counts) // 2, len(counts))):
            part = counts[half]
            b = a + int(part.sum())
            lengths = np.array([len(v) for v in values[a:b]], dtype=np.int64)
            if way == "stretch":  # the values laid out in another order than the postings' (as they came)
                blob = b"".join(reversed(values[a:b]))
                starts = len(blob) - np.cumsum(lengths)
                writer.write_stretch(texts[half], part, docs[a:b], weights[a:b], starts, lengths, blob, field_lengths)
            else:
                at = a
                for text, count in zip(texts[half], part.tolist()):
                    ids = docs[at:at + count]
                    writer.write_term(text, ids.tolist(), weights[at:at + count].tolist(), values[at:at + count],
                                      field_lengths[ids].tolist())
                    at += count
            a = b
        written[way] = (postfile.getvalue(), writer.entries, writer.at)
    assert written["stretch"][2] == written["term"][2] == 1000 + len(written["term"][0])
    assert written["stretch"][1] == written["term"][1]
    assert written["stretch"][0] == written["term"][0]
    assert (counts > 128).any() and (counts == 1).sum() > len(counts) // 2
    # Both ways were taken: terms of one block and of several laid out in numpy, and the others term by term.
    assert 0 < len(by_term) < len(counts) // 2
    assert sum(count > 128 for count in by_term) < (counts > 128).sum()


def test_a_documents_fields_counted_together_are_what_each_field_counted_alone_gives(archive):
    """`Numbering.packed` (a document's fields counted and their positions encoded in numpy, all at once) gives the
    `Numbered` values `numbered_postings_of` gives field after field, byte for byte: on the archive's documents, on
    a text of 70,000 words (positions past one and two bytes) and on one whose word stands 1,001 times in it (pickle
    then writes its positions in two batches, which the straightforward way does)."""
    from index.analysis import analyze

    articles, _ = archive
    fast, slow = writer_module.Numbering(), writer_module.Numbering()
    texts = [(a.language, {"title": a.title, "body": a.body}) for a in articles]
    syllables = ["ба", "ке", "лу", "мо", "са", "ты", "жө", "үр"]
    words = ["".join(letters) for letters in itertools.product(syllables, repeat=3)]
    texts.append(("ky", {"body": " ".join(["башы", *(words[i % len(words)] for i in range(70_000)), "башы"])}))
    texts.append(("ru", {"body": "село " * 1001 + "город"}))
    declined = 0
    for language, fields in texts:
        analyzed = {base: analyze(text, language) for base, text in fields.items() if text}
        doc = {field_name(base, kind): None for base in analyzed for kind in VARIANTS}
        a = build_module.numbered(doc, analyzed, fast)
        b = build_module.numbered(doc, analyzed, slow, straightforward=True)
        assert a.keys() == b.keys()
        fields_ = [(kind, fast.word_numbers(analyzed["body"], VARIANTS), 1.0) for kind in VARIANTS]
        packed = fast.packed(fields_) is not None
        declined += not packed
        for name, value in a.items():
            if name == writer_module.FRESH:
                assert value[1] == b[name][1]
            else:
                state, straightforward = value.__getstate__(), b[name].__getstate__()
                assert state[1:7] == straightforward[1:7], name
                # Sent beside the values where they were packed, their positions (which the straightforward way
                # leaves to be decoded from the values), as Whoosh decodes them from the values.
                assert straightforward[7] is None
                if packed:
                    ends = np.frombuffer(value.ends, dtype=np.int64).tolist()
                    decoded = [position for begin, end in zip([0, *ends], ends)
                               for position in Positions().decode_positions(value.values[begin:end])]
                    assert np.frombuffer(state[7], dtype=np.int32).tolist() == decoded, name
                else:
                    assert state[7] is None
    assert declined == 1  # the word of 1,001 positions

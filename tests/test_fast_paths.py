"""The fast paths give the straightforward answers: search (top hits with scores, total, every facet count,
snippets), completions and related articles, on a generated archive of a few hundred articles (bench/scale_archive).

And the caches they keep are keyed by index version: a rebuilt index is never answered from an older one.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.matching import UnionMatcher
from whoosh.query import Or, Prefix, Term

from index.analysis import indexed_words
import index.arrays as arrays_module
from index.arrays import MIN_POSTINGS, open_arrays, write_arrays
from index.build import build_index, open_index, update_index
from search import scoring
from search.articles import RELATED_FILE, StoredRelated, related, store_related
from search.columns import IndexVersion, built_lexicon, index_version, lexicon, shared_searcher
from search.query import parse_query
from search.searcher import FacetValue, Filters, search
from search.suggest import _suggest, complete, did_you_mean

BENCH = Path(__file__).resolve().parent.parent / "bench"
if str(BENCH) not in sys.path:
    sys.path.append(str(BENCH))  # after the repository, so `search` stays the package

import scale_archive  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    articles = scale_archive.generate(160, seed=7, length=(30, 90))
    source = scale_archive.write(articles, tmp_path_factory.mktemp("generated") / "archive.jsonl")
    path = source.parent / "index"
    assert build_index([source], path).indexed == 160
    ix = open_index(path)
    yield ix, articles
    ix.close()


def _queries(articles: list[dict]) -> list[tuple[str, Filters, int, str]]:
    """≥ 50 varied queries: one word, two words, a phrase, inflected, folded, Latin, prefix, negation, field and
    facet syntax, rare and missing words; with and without filters, later pages and date sorts."""
    rng = random.Random(3)
    words = [w for a in articles for w in scale_archive.WORD.findall(a["title"]) if len(w) > 3]
    pairs = [a["title"].split()[:2] for a in articles if len(a["title"].split()) >= 2]
    texts = ["бюджет", "айыл", "органы местного", "жергиликтүү бюджет", "jergiliktuu", "жергиликтуу", "мектеп*",
             "шаар -Бишкек", '"Кыргыз Республикасынын"', "title:бюджет", "year:2015 айыл", "language:ru органы",
             "zzzqqqx", "айыл OR шаар", "NOT айыл", "бюджетке", "муниципалитеттерге", "самоуправления",
             "kyrgyz", "сүт~"]
    texts += rng.sample(words, 20) + [" ".join(p) for p in rng.sample(pairs, 8)]
    texts += ['"' + " ".join(p) + '"' for p in rng.sample(pairs, 4)]
    filters = [Filters(), Filters(year=[2015, 2016]), Filters(language=["ru"]), Filters(section=["Бюджет"]),
               Filters(kind=["news", "press-release"]), Filters(issue=["unknown"]),
               Filters(year_from=2012, year_to=2020, language=["ky"]), Filters(author=["Айгүл АСАНОВА"])]
    out = []
    for i, text in enumerate(texts):
        out.append((text, Filters(), 1, "relevance"))
        out.append((text, filters[1 + i % (len(filters) - 1)], 1 + (i % 3 == 0), ("relevance", "newest")[i % 5 == 4]))
    return out


def test_fast_search_agrees_with_the_straightforward_one(generated):
    ix, articles = generated
    queries = _queries(articles)
    assert len(queries) >= 100
    answered = 0
    for text, filters, page, sort in queries:
        slow = search(ix, text, filters, page=page, page_size=10, sort=sort, fast=False)
        fast = search(ix, text, filters, page=page, page_size=10, sort=sort, cache=False)
        assert fast.to_dict() == slow.to_dict(), (text, filters, page, sort)
        answered += bool(slow.hits)
    assert answered >= len(queries) // 2  # the comparison is not between empty pages


def _same_matches(ix, texts: list[str]) -> int:
    """Check `scoring.matches` against Whoosh's walk, bit for bit, on each query, with the tree's term matchers from
    the cache and with Whoosh's own; return how many matched."""
    searcher = shared_searcher(ix)
    matched = 0
    for text in texts:
        q = parse_query(text).query
        docs, scores = scoring.straightforward_matches(searcher, q)
        for planned in (True, False):
            fast_docs, fast_scores = scoring.matches(searcher, q, index_version(ix), planned=planned)
            assert np.array_equal(fast_docs, docs), (text, planned)
            assert fast_scores.tobytes() == scores.tobytes(), (text, planned)  # the same floats, not nearly
            bounded = scoring.bounded_matches(searcher, q, index_version(ix), planned=planned)
            if bounded is not None:  # a proximity clause: each document's exact score, from the bounds and positions
                assert np.array_equal(bounded.docs, docs), (text, planned)
                assert bounded.exact(np.arange(len(docs))).tobytes() == scores.tobytes(), (text, planned)
                assert np.all(bounded.scores + bounded.extra >= scores), (text, planned)  # an upper bound indeed
        matched += len(docs) > 0
    return matched


_STANDS_FOR = {"_Cached": "W3LeafMatcher", "_Union": "ArrayUnionMatcher", "_PositionedNear": "SpanNearMatcher",
               "_PositionedNear2": "SpanNear2Matcher"}


def _shape(m) -> tuple:
    """A matcher tree as classes and terms, a matcher of the planned tree named as the Whoosh matcher it stands for
    (a union of a prefix's many words, and a position matcher, as a whole: their parts are what they save making)."""
    if type(m) is UnionMatcher and type(m.a) is scoring._Summed:  # the tree it was summed by, with Whoosh's leaves
        return _summed_shape(m.a, _nested(m.a.parent, m.a.side, len(m.a.terms)))
    if type(m) is scoring._Intersected:  # the side it was evaluated from
        return _shape(m.side)
    name = _STANDS_FOR.get(type(m).__name__, type(m).__name__)
    if name in ("ArrayUnionMatcher", "SpanNearMatcher", "SpanNear2Matcher"):
        return (name, None, ())
    term = m.term() if hasattr(m, "term") and not list(m.children()) else None
    return (name, term, tuple(_shape(c) for c in m.children()))


def _nested(parent: np.ndarray, side: np.ndarray, tips: int):
    """A tree given as each node's parent and side (`scoring.weighted_tree`) as nested pairs of leaf numbers."""
    children: dict[int, list] = {}
    for node, (above, which) in enumerate(zip(parent.tolist(), side.tolist())):
        children.setdefault(above, [None, None])[which] = node

    def nest(node: int):
        return node if node < tips else tuple(nest(child) for child in children[node])
    return nest(children[-1][0])


def _summed_shape(summed, node) -> tuple:
    if isinstance(node, int):
        leaf = ("W3LeafMatcher", summed.terms[node], ())
        return ("FilterMatcher", None, (leaf,)) if summed.filtered else leaf
    return ("UnionMatcher", None, tuple(_summed_shape(summed, child) for child in node))


def test_weighted_trees_are_whooshs():
    """The tree of a prefix's words made with a heap is the one Whoosh's `make_weighted_tree` makes, for weights
    with many ties (as words' document counts have: most are 1), few, and none, in any order."""
    rng = random.Random(11)
    cases = [[1, 1], [1, 2], [5, 1, 1], [1] * 9, list(range(12, 0, -1))]
    cases += [[rng.choice([1, 1, 1, 2, 3, 7, 40]) for _ in range(rng.randint(2, 300))] for _ in range(200)]
    cases += [[rng.randint(1, 10_000) for _ in range(rng.randint(2, 50))] for _ in range(50)]
    for weights in cases:
        fast, slow = scoring.weighted_tree(weights), scoring.straightforward_weighted_tree(weights)
        assert _nested(*fast[:2], len(weights)) == _nested(*slow[:2], len(weights)), weights
        assert fast[2].max() == slow[2].max(), weights


@pytest.mark.parametrize("grid", [True, False])
def test_sums_up_a_tree_are_whooshs_unions(monkeypatch, grid):
    """`_tree_sums` adds each document's scores up the tree as Whoosh's `UnionMatcher`s do (a + b at each fork where
    both sides have it, computed here node by node in Python floats), bit for bit: fork by fork in a grid, and a
    height at a time where the grid would be too large."""
    monkeypatch.setattr(scoring, "DENSE_SUMS", 1 << 40 if grid else 0)
    rng = random.Random(3)
    for _ in range(60):
        tips = rng.randrange(1, 70)
        weights = [rng.choice([0, 1, 2, 3, rng.randrange(1, 5000)]) for _ in range(tips)]
        parent, side, height = scoring.weighted_tree(weights)
        size = rng.choice([5, 50, 3000])
        leaves = [sorted(rng.sample(range(size), min(size, w))) for w in weights]
        scored = [[rng.uniform(0.001, 30.0) for _ in leaf] for leaf in leaves]
        children: dict[int, list[int]] = {}
        for node in range(len(parent)):
            if parent[node] >= 0:
                children.setdefault(int(parent[node]), [0, 0])[int(side[node])] = node
        sums = [dict(zip(leaf, each)) for leaf, each in zip(leaves, scored)]
        for fork in range(tips, len(parent)):  # made after both its sides
            a, b = (sums[child] for child in children[fork])
            merged = dict(a)
            for doc, x in b.items():
                merged[doc] = merged[doc] + x if doc in merged else x
            sums.append(merged)
        expected = dict(sorted(sums[-1].items()))
        nodes = np.repeat(np.arange(tips), [len(leaf) for leaf in leaves])
        docs = np.array([d for leaf in leaves for d in leaf], dtype=np.int64)
        scores = np.array([x for each in scored for x in each], dtype=np.float64)
        found_docs, found_scores = scoring._tree_sums(docs, scores, nodes, parent, side, height, size)
        assert found_docs.tolist() == list(expected)
        assert found_scores.tolist() == list(expected.values())  # the same floats


def test_planned_trees_are_whooshs_own(generated, updated):
    """The tree built over cached term matchers has Whoosh's shape, classes and terms, and Whoosh's own walk of it
    (what the evaluator falls back on for nodes it does not know, position matchers included) finds the same
    documents with the same scores, on one segment and on several with deletions."""
    texts = list(dict.fromkeys(text for text, *_ in _queries(generated[1])))
    texts += ['"жергиликтүү өз башкаруу органдары"', "бюджет -жергиликтүү", "мект*", "NOT бюджет", "к*", "б* -к*",
              '"бюджет жергиликтүү" к*', "айыл бюдж*", '"жергиликтүү бюджет"~3 к*', '"айыл бюджет"~2 б*']
    walked = unions = summed = 0
    positioned = set()
    for ix in (generated[0], updated):
        searcher = shared_searcher(ix)
        version = index_version(ix)
        context = searcher.context(needs_current=True)
        for text in texts:
            q = parse_query(text).query
            assert _state(scoring._plannable(q)) == _state(q), text  # the same query, its prefixes `_Prefix`
            for number, (sub, _) in enumerate(searcher.leaf_searchers()):
                segment = scoring._segment(version, number, sub.reader())
                planned = scoring.planned_matcher(q, sub, version, number, segment, context)
                real = q.matcher(sub, context)
                assert _shape(planned) == _shape(real), text
                unions += "_Union" in repr(_classes(planned))
                summed += "_Summed" in repr(_classes(planned))
                positioned |= {name for name in _classes(planned) if name.startswith("_Positioned")}
                steps = []
                for m in (planned, real):
                    found = []
                    while m.is_active():
                        found.append((m.id(), m.score()))
                        m.next()
                    steps.append(found)
                assert steps[0] == steps[1], text
                walked += len(steps[0])
    assert walked > 1000
    assert unions  # a prefix of more than Or.TOO_MANY_CLAUSES words was among them
    assert summed  # and prefixes of fewer, summed
    assert positioned == {"_PositionedNear", "_PositionedNear2"}  # and phrases of both kinds


def _state(q) -> tuple:
    """A query tree as classes and every attribute but the children (a `_Prefix` named as the `Prefix` it is)."""
    name = type(q).__name__.lstrip("_")
    attrs = repr(sorted((k, repr(v)) for k, v in vars(q).items() if k not in ("subqueries", "a", "b", "query", "child")))
    return name, attrs, tuple(_state(c) for c in q.children())


def _classes(m) -> list:
    return [type(m).__name__] + [name for c in m.children() for name in _classes(c)]


def test_numpy_scores_are_whooshs_own(generated):
    ix, articles = generated
    texts = list(dict.fromkeys(text for text, *_ in _queries(articles)))
    # Phrases in the body's order, the same two words the other way round (a phrase is ordered: no match),
    # and one word twice (two positions in a row, never the same one).
    rng = random.Random(5)
    for article in rng.sample(articles, 12):
        words = scale_archive.WORD.findall(article["body"])
        i = rng.randrange(len(words) - 1)
        texts += [f'"{words[i]} {words[i + 1]}"', f'"{words[i + 1]} {words[i]}"', f'"{words[i]} {words[i]}"']
        # Three and four words: in order, out of order, with a word left out (a gap a slop of 2 bridges, 1 does
        # not), and one word thrice.
        i = rng.randrange(len(words) - 3)
        a, b, c, d = words[i:i + 4]
        texts += [f'"{a} {b} {c}"', f'"{a} {b} {c} {d}"', f'"{a} {c} {b}"', f'"{a} {c} {d}"', f'"{a} {c} {d}"~2',
                  f'"{a} {b} {d}"~3', f'"{a} {a} {a}"']
    assert _same_matches(ix, texts) >= len(texts) // 2


@pytest.fixture(scope="module")
def updated(generated, tmp_path_factory):
    """An updated index: several segments, and deleted documents."""
    _, articles = generated
    folder = tmp_path_factory.mktemp("updated")
    archive = scale_archive.write(articles[:120], folder / "a" / "archive.jsonl")
    update_index([archive], folder / "ix")
    changed = [dict(a, title=a["title"] + " бюджет") for a in articles[:30]] + articles[30:100] + articles[120:150]
    scale_archive.write(changed, archive)
    report = update_index([archive], folder / "ix")
    assert report.removed and report.changed and report.added
    ix = open_index(folder / "ix")
    yield ix
    ix.close()


def test_numpy_scores_agree_across_segments_and_deletions(generated, updated):
    """The walk skips deleted documents and adds up each segment; numpy must do the same."""
    searcher = shared_searcher(updated)
    assert len(searcher.leaf_searchers()) > 1 and searcher.reader().has_deletions()
    texts = list(dict.fromkeys(text for text, *_ in _queries(generated[1])))
    assert _same_matches(updated, texts) >= len(texts) // 2


def test_an_or_of_terms_scored_at_once_is_whooshs(generated, updated, monkeypatch):
    """`terms_matches`, an `Or` of boosted terms as related articles ask it (each term scored, times its boost, and
    added up Whoosh's weighted tree of unions), is `matches` and Whoosh's walk bit for bit: terms of both stem
    fields, frequent and rare, terms a segment lacks, a field the schema lacks, one term and none; on one segment
    and on several with deleted documents; with the fields' whole lexicons held and without. Only boosted and
    unboosted terms together over deleted documents are left to `matches` (their tree sorts by class too)."""
    rng = random.Random(11)
    asked, at_once = 0, 0
    whole = scoring.matches

    def left_to_matches(*args, **kwargs):
        nonlocal at_once
        at_once -= 1
        return whole(*args, **kwargs)
    monkeypatch.setattr(scoring, "matches", left_to_matches)
    for ix in (generated[0], updated):
        searcher, version = shared_searcher(ix), index_version(ix)
        reader = searcher.reader()
        body = [text for text in reader.lexicon("body_stem")]
        title = [text for text in reader.lexicon("title_stem")]
        for held in (False, True):
            if held:
                scoring.hold_lexicons(searcher, version, ("body_stem", "title_stem"))
            try:
                for n in [0, 1, 2, 3] + [rng.randrange(4, 60) for _ in range(40)]:
                    boosts = rng.choice(["boosted", "unboosted", "both"])
                    terms = []
                    for _ in range(n):
                        kind = rng.random()
                        field, words = ("title_stem", title) if kind < 0.3 else ("body_stem", body)
                        text = rng.choice(words).decode("utf-8") if kind < 0.9 else f"жок{rng.randrange(99)}"
                        boost = rng.choice([round(rng.uniform(0.1, 9.0), 4), rng.uniform(0.01, 3.0)])
                        boost = 1.0 if boosts == "unboosted" or boosts == "both" and rng.random() < 0.3 else boost
                        terms.append(Term("no_such_field" if kind > 0.97 else field, text, boost=boost))
                    docs, scores = scoring.straightforward_matches(searcher, Or(terms))
                    slow_docs, slow_scores = whole(searcher, Or(terms), version)
                    assert np.array_equal(slow_docs, docs) and slow_scores.tobytes() == scores.tobytes(), terms
                    at_once += 1
                    fast_docs, fast_scores = scoring.terms_matches(searcher, terms, version)
                    assert np.array_equal(fast_docs, docs), terms
                    assert fast_scores.tobytes() == scores.tobytes(), terms  # the same floats, not nearly
                    asked += len(docs) > 0
            finally:
                scoring.let_go_lexicons()
    assert asked > 100
    assert at_once > 150  # most of them without `matches`


def test_snippets_from_index_positions_agree_across_segments(generated, updated):
    """Snippets marked where the index has the query's words (`make_snippet`'s `at`) are those of analyzing the text,
    on an index of several segments with deleted documents (each segment numbers its documents from 0), first
    shown and shown again."""
    texts = list(dict.fromkeys(text for text, *_ in _queries(generated[1])))
    marked = 0
    for text in texts + texts[:10]:
        slow = search(updated, text, facets=False, fast=False)
        fast = search(updated, text, facets=False, cache=False)
        assert [(h.id, h.snippet_parts) for h in fast.hits] == [(h.id, h.snippet_parts) for h in slow.hits], text
        marked += any(part["match"] for h in slow.hits for part in h.snippet_parts)
    assert marked >= len(texts) // 2


def test_segment_arrays_are_whooshs_postings_and_the_bodies_words(generated, updated):
    """The arrays written beside each segment (`index.arrays`) hold every term's postings and positions as Whoosh
    reads them, and each body's words where `indexed_words` finds them; an update writes them for its new segments,
    and Whoosh deletes those of the segments it merges away."""
    for ix in (generated[0], updated):
        folder = Path(ix.storage.folder)
        with ix.reader() as reader:
            leaves = [sub for sub, _ in reader.leaf_readers()]
            assert {p.name.split(".")[0] for p in folder.glob("*.izde_at")} == {
                sub.segment().segment_id() for sub in leaves}
            kept = 0
            for sub in leaves:
                arrays = open_arrays(folder, sub.segment(), sub.doc_count_all())
                assert arrays is not None
                for fieldname in ("body", "body_stem", "body_latin", "title_fold"):
                    # Many terms' documents at once are each one's, and which the arrays lack is said.
                    placed = [info.extent() for _, info in sub.iter_field(fieldname) if not info.is_inlined()]
                    together, lacked = arrays.documents_of(np.array([e[0] for e in placed], dtype=np.int64))
                    each = [arrays.postings(e) for e in placed]
                    assert lacked.tolist() == [found is None for found in each]
                    assert together.tolist() == [d for found in each if found is not None for d in found[0].tolist()]
                    for text, info in sub.iter_field(fieldname):
                        found = arrays.postings(None if info.is_inlined() else info.extent())
                        if info.doc_frequency() < MIN_POSTINGS:
                            assert found is None
                            continue
                        m, whooshs = sub.postings(fieldname, text), []
                        while m.is_active():
                            whooshs.append((m.id(), m.weight(), m.value_as("positions")))
                            m.next()
                        ids, weights = found
                        counts, positions = arrays.positions(info.extent(), np.arange(len(ids)))
                        each = np.split(positions, np.cumsum(counts)[:-1])
                        live = [(int(i), float(w), p.tolist()) for i, w, p in zip(ids, weights, each)
                                if not sub.is_deleted(int(i))]
                        assert live == whooshs, (fieldname, text)
                        kept += 1
                for docnum in range(sub.doc_count_all()):
                    body = sub.stored_fields(docnum).get("body", "")
                    starts, ends, surfaces = indexed_words(body)
                    spans = arrays.words(docnum)
                    if any(body[a:b] != w for a, b, w in zip(starts, ends, surfaces)):
                        assert spans is None
                    else:
                        assert spans[0].tolist() == starts and spans[1].tolist() == ends
            assert kept > 100


def test_arrays_written_in_several_processes_are_the_same(generated, tmp_path):
    """The terms' arrays read by two worker processes, each taking some of the fields (their postings laid one part
    after the other), hold what one process writes: every term's postings and positions, every body's words."""
    ix, _ = generated
    with ix.reader() as reader:
        segment, documents = reader.leaf_readers()[0][0].segment(), reader.doc_count_all()
    written = {}
    for processes in (1, 2):
        folder = tmp_path / f"p{processes}"
        shutil.copytree(ix.storage.folder, folder)
        for array_file in folder.glob("*.izde_*"):
            array_file.unlink()
        copy = whoosh_index.open_dir(str(folder))  # Whoosh's files alone (the build's meta lists the arrays)
        assert write_arrays(folder, copy, processes=processes) == 1
        copy.close()
        assert len(list(folder.glob("*.izde_*"))) == 9 and not list(folder.glob("*.part*"))
        written[processes] = open_arrays(folder, segment, documents)
    one, two = written[1], written[2]
    assert np.array_equal(one._at, two._at) and len(one._at) > 100
    for offset in one._at.tolist():
        ranks = np.arange(len(one.postings((offset, 0))[0]))
        for a, b in zip(one.postings((offset, 0)) + one.positions((offset, 0), ranks),
                        two.postings((offset, 0)) + two.positions((offset, 0), ranks)):
            assert np.array_equal(a, b), offset
    for docnum in range(documents):
        a, b = one.words(docnum), two.words(docnum)
        assert (a is None and b is None) or all(np.array_equal(x, y) for x, y in zip(a, b)), docnum


def test_postings_from_statistics_and_arrays_are_whooshs(generated, updated):
    """A term's postings as a query reads them — a term of one document from its statistics, a common one from the
    segment's arrays — are the ones Whoosh's blocks decode to, deleted documents included, on every term of the text
    fields of an index of one segment and of one updated (with deletions)."""
    kinds = {"one document": 0, "arrays": 0, "read": 0}
    for ix in (generated[0], updated):
        version = index_version(ix)
        with ix.reader() as reader:
            for number, (sub, _offset) in enumerate(reader.leaf_readers()):
                key = scoring._key(version, number)
                for fieldname in ("title", "body", "body_stem", "body_fold", "authors_text_latin"):
                    for text, _info in sub.iter_field(fieldname):
                        stats = scoring._stats(key, sub, fieldname, text)
                        ids, weights = scoring._postings(key, sub, fieldname, text, stats)
                        whooshs = scoring._read_postings(sub, fieldname, text, stats[4])
                        assert ids.dtype == whooshs[0].dtype and weights.dtype == whooshs[1].dtype
                        assert ids.tolist() == whooshs[0].tolist() and weights.tolist() == whooshs[1].tolist()
                        kinds["one document" if stats[5] is not None else "arrays" if stats[0] >= MIN_POSTINGS
                              else "read"] += 1
    assert min(kinds.values()) > 100, kinds


def test_prefixed_terms_read_from_the_term_file_are_whooshs(generated, updated):
    """A prefix's terms and their statistics read at once from the segment's term file are `iter_prefix`'s, for
    every prefix of one to three bytes (half letters too) of every term of the text fields, the first and last
    terms themselves, a prefix past the last term and one no term has, on an index of one segment and one
    updated, read through memory maps and as plain files."""
    from whoosh.filedb.filestore import FileStorage

    plain = [FileStorage(ix.storage.folder).open_index() for ix in (generated[0], updated)]
    compared = 0
    for ix in [generated[0], updated] + plain:
        with ix.reader() as reader:
            for sub, _offset in reader.leaf_readers():
                for fieldname in ("title", "body", "body_stem", "body_fold", "authors_text_latin", "section_text"):
                    words = list(sub.lexicon(fieldname))
                    prefixes = {text[:k] for text in words for k in (1, 2, 3)}
                    if ix in plain:
                        prefixes = set(sorted(prefixes)[::7])
                    for prefix in sorted(prefixes) + [words[0], words[-1], "\uffff".encode(), "жжжжжж"]:
                        fast = scoring.prefixed(sub, fieldname, prefix).pairs()
                        assert fast == scoring.straightforward_prefixed_terms(sub, fieldname, prefix), prefix
                        compared += len(fast)
    for ix in plain:
        ix.close()
    assert compared > 10_000


def test_a_planned_prefixs_size_is_whooshs(generated, updated):
    """The size a planned prefix estimates from its words' statistics (which orders Whoosh's tree of a query's
    fields) is Whoosh's sum of their `doc_frequency`, for prefixes of one to four letters in each text field."""
    compared = 0
    for ix in (generated[0], updated):
        searcher = shared_searcher(ix)
        version = index_version(ix)
        for number, (sub, _) in enumerate(searcher.leaf_searchers()):
            planned = scoring._Planned(sub, version, number, scoring._segment(version, number, sub.reader()))
            for fieldname in ("title", "body", "body_stem", "body_fold", "authors_text_latin"):
                words = [text.decode("utf-8") for text in sub.reader().lexicon(fieldname)]
                for prefix in sorted({word[:k] for word in words[::5] for k in (1, 2, 4)}):
                    q = scoring._plannable(Prefix(fieldname, prefix))
                    whooshs = Prefix(fieldname, prefix).estimate_size(sub.reader())
                    assert q.estimate_size(planned.reader()) == whooshs, (fieldname, prefix)
                    compared += whooshs > 0
    assert compared > 500


def test_search_without_segment_arrays_is_the_same(generated, tmp_path):
    """An index whose segments have no arrays (built before them) reads Whoosh's postings and finds the words
    itself: the same answers. Arrays that do not fit together are not read."""
    ix, articles = generated
    folder = tmp_path / "index"
    shutil.copytree(ix.storage.folder, folder)
    for array_file in folder.glob("*.izde_*"):
        array_file.unlink()
    meta = json.loads((folder / "izde.json").read_text(encoding="utf-8"))
    meta["files"] = {name: size for name, size in meta["files"].items() if ".izde_" not in name}
    (folder / "izde.json").write_text(json.dumps(meta), encoding="utf-8")
    bare = open_index(folder)
    for text in list(dict.fromkeys(text for text, *_ in _queries(articles)))[:30]:
        assert search(bare, text, cache=False).to_dict() == search(ix, text, cache=False).to_dict(), text
    bare.close()
    with ix.reader() as reader:
        segment = reader.leaf_readers()[0][0].segment()
    shutil.copytree(ix.storage.folder, tmp_path / "cut")
    assert open_arrays(tmp_path / "cut", segment, ix.doc_count_all()) is not None
    for suffix in (".izde_pos", ".izde_ids"):  # a position or a posting short
        cut = tmp_path / "cut" / segment.make_filename(suffix)
        whole = cut.read_bytes()
        cut.write_bytes(whole[:-4])
        assert open_arrays(tmp_path / "cut", segment, ix.doc_count_all()) is None, suffix
        cut.write_bytes(whole)
    assert open_arrays(tmp_path / "cut", segment, ix.doc_count_all()) is not None


def test_snippets_from_the_arrays_where_a_word_was_joined_across_a_hyphen(tmp_path):
    """A body with a word broken at a line's end («жер- гиликтүү») or a footnote digit has a word spelt otherwise than
    the text between its ends: its segment's arrays say so, and its snippet finds the words itself. The same
    snippets as analyzing every word, either way."""
    bodies = {"plain": "Жергиликтүү бюджет жана жергиликтүү кеңештер. " * 4,
              "joined": "Айылдагы жер- гиликтүү бюджет бекитилди1. " * 3 + "Жергиликтүү кеңеш.",
              "digits": "Жергиликтүү бюджеттин2 аткарылышы. " * 3}
    source = tmp_path / "a.jsonl"
    source.write_text("\n".join(json.dumps({"id": key, "title": "Бюджет", "body": body, "language": "ky",
                                            "kind": "news", "date": "2024-05-01"}, ensure_ascii=False)
                                 for key, body in bodies.items()), encoding="utf-8")
    build_index([source], tmp_path / "index")
    ix = open_index(tmp_path / "index")
    with ix.reader() as reader:
        sub = reader.leaf_readers()[0][0]
        arrays = open_arrays(Path(ix.storage.folder), sub.segment(), sub.doc_count_all())
        flagged = {sub.stored_fields(d)["id"]: arrays.words(d) is None for d in range(sub.doc_count_all())}
    assert flagged == {"plain": False, "joined": True, "digits": False}
    for text in ("жергиликтүү", "бюджет", "жергиликтуу бюджети", '"жергиликтүү бюджет"', "бекитилди"):
        fast, slow = search(ix, text, cache=False), search(ix, text, fast=False)
        assert [h.snippet_parts for h in fast.hits] == [h.snippet_parts for h in slow.hits], text
        assert any(p["match"] for h in fast.hits for p in h.snippet_parts), text
    ix.close()


@pytest.mark.parametrize("read_from", [0, arrays_module.READ_FROM])
def test_positions_decoded_at_once_are_whooshs(generated, monkeypatch, read_from):
    """`scoring.decode_positions` reads many postings' positions in one unpickling: the same as Whoosh's decoder one
    posting at a time, on every posting of the body's terms (most of one position, read from their bytes), on long
    lists (pickled in batches of 1,000) and large gaps, on lists of one position of every size (1, 2 and 4 bytes,
    and past 31 bits), and on values pickled otherwise (decoded by Whoosh's own)."""
    import pickle

    from whoosh.formats import Positions
    from whoosh.system import pack_uint

    monkeypatch.setattr(arrays_module, "READ_FROM", read_from)  # from the first posting, or as a build and a search
    ix, _ = generated
    decoded = 0
    with ix.reader() as reader:
        sub = reader.leaf_readers()[0][0]
        for fieldname in ("body", "body_stem"):
            for text, _info in sub.iter_field(fieldname):
                ids, (values, starts), decode = scoring._read_values(sub, fieldname, text)
                for pick in (np.arange(len(ids)), np.arange(len(ids))[1::2]):
                    counts, positions = scoring.decode_positions(values, starts, pick, decode)
                    want = [decode(values[starts[i]:starts[i + 1]]) for i in pick]
                    assert counts.tolist() == [len(w) for w in want]
                    assert positions.tolist() == [p for w in want for p in w], (fieldname, text)
                    decoded += len(pick)
    assert decoded > 10_000
    fmt = Positions()
    lists = [[4], list(range(0, 5000, 3)), [70_000, 70_001, 10**7], [2, 300, 301], [300], [255], [256], [65_535],
             [65_536], [70_000], [2**31 - 1], [2**31], [3, 5], [0]]
    for encode in (fmt.encode, lambda p: pack_uint(len(p)) + pickle.dumps([b - a for a, b in zip([0] + p, p)], 4)):
        values = [encode(p) for p in lists]
        starts = np.concatenate([[0], np.cumsum([len(v) for v in values])])
        for pick in (np.arange(len(lists)), np.array([0, 4, 5, 9, 11]), np.array([1, 12])):
            counts, positions = scoring.decode_positions(b"".join(values), starts, pick, fmt.decode_positions)
            assert counts.tolist() == [len(lists[i]) for i in pick]
            assert positions.tolist() == [x for i in pick for x in lists[i]]


def test_fast_corrections_agree(generated, updated):
    """The nearest words from rapidfuzz over the lexicon are Whoosh's corrector's, in its order (ties too), on an
    index of one segment and on one of several (where Whoosh counts edits differently)."""
    for ix in (generated[0], updated):
        _same_corrections(ix, generated[1])


def _same_corrections(ix, articles: list[dict]) -> None:
    rng = random.Random(11)
    words = sorted({w.lower() for a in articles[:60] for w in scale_archive.WORD.findall(a["body"]) if len(w) > 3})
    typos = []
    for word in rng.sample(words, 120):
        letters = list(word)
        i = rng.randrange(1, len(letters))
        kind = rng.randrange(4)
        if kind == 0:
            letters[i] = rng.choice("аеиоуыөүң")
        elif kind == 1:
            del letters[i]
        elif kind == 2:
            letters.insert(i, rng.choice("кнтр"))
        elif i < len(letters) - 1:
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
        typos.append("".join(letters))
    searcher = shared_searcher(ix)
    reader = searcher.reader()
    corrector = searcher.corrector("body")
    found = 0
    for typo in typos:
        for distance in (1, 2):
            expected = corrector.suggest(typo, limit=5, maxdist=distance, prefix=1)
            assert _suggest(reader, lexicon(ix, reader), typo, distance) == expected, (typo, distance)
            found += bool(expected)
    assert found > len(typos)
    assert built_lexicon(ix) is not None  # so `did_you_mean` takes the fast path below
    for text in typos[:40] + [" ".join(typos[i:i + 2]) for i in range(40, 60, 2)]:
        assert did_you_mean(ix, text) == did_you_mean(ix, text, fast=False), text


def test_fast_completions_agree(generated):
    ix, articles = generated
    prefixes = ["м", "мам", "ж", "жерги", "орг", "у", "о", "н", "ор", "бюджеттик уг", "Кыр", "zz", "1", "үй", "мест"]
    prefixes += [w[:k] for w in scale_archive.WORD.findall(" ".join(a["title"] for a in articles[:30]))
                 for k in (2, 4) if len(w) > k]
    for prefix in prefixes:
        assert complete(ix, prefix, fast=True) == complete(ix, prefix, fast=False), prefix
    assert complete(ix, "бюдж")[0].text.startswith("бюдж")


def test_related_fast_and_cached_agree(generated, updated):
    """Related lists scored in numpy are Whoosh's top N, on one segment and on an updated index."""
    ix, articles = generated
    listed = 0
    for index in (ix, updated):
        for article in articles[:60]:
            expected = related(index, article["id"], cache=False, fast=False)
            assert related(index, article["id"], cache=False) == expected, article["id"]
            assert related(index, article["id"]) == expected
            listed += bool(expected)
    assert listed > 60
    assert related(ix, "no-such-article") is None


def test_stored_related_lists_are_the_computed_ones(generated, updated, tmp_path):
    """`store_related` keeps each article's list as `related` computes it, and they are served from the file only
    for the version it was made for: not after the index changes, nor from a file that cannot be read."""
    for ix in (generated[0], updated):
        version = index_version(ix)
        ids = [fields["id"] for _, fields in shared_searcher(ix).reader().iter_docs()]
        (Path(version.folder) / RELATED_FILE).unlink(missing_ok=True)
        stored = StoredRelated(version)  # as a server that opened the index before its lists were stored
        assert stored.get(ids[0]) is None
        assert store_related(ix, processes=2) == len(ids) > 100  # in two worker processes
        in_two = _related_rows(version)
        (Path(version.folder) / RELATED_FILE).unlink()
        assert store_related(ix, processes=1) == len(ids) > 100
        assert _related_rows(version) == in_two
        assert store_related(ix) == len(ids)  # made for this version already: kept as it is
        served = 0
        for article_id in ids:
            expected = related(ix, article_id, cache=False, fast=False)
            assert stored.get(article_id) == expected, article_id
            assert related(ix, article_id) == expected, article_id
            served += bool(expected)
        assert served > 100
        assert stored.get("no-such-article") is None
        assert StoredRelated(IndexVersion(version.folder, version.generation + 1)).get(ids[0]) is None
    (tmp_path / RELATED_FILE).write_bytes(b"not a database")
    assert StoredRelated(IndexVersion(str(tmp_path), 1)).get(ids[0]) is None


def _related_rows(version) -> list:
    import sqlite3

    with sqlite3.connect(Path(version.folder) / RELATED_FILE) as db:
        return db.execute("SELECT id, articles FROM related ORDER BY id").fetchall()


def test_caches_never_answer_from_an_older_index(tmp_path):
    """A rebuild at the same path is a new version: the cached answers of the previous one are not served."""
    source = tmp_path / "a.jsonl"
    path = tmp_path / "index"

    def build(title: str, body: str):
        source.write_text(json.dumps({"id": "x1", "title": title, "body": body, "language": "ky",
                                      "kind": "news", "date": "2024-05-01"}, ensure_ascii=False), encoding="utf-8")
        build_index([source], path)
        return open_index(path)

    old = build("Суу түтүгү", "Айылда суу түтүгү оңдолду.")
    assert search(old, "суу").total == 1 and complete(old, "су")[0].text == "суу"
    new = build("Мектеп курулду", "Айылда жаңы мектеп курулду.")
    assert index_version(new) != index_version(old)
    assert search(new, "суу").total == 0
    assert search(new, "мектеп").total == 1
    assert [c.text for c in complete(new, "су")] == []
    old.close()
    new.close()


def test_a_call_reads_the_version_once_and_the_next_sees_a_commit(tmp_path):
    """A search, a completion and related articles each read the index's version once (Whoosh lists its folder
    for it: under load each listing was a wait for the interpreter), and a commit made in place between two calls
    is seen by the second: no answer from the older version, cached or not."""
    source = tmp_path / "a.jsonl"
    rows = [{"id": f"x{i}", "title": f"Суу түтүгү {i}", "body": "Айылда суу түтүгү оңдолду.", "language": "ky",
             "kind": "news", "date": f"2024-05-0{i}"} for i in (1, 2)]
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    build_index([source], tmp_path / "index")
    ix = open_index(tmp_path / "index")
    reads = []
    latest = ix.latest_generation
    ix.latest_generation = lambda: reads.append(1) or latest()
    try:
        for call in (lambda: search(ix, "суу"), lambda: search(ix, "суу", cache=False), lambda: complete(ix, "су"),
                     lambda: related(ix, "x1"), lambda: search(ix, "түтүк*", cache=False)):
            reads.clear()
            call()
            assert len(reads) == 1
        assert search(ix, "суу").total == 2
        writer = ix.writer()
        writer.delete_by_term("id", "x2")
        writer.commit()
        assert search(ix, "суу").total == 1 and search(ix, "суу", cache=False).total == 1
        assert [h.id for h in search(ix, "түтүк*").hits] == ["x1"]
    finally:
        ix.close()


def test_what_scoring_keeps_outlives_the_thread_that_read_it(tmp_path):
    """Web threads come and go, and each closes its searchers: what `search.scoring` keeps for an index version
    (segment arrays, postings) must serve the next thread, which reads new terms with its own reader."""
    articles = scale_archive.generate(30, seed=3, length=(20, 40))
    source = scale_archive.write(articles, tmp_path / "a.jsonl")
    build_index([source], tmp_path / "index")
    ix = open_index(tmp_path / "index")
    words = [w for a in articles for w in scale_archive.WORD.findall(a["title"]) if len(w) > 3]
    answers: dict[str, object] = {}

    def run(texts: list[str]) -> None:
        for text in texts:
            try:
                answers[text] = search(ix, text, cache=False).to_dict()
            except Exception as error:  # noqa: BLE001 - the test reports it
                answers[text] = error

    for texts in (words[:5], words[5:12]):  # the second thread's words are new to the caches
        thread = threading.Thread(target=run, args=(texts,))
        thread.start()
        thread.join()
    try:
        for text in words[:12]:
            assert answers[text] == search(ix, text, fast=False).to_dict(), text
    finally:
        ix.close()


def test_the_snippet_prefilter_never_refuses_a_words_own_keys(generated):
    """The snippets' prefilter (QueryTerms.prefilter) rests on this: asked about a query that has one key of a
    word, it lets the word through, for every word of the generated archive, of the treebank and of the sample
    pages (every other one), read as Kyrgyz and Russian, acronyms with endings included."""
    from index.analysis import analyze_word
    from index.archive import sample_archive
    from search.query import QueryTerms

    _, articles = generated
    texts = [a["title"] + " " + a["body"] for a in articles]
    texts += [p.read_text("utf-8") for p in sample_archive().glob("*.txt")]
    treebank = BENCH / "data" / "ud-kyrgyz-ktmu" / "ky_ktmu-ud-test.conllu"
    texts.append(" ".join(line.split("\t")[1] for line in treebank.read_text("utf-8").splitlines()
                          if line[:1].isdigit()))
    texts.append("ЖӨБдүн ЖӨБкө КРдин ВДНХ-тан ЖОЖдор Osh-ko jergiliktuu running ёлка Ёлка аянында уюмум тоюна")
    surfaces = sorted({w for text in texts for w in scale_archive.WORD.findall(text)})
    assert len(surfaces) > 5000
    checked = 0
    for surface in surfaces[::2]:  # half, to stay quick; bench/scale.py --check-prefilter takes them all
        for language in ("ky", "ru"):
            token = analyze_word(surface, language)
            if token is None:
                continue
            for kind in ("stem", "fold", "latin"):
                for key in token.keys(kind):
                    terms = QueryTerms(**{kind: {key}})
                    assert terms.prefilter(language)(token.text), (surface, language, kind, key)
                    checked += 1
    assert checked > 20000
    assert not QueryTerms(stem={"мектеп"}).prefilter()("бюджет")  # and it does refuse
    # A word with a key's first two letters but not the rest of it (all but the key's last letter) is refused;
    # in an English text only the two letters are compared.
    assert not QueryTerms(stem={"кыргызстан"}).prefilter("ky")("кызматкерлер")
    assert QueryTerms(stem={"кыргызстан"}).prefilter("en")("кызматкерлер")


def test_segments_are_separate_files(generated):
    """Whoosh 2.7.4 copies every file of a compound segment into memory for each searcher it opens (1.7 GB a
    searcher at 10,000 articles, and the web keeps one per thread): the build writes the files separately."""
    ix, _ = generated
    folder = Path(ix.storage.folder)
    assert not list(folder.glob("*.seg"))
    assert list(folder.glob("*.trm")) and list(folder.glob("*.pst"))


def test_fast_snippets_are_the_straightforward_ones_and_stay_so_from_the_cache():
    """Snippets judged a spelling at a time, in passing (a text's first showing) or from the words kept for it (the
    second showing keeps them, the next ones read them) are the ones analysis of every word gives: line-break
    hyphens (one word spelt otherwise than the text between its ends), footnote digits, capitals, repeated words."""
    from itertools import count

    from search.query import parse_query
    from search.snippets import make_snippet

    fresh = count()

    def snippet(text: str, query: str):
        terms = parse_query(query).terms
        text = f"{text} {next(fresh)}"  # a text not shown before
        shown = [make_snippet(text, terms, "ky") for _ in range(3)]  # in passing, kept, read from what is kept
        assert shown == [make_snippet(text, terms, "ky", fast=False)] * 3, query
        return shown[0].text(("«", "»"))

    text = ("Жергиликтүү өз алдынча башкаруу органдары жер- гиликтүү бюджетти бекитти1. " * 3
            + "Бюджеттин аткарылышы, БЮДЖЕТ жана бюджеттер тууралуу отчеттор. Кең-Талаа айылында жер-\n"
              "гиликтүү кеңеш чогулду; муниципалитеттерге 1,000.5 сом. " + "Башка сөздөр. " * 40
            + "Жергиликтүү бюджет дагы бир жолу.")
    for query in ("жергиликтүү", "бюджет", "бекитти", "жергиликтүү бюджет", "кеңеш", "муниципалитет", "жок"):
        snippet(text, query)
    assert "«жер- гиликтүү»" in snippet(text, "жергиликтүү")
    # A window whose two matches are one word (joined across a hyphen, or in capitals) gives way to windows of two.
    filler = "башка сөздөр " * 15
    for twice in ("жергиликтүү жер- гиликтүү", "Жергиликтүү ЖЕРГИЛИКТҮҮ"):
        shown = snippet(f"{twice} {filler}" + ("жергиликтүү бюджет " + filler) * 3, "жергиликтүү бюджет")
        assert twice.split()[1] not in shown and shown.count("бюджет") == 3


def test_a_results_plain_data_is_asdicts(generated):
    """A search result as JSON-ready data (`search.serialize.plain`, what the API sends) is `dataclasses.asdict`'s,
    for results with hits, snippets, facets, a relaxed match and a suggestion, and for values `asdict` copies its
    own way; and new lists and dicts throughout, so that changing them (the API adds each hit's address) leaves
    the result, which the cache keeps, as it was."""
    import collections
    import dataclasses

    from search.serialize import plain

    ix, articles = generated
    results = [search(ix, text, filters, page=page, sort=sort, cache=False) for text, filters, page, sort in
               _queries(articles)]
    results += [search(ix, "бюджетт жергиликтүү", cache=False), search(ix, "жергиликтүү zzzzzz", cache=False)]
    assert any(r.hits and r.facets for r in results) and any(r.relaxed for r in results)
    for result in results:
        assert plain(result) == dataclasses.asdict(result)
        data = result.to_dict()
        for hit in data["hits"]:
            hit["url"] = "changed"
            hit["snippet_parts"].append({"text": "changed"})
        for values in data["facets"].values():
            values.clear()
        assert plain(result) == dataclasses.asdict(result)

    @dataclasses.dataclass
    class Odd:
        pair: tuple
        named: object
        counts: object
        nested: list

    Point = collections.namedtuple("Point", "x y")
    odd = Odd((1, [FacetValue("a", 1)]), Point(FacetValue("b", 2), 3), collections.OrderedDict(a=[FacetValue("d", 4)]),
              [{"k": (FacetValue("c", 3),)}])
    assert plain(odd) == dataclasses.asdict(odd)
    assert type(plain(odd)["named"]) is Point and type(plain(odd)["counts"]) is collections.OrderedDict


def _info(info) -> tuple:
    return (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight(),
            info.min_id(), info.max_id())


def test_an_index_read_through_memory_maps_reads_as_whooshs_files(generated, updated, tmp_path):
    """The index opened for searching (`open_index`: its files memory-mapped) reads as Whoosh's own opening of it:
    every document's stored fields, every term with its statistics, and every posting list with its values, on one
    segment and on several with deletions; an empty file is read as a file."""
    from whoosh.filedb.filestore import FileStorage

    from index.build import MappedStorage

    for ix in (generated[0], updated):
        folder = ix.storage.folder
        assert isinstance(ix.storage, MappedStorage)
        plain = FileStorage(folder).open_index()
        mapped = MappedStorage(folder).open_index()
        try:
            with plain.reader() as a, mapped.reader() as b:
                assert list(a.all_stored_fields()) == list(b.all_stored_fields())
                terms = [(key, _info(info)) for key, info in a]
                assert terms == [(key, _info(info)) for key, info in b] and len(terms) > 1000
                for (fieldname, text), _ in terms[::23]:
                    pa, pb = a.postings(fieldname, text), b.postings(fieldname, text)
                    positioned = a.schema[fieldname].format.supports("positions")
                    assert list(pa.items_as("weight")) == list(pb.items_as("weight"))
                    if positioned:
                        pa, pb = a.postings(fieldname, text), b.postings(fieldname, text)
                        assert list(pa.items_as("positions")) == list(pb.items_as("positions")), text
        finally:
            plain.close()
            mapped.close()
    (tmp_path / "nothing").write_bytes(b"")
    with MappedStorage(str(tmp_path)).open_file("nothing") as file:
        assert file.read() == b""


def test_lists_walked_in_numpy_are_the_unpickled_ones():
    """`arrays._walked` reads postings of several positions from their bytes: the same counts and positions as
    unpickling them (`_unpickled`) and as Whoosh's decoder, over lists of 2 to 1,000 positions with gaps of 1, 2 and
    4 bytes (positions past 31 bits too), in any order; lists it does not read (more than 1,000 positions, which pickle
    writes in batches; one position; another pickle protocol; a count that does not match) give None, and the
    caller unpickles them."""
    import pickle

    from whoosh.formats import Positions
    from whoosh.system import pack_uint

    fmt, rng = Positions(), random.Random(5)

    def lists_of(n):
        out = []
        for _ in range(n):
            gaps = rng.choice([[1, 200], [256, 65_535], [65_536, 2**31 - 1]])
            size = rng.choice([2, 3, 7, 40, 999, 1000]) if rng.random() < 0.1 else rng.randint(2, 6)
            positions, at = [], 0
            for _ in range(size):
                at += rng.randint(*gaps) if positions or rng.random() < 0.5 else 0
                positions.append(at)
            out.append(positions)
        return out

    def spans(values):
        ends = np.cumsum([len(v) for v in values])
        return np.frombuffer(b"".join(values), dtype=np.uint8), ends - [len(v) for v in values], ends

    for n in (1, 2, 50, 400):
        lists = lists_of(n)
        raw, begin, end = spans([fmt.encode(p) for p in lists])
        order = np.array(rng.sample(range(n), n))
        for pick in (np.arange(n), order):
            walked = arrays_module._walked(raw, begin[pick], end[pick])
            assert walked is not None
            unpickled = arrays_module._unpickled(raw, begin[pick], end[pick])
            for got, want in zip(walked, unpickled):
                assert got.tolist() == want.tolist()
            assert walked[1].tolist() == [x for i in pick for x in lists[i]]
    # A negative gap (BININT is signed; no index has one) is read as pickle reads it.
    raw, begin, end = spans([fmt.encode([3, 9]), pack_uint(2) + pickle.dumps([5, -3], 2)])
    assert [a.tolist() for a in arrays_module._walked(raw, begin, end)] == [[2, 2], [3, 9, 5, 2]]
    for value in (fmt.encode([5]), fmt.encode(list(range(0, 3003, 3))), pack_uint(2) + pickle.dumps([1, 1], 4),
                  pack_uint(3) + pickle.dumps([1, 1], 2), pack_uint(2) + pickle.dumps([1, 1, 1], 2)):
        raw, begin, end = spans([fmt.encode([3, 9]), value])
        assert arrays_module._walked(raw, begin, end) is None, value


def test_ranges_copied_by_mask_and_by_window_are_gathers():
    """`arrays.in_ranges` marks what `gather` indexes, for ascending ranges that do not overlap (empty ones, ones
    that touch, at both ends, for reading and for writing), and `arrays.taken` copies what indexing by `gather`
    copies, ranges in any order: short and long, the same range twice, empty, and near the end of the bytes, where
    a window would not fit."""
    rng = np.random.default_rng(11)
    for size in (0, 1, 31, 32, 33, 5000):
        data = rng.integers(0, 256, size).astype(np.uint8)
        for n in (0, 1, 7, 300):
            counts = rng.choice([0, 1, 2, 13, 14, 31, 32, 33, 100], n) if size else np.zeros(n, dtype=np.int64)
            counts = np.minimum(counts, size)
            begins = rng.integers(0, size - counts + 1) if n else np.zeros(0, dtype=np.int64)
            if n and size >= 40:
                begins[-1], counts[-1] = size - 5, 5  # the last bytes
            assert arrays_module.taken(data, begins, counts).tolist() == \
                data[arrays_module.gather(begins, counts)].tolist(), (size, n)
            # Ascending, not overlapping: gaps of 0 to 3 between ranges, from the first item or not.
            gaps = rng.integers(0, 4, n)
            ascending = np.cumsum(gaps + counts) - counts
            total = int(ascending[-1] + counts[-1] + rng.integers(0, 2)) if n else 0
            mask = arrays_module.in_ranges(total, ascending, counts)
            want = np.zeros(total, dtype=bool)
            want[arrays_module.gather(ascending, counts)] = True
            assert mask.tolist() == want.tolist(), (size, n)
            written, straight = np.zeros(total, dtype=np.int64), np.zeros(total, dtype=np.int64)
            values = np.arange(1, int(counts.sum()) + 1)
            written[mask] = values
            straight[arrays_module.gather(ascending, counts)] = values
            assert written.tolist() == straight.tolist()


def test_membership_by_binary_search_is_isins():
    """Where a phrase's next word stands right after the last (`scoring._among`, over sorted keys docnum << 32 |
    position) is `np.isin`'s answer: empty sides, repeats, values past either end, keys of large documents."""
    rng = np.random.default_rng(7)
    for size in (0, 1, 2, 9, 500):
        for other in (0, 1, 3, 800):
            values = (rng.integers(0, 40, size).astype(np.int64) << 32) | rng.integers(0, 60, size)
            ordered = np.sort((rng.integers(0, 40, other).astype(np.int64) << 32) | rng.integers(0, 60, other))
            assert scoring._among(values, ordered).tolist() == np.isin(values, ordered).tolist()
            assert scoring._among(ordered, ordered).all()


def test_prefixed_words_found_from_their_first_letters_are_every_words_verdict(generated):
    """`snippets._prefixed_in` judges only the words whose first letters could begin a prefix; it finds what
    normalizing every word finds (`_prefixed`): on the generated archive and the sample pages, for prefixes of the
    archive's own words and of the alphabet, and on words that open with what normalizing changes (capitals, Latin
    look-alikes, an apostrophe, a combining breve, a ligature, a digit)."""
    from index.analysis import indexed_words
    from index.archive import sample_archive
    from search.snippets import _prefixed, _prefixed_in

    _, articles = generated
    texts = [a["body"] for a in articles[:60]] + [p.read_text("utf-8") for p in sample_archive().glob("*.txt")]
    texts.append("ПРОграмма pоль роль 'программа ’про и\u0306ыл йыл Йыл ﬁnance finance Ｐro 2024-жыл 2ю ё е\u0308лка "
                 "Ёлка x ыйгарым-укук OSH Ош оштон")
    rng = random.Random(11)
    for text in texts:
        starts, ends, surfaces = indexed_words(text)
        starts, ends = np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
        words = [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
        own = [scoring_word[:n] for scoring_word in rng.sample(surfaces, min(8, len(surfaces)))
               for n in (1, 2, 3) if scoring_word[:n].isalpha()]
        for prefixes in [{p.lower()} for p in own] + [{"про"}, {"й"}, {"ё"}, {"fi"}, {"p"}, {"2"}, {"о", "ы"},
                                                     {"ош", "ро"}]:
            at = sorted(rng.sample(range(len(words)), min(3, len(words))))
            assert _prefixed_in(text, starts, ends, prefixes, at) == _prefixed(words, None, prefixes, at), prefixes
    # And they do find what the prefixes begin: a look-alike, a capital, an apostrophe, a composed letter.
    text = texts[-1]
    starts, ends, _ = indexed_words(text)
    found = _prefixed_in(text, np.array(starts), np.array(ends), {"про"}, [])
    assert [text[starts[i]:ends[i]] for i in found] == ["ПРОграмма", "программа", "про"]  # apostrophes not words'
    found = _prefixed_in(text, np.array(starts), np.array(ends), {"ро"}, [])
    assert [text[starts[i]:ends[i]] for i in found] == ["pоль", "роль"]
    found = _prefixed_in(text, np.array(starts), np.array(ends), {"йы"}, [])
    assert [text[starts[i]:ends[i]] for i in found] == ["и\u0306ыл", "йыл", "Йыл"]


def test_key_terms_picked_from_the_best_are_those_of_sorting_all(generated):
    """`key_terms_from` makes only the best candidates key terms; it gives what sorting every candidate gives, for
    each article of the generated index's prepared table, at several limits (a limit past the candidates too), and
    where many candidates tie on weight (then the stem decides)."""
    from collections import Counter

    from index.keyterms import key_terms_from
    from index.links import LINKS_FILE, PreparedStore

    ix, _ = generated
    store = PreparedStore.__new__(PreparedStore)  # the build's table, read as the build reads it
    store._db = sqlite3.connect(f"file:{Path(ix.storage.folder) / LINKS_FILE}?mode=ro", uri=True)
    rows = list(store.rows())
    store._db.close()
    df = Counter(stem for _, counts, _, _ in rows for stem in counts)
    tied = Counter({f"сөз{i % 7}{i}": 1 for i in range(60)})
    checked = 0
    for counts, words in [(counts, words) for _, counts, words, _ in rows] + [(tied, {s: s for s in tied})]:
        for limit in (1, 5, 25, 10_000):
            fast = key_terms_from(counts, words, df, len(rows), limit)
            assert fast == key_terms_from(counts, words, df, len(rows), limit, straightforward=True)
            assert len(fast) == min(limit, len(counts))
            checked += len(fast)
    assert len(rows) == 160 and checked > 160 * 25

"""Search over real indexes: Kyrgyz morphology, folding, Latin queries, Russian, syntax, odd input, facets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from search.query import parse_query
from search.searcher import Filters, search


def found(ix, query, **kw):
    return {Path(hit_source(ix, h.id)).stem[:3]: h for h in search(ix, query, page_size=50, **kw).hits}


def hit_source(ix, doc_id):
    with ix.searcher() as s:
        return s.document(id=doc_id)["source"]


def test_finds_the_sample_pages_with_marked_snippets(sample_index):
    result = search(sample_index, "жергиликтүү")
    assert result.total == 5
    for hit in result.hits:
        assert "«" in hit.snippet and "<mark>" in hit.snippet_html
        assert hit.snippet_html.count("<mark>") == hit.snippet_html.count("</mark>")
        # The same snippet as data: the pieces' text is the plain snippet, the matched ones are the «» words.
        parts = hit.snippet_parts
        assert "".join(p["text"] for p in parts) == hit.snippet.replace("«", "").replace("»", "")
        assert [p["text"] for p in parts if p["match"]] == re.findall(r"«(.*?)»", hit.snippet)
        assert all(a["match"] or b["match"] for a, b in zip(parts, parts[1:]))  # plain pieces merged


@pytest.mark.parametrize("query, seeds", [
    ("муниципалитет", {"001"}),  # муниципалитеттерге, муниципалитетинин
    ("тренинг", {"001"}),  # тренингдердин, тренингде
])
def test_inflected_forms_are_found(sample_index, query, seeds):
    assert seeds <= set(found(sample_index, query))


def test_kyzmat_korsotuu_finds_korsotuulordu(sample_index):
    hits = found(sample_index, "кызмат көрсөтүү")
    assert "001" in hits
    assert "көрсөтүүлөрдү" in hits["001"].snippet or "көрсөтүүлөр" in hits["001"].snippet


def test_acronym_with_suffix(sample_index):
    hits = found(sample_index, "жөб")
    assert {"001", "002", "003"} <= set(hits)  # pages writing ЖӨБдүн, ЖӨБ органдары


@pytest.mark.parametrize("query", ["жергиликтуу", "jergiliktuu", "zhergiliktuu", "JERGILIKTÜÜ"])
def test_russian_keyboard_and_latin_queries_find_all_five(sample_index, query):
    result = search(sample_index, query)
    assert result.total == 5
    assert all("«" in h.snippet for h in result.hits)  # the Cyrillic words are marked


def test_exact_spelling_scores_above_folded(sample_index):
    exact = {h.id: h.score for h in search(sample_index, "жергиликтүү").hits}
    folded = {h.id: h.score for h in search(sample_index, "жергиликтуу").hits}
    latin = {h.id: h.score for h in search(sample_index, "jergiliktuu").hits}
    assert exact.keys() == folded.keys() == latin.keys()
    for doc in exact:
        assert exact[doc] > folded[doc] > 0 and exact[doc] > latin[doc] > 0


def test_folding_keeps_i_short_and_yo(sample_index):
    from index.analysis import variant

    # у/о/н stand in for ү/ө/ң, but й is not и and ё is not е.
    assert search(sample_index, "айыл").total > 0
    assert search(sample_index, "аиыл").total == 0
    assert variant("аиыл", "fold") != variant("айыл", "fold")
    assert variant("ёлка", "fold") != variant("елка", "fold")


def test_russian_page_is_stemmed_in_russian(mixed_index):
    hits = {h.title for h in search(mixed_index, "самоуправление").hits}
    assert "Как органам местного самоуправления привлечь молодёжь" in hits
    hits = {h.title for h in search(mixed_index, "муниципальный").hits}
    assert "Как органам местного самоуправления привлечь молодёжь" in hits
    assert search(mixed_index, "самоуправление", Filters(language=["ky"])).total == 0


def test_hyphens_quotes_and_dashes_in_queries(mixed_index):
    plain = search(mixed_index, "Кең-Талаа").total
    assert plain >= 2
    for variant in ("Кең‑Талаа", "Кең–Талаа", "“Кең-Талаа”", "«Кең-Талаа»"):
        assert search(mixed_index, variant).total == plain


def test_a_hyphenated_word_is_a_phrase_that_keeps_the_rest_of_the_query(mixed_index):
    """A word the analyzer splits at its hyphen is the phrase of its parts: the query around it keeps its NOT, and
    the snippets mark its words (the parser once failed on such words, and the plain words it then searched lost
    both)."""
    result = search(mixed_index, "Кең-Талаа")
    assert result.total >= 2
    assert all(any(part["match"] for part in hit.snippet_parts) for hit in result.hits)
    assert search(mixed_index, "Кең-Талаа -Кең-Талаа").total == 0
    assert search(mixed_index, "Кең-Талаа -Швейцария").total <= result.total


@pytest.mark.parametrize("query, seeds", [
    ('"Баткен облусунун"', {"001"}),
    ('"облусунун Баткен"', set()),  # a phrase keeps its order
    ('"Баткен облусу"', {"001"}),  # … and matches inflected forms through the stem field
    ("Баткен AND тренинг", {"001"}),
    ("Швейцария OR Баткен", {"001", "002", "004"}),
    ("жергиликтүү NOT Швейцария", {"000", "001", "003"}),
    ("жергиликтүү -Швейцария", {"000", "001", "003"}),
    ("title:Баткен", {"001"}),
    ("section:чордонунда", {"000", "003"}),
    ("author:жаманкулова", {"001"}),
    ("тренинг*", {"001"}),
    ("Баткн~", {"001"}),
    ("year:2024 жергиликтүү", {"000"}),
    ("kind:news", {"002"}),
])
def test_query_syntax(sample_index, query, seeds):
    assert set(found(sample_index, query)) == seeds


@pytest.mark.parametrize("query", [
    'жер гиликтүү "', '"', '"""', "AND", "OR OR", "NOT", "(((", ")", "title:", ":", "*", "~", "-", "+",
    "a" * 10_000, "жергиликтүү " * 2000, "\x00\x01\x1b[31m", "🏔️🙂", "!!! ??? ...", "[a TO", "year:abc",
    "жана менен үчүн", "title:(", "a^", "^2",
])
def test_odd_queries_never_raise(sample_index, query):
    result = search(sample_index, query)
    assert result.total >= 0
    assert result.total or result.message or result.hits == []


def test_empty_query_says_so(sample_index):
    assert search(sample_index, "   ").message


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_parser_survives_any_string(text):
    parsed = parse_query(text)
    assert parsed.query is not None or parsed.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('жергиликтүү ӨҮҢ"()-*~:^ ANDORNOT title year 2024 «»–')), max_size=60))
def test_search_survives_query_syntax_soup(sample_index, text):
    result = search(sample_index, text)
    assert result.total >= 0


def test_facets_describe_the_result_set(sample_index):
    result = search(sample_index, "жергиликтүү")
    facets = {name: {v.value: v.count for v in values} for name, values in result.facets.items()}
    assert facets["language"] == {"ky": 5}
    assert facets["kind"] == {"magazine-article": 3, "news": 1, "press-release": 1}
    assert facets["year"] == {"2024": 1, "2022": 1, "2021": 1, "2018": 1, "unknown": 1}
    assert list(facets["year"]) == ["2024", "2022", "2021", "2018", "unknown"]  # newest first, unknown last
    assert facets["issue"] == {"1 (147)": 1, "unknown": 4}
    assert facets["section"] == {"Көңүл чордонунда": 2, "Дүйнөдө ЖӨБдүн өнүгүү тенденциясы": 1, "unknown": 2}


def test_filters_narrow_and_a_facets_own_counts_ignore_its_selection(sample_index):
    result = search(sample_index, "жергиликтүү", Filters(kind=["news", "press-release"]))
    assert result.total == 2
    kinds = {v.value: (v.count, v.selected) for v in result.facets["kind"]}
    assert kinds == {"magazine-article": (3, False), "news": (1, True), "press-release": (1, True)}
    years = {v.value: v.count for v in result.facets["year"]}
    assert years == {"2022": 1, "2018": 1}
    assert search(sample_index, "жергиликтүү", Filters(issue=["unknown"])).total == 4
    assert search(sample_index, "жергиликтүү", Filters(year_from=2021, year_to=2022)).total == 2
    assert search(sample_index, "жергиликтүү", Filters(date_from="2022-03-03", date_to="2022-03-03")).total == 1


def test_sort_and_pages(sample_index):
    newest = search(sample_index, "жергиликтүү", sort="newest")
    dates = [h.date for h in newest.hits if h.date]
    assert dates == sorted(dates, reverse=True)
    oldest = search(sample_index, "жергиликтүү", sort="oldest")  # Whoosh's sort key was its score: bytes
    assert [h.date for h in oldest.hits if h.date] == sorted(dates) and len(dates) >= 4
    assert {h.score for h in oldest.hits} == {0.0}
    page2 = search(sample_index, "жергиликтүү", page=2, page_size=2)
    assert (page2.total, page2.pages, len(page2.hits)) == (5, 3, 2)
    assert search(sample_index, "жергиликтүү", page=99).hits == []


def test_snippets_escape_html_before_marking(tmp_path):
    import json as _json

    from index.build import build_index, open_index

    body = 'Бюджет <script>alert("x")</script> & «жергиликтүү» <b>бюджет</b>'
    (tmp_path / "a.jsonl").write_text(_json.dumps({"title": "T", "body": body}, ensure_ascii=False))
    build_index([tmp_path / "a.jsonl"], tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    html = search(ix, "бюджет").hits[0].snippet_html
    ix.close()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert html.count("<mark>") == 2 and "<mark>Бюджет</mark>" in html


def test_search_doctests():
    import doctest

    import search.searcher

    result = doctest.testmod(search.searcher)
    assert result.attempted > 0 and result.failed == 0


def test_relevance_ties_are_broken_by_date_newest_first(tmp_path):
    import json as _json

    from index.build import build_index, open_index

    rows = [{"id": f"d{y}", "title": "Бюджет", "body": "Жергиликтүү бюджет.", "date": f"{y}-05-05"}
            for y in (2019, 2023, 2021)]
    (tmp_path / "a.jsonl").write_text("\n".join(_json.dumps(r, ensure_ascii=False) for r in rows))
    build_index([tmp_path / "a.jsonl"], tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    hits = search(ix, "бюджет").hits
    ix.close()
    assert len({h.score for h in hits}) == 1
    assert [h.id for h in hits] == ["d2023", "d2021", "d2019"]


def test_english_pages_are_stemmed_in_english(tmp_path):
    from conftest import write_jsonl
    from index.build import build_index, open_index

    rows = [{"id": "en", "title": "Municipalities improved their services",
             "body": "Local governments in Osh and Batken trained their staff.", "language": "en"},
            {"id": "ky", "title": "Муниципалитеттер", "body": "Жергиликтүү кызматтар жакшырды. Ош шаары.",
             "language": "ky"}]
    build_index([write_jsonl(tmp_path / "a.jsonl", rows)], tmp_path / "index")
    ix = open_index(tmp_path / "index")
    try:
        assert [h.id for h in search(ix, "municipality service").hits] == ["en"]  # other forms, Snowball English
        assert [h.id for h in search(ix, "government trains").hits] == ["en"]
        assert {h.id for h in search(ix, "Osh").hits} == {"en", "ky"}  # a Kyrgyz name in Latin letters
        assert [h.id for h in search(ix, "jergiliktuu").hits] == ["ky"]
    finally:
        ix.close()

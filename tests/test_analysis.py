"""The ICU analyzer: segmentation, scraping repairs, normalization, offsets, pickling."""

from __future__ import annotations

import doctest
import pickle

import pytest

import index.analysis
import index.archive
import index.calendar
import index.kyrgyz
import index.language
import index.pages
import web.params
from index.analysis import VARIANTS, analyze, field_analyzer
from index.schema import make_schema


@pytest.mark.parametrize("module", [index.analysis, index.archive, index.kyrgyz, index.pages, index.calendar,
                                    index.language, web.params])
def test_doctests(module):
    failures, tried = doctest.testmod(module)
    assert tried > 0 and failures == 0


def words(text, **kw):
    return [t.text for t in analyze(text, **kw)]


def test_line_break_hyphenation_is_joined_but_compounds_are_not():
    assert words("жер- гиликтүү таж- рыйба") == ["жергиликтүү", "тажрыйба"]
    assert words("Кең-Талаа, Суу-Башы") == ["кең", "талаа", "суу", "башы"]
    assert words("2024- жылы") == ["2024", "жылы"]  # a number is not a broken word


def test_footnote_digits_are_split_off_words():
    assert words("көрсөтүлдү1 алышат2.") == ["көрсөтүлдү", "1", "алышат", "2"]
    assert words("COVID-19 Ф2") == ["covid", "19", "ф2"]


def test_lookalike_latin_letters_become_cyrillic():
    # "aйдoo" with Latin a and o, as UniMorph and scraped pages have it.
    assert words("aйдoo мунициПaлитет") == ["айдоо", "муниципалитет"]
    assert words("MSDSP KG") == ["msdsp", "kg"]  # real Latin words are left alone


def test_case_folding_and_letters_kept():
    assert words("ЖЕРГИЛИКТҮҮ Өзгөчө ЁЛКА йод") == ["жергиликтүү", "өзгөчө", "ёлка", "йод"]


def test_offsets_point_into_the_original_text():
    text = "😀 “Жер- гиликтүү” ЖӨБдүн 🏔 ишмердүүлүгү"
    for token in analyze(text):
        assert text[token.start:token.end].replace("- ", "") == token.original.replace("- ", "") or \
            token.original in text[token.start:token.end]
    tokens = analyze(text)
    assert [text[t.start:t.end] for t in tokens] == ["Жер- гиликтүү", "ЖӨБдүн", "ишмердүүлүгү"]


def test_positions_are_consecutive():
    assert [t.pos for t in analyze("бир эки, үч; төрт")] == [0, 1, 2, 3]


def test_schema_with_icu_analyzers_pickles():
    schema = make_schema()
    again = pickle.loads(pickle.dumps(schema))
    emitted = [(t.pos, t.text) for t in again["body_stem"].analyzer("Баткендеги муниципалитеттерге", positions=True)]
    # Every key of a word at the word's one position, the ranked stem first.
    assert [text for pos, text in emitted if pos == 0][0] == "баткен"
    assert [text for pos, text in emitted if pos == 1][0] == "муниципалитет"
    assert {text for pos, text in emitted if pos == 1} == set(analyze("муниципалитеттерге")[0].stem_keys)


@pytest.mark.parametrize("kind", VARIANTS)
def test_field_analyzers_agree_with_one_pass_analysis(kind):
    text = "ЖӨБдүн муниципалитеттерге жер- гиликтүү Кең-Талаа көрсөтүлдү1 jergiliktuu"
    one_pass = [(t.pos, key) for t in analyze(text) for key in t.keys(kind)]
    assert [(t.pos, t.text) for t in field_analyzer(kind)(text, positions=True)] == one_pass


def test_acronym_with_case_suffix_stems_to_the_acronym():
    assert [t.stem for t in analyze("ЖӨБдүн ӨСИнин БАЖБАнын")] == ["жөб", "өси", "бажба"]


def test_stop_words_weigh_less_but_still_match(sample_index):
    import index.stopwords
    from search.searcher import search

    assert doctest.testmod(index.stopwords).failed == 0
    assert {"жана", "менен", "бул"} <= index.stopwords.KYRGYZ and "өз" not in index.stopwords.KYRGYZ
    only_stops = search(sample_index, "жана менен")
    assert only_stops.total > 0  # a query of stop words still finds what has them
    with_content = search(sample_index, "жана Баткен")
    assert with_content.hits[0].title.startswith("Баткен")
    assert search(sample_index, '"өз алдынча башкаруу"').total == 5  # phrases keep their stop words


def test_words_are_found_alike_from_several_threads():
    """`izde serve` answers from several threads at once, and every snippet breaks its text into words: a thread
    must never walk another thread's text (one ICU BreakIterator shared by all made 500s under load)."""
    import threading

    from index.analysis import words

    texts = [" ".join(f"сөз{i}{j} жер- гиликтүү Бишкек-{j}" for j in range(300 + 37 * i)) for i in range(8)]
    expected = [words(text) for text in texts]
    wrong: list[int] = []

    def work(i: int) -> None:
        for _ in range(30):
            if words(texts[i]) != expected[i]:
                wrong.append(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong


def test_one_pass_analysis_is_each_word_analyzed_alone(sample_dir):
    """`analyze` (each word's token kept by how it is written, made by filling its fields at once) gives, token for
    token, what `analyze_word` gives of each word in its place: on generated articles in both languages and the
    sample pages, words repeated in other capitals and in another text's language."""
    import sys
    from pathlib import Path

    from index.analysis import analyze_word, words as spans
    from index.archive import read_archive

    sys.path.append(str(Path(__file__).resolve().parent.parent / "bench"))
    import scale_archive

    texts = [(a["title"] + "\n" + a["body"], a["language"]) for a in scale_archive.generate(40, seed=3)]
    texts += [(a.body, a.language) for a in read_archive([sample_dir]).articles]
    texts += [("Бишкек БИШКЕК бишкек ЖӨБдүн жөбдүн Osh municipalities", language) for language in ("ky", "ru", "en")]
    compared = 0
    for text, language in texts + texts:  # the second time from the kept tokens
        expected = [analyze_word(surface, language, pos, a, b) for pos, (a, b, surface) in enumerate(spans(text))]
        tokens = analyze(text, language)
        assert tokens == [t for t in expected if t is not None]
        assert all(type(t) is type(e) and hash(t) == hash(e) and vars(t) == vars(e) for t, e in
                   zip(tokens, [t for t in expected if t is not None]))
        compared += len(tokens)
    assert compared > 20_000


def test_a_words_three_variants_at_once_are_each_variants_keys(sample_dir):
    """`word_keys` (what `analyze_word` indexes a word as in the stem, fold and latin fields, worked out together)
    is `variant_keys` of each variant, on every word of generated articles and the sample pages read in each
    language, as written (acronyms with endings among them) and in lower case."""
    import sys
    from pathlib import Path

    from index.analysis import normalize_word, variant_keys, word_keys, word_language, words as spans
    from index.archive import read_archive

    sys.path.append(str(Path(__file__).resolve().parent.parent / "bench"))
    import scale_archive

    texts = [a["title"] + "\n" + a["body"] for a in scale_archive.generate(30, seed=5)]
    texts += [a.body for a in read_archive([sample_dir]).articles]
    texts.append("ЖӨБдүн БАЖБАнын ЖӨБ Osh Bishkek municipalities jergiliktuu 2024-жылы ёлка Ёлка")
    surfaces = {surface for text in texts for _, _, surface in spans(text)}
    compared = acronyms = 0
    for surface in sorted(surfaces):
        word = normalize_word(surface)
        for language in ("ky", "ru", "en"):
            lang = word_language(word, language)
            for original in (surface, surface.lower()):
                expected = tuple(variant_keys(word, kind, lang, original) for kind in ("stem", "fold", "latin"))
                assert word_keys(word, lang, original) == expected, (surface, lang)
                compared += 1
                acronyms += expected[0] != variant_keys(word, "stem", lang)
    assert compared > 30_000 and acronyms > 10 and {"latn", "en", "ru", "ky"} <= {
        word_language(normalize_word(s), language) for s in surfaces for language in ("ky", "ru", "en")}


def test_the_latin_key_is_the_letter_by_letter_one(sample_dir):
    """`latin_key` (marks dropped by a translation table, each rule run only where its letters are) is
    `straightforward_latin_key` on every word of generated articles and the sample pages, and on Latin typing with
    marks, ligatures and letters that fold to two."""
    import sys
    from pathlib import Path

    from index.analysis import words as spans
    from index.archive import read_archive
    from index.kyrgyz import latin_key, straightforward_latin_key

    sys.path.append(str(Path(__file__).resolve().parent.parent / "bench"))
    import scale_archive

    texts = [a["title"] + " " + a["body"] for a in scale_archive.generate(30, seed=4)]
    texts += [a.title + " " + a.body for a in read_archive([sample_dir]).articles]
    found = {surface.lower() for text in texts for _, _, surface in spans(text)}
    found |= {"zhergiliktüü", "Jañy", "shchuka", "ngngn", "qwxy", "e\u0301lk", "ǅ", "ﬁnance", "", "ŉ", "straße",
              "İstanbul", "Ысык-Көл", "ТЕҢИР", "жаңы"}
    assert len(found) > 3_000
    assert [w for w in sorted(found) if latin_key(w) != straightforward_latin_key(w)] == []


def test_snowballs_stemmers_in_c_are_its_python_ones(sample_dir):
    """Russian and English words are stemmed by PyStemmer (Snowball compiled to C, a dependency), which
    snowballstemmer hands out where it is installed: the same stems as snowballstemmer's own pure-Python stemmers,
    on every word of generated articles and the sample pages, in both languages' letters."""
    import sys
    from pathlib import Path

    import snowballstemmer
    import Stemmer
    from snowballstemmer.english_stemmer import EnglishStemmer
    from snowballstemmer.russian_stemmer import RussianStemmer

    from index.analysis import normalize_word, words as spans
    from index.archive import read_archive

    sys.path.append(str(Path(__file__).resolve().parent.parent / "bench"))
    import scale_archive

    texts = [a["title"] + " " + a["body"] for a in scale_archive.generate(60, seed=8)]
    texts += [a.title + " " + a.body for a in read_archive([sample_dir]).articles]
    found = {normalize_word(surface) for text in texts for _, _, surface in spans(text)}
    found |= {"самоуправления", "муниципалитетов", "ёлка", "municipalities", "governance", "running", ""}
    assert len(found) > 5_000
    for language, python in (("russian", RussianStemmer()), ("english", EnglishStemmer())):
        c = snowballstemmer.stemmer(language)
        assert type(c) is Stemmer.Stemmer  # PyStemmer's, not the pure-Python one
        assert [w for w in sorted(found) if c.stemWord(w) != python.stemWord(w)] == []

"""The archive reader: seed pages, hand-made layouts, the issue calendar, bad input."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from conftest import PAGES, write_jsonl
from index.archive import known_rubrics, read_archive
from index.records import Author

# The issue's table, made a test: seed → (language, kind, date, section, issue, title start).
SEEDS = {
    "000": ("ky", "magazine-article", "2024-01-31", "Көңүл чордонунда", "1 (147)", "“Кыргыз Республикасында жергиликтүү"),
    "001": ("ky", "magazine-article", None, "Дүйнөдө ЖӨБдүн өнүгүү тенденциясы", None,
            "Баткен облусунун беш муниципалитетинин"),
    "002": ("ky", "news", "2018-07-03T09:29", None, None, "Кыргыз Республикасынын жергиликтүү өз алдынча башкаруулардын форуму"),
    "003": ("ky", "magazine-article", "2021-04-05", "Көңүл чордонунда", None, "“Жергиликтүү өз алдынча башкаруу:"),
    "004": ("ky", "press-release", "2022-03-03T11:50", None, None, "Швейцария жергиликтүү өз алдынча башкаруу"),
}
CHROME = ["Илимий-популярдуу журнал", "ISBN", "каттоо номери", "Муниципалитет - бул аймактын", "Биринчи бет",
          "Макалалар /", "Окшош материалы", "Error. Page cannot be displayed", "Сентябрь 2024", "Февраль 2024",
          "ПРЕСС - РЕЛИЗ"]


@pytest.fixture(scope="module")
def seeds(sample_dir):
    result = read_archive(sample_dir)
    assert result.problems == []
    return {Path(a.source).name[:3]: a for a in result.articles}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_metadata_matches_the_table(seeds, seed):
    article = seeds[seed]
    language, kind, date, section, issue, title = SEEDS[seed]
    assert (article.language, article.kind, article.date, article.section, article.issue) == (
        language, kind, date, section, issue)
    assert article.title.startswith(title)
    assert article.year == (int(date[:4]) if date else None)


def test_seed_authors(seeds):
    assert seeds["001"].authors == [Author("Нургүл ЖАМАНКУЛОВА",
                                           "ӨСИнин жана БАЖБАнын коммуникация боюнча консультанты")]
    # Seed 000 is signed by two organisations: never taken for a person.
    assert all(" " not in a.name or a.role is None for a in seeds["000"].authors)
    assert not any("Коалиция" in a.name for a in seeds["000"].authors if a.role)
    for seed in ("002", "003", "004"):
        assert seeds[seed].authors == []


def test_seed_related_list(seeds):
    related = seeds["001"].related
    assert len(related) == 7
    assert (related[0].issue, related[0].date, related[0].title) == ("1 (147)", "2024-01-31", "Жер мунапысы тууралуу")
    assert related[2].issue == "10-11 (144-145)"


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_no_chrome_in_bodies(seeds, seed):
    article = seeds[seed]
    for chrome in CHROME:
        assert chrome not in article.body, chrome
    assert not article.body.startswith(article.title)
    assert "\n\n" in article.body  # paragraphs kept


def test_ids_are_stable(sample_dir, seeds):
    again = {Path(a.source).name[:3]: a.id for a in read_archive(sample_dir).articles}
    assert again == {k: a.id for k, a in seeds.items()}
    assert len(set(again.values())) == 5


@pytest.fixture(scope="module")
def pages():
    result = read_archive([PAGES, Path(__file__).parent.parent / "index" / "sample"])
    return {Path(a.source).stem: a for a in result.articles}


def test_russian_older_layout(pages):
    article = pages["ru_old_layout"]
    assert (article.language, article.kind, article.date, article.section) == (
        "ru", "magazine-article", "2023-12-10", "Көңүл чордонунда")  # «В центре внимания» in the rubric table
    assert article.title == "Как органам местного самоуправления привлечь молодёжь"
    # The banner says 1 (147): the site's current issue, not this article's. Its own related list dates 12 (146).
    assert article.issue == "12 (146)"
    assert article.authors == [Author("Айгуль ИВАНОВА", "эксперты ИПР"), Author("Бакыт ОСМОНОВ", "эксперты ИПР")]
    assert "Error" not in article.body and "  " not in article.body
    assert "триединство" not in article.body and "самоуправления\n" not in article.body[:20]
    assert article.body.startswith("Муниципальной службе")
    assert len(article.related) == 2


def test_page_starting_at_the_date_line_gets_issue_from_calendar(pages):
    article = pages["ky_midpage"]
    assert article.title == "Айыл өкмөттөрү жаңы мыйзамды талкуулашты"
    assert (article.date, article.section, article.issue) == ("2023-11-07", "Мыйзамдар", "10-11 (144-145)")
    assert article.authors == [Author("Нургүл ЖАМАНКУЛОВА", "даярдады")]
    assert "даярдады" not in article.body


def test_newer_russian_layout(pages):
    article = pages["ru_new_layout"]
    assert (article.language, article.kind, article.section, article.date, article.issue) == (
        "ru", "magazine-article", "Тажрыйба", None, None)  # «Опыт» in the rubric table
    assert article.title == "Опыт Латвии: как сёла объединяют услуги"
    assert article.authors == [Author("Эмил ТОКТОГУЛОВ")]
    assert "Главная страница" not in article.body and "Статьи" not in article.body


def test_banner_is_never_the_articles_issue(pages):
    article = pages["ky_current_banner"]
    assert article.date == "2019-05-20"
    assert article.issue is None


def test_bad_input_is_reported_and_skipped(tmp_path):
    good = (PAGES / "ky_midpage.txt").read_text(encoding="utf-8")
    (tmp_path / "good.txt").write_text(good, encoding="utf-8")
    (tmp_path / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "empty.txt").write_bytes(b"  \n\n")
    (tmp_path / "notitle.txt").write_text("\n\n 2024 / \n12 345\n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Café crème brûlée, déjà vu à la française".encode("latin-1"))
    (tmp_path / "old_ru.txt").write_bytes((PAGES / "ru_new_layout.txt").read_text(encoding="utf-8")
                                          .encode("cp1251"))
    write_jsonl(tmp_path / "items.jsonl", [
        {"title": "Бюджет", "body": "Жергиликтүү бюджет тууралуу.", "date": "2020-03-12", "issue": "2-3(100-101)"},
        "{not json",
        {"title": "", "body": "текст"},
        {"title": "Аталыш", "body": "Текст", "date": "12/03/2020"},
        [1, 2, 3],
    ])
    result = read_archive(tmp_path)
    reasons = {Path(p.source.split(":")[0]).name + (":" + p.source.split(":")[1] if ":" in p.source else ""):
               p.reason for p in result.problems}
    assert "binary" in reasons["binary.bin"]
    assert reasons["empty.txt"] == "empty file"
    assert reasons["notitle.txt"] == "no title found"
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "cp1251" in reasons["old_ru.txt"]  # read, with a warning
    assert "not valid JSON" in reasons["items.jsonl:2"]
    assert reasons["items.jsonl:3"] == "missing title"
    assert "not an ISO date" in reasons["items.jsonl:4"]
    assert "not a JSON object" in reasons["items.jsonl:5"]
    titles = sorted(a.title for a in result.articles)
    assert titles == sorted(["Айыл өкмөттөрү жаңы мыйзамды талкуулашты", "Бюджет",
                             "Опыт Латвии: как сёла объединяют услуги"])
    jsonl = next(a for a in result.articles if a.title == "Бюджет")
    assert (jsonl.issue, jsonl.date, jsonl.language) == ("2-3 (100-101)", "2020-03-12", "ky")
    assert len(result.skipped) == 8 and len(result.warnings) == 1


def test_jsonl_fields_and_explicit_issue(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [{
        "id": "x1", "url": "https://example.org/a", "title": "Муниципалдык менчик", "body": "Муниципалдык менчик.",
        "language": "ky", "kind": "magazine-article", "date": "2023-11-07T10:30:00", "issue": "10-11 (144-145)",
        "section": "Мыйзамдар", "authors": ["Айгүл АСАНОВА", {"name": "Бакыт ОСМОНОВ", "role": "эксперт"}],
        "related": [{"issue": "9 (143)", "date": "2023-10-01", "title": "Мурунку макала"}],
    }])
    (article,) = read_archive(tmp_path).articles
    assert article.to_dict() == {
        "id": "x1", "source": str(tmp_path / "a.jsonl") + ":1", "url": "https://example.org/a", "language": "ky",
        "kind": "magazine-article", "title": "Муниципалдык менчик", "title_derived": False,
        "authors": [{"name": "Айгүл АСАНОВА", "role": None}, {"name": "Бакыт ОСМОНОВ", "role": "эксперт"}],
        "date": "2023-11-07T10:30", "year": 2023, "issue": "10-11 (144-145)", "section": "Мыйзамдар",
        "body": "Муниципалдык менчик.", "related": [{"issue": "9 (143)", "date": "2023-10-01", "title": "Мурунку макала"}],
    }


def test_contradictory_calendar_leaves_issue_unknown(tmp_path):
    write_jsonl(tmp_path / "a.jsonl", [
        {"title": "A", "body": "a", "kind": "magazine-article", "date": "2020-01-01",
         "related": [{"issue": "1 (100)", "date": "2020-05-05", "title": "x"},
                     {"issue": "2 (101)", "date": "2020-05-05", "title": "y"}]},
        {"title": "B", "body": "b", "kind": "magazine-article", "date": "2020-05-05"},
    ])
    articles = {a.title: a for a in read_archive(tmp_path).articles}
    assert articles["B"].issue is None


LEAD = ("Айыл өкмөтү жаңы мектеп курду жана ага жакынкы үч айылдын балдары барат. Курулушка жергиликтүү бюджеттен "
        "каражат бөлүндү, калганын тургундар чогултту.")


def _read_one(tmp_path, text: str):
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    result = read_archive(tmp_path)
    assert len(result.articles) == 1, result.problems
    return result.articles[0], result


def test_a_page_cut_off_above_its_date_line_keeps_its_article_with_a_derived_title(tmp_path):
    article, result = _read_one(tmp_path, f"2024-01-31 / Көңүл чордонунда\n{LEAD}\nЭкинчи абзац.\n")
    assert article.title == "Айыл өкмөтү жаңы мектеп курду жана ага жакынкы үч айылдын балдары барат"
    assert article.title_derived and article.to_dict()["title_derived"] is True
    assert article.body.startswith(LEAD)  # the sentence the title was made of stays in the text
    assert (article.date, article.section, article.kind) == ("2024-01-31", "Көңүл чордонунда", "magazine-article")
    (warning,) = result.warnings  # reported, not skipped
    assert "no title found: titled by its first sentence" in warning.reason and not result.skipped
    from click.testing import CliRunner
    from web.cli import main

    out = CliRunner().invoke(main, ["inspect", str(tmp_path / "page.txt")])
    assert out.exit_code == 0 and "(аталыш жок болчу: тексттин биринчи сүйлөмү)" in out.output
    from index.build import build_index, open_index
    from search.articles import get_article

    build_index([tmp_path / "page.txt"], tmp_path / "index")
    ix = open_index(tmp_path / "index")
    try:  # the flag reaches the index, and with it the API and the article page
        assert get_article(ix, article.id).to_dict()["title_derived"] is True
    finally:
        ix.close()


def test_a_page_with_only_a_long_paragraph_is_titled_by_its_first_sentence_cut_at_a_word(tmp_path):
    paragraph = "Жергиликтүү " + "өз алдынча башкаруу органдарынын ишмердүүлүгү " * 20 + "каралды. Андан кийин."
    article, _ = _read_one(tmp_path, paragraph + "\n")
    assert article.title_derived and article.title.endswith("…") and len(article.title) <= 121
    assert paragraph.startswith(article.title[:-1]) and article.body == paragraph


def test_a_page_with_a_title_is_not_derived(tmp_path):
    article, result = _read_one(tmp_path, f"Мектеп курулду\n2024-01-31 / Тажрыйба\nМектеп курулду\n{LEAD}\n")
    assert article.title == "Мектеп курулду" and not article.title_derived and not result.problems


def test_dpi_dates_without_a_time_english_datelines_and_nothing_found(tmp_path):
    article, _ = _read_one(tmp_path, f"Nothing found\nЖаңы долбоор башталды\n12.05.2015 00:00\n{LEAD}\n")
    assert (article.title, article.date) == ("Жаңы долбоор башталды", "2015-05-12")  # 00:00 is no time
    (tmp_path / "page.txt").unlink()
    article, _ = _read_one(tmp_path, "Regional forum on local governance\n"
                                     "December 12, 2025, Tashkent. The forum brought together mayors from five "
                                     "countries to discuss municipal services.\n")
    assert (article.title, article.date, article.language) == ("Regional forum on local governance", "2025-12-12",
                                                               "en")


def test_rubric_spellings_are_normalized(tmp_path):
    article, _ = _read_one(tmp_path, f"Мектеп курулду\n2024-01-31 / Мыйзамдар:түшүндүрмө.\n{LEAD}\n")
    assert article.section == "Мыйзамдар: түшүндүрмө"
    write_jsonl(tmp_path / "a.jsonl", [{"title": "Аталыш", "body": "Текст.", "section": "Мыйзамдар :  түшүндүрмө"}])
    sections = {a.section for a in read_archive(tmp_path).articles}
    assert sections == {"Мыйзамдар: түшүндүрмө"}  # one facet value for both spellings


def test_a_rubric_spelled_differently_on_different_pages_is_one_facet_value(tmp_path):
    rows = [{"title": f"Макала {n}", "body": f"Текст {n}.", "section": section}
            for n, section in enumerate(["Мыйзамдар: түшүндүрмө", "МЫЙЗАМДАР. Түшүндүрмө", "Мыйзамдар: түшүндүрмө",
                                         "мыйзамдар – түшүндүрмө", "Тажрыйба", "Тажрыйба алмашуу"])]
    write_jsonl(tmp_path / "a.jsonl", rows)
    sections = sorted(a.section for a in read_archive(tmp_path).articles)
    assert sections == ["Мыйзамдар: түшүндүрмө"] * 4 + ["Тажрыйба", "Тажрыйба алмашуу"]  # the most frequent


def test_list_items_near_the_top_of_the_body_are_not_breadcrumbs(tmp_path):
    article, _ = _read_one(tmp_path, "- Биринчи бет /\n- Макалалар /\n- Тажрыйба\nМектеп курулду\n"
                                     "Айыл өкмөтү мектеп курду.\n- Биринчи кабат\n- Экинчи кабат\n")
    assert (article.title, article.section) == ("Мектеп курулду", "Тажрыйба")
    assert article.body.endswith("- Биринчи кабат\n\n- Экинчи кабат")


HEAD = "- Биринчи бет /\n- Макалалар /\n- Тажрыйба\nМектеп курулду\n"
TEXT = "Айыл өкмөтү жаңы мектеп курду.\nАга үч айылдын балдары барат.\n"


@pytest.mark.parametrize("page, authors", [
    (HEAD + "Нургүл ЖАМАНКУЛОВА, ӨСИнин эксперти Айгүл АСАНОВА, консультант\n" + TEXT,  # run together
     [("Нургүл ЖАМАНКУЛОВА", "ӨСИнин эксперти"), ("Айгүл АСАНОВА", "консультант")]),
    (HEAD + "Нургүл ЖАМАНКУЛОВА; Айгүл АСАНОВА, консультант\n" + TEXT,
     [("Нургүл ЖАМАНКУЛОВА", None), ("Айгүл АСАНОВА", "консультант")]),
    (HEAD + "Нургүл ЖАМАНКУЛОВА,\nӨСИнин эксперти\n" + TEXT, [("Нургүл ЖАМАНКУЛОВА", "ӨСИнин эксперти")]),  # split
    (HEAD + "ЖАМАНКУЛОВА Нургүл, эксперт\n" + TEXT, [("ЖАМАНКУЛОВА Нургүл", "эксперт")]),
    (HEAD + "Айгүл Асанова, ӨСИнин эксперти\n" + TEXT, [("Айгүл Асанова", "ӨСИнин эксперти")]),  # ordinary case
    (HEAD + "Автор: Айгүл Асанова\n" + TEXT, [("Айгүл Асанова", None)]),
    (HEAD + "Түзгөндөр:\nАйгүл АСАНОВА\nБакыт ОСМОНОВ, эксперт\n" + TEXT,
     [("Айгүл АСАНОВА", "түзгөн"), ("Бакыт ОСМОНОВ", "эксперт")]),
    (HEAD + TEXT + "Составители: Айгүл АСАНОВА, Бакыт ОСМОНОВ\n",
     [("Айгүл АСАНОВА", "составитель"), ("Бакыт ОСМОНОВ", "составитель")]),
    (HEAD + TEXT + "Айгүл АСАНОВА, «Кыргыз Туусу» гезити\n", [("Айгүл АСАНОВА", "«Кыргыз Туусу» гезити")]),
])
def test_bylines_of_real_pages(tmp_path, page, authors):
    article, _ = _read_one(tmp_path, page)
    assert [(a.name, a.role) for a in article.authors] == authors
    assert article.title == "Мектеп курулду"
    assert article.body == "Айыл өкмөтү жаңы мектеп курду.\n\nАга үч айылдын балдары барат."


def test_people_named_for_the_media_or_in_the_text_are_not_authors(tmp_path):
    article, _ = _read_one(tmp_path, HEAD + TEXT + "Для СМИ:\nАйгүл АСАНОВА, пресс-катчы\n")
    assert article.authors == [] and article.body.endswith("Айгүл АСАНОВА, пресс-катчы")
    (tmp_path / "page.txt").unlink()
    article, _ = _read_one(tmp_path, HEAD + "Бишкек шаарында жаңы мектеп ачылды, деди Айгүл АСАНОВА.\n" + TEXT)
    assert article.authors == []


INSTITUTE = ("Development Policy Institute (DPI) is a non-profit organization working since 2002 to strengthen "
             "local self-government and to support decentralization reforms in the Kyrgyz Republic through research, "
             "training and advice.")


@pytest.mark.parametrize("page, expected", [
    ("• Главная страница ·\n• Новости ·\nБюджетные слушания в Оше\n12.05.2015 00:00\nБюджетные слушания в Оше\n"
     "Жители обсудили проект бюджета.\n",
     ("Бюджетные слушания в Оше", "news", "2015-05-12", "ru", "Жители обсудили проект бюджета.")),
    ("• Главная страница · Новости · Бюджетные слушания в Оше\nБюджетные слушания в Оше\n12.05.2015 10:30\n"
     "Жители обсудили проект бюджета.\n",
     ("Бюджетные слушания в Оше", "news", "2015-05-12T10:30", "ru", "Жители обсудили проект бюджета.")),
    (f"{INSTITUTE}\n• Home page ·\n• Projects ·\nVoice of Citizens\nThe project helps municipalities listen to "
     "their residents.\n",
     ("Voice of Citizens", "other", None, "en", "The project helps municipalities listen to their residents.")),
    ("• Башкы бет ·\n• Блог ·\nАйыл өкмөтүнүн бир күнү\nАйыл өкмөтүнүн башчысы эртең менен эле иштейт.\n",
     ("Айыл өкмөтүнүн бир күнү", "news", None, "ky", "Айыл өкмөтүнүн башчысы эртең менен эле иштейт.")),
    ("• Home page ·\n• About us ·\nWho we are\nThe institute was founded in 2002.\n",
     ("Who we are", "other", None, "en", "The institute was founded in 2002.")),
])
def test_dpi_pages(tmp_path, page, expected):
    article, _ = _read_one(tmp_path, page)
    assert (article.title, article.kind, article.date, article.language, article.body) == expected


def test_labelled_set_per_field_accuracy():
    """The labelled pages of bench/reader_pages.py (layouts × bylines × rubrics × dates, text and HTML)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    import reader as bench

    scores, dropped, errors = bench.evaluate()
    assert not dropped
    for field, (right, total) in scores.items():
        assert total >= 40 and right / total >= 0.98, (field, errors)


def test_known_rubric_spellings_share_one_facet_value(tmp_path):
    """A Russian name, a trailing period, a missing space after a colon and other case all read as one rubric."""
    spellings = ["Көңүл чордонунда", "В центре внимания.", "в центре  внимания", "Мыйзамдар:түшүндүрмө",
                 "Законы : комментарий", "МЫЙЗАМДАР: ТҮШҮНДҮРМӨ.", "Местное бюджетирование"]
    for n, rubric in enumerate(spellings):
        (tmp_path / f"{n}.txt").write_text(f"Макаланын аталышы {n}\n2024-01-{n + 1:02d} / {rubric}\n{LEAD}\n",
                                          encoding="utf-8")
    sections = Counter(a.section for a in read_archive([tmp_path]).articles)
    assert sections == {"Көңүл чордонунда": 3, "Мыйзамдар: түшүндүрмө": 3, "Местное бюджетирование": 1}


def test_rubric_table_is_consistent():
    table = known_rubrics()
    assert table["в центре внимания"] == "Көңүл чордонунда" and len(set(table.values())) >= 10
    with pytest.raises(ValueError, match="two rubrics"):
        known_rubrics("Тажрыйба | Опыт\nЖаңылыктар | опыт.")


def test_every_kind_of_bad_file_is_reported_and_the_counts_add_up(tmp_path):
    good = (PAGES / "ky_midpage.txt").read_text(encoding="utf-8")
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "good.txt").write_text(good, encoding="utf-8")
    (archive / "copy of good.txt").write_text(good, encoding="utf-8")  # the same page under another name
    (archive / "binary.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02" + bytes(range(256)) * 4)
    (archive / "empty.txt").write_bytes(b"")
    (archive / "huge.txt").write_bytes(good.encode("utf-8") * (50 * 1024 * 1024 // len(good.encode("utf-8")) + 1))
    (archive / "cp1251.txt").write_bytes((PAGES / "ru_new_layout.txt").read_text(encoding="utf-8").encode("cp1251"))
    cut = f"Мектеп оңдолду\n2024-02-01 / Тажрыйба\n{LEAD}\nАкыркы сөз: көмөк".encode("utf-8")
    (archive / "truncated.txt").write_bytes(cut[:-1])  # the file ends in the middle of «к»
    (archive / "page.txt").write_text("<!DOCTYPE html><html><head><title>x</title></head><body><h1>Суу келди</h1>"
                                      "<p>2024-01-31 / Тажрыйба</p><p>Айылга таза суу келди. Тургундар кубанышты."
                                      "</p></body></html>", encoding="utf-8")  # HTML under a text file's name
    (archive / "loop-a.txt").symlink_to(archive / "loop-b.txt")
    (archive / "loop-b.txt").symlink_to(archive / "loop-a.txt")
    (archive / "folder-link").symlink_to(archive)
    (archive / "dangling.txt").symlink_to(archive / "gone.txt")
    write_jsonl(archive / "lines.jsonl", [{"title": "Бюджет", "body": "Жергиликтүү бюджет."}, "{broken", [1]])
    unreadable = archive / "unreadable.txt"
    unreadable.write_text(good.replace("жаңы", "эски"), encoding="utf-8")
    unreadable.chmod(0)
    try:
        result = read_archive([archive, tmp_path / "no-such-folder"])
    finally:
        unreadable.chmod(0o644)
    reasons = {Path(p.source).name: p.reason for p in result.problems}
    assert "binary" in reasons["binary.pdf"] and reasons["empty.txt"] == "empty file"
    assert "too large for a page" in reasons["huge.txt"]
    assert "cp1251" in reasons["cp1251.txt"] and "middle of a character" in reasons["truncated.txt"]
    assert "symbolic links" in reasons["loop-a.txt"] and "symbolic links" in reasons["loop-b.txt"]
    assert "not followed" in reasons["folder-link"] and "No such file" in reasons["dangling.txt"]
    assert reasons["good.txt"].startswith("duplicate of") and "copy of good.txt" in reasons["good.txt"]
    assert "not valid JSON" in reasons["lines.jsonl:2"] and "not a JSON object" in reasons["lines.jsonl:3"]
    assert reasons["no-such-folder"] == "no such file or folder"
    titles = {a.title for a in result.articles}
    assert {"Суу келди", "Бюджет", "Опыт Латвии: как сёла объединяют услуги"} <= titles
    assert any(Path(a.source).name == "truncated.txt" for a in result.articles)
    if os.geteuid() != 0:  # root reads any file
        assert "Permission denied" in reasons["unreadable.txt"]
    # Every file and line seen is either indexed or reported as skipped.
    assert result.items == len(result.articles) + len(result.skipped)
    assert result.files == 14 and result.items == 17

"""HTML pages (saved pages, wget mirrors, JSON Lines `html` fields) are read by the same reader as text dumps."""

from __future__ import annotations

import doctest
import json

import index.htmlpage
from index.archive import read_archive

BODY = ("<p>Баткен облусунда муниципалдык кызмат көрсөтүүлөр боюнча тренингдер өттү.</p>"
        "<p>Катышуучулар <b>жергиликтүү</b> бюджет<br>жана тарифтер тууралуу билишти.</p>"
        "<ul><li>Суу түтүгү</li><li>Кошумча класс</li></ul>")
CHROME = ("<script>document.write('скрипт')</script><style>p {color: red}</style>"
          "<nav class='main-menu'><ul><li><a href='/'>Башкы бет</a></li><li>Байланыш</li></ul></nav>"
          "<aside class='sidebar'>Акыркы жаңылыктар</aside><footer>© Өнүктүрүү саясат институту</footer>")


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}{CHROME}</body></html>"


def _one(tmp_path, name: str, html: str):
    (tmp_path / name).write_text(html, encoding="utf-8")
    result = read_archive(tmp_path / name)
    assert len(result.articles) == 1, result.problems
    return result.articles[0], result


def test_htmlpage_doctests():
    assert doctest.testmod(index.htmlpage).failed == 0


def test_magazine_page_in_html(tmp_path):
    html = page("<header><div class='slogan'>Муниципалитет - бул аймактын, ал жерде жашаган калктын жана "
                "жергиликтүү өз алдынча башкаруу органынын үчилтиги</div></header>"
                "<nav aria-label='breadcrumb' class='breadcrumb'><ul><li><a href='/'>Биринчи бет</a></li>"
                "<li><a href='/a'>Макалалар</a></li><li>Көңүл чордонунда</li></ul></nav>"
                "<article><h1>Баткенде тренинг өттү</h1><p>Нургүл ЖАМАНКУЛОВА, ӨСИнин консультанты</p>"
                f"{BODY}</article>",
                "<title>Баткенде тренинг өттү | Муниципалитет</title>"
                "<link rel='canonical' href='https://municipalitet.kg/ky/article/1'>")
    article, result = _one(tmp_path, "a.html", html)
    assert (article.title, article.kind, article.section) == ("Баткенде тренинг өттү", "magazine-article",
                                                              "Көңүл чордонунда")
    assert [(a.name, a.role) for a in article.authors] == [("Нургүл ЖАМАНКУЛОВА", "ӨСИнин консультанты")]
    assert article.url == "https://municipalitet.kg/ky/article/1" and article.language == "ky"
    paragraphs = article.body.split("\n\n")
    assert paragraphs[0] == "Баткен облусунда муниципалдык кызмат көрсөтүүлөр боюнча тренингдер өттү."
    assert "Катышуучулар жергиликтүү бюджет" in article.body and "- Суу түтүгү" in article.body
    for chrome in ("скрипт", "color", "Байланыш", "Акыркы жаңылыктар", "©", "үчилтиги", "Биринчи бет"):
        assert chrome not in article.body and chrome not in article.title, chrome
    assert not result.problems


def test_news_page_in_html_with_og_url(tmp_path):
    html = page("<h1>Швейцария конференцияны колдоду</h1><div class='date'>03.03.2022 11:50</div>"
                f"<h2>Швейцария конференцияны колдоду</h2>{BODY}",
                "<meta property='og:url' content='https://dpi.kg/ky/news/77'>")
    article, _ = _one(tmp_path, "news.htm", html)
    assert (article.title, article.kind, article.date) == ("Швейцария конференцияны колдоду", "news",
                                                           "2022-03-03T11:50")
    assert article.url == "https://dpi.kg/ky/news/77" and not article.body.startswith("Швейцария")


def test_html_cut_off_above_the_date_line_keeps_the_article(tmp_path):
    html = page(f"<p>2024-01-31 / Көңүл чордонунда</p>{BODY}")
    article, result = _one(tmp_path, "cut.html", html)
    assert article.title_derived and article.title.startswith("Баткен облусунда муниципалдык")
    assert (article.date, article.section) == ("2024-01-31", "Көңүл чордонунда") and result.warnings


def test_html_saved_as_text_and_html_in_json_lines(tmp_path):
    html = page(f"<h1>Бюджеттик угуулар</h1><div>12.05.2015 00:00</div>{BODY}")
    (tmp_path / "saved.txt").write_text(html, encoding="utf-8")  # HTML under a .txt name is read as HTML
    line = {"html": html, "issue": "5 (39)", "url": "https://municipalitet.kg/x", "kind": "magazine-article"}
    (tmp_path / "pages.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    result = read_archive(tmp_path)
    assert not result.problems, result.problems
    saved, = [a for a in result.articles if a.source.endswith("saved.txt")]
    jsonl, = [a for a in result.articles if a.source.endswith("pages.jsonl:1")]
    assert saved.title == jsonl.title == "Бюджеттик угуулар" and saved.date == "2015-05-12"
    assert "<" not in saved.body and "- Кошумча класс" in saved.body
    # The JSON line's own fields win over what its HTML says.
    assert (jsonl.issue, jsonl.url, jsonl.kind, jsonl.date) == ("5 (39)", "https://municipalitet.kg/x",
                                                                 "magazine-article", "2015-05-12")


def test_html_without_text_is_reported_and_skipped(tmp_path):
    (tmp_path / "empty.html").write_text(page(""), encoding="utf-8")
    (tmp_path / "comment.html").write_text("<!-- nothing -->", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text(json.dumps({"html": "<p></p>"}) + "\n", encoding="utf-8")
    result = read_archive(tmp_path)
    reasons = {p.source.split("/")[-1]: p.reason for p in result.problems}
    assert not result.articles
    assert reasons["empty.html"] == "no title found" and reasons["bad.jsonl:1"] == "html: no title found"
    assert reasons["comment.html"].startswith("unreadable HTML")

"""A labelled set of archive pages written for the reader's benchmark: every layout the real sites show, combined
with every byline form, rubric spelling and date format, as text dumps and as HTML. No real page is copied: the
texts are written here; the layouts follow what `index/pages.py` documents and issue 14 describes.

`pages()` returns (file name, content, labels); labels hold the fields the reader should find: language, kind,
title, title_derived, date, section, authors (names, in order).
"""

from __future__ import annotations

import html
import itertools

KY_BODY = ["Айыл өкмөтү жергиликтүү бюджеттин долбоорун талкуулоо үчүн угууларды өткөрдү.",
           "Тургундар суу түтүктөрүн оңдоого жана мектепти жылытууга каражат сурашты.",
           "Кеңештин депутаттары сунуштарды кийинки сессияда карай турганын айтышты."]
RU_BODY = ["Айыл окмоту провёл публичные слушания по проекту местного бюджета.",
           "Жители попросили выделить средства на ремонт водопровода и отопление школы.",
           "Депутаты местного кеңеша обещали рассмотреть предложения на следующей сессии."]
EN_BODY = ["The municipality held public hearings on its draft local budget.",
           "Residents asked for funds to repair the water supply and to heat the school.",
           "Council members promised to consider the proposals at their next session."]
BODIES = {"ky": KY_BODY, "ru": RU_BODY, "en": EN_BODY}
TITLES = {"ky": ["Бюджеттик угуулар Кочкордо", "Суу түтүгү оңдолду", "Мектеп жылытылат", "Кеңештин сессиясы"],
          "ru": ["Бюджетные слушания в Кочкоре", "Водопровод отремонтирован", "Школу утеплят", "Сессия кенеша"],
          "en": ["Budget hearings in Kochkor", "Water supply repaired", "School to be heated", "Council session"]}
SLOGAN = {"ky": ["Муниципалитет - бул аймактын, ал жерде жашаган калктын жана",
                 "жергиликтүү өз алдынча башкаруу органынын үчилтиги"],
          "ru": ["Муниципалитет - это триединство территории,", "живущего на ней населения и",
                 "органа местного самоуправления"]}
HOME = {"ky": "Биринчи бет", "ru": "Главная страница", "en": "Home page"}
ARTICLES = {"ky": "Макалалар", "ru": "Статьи", "en": "Articles"}
NEWS = {"ky": "Жаңылыктар", "ru": "Новости", "en": "News"}
# Rubric as written → as the facet should show it (Russian names through index/rubrics.txt).
RUBRICS = [("Мыйзамдар:түшүндүрмө.", "Мыйзамдар: түшүндүрмө"), ("Тажрыйба", "Тажрыйба"),
           ("Көңүл чордонунда .", "Көңүл чордонунда"), ("Закон : комментарий", "Мыйзамдар: түшүндүрмө"),
           ("В центре внимания.", "Көңүл чордонунда")]
# Byline as written (lines above the body; lines below it) → authors' names.
BYLINES = [
    (["Нургүл ЖАМАНКУЛОВА, ӨСИнин эксперти"], [], ["Нургүл ЖАМАНКУЛОВА"]),
    (["Автор: Айгүл АСАНОВА, журналист"], [], ["Айгүл АСАНОВА"]),
    (["Нургүл ЖАМАНКУЛОВА, ӨСИнин эксперти Бакыт ОСМОНОВ, консультант"], [],
     ["Нургүл ЖАМАНКУЛОВА", "Бакыт ОСМОНОВ"]),
    (["Айгүл АСАНОВА; Бакыт ОСМОНОВ, эксперттер"], [], ["Айгүл АСАНОВА", "Бакыт ОСМОНОВ"]),
    (["ОСМОНОВ Бакыт, эксперт"], [], ["ОСМОНОВ Бакыт"]),
    (["Нургүл ЖАМАНКУЛОВА,", "ӨСИнин коммуникация боюнча консультанты"], [], ["Нургүл ЖАМАНКУЛОВА"]),
    (["Айгүл Асанова, ӨСИнин эксперти"], [], ["Айгүл Асанова"]),
    (["Түзгөндөр:", "Айгүл АСАНОВА", "Бакыт ОСМОНОВ"], [], ["Айгүл АСАНОВА", "Бакыт ОСМОНОВ"]),
    ([], ["Составители: Айгүл АСАНОВА, Бакыт ОСМОНОВ"], ["Айгүл АСАНОВА", "Бакыт ОСМОНОВ"]),
    ([], ["Айгүл АСАНОВА, «Кыргыз Туусу» гезити"], ["Айгүл АСАНОВА"]),
    ([], ["Для СМИ:", "Айгүл АСАНОВА, пресс-катчы"], []),
    ([], [], []),
]


def _labels(language, kind, title, date=None, section=None, authors=(), derived=False) -> dict:
    return {"language": language, "kind": kind, "title": title, "title_derived": derived, "date": date,
            "section": section, "authors": list(authors)}


def magazine_pages() -> list[tuple[list[str], dict]]:
    """Magazine layouts × bylines × rubrics."""
    out = []
    combos = itertools.product(range(5), range(len(BYLINES)))
    for n, (layout, byline) in enumerate(combos):
        language = "ru" if n % 3 == 1 else "ky"
        title = TITLES[language][n % 4]
        above, below, names = BYLINES[byline]
        written, rubric = RUBRICS[n % len(RUBRICS)]
        body = BODIES[language]
        date = f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 27:02d}"
        if layout == 0:  # older layout: masthead, banner, ISBN, dpi, slogan, title, date/rubric, title again
            lines = ["Муниципалитет Илимий-популярдуу журнал", "9 (155) 11 Сентябрь 2024", "ISBN 978-9967-00-000-0",
                     "Катталган: 2009", "", "dpi", *SLOGAN["ky"], title, f"{date} / {written}", title, *above, *body,
                     *below, "Окшош материалы:", f"№ 1 (147) / 2024-01-31 {TITLES[language][(n + 1) % 4]}"]
            labels = _labels(language, "magazine-article", title, date, rubric, names)
        elif layout == 1:  # newer layout: slogan over lines, breadcrumbs with the rubric, title, byline, no date
            lines = [*SLOGAN[language], f"- {HOME[language] if language != 'ky' else 'Биринчи бет'} /",
                     f"- {ARTICLES[language]} /", f"- {written}", title, *above, *body, *below]
            labels = _labels(language, "magazine-article", title, None, rubric, names)
        elif layout == 2:  # cut off above the date line: no title at all
            lines = [f"{date} / {written}", *above, *body, *below]
            first = body[0].rstrip(".")
            labels = _labels(language, "magazine-article", first, date, rubric, names if above else
                             names, derived=True)
            if above:  # a byline cannot follow a missing title: it is body text then
                continue
        elif layout == 3:  # title above the date; after the date a subheading, the title repeated
            lines = [title, f"{date} / {written}", "Жаңы мыйзам боюнча түшүндүрмө" if language == "ky"
                     else "Разъяснение к новому закону", title, *above, *body, *below]
            labels = _labels(language, "magazine-article", title, date, rubric, names)
            if above:  # the subheading stands between the date and the byline: not a layout real pages show
                continue
        else:  # the slogan, then the date line straight after the title, title three times
            lines = [*SLOGAN[language], title, title, f"{date} / {written}", title, *above, *body, *below]
            labels = _labels(language, "magazine-article", title, date, rubric, names)
        out.append((lines, labels))
    return out


def dpi_pages() -> list[tuple[list[str], dict]]:
    """dpi.kg news, press releases, project, about and blog pages in three languages."""
    out = []
    for n, language in enumerate(["ky", "ru", "en"] * 4):
        title = TITLES[language][n % 4]
        body = BODIES[language]
        time = "00:00" if n % 2 else "14:05"
        date = f"{1 + n:02d}.0{1 + n % 9}.2019 {time}"
        iso = f"2019-0{1 + n % 9}-{1 + n:02d}" + ("" if time == "00:00" else f"T{time}")
        variant = n % 6
        if variant == 0:  # news: title, date, title again, lead, body
            lines, labels = [title, date, title, *body], _labels(language, "news", title, iso)
        elif variant == 1:  # breadcrumbs, then title and date
            lines = [f"• {HOME[language]} ·", f"• {NEWS[language]} ·", title, date, *body]
            labels = _labels(language, "news", title, iso)
        elif variant == 2:  # press release with a media contact
            lines = [title, date, "ПРЕСС - РЕЛИЗ", title, *body, "Для СМИ:", "Айгүл АСАНОВА, пресс-катчы"]
            labels = _labels(language, "press-release", title, iso)
        elif variant == 3:  # project page: the institute's paragraph, breadcrumbs, title
            lines = ["Development Policy Institute (DPI) is a non-profit organization working since 2002 to "
                     "strengthen local self-government and to support decentralization reforms in the Kyrgyz "
                     "Republic through research, training and advice.",
                     f"• {HOME[language]} ·", "• Projects ·", title, *body]
            labels = _labels(language, "other", title)
        elif variant == 4:  # English dateline, no date line; «Nothing found» chrome
            lines = ["Nothing found", title, f"December {n}, 2025, Tashkent. " + body[0], *body[1:]]
            labels = _labels(language, "other", title, f"2025-12-{n:02d}")
        else:  # all breadcrumbs on one line; about page
            lines = [f"• {HOME[language]} · About us · {title}", title, *body]
            labels = _labels(language, "other", title)
        out.append((lines, labels))
    return out


def listing_pages() -> list[tuple[list[str], dict]]:
    """dpi.kg listing pages (a page of news items, each with its date, teaser and «read more»): kind `other`,
    titled by the last breadcrumb, with no date of their own."""
    more = {"ky": "Кененирээк", "ru": "Подробнее", "en": "Read more"}
    out = []
    for n, language in enumerate(["ky", "ru", "en"]):
        lines = [f"• {HOME[language]} ·", f"• {NEWS[language]} ·"]
        for k, title in enumerate(TITLES[language]):
            lines += [title, f"{10 + k}.0{1 + n}.2024 {'00:00' if k % 2 else '09:30'}", BODIES[language][k % 3],
                      more[language]]
        lines.append("1 2 3 »")
        out.append((lines, _labels(language, "other", NEWS[language])))
    return out


def as_html(lines: list[str], n: int) -> str:
    """The same page as a saved HTML page: chrome around it, breadcrumbs as a list, one block a line."""
    blocks, crumbs = [], []
    for line in lines:
        if line.startswith(("- ", "• ")) and line.rstrip().endswith(("/", "·")) or (crumbs and line.startswith("- ")
                                                                                    and not blocks):
            crumbs.append(line[2:].rstrip(" /·"))
            continue
        if crumbs and not any("breadcrumb" in b for b in blocks):
            blocks.append("<nav class='breadcrumb'><ul>" + "".join(f"<li>{html.escape(c)}</li>" for c in crumbs)
                          + "</ul></nav>")
        tag = "h1" if not blocks and len(line) < 80 else "p"
        blocks.append(f"<{tag}>{html.escape(line)}</{tag}>")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>page</title>"
            f"<link rel='canonical' href='https://example.kg/page/{n}'><style>body {{margin: 0}}</style></head>"
            "<body><nav class='main-menu'><ul><li>Башкы бет</li><li>Байланыш</li></ul></nav>"
            f"<main>{''.join(blocks)}</main><footer>© 2025</footer><script>var x = 1;</script></body></html>")


def pages() -> list[tuple[str, str, dict]]:
    """Every labelled page: (file name, content, labels)."""
    out = []
    for n, (lines, labels) in enumerate(magazine_pages() + dpi_pages() + listing_pages()):
        out.append((f"{n:03d}.txt", "\n".join(lines) + "\n", labels))
        if n % 3 == 0:  # a third of them as HTML too
            out.append((f"{n:03d}.html", as_html(lines, n), labels))
    return out

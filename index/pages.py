"""Understand one scraped archive page: strip the site chrome, find title, date, rubric, byline, related list.

The layouts (all seen on real pages, Kyrgyz and Russian):

* magazine, older layout: masthead, banner (`9 (155) 11 Сентябрь 2024`, the site's *current* issue), ISBN and
  registration lines, `dpi`, the slogan, the title, `YYYY-MM-DD / Rubric`, the title again, byline, body,
  «Окшош материалы:»;
* magazine, newer layout: breadcrumbs (`- Биринчи бет /`, `- Макалалар /`, `- Rubric`), title, byline, body;
* a page cut off above the `YYYY-MM-DD / Rubric` line: no title before it, the repeated title after it;
* DPI news and press releases: title, `DD.MM.YYYY HH:MM` (`00:00` on old items: no time then), the title again,
  lead, body; English items may carry only a dateline («December 12, 2025, Tashkent.»).

A page whose title was cut off but whose article text is there is never dropped: its title is derived from the
first sentence (`Page.title_derived`), and the reader reports it as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .calendar import normalize_issue_label
from .records import Author, RelatedRef


class PageError(ValueError):
    """The page cannot be made into an article; the message says why."""


MONTHS = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "июн": 6, "июл": 7, "авг": 8,
    "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}

_ISSUE = r"\d{1,2}(?:\s*-\s*\d{1,2})?\s*\(\s*\d{1,4}(?:\s*-\s*\d{1,4})?\s*\)"
BANNER = re.compile(rf"^(?P<issue>{_ISSUE})\s+(?P<day>\d{{1,2}})\s+(?P<month>[^\W\d_]+)\s+(?P<year>\d{{4}})$")
DATE_RUBRIC = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})\s*/\s*(?P<section>.*)$")
NEWS_DATE = re.compile(r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?:\s+(?P<hh>\d{1,2}):(?P<mm>\d{2}))?$")
RELATED_HEAD = re.compile(r"^(?:Окшош\s+материал\w*|Похожие\s+материал\w*|Related\s+articles?)\s*:?$", re.I)
RELATED_LINE = re.compile(rf"^№?\s*(?P<issue>{_ISSUE})?\s*/?\s*(?P<date>\d{{4}}-\d{{2}}-\d{{2}})?\s*(?P<title>.*)$")
MASTHEAD = re.compile(r"^Муниципалитет\s+(?:Илимий|Научно)", re.I)
SLOGAN = re.compile(r"^Муниципалитет\s*[-–—]\s*(?:бул|это)\b", re.I)
ISBN = re.compile(r"^(?:ISBN|ISSN)\b")
# Breadcrumbs: «- Биринчи бет /» on municipalitet.kg, «• Главная страница ·» on dpi.kg.
CRUMB = re.compile(r"^(?P<mark>[-•·])\s*(?P<text>[^\W\d_].*?)\s*(?P<more>[/·»>])?$")
CRUMB_HOME = {"биринчи бет", "башкы бет", "главная страница", "главная", "home", "home page"}
CRUMB_KINDS = {"макалалар": "magazine-article", "статьи": "magazine-article", "articles": "magazine-article",
               "жаңылыктар": "news", "новости": "news", "news": "news", "блог": "news", "blog": "news",
               "пресс-релиздер": "press-release", "пресс-релизы": "press-release", "press releases": "press-release",
               "биз жөнүндө": "other", "о нас": "other", "about": "other", "about us": "other",
               "долбоорлор": "other", "проекты": "other", "projects": "other",
               "китепкана": "other", "библиотека": "other", "library": "other"}
# dpi.kg's project pages open with the same paragraph about the institute, before their title.
INSTITUTE = re.compile(r"^(?:Өнүктүрүү\s+саясат\w*\s+институту|Институт\s+политики\s+развития|"
                       r"(?:The\s+)?Development\s+Policy\s+Institute)\b", re.I)
PRESS_MARK = re.compile(r"^(?:ПРЕСС\s*[-–—]?\s*РЕЛИЗ|Пресс\s*[-–—]?\s*релиз|PRESS\s*RELEASE)\W*$", re.I)
MEDIA_CONTACT = re.compile(r"^(?:Для\s+СМИ|Медиа[-\s]?контакт|ЖМК\s+үчүн|Маалымат\s+каражаттары\s+үчүн|"
                           r"Media\s+contact)\b", re.I)
# A listing page (a list of news, a library's shelf) links on to its items: «Кененирээк», «Подробнее», «Read more».
READ_MORE = re.compile(r"^(?:Кененирээк|Толугураак|Толук\s+окуу|Подробнее|Читать\s+(?:далее|полностью)|Read\s+more|"
                       r"More)\W*$", re.I)
NOTHING_FOUND = re.compile(r"^(?:Nothing\s+found|Ничего\s+не\s+найдено|Эч\s+нерсе\s+табылган\s+жок)\W*$", re.I)
DATELINE = re.compile(r"^(?P<month>[A-Z][a-z]+)\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4})\b")
TITLE_CHARS = 120  # a derived title is the first sentence, cut at a word boundary near this length
SCRAPE_ERROR = re.compile(r"\s*Error\.\s*Page cannot be displayed\.\s*Please contact your service provider for "
                          r"more details\.\s*(?:\(\d+\))?", re.I)

_UP = "А-ЯЁӨҮҢ"
_LOW = "а-яёөүң"
_GIVEN = rf"[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_FAMILY = rf"[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?(?:\s+(?:УУЛУ|КЫЗЫ))?"
PERSON = re.compile(rf"(?:{_GIVEN}\s+{_FAMILY}|{_FAMILY}\s+{_GIVEN})(?=$|[\s,;])")
# «Имя Фамилия» in ordinary case: a byline only with «Автор:» before it or a role after it.
PERSON_PLAIN = re.compile(rf"{_GIVEN}\s+{_GIVEN}(?=,|$)")
COMPILERS = re.compile(r"^(?P<verb>Түзгөндөр|Түзгөн|Составители|Составитель|Compiled\s+by)\s*:?\s*(?P<names>.*)$",
                       re.I)
COMPILER_ROLE = {"түзгөндөр": "түзгөн", "түзгөн": "түзгөн", "составители": "составитель",
                 "составитель": "составитель"}
_JOINER = re.compile(r"\s*(?:,|\bжана\b|\bи\b)\s*")
BYLINE_PREFIX = re.compile(r"^(?:Автор(?:ы|лор)?|Author)\s*:\s*", re.I)
CLOSING_BYLINE = re.compile(r"^(?P<names>.+?)\s+(?P<verb>даярдады|даярдаган|подготовил[аи]?)\.?$", re.I)
OPENING_PREPARED = re.compile(r"^(?P<verb>Подготовил[аи]?|Даярдаган)\s*:?\s+(?P<names>.+?)\.?$", re.I)


@dataclass
class Page:
    """What one page says about itself, before the archive-wide issue calendar is applied."""

    title: str
    body: str
    kind: str
    date: str | None = None
    section: str | None = None
    authors: list[Author] = field(default_factory=list)
    related: list[RelatedRef] = field(default_factory=list)
    banner: tuple[str, str] | None = None  # (issue, date) the site showed when crawled; never the article's
    title_derived: bool = False  # the page had no title: it is the body's first sentence


def _month(name: str) -> int | None:
    return MONTHS.get(name[:3].lower())


def _clean_line(line: str) -> str:
    line = SCRAPE_ERROR.sub("", line)
    line = line.replace("\xa0", " ").replace("\u200b", "")
    return re.sub(r"[ \t]{2,}", " ", line).strip()


def _same_title(line: str, title: str) -> bool:
    a = re.sub(r"\W+", " ", line).strip().lower()
    b = re.sub(r"\W+", " ", title).strip().lower()
    return bool(a) and (a == b or (len(a) > 30 and (b.startswith(a) or a.startswith(b))))


def parse_persons(text: str) -> list[str] | None:
    """Split "Имя ФАМИЛИЯ, Имя2 ФАМИЛИЯ2 жана …" into names; None if the text is not only names.

    >>> parse_persons("Нургүл ЖАМАНКУЛОВА жана АЙТКОЗУ УУЛУ Алчынбек")
    ['Нургүл ЖАМАНКУЛОВА', 'АЙТКОЗУ УУЛУ Алчынбек']
    >>> parse_persons("Коалициясы жана журналы") is None
    True
    """
    names, pos = [], 0
    while True:
        match = PERSON.match(text, pos)
        if not match:
            return None
        names.append(match.group(0))
        pos = match.end()
        if pos >= len(text.rstrip(" .")):
            return names
        joiner = _JOINER.match(text, pos)
        if not joiner:
            return None
        pos = joiner.end()


def parse_byline(line: str) -> list[Author] | None:
    """Read a byline ("Имя ФАМИЛИЯ, role"; several authors; "Автор: …"), or None if the line is not one.

    >>> parse_byline("Нургүл ЖАМАНКУЛОВА, ӨСИнин жана БАЖБАнын коммуникация боюнча консультанты")
    [Author(name='Нургүл ЖАМАНКУЛОВА', role='ӨСИнин жана БАЖБАнын коммуникация боюнча консультанты')]
    >>> parse_byline("Бахтияр САЛИЕВ буларды белгиледи: “Аймактардын…”") is None
    True
    """
    if len(line) > 400:
        return None
    prefixed = bool(BYLINE_PREFIX.match(line.strip()))
    line = BYLINE_PREFIX.sub("", line.strip())
    authors: list[Author] = []
    for part in (p for chunk in re.split(r"\s*;\s*", line) for p in _split_run_together(chunk)):
        if not part:
            continue
        names, pos = [], 0
        while True:
            match = PERSON.match(part, pos) or (PERSON_PLAIN.match(part, pos) if not names else None)
            if not match:
                break
            names.append(match.group(0))
            pos = match.end()
            joiner = _JOINER.match(part, pos)
            if not joiner or not PERSON.match(part, joiner.end()):
                break
            pos = joiner.end()
        if not names:
            return None
        rest = part[pos:].strip()
        if rest and not rest.startswith(","):
            return None
        role = rest.lstrip(", ").rstrip(".").strip() or None
        if role and (":" in role or "“" in role or '"' in role):
            return None
        if not PERSON.match(part) and not (prefixed or (role and len(role) <= 120)):
            return None  # «Имя Фамилия» alone could be any two capitalized words
        authors.extend(Author(name, role) for name in names)
    return authors or None


def _split_run_together(part: str) -> list[str]:
    """Split «Имя ФАМИЛИЯ, role Имя2 ФАМИЛИЯ2, role2» (two bylines run together) before each later name that
    follows a role; names joined by commas or «жана» stay one part.

    >>> _split_run_together("Нургүл ЖАМАНКУЛОВА, эксперт Айгүл АСАНОВА, консультант")
    ['Нургүл ЖАМАНКУЛОВА, эксперт', 'Айгүл АСАНОВА, консультант']
    >>> _split_run_together("Нургүл ЖАМАНКУЛОВА, Айгүл АСАНОВА, эксперттер")
    ['Нургүл ЖАМАНКУЛОВА, Айгүл АСАНОВА, эксперттер']
    """
    cuts, previous_end = [], None
    for match in PERSON.finditer(part):
        if previous_end is not None:
            between = _JOINER.sub(" ", part[previous_end:match.start()]).strip(" ,")
            if between and part[previous_end:match.start()].lstrip().startswith(","):
                cuts.append(match.start())
        previous_end = match.end()
    bounds = [0, *cuts, len(part)]
    return [part[a:b].strip() for a, b in zip(bounds, bounds[1:])]


def parse_date_line(line: str) -> tuple[str, str | None] | None:
    """Read `YYYY-MM-DD / Rubric` into (date, section)."""
    match = DATE_RUBRIC.match(line)
    if not match:
        return None
    return match.group("date"), (match.group("section").strip() or None)


def parse_news_date(line: str) -> str | None:
    """Read `DD.MM.YYYY HH:MM` into an ISO date (with the time where given).

    >>> parse_news_date("03.07.2018 09:29")
    '2018-07-03T09:29'
    """
    match = NEWS_DATE.match(line)
    if not match:
        return None
    day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    date = f"{year:04d}-{month:02d}-{day:02d}"
    if match["hh"] and (int(match["hh"]), match["mm"]) != (0, "00"):  # 00:00: an old item with no time given
        date += f"T{int(match['hh']):02d}:{match['mm']}"
    return date


def parse_dateline(line: str) -> str | None:
    """Read the date of an English dateline that opens a paragraph.

    >>> parse_dateline("December 12, 2025, Tashkent. The forum opened…"), parse_dateline("May we begin")
    ('2025-12-12', None)
    """
    match = DATELINE.match(line)
    if not match or not (month := _month(match["month"])) or not 1 <= int(match["day"]) <= 31:
        return None
    return f"{int(match['year']):04d}-{month:02d}-{int(match['day']):02d}"


def normalize_section(name: str | None) -> str | None:
    """One spelling per rubric: spaces after colons and around dashes, no trailing period, no doubled spaces.

    >>> normalize_section("Мыйзамдар:  түшүндүрмө."), normalize_section("Тажрыйба :жаңылыктар"), normalize_section(" . ")
    ('Мыйзамдар: түшүндүрмө', 'Тажрыйба: жаңылыктар', None)
    """
    if not name:
        return None
    name = re.sub(r"\s*:\s*", ": ", name)
    name = re.sub(r"\s+([–—])\s*", r" \1 ", name)
    name = re.sub(r"\s+", " ", name).strip(" .;,")
    return name or None


def _is_listing(lines: list[str]) -> bool:
    """Whether a page lists items rather than being one: three or more item dates, or two «read more» links.

    >>> _is_listing(["Жаңылыктар", "A", "01.02.2024 10:00", "Кененирээк", "B", "02.02.2024 00:00", "Кененирээк"])
    True
    >>> _is_listing(["Title", "01.02.2024 10:00", "Text that mentions 02.02.2024 in passing."])
    False
    """
    dates = sum(1 for line in lines if line and (parse_news_date(line) or parse_date_line(line)))
    more = sum(1 for line in lines if line and READ_MORE.match(line))
    return dates >= 3 or more >= 2


def derive_title(body_lines: list[str]) -> str | None:
    """A title made of the first sentence of the text, shortened at a word boundary; None if there is no text.

    >>> derive_title(["Айыл өкмөтү жаңы мектеп курду. Ага 300 бала барат."])
    'Айыл өкмөтү жаңы мектеп курду'
    """
    text = next((line for line in body_lines if re.search(r"[^\W\d_]{2,}", line)), None)
    if text is None:
        return None
    sentence = re.split(r"(?<=[^\W\d_]{2})[.!?…](?:\s|$)", text, maxsplit=1)[0].strip(" .,:;–—-")
    if len(sentence) > TITLE_CHARS:
        cut = sentence.rfind(" ", 0, TITLE_CHARS)
        sentence = sentence[:cut if cut > TITLE_CHARS // 2 else TITLE_CHARS].rstrip(" ,;:–—-") + "…"
    return sentence or None


def _looks_like_title(line: str) -> bool:
    """A heading, not a paragraph: short, no sentence ends inside it, and no full stop ends it."""
    return (len(line) <= 250 and not re.search(r"[^\W\d_]{2}[.!?…]\s+\S", line)
            and not re.search(r"[^\W\d_]{2}\.$", line))


def parse_banner(line: str) -> tuple[str, str] | None:
    """Read a banner line into (issue label, ISO date).

    >>> parse_banner("9 (155) 11 Сентябрь 2024")
    ('9 (155)', '2024-09-11')
    >>> parse_banner("2-3(100-101) 12 Март 2020")
    ('2-3 (100-101)', '2020-03-12')
    >>> parse_banner("5 (39) 31 Января 2014")
    ('5 (39)', '2014-01-31')
    """
    match = BANNER.match(line)
    if not match:
        return None
    month = _month(match["month"])
    label = normalize_issue_label(match["issue"])
    if not month or not label:
        return None
    return label, f"{int(match['year']):04d}-{month:02d}-{int(match['day']):02d}"


def parse_related(lines: list[str]) -> list[RelatedRef]:
    """Read the lines after «Окшош материалы:» into references (separator lines "-" are skipped)."""
    related = []
    for line in lines:
        line = line.strip(" -–—•\t")
        if not line:
            continue
        match = RELATED_LINE.match(line)
        title = (match["title"] or "").strip() if match else line
        if not title:
            continue
        issue = normalize_issue_label(match["issue"]) if match and match["issue"] else None
        related.append(RelatedRef(issue=issue, date=match["date"] if match else None, title=title))
    return related


def _header_chrome(lines: list[str]) -> set[int]:
    """Indexes of masthead, banner, ISBN and registration, `dpi` and slogan lines.

    The registration lines follow ISBN up to a blank line; the slogan may wrap over 2–3 lines, its continuations
    starting in lower case. Neither block runs into breadcrumbs or a date line.
    """
    chrome: set[int] = set()
    block, left = "", 0
    for i, line in enumerate(lines):
        if not line or CRUMB.match(line) or DATE_RUBRIC.match(line) or NEWS_DATE.match(line):
            block = ""
            continue
        if MASTHEAD.match(line) or BANNER.match(line) or line.lower() == "dpi" \
                or (INSTITUTE.match(line) and len(line) > 200):
            chrome.add(i)
            block = ""
        elif ISBN.match(line) or SLOGAN.match(line):
            chrome.add(i)
            block, left = ("isbn", 3) if ISBN.match(line) else ("slogan", 2)
        elif block and left and (block == "isbn" or line[0].islower()):
            chrome.add(i)
            left -= 1
        else:
            block = ""
    return chrome


def _role_line(line: str) -> bool:
    """Whether a line can be a role continued from the byline above it («Имя ФАМИЛИЯ,» / «эксперт ӨСИ»)."""
    return (0 < len(line) <= 150 and not re.search(r"[.!?…:“\"]", line.rstrip("."))
            and not PERSON.match(line) and not parse_byline(line))


def _compilers(lines: list[str], i: int) -> tuple[list[Author], int] | None:
    """Read «Түзгөндөр:» / «Составители:» and the names on its line or the lines below; None if not there."""
    match = COMPILERS.match(lines[i])
    if not match:
        return None
    role = COMPILER_ROLE.get(match["verb"].lower(), match["verb"].lower())
    authors, j = [], i + 1
    if match["names"]:
        authors = [Author(a.name, a.role or role) for a in parse_byline(match["names"]) or []]
    else:
        while j < len(lines) and (not lines[j] or (found := parse_byline(lines[j]))):
            if lines[j]:
                authors += [Author(a.name, a.role or role) for a in found]
            j += 1
    return (authors, j) if authors else None


def _take_byline(lines: list[str], start: int) -> tuple[list[Author], int]:
    """Read a byline at the first non-empty line from `start`; return the authors and where the body starts."""
    i = start
    while i < len(lines) and not lines[i]:
        i += 1
    if i < len(lines):
        line = lines[i]
        prepared = OPENING_PREPARED.match(line)
        if prepared and (names := parse_persons(prepared["names"])):
            return [Author(n, prepared["verb"].lower()) for n in names], i + 1
        if compiled := _compilers(lines, i):
            return compiled
        authors = parse_byline(line)
        if authors:
            nxt = i + 1
            # «Имя ФАМИЛИЯ,» with the role on the next line
            if line.rstrip().endswith(",") and authors[-1].role is None and nxt < len(lines) \
                    and _role_line(lines[nxt]):
                authors[-1] = Author(authors[-1].name, lines[nxt].strip().rstrip("."))
                nxt += 1
            return authors, nxt
    return [], start


def parse_page(text: str) -> Page:
    """Make a `Page` of a scraped page's text; raise `PageError` when no title can be found."""
    raw = [_clean_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    raw = ["" if NOTHING_FOUND.match(line) else line for line in raw]
    # «• Главная страница · Новости · …» on one line: one breadcrumb a line, as they usually come.
    raw = [crumb for line in raw for crumb in (
        [f"• {part.strip()} ·" for part in line.lstrip("•").split("·") if part.strip()]
        if line.startswith("•") and line.count("·") >= 2 else [line])]
    # The related list ends the page: cut it off first so nothing below it is taken for body text.
    related: list[RelatedRef] = []
    for i, line in enumerate(raw):
        if RELATED_HEAD.match(line):
            related = parse_related(raw[i + 1:])
            raw = raw[:i]
            break
    chrome = _header_chrome(raw)
    banner = next((b for i in sorted(chrome) if (b := parse_banner(raw[i]))), None)
    lines = ["" if i in chrome else line for i, line in enumerate(raw)]

    title = None
    kind = "other"
    date = section = None
    body_start = 0
    head = [i for i, line in enumerate(lines) if line][:60]

    # Breadcrumbs are one unbroken run of lines; list items further down are the article's own.
    first_crumb = next((n for n, i in enumerate(head[:12]) if CRUMB.match(lines[i])), None)
    crumbs = []
    for i in head[first_crumb:] if first_crumb is not None else []:
        if not CRUMB.match(lines[i]):
            break
        crumbs.append(i)
    date_line = next((i for i in head if parse_date_line(lines[i])), None)
    news_line = next((i for i in head[:6] if parse_news_date(lines[i])), None)

    if crumbs and CRUMB.match(lines[crumbs[0]])["text"].lower() in CRUMB_HOME:
        # Newer magazine layout: the last breadcrumb is the rubric.
        last = crumbs[-1]
        texts = [CRUMB.match(lines[i])["text"] for i in crumbs]
        dpi = CRUMB.match(lines[crumbs[0]])["mark"] != "-"  # dpi.kg's crumbs; the magazine's are dashes
        kind = next((CRUMB_KINDS[t.lower()] for t in texts if t.lower() in CRUMB_KINDS),
                    "other" if dpi else "magazine-article")
        if len(texts) >= 3 and not CRUMB.match(lines[last])["more"]:
            section = texts[-1]
        rest = [i for i in head if i > last]
        if rest:
            title = lines[rest[0]]
            body_start = rest[0] + 1
            after = [i for i in head if i >= body_start][:2]
            for i in after:
                if parsed := parse_date_line(lines[i]):
                    date, section = parsed[0], parsed[1] or section
                    body_start = i + 1
                    break
                if news_date := parse_news_date(lines[i]):
                    date, body_start = news_date, i + 1
                    kind = "news" if kind == "other" else kind
                    break
    elif date_line is not None and (news_line is None or date_line < news_line):
        kind = "magazine-article"
        date, section = parse_date_line(lines[date_line])
        before = [i for i in head if i < date_line]
        after = [i for i in head if i > date_line]
        if before:
            title = lines[before[-1]]
            body_start = date_line + 1
            if after and _same_title(lines[after[0]], title):
                body_start = after[0] + 1
        elif after and _looks_like_title(lines[after[0]]):  # the page starts at the date line: the repeated
            title = lines[after[0]]                              # title follows it …
            body_start = after[0] + 1
        else:  # … unless the page was cut off above it, title and all: the article follows
            body_start = date_line + 1
    elif news_line is not None:
        kind = "news"
        date = parse_news_date(lines[news_line])
        before = [i for i in head if i < news_line]
        after = [i for i in head if i > news_line]
        title = lines[before[-1]] if before else (lines[after[0]] if after else None)
        body_start = news_line + 1
        if not before and after:
            body_start = after[0] + 1
    else:
        if head:
            title = lines[head[0]]
            body_start = head[0] + 1

    if _is_listing(lines):
        # A list of items, each with its own date and «read more»: the page is no article. It stays searchable
        # (kind `other`), titled by its last breadcrumb, with no date or byline of its own.
        if crumbs:
            body_start = crumbs[-1] + 1
        if len(crumbs) > 1:
            title = CRUMB.match(lines[crumbs[-1]])["text"]
        body = "\n\n".join(line for line in lines[body_start:] if line and not READ_MORE.match(line))
        return Page(title=title, body=body, kind="other", date=None, section=None, authors=[], related=related,
                    banner=banner, title_derived=False)

    title_derived = False
    if not title or len(title) > 500 or not re.search(r"[^\W\d_]", title):
        # No title, but perhaps the article: never drop a page that has its text.
        start = body_start if title is None else (head[0] if head else 0)
        title = derive_title([line for line in lines[start:] if line])
        if title is None:
            raise PageError("no title found")
        title_derived, body_start = True, start

    authors, body_start = _take_byline(lines, body_start)
    body_lines = [line for line in lines[body_start:] if line]
    # Drop the repeated title and press-release markers near the top of the body.
    opening = body_lines[:6]
    for line in opening:
        if (not title_derived and _same_title(line, title)) or PRESS_MARK.match(line):
            if PRESS_MARK.match(line):
                kind = "press-release"
            body_lines.remove(line)
    if kind in ("news", "other") and any(MEDIA_CONTACT.match(line) for line in body_lines[:3]):
        kind = "press-release"
    if body_lines and not authors:
        closing = CLOSING_BYLINE.match(body_lines[-1])
        tail = body_lines[-8:]
        compiled = next(((n, found[0]) for n in range(len(tail)) if (found := _compilers(tail, n))
                         and found[1] == len(tail)), None)  # where «Түзгөндөр:» starts, and its names
        if closing and (names := parse_persons(closing["names"])):
            authors = [Author(n, closing["verb"].lower()) for n in names]
            body_lines.pop()
        elif compiled:  # «Түзгөндөр:» and its names close the text
            start, authors = compiled
            del body_lines[len(body_lines) - len(tail) + start:]
        elif (len(body_lines) > 1 and len(body_lines[-1]) <= 200 and PERSON.match(body_lines[-1])
              and not any(MEDIA_CONTACT.match(line) for line in tail)
              and (found := parse_byline(body_lines[-1])) and all(a.role for a in found)):
            authors = found  # a newspaper's byline at the end: «Имя ФАМИЛИЯ, «Кыргыз Туусу»»
            body_lines.pop()
    if date is None and body_lines and (dated := parse_dateline(body_lines[0])):
        date = dated
    body = "\n\n".join(body_lines)
    return Page(title=title, body=body, kind=kind, date=date, section=normalize_section(section), authors=authors,
                related=related, banner=banner, title_derived=title_derived)

"""Interface strings in Kyrgyz (first), Russian and English, and how a request's language is chosen."""

from __future__ import annotations

LANGUAGES = ("ky", "ru", "en")
DEFAULT = "ky"
COOKIE = "izde_lang"

# key: (Kyrgyz, Russian, English)
MESSAGES: dict[str, tuple[str, str, str]] = {
    "site.tagline": ("«Муниципалитет» журналынын архивинде издөө", "Поиск по архиву журнала «Муниципалитет»",
                     "Search the archive of the «Municipalitet» magazine"),
    "nav.search": ("Издөө", "Поиск", "Search"),
    "nav.issues": ("Сандар", "Номера", "Issues"),
    "nav.about": ("Долбоор тууралуу", "О проекте", "About"),
    "nav.language": ("Тил", "Язык", "Language"),
    "search.label": ("Издөө сурамы", "Поисковый запрос", "Search query"),
    "search.placeholder": ("мисалы: жергиликтүү бюджет", "например: местный бюджет", "e.g. жергиликтүү бюджет"),
    "search.button": ("Издөө", "Найти", "Search"),
    "search.found": ("Табылды: {total}", "Найдено: {total}", "Found: {total}"),
    "search.none": ("Эч нерсе табылган жок.", "Ничего не найдено.", "Nothing found."),
    "search.relaxed": ("Бардык {of} сөз менен {full_matches} макала табылды; андан кийин {of} сөздүн {words} сөзү бар "
                       "макалалар.",
                       "Со всеми {of} словами найдено статей: {full_matches}; ниже — статьи, где есть {words} "
                       "из {of} слов.",
                       "{full_matches} found with all {of} words; below them, articles with {words} of the {of} "
                       "words."),
    "search.relaxed_none": ("Бардык {of} сөзү бар макала жок; {of} сөздүн {words} сөзү бар макалалар көрсөтүлдү.",
                            "Статей со всеми {of} словами нет; показаны статьи, где есть {words} из {of} слов.",
                            "No article has all {of} words; showing articles with {words} of them."),
    "search.did_you_mean": ("Муну издедиңизби:", "Возможно, вы искали:", "Did you mean:"),
    "search.tips": ("Кеңештер: сөздү кыскараак жазыңыз, фильтрди алып салыңыз, же «жергиликтуу», «jergiliktuu» "
                    "сыяктуу жазса да болот.",
                    "Советы: сократите запрос, снимите фильтр; можно писать и «жергиликтуу», «jergiliktuu».",
                    "Tips: use fewer words, remove a filter; «жергиликтуу» and «jergiliktuu» work too."),
    "search.remove_filter": ("Фильтрди алып салуу", "Снять фильтр", "Remove filter"),
    "search.remove_all": ("Баарын тазалоо", "Сбросить всё", "Clear all"),
    "search.sort": ("Иреттөө", "Сортировка", "Sort"),
    "sort.relevance": ("Маанилүүлүгү боюнча", "По релевантности", "Relevance"),
    "sort.newest": ("Жаңылары алгач", "Сначала новые", "Newest first"),
    "sort.oldest": ("Эскилери алгач", "Сначала старые", "Oldest first"),
    "search.from": ("Күндөн", "С даты", "From"),
    "search.to": ("Күнгө чейин", "По дату", "To"),
    "search.apply": ("Колдонуу", "Применить", "Apply"),
    "search.page": ("Бет {page} / {pages}", "Страница {page} из {pages}", "Page {page} of {pages}"),
    "search.prev": ("Мурунку", "Назад", "Previous"),
    "search.next": ("Кийинки", "Далее", "Next"),
    "search.filters": ("Фильтрлер", "Фильтры", "Filters"),
    "search.export": ("Жүктөп алуу:", "Скачать:", "Download:"),
    "search.param_invalid": ("«{name}» параметри туура эмес, эске алынган жок.",
                             "Параметр «{name}» неверен и пропущен.",
                             "The parameter «{name}» is not valid and was ignored."),
    "search.param_too_long": ("Сурам өтө узун: алгачкы 1000 белгиси гана изделди.",
                              "Запрос слишком длинный: искались только первые 1000 знаков.",
                              "The query is too long: only its first 1,000 characters were searched."),
    "search.param_too_many": ("«{name}» чыпкасынын маанилери өтө көп: алгачкы 20сы гана колдонулду.",
                              "У фильтра «{name}» слишком много значений: учтены только первые 20.",
                              "The filter «{name}» has too many values: only the first 20 were used."),
    "search.param_range": ("«{name}» параметри туура эмес: бет 1ден 10 000ге чейин, өлчөм 1ден 100гө чейин.",
                           "Параметр «{name}» неверен: страница от 1 до 10 000, размер от 1 до 100.",
                           "The parameter «{name}» is out of range: page 1 to 10,000, size 1 to 100."),
    "facet.issue": ("Сан", "Номер", "Issue"),
    "facet.year": ("Жыл", "Год", "Year"),
    "facet.section": ("Рубрика", "Рубрика", "Section"),
    "facet.language": ("Тил", "Язык", "Language"),
    "facet.kind": ("Түрү", "Тип", "Kind"),
    "value.unknown": ("белгисиз", "не указано", "unknown"),
    "value.ky": ("кыргызча", "кыргызский", "Kyrgyz"),
    "value.ru": ("орусча", "русский", "Russian"),
    "value.en": ("англисче", "английский", "English"),
    "value.magazine-article": ("журнал макаласы", "статья журнала", "magazine article"),
    "value.news": ("жаңылык", "новость", "news"),
    "value.press-release": ("пресс-релиз", "пресс-релиз", "press release"),
    "value.other": ("башка", "другое", "other"),
    "article.authors": ("Авторлор", "Авторы", "Authors"),
    "article.issue": ("Журналдын саны", "Номер журнала", "Issue"),
    "article.section": ("Рубрика", "Рубрика", "Section"),
    "article.date": ("Күнү", "Дата", "Date"),
    "article.related": ("Окшош материалдар", "Похожие материалы", "Related articles"),
    "article.shared": ("жалпы сөздөр", "общие слова", "shared terms"),
    "article.other_language": ("Бул макала башка тилде", "Эта статья на другом языке",
                               "This article in the other language"),
    "article.cite": ("Шилтеме берүү", "Как цитировать", "Cite this"),
    "article.download": ("Жүктөп алуу", "Скачать", "Download"),
    "article.editors_list": ("Редакциянын тизмеси", "Список редакции", "The editors' list"),
    "article.back": ("Жыйынтыктарга кайтуу", "Назад к результатам", "Back to results"),
    "article.source": ("Булагы", "Источник", "Source"),
    "issues.title": ("Журналдын сандары", "Номера журнала", "Magazine issues"),
    "issues.articles": ("{n} материал", "материалов: {n}", "{n} articles"),
    "issues.contents": ("№{label} санынын мазмуну", "Содержание номера №{label}", "Contents of issue №{label}"),
    "issues.none": ("Сандар табылган жок.", "Номера не найдены.", "No issues found."),
    "error.not_found": ("Мындай бет жок.", "Такой страницы нет.", "There is no such page."),
    "error.no_index": ("Индекс даяр эмес: `izde index build` буйругу менен куруңуз.",
                       "Индекс не готов: постройте его командой `izde index build`.",
                       "The index is not ready: build it with `izde index build`."),
    "error.too_many": ("Бул даректен сурамдар өтө көп: бир аздан кийин кайра аракет кылыңыз.",
                       "Слишком много запросов с этого адреса: попробуйте чуть позже.",
                       "Too many requests from this address: try again shortly."),
    "error.server": ("Ички ката кетти.", "Внутренняя ошибка.", "Internal error."),
    "error.request_id": ("Сурамдын номери (администраторго айтыңыз): {id}",
                         "Номер запроса (сообщите администратору): {id}",
                         "Request id (tell the administrator): {id}"),
    "error.bad_request": ("Сурам туура эмес.", "Неверный запрос.", "Bad request."),
    "about.title": ("Izde тууралуу", "Об Izde", "About Izde"),
    "about.what": ("Izde — Өнүктүрүү саясат институтунун (ӨСИ) «Муниципалитет» журналынын (2009-жылдан бери, "
                   "кыргыз жана орус тилдеринде) жана ӨСИнин жаңылыктарынын архивинде издөө системасы.",
                   "Izde — поисковая система по архиву журнала «Муниципалитет» Института политики развития (ИПР; "
                   "с 2009 года, на кыргызском и русском языках) и новостям ИПР.",
                   "Izde is the search engine for the archive of «Municipalitet», the Development Policy "
                   "Institute's bilingual (Kyrgyz/Russian) monthly published since 2009, and DPI's news."),
    "about.how": ("Кантип издөө керек", "Как искать", "How to search"),
    "about.embed": ("Издөө кутучасын өз сайтыңызга коюу", "Поисковая строка на вашем сайте",
                    "Embed the search box on your site"),
    "about.embed_text": ("Бул эки сапты өз барагыңызга коюңуз: кутуча жыйынтыктарды ошол эле жерде көрсөтөт.",
                         "Вставьте эти две строки на свою страницу: поле покажет результаты прямо на ней.",
                         "Paste these two lines into your page: the box shows the results right there."),
    "about.embed_more": ("Атрибуттар, түстөр, iframe жана код түзгүч:", "Атрибуты, цвета, iframe и генератор кода:",
                         "Attributes, colours, the iframe and a snippet generator:"),
    "about.embed_attrs": ("Атрибуттар: lang (ky, ru, en), placeholder, section, year, language, kind (даяр "
                          "чыпкалар), results (1–10), target=\"izde\" (жыйынтыктарды Izde'де ачуу), theme=\"dark\". "
                          "Түстөр CSS касиеттери менен: --izde-accent, --izde-font, --izde-radius, --izde-bg, "
                          "--izde-fg, --izde-muted, --izde-border, --izde-mark, бөлүктөрү ::part() менен.",
                          "Атрибуты: lang (ky, ru, en), placeholder, section, year, language, kind (готовые "
                          "фильтры), results (1–10), target=\"izde\" (открывать результаты на Izde), theme=\"dark\". "
                          "Цвета — CSS-свойствами: --izde-accent, --izde-font, --izde-radius, --izde-bg, --izde-fg, "
                          "--izde-muted, --izde-border, --izde-mark, части — через ::part().",
                          "Attributes: lang (ky, ru, en), placeholder, section, year, language, kind (preset "
                          "filters), results (1–10), target=\"izde\" (open the results on Izde), theme=\"dark\". "
                          "Colours through CSS properties: --izde-accent, --izde-font, --izde-radius, --izde-bg, "
                          "--izde-fg, --izde-muted, --izde-border, --izde-mark; parts through ::part()."),
    "about.embed_iframe": ("Скриптсиз сайттар үчүн iframe (бийиктигин postMessage менен билдирет: "
                           "{type: \"izde:height\", height}):",
                           "Для сайтов без скриптов — iframe (сообщает свою высоту через postMessage: "
                           "{type: \"izde:height\", height}):",
                           "For sites without scripts, an iframe (it reports its height with postMessage: "
                           "{type: \"izde:height\", height}):"),
    "about.embed_plain": ("Скриптсиз эң жөнөкөй вариант — кадимки форма:",
                          "Самый простой вариант без скриптов — обычная форма:",
                          "The simplest version, without scripts — a plain form:"),
    "embed.title": ("Өнөктөш сайттар үчүн издөө кутучасы", "Поисковое поле для сайтов-партнёров",
                    "The search box for partner sites"),
    "embed.intro": ("Архивде издөөнү өз сайтыңызга коюңуз: жыйынтыктар ошол эле бетте, сиздин тилде чыгат, "
                    "сайтыңыздын CSS'и аны бузбайт. Төмөндө параметрлерди тандап, кодду көчүрүңүз.",
                    "Поставьте поиск по архиву на свой сайт: результаты появляются прямо на странице, на вашем "
                    "языке, и CSS вашего сайта его не ломает. Выберите параметры ниже и скопируйте код.",
                    "Put the archive's search on your site: results appear in place, in your language, and your "
                    "site's CSS cannot break it. Choose the settings below and copy the code."),
    "embed.live": ("Иштеп турган кутуча", "Живое поле", "A live box"),
    "embed.generator": ("Кодду түзүү", "Генератор кода", "Make the snippet"),
    "embed.any": ("баары", "все", "any"),
    "embed.results": ("Жыйынтыктардын саны", "Число результатов", "Results shown"),
    "embed.theme": ("Түс", "Оформление", "Colours"),
    "embed.light": ("ачык бет", "светлая страница", "light page"),
    "embed.dark": ("караңгы бет", "тёмная страница", "dark page"),
    "embed.target": ("Жыйынтыктар", "Результаты", "Results"),
    "embed.inline": ("ушул жерде", "прямо здесь", "in place"),
    "embed.izde": ("Izde'де ачуу", "открывать на Izde", "open on Izde"),
    "embed.interface": ("Интерфейстин тили", "Язык интерфейса", "Interface language"),
    "embed.apply": ("Кодду жаңылоо", "Обновить код", "Update the snippet"),
    "embed.snippet": ("Барагыңызга коюңуз:", "Вставьте на свою страницу:", "Paste into your page:"),
    "embed.iframe": ("Скриптсиз: iframe", "Без скриптов: iframe", "Without scripts: an iframe"),
    "embed.iframe_text": ("Iframe өз бийиктигин postMessage менен билдирет ({type: \"izde:height\", height}); "
                          "аны уккусу келбесе, бийиктикти туруктуу коюңуз.",
                          "Iframe сообщает свою высоту через postMessage ({type: \"izde:height\", height}); "
                          "если не хотите его слушать, задайте постоянную высоту.",
                          "The iframe reports its height with postMessage ({type: \"izde:height\", height}); "
                          "if you would rather not listen, give it a fixed height."),
    "embed.theming": ("Түстөр жана шрифт", "Цвета и шрифт", "Colours and font"),
    "embed.theming_text": ("Бул CSS касиеттерин izde-search элементине коюңуз; ички бөлүктөр ::part() аркылуу "
                           "жеткиликтүү:",
                           "Задайте эти CSS-свойства элементу izde-search; внутренние части доступны через ::part():",
                           "Set these CSS properties on the izde-search element; its inner parts are reachable "
                           "with ::part():"),
    "about.api": ("JSON API жана OpenAPI сүрөттөмөсү:", "JSON API и описание OpenAPI:",
                  "JSON API and its OpenAPI description:"),
    "syntax.words": ("сөздүн бардык формалары", "все формы слова", "every form of the word"),
    "syntax.keyboard": ("орус клавиатурасы же латын тамгалары менен", "с русской клавиатуры или латиницей",
                        "typed on a Russian keyboard or in Latin letters"),
    "syntax.and": ("эки сөз тең (демейки)", "оба слова (по умолчанию)", "both words (the default)"),
    "syntax.phrase": ("так ушул сөз айкашы", "точная фраза", "the exact phrase"),
    "syntax.or_not": ("бири же экинчиси; биринчиси, экинчисиз", "одно или другое; первое без второго",
                      "either; the first without the second"),
    "syntax.fields": ("аталышта, автордо же рубрикада гана", "только в заголовке, авторе или рубрике",
                      "only in the title, author or section"),
    "syntax.prefix": ("ушундай башталган сөздөр; бир тамгасы башка сөздөр",
                      "слова с таким началом; слова, отличающиеся на букву",
                      "words starting so; words one letter away"),
}


def translate(key: str, lang: str, **values) -> str:
    """The interface string `key` in `lang` (Kyrgyz when missing), with {values} filled in."""
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    text = texts[LANGUAGES.index(lang)] if lang in LANGUAGES else texts[0]
    return text.format(**values) if values else text


def choose(query_lang: str | None, cookie_lang: str | None, accept) -> tuple[str, bool]:
    """The request's interface language and whether to remember it: ?lang=, then the cookie, then
    Accept-Language, then Kyrgyz. An unknown ?lang= is ignored."""
    if query_lang in LANGUAGES:
        return query_lang, True
    if cookie_lang in LANGUAGES:
        return cookie_lang, False
    return (accept.best_match(LANGUAGES) or DEFAULT) if accept else DEFAULT, False

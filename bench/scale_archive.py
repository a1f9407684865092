"""A realistic archive at any size, for the speed benchmarks: vocabulary that grows as real text's does.

Repeating the treebank's 2,500 sentences (as `bench/search.py` does) stops the vocabulary at ~9,000 distinct words,
which hides the real cost of analysis and of big lexicons. This generator keeps the treebank's sentences (their
word order, so phrases and word pairs occur as they do in Kyrgyz) but replaces words, as it goes, with word forms
the archive has not had yet, at the rate Heaps' law V(n) = K·n^β says a text of that length has new forms:

* Kyrgyz: K and β fitted on the UD Kyrgyz-KTMU text (`fit`); new forms are other inflections of its nominal
  lemmas (the paradigm generator of `bench/paradigms.py`), then inflected synthetic names and stems;
* Russian: no Russian corpus ships with Izde, so the sentences are a few dozen written for this benchmark
  (`RUSSIAN`), the curve is an assumption stated in BENCHMARKS.md (β 0.62, K 20: word forms of Russian news), and
  new forms are their stems and synthetic ones with Russian noun and adjective endings.

When the text is ahead of the curve an unseen word is replaced by a word already used, drawn in proportion to its
use (Simon's model, which gives Zipf's law). The archive: half Kyrgyz and half Russian, magazine articles in
issues 1–200 over 2009–2026 (with Russian twins sharing names and numbers), news and press releases, 30 sections,
1–3 authors, 300–2,000 words, «related» lists. Deterministic for a seed.

    python bench/scale_archive.py --articles 10000 --out var/scale-10k.jsonl [--check]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from paradigms import CASES, POSSESSIVES, inflect  # noqa: E402

TREEBANK = BENCH / "data" / "ud-kyrgyz-ktmu"
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
RUSSIAN_HEAPS = (20.0, 0.62)

RUSSIAN = """\
Органы местного самоуправления отвечают за водоснабжение, дороги и вывоз мусора в своих селах.
Айыл окмоту утвердил местный бюджет на следующий год после общественных слушаний.
Жители села обсудили с депутатами айылного кенеша планы развития муниципалитета.
Институт политики развития провел семинар для сотрудников органов местного самоуправления.
Закон о местном самоуправлении определяет полномочия айылного кенеша и мэрии города.
Финансовое выравнивание помогает бедным муниципалитетам выполнять собственные функции.
Глава айыл окмоту рассказал о ремонте школы и строительстве нового детского сада.
Депутаты городского кенеша приняли решение о тарифах на питьевую воду.
Участие граждан в бюджетном процессе делает расходы местного бюджета прозрачнее.
Проект поддерживает органы местного самоуправления в Баткенской, Ошской и Джалал-Абадской областях.
Муниципальные услуги должны быть доступны каждому жителю, в том числе людям с ограниченными возможностями.
Местные налоги и неналоговые доходы составляют основу собственных доходов бюджета.
В Бишкеке прошла конференция о передаче государственных полномочий органам местного самоуправления.
Совместная оценка нужд сообщества позволила выбрать приоритетные проблемы села.
Министерство финансов перечислило стимулирующие гранты на инвестиционные проекты.
Муниципальная собственность должна учитываться в реестре и использоваться эффективно.
Женщины и молодежь активнее участвуют в работе местных кенешей.
Специалисты обучили бухгалтеров айыл окмоту новым правилам составления отчетности.
Программа развития территории принята на пять лет и опирается на мнение жителей.
Сельские жители сами ремонтируют арыки и поддерживают чистоту улиц.
Редакция журнала «Муниципалитет» отвечает на вопросы читателей о земельных участках.
Аренда пастбищ приносит айылному аймаку стабильный доход каждый год.
Кыргызская Республика продолжает реформу административно-территориального устройства.
Новые правила государственных закупок упростили работу муниципальных служащих.
Общественный совет проверил, как расходуются средства на освещение улиц.
Представители донорских организаций посетили села и встретились с активистами.
Мэрия города Оша объявила конкурс на лучший проект благоустройства двора.
Эксперты считают, что кадровая политика в муниципальной службе требует изменений.
Союз органов местного самоуправления предложил поправки в бюджетный кодекс.
Отчет главы перед населением прошел в доме культуры при большом стечении людей.
Школьники подготовили предложения по улучшению спортивной площадки в своем селе.
Управление твердыми бытовыми отходами остается одной из главных проблем малых городов.
Кенеш утвердил порядок предоставления социальной помощи малообеспеченным семьям.
Государственная налоговая служба разъяснила изменения в налоге на имущество.
Молодые специалисты приезжают работать в айыл окмоту по программе стажировок.
Партнерство с бизнесом помогло открыть в селе цех по переработке молока.
Итоги мониторинга показали, что качество муниципальных услуг выросло за три года.
Представители министерства ответили на вопросы глав айыл окмоту о делегированных полномочиях.
"""
RUSSIAN_ENDINGS = ("", "а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах", "ой", "ей", "ую", "ого", "ому", "ых",
                   "ым", "ыми", "ая", "ое", "ие", "ия", "ии", "ию", "ием", "ость", "ости", "ение", "ения", "ению")
SYLLABLES_KY = ("ак", "ал", "ан", "бек", "бай", "жан", "гүл", "кан", "мат", "нур", "сай", "тал", "төр", "үл",
                "өз", "ар", "ыр", "ба", "ка", "са", "та", "жа", "кө", "тү", "мы", "чы", "ша", "ки", "би", "ди")
SYLLABLES_RU = ("ва", "ло", "ни", "ко", "ра", "ст", "ов", "ин", "ск", "мен", "тар", "дол", "пер", "гра", "вол",
                "сел", "мир", "лес", "кар", "бор", "тен", "дим", "рус", "пал", "ник", "ев", "ан", "ор", "ет", "ул")
SECTIONS = (("Көңүл чордонунда", "В центре внимания"), ("Бюджет", "Бюджет"), ("Мыйзамдар", "Законодательство"),
            ("Тажрыйба", "Опыт"), ("Жарандык катышуу", "Участие граждан"), ("Муниципалдык кызмат", "Муниципальная служба"),
            ("Жер маселелери", "Земельные вопросы"), ("Суроо-жооп", "Вопрос-ответ"), ("Маек", "Интервью"),
            ("Долбоорлор", "Проекты"), ("Кызмат көрсөтүүлөр", "Услуги"), ("Салыктар", "Налоги"),
            ("Аймактар", "Регионы"), ("Окуялар", "События"), ("Жаңылыктар", "Новости"))
FIRST = ("Айгүл", "Нургүл", "Бакыт", "Азамат", "Гүлнара", "Эрмек", "Жылдыз", "Чолпон", "Улан", "Асель", "Тимур",
         "Динара", "Канат", "Бермет", "Мирлан", "Айбек", "Назира", "Талант", "Элмира", "Нурлан")
LAST = ("Асанов", "Жаманкулов", "Токтогулов", "Мамытов", "Бекболотов", "Осмонов", "Сыдыков", "Абдыкадыров",
        "Турсунов", "Жумабаев", "Кадыров", "Исаков", "Шаршеев", "Алиев", "Орозбаев")


def treebank_sentences() -> list[str]:
    out = []
    for split in ("train", "test"):
        for line in (TREEBANK / f"ky_ktmu-ud-{split}.conllu").read_text("utf-8").splitlines():
            if line.startswith("# text = "):
                out.append(line[len("# text = "):])
    return out


def nominal_lemmas() -> list[str]:
    lemmas = set()
    for split in ("train", "test"):
        for line in (TREEBANK / f"ky_ktmu-ud-{split}.conllu").read_text("utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) > 3 and cols[3] in ("NOUN", "PROPN", "ADJ") and WORD.fullmatch(cols[2]):
                lemmas.add(cols[2].lower())
    return sorted(lemmas)


def heaps_curve(words: list[str], points: int = 20) -> list[tuple[int, int]]:
    """(n, distinct forms among the first n words) at `points` sizes spread evenly on a log scale."""
    marks = sorted({max(1, round(len(words) ** (i / points))) for i in range(1, points + 1)})
    seen, out, mark = set(), [], 0
    for n, word in enumerate(words, 1):
        seen.add(word.lower())
        if n == marks[mark]:
            out.append((n, len(seen)))
            mark += 1
            if mark == len(marks):
                break
    return out


def fit(curve: list[tuple[int, int]], skip_below: int = 1000) -> tuple[float, float]:
    """K and β of V(n) = K·n^β by least squares on the log-log points (the first, noisy ones left out)."""
    pts = [(math.log(n), math.log(v)) for n, v in curve if n >= skip_below]
    mx, my = sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts)
    beta = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    return math.exp(my - beta * mx), beta


class Vocabulary:
    """One language's word stream, kept on its Heaps curve."""

    def __init__(self, rng: random.Random, k: float, beta: float, new_forms) -> None:
        self.rng, self.k, self.beta, self.new_forms = rng, k, beta, new_forms
        self.n, self.seen, self.used = 0, set(), []

    def word(self, written: str) -> str:
        self.n += 1
        target = self.k * self.n ** self.beta
        word = written.lower()
        if len(self.seen) < target:
            if word in self.seen:
                word = self._new()
        elif word not in self.seen:
            word = self.rng.choice(self.used)
        self.seen.add(word)
        self.used.append(word)
        return word[:1].upper() + word[1:] if written[:1].isupper() else word

    def _new(self) -> str:
        while True:
            word = self.new_forms()
            if word not in self.seen:
                return word


def _kyrgyz_forms(rng: random.Random, lemmas: list[str]):
    possessives = [None, None, None, *(name for name, _, _ in POSSESSIVES)]
    cases = [None, None, *(name for name, _ in CASES)]

    def new() -> str:
        if rng.random() < 0.75:
            stem = rng.choice(lemmas)
        else:  # a name or a word the treebank does not have
            stem = "".join(rng.choice(SYLLABLES_KY) for _ in range(rng.randint(2, 4)))
        return inflect(stem, rng.random() < 0.3, rng.choice(possessives), rng.choice(cases))
    return new


def _russian_forms(rng: random.Random, stems: list[str]):
    def new() -> str:
        if rng.random() < 0.6:
            stem = rng.choice(stems)
        else:
            stem = "".join(rng.choice(SYLLABLES_RU) for _ in range(rng.randint(2, 4)))
        return stem + rng.choice(RUSSIAN_ENDINGS)
    return new


def _russian_stems() -> list[str]:
    words = {w.lower() for w in WORD.findall(RUSSIAN) if len(w) > 4}
    return sorted({re.sub(r"[аеиоуыэюяйь]+$", "", w) for w in words})


class Writer:
    """Sentences in one language, their words passed through that language's vocabulary."""

    def __init__(self, rng: random.Random, sentences: list[str], vocabulary: Vocabulary) -> None:
        self.rng, self.sentences, self.vocabulary = rng, sentences, vocabulary
        self.at = rng.randrange(len(sentences))

    def sentence(self, max_words: int | None = None) -> str:
        self.at = (self.at + 1) % len(self.sentences) if self.rng.random() < 0.8 else self.rng.randrange(
            len(self.sentences))
        text = self.sentences[self.at]
        if max_words:
            text = " ".join(text.split()[:max_words]).rstrip(",.:;")
        return WORD.sub(lambda m: self.vocabulary.word(m.group()), text)

    def text(self, words: int, marks: list[str]) -> str:
        paragraphs, paragraph, count = [], [], 0
        while count < words:
            sentence = self.sentence()
            if marks and self.rng.random() < 0.15:  # names and numbers a twin shares
                sentence = f"{self.rng.choice(marks)} {sentence[:1].lower()}{sentence[1:]}"
            paragraph.append(sentence)
            count += len(sentence.split())
            if len(paragraph) >= self.rng.randint(3, 6):
                paragraphs.append(" ".join(paragraph))
                paragraph = []
        paragraphs.append(" ".join(paragraph))
        return "\n\n".join(p for p in paragraphs if p)


def _issue(number: int) -> tuple[str, str]:
    """Issue `number` (1–200) of 2009–2026: its label and date; about eleven a year."""
    year = 2009 + (number - 1) * 18 // 200
    first = next(n for n in range(1, 201) if 2009 + (n - 1) * 18 // 200 == year)
    in_year = number - first + 1
    return f"{in_year} ({number})", f"{year}-{min(12, in_year):02d}-{10 + number % 18:02d}"


def _length(rng: random.Random, shortest: int, longest: int) -> int:
    """Article lengths: log-normal around 550 words, cut to [shortest, longest]."""
    return max(shortest, min(longest, int(rng.lognormvariate(math.log(550), 0.55))))


def generate(n: int, seed: int = 1, length: tuple[int, int] = (300, 2000)) -> list[dict]:
    """`n` articles; `length` bounds their words (the tests use short ones to build quickly)."""
    rng = random.Random(seed)
    ky_sentences = treebank_sentences()
    ky_k, ky_beta = fit(heaps_curve(WORD.findall(" ".join(ky_sentences))))
    ru_sentences = [s for s in RUSSIAN.splitlines() if s]
    writers = {"ky": Writer(rng, ky_sentences, Vocabulary(rng, ky_k, ky_beta, _kyrgyz_forms(rng, nominal_lemmas()))),
               "ru": Writer(rng, ru_sentences, Vocabulary(rng, *RUSSIAN_HEAPS, _russian_forms(rng, _russian_stems())))}
    authors = [f"{rng.choice(FIRST)} {rng.choice(LAST).upper()}" for _ in range(300)]
    articles: list[dict] = []
    by_section: dict[tuple[str, str], list[dict]] = {}

    def add(language: str, kind: str, section: int, issue: str | None, date: str, names: list[str],
            marks: list[str]) -> dict:
        writer = writers[language]
        i = len(articles)
        row = {"id": f"s{i}", "language": language, "kind": kind,
               "title": writer.sentence(max_words=rng.randint(4, 10)),
               "body": writer.text(_length(rng, *length), marks), "date": date,
               "section": SECTIONS[section][0 if language == "ky" else 1],
               "authors": [{"name": a, "role": None} for a in names]}
        if issue:
            row["issue"] = issue
        earlier = by_section.setdefault((row["section"], language), [])
        if earlier and rng.random() < 0.6:
            row["related"] = [{"issue": r.get("issue"), "date": r["date"], "title": r["title"]}
                              for r in rng.sample(earlier[-50:], min(len(earlier[-50:]), rng.randint(1, 4)))]
        earlier.append(row)
        articles.append(row)
        return row

    while len(articles) < n:
        number = 1 + len(articles) * 200 // n
        issue, date = _issue(number)
        section = rng.randrange(len(SECTIONS))
        names = rng.sample(authors, rng.choice((1, 1, 1, 2, 2, 3)))
        marks = [f"{rng.randint(10, 2000)}", rng.choice(LAST), rng.choice(FIRST), f"{rng.randint(10, 99)}"]
        roll = rng.random()
        if roll < 0.7:  # a magazine article and, mostly, its Russian twin
            add("ky", "magazine-article", section, issue, date, names, marks)
            language = "ru" if rng.random() < 0.85 else "ky"
            if len(articles) < n:
                add(language, "magazine-article", section, issue, date, names, marks)
        else:
            kind = "news" if roll < 0.9 else "press-release"
            day = f"{date[:8]}{rng.randint(1, 28):02d}"
            add(rng.choice(("ky", "ru")), kind, section, None, day, names[:1], [])
    return articles[:n]


def write(articles: list[dict], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in articles:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def check(articles: list[dict]) -> None:
    """Print the Heaps curves: the seed's fit, and the generated archive's per language against its curve."""
    ky_k, ky_beta = fit(heaps_curve(WORD.findall(" ".join(treebank_sentences()))))
    curves = {"ky": (ky_k, ky_beta), "ru": RUSSIAN_HEAPS}
    print(f"Kyrgyz fit on UD KTMU: V(n) = {ky_k:.2f}·n^{ky_beta:.3f}; Russian (assumed): "
          f"V(n) = {RUSSIAN_HEAPS[0]:.0f}·n^{RUSSIAN_HEAPS[1]}")
    print("| language | words n | distinct forms | K·n^β | ratio |\n|---|---|---|---|---|")
    for language in ("ky", "ru"):
        words = [w for a in articles if a["language"] == language for w in WORD.findall(a["title"] + " " + a["body"])]
        k, beta = curves[language]
        for n, v in heaps_curve(words, 6)[-4:]:
            print(f"| {language} | {n:,} | {v:,} | {k * n ** beta:,.0f} | {v / (k * n ** beta):.2f} |")
        fk, fb = fit(heaps_curve(words), skip_below=10_000)
        print(f"| {language} | fitted on the archive: K {fk:.2f}, β {fb:.3f} | | | |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--check", action="store_true", help="print the vocabulary growth against the curve")
    args = parser.parse_args(argv)
    articles = generate(args.articles, args.seed)
    write(articles, args.out)
    words = sum(len(a["body"].split()) + len(a["title"].split()) for a in articles)
    print(f"{len(articles):,} articles, {words:,} words → {args.out}")
    if args.check:
        check(articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

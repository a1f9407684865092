"""The `izde` command: build the index, see what the reader and the analyzer make of text, search.

Every command that reads the index takes `--index DIR` (default: `IZDE_INDEX`, or ./var/index) and `--json`.
Messages are in Kyrgyz.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from functools import wraps
from pathlib import Path

import click

from index.analysis import analyze
from index.archive import iter_files, read_archive, sample_archive
from index.build import IndexBusy, IndexUnavailable, build_index, default_index_dir, open_index, update_index

from .articles import evaluate_related, get_article, related, store_related
from .issues import issue_contents, list_issues
from .searcher import SORTS, Filters, date_bound, search
from .serialize import to_data
from .suggest import complete


def _dump(data) -> None:
    click.echo(json.dumps(to_data(data), ensure_ascii=False, indent=2))


def _date_bound(value: str | None, end: bool) -> str | None:
    try:
        return date_bound(value, end)
    except ValueError as exc:
        raise click.BadParameter(f"{exc}: күндү YYYY, YYYY-MM же YYYY-MM-DD түрүндө жазыңыз") from None


def index_option(func):
    """Give a command `--index DIR`, opened lazily as `ix` with a clear error when missing."""

    @click.option("--index", "index_dir", type=click.Path(path_type=Path), default=None,
                  help="Индекстин папкасы (демейки: IZDE_INDEX же ./var/index).")
    @wraps(func)
    def wrapper(*args, index_dir=None, **kwargs):
        try:
            ix = open_index(index_dir or default_index_dir())
        except IndexUnavailable as exc:
            raise click.ClickException(str(exc)) from None
        try:
            return func(*args, ix=ix, **kwargs)
        finally:
            ix.close()

    return wrapper


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Жыйынтыкты JSON түрүндө чыгаруу.")(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="izde")
def main() -> None:
    """Izde («изде») — «Муниципалитет» журналынын архивинде издөө.

    Example: izde index build && izde search жергиликтүү
    """


@main.group("index")
def index_group() -> None:
    """Индексти куруу жана текшерүү."""


class IndexBusyError(click.ClickException):
    exit_code = 75  # EX_TEMPFAIL: try again later


def _run_build(run, paths: tuple[Path, ...], index_dir: Path | None, quiet: bool):
    """Run `build_index` or `update_index` with a progress bar, then keep every article's related list beside the
    index; a clear message and exit code if it cannot."""
    roots = list(paths) or [sample_archive()]
    total = sum(1 for root in roots if root.exists() for _ in iter_files(root))
    target = index_dir or default_index_dir()
    with click.progressbar(length=total, label="Окулууда", file=sys.stderr,
                           hidden=quiet or not sys.stderr.isatty()) as bar:
        try:
            report = run(roots, target, progress=lambda _path: bar.update(1))
        except IndexBusy as exc:
            raise IndexBusyError(f"индекс азыр курулуп жатат, кийинчерээк кайталаңыз: {exc}") from None
        except (OSError, IndexUnavailable) as exc:
            raise click.ClickException(f"индекс курулган жок: {exc}") from None
    return target, report, _store_related(target)


def _store_related(target: Path) -> dict:
    """Every article's related list, kept beside the index just written (`store_related`).

    The index is already in place: if the lists cannot be stored, they are computed when asked for, and this says
    why instead of failing the build."""
    start = time.perf_counter()
    try:
        ix = open_index(target)
        try:
            stored = store_related(ix)
        finally:
            ix.close()
    except (OSError, sqlite3.Error, IndexUnavailable) as exc:
        return {"stored": 0, "seconds": round(time.perf_counter() - start, 2), "error": str(exc)}
    return {"stored": stored, "seconds": round(time.perf_counter() - start, 2)}


def _echo_related(related_lists: dict) -> None:
    if "error" in related_lists:
        click.echo(f"эскертүү: окшош материалдар сакталган жок ({related_lists['error']}); алар суралганда "
                   "эсептелет", err=True)
    else:
        click.echo(f"Окшош материалдар сакталды: {related_lists['stored']} макала, "
                   f"{related_lists['seconds']:.1f} сек.")


def _problems(report) -> dict:
    return {"skipped": [{"source": p.source, "reason": p.reason} for p in report.skipped],
            "warnings": [{"source": p.source, "reason": p.reason} for p in report.problems if not p.skipped]}


def _echo_problems(report) -> None:
    for problem in report.problems:
        click.echo(f"{'өткөрүлдү' if problem.skipped else 'эскертүү'}: {problem}", err=True)


def build_options(func):
    """PATH…, --index, --quiet and --json: what `index build` and `index update` both take."""
    for option in reversed([
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--index", "index_dir", type=click.Path(path_type=Path), default=None,
                     help="Индекстин папкасы (демейки: IZDE_INDEX же ./var/index)."),
        click.option("--quiet", "-q", is_flag=True, help="Прогресс тилкесин көрсөтпөө."),
        json_option,
    ]):
        func = option(func)
    return func


@index_group.command("build")
@build_options
def index_build(paths: tuple[Path, ...], index_dir: Path | None, quiet: bool, as_json: bool) -> None:
    """Архивден (папка же файлдар) жаңы индекс куруп, эскисинин ордуна коюу.

    Example: izde index build ./archive --index ./var/index
    """
    target, report, related_lists = _run_build(build_index, paths, index_dir, quiet)
    if as_json:
        _dump({"index": str(target), "indexed": report.indexed, "seconds": round(report.seconds, 2),
               "files": report.files, "items": report.items, "related": related_lists, **_problems(report)})
        return
    _echo_problems(report)
    click.echo(f"Индекс курулду: {target}. Индекстелди: {report.indexed}, "
               f"өткөрүлдү: {len(report.skipped)}, {report.seconds:.1f} сек.")
    _echo_related(related_lists)
    _echo_counts(report, report.indexed)


@index_group.command("update")
@build_options
def index_update(paths: tuple[Path, ...], index_dir: Path | None, quiet: bool, as_json: bool) -> None:
    """Индексти архивге ылайыктоо: жаңы жана өзгөргөн беттерди кошуу, файлы жок болгондорду алып салуу.

    Өзгөрбөгөн беттер кайра талданбайт. Иштеп жаткан `izde serve` жаңы индекстен өзү жооп бере баштайт.

    Example: izde index update ./archive --index ./var/index
    """
    target, report, related_lists = _run_build(update_index, paths, index_dir, quiet)
    counts = {"added": report.added, "changed": report.changed, "removed": report.removed,
              "unchanged": report.unchanged}
    if as_json:
        _dump({"index": str(target), **counts, "rebuilt": report.rebuilt, "seconds": round(report.seconds, 2),
               "files": report.files, "items": report.items, "related": related_lists, **_problems(report)})
        return
    _echo_problems(report)
    if report.rebuilt:
        click.echo(f"Индекс толугу менен курулду ({report.rebuilt}).")
    click.echo(f"Индекс жаңыланды: {target}. Кошулду: {report.added}, өзгөрдү: {report.changed}, "
               f"алынды: {report.removed}, өзгөрүүсүз: {report.unchanged}, өткөрүлдү: {len(report.skipped)}, "
               f"{report.seconds:.1f} сек.")
    _echo_related(related_lists)
    _echo_counts(report, report.items - len(report.skipped))


def _echo_counts(report, articles: int) -> None:
    """How the files seen add up: each page or JSON Lines line is an article or a skipped item."""
    click.echo(f"Файлдар: {report.files}; барактар жана JSON Lines саптары: {report.items} = "
               f"макалалар {articles} + өткөрүлгөндөр {len(report.skipped)}.")


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@json_option
def inspect(path: Path, as_json: bool) -> None:
    """Окуучу файлдан же папкадан эмне түшүнгөнүн көрсөтүү (индекске жазбайт).

    Example: izde inspect ../shared/seeds --json
    """
    result = read_archive(path)
    if as_json:
        _dump([a.to_dict() for a in result.articles])
    else:
        for article in result.articles:
            d = article.to_dict()
            click.echo(f"{d['source']}\n  {d['title']}")
            if d["title_derived"]:
                click.echo("  (аталыш жок болчу: тексттин биринчи сүйлөмү)")
            for key in ("id", "language", "kind", "date", "issue", "section"):
                click.echo(f"  {key}: {d[key] if d[key] is not None else '—'}")
            if d["authors"]:
                click.echo("  authors: " + "; ".join(a["name"] + (f", {a['role']}" if a["role"] else "")
                                                     for a in d["authors"]))
            click.echo(f"  related: {len(d['related'])}, body: {len(d['body'])} белги")
    _echo_problems(result)


@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--year", multiple=True, type=int, help="Жыл (бир нече жолу берсе болот).")
@click.option("--issue", multiple=True, help="Журналдын саны, мисалы «1 (147)».")
@click.option("--section", multiple=True, help="Рубрика.")
@click.option("--language", multiple=True, type=click.Choice(["ky", "ru", "en"]), help="Тил.")
@click.option("--kind", multiple=True, type=click.Choice(["magazine-article", "news", "press-release", "other"]),
              help="Материалдын түрү.")
@click.option("--author", multiple=True, help="Автор (толук аты, мисалы «Нургүл ЖАМАНКУЛОВА»).")
@click.option("--from", "date_from", help="Бул күндөн баштап: YYYY, YYYY-MM же YYYY-MM-DD.")
@click.option("--to", "date_to", help="Бул күнгө чейин: YYYY, YYYY-MM же YYYY-MM-DD.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True, help="Иреттөө.")
@click.option("--facets", "show_facets", is_flag=True, help="Фасеттердин сандарын да көрсөтүү.")
@click.option("--correct", is_flag=True, help="«Муну издедиңизби?» сунушу болсо, ошону издөө.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Бет.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="Беттеги жыйынтыктар.")
@json_option
@index_option
def search_command(query, year, issue, section, language, kind, author, date_from, date_to, sort, show_facets,
                   correct, page, limit, as_json, ix) -> None:
    """Архивден издөө: сөздөр, "фразалар", AND/OR/NOT, -сөз, title:…, префикс*, fuzzy~.

    Example: izde search муниципалитет --year 2024 --json
    """
    filters = Filters(issue=list(issue), year=list(year), section=list(section), language=list(language),
                      kind=list(kind), author=list(author), date_from=_date_bound(date_from, False),
                      date_to=_date_bound(date_to, True))
    text = " ".join(query)
    result = search(ix, text, filters, page=page, page_size=limit, sort=sort)
    if correct and result.suggestion:
        result = search(ix, result.suggestion, filters, page=page, page_size=limit, sort=sort)
    if as_json:
        _dump(result.to_dict())
        return
    if result.message:
        click.echo(result.message)
    if result.suggestion:
        click.echo(f"Муну издедиңизби: {result.suggestion}? (кайра издөө: --correct)")
    if show_facets:
        for name, values in result.facets.items():
            listed = ", ".join(f"{'[x] ' if v.selected else ''}{VALUE_LABELS.get(v.value, v.value)} ({v.count})"
                               for v in values)
            click.echo(f"{FACET_LABELS[name]}: {listed or '—'}")
        click.echo()
    if not result.total:
        click.echo("Эч нерсе табылган жок.")
        return
    click.echo(f"Табылды: {result.total} (бет {result.page}/{result.pages})\n")
    if result.relaxed:
        r = result.relaxed
        click.echo((f"Бардык {r.of} сөз менен {r.full_matches} макала табылды; андан кийин {r.of} сөздүн {r.words} "
                    "сөзү бар макалалар." if r.full_matches else
                    f"Бардык {r.of} сөзү бар макала жок; {r.of} сөздүн {r.words} сөзү бар макалалар көрсөтүлдү.")
                   + "\n")
    for n, hit in enumerate(result.hits, (result.page - 1) * result.page_size + 1):
        meta = " · ".join(str(x) for x in (hit.date and hit.date[:10], hit.issue and f"№{hit.issue}", hit.section)
                          if x)
        click.echo(f"{n}. {click.style(hit.title, bold=True)}")
        if meta:
            click.echo(f"   {meta}")
        click.echo(f"   {hit.snippet}")
        click.echo(f"   id: {hit.id}\n")


FACET_LABELS = {"issue": "Сан", "year": "Жыл", "section": "Рубрика", "language": "Тил", "kind": "Түрү"}
VALUE_LABELS = {"unknown": "белгисиз", "ky": "кыргызча", "ru": "орусча", "en": "англисче",
                "magazine-article": "журнал макаласы", "news": "жаңылык", "press-release": "пресс-релиз",
                "other": "башка"}


@main.command()
@click.argument("article_id")
@json_option
@index_option
def show(article_id: str, as_json: bool, ix) -> None:
    """Макаланы толугу менен көрсөтүү.

    Example: izde show 07d8d401d95e3ece
    """
    article = get_article(ix, article_id)
    if article is None:
        raise click.ClickException(f"{article_id} id менен макала жок")
    if as_json:
        _dump(article)
        return
    click.echo(click.style(article.title, bold=True))
    meta = [article.date, article.issue and f"№{article.issue}", article.section, article.language]
    click.echo(" · ".join(str(m) for m in meta if m))
    for author in article.authors:
        click.echo(author["name"] + (f", {author['role']}" if author["role"] else ""))
    if article.translation:
        click.echo(f"Башка тилде: {article.translation['title']} (id: {article.translation['id']})")
    click.echo("\n" + article.body)


@main.command("related")
@click.argument("article_id", required=False)
@click.option("--limit", type=click.IntRange(1, 50), default=10, show_default=True, help="Канча макала.")
@click.option("--evaluate", is_flag=True,
              help="Редакциянын «Окшош материалы» тизмелери менен салыштыруу (recall@10).")
@json_option
@index_option
def related_command(article_id: str | None, limit: int, evaluate: bool, as_json: bool, ix) -> None:
    """Окшош макалалар, ортодогу негизги сөздөрү менен.

    Example: izde related 07d8d401d95e3ece --limit 5
    """
    if evaluate:
        report = evaluate_related(ix)
        if as_json:
            _dump(report)
        else:
            click.echo(f"Тизмеси бар макалалар: {report.articles}; тизмелердеги макалалар: {report.listed}; "
                       f"алгачкы 10до табылганы: {report.found}; recall@10 = {report.recall:.2f}")
        return
    if not article_id:
        raise click.UsageError("макаланын id-син же --evaluate бериңиз")
    found = related(ix, article_id, limit)
    if found is None:
        raise click.ClickException(f"{article_id} id менен макала жок")
    if as_json:
        _dump(found)
        return
    if not found:
        click.echo("Окшош макала табылган жок.")
    for n, r in enumerate(found, 1):
        click.echo(f"{n}. {r.title}  ({r.date[:10] if r.date else '—'}; id: {r.id})")
        click.echo(f"   жалпы сөздөр: {', '.join(r.shared) or '—'}")


@main.command("suggest")
@click.argument("prefix")
@click.option("--limit", type=click.IntRange(1, 50), default=8, show_default=True, help="Канча сунуш.")
@json_option
@index_option
def suggest_command(prefix: str, limit: int, as_json: bool, ix) -> None:
    """Терип жатканда сунуштар: архивдеги сөздөр жана макалалардын аталыштары.

    Example: izde suggest муниц
    """
    found = complete(ix, prefix, limit)
    if as_json:
        _dump(found)
        return
    for c in found:
        click.echo(c.text if c.kind == "word" else f"{c.text}  (макала: {c.id})")


@main.command("issues")
@click.argument("year", required=False, type=int)
@click.option("--issue", "label", help="Бир сандын мазмуну, мисалы «1 (147)».")
@json_option
@index_option
def issues_command(year: int | None, label: str | None, as_json: bool, ix) -> None:
    """Журналдын сандары: жылдар → сандар → сандын мазмуну.

    Example: izde issues 2024
    """
    if label:
        entries = issue_contents(ix, label)
        if not entries:
            raise click.ClickException(f"«{label}» саны индексте жок")
        if as_json:
            _dump(entries)
            return
        section = object()
        for e in entries:
            if e.section != section:
                section = e.section
                click.echo(click.style(section or "—", bold=True))
            names = "; ".join(a["name"] for a in e.authors)
            click.echo(f"  {e.title}" + (f" — {names}" if names else "") + f"  (id: {e.id})")
        return
    years = list_issues(ix, year)
    if as_json:
        _dump(years)
        return
    if not years:
        click.echo("Сандар табылган жок.")
    for y, issues in years.items():
        click.echo(click.style(str(y or "—"), bold=True))
        for i in issues:
            click.echo(f"  №{i.label}  {i.date or ''}  ({i.articles} макала; {', '.join(i.languages)})")


@main.command("analyze")
@click.argument("text", required=False)
@click.option("--language", type=click.Choice(["ky", "ru"]), default="ky", show_default=True,
              help="Тексттин тили (ө/ү/ң бар сөздөр баары бир кыргызча талданат).")
@json_option
def analyze_command(text: str | None, language: str, as_json: bool) -> None:
    """Анализатор ар бир сөздү кандай сактаарын көрсөтүү: позиция, орду, нормалдуу түрү, уңгу, ачкычтар.

    With "-" (or no TEXT) it reads standard input, one text per line, and prints one JSON line per input line.

    Example: echo "муниципалитеттерге jergiliktuu" | izde analyze -
    """
    if text is None or text == "-":
        for line in sys.stdin:
            tokens = [t.to_dict() for t in analyze(line.rstrip("\n"), language)]
            click.echo(json.dumps({"text": line.rstrip("\n"), "tokens": tokens}, ensure_ascii=False))
        return
    tokens = analyze(text, language)
    if as_json:
        _dump({"text": text, "tokens": [t.to_dict() for t in tokens]})
        return
    click.echo(f"{'поз':>4} {'орду':>9}  {'сөз':<20} {'нормалдуу':<20} {'уңгу':<16} {'бүктөлгөн':<16} латын")
    for t in tokens:
        click.echo(f"{t.pos:>4} {t.start:>4}-{t.end:<4}  {t.original:<20} {t.text:<20} {t.stem:<16} "
                   f"{t.fold:<16} {t.latin}")
        extra = [" ".join(keys[1:]) for keys in (t.stem_keys, t.fold_keys, t.latin_keys)]
        if any(extra):  # the other keys the word is indexed under, each under its column
            click.echo(f"{'':>4} {'':>9}  {'':<20} {'+':<20} {extra[0]:<16} {extra[1]:<16} {extra[2]}")


if __name__ == "__main__":
    main()

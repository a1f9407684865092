"""The `izde` command: build the index, see what the reader and the analyzer make of text, search.

Every command that reads the index takes `--index DIR` (default: `IZDE_INDEX`, or ./var/index) and `--json`.
Messages are in Kyrgyz.
"""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path

import click

from index.analysis import analyze
from index.archive import iter_files, read_archive, sample_archive
from index.build import IndexUnavailable, build_index, default_index_dir, open_index

from .searcher import SORTS, Filters, search


def _dump(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


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


@index_group.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--index", "index_dir", type=click.Path(path_type=Path), default=None,
              help="Индекстин папкасы (демейки: IZDE_INDEX же ./var/index).")
@click.option("--quiet", "-q", is_flag=True, help="Прогресс тилкесин көрсөтпөө.")
def index_build(paths: tuple[Path, ...], index_dir: Path | None, quiet: bool) -> None:
    """Архивден (папка же файлдар) жаңы индекс куруп, эскисинин ордуна коюу.

    Example: izde index build ./archive --index ./var/index
    """
    roots = list(paths) or [sample_archive()]
    total = sum(1 for root in roots if root.exists() for _ in iter_files(root))
    target = index_dir or default_index_dir()
    with click.progressbar(length=total, label="Окулууда", file=sys.stderr,
                           hidden=quiet or not sys.stderr.isatty()) as bar:
        try:
            report = build_index(roots, target, progress=lambda _path: bar.update(1))
        except (OSError, IndexUnavailable) as exc:
            raise click.ClickException(f"индекс курулган жок: {exc}") from None
    for problem in report.problems:
        label = "өткөрүлдү" if problem.skipped else "эскертүү"
        click.echo(f"{label}: {problem}", err=True)
    click.echo(f"Индекс курулду: {target}. Индекстелди: {report.indexed}, "
               f"өткөрүлдү: {len(report.skipped)}, {report.seconds:.1f} сек.")


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
            for key in ("id", "language", "kind", "date", "issue", "section"):
                click.echo(f"  {key}: {d[key] if d[key] is not None else '—'}")
            if d["authors"]:
                click.echo("  authors: " + "; ".join(a["name"] + (f", {a['role']}" if a["role"] else "")
                                                     for a in d["authors"]))
            click.echo(f"  related: {len(d['related'])}, body: {len(d['body'])} белги")
    for problem in result.problems:
        click.echo(f"{'өткөрүлдү' if problem.skipped else 'эскертүү'}: {problem}", err=True)


@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--year", multiple=True, type=int, help="Жыл (бир нече жолу берсе болот).")
@click.option("--issue", multiple=True, help="Журналдын саны, мисалы «1 (147)».")
@click.option("--section", multiple=True, help="Рубрика.")
@click.option("--language", multiple=True, type=click.Choice(["ky", "ru", "en"]), help="Тил.")
@click.option("--kind", multiple=True, type=click.Choice(["magazine-article", "news", "press-release", "other"]),
              help="Материалдын түрү.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True, help="Иреттөө.")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Бет.")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="Беттеги жыйынтыктар.")
@json_option
@index_option
def search_command(query, year, issue, section, language, kind, sort, page, limit, as_json, ix) -> None:
    """Архивден издөө: сөздөр, "фразалар", AND/OR/NOT, -сөз, title:…, префикс*, fuzzy~.

    Example: izde search муниципалитет --year 2024 --json
    """
    filters = Filters(issue=list(issue), year=list(year), section=list(section), language=list(language),
                      kind=list(kind))
    result = search(ix, " ".join(query), filters, page=page, page_size=limit, sort=sort)
    if as_json:
        _dump(result.to_dict())
        return
    if result.message:
        click.echo(result.message)
    if not result.total:
        click.echo("Эч нерсе табылган жок.")
        return
    click.echo(f"Табылды: {result.total} (бет {result.page}/{result.pages})\n")
    for n, hit in enumerate(result.hits, (result.page - 1) * result.page_size + 1):
        meta = " · ".join(str(x) for x in (hit.date and hit.date[:10], hit.issue and f"№{hit.issue}", hit.section)
                          if x)
        click.echo(f"{n}. {click.style(hit.title, bold=True)}")
        if meta:
            click.echo(f"   {meta}")
        click.echo(f"   {hit.snippet}")
        click.echo(f"   id: {hit.id}\n")


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


if __name__ == "__main__":
    main()

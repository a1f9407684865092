"""Read an archive (a file or a folder of scraped pages and JSON Lines files) into `Article` records.

Bad input never stops a read: each bad file or line is reported with its reason and skipped, the rest is read.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date as Date, datetime
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator

from .calendar import IssueCalendar, normalize_issue_label
from .htmlpage import HTML_SUFFIXES, html_to_text, looks_like_html
from .language import detect_language
from .pages import PageError, normalize_section, parse_page
from .records import KINDS, LANGUAGES, Article, Author, RelatedRef

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SKIP_NAMES = {"NOTICE.md", "README.md", "LICENSE", "LICENSE.txt"}


@dataclass(frozen=True)
class Problem:
    """A file (or a line of one) that was skipped, or read with a warning."""

    source: str
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


MAX_PAGE_BYTES = 5 * 1024 * 1024  # a page (or a JSON Lines line) larger than this is no article


@dataclass
class ReadResult:
    """The articles read and the problems met on the way.

    `items` counts what was seen: each page file, each non-empty JSON Lines line, each file or path that could not
    be read at all. Each is either an article or a skipped problem, so `items == len(articles) + len(skipped)`.
    """

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    items: int = 0

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if p.skipped]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.skipped]


def sample_archive() -> Path:
    """Return the folder of the bundled sample archive (five real pages)."""
    return Path(str(resources.files("index") / "sample"))


def article_id(*parts: str | None) -> str:
    """Make a stable id from what identifies a page: the same page gives the same id on every run."""
    digest = hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()
    return digest[:16]


def iter_files(path: Path) -> Iterator[Path]:
    """Yield the files of an archive path in a stable order (a folder is read recursively)."""
    if path.is_file():
        yield path
        return
    for child in sorted(path.rglob("*")):
        if child.name.startswith(".") or child.name in SKIP_NAMES:
            continue
        # Files, and symbolic links that lead nowhere (a loop, a missing target): those are yielded so that
        # reading them reports why. Links to folders are yielded too and reported: they are not followed.
        if child.is_file() or (child.is_symlink() and (not child.exists() or child.is_dir())):
            yield child


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode a file's bytes as UTF-8; return (text, warning). Raise ValueError with a reason when unreadable.

    Old Russian pages were saved in cp1251 (Windows Cyrillic): such a file is read as cp1251, with a warning,
    rather than lost.
    """
    if not data.strip():
        raise ValueError("empty file")
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # cut off in the middle of a character: keep what came before
            try:
                return data[:exc.start].decode("utf-8-sig"), "ends in the middle of a character (a truncated file?)"
            except UnicodeDecodeError:
                pass
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            raise ValueError(f"not UTF-8 text (invalid byte at offset {exc.start})") from None
        cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in text)
        letters = sum(ch.isalpha() for ch in text)
        if letters and cyrillic / letters > 0.5:
            return text, "not UTF-8; read as cp1251 (Windows Cyrillic) — convert it with iconv to silence this"
        raise ValueError(f"not UTF-8 text (invalid byte at offset {exc.start})") from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 8192):
        raise ValueError("binary file (mostly control characters), not text")
    return text, None


def _read(path: Path) -> bytes:
    """A file's bytes; OSError or ValueError, with the reason, for what cannot be a page."""
    if path.is_symlink() and path.is_dir():
        raise ValueError("a symbolic link to a folder: not followed (links can loop); give the folder itself")
    if path.is_symlink() and not path.exists():
        path.stat()  # raises: a loop («Too many levels of symbolic links») or a missing target
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES and path.suffix.lower() not in JSONL_SUFFIXES:
        raise ValueError(f"{size:,} bytes: too large for a page (at most {MAX_PAGE_BYTES:,}); "
                         "is it an archive of many pages? Give them as a folder or as JSON Lines")
    return path.read_bytes()


def _iso_date(value) -> str:
    text = str(value).strip()
    try:
        if "T" in text or " " in text:
            moment = datetime.fromisoformat(text.replace(" ", "T"))
            return moment.strftime("%Y-%m-%dT%H:%M") if (moment.hour or moment.minute) else moment.date().isoformat()
        return Date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"date {text!r} is not an ISO date (YYYY-MM-DD)") from None


def _authors(value) -> list[Author]:
    if isinstance(value, str):
        value = [value]
    authors = []
    for item in value or []:
        if isinstance(item, str) and item.strip():
            authors.append(Author(item.strip()))
        elif isinstance(item, dict) and str(item.get("name", "")).strip():
            authors.append(Author(str(item["name"]).strip(), (str(item["role"]).strip() or None)
                                  if item.get("role") else None))
        else:
            raise ValueError("authors must be names or {name, role} objects")
    return authors


def _related(value) -> list[RelatedRef]:
    refs = []
    for item in value or []:
        if not isinstance(item, dict) or not str(item.get("title", "")).strip():
            raise ValueError("related entries must be {issue, date, title} objects with a title")
        issue = normalize_issue_label(str(item["issue"])) if item.get("issue") else None
        refs.append(RelatedRef(issue, _iso_date(item["date"]) if item.get("date") else None,
                               str(item["title"]).strip()))
    return refs


def article_from_json(obj, source: str) -> Article:
    """Make an `Article` of one JSON Lines object; raise ValueError with the reason if it cannot be one."""
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    if isinstance(obj.get("html"), str) and not obj.get("body"):
        obj = _from_html_field(obj)
    title, body = obj.get("title"), obj.get("body")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("missing title")
    if not isinstance(body, str) or not body.strip():
        raise ValueError("missing body")
    language = obj.get("language") or detect_language(title + "\n" + body)
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
    kind = obj.get("kind") or "other"
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    issue = obj.get("issue")
    if issue is not None and not normalize_issue_label(str(issue)):
        raise ValueError(f"issue {issue!r} is not an issue label like '1 (147)'")
    date = _iso_date(obj["date"]) if obj.get("date") else None
    url = str(obj["url"]) if obj.get("url") else None
    article = Article(
        id=str(obj["id"]) if obj.get("id") else article_id(url or title.strip(), date, body.strip()[:4000]),
        source=source, url=url, title=title.strip(), body=body.strip(), language=language, kind=kind,
        date=date, issue=normalize_issue_label(str(issue)) if issue else None,
        section=normalize_section(str(obj["section"])) if obj.get("section") else None,
        authors=_authors(obj.get("authors")), related=_related(obj.get("related")),
        title_derived=bool(obj.get("title_derived")),
    )
    return article


def _from_html_field(obj: dict) -> dict:
    """A JSON Lines object whose page is in `html`: what the page reader finds, under what the object says."""
    text, url = html_to_text(obj["html"])
    try:
        page = parse_page(text)
    except PageError as exc:
        raise ValueError(f"html: {exc}") from None
    found = {"title": page.title, "body": page.body, "kind": page.kind, "date": page.date, "section": page.section,
             "url": url, "title_derived": page.title_derived,
             "authors": [{"name": a.name, "role": a.role} for a in page.authors],
             "related": [{"issue": r.issue, "date": r.date, "title": r.title} for r in page.related]}
    return {**found, **{k: v for k, v in obj.items() if k != "html" and v not in (None, "", [])}}


def read_archive(paths: list[Path] | Path, progress: Callable[[Path], None] | None = None) -> ReadResult:
    """Read every page and JSON line under `paths` into articles; resolve issues from the archive's calendar."""
    if isinstance(paths, Path):
        paths = [paths]
    result = ReadResult()
    calendar = IssueCalendar()
    explicit_issue: set[str] = set()
    seen: dict[str, str] = {}

    def keep(article: Article) -> None:
        if article.id in seen:
            result.problems.append(Problem(article.source, f"duplicate of {seen[article.id]} (id {article.id})"))
            return
        seen[article.id] = article.source
        result.articles.append(article)
        for ref in article.related:
            calendar.observe(ref.date, ref.issue)

    for root in paths:
        if not root.exists():
            result.items += 1
            result.problems.append(Problem(str(root), "no such file or folder"))
            continue
        for path in iter_files(root):
            if progress:
                progress(path)
            source = str(path)
            result.files += 1
            try:
                text, warning = decode(_read(path))
            except (OSError, ValueError) as exc:
                result.items += 1
                result.problems.append(Problem(source, getattr(exc, "strerror", None) or str(exc)))
                continue
            if warning:
                result.problems.append(Problem(source, warning, skipped=False))
            if path.suffix.lower() in JSONL_SUFFIXES:
                for number, line in enumerate(text.splitlines(), 1):
                    if not line.strip():
                        continue
                    result.items += 1
                    where = f"{source}:{number}"
                    if len(line) > MAX_PAGE_BYTES:
                        result.problems.append(Problem(where, f"a line of {len(line):,} characters: too large "
                                                              f"for an article (at most {MAX_PAGE_BYTES:,})"))
                        continue
                    try:
                        article = article_from_json(json.loads(line), where)
                    except json.JSONDecodeError as exc:
                        result.problems.append(Problem(where, f"not valid JSON ({exc.msg})"))
                        continue
                    except ValueError as exc:
                        result.problems.append(Problem(where, str(exc)))
                        continue
                    if article.issue:
                        explicit_issue.add(article.id)
                        calendar.observe(article.date, article.issue)
                    keep(article)
                continue
            result.items += 1
            url = None
            if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
                try:
                    text, url = html_to_text(text)
                except ValueError as exc:  # lxml's ParserError is one: a document with no elements
                    result.problems.append(Problem(source, f"unreadable HTML ({exc})"))
                    continue
            try:
                page = parse_page(text)
            except PageError as exc:
                result.problems.append(Problem(source, str(exc)))
                continue
            if page.banner:
                calendar.observe(page.banner[1], page.banner[0])
            if page.title_derived:
                result.problems.append(Problem(source, f"no title found: titled by its first sentence «{page.title}»",
                                               skipped=False))
            language = detect_language(page.title + "\n" + page.body)
            keep(Article(
                id=article_id(page.kind, page.title, page.date, page.body[:4000]),
                source=source, url=url, title=page.title, body=page.body, language=language, kind=page.kind,
                date=page.date, section=page.section, authors=page.authors, related=page.related,
                title_derived=page.title_derived,
            ))
    for article in result.articles:
        if article.id not in explicit_issue:
            article.issue = calendar.issue_on(article.date) if article.kind == "magazine-article" else None
    unify_sections(result.articles)
    return result


def _section_key(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name.casefold().replace("ё", "е")).strip()


def known_rubrics(text: str | None = None) -> dict[str, str]:
    """The table of known equivalent rubric spellings (index/rubrics.txt): {folded spelling: the one to show}.

    >>> known_rubrics("Көңүл чордонунда | В центре внимания")["в центре внимания"]
    'Көңүл чордонунда'
    """
    if text is None:
        text = resources.files(__package__).joinpath("rubrics.txt").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            spellings = [normalize_section(s) for s in line.split("|")]
            for spelling in filter(None, spellings):
                if table.setdefault(_section_key(spelling), spellings[0]) != spellings[0]:
                    raise ValueError(f"rubrics.txt: «{spelling}» is listed under two rubrics")
    return table


def unify_sections(articles: list[Article], table: dict[str, str] | None = None) -> None:
    """Give each rubric one spelling across the archive, so the section facet shows one value per rubric.

    A spelling in the table of known equivalents (the Russian or English name of a Kyrgyz rubric, an older form)
    becomes the table's first spelling. Other spellings that differ only in case, punctuation or spaces
    («Мыйзамдар: түшүндүрмө», «МЫЙЗАМДАР. Түшүндүрмө») become the most frequent of them (ties: the first in
    alphabetical order)."""
    table = known_rubrics() if table is None else table
    for article in articles:
        if article.section:
            article.section = table.get(_section_key(article.section), article.section)
    spellings: dict[str, Counter] = defaultdict(Counter)
    for article in articles:
        if article.section:
            spellings[_section_key(article.section)][article.section] += 1
    canonical = {key: min(counts, key=lambda s: (-counts[s], s)) for key, counts in spellings.items()}
    for article in articles:
        if article.section:
            article.section = canonical[_section_key(article.section)]

"""Ready citations of an article: a reference string, RIS and BibTeX (what Zotero and reference managers read)."""

from __future__ import annotations

import re

from search.articles import ArticleView

JOURNAL = "Муниципалитет"
PUBLISHER = "Институт политики развития"


def _year(a: ArticleView) -> str:
    return str(a.year) if a.year else "б. ж."


def reference(a: ArticleView, url: str) -> str:
    """A reference in the GOST style Kyrgyz and Russian readers know.

    «Имя ФАМИЛИЯ. Title // Муниципалитет. — 2024. — № 1 (147). — URL: …»
    """
    authors = ", ".join(x["name"] for x in a.authors)
    parts = [f"{authors}. " if authors else "", a.title.rstrip(".")]
    if a.kind == "magazine-article":
        parts.append(f" // {JOURNAL}. — {_year(a)}.")
        if a.issue:
            parts.append(f" — № {a.issue}.")
    else:
        parts.append(f" // {PUBLISHER}. — {a.date[:10] if a.date else _year(a)}.")
    parts.append(f" — URL: {url}")
    return "".join(parts)


def ris(a: ArticleView, url: str) -> str:
    lines = ["TY  - " + ("JOUR" if a.kind == "magazine-article" else "NEWS")]
    lines += [f"AU  - {x['name']}" for x in a.authors]
    lines += [f"TI  - {a.title}", f"T2  - {JOURNAL if a.kind == 'magazine-article' else PUBLISHER}"]
    if a.year:
        lines.append(f"PY  - {a.year}")
    if a.date:
        lines.append(f"DA  - {a.date[:10].replace('-', '/')}")
    if a.issue:
        lines.append(f"IS  - {a.issue}")
    lines += [f"LA  - {a.language}", f"UR  - {url}", "ER  - "]
    return "\r\n".join(lines) + "\r\n"


def _bib(value: str) -> str:
    return re.sub(r"([{}\\\\&%$#_])", r"\\\1", value)


def bibtex(a: ArticleView, url: str) -> str:
    fields = {"title": a.title, "author": " and ".join(x["name"] for x in a.authors), "year": str(a.year or ""),
              "journal": JOURNAL if a.kind == "magazine-article" else "", "number": a.issue or "",
              "language": a.language, "url": url}
    body = ",\n".join(f"  {k} = {{{_bib(v)}}}" for k, v in fields.items() if v)
    return f"@{'article' if a.kind == 'magazine-article' else 'misc'}{{izde-{a.id},\n{body}\n}}\n"

"""Read a saved web page (HTML) into the text layout the page reader knows, and its canonical URL.

People who keep the sites have pages as HTML (a saved page, a `wget` mirror), not as text dumps. Navigation,
menus, scripts, styles, forms, footers and sidebars are removed first — but not breadcrumbs, from which the reader
takes the rubric, as it does from a text dump's «- Биринчи бет /» lines. inscriptis (a layout-preserving
HTML-to-text converter) then keeps what the reader relies on: one line per block, list items as «- item» lines,
line breaks. The URL is the page's `<link rel="canonical">`, else its `og:url`.

    >>> text, url = html_to_text('<link rel="canonical" href="https://dpi.kg/ky/news/1"><nav>Menu</nav>'
    ...                          '<h1>Аталыш</h1><p>Биринчи сап.<br>Экинчи сап.</p><ul><li>бир</li></ul>')
    >>> text.splitlines(), url
    (['Аталыш', '', 'Биринчи сап.', 'Экинчи сап.', '', '- бир'], 'https://dpi.kg/ky/news/1')
"""

from __future__ import annotations

import re

HTML_SUFFIXES = {".html", ".htm"}
# Removed with everything inside them: never article text.
_CHROME_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg",
                "button", "select")
_CHROME_NAMES = re.compile(r"(?:^|[-_\s])(?:menu|navbar|sidebar|footer|cookie|share|social|navigation)", re.I)
_CRUMBS = re.compile(r"breadcrumb", re.I)


def looks_like_html(text: str) -> bool:
    """Whether a text is an HTML document rather than a text dump."""
    return bool(re.match(r"\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b)", text, re.I))


def html_to_text(html: str) -> tuple[str, str | None]:
    """Return the page's text, one block a line, and its canonical URL (None if it names none).

    Raise ValueError with the reason when lxml cannot make a document of it."""
    import lxml.etree
    import lxml.html
    from inscriptis import Inscriptis
    from inscriptis.model.config import ParserConfig

    if not html.strip():
        return "", None
    # lxml refuses a str that declares its encoding; the text is already decoded.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        tree = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError) as exc:
        raise ValueError(str(exc) or "no HTML elements") from None
    url = None
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = [value.strip() for value in tree.xpath(xpath) if value.strip()]
        if found:
            url = found[0]
            break
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        names = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("role"),
                                       element.get("aria-label"))))
        if _CRUMBS.search(names) or element.getparent() is None:
            continue
        if element.tag in _CHROME_TAGS or element.tag == "head" or _CHROME_NAMES.search(names):
            element.drop_tree()
    text = Inscriptis(tree, ParserConfig(display_links=False)).get_text()
    lines = [re.sub(r"^\s*[*•]\s+", "- ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip(), url

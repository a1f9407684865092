"""Hostile requests for every route of Izde: query syntax, control characters, NUL bytes, right-to-left marks,
emoji, markup, very long values, unknown and repeated parameters — as Hypothesis strategies, so the same requests
drive the suite's fuzz test (`tests/test_fuzz.py`, through the Flask app) and `make stress` (`bench/stress.py`,
over HTTP against `izde serve`)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from hypothesis import strategies as st

ROUTES = ["/", "/search", "/a/{id}", "/a/{id}.ris", "/a/{id}.bib", "/issues", "/about", "/search.atom",
          "/search.csv", "/opensearch.xml", "/api/search", "/api/articles/{id}", "/api/articles/{id}/related",
          "/api/suggest", "/api/issues", "/api/openapi.json", "/api/nope", "/nope", "/embed", "/embed/demo",
          "/embed.js", "/embed.{id}.js"]
PARAMS = ["q", "issue", "year", "section", "language", "kind", "author", "from", "to", "sort", "page", "size",
          "lang", "limit", "format", "x", "results", "theme", "target", "placeholder"]
PIECES = ['"', "(", ")", "*", "?", "~", "^", ":", "-", "AND", "OR", "NOT", "title:", "author:", "section:", "[", "]",
          "{", "}", "\\", "/", "%", "&", "=", "+", "#", "'", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
          "\x00", "\x01", "\x0b", "\x1b", "\x7f", "\u200f", "\u202e", "\u2066", "\ufeff", "\ufffe", "🙂", "👨‍👩‍👧",
          "суу", "Бишкек", "ЖӨБ", "өкмөт", "ё", "I", "0", "-1", "99999999999999999999", "1 (147)", "2024", "unknown",
          "relevance", "newest", "ky", "ru", "en", "magazine-article", "=cmd|' /C calc'!A0", "..", "%00", "%zz",
          "³", "١٢", "½", "2⁰²⁴"]  # digits to str.isdigit that int() refuses or reads otherwise
IDS = ["ky-water-0", "x", "..%2F..%2Fetc%2Fpasswd", "%00", "a" * 300, "<b>", "🙂"]


def values() -> st.SearchStrategy[str]:
    """A parameter's value: pieces of syntax and hostile characters, random text, or something very long."""
    piece = st.sampled_from(PIECES)
    mixed = st.lists(st.one_of(piece, st.text(max_size=8)), max_size=8).map(" ".join)
    # Long enough to pass every limit of Izde's (1,000 characters, 32 KB of query string), short enough that six of
    # them stay under `izde serve`'s 1 MB for a request's head, past which waitress answers before Izde does.
    long = st.tuples(piece, st.integers(min_value=500, max_value=2000)).map(lambda p: (p[0] + " ") * p[1])
    return st.one_of(piece, mixed, st.text(max_size=40), long)


@st.composite
def requests(draw) -> str:
    """A path with a query string (percent-encoded, as a browser or a script would send it)."""
    route = draw(st.sampled_from(ROUTES)).replace("{id}", quote(draw(st.sampled_from(IDS)), safe="%"))
    pairs = draw(st.lists(st.tuples(st.sampled_from(PARAMS), values()), max_size=6))
    if draw(st.booleans()) and pairs and len(pairs[0][1]) <= 100:  # a filter repeated past its limit
        pairs += [pairs[0]] * draw(st.integers(min_value=1, max_value=30))
    query = urlencode(pairs, encoding="utf-8", errors="surrogatepass")
    return route + ("?" + query if query else "")

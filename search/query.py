"""Turn what a user types into a Whoosh query over the index's variant fields.

The user writes words, "phrases", AND/OR/NOT and -word, field:value (title:, author:, section:, year:, issue:,
language:, kind:), prefix* and fuzzy~. Each word becomes a disjunction over the variant fields of each text field,
weighted so that an exact spelling scores above a stem match, which scores above a folded (у for ү) or Latin-script
match, and a title match above a section or author match above a body match (`Weights`).

Any string whatsoever gives a query or a clear message: a query Whoosh cannot parse falls back to its plain words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field

from whoosh import query as Q
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import FuzzyTermPlugin, GtLtPlugin, QueryParser

from index.analysis import (IcuTokenizer, NormalizeFilter, analyze, key_spellings, normalize_word, query_variants,
                            word_language)
from index.kyrgyz import fold, latin_key, split_acronym
from index.schema import field_name
from index.stopwords import is_stop_word

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64


@dataclass(frozen=True)
class Weights:
    """Ranking weights: a field's weight times its variant's weight is the boost of a match there."""

    fields: tuple[tuple[str, float], ...] = (("title", 3.0), ("section_text", 1.8), ("authors_text", 1.8),
                                             ("body", 1.0))
    variants: tuple[tuple[str, float], ...] = (("exact", 1.0), ("stem", 0.7), ("fold", 0.45), ("latin", 0.35))
    stop_word: float = 0.2  # a stop word (жана, менен, и, на) counts this much of an ordinary word
    phrase_boost: float = 1.5  # an exact phrase counts this much more than its words apart
    proximity_boost: float = 0.5  # all words of a query within a few words of each other
    proximity_slop: int = 6

    def boost(self, base: str, kind: str) -> float:
        return dict(self.fields)[base] * dict(self.variants)[kind]


DEFAULT_WEIGHTS = Weights()
# Which text fields a user's field name searches.
USER_FIELDS = {"text": ("title", "section_text", "authors_text", "body"), "title": ("title",),
               "author": ("authors_text",), "section": ("section_text",), "body": ("body",)}
FACET_FIELDS = ("year", "issue", "language", "kind")


@dataclass
class QueryTerms:
    """The variants of the words a query looks for (not those under NOT): what snippets mark."""

    exact: set[str] = field(default_factory=set)
    stem: set[str] = field(default_factory=set)
    fold: set[str] = field(default_factory=set)
    latin: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)

    def add_word(self, word: str, original: str | None = None) -> None:
        self.exact.add(word)
        for kind, values in word_variants(word, original).items():
            getattr(self, kind).update(values)

    def matches(self, token) -> bool:
        """Whether a document's token (`AnalyzedToken`) meets these words under any key, as the index does."""
        return (token.text in self.exact or any(token.text.startswith(p) for p in self.prefixes)
                or any(not getattr(self, kind).isdisjoint(token.keys(kind)) for kind in ("stem", "fold", "latin")))

    def prefilter(self, language: str = "ky"):
        """A test that is False for a document's (normalized) word that cannot meet these words, decided
        without analyzing it, in documents of `language`; take it after the query is parsed.

        The analyzer strips and changes endings, never beginnings. First, a key of two letters or more begins with
        the first two letters of its word in the key's alphabet (the word, its folded spelling, its Latin key) but
        for its last letter, which may have changed (аймагы → аймак), and a Russian ё may become е and я/ю/ё/е be
        read as й and a vowel (аянында → айан): one verdict for each three beginnings. Then, but for English (whose
        Snowball stems change more than a last letter), a key of three letters or more must, but for its last
        letter, begin one of the word's `key_spellings`. tests/test_fast_paths.py checks the test never refuses a
        word's own keys, on the archive's and the treebank's words. So a word no key could begin needs no
        analysis."""
        begins = {kind: _beginnings(getattr(self, kind)) for kind in ("stem", "fold", "latin")}
        exact, prefixes = self.exact, tuple(self.prefixes)
        latin = bool(begins["latin"][0] or begins["latin"][1])
        verdicts: dict[tuple[str, str, str], bool] = {}  # only the first two letters count: one verdict for each
        heads = [_heads(getattr(self, kind)) for kind in ("stem", "fold", "latin")] if language != "en" else None

        def could_match(word: str) -> bool:
            if word in exact or word.startswith(prefixes):
                return True
            starts = _starts(word)
            verdict = verdicts.get(starts)
            if verdict is None:
                verdict = verdicts[starts] = (_may_begin(starts[0], begins["stem"])
                                              or _may_begin(starts[1], begins["fold"])
                                              or (latin and _may_begin(starts[2], begins["latin"])))
            return verdict and (heads is None or _may_be_keyed(word, heads))
        return could_match

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes)


_UNFUSED = str.maketrans({"я": "йа", "ю": "йу", "ё": "йо", "е": "йе"})


@lru_cache(maxsize=200_000)
def _starts(word: str) -> tuple[str, str, str]:
    """The first two letters of a word, of its folded spelling and of its Latin key: all `_may_begin` reads."""
    return word[:2], fold(word)[:2], latin_key(word)[:2]


def _beginnings(keys: set[str]) -> tuple[set[str], set[str]]:
    """What the words that have one of `keys` begin with: two letters (of keys of three or more) and one."""
    return {k[:2] for k in keys if len(k) >= 3}, {k[:1] for k in keys if len(k) < 3}


def _heads(keys: set[str]) -> tuple[set[str], tuple[int, ...], set[str]]:
    """What the words that have one of `keys` begin with, in the word's `key_spellings`: each key of three letters
    or more but for its last letter, and their lengths; the first letter of the shorter keys."""
    long = {k[:-1] for k in keys if len(k) >= 3}
    return long, tuple(sorted({len(h) for h in long})), {k[:1] for k in keys if len(k) < 3}


def _may_be_keyed(word: str, heads: list) -> bool:
    for (long, lengths, short), spellings in zip(heads, key_spellings(word)):
        for spelling in spellings:
            if spelling[:1] in short or any(spelling[:n] in long for n in lengths):
                return True
    return False


def _may_begin(word: str, begins: tuple[set[str], set[str]]) -> bool:
    two, one = begins
    start = word[:2]
    return (start in two or start[:1] in one or start.replace("ё", "е") in two or start[:1] == "ё" and "е" in one
            or start.translate(_UNFUSED)[:2] in two)


@dataclass
class ParsedQuery:
    query: Q.Query | None
    terms: QueryTerms
    message: str | None = None  # said to the user when the query was changed or is empty
    text: str = ""
    relaxed: Q.Query | None = None  # all words but one (see `relax`); None where that does not apply
    words: int = 0  # how many words (or phrases) `query` requires


def word_variants(word: str, original: str | None = None) -> dict[str, set[str]]:
    """What a query word matches in each variant field; a Cyrillic word is tried as Kyrgyz and as Russian.

    `original` is the word as typed, where its capitals matter: an acronym with an ending (ЖӨБкө) is searched as
    the acronym."""
    if word_language(word) == "latn":  # a Kyrgyz word in Latin letters, or an English one
        return {"exact": {word}, "stem": query_variants(word, "stem", "en"),
                "latin": query_variants(word, "latin", "latn") | query_variants(word, "latin", "en")}
    # Words with ө/ү/ң are Kyrgyz; any other Cyrillic word may be either language, so it is tried as both.
    languages = ("ky",) if word_language(word, default="ru") == "ky" else ("ky", "ru")
    out = {"exact": {word}, "stem": set(), "fold": set()}
    for language in languages:
        out["stem"] |= query_variants(word, "stem", language, original)
        out["fold"] |= query_variants(word, "fold", language, original)
    return out


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‟": '"', "″": '"',
                         "‘": "'", "’": "'", "‚": "'", "ʼ": "'",
                         "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00ad": ""})


def clean_text(text: str) -> str:
    """Normalize quotes, dashes and spaces; drop control characters; cap the length."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = "".join(ch if (ch.isprintable() or ch in " \t") else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()[:MAX_QUERY_CHARS]


def _operators(text: str) -> str:
    """Outside quotes, read a leading -word as NOT word and drop a leading +; intra-word hyphens stay."""
    parts = text.split('"')
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r"(^|\s)-(?=[^\s-])", r"\1NOT ", parts[i])
        parts[i] = re.sub(r"(^|\s)\+(?=\S)", r"\1", parts[i])
    return '"'.join(parts)


def _parser() -> QueryParser:
    analyzer = IcuTokenizer() | NormalizeFilter()
    # A word the analyzer splits (Ысык-Көл, иш-чара) is the phrase of its parts.
    schema = Schema(**{name: TEXT(analyzer=analyzer, phrase=True, multitoken_query="phrase") for name in USER_FIELDS},
                    **{name: ID() for name in FACET_FIELDS})
    parser = QueryParser("text", schema)
    parser.add_plugin(FuzzyTermPlugin())
    parser.remove_plugin_class(GtLtPlugin)
    return parser


_PARSER = None
_TOKENIZER = IcuTokenizer()


class _Rewriter:
    def __init__(self, weights: Weights, text: str = "") -> None:
        self.weights = weights
        self.terms = QueryTerms()
        self.count = 0
        # The parser lower-cases words; an acronym with an ending (ЖӨБкө) needs its capitals to be read as one.
        self.written = {normalize_word(w): w for _, _, w in _TOKENIZER.words(text) if split_acronym(w)}

    def __call__(self, q: Q.Query, negated: bool = False) -> Q.Query:
        if isinstance(q, Q.Not):
            return Q.Not(self(q.query, not negated))
        if isinstance(q, Q.AndNot):
            return Q.AndNot(self(q.a, negated), self(q.b, not negated))
        if isinstance(q, (Q.Term, Q.Phrase, Q.Prefix, Q.Wildcard, Q.FuzzyTerm, Q.TermRange)):
            self.count += 1
            if self.count > MAX_TERMS:
                return Q.NullQuery
        if isinstance(q, Q.Term) and q.fieldname in FACET_FIELDS:
            return self.facet(q)
        if isinstance(q, Q.FuzzyTerm):
            if not negated:
                self.terms.exact.add(q.text)
            return Q.Or([Q.FuzzyTerm(field_name(b, "exact"), q.text, boost=self.weights.boost(b, "exact"),
                                     maxdist=min(q.maxdist, 2), prefixlength=max(q.prefixlength, 1))
                         for b in USER_FIELDS.get(q.fieldname, ())])
        if isinstance(q, Q.Term):
            if not negated:
                self.terms.add_word(q.text, self.written.get(q.text))
            return self.word(q.fieldname, q.text)
        if isinstance(q, Q.Phrase):
            if not negated:
                for word in q.words:
                    self.terms.add_word(word, self.written.get(word))
            return self.phrase(q.fieldname, q.words, q.slop)
        if isinstance(q, Q.Prefix):
            if not negated:
                self.terms.prefixes.add(q.text)
            return Q.Or([Q.Prefix(field_name(b, kind), q.text if kind == "exact" else fold(q.text),
                                  boost=self.weights.boost(b, kind))
                         for b in USER_FIELDS.get(q.fieldname, ()) for kind in ("exact", "fold")])
        if isinstance(q, (Q.Wildcard, Q.TermRange)):
            fields = USER_FIELDS.get(q.fieldname, ())
            return Q.Or([q.__class__(*([field_name(b, "exact")] + self._args(q))) for b in fields])
        if isinstance(q, Q.Every):
            return Q.Every()
        if isinstance(q, Q.CompoundQuery):
            parts = [self(sub, negated) for sub in q.subqueries]
            return q.__class__([p for p in parts if p is not Q.NullQuery], boost=q.boost)
        return q.apply(lambda sub: self(sub, negated))

    @staticmethod
    def _args(q) -> list:
        if isinstance(q, Q.Wildcard):
            return [q.text]
        return [q.start, q.end, q.startexcl, q.endexcl]

    def facet(self, q: Q.Term) -> Q.Query:
        value = str(q.text).strip()
        if q.fieldname == "year":
            number = value.isascii() and value.isdigit()  # "³" is a digit to isdigit, not to int
            return Q.NumericRange("year", int(value), int(value)) if number else Q.NullQuery
        return Q.Term(q.fieldname, value)

    def word(self, fieldname: str, word: str) -> Q.Query:
        clauses = []
        scale = self.weights.stop_word if is_stop_word(word) else 1.0
        for base in USER_FIELDS.get(fieldname, ()):
            for kind, values in word_variants(word, self.written.get(word)).items():
                for value in values:
                    clauses.append(Q.Term(field_name(base, kind), value, boost=self.weights.boost(base, kind) * scale))
        return Q.Or(clauses)

    def phrase(self, fieldname: str, words: list[str], slop: int = 1) -> Q.Query:
        """The words in this order in any variant field. A word with several keys in a field (its Kyrgyz keys, a
        Russian stem) matches at a position holding any of them: a sequence of alternatives (Lucene's
        MultiPhraseQuery), where a word with one key each is a plain phrase."""
        clauses = []
        variants = [word_variants(w, self.written.get(w)) for w in words]
        for base in USER_FIELDS.get(fieldname, ()):
            for kind in ("exact", "stem", "fold", "latin"):
                if not all(kind in v for v in variants):
                    continue
                name, boost = field_name(base, kind), self.weights.boost(base, kind) * self.weights.phrase_boost
                values = [sorted(v[kind]) for v in variants]
                if all(len(v) == 1 for v in values):
                    clauses.append(Q.Phrase(name, [v[0] for v in values], slop=slop, boost=boost))
                else:
                    clauses.append(Q.Sequence([Q.Or([Q.Term(name, x) for x in v]) for v in values], slop=slop,
                                              boost=boost))
        return Q.Or(clauses)


def _plain_words(text: str) -> list[str]:
    return [t.text for t in analyze(text)][:MAX_TERMS]


def parse_query(text: str, weights: Weights = DEFAULT_WEIGHTS) -> ParsedQuery:
    """Parse a user's query; never raises. `query` is None when there is nothing to search for."""
    global _PARSER
    cleaned = clean_text(text or "")
    message = None
    if len(text or "") > MAX_QUERY_CHARS:
        message = f"Сурам өтө узун: алгачкы {MAX_QUERY_CHARS} белгиси гана изделди."
    if not cleaned:
        return ParsedQuery(None, QueryTerms(), "Издөө үчүн сөз жазыңыз.", cleaned)
    if _PARSER is None:
        _PARSER = _parser()
    rewriter = _Rewriter(weights, cleaned)
    try:
        parsed = _PARSER.parse(_operators(cleaned))
        rewritten = rewriter(parsed).normalize()
    except Exception:  # Whoosh's parser has corners that raise; the user still gets their words searched
        rewritten = Q.NullQuery
    if rewritten is Q.NullQuery or not (rewriter.count or _has_facet(rewritten)):
        words = _plain_words(cleaned)
        if not words:
            return ParsedQuery(None, QueryTerms(), "Сурамда издей турган сөз жок.", cleaned)
        rewriter = _Rewriter(weights, cleaned)
        rewritten = Q.And([rewriter.word("text", w) for w in words]).normalize()
    if isinstance(rewritten, Q.Not):  # only negations: everything but those
        rewritten = Q.AndNot(Q.Every(), rewritten.query)
    relaxed, words = relax(rewritten)
    rewritten = _with_proximity(rewritten, rewriter, weights)
    return ParsedQuery(rewritten, rewriter.terms, message, cleaned, relaxed, words)


MAX_RELAXED_WORDS = 8  # a longer query is not relaxed: one query per word left out


def relax(q: Q.Query) -> tuple[Q.Query | None, int]:
    """The query with any one of its required words (or phrases) left out, and how many it requires.

    Filters (year:2024) and negations stay required. Whoosh 2.7.4's `Or(minmatch=)` is not implemented, so
    "all words but one" is an Or of the Ands that each leave one word out. (None, 0) when fewer than two words
    are required.

    >>> relaxed, words = relax(parse_query("мектеп бюджет").query.a)
    >>> words, type(relaxed).__name__
    (2, 'Or')
    """
    if isinstance(q, Q.AndNot):
        inner, words = relax(q.a)
        return (Q.AndNot(inner, q.b) if inner is not None else None), words
    if not isinstance(q, Q.And):
        return None, 0
    kept, words = [], []
    for sub in q.subqueries:
        (kept if isinstance(sub, Q.Not) or _has_facet(sub) else words).append(sub)
    if not 2 <= len(words) <= MAX_RELAXED_WORDS:
        return None, 0
    return Q.Or([Q.And(kept + words[:i] + words[i + 1:]) for i in range(len(words))]).normalize(), len(words)


def _has_facet(q: Q.Query) -> bool:
    return any(isinstance(leaf, (Q.Term, Q.NumericRange)) and leaf.fieldname in FACET_FIELDS
               for leaf in q.leaves()) if not q.is_leaf() else getattr(q, "fieldname", None) in FACET_FIELDS


def _with_proximity(q: Q.Query, rewriter: _Rewriter, weights: Weights) -> Q.Query:
    """Reward documents where all of a query's plain words stand close together (an optional clause)."""
    if not isinstance(q, Q.And):
        return q
    words = [sub for sub in q.subqueries if isinstance(sub, Q.Or) and all(isinstance(c, Q.Term) for c in sub.subqueries)]
    if len(words) < 2 or len(words) != len(q.subqueries):
        return q
    stems = [[c.text for c in sub.subqueries if c.fieldname == "body_stem"] for sub in words]
    if not all(stems):
        return q
    near = Q.Sequence([Q.Or([Q.Term("body_stem", s) for s in keys]) for keys in stems],
                      slop=weights.proximity_slop, ordered=False, boost=weights.proximity_boost)
    return Q.AndMaybe(q, near)

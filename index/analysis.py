"""Text analysis for Kyrgyz and Russian: ICU word segmentation, normalization, stemming, folding.

Composed the Whoosh way, a tokenizer and filters joined with `|`:

    IcuTokenizer() | NormalizeFilter() | VariantFilter("stem")

`IcuTokenizer` segments words with ICU's `BreakIterator` and repairs what scraping does to words: line-break
hyphenation («жер- гиликтүү» → жергиликтүү, while Кең-Талаа stays two words of one name) and footnote digits glued
to words («көрсөтүлдү1»). `NormalizeFilter` maps Latin look-alike letters inside Cyrillic words to Cyrillic and
applies ICU's NFKC case folding. `VariantFilter` turns a normalized word into what one index field stores:

* ``exact``: the normalized word;
* ``stem``: its stem keys (Kyrgyz suffix stripping, or Snowball for Russian words);
* ``fold``: the same keys of the word with ү/ө/ң folded to у/о/н, so text typed on a Russian keyboard matches;
* ``latin``: the same keys of the word in the shared Latin-script key, so «jergiliktuu» matches жергиликтүү.

A Kyrgyz word has several keys in each variant, indexed at its one position (`KyrgyzStemmer.keys`): the ranked stem,
the word itself read as a stem, and what stripping only nominal inflection leaves, so that a bare noun and all of
its forms share a key whatever the ranker picks. Each alphabet computes them from its own spelling the same way,
so a word typed without ү/ө/ң or in Latin letters gets the keys its Cyrillic spelling gets in that alphabet.

Tokens keep positions and character offsets into the original text, so highlights land on what the page says.
`analyze()` runs the whole chain once and returns every variant of every token: the indexer feeds all four fields
from that one pass.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path
from types import ModuleType

from whoosh.analysis import Filter, Tokenizer
from whoosh.analysis.acore import Token

from . import kyrgyz
from .kyrgyz import KyrgyzStemmer, fix_lookalikes, fold, latin_key, split_acronym

VARIANTS = ("exact", "stem", "fold", "latin")
_KY_ONLY = re.compile(r"[өүңӨҮҢ]")
_CYR = re.compile(r"[\u0400-\u04ff]")
_APOSTROPHES = re.compile(r"['’ʼ`\u00ad]")
_HYPHENS = "-\u00ad\u2010\u2011"
_BROKEN_WORD = re.compile(r"[-\u00ad\u2010\u2011]\s+")
_TRAILING_DIGITS = re.compile(r"^(?P<word>[^\W\d_]{2,})(?P<digits>\d{1,3})$")
# A character beyond the Basic Multilingual Plane (two UTF-16 code units in ICU): looked for by a regular expression,
# where `max(text)` made a string of each character of a body (a third of breaking it into words).
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

_normalizer = None


def _casefold(text: str) -> str:
    global _normalizer
    if _normalizer is None:
        import icu

        _normalizer = icu.Normalizer2.getNFKCCasefoldInstance()
    return _normalizer.normalize(text)


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Return the normalized form of one word: look-alikes mapped, NFKC case folded, apostrophes dropped.

    >>> normalize_word("ЖЕРГИЛИКТҮҮ"), normalize_word("мунициПалитет"), normalize_word("aйдoo")
    ('жергиликтүү', 'муниципалитет', 'айдоо')
    """
    return _APOSTROPHES.sub("", _casefold(fix_lookalikes(word)))


@lru_cache(maxsize=None)
def stemmer_module() -> ModuleType:
    """Where the Kyrgyz stemmers come from: `index.kyrgyz` compiled by mypyc (its twin, which setup.py builds), when
    the install built it from the source as it is now; else the source itself. The two give the same keys
    (tests/test_stemmer.py); the compiled one stems a new word about twice as fast (BENCHMARKS.md, twentieth
    session). A source changed since the install is used as it is, until `make install` compiles it again."""
    try:
        from . import _kyrgyz_compiled as twin
    except ImportError:
        return kyrgyz
    compiled = twin.__file__.endswith(tuple(EXTENSION_SUFFIXES))
    current = getattr(twin, "SOURCE_SHA256", None) == hashlib.sha256(Path(kyrgyz.__file__).read_bytes()).hexdigest()
    return twin if compiled and current else kyrgyz


_STEMMERS: dict[str, KyrgyzStemmer] = {}  # by alphabet: `stemmer_module()`'s, the source's or its compiled twin's
_russian = None


def _ky(transform: str) -> KyrgyzStemmer:
    if transform not in _STEMMERS:
        module = stemmer_module()  # its own transforms: the stemmer knows its alphabet by them
        _STEMMERS[transform] = module.KyrgyzStemmer(module.ALPHABETS[transform])
    return _STEMMERS[transform]


@lru_cache(maxsize=200_000)
def russian_stem(word: str) -> str:
    """Stem a Russian word with Snowball (самоуправления → самоуправлен): PyStemmer's, in C, which snowballstemmer
    hands out where it is installed (it is a dependency; its pure-Python stemmer gives the same stems, tested, at
    a tenth of the speed: BENCHMARKS.md, eighteenth session)."""
    global _russian
    if _russian is None:
        import snowballstemmer

        _russian = snowballstemmer.stemmer("russian")
    return _russian.stemWord(word.replace("ё", "е"))


_english = None


@lru_cache(maxsize=200_000)
def english_stem(word: str) -> str:
    """Stem an English word with Snowball (municipalities → municip)."""
    global _english
    if _english is None:
        import snowballstemmer

        _english = snowballstemmer.stemmer("english")
    return _english.stemWord(word)


def word_language(word: str, default: str = "ky") -> str:
    """Decide which rules a word gets: Kyrgyz letters make it Kyrgyz; Latin script makes it English in an English
    text, else "latn" (a Kyrgyz word typed in Latin letters, or a foreign word)."""
    if _KY_ONLY.search(word):
        return "ky"
    if not _CYR.search(word):
        return "en" if default == "en" else "latn"
    return default if default in ("ky", "ru") else "ky"


@lru_cache(maxsize=400_000)
def variant_keys(word: str, kind: str, language: str = "ky", original: str | None = None) -> tuple[str, ...]:
    """Return the keys of a normalized word in one variant ("exact", "stem", "fold", "latin"), the primary key
    first, in a language ("ky", "ru", "latn"). A document's word is indexed, and a query's word searched, under all
    of them.

    `original` is the word as written; an acronym with a case suffix (ЖӨБдүн) stems to the acronym.

    >>> variant_keys("мектеп", "stem"), variant_keys("мектептер", "stem")
    (('мект', 'мектеп'), ('мектеп', 'мектептер'))
    >>> set(variant_keys("жергиликтуу", "fold")) == set(variant_keys("жергиликтүү", "fold"))
    True
    >>> variant_keys("жөбдүн", "stem", original="ЖӨБдүн"), variant_keys("жөб", "stem", original="ЖӨБ")
    (('жөб', 'жөп'), ('жөп',))
    """
    if kind == "exact" or not word:
        return (word,)
    if language == "latn":  # Latin script: a Kyrgyz word typed in Latin letters, or a foreign word
        return _ky("latin").keys(latin_key(word)) if kind == "latin" else (word,)
    if language == "en":  # an English text's word: Snowball English; its Latin key also as a Kyrgyz word's (Osh)
        stem = english_stem(word)
        return tuple(dict.fromkeys((latin_key(stem), *_ky("latin").keys(latin_key(word))))) if kind == "latin" \
            else (stem,)
    if original and (parts := split_acronym(original)):  # the acronym's own keys, and the acronym as written
        base = normalize_word(parts[0])
        written = {"stem": base, "fold": fold(base), "latin": latin_key(base)}[kind]
        return tuple(dict.fromkeys((written, *variant_keys(base, kind, "ky"))))
    if language == "ru":
        stem = russian_stem(word)
        return (latin_key(stem) if kind == "latin" else stem,)
    if kind == "stem":
        return _ky("plain").keys(word)
    if kind == "fold":
        return _ky("fold").keys(fold(word))
    return _ky("latin").keys(latin_key(word))


def word_keys(word: str, language: str = "ky", original: str | None = None) -> tuple[tuple[str, ...], ...]:
    """`variant_keys` of a normalized word in the "stem", "fold" and "latin" variants, worked out together: what is
    shared (the language's branch, the acronym test, a Russian stem) once, and not kept (the index's analysis keeps
    each word as written, `analyzed_surface`; a word's three variants were each kept again, and each asked whether
    the word is an acronym: about a tenth of a new word's analysis, BENCHMARKS.md, twenty-first session).
    tests/test_analysis.py holds it equal to `variant_keys`.

    >>> word_keys("мектептер") == tuple(variant_keys("мектептер", kind) for kind in ("stem", "fold", "latin"))
    True
    """
    if not word:
        return (word,), (word,), (word,)
    if language == "latn":
        return (word,), (word,), _ky("latin").keys(latin_key(word))
    if language == "en":
        stem = english_stem(word)
        return (stem,), (stem,), tuple(dict.fromkeys((latin_key(stem), *_ky("latin").keys(latin_key(word)))))
    if original and split_acronym(original):  # (rare) the acronym's own keys, and the acronym as written
        return tuple(variant_keys(word, kind, language, original) for kind in ("stem", "fold", "latin"))
    if language == "ru":
        stem = russian_stem(word)
        return (stem,), (stem,), (latin_key(stem),)
    return _ky("plain").keys(word), _ky("fold").keys(fold(word)), _ky("latin").keys(latin_key(word))


def variant(word: str, kind: str, language: str = "ky", original: str | None = None) -> str:
    """Return the primary key of one variant of a normalized word (the ranked stem, for "stem").

    >>> variant("жергиликтуу", "fold") == variant("жергиликтүү", "fold")
    True
    >>> variant("жөбдүн", "stem", original="ЖӨБдүн")
    'жөб'
    """
    return variant_keys(word, kind, language, original)[0]


@lru_cache(maxsize=200_000)
def key_spellings(word: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Spellings of a normalized word that its keys begin with, for the stem, fold and latin variants: every key of
    three letters or more the word has in that variant (read as Kyrgyz, Russian, a Latin-script word or an acronym
    with an ending), but for the key's last letter, begins one of them.

    The analyzer strips endings and may change the last letter of what is left (аймагы → аймак; a vowel dropped, then
    a consonant changed), never anything before it. Kyrgyz keys come from the word in the variant's alphabet or from
    its spelling with й and a vowel written out (тою → тойу), Russian ones from the word with ё read as е; a Latin key
    is the Latin key of one of those. Not English stems (Snowball English makes dying die).
    tests/test_fast_paths.py checks it on half the words of the generated archive, of the treebank's test set and of
    the sample pages; it was also checked on 509,431 spellings (BENCHMARKS.md, fourth session).

    >>> key_spellings("тоюна")[0]
    ('тоюна', 'тойуна')
    """
    plain, folded = word.replace("ё", "е"), fold(word)
    return (tuple(dict.fromkeys((word, plain, _ky("plain").unfused(word)))),
            tuple(dict.fromkeys((folded, folded.replace("ё", "е"), _ky("fold").unfused(folded)))),
            tuple(dict.fromkeys((latin_key(word), latin_key(plain)))))


def query_variants(word: str, kind: str, language: str = "ky", original: str | None = None) -> set[str]:
    """What a query word is searched as in one variant field: all its keys (`variant_keys`).

    >>> sorted(query_variants("мектеп", "stem"))
    ['мект', 'мектеп']
    """
    return set(variant_keys(word, kind, language, original))


class IcuTokenizer(Tokenizer):
    """Split text into words with ICU's BreakIterator, repairing line-break hyphenation and footnote digits.

    >>> [t.text for t in IcuTokenizer()("Кең-Талаа жер- гиликтүү көрсөтүлдү1")]
    ['Кең', 'Талаа', 'жергиликтүү', 'көрсөтүлдү', '1']
    """

    def __init__(self, locale: str = "ky") -> None:
        self.locale = locale
        # A BreakIterator holds the text it walks: one for each thread (waitress answers from several), or one
        # thread's text replaces another's in the middle of its walk.
        self._local = threading.local()

    def __getstate__(self) -> dict:
        # ICU objects cannot be pickled, and Whoosh pickles the schema into the index: rebuild them on demand.
        return {"locale": self.locale}

    def __setstate__(self, state: dict) -> None:
        self.locale = state["locale"]
        self._local = threading.local()

    def __eq__(self, other) -> bool:
        return isinstance(other, IcuTokenizer) and other.locale == self.locale

    def words(self, text: str) -> list[tuple[int, int, str]]:
        """Return (start, end, surface) of each word of `text`, offsets in Python characters."""
        import icu

        iterator = getattr(self._local, "iterator", None)
        if iterator is None:
            iterator = self._local.iterator = icu.BreakIterator.createWordInstance(icu.Locale(self.locale))
        iterator.setText(text)
        # ICU counts UTF-16 code units; map them back to Python indexes when the text has astral characters.
        index = None
        if _ASTRAL.search(text):
            index = []
            for i, ch in enumerate(text):
                index.extend([i] * (2 if ord(ch) > 0xFFFF else 1))
            index.append(len(text))
        words: list[tuple[int, int, str]] = []
        start = iterator.first()
        for end in iterator:
            if iterator.getRuleStatus() < 100:  # spaces or punctuation, not a word or a number
                start = end
                continue
            a, b = (index[start], index[end]) if index else (start, end)
            start = end
            if words:
                pa, pb, previous = words[-1]
                # «жер- гиликтүү»: a hyphen, then a space or a line break, then a lower-case continuation.
                if a - pb > 1 and text[pb] in _HYPHENS and _BROKEN_WORD.fullmatch(text, pb, a) \
                        and text[a].islower() and previous[-1].isalpha():
                    words[-1] = (pa, b, previous + text[a:b])
                    continue
            words.append((a, b, text[a:b]))
        out = []
        for a, b, surface in words:
            match = _TRAILING_DIGITS.match(surface) if surface[-1].isdigit() else None
            if match and not surface.isupper():
                cut = a + len(match["word"])
                out.append((a, cut, match["word"]))
                out.append((cut, b, match["digits"]))
            else:
                out.append((a, b, surface))
        return out

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (a, b, surface) in enumerate(self.words(value) if tokenize else [(0, len(value), value)]):
            t.text = t.original = surface
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + a, start_char + b
            yield t


class NormalizeFilter(Filter):
    """Map look-alike letters to Cyrillic and case-fold (NFKC_Casefold); the written form stays in `original`."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = normalize_word(t.text)
            if t.text:
                yield t


class VariantFilter(Filter):
    """Replace each token's text with one variant: "exact", "stem", "fold" or "latin".

    With no `language`, each word's own letters decide (words with ө/ү/ң are Kyrgyz, others default to Kyrgyz).
    """

    def __init__(self, kind: str, language: str | None = None) -> None:
        if kind not in VARIANTS:
            raise ValueError(f"unknown variant {kind!r}")
        self.kind = kind
        self.language = language

    def __eq__(self, other) -> bool:
        return isinstance(other, VariantFilter) and (other.kind, other.language) == (self.kind, self.language)

    def __call__(self, tokens):
        for t in tokens:
            language = word_language(t.text, self.language or "ky")
            for key in variant_keys(t.text, self.kind, language, getattr(t, "original", None)):
                t.text = key  # every key at the word's one position
                yield t


def field_analyzer(kind: str, language: str | None = None):
    """The Whoosh analyzer of one variant field (stored in the index schema)."""
    return IcuTokenizer() | NormalizeFilter() | VariantFilter(kind, language)


@dataclass(frozen=True)
class AnalyzedToken:
    """Everything the index stores about one word, and where it stands in the original text."""

    pos: int
    start: int
    end: int
    original: str
    text: str
    stem_keys: tuple[str, ...]
    fold_keys: tuple[str, ...]
    latin_keys: tuple[str, ...]
    language: str

    @property
    def stem(self) -> str:
        """The primary stem key: what key terms and related articles count."""
        return self.stem_keys[0]

    @property
    def fold(self) -> str:
        return self.fold_keys[0]

    @property
    def latin(self) -> str:
        return self.latin_keys[0]

    def keys(self, kind: str) -> tuple[str, ...]:
        """What this word is indexed as in one variant field."""
        return (self.text,) if kind == "exact" else getattr(self, f"{kind}_keys")

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(stem=self.stem, fold=self.fold, latin=self.latin)
        return data


_TOKENIZER = IcuTokenizer()


def analyze(text: str, language: str = "ky") -> list[AnalyzedToken]:
    """Analyze a text once into tokens carrying every variant (`language`: the document's, "ky" or "ru").

    >>> [(t.text, t.stem) for t in analyze("Баткендеги муниципалитеттерге")]
    [('баткендеги', 'баткен'), ('муниципалитеттерге', 'муниципалитет')]
    """
    out = []
    new, names = object.__new__, _TOKEN_FIELDS
    for pos, (a, b, surface) in enumerate(_TOKENIZER.words(text)):
        word = analyzed_surface(surface, language)
        if word is not None:  # `analyze_word(surface, language, pos, a, b)`, made as below
            token = new(AnalyzedToken)
            token.__dict__.update(zip(names, (pos, a, b, *word)))
            out.append(token)
    return out


_TOKEN_FIELDS = tuple(f.name for f in fields(AnalyzedToken))


@lru_cache(maxsize=200_000)
def analyzed_surface(surface: str, language: str) -> tuple | None:
    """`analyze_word`'s token of a word as written, but for its place (original, text, keys, language), kept: a text
    repeats its words, and the index's analysis spent a fifth of its time making tokens (five look-ups a word, and
    a frozen data class's `__init__`, which sets each field through `object.__setattr__`; `analyze` fills the
    token's `__dict__` at once). tests/test_analysis.py holds `analyze` equal to `analyze_word` word by word."""
    token = analyze_word(surface, language)
    return None if token is None else (token.original, token.text, token.stem_keys, token.fold_keys,
                                       token.latin_keys, token.language)


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, surface) of each word of `text` as `analyze` finds them, before any analysis."""
    return _TOKENIZER.words(text)


def indexed_words(text: str) -> tuple[list[int], list[int], list[str]]:
    """Where each word `analyze` keeps of `text` starts and ends, and its spelling: the words whose numbers are the
    index's positions (`words` but those that normalize to nothing)."""
    spans = words(text)
    if spans and not all(map(normalize_word, {surface for _, _, surface in spans})):
        spans = [span for span in spans if normalize_word(span[2])]  # a word that normalizes to nothing (rare)
    if not spans:
        return [], [], []
    starts, ends, surfaces = map(list, zip(*spans))
    return starts, ends, surfaces


def analyze_word(surface: str, language: str = "ky", pos: int = 0, start: int = 0,
                 end: int = 0) -> AnalyzedToken | None:
    """One word as `analyze` gives it (None for what normalizes to nothing); its keys depend only on the word as
    written and the text's language."""
    word = normalize_word(surface)
    if not word:
        return None
    lang = word_language(word, language)
    return AnalyzedToken(pos, start, end, surface, word, *word_keys(word, lang, surface), lang)

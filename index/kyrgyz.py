"""Kyrgyz letters and morphology: look-alike repair, keyboard folding, a Latin-script key, and a suffix stemmer.

Kyrgyz is agglutinative: муниципалитет, муниципалитеттерге and муниципалитетинин are one word to a reader. The
stemmer strips inflection (plural, possessive, case, person, tense and aspect) and the derivations that the UD
Kyrgyz-KTMU treebank's lemmas strip too (-лык, -чы, -дуу …), longest suffix chain first, and never cuts a stem
below two syllables' worth of letters. It has no lexicon: every rule is a suffix table, so the same rules run on
folded text (у for ү) and on the Latin-script key simply by mapping the tables through the same folding.
Its quality is measured on the KTMU gold lemmas (`make bench-stemmer`, BENCHMARKS.md).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache
from typing import Callable

# Latin letters that look like Cyrillic ones, as found inside Cyrillic words in scraped text and in UniMorph.
LOOKALIKES = str.maketrans("aceopxyKMHTBAEOPCXi", "асеорхуКМНТВАЕОРСХі")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def fix_lookalikes(word: str) -> str:
    """Map Latin look-alike letters to Cyrillic inside a word that is mostly Cyrillic.

    >>> fix_lookalikes("aйдoo")
    'айдоо'
    >>> fix_lookalikes("COVID")
    'COVID'
    """
    if not _LATIN.search(word) or not _CYRILLIC.search(word):
        return word
    fixed = word.translate(LOOKALIKES)
    return fixed if not _LATIN.search(fixed) else word


_FOLD = str.maketrans("үөңҮӨҢ", "уонУОН")


def fold(word: str) -> str:
    """Fold the letters Russian keyboards lack to the ones people type instead (ү→у, ө→о, ң→н).

    й and ё are kept: they are different letters on every keyboard.

    >>> fold("деңгээлдеги өзгөчө жергиликтүү")
    'денгээлдеги озгочо жергиликтуу'
    """
    return word.translate(_FOLD)


_BGN = None


def _romanize(text: str) -> str:
    global _BGN
    if _BGN is None:
        import icu

        _BGN = icu.Transliterator.createInstance("ky-ky_Latn/BGN")
    return _BGN.transliterate(text)


_LATIN_PRE = str.maketrans({"ç": "ch", "ş": "sh", "ı": "y", "ğ": "g", "ʺ": None, "ʹ": None, "'": None, "’": None,
                            "ʼ": None, "`": None})
_LATIN_RULES = [(re.compile(a), b) for a, b in [
    ("shch", "sh"), ("zh", "j"), ("kh", "h"), ("ts", "c"), ("x", "h"), ("q", "k"), ("w", "v"),
    ("y", "i"), ("ng+", "n"),
]]


def latin_key(word: str) -> str:
    """Return the shared Latin-script key of a Kyrgyz word written in Cyrillic or in the Latin letters people type.

    Cyrillic goes through ICU's BGN romanization; both scripts then lose what Latin typists vary on (diacritics,
    zh/j, y/i, ng/n), so neither side has to guess ү/ө/ң back from Latin.

    >>> latin_key("жергиликтүү") == latin_key("jergiliktuu") == latin_key("zhergiliktüü")
    True
    >>> latin_key("деңгээл") == latin_key("dengeel"), latin_key("жаңы") == latin_key("jangy")
    (True, True)
    """
    if _CYRILLIC.search(word):
        word = _romanize(word)
    word = word.lower().translate(_LATIN_PRE)
    word = "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))
    for pattern, replacement in _LATIN_RULES:
        word = pattern.sub(replacement, word)
    return word


# --- the stemmer -----------------------------------------------------------------------------------------------

VOWELS = "аеёиоөуүыэюя"


def _forms(*patterns: str) -> list[str]:
    """Expand allomorph patterns: "{лдт}{аеоө}р" → лар, лер, лор, лөр, дар, … ."""
    out: list[str] = []
    for pattern in patterns:
        parts = re.findall(r"\{([^}]*)\}|([^{}]+)", pattern)
        choices = [list(group) if group or not literal else [literal] for group, literal in parts]
        out.extend("".join(combo) for combo in itertools.product(*choices))
    return out


_A = "{аеоө}"
_I = "{ыиуү}"
PLURAL = _forms(f"{{лдт}}{_A}р")
POSSESSIVE = _forms(f"{_I}м", f"{_I}ң", "м", "ң", _I, f"с{_I}", f"{_I}б{_I}з", f"б{_I}з", f"{_I}ң{_A}р", f"ң{_A}р",
                    f"{_I}ң{_I}з", f"ң{_I}з")
CASE = _forms(f"{{ндт}}{_I}н", f"{{гк}}{_A}", f"н{_A}", _A, f"{{ндт}}{_I}", "н", f"{{дт}}{_A}", f"нд{_A}",
              f"{{дт}}{_A}н", f"н{_A}н", f"{{дт}}{_A}г{_I}", f"нд{_A}г{_I}", f"{{гк}}{_I}", f"ч{_A}", f"{{дт}}{_A}й",
              f"{{дт}}{_A}ш", f"{{дт}}{_I}к", f"м{_I}н", f"с{_I}ң", f"с{_I}з", f"б{_I}з", f"с{_I}ң{_A}р", "ч{ыиуү}",
              f"{{дт}}{_I}р")
DERIVATION = _forms(f"{{лдт}}{_I}к", f"{{лдт}}{_I}{_I}", f"ч{_I}л{_I}к", f"ч{_I}", f"с{_I}з", f"{{дт}}{_I}{_I}л{_I}к",
                    f"{{лдт}}{_I}к{_I}", f"г{_I}ч", f"к{_I}ч", f"{{лдт}}{_A}ш", "ист")
VERBAL = _forms(
    f"{{дт}}{_I}", f"{{дт}}{_I}м", f"{{дт}}{_I}ң", f"{{дт}}{_I}к", f"{{дт}}{_I}ң{_I}з", f"{{дт}}{_I}ң{_A}р",
    f"{_A}т", f"{_A}м", f"{_A}с{_I}ң", f"{_A}с{_I}з", f"{_A}б{_I}з", f"{_A}т", "йт", f"ш{_A}т", f"{_I}ш{_A}т",
    f"{{гк}}{_A}н", f"{{гк}}{_A}нд{_A}", f"{{гк}}{_A}нд{_I}к", f"{{гк}}{_A}нд{_A}г{_I}", f"{{гк}}{_A}н{_I}",
    f"{_I}п", "п", f"{_I}{_I}", f"{_A}{_A}", f"{_I}{_I}ч{_I}", f"{_A}{_A}ч{_I}", f"{_I}ш", "ш",
    f"{_A}р", "р", f"{{бмп}}{_A}с", f"{{бмп}}{_A}", f"{{бмп}}{_A}г{_A}н", f"{{бмп}}{_A}й", f"м{_A}к", f"ч{_I}",
    f"с{_A}", f"с{_A}ң", f"с{_A}к", f"с{_I}н", f"{{гк}}{_I}л{_A}", f"{{гк}}{_I}ч{_A}", f"{_A}йт", f"{_A}л{_I}",
    f"{_A}ли", f"{{гк}}{_I}з", f"{_A}{_A}р", "й", f"{_A}", f"{_A}л{_A}к", f"{{гк}}{_A}л{_I}", f"{_I}ш{_I}",
    f"{_A}т{_A}н", f"{{ды}}{_I}р", f"м{_A}кч{_I}", f"{_A}ч{_A}к", f"{_A}ш{_A}т",
)


def _chains(*slots: list[str]) -> set[str]:
    out: set[str] = set()
    for r in range(1, len(slots) + 1):
        for combo in itertools.combinations(slots, r):
            for parts in itertools.product(*combo):
                out.add("".join(parts))
    return out


class KyrgyzStemmer:
    """Strip Kyrgyz suffix chains, longest first, keeping at least `min_stem` letters and one vowel.

    `transform` maps the suffix tables (and the stem's letters) into another alphabet, e.g. `fold` for text typed
    on a Russian keyboard or `latin_key` for Latin-script text, so one rule set serves all three.

    >>> stem = KyrgyzStemmer()
    >>> [stem(w) for w in ("муниципалитеттерге", "муниципалитетинин", "муниципалитет")]
    ['муниципалитет', 'муниципалитет', 'муниципалитет']
    >>> stem("бишкекте"), stem("баткендеги"), stem("жер")
    ('бишкек', 'баткен', 'жер')
    """

    def __init__(self, transform: Callable[[str], str] | None = None, min_stem: int = 3) -> None:
        self.transform = transform or (lambda s: s)
        t = self.transform
        self.min_stem = min_stem
        self.vowels = set("".join(t(v) for v in VOWELS)) | (set("aeiou") if transform is not None else set())
        # Transform each slot's allomorphs, then chain them: far cheaper than transforming every chain.
        plural, possessive, case, verbal, derivation = (sorted({t(s) for s in slot})
                                                         for slot in (PLURAL, POSSESSIVE, CASE, VERBAL, DERIVATION))
        self.nominal = _chains(plural, possessive, case)
        self.verbal = _chains(verbal, case)
        self.derivation = set(derivation)
        self.max_len = max(map(len, self.nominal | self.verbal | self.derivation))
        self._cached = lru_cache(maxsize=200_000)(self._stem)

    def __call__(self, word: str) -> str:
        return self._cached(word)

    def _ok(self, stem: str) -> bool:
        return len(stem) >= self.min_stem and any(ch in self.vowels for ch in stem)

    def _strip(self, word: str, table: set[str]) -> str:
        for i in range(max(1, len(word) - self.max_len), len(word)):
            if word[i:] in table and self._ok(word[:i]):
                return word[:i]
        return word

    def _stem(self, word: str) -> str:
        if len(word) <= self.min_stem + 1:
            return word
        nominal = self._strip(word, self.nominal)
        verbal = self._strip(word, self.verbal)
        stem = min(nominal, verbal, key=len)
        stem = self._strip(stem, self.derivation)
        return stem


def split_acronym(surface: str) -> tuple[str, str] | None:
    """Split an acronym with a case suffix at the case boundary: ЖӨБдүн → (ЖӨБ, дүн).

    >>> split_acronym("ЖӨБдүн"), split_acronym("БАЖБАнын"), split_acronym("Бишкек")
    (('ЖӨБ', 'дүн'), ('БАЖБА', 'нын'), None)
    """
    match = re.fullmatch(r"([А-ЯЁӨҮҢ]{2,})([а-яёөүң]+)", surface)
    return (match.group(1), match.group(2)) if match else None

"""Kyrgyz letters and morphology: look-alike repair, keyboard folding, a Latin-script key, and a suffix stemmer.

Kyrgyz is agglutinative: муниципалитет, муниципалитеттерге and муниципалитетинин are one word to a reader. The
stemmer strips inflection (plural, possessive, case, person, tense and aspect) and the derivations that the UD
Kyrgyz-KTMU treebank's lemmas strip too (-лык, -чы, -дуу …). A slot grammar proposes every suffix chain that
phonology allows; a decision list and a ranker, both learned on the treebank's training split, choose among them.
It has no hand-kept lexicon: the grammar is suffix tables; the learned tables weigh suffixes and a stem's last
letters, and list the few dozen short verb roots (ал, бол, чык …) that training shows. The grammar runs on folded
text (у for ү) and on the Latin-script key by mapping its tables through the same folding; each alphabet has its
own learned weights. Its quality is measured on the KTMU gold lemmas (`make bench-stemmer`, BENCHMARKS.md).
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

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


_BGN: Any = None  # ICU's BGN transliterator, made when first needed


def _romanize(text: str) -> str:
    global _BGN
    if _BGN is None:
        import icu

        _BGN = icu.Transliterator.createInstance("ky-ky_Latn/BGN")
    return _BGN.transliterate(text)


_LATIN_PRE = str.maketrans({"ç": "ch", "ş": "sh", "ı": "y", "ğ": "g", "ʺ": None, "ʹ": None, "'": None, "’": None,
                            "ʼ": None, "`": None, "·": None})  # BGN writes н·к to tell нк from ң
_LATIN_RULES = [(re.compile(a), b, a.rstrip("+")) for a, b in [  # (pattern, replacement, what it must contain)
    ("shch", "sh"), ("zh", "j"), ("kh", "h"), ("ts", "c"), ("x", "h"), ("q", "k"), ("w", "v"),
    ("y", "i"), ("ng+", "n"),
]]


class _Uncombined(dict):
    """A `str.translate` table that drops combining marks: each character's entry made when first met."""

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_UNCOMBINED = _Uncombined()


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
    # Each rule only where its letters are, and the marks dropped by a table: `straightforward_latin_key` is the same
    # done letter by letter and rule by rule (tests/test_analysis.py holds the two equal).
    word = unicodedata.normalize("NFD", word).translate(_UNCOMBINED)
    for pattern, replacement, letters in _LATIN_RULES:
        if letters in word:
            word = pattern.sub(replacement, word)
    return word


def straightforward_latin_key(word: str) -> str:
    """`latin_key`, each letter's marks judged and every rule run."""
    if _CYRILLIC.search(word):
        word = _romanize(word)
    word = word.lower().translate(_LATIN_PRE)
    word = "".join(ch for ch in unicodedata.normalize("NFD", word) if not unicodedata.combining(ch))
    for pattern, replacement, _ in _LATIN_RULES:
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
# Nominal morphology, innermost first: derivation, plural, possessive, case. Cases that only follow a 3rd-person
# possessive (-ы-на, -сы-н) and the dative -а that only follows a 1st/2nd-person one are kept apart, so that a bare
# noun's last letters (бала, өлкө) are never taken for a case ending.
DERIVATION = _forms(f"{{лдт}}{_I}к", f"{{лдт}}{_I}г", f"{{лдт}}{_I}{_I}", f"ч{_I}", f"с{_I}з", f"ч{_I}л{_I}к", f"{{лдт}}{_A}ш")
PLURAL = _forms(f"{{лдт}}{_A}р")
POSSESSIVE_3 = _forms(_I, f"с{_I}")
POSSESSIVE_12 = _forms(f"{_I}м", f"{_I}ң", "м", "ң")
POSSESSIVE_PL = _forms(f"{_I}б{_I}з", f"б{_I}з", f"{_I}ң{_A}р", f"ң{_A}р", f"{_I}ң{_I}з", f"ң{_I}з")
CASE = _forms(f"{{гк}}{_A}", f"{{ндт}}{_I}", f"{{дт}}{_A}", f"{{дт}}{_A}н", f"{{ндт}}{_I}н", f"{{дт}}{_A}г{_I}",
              f"ч{_A}", f"{{дт}}{_A}й", f"{{гк}}{_I}")
CASE_AFTER_3 = _forms(f"н{_A}", "н", f"нд{_A}", f"н{_A}н", f"н{_I}н", f"нд{_A}г{_I}", f"нч{_A}")
CASE_AFTER_12 = _forms(_A) + CASE
# Verbal morphology: voice (passive and reciprocal, which the UD lemmas mostly strip), negation, tense, aspect and
# mood, person; verbal nouns and participles then take nominal endings. Causatives (-гыз, -дыр, -т) derive new
# verbs (чык → чыгар, жүр → жүргүз) and are kept, as in the UD lemmas.
NEGATION = _forms(f"{{бмп}}{_A}")
TENSE = _forms(f"{{дт}}{_I}", f"{_A}т", "йт", f"{_I}п", "п", f"{_A}", "й", f"{_A}р", "р", f"{{бмп}}{_A}с",
               f"с{_A}", f"с{_I}н", f"{{гк}}{_I}л{_A}", f"м{_A}к", f"{{гк}}{_A}й", f"{_A}л{_I}", f"ч{_I}",
               f"{_A}{_A}ч{_I}", f"{_I}{_I}ч{_I}", f"{_A}т{_A}н", f"{_I}ш{_A}т", f"ш{_A}т", f"{_A}ш{_A}т",
               f"{_I}ш{_I}п", f"ш{_I}п", f"{_I}ш{_I}", f"ш{_I}",
               "айын", "ейин", "оюн", "өйүн", "йын", "йин", "юн", "йүн",  # voluntative: ал-айын, бол-оюн, иште-йин
               f"{_I}пт{_I}р", f"пт{_I}р")  # evidential: айт-ыптыр, көр-үптүр
PERSON = _forms("м", "ң", "к", f"ң{_I}з", f"ң{_A}р", f"м{_I}н", f"с{_I}ң", f"с{_I}з", f"б{_I}з", f"с{_I}ң{_A}р",
                f"{_I}ш{_A}т", f"ш{_A}т")
VOICE = _forms(f"{_I}л", "л", f"{_I}н", "н", f"{_I}ш", "ш")
VERBAL_NOUN = _forms(f"{_I}{_I}", f"{_A}{_A}", f"{{гк}}{_A}н", f"{_I}ш", "ш", f"{{гк}}{_A}нд{_I}{{кг}}")
QUESTION = _forms(f"{{бп}}{_I}")  # the question particle, written as one word with what it asks: ал-дыңбы


# The slot sequences a suffix chain may follow, outermost slot first; (slot, optional).
PATTERNS: tuple[tuple[tuple[str, bool], ...], ...] = tuple(
    tuple([("q", True)] + ([("person", True)] if tail and tail[0][0] == "vn" else []) + inflection + tail)
    for inflection in ([("case", True), ("pl", True)], [("c3", True), ("p3", False), ("pl", True)],
                       [("c12", True), ("p12", False), ("pl", True)], [("case", True), ("ppl", False), ("pl", True)])
    for tail in ([], [("der", False)], [("vn", False), ("neg", True), ("voice", True)])  # ач-ууда-быз
) + ((("q", True), ("person", True), ("tense", False), ("neg", True), ("voice", True)),)
SLOTS = {"der": DERIVATION, "pl": PLURAL, "p3": POSSESSIVE_3, "p12": POSSESSIVE_12, "ppl": POSSESSIVE_PL,
         "case": CASE, "c3": CASE_AFTER_3, "c12": CASE_AFTER_12, "neg": NEGATION, "tense": TENSE, "person": PERSON,
         "vn": VERBAL_NOUN, "voice": VOICE, "q": QUESTION}


Parse = tuple[tuple[str, str], ...]  # (slot, morph) pairs, innermost morph first: (("pl", "лар"), ("case", "да"))


class SuffixGrammar:
    """Find every suffix chain of a word that the slot patterns allow (a small right-to-left parse).

    >>> sorted(SuffixGrammar().parses("шаарларда")[5])
    [(('pl', 'лар'), ('case', 'да'))]
    """

    def __init__(self, t: Callable[[str], str] = lambda s: s) -> None:
        self.slots = {name: frozenset(t(x) for x in forms) for name, forms in SLOTS.items()}
        self.lengths = {name: sorted({len(x) for x in forms}, reverse=True) for name, forms in self.slots.items()}
        # The question particle is read only after a consonant (ал-дыңбы, жалган-бы): after a vowel -бы is far
        # more often a п-final noun's possessive (мектеп → мекте-би, себеп → себе-би).
        self.vowels = frozenset("".join(t(v) for v in VOWELS))
        self._root = _Moves.of(_TREE, self.slots, {})

    def parses(self, word: str, min_stem: int = 2) -> dict[int, set[Parse]]:
        """Every suffix chain `word` can end in, leaving at least `min_stem` letters: its length → its analyses.

        The patterns walked as one tree (`_TREE`: patterns that begin with the same slots share their walk, where
        walking each pattern on its own walked the question particle's slot thirteen times); `parses_by_pattern` is
        the walk pattern by pattern, and tests/test_stemmer.py holds the two equal."""
        found: dict[int, set[Parse]] = {}
        self._walk_tree(word, len(word), self._root, min_stem, found, ())
        found.pop(0, None)
        return found

    def _walk_tree(self, word: str, end: int, node: "_Moves", min_stem: int, found: dict[int, set[Parse]],
                   parse: Parse) -> None:
        if node.ends:
            found.setdefault(len(word) - end, set()).add(parse)
        if end - 1 < min_stem:  # no form leaves `min_stem` letters
            return
        # The slots' forms matched as `_walk` matches them, inline: a shared helper made the walk 1.7× slower. One
        # slice and one look-up a length: several slots' forms may have it.
        for n, moves in node.moves.get(word[end - 1], ()):
            if end - n < min_stem:  # (lengths ascending)
                break
            morph = word[end - n:end]
            for slot, child in moves.get(morph, ()):
                if not (slot == "q" and word[end - n - 1] in self.vowels):
                    self._walk_tree(word, end - n, child, min_stem, found, ((slot, morph),) + parse)

    def parses_by_pattern(self, word: str, min_stem: int = 2) -> dict[int, set[Parse]]:
        """`parses`, each pattern walked on its own (the straightforward way)."""
        found: dict[int, set[Parse]] = {}
        for pattern in PATTERNS:
            self._walk(word, len(word), pattern, 0, min_stem, found, ())
        found.pop(0, None)
        return found

    def _walk(self, word: str, end: int, pattern, i: int, min_stem: int, found: dict[int, set[Parse]],
              parse: Parse) -> None:
        if i == len(pattern):
            found.setdefault(len(word) - end, set()).add(parse)
            return
        slot, optional = pattern[i]
        if optional:
            self._walk(word, end, pattern, i + 1, min_stem, found, parse)
        forms = self.slots[slot]
        for n in self.lengths[slot]:
            morph = word[end - n:end]
            if end - n >= min_stem and morph in forms and not (slot == "q" and word[end - n - 1] in self.vowels):
                self._walk(word, end - n, pattern, i + 1, min_stem, found, ((slot, morph),) + parse)


class _Node:
    """A node of the patterns' tree: whether a pattern ends here, and (slot, optional, node) for what may follow."""

    __slots__ = ("ends", "children")

    def __init__(self) -> None:
        self.ends = False
        self.children: list[tuple[str, bool, _Node]] = []


def _tree(patterns) -> _Node:
    root = _Node()
    for pattern in patterns:
        node = root
        for slot, optional in pattern:
            node = next((child for s, o, child in node.children if (s, o) == (slot, optional)), None) or \
                _add_child(node, slot, optional)
        node.ends = True
    return root


def _add_child(node: _Node, slot: str, optional: bool) -> _Node:
    child = _Node()
    node.children.append((slot, optional, child))
    return child


_TREE = _tree(PATTERNS)


class _Moves:
    """A node of the patterns' tree as `SuffixGrammar.parses` walks it: what skipping optional slots reaches is
    folded in, so the walk only ever moves by matching a form, and it tries only the slots and lengths of forms that
    end in the letter before it (most tries of every slot and length matched nothing).

    `ends`: a pattern ends here or after optional slots only; `moves`: a last letter → (a length, and each form of
    that length ending in that letter → (slot, the node the form leads to) for each slot that may come next here
    or after optional slots and has the form), lengths ascending."""

    __slots__ = ("ends", "moves")
    ends: bool
    moves: dict[str, list[tuple[int, dict[str, list[tuple[str, "_Moves"]]]]]]

    @classmethod
    def of(cls, node: _Node, slots: dict[str, frozenset[str]], made: dict[int, "_Moves"]) -> "_Moves":
        if id(node) in made:
            return made[id(node)]
        moves = made[id(node)] = cls()
        moves.ends, seen = False, set()
        by_letter: dict[str, dict[int, dict[str, list[tuple[str, _Moves]]]]] = {}
        pending = [node]  # `node`, and what skipping optional slots from it reaches
        while pending:
            at = pending.pop()
            moves.ends = moves.ends or at.ends
            for slot, optional, child in at.children:
                if optional:
                    pending.append(child)
                if (slot, id(child)) in seen:
                    continue
                seen.add((slot, id(child)))
                after = cls.of(child, slots, made)
                for form in sorted(slots[slot]):
                    by_letter.setdefault(form[-1], {}).setdefault(len(form), {}).setdefault(form, []).append(
                        (slot, after))
        moves.moves = {last: sorted(lengths.items()) for last, lengths in by_letter.items()}
        return moves


_ALTERNATION = {"г": "к", "б": "п"}
_VOICELESS = set("кпстфхцчшщ")
_BACK, _FRONT = set("аыоуяёю"), set("еиөүэ")


def phonology_allows(stem: str, suffix: str, unsure: str = "") -> bool:
    """Whether `suffix` can follow `stem` under consonant assimilation and vowel harmony.

    A suffix's first consonant agrees with the stem's last sound (-ты/-ка/-тан only after voiceless consonants,
    -ды/-га/-дан never after them, -нын/-ны/-й/-р only after vowels, -лар after vowels, й or р), and its first vowel
    agrees in backness with the stem's last vowel.

    >>> phonology_allows("депутат", "ы"), phonology_allows("депута", "ты"), phonology_allows("шарт", "ты")
    (True, False, True)
    >>> phonology_allows("мектеп", "ка"), phonology_allows("мектеп", "ке"), phonology_allows("өлкө", "нү")
    (False, True, True)

    `unsure` lists vowels whose backness is unknown (о and у in folded text, where they may stand for ө and ү).
    """
    last, first = stem[-1], suffix[0]
    vowel_end = last in VOWELS
    if first in "тк" and last not in _VOICELESS:
        return False
    if first in "дг" and last in _VOICELESS:
        return False
    if first in "бп" and len(suffix) > 1 and suffix[1] in VOWELS and (first == "п") != (last in _VOICELESS):
        return False  # -пы/-па after voiceless sounds, -бы/-ба after the rest
    if first in "нйр" and len(suffix) > 1 and suffix[1] in VOWELS and not vowel_end:
        return False
    if first in "йр" and len(suffix) == 1 and not vowel_end:
        return False
    if first == "л" and not (vowel_end or last in "йр"):
        return False
    if first in VOWELS and first not in "оө" and vowel_end:
        return False  # -ы/-ып/-ат follow consonants; after vowels the forms are -сы, -п, -йт (оо/өө: see finish)
    stem_vowel = next((ch for ch in reversed(stem) if ch in VOWELS), None)
    suffix_vowel = next((ch for ch in suffix if ch in VOWELS), None)
    if stem_vowel and suffix_vowel and stem_vowel not in unsure and suffix_vowel not in unsure:
        if (stem_vowel in _BACK and suffix_vowel in _FRONT) or (stem_vowel in _FRONT and suffix_vowel in _BACK):
            return False
    return True




SHORT_STEM = 3  # letters: most verb roots (ал-, бер-, чык-) are this short; nouns ending in -ат/-ет are longer
UNSEEN_MIN_STEM = 3  # a chain never met in training may not leave a two-letter stem (бишкек is not би-шкек)


def rule_key(suffix: str, stem: str) -> str:
    """The learned table's key: the chain, and whether the stem it leaves is short ("ет<" for бер-ет)."""
    return _rule_key(suffix, len(stem))


def _rule_key(suffix: str, stem_length: int) -> str:
    """`rule_key`, from the stem's length (the stemmer's choice asks it of every reading: no copy of the stem)."""
    return suffix + "<" if stem_length <= SHORT_STEM else suffix


VERBAL_SLOTS = frozenset({"voice", "neg", "tense", "person", "vn", "q"})
NOMINAL_SLOTS = frozenset({"pl", "p3", "p12", "ppl", "case", "c3", "c12"})  # inflection only: no derivation


def _verbal(parses: set[Parse]) -> bool:
    """Whether some analysis of a chain has verbal morphology."""
    return any(slot in VERBAL_SLOTS for parse in parses for slot, _ in parse)


def chain_features(word: str, n: int, parses: set[Parse]) -> list[str]:
    """What the ranker weighs when it reads `word` as a stem and an `n`-letter suffix chain (n = 0: no suffix).

    The chain itself, its outer and inner letters, the stem's last letters and length, and the chain's
    morphological analyses: slot sequence, each morph in its slot, the innermost slot against the stem. The
    backed-off features let evidence from one chain carry to chains never met in training.

    >>> chain_features("шаарларда", 5, {(("pl", "лар"), ("case", "да"))})[:3]
    ['c:ларда', 'cl:ларда|False', 'o1:а']
    """
    suffix, stem = (word[-n:], word[:-n]) if n else ("", word)
    length, short = min(len(stem), 7), len(stem) <= SHORT_STEM
    return (_chain_part(suffix, short) + _stem_part(suffix, stem[-2:], length)
            + _analysis_part(parses, short, stem[-1:]))


def _chain_part(suffix: str, short: bool) -> list[str]:
    """`chain_features`' features of the chain alone (and whether the stem is short)."""
    return [f"c:{suffix}", f"cl:{suffix}|{short}", f"o1:{suffix[-1:]}", f"o2:{suffix[-2:]}", f"o3:{suffix[-3:]}",
            f"i2:{suffix[:2]}", f"n:{min(len(suffix), 8)}"]


def _stem_part(suffix: str, end: str, length: int) -> list[str]:
    """Its features of the stem's last two letters (`end`) and its length up to 7, with the chain."""
    last = end[-1:]
    return [f"e1:{last}", f"e1c:{last}|{suffix}", f"e1i:{last}|{suffix[:2]}", f"e2:{end}", f"e2o:{end}|{suffix[:1]}",
            f"L:{length}", f"Ln:{length}|{min(len(suffix), 6)}"]


def _analysis_part(parses: set[Parse], short: bool, last: str) -> list[str]:
    """Its features of the chain's analyses, sorted (with whether the stem is short and its last letter)."""
    analyses: set[str] = set()
    for parse in parses:
        analyses.add("p:" + "-".join(slot for slot, _ in parse))
        for slot, morph in parse:
            analyses.update((f"m:{slot}={morph}", f"sl:{slot}"))
        if parse:
            inner = parse[0][0]
            analyses.update((f"in:{inner}|{short}", f"ine:{inner}|{last}", f"out:{parse[-1][0]}"))
    return sorted(analyses)


_RANKER_FILE = Path(__file__).with_name("kyrgyz_ranker.json")


SCORES_KEPT = 400_000  # (chain, stem ending, stem length) keys a stemmer keeps the ranker's score of
STEMMER_CACHE = 4096  # words a stemmer keeps the stem, keys and parses of (see KyrgyzStemmer.__init__)

# The alphabets the stemmer runs in, each with its own learned weights: the transform that maps Cyrillic into it.
ALPHABETS: dict[str, Callable[[str], str] | None] = {"plain": None, "fold": fold, "latin": latin_key}


@lru_cache(maxsize=None)
def _rankers() -> dict[str, dict[str, float]]:
    return json.loads(_RANKER_FILE.read_text(encoding="utf-8"))


def load_ranker(alphabet: str) -> dict[str, float]:
    """The learned weights for "plain", "fold" or "latin" text (`bench/tune_stemmer.py` writes them)."""
    return _rankers()[alphabet]


class KyrgyzStemmer:
    """Strip the Kyrgyz suffix chain that the grammar allows and the learned tables rank best.

    Candidates are the chains the slot patterns allow (`SuffixGrammar`) under consonant assimilation and vowel
    harmony; a stem keeps at least two letters and a vowel. Two things learned on the UD KTMU training split by
    `bench/tune_stemmer.py` choose among them:

    * a decision list (`kyrgyz_suffixes.NEVER`): the longest chain not forbidden, judged apart after a short stem
      (бер-ет, a verb) and a longer one (мамлекет, a noun); a chain never met in training needs a longer stem.
      Neither limit holds where the stem left is one of the short verb roots met in training (`ROOTS`: ал-ам,
      бол-чу), whose endings the ranker judges;
    * a ranker (`kyrgyz_ranker.json`): a linear score over `chain_features`, which weighs the stem's last letters
      and the chain's analyses as well as the chain. It chooses among the chains the decision list does not forbid,
      unless it would pass over a longer verb ending never met in training (first- and second-person endings, rare
      in news text): there the decision list decides.

    The stem then becomes a key: a voiced final г/б (аймагы, мектеби) is read as к/п (аймак, мектеп) and a final
    а/е/о/ө is dropped (ташта-ды, ташт-оо). `transform` maps the grammar into another alphabet (`fold` for text
    typed on a Russian keyboard, `latin_key` for Latin script); each alphabet has its own learned weights.

    >>> stem = KyrgyzStemmer()
    >>> [stem(w) for w in ("муниципалитеттерге", "муниципалитетинин", "муниципалитет")]
    ['муниципалитет', 'муниципалитет', 'муниципалитет']
    >>> stem("бишкекте"), stem("баткендеги"), stem("жер"), stem("аймагында"), stem("аймак")
    ('бишкек', 'баткен', 'жер', 'аймак', 'аймак')
    """

    def __init__(self, transform: Callable[[str], str] | None = None, min_stem: int = 2,
                 never: frozenset[str] | None = None, seen: frozenset[str] | None = None,
                 ranker: dict[str, float] | None = None, learning: bool = False,
                 roots: frozenset[str] | None = None) -> None:
        if never is None or seen is None or roots is None:
            from index import kyrgyz_suffixes as learned

            never = learned.NEVER if never is None else never
            seen = learned.SEEN if seen is None else seen
            roots = learned.ROOTS if roots is None else roots
        t = transform or (lambda s: s)
        self.roots = frozenset(t(r) for r in roots)
        self._longest_root = max(map(len, self.roots), default=0)
        self.grammar = SuffixGrammar(t)
        self.min_stem = min_stem
        self.vowels = {t(v) for v in VOWELS} | (set("aeiou") if transform is not None else set())
        # The letters `ch in self.vowels` finds (romanized я and ю are two letters: no one letter is them).
        self._vowel = re.compile("[" + "".join(re.escape(v) for v in sorted(self.vowels) if len(v) == 1) + "]")
        # While the tables are being learned every chain counts as met and nothing is ranked.
        self.seen = None if learning else frozenset(t(key) for key in seen)
        alphabet = next((name for name, t_ in ALPHABETS.items() if t_ is transform), None)
        self.ranker = ranker if ranker is not None or learning or alphabet is None else load_ranker(alphabet)
        # Folding merges chains (-лугу, forbidden, with -лүгү, allowed): forbid a merged chain only when no chain
        # that folds into it was accepted in training.
        self.never = frozenset(key for key in (t(k.rstrip("<")) + ("<" if k.endswith("<") else "") for k in never)
                               if transform is None or self.seen is None or key.rstrip("<") not in self.seen)
        self.alternation = {t(a): t(b) for a, b in _ALTERNATION.items()}
        self.droppable = {t(v) for v in "аеоө"}
        self.yot, self.fused = t("й"), {t("ю"): t("у"), t("я"): t("а")}
        # Romanized, ю and я are already й and a vowel (iu, ia).
        self.unfuse = None if transform is latin_key else re.compile(
            f"([{''.join(sorted(self.vowels))}])([{''.join(self.fused)}])")
        # Phonology needs Cyrillic: romanized text skips it, folded text treats о/у as of unknown backness.
        self.phonology = transform is None or transform is fold
        self.unsure = "оу" if transform is fold else ""
        # Small caches: `index.analysis.variant_keys` keeps each word's keys (400,000 words), so a word reaches the
        # stemmer about once, and a larger cache here only held memory (200,000 words each, in three alphabets:
        # about half a build's analysis worker, for hardly a hit: BENCHMARKS.md, ninth session). The ranked stem
        # and the extra keys both start from the grammar's parses, one right after the other: a few thousand
        # parses are enough to parse each word once.
        self._cached = lru_cache(maxsize=STEMMER_CACHE)(self._stem)
        self._keys = lru_cache(maxsize=STEMMER_CACHE)(self._keys_at_once)
        self._scores: dict[tuple[str, str, int], float] = {}  # `fast_score`'s, emptied at SCORES_KEPT
        self._parts: dict[tuple, list[float]] = {}  # `_weights`' parts, emptied with them
        self._parses = lru_cache(maxsize=STEMMER_CACHE)(lambda word: self.grammar.parses(word, self.min_stem))
        self._analyses = lru_cache(maxsize=STEMMER_CACHE)(self._analyzed)

    def __call__(self, word: str) -> str:
        return self._cached(word)

    def analyses(self, word: str) -> dict[int, set[Parse]]:
        """The suffix chains the grammar allows for `word` (length → analyses), leaving a stem with a vowel,
        with no suffix (0) among them. Kept for the last few thousand words, as the stem and the keys both ask (do
        not change what it gives)."""
        return self._analyses(word)

    def _analyzed(self, word: str) -> dict[int, set[Parse]]:
        return self._readings(word, self._parses(word))

    def _readings(self, word: str, parses: dict[int, set[Parse]]) -> dict[int, set[Parse]]:
        """`analyses` of `word` from the grammar's `parses` of it."""
        first = self._first_vowel(word)  # a stem word[:-n] has a vowel when first < len(word) - n
        found = {n: found for n, found in parses.items()
                 if first < len(word) - n
                 and (not self.phonology or phonology_allows(word[:-n], word[-n:], self.unsure))}
        found[0] = {()}
        return found

    def _first_vowel(self, word: str) -> int:
        """Where the first of `vowels` stands in `word` (its length if none does)."""
        found = self._vowel.search(word)
        return found.start() if found else len(word)

    def candidates(self, word: str) -> list[int]:
        """Suffix lengths the grammar allows for `word`, longest first (no suffix, 0, not included)."""
        return sorted((n for n in self.analyses(word) if n), reverse=True)

    def rooted(self, word: str, n: int) -> bool:
        """Whether stripping `n` letters leaves a short verb root met in training (ал-ам, бол-чу)."""
        if n == 0 or len(word) - n > self._longest_root:  # (the key keeps the stem's length, or it is no root)
            return False
        # A stem that loses a final vowel on the way (иште → ишт) is a longer, derived verb: not the root itself.
        stem = word[:-n]
        key = self.finish(stem, "")
        return len(key) == len(stem) and key in self.roots

    def score(self, word: str, n: int, parses: set[Parse]) -> float:
        """The ranker's score for stripping the last `n` letters of `word`."""
        weights = self.ranker or {}
        return sum(weights.get(feature, 0.0) for feature in chain_features(word, n, parses))

    def fast_score(self, word: str, n: int, parses: set[Parse]) -> float:
        """`score` of a reading `analyses` gives (`parses` is `analyses(word)[n]`), kept for what it depends on:
        `chain_features` reads only the chain, the stem's last two letters and its length up to 7, and the chain's
        analyses, and 500,000 distinct words share far fewer of those (the ranker was a third of stemming a new
        word). The analyses are not part of the key: the grammar finds them from the chain alone but for two
        things the key holds too, the letter before a question particle (the stem's last, at most) and whether the
        stem keeps `min_stem` letters (its length). A score not kept yet is added up from the weights of the
        features of the chain alone and of its analyses, each kept too (`_weights`), and of the stem's end.
        tests/test_stemmer.py holds `fast_score` equal to `score`."""
        size = len(word) - n  # the stem's
        key = (word[size:], word[max(size - 2, 0):size], min(size, 7))
        score = self._scores.get(key)
        if score is None:
            if len(self._scores) >= SCORES_KEPT:
                self._scores.clear()
                self._parts.clear()
            score = self._scores[key] = sum(self._weights(key, parses))
        return score

    def _weights(self, key: tuple[str, str, int], parses: set[Parse]) -> list[float]:
        """The ranker's weights of `chain_features` of a reading, in their order (`score` adds them up in it), from
        `fast_score`'s key: those of the chain's features and of its analyses' kept by the chain, whether the stem
        is short and its last letter (all its analyses depend on), the stem end's worked out (kept by what they
        depend on, they came out no faster: BENCHMARKS.md, twenty-first session)."""
        suffix, end, length = key
        weights, parts = self.ranker or {}, self._parts
        short, last = length <= SHORT_STEM, end[-1:]
        chain = parts.get((suffix, short))
        if chain is None:
            chain = parts[suffix, short] = [weights.get(feature, 0.0) for feature in _chain_part(suffix, short)]
        analyses = parts.get((suffix, short, last))
        if analyses is None:
            analyses = parts[suffix, short, last] = [
                weights.get(feature, 0.0) for feature in _analysis_part(parses, short, last)]
        return chain + [weights.get(feature, 0.0) for feature in _stem_part(suffix, end, length)] + analyses

    def strip(self, word: str) -> tuple[str, str]:
        """Return (stem before alternation, suffix) for the chosen suffix."""
        chosen = self._chosen(word, self.analyses(word))
        return (word[:-chosen], word[-chosen:]) if chosen else (word, "")

    def _chosen(self, word: str, analyses: dict[int, set[Parse]]) -> int:
        """How many letters `strip` strips, given the word's `analyses`."""
        eligible = []
        for n in sorted(analyses, reverse=True):
            suffix, size = word[len(word) - n:], len(word) - n
            if n == 0 or self.rooted(word, n) or (
                    _rule_key(suffix, size) not in self.never
                    and (self.seen is None or suffix in self.seen or size >= UNSEEN_MIN_STEM)):
                eligible.append(n)
        chosen = eligible[0]  # the decision list: the longest chain it does not forbid
        if self.ranker and self.seen is not None and len(eligible) > 1:  # (of one reading, the ranker picks it)
            # The highest (score, n), as `max` with a key finds it, without a call of the key for each.
            ranked, best = -1, 0.0
            for n in eligible:
                score = self.fast_score(word, n, analyses[n])
                if ranked < 0 or score > best or (score == best and n > ranked):
                    ranked, best = n, score
            # The ranker has little evidence on verb endings never met in training (first and second person, rare
            # in news text): it may not pass over a longer one of those.
            if all(n <= ranked or word[-n:] in self.seen or not _verbal(analyses[n]) for n in eligible):
                chosen = ranked
        return chosen

    def keys(self, word: str) -> tuple[str, ...]:
        """Every key a word is indexed and searched under: the ranked stem first, then the word itself read as a
        stem, then each stem that stripping only nominal inflection (plural, possessive, case) leaves.

        One stem per word cannot serve a bare noun and its forms at once: мектеп reads like иште-п, шайлоо-лор like
        шай-л-оо-лор. The extra readings meet at the bare word: whatever the ranker picks, the bare noun and every
        plural, possessive and case form of it share a key (`bench/cohesion.py` measures it).

        >>> stem = KyrgyzStemmer()
        >>> stem.keys("мектеп"), stem.keys("мектептерде")[:2]
        (('мект', 'мектеп'), ('мектеп', 'мектептерд'))
        """
        return self._keys(word)

    def _all_keys(self, word: str) -> tuple[str, ...]:
        keys = [self(word)] + [self.finish(stem.rstrip("ьъ") or stem, "")  # a loan's soft sign: январь, январ-да
                               for stem in self._nominal_stems(word, self.analyses(word), self._parses)]
        return tuple(dict.fromkeys(keys))

    def _nominal_stems(self, word: str, analyses: dict[int, set[Parse]],
                       parses_of: Callable[[str], dict[int, set[Parse]]]) -> list[str]:
        """The word itself, and each stem that stripping only nominal inflection leaves (`keys`), given its
        `analyses` and the grammar's parses of a spelling (`parses_of`)."""
        stems = [word]
        for spelling in dict.fromkeys((word, self.unfused(word))):
            first = self._first_vowel(spelling)
            # The word's own chains that phonology allows after a stem with a vowel are its `analyses`, which the
            # ranked stem has just found: asked again only of the other spelling.
            allowed = analyses if spelling == word else None
            for n, parses in sorted(parses_of(spelling).items()):
                stem = spelling[:-n]
                if not any(all(slot in NOMINAL_SLOTS for slot, _ in parse) for parse in parses):
                    continue
                if first >= len(stem):  # no vowel in the stem
                    # No vowel before the ending, and the ending opens with a consonant: an acronym typed in lower
                    # case (вднх-тан, жкккбб-ды), whose capitals would have told the analyzer as much.
                    if spelling[len(stem)] not in self.vowels:
                        stems.append(stem)
                elif (n in allowed) if allowed is not None else \
                        (not self.phonology or phonology_allows(stem, spelling[-n:], self.unsure)):
                    stems.append(stem)
        return stems

    def _keys_at_once(self, word: str) -> tuple[str, ...]:
        """`_all_keys`, with the ranked stem it begins with (`strip`), in one pass: the grammar's parses, the readings
        phonology allows and the choice among them worked out once each, not asked of the small caches between the
        steps (`analyses`, the parses, the stem), whose look-ups and misses were a fifth of stemming a new word.
        tests/test_stemmer.py holds it equal to `_all_keys`."""
        parses = self.grammar.parses(word, self.min_stem)
        analyses = self._readings(word, parses)
        chosen = self._chosen(word, analyses)
        ranked = self.finish(word[:-chosen], word[-chosen:]) if chosen else self.finish(word, "")
        def parses_of(spelling: str) -> dict[int, set[Parse]]:  # the word's own parses, found above
            return parses if spelling == word else self.grammar.parses(spelling, self.min_stem)

        stems = self._nominal_stems(word, analyses, parses_of)
        return tuple(dict.fromkeys([ranked] + [self.finish(stem.rstrip("ьъ") or stem, "") for stem in stems]))

    def unfused(self, word: str) -> str:
        """й and a vowel after a vowel are spelt as one letter (той-у → тою): the spelling the grammar also reads, with
        them written out (тойу)."""
        return self.unfuse.sub(lambda m: m[1] + self.yot + self.fused[m[2]], word) if self.unfuse else word

    def finish(self, stem: str, suffix: str) -> str:
        """Make the stem a conflation key: drop a final а/е/о/ө, read a voiced final г/б as к/п.

        Vowel-final verb stems lose their vowel before some endings (ташта-ды but ташт-оо, ташт-армын), so the key
        never keeps it; аймагы and мектеби have voiced the к/п of аймак and мектеп.
        """
        if len(stem) > 3 and stem[-1] in self.droppable:
            stem = stem[:-1]
        if len(stem) > 2 and stem[-1] in self.alternation:
            stem = stem[:-1] + self.alternation[stem[-1]]
        return stem

    def _stem(self, word: str) -> str:
        return self.finish(*self.strip(word))


def split_acronym(surface: str) -> tuple[str, str] | None:
    """Split an acronym with a case suffix at the case boundary: ЖӨБдүн → (ЖӨБ, дүн).

    >>> split_acronym("ЖӨБдүн"), split_acronym("БАЖБАнын"), split_acronym("Бишкек")
    (('ЖӨБ', 'дүн'), ('БАЖБА', 'нын'), None)
    """
    match = _ACRONYM.fullmatch(surface)
    return (match.group(1), match.group(2)) if match else None


_ACRONYM = re.compile(r"([А-ЯЁӨҮҢ]{2,})([а-яёөүң]+)")

"""Generate the nominal paradigm of a Kyrgyz noun: plural, possessives, the six cases and their combinations.

Written from the morphophonology the stemmer's grammar encodes (`index/kyrgyz.py`), but as a generator rather than
a parser: each suffix is a template of archiphonemes that the stem it joins decides.

* ``A`` a low vowel: а after а/ы/у (у does not round a low vowel: уул-дар), е after е/и, о after о, ө after ө/ү;
* ``I`` a high vowel: ы after а/ы, и after е/и, у after о/у, ү after ө/ү;
* ``L`` the plural's consonant: л after a vowel, й or р, д after other voiced consonants, т after voiceless ones;
* ``N`` genitive and accusative: н after a vowel, д after a consonant that is not voiceless, т after a voiceless one;
* ``D`` locative and ablative: д, or т after a voiceless consonant; ``G`` dative: г, or к after a voiceless one.

A final к or п of a word of two or more syllables voices before a vowel (аймак → аймагы, мектеп → мектеби).

    >>> paradigm("мектеп")["pl+case:dat"], paradigm("аймак")["p3+case:loc"], paradigm("үй")["p1sg+case:dat"]
    ('мектептерге', 'аймагында', 'үйүмө')

`python bench/paradigms.py --check` compares the generated forms with the forms that occur in the gold data.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VOWELS = "аеёиоөуүыэюя"
VOICELESS = set("кпстфхцчшщ")
_LOW = {"а": "а", "ы": "а", "я": "а", "у": "а", "ю": "а", "е": "е", "и": "е", "э": "е", "о": "о", "ё": "о",
        "ө": "ө", "ү": "ө"}
_HIGH = {"а": "ы", "ы": "ы", "я": "ы", "у": "у", "ю": "у", "о": "у", "ё": "у", "е": "и", "и": "и", "э": "и",
         "ө": "ү", "ү": "ү"}

# Possessives: (name, after a consonant, after a vowel).
POSSESSIVES = (("p1sg", "Iм", "м"), ("p2sg", "Iң", "ң"), ("p2sg.pol", "IңIз", "ңIз"), ("p3", "I", "сI"),
               ("p1pl", "IбIз", "бIз"), ("p2pl", "IңAр", "ңAр"))
# The six cases; after a 3rd-person possessive the n-forms, after a 1st/2nd singular one the dative is -A.
CASES = (("gen", "NIн"), ("dat", "GA"), ("acc", "NI"), ("loc", "DA"), ("abl", "DAн"))
CASES_AFTER_3 = {"gen": "нIн", "dat": "нA", "acc": "н", "loc": "ндA", "abl": "нAн"}
SLOTS = ("plural", "possessive", "case")


def _last_vowel(word: str) -> str:
    return next((ch for ch in reversed(word) if ch in VOWELS), "а")


def _last_sound(word: str) -> str:
    return next((ch for ch in reversed(word) if ch not in "ьъ"), "")


def _syllables(word: str) -> int:
    return sum(ch in VOWELS for ch in word)


def attach(stem: str, template: str) -> str:
    """Join a suffix template (archiphonemes A, I, L, N, D, G) to `stem` under harmony and assimilation.

    >>> attach("китеп", "LAр"), attach("шаар", "LAр"), attach("айыл", "NIн"), attach("үй", "LAр"), attach("той", "I")
    ('китептер', 'шаарлар', 'айылдын', 'үйлөр', 'тою')
    >>> attach("апрель", "GA"), attach("сентябрь", "DA")
    ('апрелге', 'сентябрда')
    """
    stem = stem.rstrip("ьъ")  # a loan's soft sign goes before an ending: апрель → апрелге, сентябрь → сентябрда
    last = _last_sound(stem)
    vowel_end = last in VOWELS
    if template[0] in "AI" and not vowel_end and last in "кп" and _syllables(stem) >= 2:
        stem = stem[:-1] + {"к": "г", "п": "б"}[last]  # аймак-ы → аймагы
    out = stem
    for ch in template:
        sound = _last_sound(out)
        if ch == "A":
            out += _LOW[_last_vowel(out)]
        elif ch == "I":
            out += _HIGH[_last_vowel(out)]
        elif ch == "L":
            out += "л" if sound in VOWELS or sound in "йр" else ("т" if sound in VOICELESS else "д")
        elif ch == "N":
            out += "н" if sound in VOWELS else ("т" if sound in VOICELESS else "д")
        elif ch == "D":
            out += "т" if sound in VOICELESS else "д"
        elif ch == "G":
            out += "к" if sound in VOICELESS else "г"
        else:
            out += ch
    joined = out[len(stem):len(stem) + 1]
    if stem.endswith("й") and joined in ("у", "а"):  # й before у or а is spelt ю, я: той-у → тою
        out = out[:len(stem) - 1] + {"у": "ю", "а": "я"}[joined] + out[len(stem) + 1:]
    return out


def inflect(lemma: str, plural: bool = False, possessive: str | None = None, case: str | None = None) -> str:
    """One form of `lemma`: optionally plural, then a possessive (a name from POSSESSIVES), then a case.

    >>> inflect("мектеп", True, None, "dat"), inflect("аймак", False, "p3", "loc"), inflect("үй", False, "p1sg", "dat")
    ('мектептерге', 'аймагында', 'үйүмө')
    """
    form = attach(lemma, "LAр") if plural else lemma
    if possessive:
        _, after_consonant, after_vowel = next(p for p in POSSESSIVES if p[0] == possessive)
        vowel_end = _last_sound(lemma) in VOWELS and not plural
        form = attach(form, after_vowel if vowel_end else after_consonant)
    if case:
        template = dict(CASES)[case]
        if possessive == "p3":
            template = CASES_AFTER_3[case]
        elif possessive in ("p1sg", "p2sg") and case == "dat":
            template = "A"
        form = attach(form, template)
    return form


def paradigm(lemma: str) -> dict[str, str]:
    """Every plural, possessive and case form of `lemma` and their combinations, by slot name (nominative singular
    left out: that is the lemma)."""
    forms: dict[str, str] = {}
    for plural in (False, True):
        for possessive in (None, *(name for name, _, _ in POSSESSIVES)):
            name = "+".join(part for part in ("pl" if plural else "", possessive or "") if part)
            if name:
                forms[name] = inflect(lemma, plural, possessive)
            for case, _ in CASES:
                forms[(name + "+" if name else "") + "case:" + case] = inflect(lemma, plural, possessive, case)
    return forms


def slot_of(name: str) -> str:
    """Which slot a paradigm cell is reported under: its innermost inflection (plural, possessive or case)."""
    if name.startswith("pl"):
        return "plural"
    if name.startswith("p"):
        return "possessive"
    return "case"


def gold_pairs(data: Path) -> list[tuple[str, str]]:
    """(form, lemma) of every noun, proper noun and adjective token of UD KTMU train and test, normalized."""
    from index.analysis import normalize_word
    from stemmer import NOMINAL, read_conllu

    pairs = []
    for split in ("train", "test"):
        for _, words in read_conllu(data / "ud-kyrgyz-ktmu" / f"ky_ktmu-ud-{split}.conllu"):
            pairs.extend((normalize_word(f), normalize_word(l)) for f, l, u in words if u in NOMINAL)
    return [(f, l) for f, l in pairs if f.isalpha() and l.isalpha()]


def check(data: Path) -> dict[str, float]:
    """How well the generator agrees with the gold data.

    * recall: of the gold inflected forms that are a lemma plus plural/possessive/case morphology (the form starts
      with the lemma's first letters and the gold lemma is a word the generator is given), the share generated;
    * precision: of the generated forms that occur anywhere in the gold data, the share the gold gives this lemma.
    """
    pairs = gold_pairs(data)
    lemma_of: dict[str, Counter] = defaultdict(Counter)
    for form, lemma in pairs:
        lemma_of[form][lemma] += 1
    lemmas = {lemma for _, lemma in pairs}
    generated = {lemma: set(paradigm(lemma).values()) for lemma in lemmas}
    inflected = {(f, l) for f, l in pairs if f != l and f.startswith(l[:max(1, len(l) - 1)])}
    found = sum(f in generated[l] for f, l in inflected)
    attested = [(form, lemma) for lemma, forms in generated.items() for form in forms if form in lemma_of]
    right = sum(lemma in lemma_of[form] for form, lemma in attested)
    return {"gold inflected forms": len(inflected), "generated": found / len(inflected),
            "generated forms attested": len(attested), "attested with this lemma": right / len(attested)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / "data")
    parser.add_argument("--check", action="store_true", help="compare generated forms with the gold data's")
    parser.add_argument("words", nargs="*", help="print the paradigm of these words")
    args = parser.parse_args(argv)
    for word in args.words:
        for name, form in paradigm(word).items():
            print(f"{name}\t{form}")
    if args.check:
        for key, value in check(args.data).items():
            print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

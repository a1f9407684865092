"""Paradigm cohesion and alphabet agreement of the index keys, through the real analyzer.

1. **Cohesion.** For every noun, proper noun and adjective lemma of UD KTMU (train and test), every UniMorph lemma
   (verbal nouns such as айдоо) and the 500 most frequent Kyrgyz words of the sample and generated archives, generate
   its plural, possessive and case forms and their combinations (`paradigms.py`), and count the forms that share an
   index key with the bare lemma — in each alphabet: Cyrillic (the stem field), typed on a Russian keyboard (the
   fold field, lemma and form both without ү/ө/ң) and in Latin letters (the latin field, lemma and form both
   romanized by ICU, and both typed informally). "Ranked stem only" is what one key per word gave (the index before
   several keys per word).
2. **Agreement.** For every word type of the gold data (KTMU train and test, any part of speech, and UniMorph), does
   the word typed without ү/ө/ң, or in Latin letters, get a key its Cyrillic spelling gets in that field? Reported
   two ways: sharing any key (what search needs) and the Cyrillic ranked stem, folded or romanized, being one of the
   typed word's keys (the keys derived from the Cyrillic analysis).

    python bench/cohesion.py [--data bench/data] [--lemmas N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from index.analysis import analyze, normalize_word  # noqa: E402
from index.kyrgyz import fold, latin_key  # noqa: E402
from index.stopwords import is_stop_word  # noqa: E402
from paradigms import SLOTS, VOWELS, paradigm, slot_of  # noqa: E402
from spellings import icu_latin, russian_keyboard, typed_latin  # noqa: E402
from stemmer import NOMINAL, read_conllu  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = Path(__file__).resolve().parent.parent / "index" / "sample"
# alphabet → (how the word is written, which field's keys it gets)
ALPHABETS = {"Cyrillic": (lambda w: w, "stem"), "folded": (russian_keyboard, "fold"),
             "Latin (ICU)": (icu_latin, "latin"), "Latin (typed)": (typed_latin, "latin")}


def _cyrillic_word(word: str) -> bool:
    return len(word) >= 2 and all("а" <= ch <= "я" or ch in "ёөүң" for ch in word)


def frequent_words(n: int = 500) -> list[str]:
    """The `n` most frequent Kyrgyz words (not stop words, 3+ letters) of the sample and generated archives."""
    from index.archive import read_archive

    counts: Counter = Counter()
    texts = [(a.title + "\n" + a.body) for a in read_archive([SAMPLE]).articles if a.language == "ky"]
    # The generated archive (bench/search.py) is made of the treebank's sentences.
    texts += [text for split in ("train", "test")
              for text, _ in read_conllu(DATA / "ud-kyrgyz-ktmu" / f"ky_ktmu-ud-{split}.conllu")]
    for text in texts:
        counts.update(t.text for t in analyze(text) if t.language == "ky" and len(t.text) >= 3
                      and _cyrillic_word(t.text) and not is_stop_word(t.text))
    return [w for w, _ in counts.most_common(n)]


def lemma_sets(data: Path = DATA, frequent: bool = True) -> dict[str, list[str]]:
    """The lemmas whose paradigms are generated, by where they come from (`frequent`: with the archive words)."""
    ktmu = set()
    for split in ("train", "test"):
        for _, words in read_conllu(data / "ud-kyrgyz-ktmu" / f"ky_ktmu-ud-{split}.conllu"):
            ktmu.update(normalize_word(lemma) for _, lemma, upos in words if upos in NOMINAL)
    rows = [line.split("\t") for line in (data / "unimorph-kir" / "kir.tsv").read_text("utf-8").splitlines()]
    unimorph = {normalize_word(r[0]) for r in rows if len(r) > 1 and " " not in r[0]}
    sets = {"KTMU nouns, proper nouns, adjectives": sorted(w for w in ktmu if _cyrillic_word(w)),
            "UniMorph lemmas": sorted(w for w in unimorph if _cyrillic_word(w))}
    if frequent:
        sets["500 frequent archive words"] = frequent_words()
    return sets


def surface(lemma: str, form: str) -> str:
    """How the form is written: an acronym (a lemma without a vowel: кмш, рф) in capitals, its ending not."""
    if any(ch in VOWELS for ch in lemma):
        return form
    return lemma.upper() + form[len(lemma):]


@lru_cache(maxsize=None)
def keys(written: str, field: str) -> tuple[str, ...] | None:
    """The keys a one-word text gets in a variant field; None if it is not one word."""
    tokens = analyze(written)
    return tokens[0].keys(field) if len(tokens) == 1 else None


def cohesion(lemmas: list[str], primary_only: bool = False) -> dict[str, dict[str, tuple[int, int]]]:
    """alphabet → slot (and "all") → (forms sharing a key with the lemma, forms)."""
    out: dict[str, dict[str, list[int]]] = {a: defaultdict(lambda: [0, 0]) for a in ALPHABETS}
    for lemma in lemmas:
        cells = paradigm(lemma)
        for alphabet, (write, field) in ALPHABETS.items():
            base = keys(write(surface(lemma, lemma)), field)
            if base is None:
                continue
            base = set(base[:1] if primary_only else base)
            for name, form in cells.items():
                found = keys(write(surface(lemma, form)), field)
                if found is None:
                    continue
                hit = bool(base & set(found[:1] if primary_only else found))
                for slot in (slot_of(name), "all"):
                    out[alphabet][slot][0] += hit
                    out[alphabet][slot][1] += 1
    return {a: {s: tuple(v) for s, v in slots.items()} for a, slots in out.items()}


def gold_word_types(data: Path = DATA) -> list[str]:
    types = set()
    for split in ("train", "test"):
        for _, words in read_conllu(data / "ud-kyrgyz-ktmu" / f"ky_ktmu-ud-{split}.conllu"):
            types.update(form for form, _, _ in words)
    rows = [line.split("\t") for line in (data / "unimorph-kir" / "kir.tsv").read_text("utf-8").splitlines()]
    types.update(r[1] for r in rows if len(r) > 1 and " " not in r[1])
    # Normalized: UniMorph writes Latin look-alike letters inside Cyrillic words (aйдap), which no typist does.
    return sorted({w for w in map(normalize_word, types) if _cyrillic_word(w)})


DERIVE = {"fold": fold, "latin": latin_key}


def agreement(words: list[str]) -> dict[str, tuple[int, int, int]]:
    """spelling → (types sharing a key with the Cyrillic spelling, types whose keys include the Cyrillic ranked stem
    folded or romanized, types)."""
    out = {}
    for name, (write, field) in ALPHABETS.items():
        if field == "stem":
            continue
        share = derived = total = 0
        for word in words:
            cyrillic, typed = keys(word, field), keys(write(word), field)
            stem = keys(word, "stem")
            if cyrillic is None or typed is None:
                continue
            total += 1
            share += bool(set(cyrillic) & set(typed))
            derived += DERIVE[field](stem[0]) in typed
        out[name] = (share, derived, total)
    return out


def _pct(pair) -> str:
    hit, total = pair[0], pair[-1]
    return f"{100 * hit / total:.1f} %" if total else "–"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--lemmas", type=int, default=0, help="only every N-th lemma (a quick look)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sets = lemma_sets(args.data)
    if args.lemmas:
        sets = {k: v[::args.lemmas] for k, v in sets.items()}
    every = sorted({w for v in sets.values() for w in v})
    print(f"Lemmas: {len(every)} (" + ", ".join(f"{k} {len(v)}" for k, v in sets.items())
          + f"); {len(paradigm('үй'))} forms each")
    print()
    print("| keys | alphabet | all forms | " + " | ".join(SLOTS) + " |")
    print("|---|---|---|" + "---|" * len(SLOTS))
    for label, primary in (("ranked stem only (one key a word)", True), ("**Izde index keys**", False)):
        result = cohesion(every, primary_only=primary)
        for alphabet, slots in result.items():
            cells = " | ".join(_pct(slots.get(s, (0, 0))) for s in SLOTS)
            print(f"| {label} | {alphabet} | **{_pct(slots['all'])}** | {cells} |")
    print()
    for source, lemmas in sets.items():
        result = cohesion(lemmas)
        print(f"{source}: " + ", ".join(f"{a} {_pct(s['all'])}" for a, s in result.items()))
    print()
    words = gold_word_types(args.data)
    print(f"Alphabet agreement over {len(words)} gold word types:")
    print()
    print("| typed | shares a key with the Cyrillic spelling | has the Cyrillic ranked stem, folded or romanized |")
    print("|---|---|---|")
    for name, (share, derived, total) in agreement(words).items():
        print(f"| {name} | **{_pct((share, total))}** | {_pct((derived, total))} |")
    print()
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

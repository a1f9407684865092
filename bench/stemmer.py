"""Measure Kyrgyz stemmers against gold lemmas: conflation precision, recall and F1 over word types.

For each word type (lowercased, Latin look-alikes mapped to Cyrillic) take its most frequent gold lemma; then
precision is the share of same-stem pairs that share a lemma, recall the share of same-lemma pairs that share a
stem. Reported separately for NOUN+PROPN+ADJ and for VERB on UD Kyrgyz-KTMU test (sentences also in train
removed), and on UniMorph Kyrgyz verb paradigms.

    python bench/stemmer.py [--data ../shared/data] [--split test|train] [--markdown]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.analysis import normalize_word  # noqa: E402
from index.kyrgyz import KyrgyzStemmer  # noqa: E402

NOMINAL = {"NOUN", "PROPN", "ADJ"}
VERB = {"VERB"}


def read_conllu(path: Path) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Return (sentence text, [(form, lemma, upos)]) for each sentence of a CoNLL-U file."""
    sentences, text, words = [], "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# text ="):
            text = line.split("=", 1)[1].strip()
        elif not line.strip():
            if words:
                sentences.append((text, words))
            text, words = "", []
        elif not line.startswith("#"):
            cols = line.split("\t")
            if cols[0].isdigit():
                words.append((cols[1], cols[2], cols[3]))
    if words:
        sentences.append((text, words))
    return sentences


def gold_types(pairs) -> dict[str, str]:
    """Map each normalized form to its most frequent normalized gold lemma."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for form, lemma in pairs:
        form, lemma = normalize_word(form), normalize_word(lemma)
        if form and any(ch.isalpha() for ch in form):
            counts[form][lemma] += 1
    return {form: c.most_common(1)[0][0] for form, c in counts.items()}


def conflation(types: dict[str, str], stem) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of `stem` against the gold lemma of each type."""
    by_stem, by_lemma, by_both = Counter(), Counter(), Counter()
    for form, lemma in types.items():
        s = stem(form)
        by_stem[s] += 1
        by_lemma[lemma] += 1
        by_both[(s, lemma)] += 1
    both = sum(comb(n, 2) for n in by_both.values())
    same_stem = sum(comb(n, 2) for n in by_stem.values())
    same_lemma = sum(comb(n, 2) for n in by_lemma.values())
    p = both / same_stem if same_stem else 1.0
    r = both / same_lemma if same_lemma else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def key_conflation(types: dict[str, str], keys) -> tuple[float, float, float]:
    """Like `conflation`, for words with several keys (the index's): a pair is conflated when it shares any key."""
    by_key: dict[str, set[str]] = defaultdict(set)
    word_keys = {form: set(keys(form)) for form in types}
    for form, ks in word_keys.items():
        for k in ks:
            by_key[k].add(form)
    same = both = 0
    for form, ks in word_keys.items():
        others = set().union(*(by_key[k] for k in ks)) - {form}
        same += len(others)
        both += sum(types[o] == types[form] for o in others)
    same_lemma = 2 * sum(comb(n, 2) for n in Counter(types.values()).values())  # ordered pairs, as `same`
    p = both / same if same else 1.0
    r = both / same_lemma if same_lemma else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def datasets(data: Path, split: str) -> dict[str, dict[str, str]]:
    ktmu = data / "ud-kyrgyz-ktmu"
    train = read_conllu(ktmu / "ky_ktmu-ud-train.conllu")
    if split == "train":
        sentences = train
    else:
        seen = {text for text, _ in train}
        sentences = [s for s in read_conllu(ktmu / "ky_ktmu-ud-test.conllu") if s[0] not in seen]
    words = [w for _, ws in sentences for w in ws]
    out = {
        f"KTMU {split} NOUN+PROPN+ADJ": gold_types((f, l) for f, l, u in words if u in NOMINAL),
        f"KTMU {split} VERB": gold_types((f, l) for f, l, u in words if u in VERB),
    }
    unimorph = data / "unimorph-kir" / "kir.tsv"
    if unimorph.exists():
        rows = [line.split("\t") for line in unimorph.read_text(encoding="utf-8").splitlines() if "\t" in line]
        # Multi-word entries (сунуш кылуу) are left out: the stemmer sees one word at a time.
        out["UniMorph verbs"] = gold_types((r[1], r[0]) for r in rows if " " not in r[0] + r[1])
    return out


def stemmers() -> dict[str, object]:
    return {
        "no stemming": lambda w: w,
        "truncate to 4": lambda w: w[:4],
        "truncate to 5": lambda w: w[:5],
        "truncate to 6": lambda w: w[:6],
        "Izde, decision list alone (no ranker)": KyrgyzStemmer(ranker={}),
        "Izde Kyrgyz stemmer": KyrgyzStemmer(),
    }


INDEX_KEYS = "Izde index keys (ranked stem + the word + nominal readings; a pair conflates if it shares any key)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / "data")
    parser.add_argument("--split", choices=["test", "train"], default="test")
    args = parser.parse_args(argv)
    sets = datasets(args.data, args.split)
    header = "| stemmer | " + " | ".join(f"{name} P / R / **F1**" for name in sets) + " |"
    print(header)
    print("|---" * (len(sets) + 1) + "|")
    for name, stem in stemmers().items():
        cells = []
        for types in sets.values():
            p, r, f = conflation(types, stem)
            cells.append(f"{p:.2f} / {r:.2f} / **{f:.3f}**")
        print(f"| {name} | " + " | ".join(cells) + " |")
    index_keys = KyrgyzStemmer().keys
    cells = ["{:.2f} / {:.2f} / **{:.3f}**".format(*key_conflation(types, index_keys)) for types in sets.values()]
    print(f"| {INDEX_KEYS} | " + " | ".join(cells) + " |")
    print()
    print("Word types: " + ", ".join(f"{name} {len(types)}" for name, types in sets.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

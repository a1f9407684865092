"""Learn the Kyrgyz stemmer's tables from the UD KTMU *training* split (the test split is never read here).

1. A decision list, longest chain first: for every chain the slot grammar allows on some training word, strip it
   from each training word it would apply to (words a longer accepted chain already took are left out) and compare
   the stem with the word's gold lemma. A chain that does clearly more harm (a bare noun's letters read as an
   ending, a stem cut below its lemma) than good is written to index/kyrgyz_suffixes.py as NEVER.
2. Short verb roots (ал, бол, чык …): the lemmas of at least two training verb forms, written there as ROOTS. A
   chain that leaves one is never forbidden by the decision list; the ranker judges it. (As a ranker feature too,
   a known root cost verbs of unseen lemmas more than it gained: cross-validation, BENCHMARKS.md.)
3. A ranker: an averaged perceptron over `index.kyrgyz.chain_features` that learns, for each training word, to
   put a candidate whose stem is the gold lemma's above the others; one weight table per alphabet (plain Cyrillic,
   folded, Latin key), written to index/kyrgyz_ranker.json.

    python bench/tune_stemmer.py [--data bench/data] [--out index/kyrgyz_suffixes.py]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.kyrgyz import ALPHABETS, SHORT_STEM, KyrgyzStemmer, chain_features, rule_key  # noqa: E402
from stemmer import NOMINAL, VERB, gold_types, read_conllu  # noqa: E402

POS = NOMINAL | VERB
MARGIN = 1
# The ranker's training. Chosen by cross-validation on the training split, whole lemmas held out and whole
# sentences held out: 5 passes; verb-only types counted 3 times, since verbs are a quarter of the training types
# but share most features (-ды, -ган) with nouns, and without the weight the ranker learns to leave them whole.
EPOCHS = 5
VERB_WEIGHT = 3
# A short verb root must be the lemma of this many training forms (cross-validation: 1, 2, 3 and 5 tried).
ROOT_FORMS = 2


def training_types(train) -> tuple[dict[str, str], set[str]]:
    """The training word types (form → most frequent lemma) and the forms only ever tagged VERB."""
    types = gold_types((f, l) for _, words in train for f, l, u in words if u in POS)
    nominal = gold_types((f, l) for _, words in train for f, l, u in words if u in NOMINAL)
    return types, set(types) - set(nominal)


def learn(types: dict[str, str]) -> tuple[set[str], dict[str, tuple[int, float, int]]]:
    """Return the chains to forbid, and for every chain met its (words, good, bad) counts."""
    stemmer = KyrgyzStemmer(never=frozenset(), learning=True, roots=frozenset())
    gold = {form: stemmer.finish(lemma, "") for form, lemma in types.items()}
    by_suffix: dict[str, list[str]] = defaultdict(list)
    for form in types:
        for n in stemmer.candidates(form):
            by_suffix[rule_key(form[-n:], form[:-n])].append(form)
    taken: set[str] = set()
    never: set[str] = set()
    stats = {}
    for key in sorted(by_suffix, key=lambda k: (-len(k.rstrip("<")), k)):
        suffix = key.rstrip("<")
        forms = [f for f in by_suffix[key] if f not in taken]
        if not forms:
            continue
        good = bad = 0.0
        for form in forms:
            stem = stemmer.finish(form[:-len(suffix)], suffix)
            if stem == gold[form]:
                good += 1
            elif stem.startswith(gold[form]) and len(stem) > len(gold[form]):
                good += 0.5  # still longer than the lemma: a step in the right direction
            else:
                bad += 1
        stats[key] = (len(forms), good, bad)
        # Forbid a chain only when it clearly does harm (by more than one word). Cross-validation on the
        # training split (whole lemmas held out) rated margins 1 and 2, with and without the short/long stem
        # split, within 0.01 of each other; margin 1 with the split is the one that keeps bare nouns whole
        # (муниципалитет, not муниципалит), which search needs most.
        if bad > good + MARGIN:
            never.add(key)
        else:
            taken.update(forms)
    return never, stats


def learn_roots(types: dict[str, str], verbs: set[str]) -> set[str]:
    """The short verb roots (at most SHORT_STEM letters) that are the lemma of at least ROOT_FORMS verb forms."""
    finish = KyrgyzStemmer(never=frozenset(), learning=True, roots=frozenset()).finish
    counts = Counter(finish(types[form], "") for form in verbs)
    return {root for root, n in counts.items() if n >= ROOT_FORMS and len(root) <= SHORT_STEM}


def learn_ranker(types: dict[str, str], verbs: set[str], transform=None) -> dict[str, float]:
    """Averaged-perceptron weights over `chain_features` for the stemmer in `transform`'s alphabet.

    For every training word, the candidates are the grammar's chains and no chain; the right ones leave the gold
    lemma's stem. When the best-scoring candidate is wrong, the best-scoring right one gains its features' weights
    and the wrong one loses them. Words whose lemma no candidate reaches teach nothing and are left out.
    """
    t = transform or (lambda s: s)
    stemmer = KyrgyzStemmer(transform, never=frozenset(), learning=True, roots=frozenset())
    examples = []
    for form, lemma in types.items():
        word, gold = t(form), stemmer.finish(t(lemma), "")
        analyses = stemmer.analyses(word)
        right = {n for n in analyses if stemmer.finish(word[:-n] if n else word, "") == gold}
        if right:
            features = {n: chain_features(word, n, parses) for n, parses in analyses.items()}
            examples += [(features, right)] * (VERB_WEIGHT if form in verbs else 1)
    weights: dict[str, float] = defaultdict(float)
    totals: dict[str, float] = defaultdict(float)  # the running sum of each weight over steps, for averaging
    stamp: dict[str, int] = defaultdict(int)
    step = 1

    def update(feature: str, delta: int) -> None:
        totals[feature] += (step - stamp[feature]) * weights[feature]
        stamp[feature] = step
        weights[feature] += delta

    rng = random.Random(0)
    for _ in range(EPOCHS):
        rng.shuffle(examples)
        for features, right in examples:
            score = {n: sum(weights[f] for f in fs) for n, fs in features.items()}
            guess = max(score, key=lambda n: (score[n], n))
            if guess not in right:
                target = max(right, key=lambda n: (score[n], n))
                for f in features[target]:
                    update(f, 1)
                for f in features[guess]:
                    update(f, -1)
            step += 1
    averaged = {f: (totals[f] + (step - stamp[f]) * w) / step for f, w in weights.items()}
    return {f: round(w, 4) for f, w in sorted(averaged.items()) if round(w, 4)}


def _rows(items: list[str], width: int = 100) -> list[str]:
    """Quoted items, comma-separated, wrapped into indented lines of about `width` characters."""
    lines, row = [], []
    for item in items:
        row.append(f'"{item}",')
        if sum(len(x) + 1 for x in row) > width:
            lines.append("    " + " ".join(row))
            row = []
    if row:
        lines.append("    " + " ".join(row))
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / "data")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "index" /
                        "kyrgyz_suffixes.py")
    args = parser.parse_args(argv)
    train = read_conllu(args.data / "ud-kyrgyz-ktmu" / "ky_ktmu-ud-train.conllu")
    types, verbs = training_types(train)
    never, stats = learn(types)
    roots = learn_roots(types, verbs)
    lines = [
        '"""Suffix chains the Kyrgyz stemmer never strips: learned, not written by hand.',
        "",
        "Generated by `python bench/tune_stemmer.py` from the UD Kyrgyz-KTMU training split (CC BY-SA 4.0): each",
        "chain here did more harm than good on the training words it would have applied to; ет< means the chain",
        "after a stem of at most three letters, ет after a longer one. Do not edit by hand.",
        '"""',
        "",
        "NEVER: frozenset[str] = frozenset({",
    ]
    lines += _rows(sorted(never, key=lambda k: (len(k), k)))
    lines += ["})", "", "# Every chain met on a training word and not forbidden; a chain outside it needs a longer stem.",
              "SEEN: frozenset[str] = frozenset({"]
    lines += _rows(sorted({key.rstrip("<") for key in stats if key not in never}, key=lambda k: (len(k), k)))
    lines.append("})")
    lines += ["", f"# Short verb roots, each the lemma of at least {ROOT_FORMS} training verb forms: the ranker judges "
              "their endings.",
              "ROOTS: frozenset[str] = frozenset({"]
    lines += _rows(sorted(roots))
    lines.append("})")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(types)} training word types, {len(stats)} chains seen, {len(never)} forbidden, {len(roots)} short "
          f"verb roots → {args.out}")
    rankers = {name: learn_ranker(types, verbs, transform) for name, transform in ALPHABETS.items()}
    ranker_out = args.out.with_name("kyrgyz_ranker.json")
    ranker_out.write_text(json.dumps(rankers, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print("ranker weights: " + ", ".join(f"{name} {len(w)}" for name, w in rankers.items()) + f" → {ranker_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

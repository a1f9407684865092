"""Known-item retrieval: does a two-word query in other forms than the article's find the article?

Articles: the UD KTMU treebank's sentences (train and test, in order), ten to an article, plus the Kyrgyz sample
pages. For each article, the two nominal lemmas rarest across the archive make the query, each written in a plural,
possessive or case form (`paradigms.py`) that the article itself never uses — the article says «X», «X-тин», the
query «X-да Y-ны». A lemma counts for an article when the article has the lemma itself or one of its generated
forms (the default), or, with `--lemmas gold`, whenever the treebank's gold lemma says so, which adds derived words
(кайрымдуулук for кайрымдуу, чыгармачыл for чыгарма) and the treebank's slips. A pair found together in more than
three articles is no known item and is left out. Acronyms (lemmas without a vowel) are typed in capitals.
Each query is typed four ways (`spellings.py`): exact, without ү/ө/ң, in ICU's romanization, and in Latin as
people type it. Reported: success@10 and MRR (rank within the first 100) for the default search (AND, relaxed to
all words but one when it finds fewer than three), strict AND alone, OR, and, as the issue's baseline, the first
five letters of each word as prefixes (AND).

    python bench/known_item.py [--per-article 10] [--show-misses N]
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

# The repository first: bench/search.py must not shadow the search package.
sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from index.analysis import analyze, normalize_word  # noqa: E402
from index.archive import read_archive, sample_archive  # noqa: E402
from index.build import build_index, open_index  # noqa: E402
from index.stopwords import is_stop_word  # noqa: E402
from search.searcher import search  # noqa: E402
from cohesion import surface  # noqa: E402
from paradigms import paradigm  # noqa: E402
from spellings import SPELLINGS  # noqa: E402
from stemmer import NOMINAL, read_conllu  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "ud-kyrgyz-ktmu"
# The forms a query is written in: the cases, the plural and the 3rd-person possessive, alone and combined.
CELLS = ("case:gen", "case:dat", "case:acc", "case:loc", "case:abl", "pl", "pl+case:gen", "pl+case:dat",
         "pl+case:acc", "pl+case:loc", "p3", "p3+case:gen", "p3+case:dat", "p3+case:loc", "pl+p3")
MAX_SHARED = 3  # a lemma pair in more articles than this is no known item
TOP = 10


def _word(lemma: str) -> bool:
    return len(lemma) >= 4 and lemma.isalpha() and all("а" <= ch <= "я" or ch in "ёөүң" for ch in lemma) \
        and not is_stop_word(lemma)


def articles(per_article: int, by_gold: bool = False) -> list[dict]:
    """The archive: treebank articles and the Kyrgyz sample pages, each with the lemmas it counts for."""
    sentences = [s for split in ("train", "test") for s in read_conllu(DATA / f"ky_ktmu-ud-{split}.conllu")]
    out = []
    for n in range(0, len(sentences), per_article):
        chunk = sentences[n:n + per_article]
        lemmas = {normalize_word(lemma) for _, words in chunk for _, lemma, upos in words if upos in NOMINAL}
        out.append({"id": f"ktmu-{n // per_article:03d}", "title": chunk[0][0], "language": "ky", "kind": "news",
                    "body": "\n\n".join(text for text, _ in chunk[1:]), "lemmas": {l for l in lemmas if _word(l)}})
    known = {l for a in out for l in a["lemmas"]}
    form_of = {form: lemma for lemma in known for form in (lemma, *paradigm(lemma).values())}
    for page in read_archive([sample_archive()]).articles:
        if page.language == "ky":
            out.append({"id": page.id, "title": page.title, "body": page.body, "language": "ky", "kind": page.kind,
                        "lemmas": set(), "sample": True})
    for a in out:
        words = {t.text for t in analyze(a["title"] + "\n" + a["body"])}
        has = {form_of[w] for w in words if w in form_of}  # the lemma itself or an inflected form of it
        a["lemmas"] = (a["lemmas"] | has) if by_gold and not a.get("sample") else has
    return out


def queries(archive: list[dict]) -> list[tuple[str, str, tuple[str, str]]]:
    """(article id, query, the two lemmas) for every article that has a known-item pair."""
    df = Counter(l for a in archive for l in a["lemmas"])
    with_lemma = defaultdict(set)
    for a in archive:
        for l in a["lemmas"]:
            with_lemma[l].add(a["id"])
    out = []
    for a in archive:
        used = {t.text for t in analyze(a["title"] + "\n" + a["body"])}
        chosen = []
        for lemma in sorted(a["lemmas"], key=lambda l: (df[l], zlib.crc32(l.encode()))):
            forms = [f for cell, f in paradigm(lemma).items() if cell in CELLS and f not in used]
            if forms:
                chosen.append((lemma, forms[zlib.crc32((a["id"] + lemma).encode()) % len(forms)]))
            if len(chosen) == 2:
                break
        if len(chosen) < 2 or len(with_lemma[chosen[0][0]] & with_lemma[chosen[1][0]]) > MAX_SHARED:
            continue
        out.append((a["id"], " ".join(surface(lemma, form) for lemma, form in chosen), (chosen[0][0], chosen[1][0])))
    return out


def _prefixes(query: str) -> str:
    return " ".join(word[:5] + "*" for word in query.split())


MODES = {"default search (AND, relaxed)": (lambda q: q, True), "strict AND": (lambda q: q, False),
         "OR": (lambda q: " OR ".join(q.split()), True), "first five letters, AND": (_prefixes, False)}


# Older commits' search() has no `relax`: the harness also measures them (the "before" rows of BENCHMARKS.md).
CAN_RELAX = "relax" in inspect.signature(search).parameters


def rank(ix, query: str, target: str, relax: bool) -> int | None:
    kwargs = {"relax": relax} if CAN_RELAX else {}
    hits = search(ix, query, page_size=100, facets=False, **kwargs).hits
    return next((n for n, hit in enumerate(hits, 1) if hit.id == target), None)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-article", type=int, default=10, help="treebank sentences per article")
    parser.add_argument("--lemmas", choices=["inflected", "gold"], default="inflected",
                        help="which words an article counts for: its words' inflected forms, or any word whose "
                             "treebank lemma it is (derived words too)")
    parser.add_argument("--show-misses", type=int, default=0, help="print this many default-search misses")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    archive = articles(args.per_article, by_gold=args.lemmas == "gold")
    items = queries(archive)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "archive.jsonl"
        source.write_text("\n".join(json.dumps({k: v for k, v in a.items() if k not in ("lemmas", "sample")},
                                               ensure_ascii=False) for a in archive), encoding="utf-8")
        build_index([source], Path(tmp) / "index")
        ix = open_index(Path(tmp) / "index")
        print(f"Archive: {len(archive)} articles ({sum('sample' in a for a in archive)} sample pages); "
              f"{len(items)} known-item queries, e.g. «{items[0][1]}» for {items[0][0]}")
        print()
        print("| mode | spelling | success@10 | MRR |")
        print("|---|---|---|---|")
        misses = []
        for mode, (rewrite, relax) in MODES.items():
            for spelling, write in SPELLINGS.items():
                ranks = []
                for target, query, lemmas in items:
                    typed = rewrite(" ".join(write(w) for w in query.split()))
                    r = rank(ix, typed, target, relax)
                    ranks.append(r)
                    if mode.startswith("default") and (r is None or r > TOP):
                        misses.append((spelling, typed, target, lemmas, r))
                found = sum(r is not None and r <= TOP for r in ranks) / len(ranks)
                mrr = statistics.mean(1 / r if r else 0.0 for r in ranks)
                bold = "**" if mode.startswith("default") else ""
                print(f"| {mode} | {spelling} | {bold}{100 * found:.1f} %{bold} | {mrr:.3f} |")
        ix.close()
    for miss in misses[:args.show_misses]:
        print("miss:", *miss)
    print()
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

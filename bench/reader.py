"""Per-field accuracy of the page reader on the labelled set of `reader_pages.py` (text and HTML).

    python bench/reader.py [--show-errors]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

from index.archive import read_archive  # noqa: E402
from reader_pages import pages  # noqa: E402

FIELDS = ("language", "kind", "title", "title_derived", "date", "section", "authors")


def evaluate() -> tuple[dict[str, tuple[int, int]], list[str], list[str]]:
    """field → (right, labelled pages); the files dropped; one line per wrong field."""
    labelled = pages()
    found = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, content, _ in labelled:  # each page alone: the set repeats titles and texts on purpose
            path = Path(tmp) / name
            path.write_text(content, encoding="utf-8")
            found.update({name: a for a in read_archive(path).articles})
    scores = {field: [0, 0] for field in FIELDS}
    errors, dropped = [], []
    for name, _, labels in labelled:
        article = found.get(name)
        if article is None:
            dropped.append(name)
        for field in FIELDS:
            scores[field][1] += 1
            got = None if article is None else getattr(article, field)
            if field == "authors" and got is not None:
                got = [a.name for a in got]
            if got == labels[field]:
                scores[field][0] += 1
            else:
                errors.append(f"{name} {field}: {got!r} ≠ {labels[field]!r}")
    return {k: tuple(v) for k, v in scores.items()}, dropped, errors


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    scores, dropped, errors = evaluate()
    total = next(iter(scores.values()))[1]
    html = sum(name.endswith(".html") for name, _, _ in pages())
    print(f"Labelled pages: {total} ({total - html} text, {html} HTML); dropped: {len(dropped)}")
    print()
    print("| field | right | share |")
    print("|---|---|---|")
    for field, (right, n) in scores.items():
        print(f"| {field} | {right}/{n} | {100 * right / n:.1f} % |")
    if args.show_errors:
        print("\n".join(errors + [f"dropped: {d}" for d in dropped]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

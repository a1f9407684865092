"""How people write a Kyrgyz word when they cannot or do not type Cyrillic ү/ө/ң, or type it in Latin letters.

* `russian_keyboard`: ү/ө/ң typed as у/о/н (what `index.kyrgyz.fold` undoes);
* `icu_latin`: ICU's ky-ky_Latn/BGN romanization (jangy, ökmöt, aĭyl);
* `typed_latin`: informal Latin as people type it, the choices the issue names: ж as j or zh, ы and й as y or i,
  ң as ng or n, ө as ö or o, ү as ü or u (ч ch, ш sh, х h or kh, ю yu, я ya). Each word gets one deterministic
  choice per letter, seeded by the word, so a run is repeatable and the choices vary across words.

    >>> russian_keyboard("өкмөттүн"), icu_latin("жаңы")
    ('окмоттун', 'jangy')
    >>> typed_latin("жаңы") in {"jangy", "jany", "jangi", "jani", "zhangy", "zhany", "zhangi", "zhani"}
    True
"""

from __future__ import annotations

import random
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index.kyrgyz import _romanize, fold  # noqa: E402

TYPED = {"а": ["a"], "б": ["b"], "в": ["v"], "г": ["g"], "д": ["d"], "е": ["e"], "ё": ["yo", "e"], "ж": ["j", "zh"],
         "з": ["z"], "и": ["i"], "й": ["y", "i"], "к": ["k"], "л": ["l"], "м": ["m"], "н": ["n"], "ң": ["ng", "n"],
         "о": ["o"], "ө": ["ö", "o"], "п": ["p"], "р": ["r"], "с": ["s"], "т": ["t"], "у": ["u"], "ү": ["ü", "u"],
         "ф": ["f"], "х": ["h", "kh"], "ц": ["ts", "c"], "ч": ["ch"], "ш": ["sh"], "щ": ["sh", "shch"], "ъ": [""],
         "ы": ["y", "i"], "ь": [""], "э": ["e"], "ю": ["yu"], "я": ["ya"]}


def russian_keyboard(word: str) -> str:
    return fold(word)


def icu_latin(word: str) -> str:
    return _romanize(word)


def typed_latin(word: str) -> str:
    rng = random.Random(zlib.crc32(word.encode("utf-8")))
    out = []
    for ch in word:
        lower = ch.lower()
        options = TYPED.get(lower)
        if options is None:
            out.append(ch)
            continue
        choice = rng.choice(options)
        out.append(choice.capitalize() if ch != lower else choice)
    return "".join(out)


SPELLINGS = {"exact": lambda w: w, "folded": russian_keyboard, "icu latin": icu_latin, "typed latin": typed_latin}

"""Stop words of both archive languages: Kyrgyz from UD closed-class words, Russian from Whoosh's list.

They are never removed from the index (phrases like «жана башкаруу» still match); they weigh less in queries and
are left out of the key terms that related articles are found by.
"""

from __future__ import annotations

from whoosh.lang import stopwords_for_language

from .stopwords_ky import WORDS as KYRGYZ

RUSSIAN: frozenset[str] = frozenset(stopwords_for_language("ru"))
ALL: frozenset[str] = KYRGYZ | RUSSIAN


def is_stop_word(word: str) -> bool:
    """Whether a normalized word is a Kyrgyz or Russian stop word.

    >>> is_stop_word("жана"), is_stop_word("и"), is_stop_word("муниципалитет")
    (True, True, False)
    """
    return word in ALL

"""Word-level helpers shared by the index and the intake: stems in both languages, plain text.

Example::

    >>> stem_indonesian("kebocoran")
    'bocor'
    >>> stem_english("apologised") == stem_english("apologizes")
    True
    >>> markdown_to_plain("## Head\\n\\nSome **bold** text")
    'Head Some bold text'
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD_RE = re.compile(r"\w+(?:[.'\u2019-]\w+)*", re.UNICODE)


@lru_cache(maxsize=1)
def _sastrawi():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem_indonesian(word: str) -> str:
    """PySastrawi (the Nazief-Adriani algorithm): kebocoran -> bocor."""
    stem = _sastrawi().stem(word)
    return stem or word


@lru_cache(maxsize=1)
def _snowball_english():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


_BRITISH = re.compile(r"is(e|ed|es|ing|ation|ations)$")


@lru_cache(maxsize=200_000)
def stem_english(word: str) -> str:
    """Snowball (Porter 2) stem of a lowercase word; British -ise spellings stem as -ize."""
    if len(word) > 5:
        word = _BRITISH.sub(r"iz\1", word)
    return _snowball_english().stemWord(word)


def stem(word: str, lang: str) -> str:
    """The stem of a lowercase word in English ('en') or Indonesian ('id')."""
    return stem_indonesian(word) if lang == "id" else stem_english(word)


def markdown_to_plain(body: str) -> str:
    """Markdown narrative -> plain text for snippets (headings, emphasis and link syntax removed)."""
    text = re.sub(r"^#{1,6}\s*", "", body, flags=re.M)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"^\s*[-*+>]\s+", "", text, flags=re.M)
    return re.sub(r"\s+", " ", text).strip()

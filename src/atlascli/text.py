"""Text normalisation for matching names and words; no I/O, no third-party imports.

Matching folds both sides the same way: NFC, case, accents and the German umlaut spellings,
so that ``Münster``, ``Muenster``, ``munster`` and ``MÜNSTER`` compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
# ae/oe/ue are the ASCII spellings of ä/ö/ü; folding them to a/o/u on both sides makes all three
# spellings meet.  It also folds e.g. "Steuer" to "steur", which is harmless because the query is
# folded the same way.
_DIGRAPHS = re.compile(r"(?<=[aou])e")
_WORD = re.compile(r"\w+", re.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def match_key(name: str) -> str:
    """Key for exact lookups: NFC, case-folded, whitespace collapsed."""
    return _SPACE.sub(" ", nfc(name).casefold()).strip()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold case, accents, ß and umlaut spellings: ``Münster`` and ``Muenster`` give ``munster``."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ß", "ss")
    text = _DIGRAPHS.sub("", text)
    return _SPACE.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """The words of a text, as runs of letters, digits and underscores."""
    return _WORD.findall(text)

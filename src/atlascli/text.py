"""Text normalisation for matching names and words; no I/O. The one third-party import, the
Snowball stemmer (PyStemmer), is made inside :func:`stem`, when a word is first stemmed.

Matching folds both sides the same way: NFC, case, accents and the German umlaut spellings,
so that ``Münster``, ``Muenster``, ``munster`` and ``MÜNSTER`` compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

_SPACE = re.compile(r"\s+")
# ae/oe/ue are the ASCII spellings of ä/ö/ü; folding them to a/o/u on both sides makes all three
# spellings meet.  It also folds e.g. "Steuer" to "steur", which is harmless because the query is
# folded the same way.
_DIGRAPHS = re.compile(r"(?<=[aou])e")
# the combining diacritical marks (the blocks unicodedata.combining covers for Latin, Greek and
# Cyrillic text), removed after NFKD: one regex pass instead of a Python test per character
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def match_key(name: str) -> str:
    """Key for exact lookups: NFC, case-folded, whitespace collapsed."""
    return _SPACE.sub(" ", nfc(name).casefold()).strip()


def _fold(text: str) -> str:
    """Fold case, accents, ß and umlaut spellings: ``Münster`` and ``Muenster`` give ``munster``."""
    text = text.casefold()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = _DIGRAPHS.sub("", text)
    return _SPACE.sub(" ", text).strip()


fold = lru_cache(maxsize=65536)(_fold)


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


@lru_cache(maxsize=65536)
def search_fold(text: str) -> str:
    """Fold for search: case and accents, umlauts to their ``ue`` spelling (``Münster`` and
    ``Muenster`` give ``muenster``), ordinary words unchanged (``aktuell`` stays ``aktuell``, so a
    typo near it is one edit, not two)."""
    text = text.casefold()
    if not text.isascii():
        text = nfc(text).translate(_UMLAUTS)
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def plain_fold(text: str) -> str:
    """Case and accents only, umlauts to their vowel: ``Münster`` gives ``munster``."""
    text = text.casefold()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _SPACE.sub(" ", text).strip()


MAX_STEMMED = 40  # longer "words" (a URL, hostile input) are left whole: stemming stays linear


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The German Snowball stem of a folded word: ``schulen`` → ``schul``, ``netzwerken`` →
    ``netzwerk``, ``modellregionen`` → ``modellregion``."""
    if len(word) < 4 or len(word) > MAX_STEMMED:
        return word
    return _stemmer().stemWord(word)  # type: ignore[no-any-return]  # PyStemmer has no type hints


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer  # type: ignore[import-not-found]  # PyStemmer ships no type hints; imported here: only search and counting names pay

    return Stemmer.Stemmer("german")


_NON_WORD = re.compile(r"[\W_]+")
_QUALIFIER_WORD = re.compile(r"\b(?:im|am|an der|in der|ob der|vor der)\b", re.IGNORECASE)


def name_key(text: str) -> str:
    """Folded name with punctuation as single spaces: ``Halle/Saale`` → ``halle saale``."""
    return _NON_WORD.sub(" ", fold(text)).strip()


def name_keys(name: str) -> tuple[str, str]:
    """:func:`name_key` and :func:`base_key` of a name, without the cache of :func:`fold` (a large
    file's build sees each name once: a cache would only be filled)."""
    key = _name_key(name)
    unqualified = without_qualifier(name)
    if unqualified is name:
        return key, key
    return key, _name_key(unqualified) or key


def _name_key(text: str) -> str:
    # name_key without the cache, and without fold's collapsing of blanks: a run of blanks is a
    # run of non-word characters, which becomes one blank all the same
    text = text.casefold()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _NON_WORD.sub(" ", _DIGRAPHS.sub("", text)).strip()


def base_key(name: str) -> str:
    """Folded name without its qualifier: ``Halle (Saale)`` → ``halle``,
    ``Freiburg im Breisgau`` → ``freiburg``."""
    return name_key(without_qualifier(name)) or name_key(name)


def without_qualifier(name: str) -> str:
    """The name before its qualifier (``(…)`` at the end, ``/…``, or ``im``, ``am``, ``an der``,
    ``in der``, ``ob der``, ``vor der`` and the rest) and the blanks before it.

    The earliest qualifier is found by plain searches, in time linear in the name's length (the
    former pattern ``\\s*(…)$`` retried every blank of a long run: quadratic). As with ``.`` and
    ``$``, a qualifier does not reach over a line break; a final one is kept."""
    body = name.removesuffix("\n")
    first = body.rfind("\n") + 1
    starts = [body.find("/", first)]
    paren = body.find("(", first)
    if body.endswith(")") and paren < len(body) - 1:
        starts.append(paren)
    word = _QUALIFIER_WORD.search(body, first)
    if word is not None:
        starts.append(word.start())
    found = [s for s in starts if s >= 0]
    if not found:
        return name
    return body[: min(found)].rstrip() + name[len(body) :]


def folded_contains(text: str) -> Callable[[str], bool]:
    """A test whether a text contains ``text``, ignoring case, accents and umlaut spellings."""
    needle = fold(text)
    return lambda other: needle in fold(other)


def encodes(encoding: str | None, sample: str) -> bool:
    """Whether text like ``sample`` can be written in ``encoding`` (None: UTF-8)."""
    try:
        sample.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


# --- names of networks, programmes and projects, for counting and comparing ------------------


def quoted_title(item: str) -> str | None:
    """The first non-empty »quoted« text of an item, if any: what ``»([^«]+)«`` finds, by plain
    searches in linear time (the pattern rescanned to the end after every unclosed ``»``)."""
    start = item.find("»")
    while start >= 0:
        close = item.find("«", start + 1)
        if close < 0:
            return None
        if close > start + 1:
            return item[start + 1 : close]
        start = item.find("»", close + 1)
    return None


_PARENTHESES = re.compile(r"\([^()]*\)")
_STOPWORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "des",
        "dem",
        "den",
        "ein",
        "eine",
        "einer",
        "eines",
        "und",
        "in",
        "im",
        "von",
        "vom",
        "mit",
        "fur",
        "zum",
        "zur",
        "am",
        "an",
        "auf",
    ]
)


@lru_cache(maxsize=65536)  # a large atlas names the same networks and programmes again and again
def item_key(item: str) -> str:
    """A name for counting networks and programmes: the »quoted« title when there is one, else
    the text without (parentheses); folded, without articles and the like, each word
    by its stem (:func:`stem`: Modellregion and Modellregionen, kommunaler and kommunalen meet)."""
    quoted = quoted_title(item)
    text = quoted if quoted is not None else _PARENTHESES.sub(" ", item)
    words = re.findall(r"\w[\w.@-]*", fold(text))
    return " ".join(stem(w) for w in words if w not in _STOPWORDS)


def named_items(items: Iterable[str]) -> dict[str, str]:
    """The items by their :func:`item_key` (the first spelling of each name; items with no name
    left after normalising are not counted)."""
    named: dict[str, str] = {}
    for item in items:
        key = item_key(item)
        if key:
            named.setdefault(key, item)
    return named


def item_label(item: str) -> str:
    """How a counted item is shown: its »quoted« title where there is one."""
    quoted = quoted_title(item)
    return f"»{quoted}«" if quoted is not None else item

"""Fuzzy full-text search over the text of an atlas.

Every text cell is cut into words; a vocabulary maps each word to where it occurs (postings).
Words are folded for search (:func:`atlascli.text.search_fold`: case, accents, umlauts to their
``ue`` spelling) and indexed in a second spelling when they hold an umlaut (``mobilitat`` beside
``mobilitaet``), so ``Mobilität``, ``Mobilitaet`` and ``Mobilitat`` all match as written. Words
joined by hyphens are also indexed whole, with and without the hyphens (``schul-it``,
``schulit``).

A query word is matched against the vocabulary, not against every cell: exactly, by its German
stem (Snowball: ``Schulen`` finds ``Schul-IT``), as the start or a part of a longer word
(compounds like ``Luftreinhaltung``, tokens like ``Zukunftskommune@bw``), and, for typos, by its
Damerau–Levenshtein (OSA) distance: one edit (a substitution, insertion, deletion or
transposition) for words of 4 to 7 letters, two from 8 letters, none below 4, measured on the
words as typed (folded). Typos are looked for also when the word is in the atlas as written (a
typo that is another word must not hide its real match), then with one edit.

A city is a result when every query word matches somewhere in it. Hits rank in tiers, each 10
points apart: exact token (100; a hyphenated query is one token, ``Schul-IT`` or ``SchulIT``) >
exact phrase (90; also several words that are one token of the atlas, ``lora wan`` →
``LoRaWAN``) > every word exact, apart (85) > stemmed
(80) > prefix (70) > part of a word (60) > one edit (50) > two edits (40); a query of several
words is in the tier of its worst word. Within a tier a match in a text column gets 2.5 more than
one in the links, and up to 2.4 more the more of its cell the match fills.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from atlascli.errors import UnknownValue
from atlascli.model import Atlas, City, Vocabulary
from atlascli.schema import COLUMNS, SEARCH_COLUMNS
from atlascli.text import fold, plain_fold, search_fold, stem
from atlascli.tsv import written_pairs

EXACT, PHRASE, WORDS, STEMMED, PREFIX, PART, ONE_EDIT, TWO_EDITS = (
    100.0,
    90.0,
    85.0,
    80.0,
    70.0,
    60.0,
    50.0,
    40.0,
)
TEXT_BONUS = 2.5  # within a tier, a match in a text column ranks above one in a URL
TIGHTNESS = 2.4  # at most this much for a match that fills its whole cell
MIN_PART = 3  # a query word shorter than this matches only whole words or word starts
MIN_FUZZY = 4  # ... one shorter than this is never matched with typos
TWO_EDITS_FROM = 8  # letters from which a word may have two typos, below one
MAX_FUZZY = 48  # ... and one longer than this (no word is; hostile input may be) never: it stays linear
SNIPPET = 90  # characters of context shown around a match in long text

# a word may carry combining marks: a decomposed (NFD) "Förderung" is one word, not "Fo" + "rderung";
# the underscore joins words (in URLs) as the hyphen does
_TOKEN = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")
_JOINERS = "-_"


class Hit(NamedTuple):
    """One city found by a search: where the best match is and how good it is."""

    stadt: str
    spalte: str
    score: float
    treffer: str  # the whole matched item, as in the data
    ausschnitt: str  # what is shown of it: a window around the match when it is long
    spans: tuple[tuple[int, int], ...]  # character ranges of ``ausschnitt`` that matched


class _Cell(NamedTuple):
    column: str
    text: str


def _cells(city: City, columns: tuple[str, ...]) -> Iterator[_Cell]:
    for column in columns:
        if column in ("stadt", "bundesland", "organisation", "strategie"):
            yield _Cell(column, getattr(city, column))
        elif column == "handlungsfelder":
            for f in city.handlungsfelder:
                yield _Cell(column, f.value)
        elif column == "projektbeispiele":
            for p in city.projektbeispiele:
                yield _Cell(column, p.name)
        else:
            for item in getattr(city, column):
                yield _Cell(column, item)


_STADT = COLUMNS.index("stadt")  # where a row's name is


def _row_cells(cells: Sequence[str], columns: tuple[str, ...]) -> list[tuple[str, str]]:
    """:func:`_cells` of the city whose TSV cells (as :func:`atlascli.tsv.city_cells` writes
    them) these are, without making the City: as plain (column, text) pairs, since most of them
    match no query word."""
    return _pairs_of(columns)(cells)


_pairs_of = lru_cache(maxsize=16)(written_pairs)  # the searched columns: a few tuples


def _forms(raw: str) -> tuple[str, ...]:
    """The spellings a piece of text is indexed by: ``ue`` folded, and umlauts as plain vowels."""
    folded = search_fold(raw)
    plain = plain_fold(raw)
    return (folded,) if plain == folded else (folded, plain)


def _groups(text: str) -> list[list[re.Match[str]]]:
    """The words of ``text``, those joined by single hyphens or underscores in one group
    (``Schul-IT``)."""
    groups: list[list[re.Match[str]]] = []
    previous_end = -2
    for m in _TOKEN.finditer(text):
        if groups and m.start() == previous_end + 1 and text[previous_end] in _JOINERS:
            groups[-1].append(m)
        else:
            groups.append([m])
        previous_end = m.end()
    return groups


def _compound_forms(text: str, group: list[re.Match[str]]) -> tuple[str, ...]:
    """A hyphenated group's spellings, with and without its hyphens."""
    whole = text[group[0].start() : group[-1].end()]
    return _forms(whole) + _forms(_unjoined(whole))


def _unjoined(word: str) -> str:
    return word.replace("-", "").replace("_", "")


@lru_cache(maxsize=65536)
def _text_tokens(text: str) -> frozenset[str]:
    """The tokens of a cell: each word's spellings, and each hyphenated group's."""
    found: set[str] = set()
    for group in _groups(text):
        for m in group:
            found.update(_forms(m.group()))
        if len(group) > 1:
            found.update(_compound_forms(text, group))
    return frozenset(found)


def city_words(city: City, columns: tuple[str, ...] = SEARCH_COLUMNS) -> set[str]:
    """The tokens of a city's text in these columns, as the vocabulary indexes them."""
    found: set[str] = set()
    for cell in _cells(city, columns):
        found.update(_text_tokens(cell.text))
    return found


def build_vocabulary(cities: Iterable[City]) -> Vocabulary:
    rows: dict[str, array[int]] = {}  # a compact list of positions per word
    for row, city in enumerate(cities):
        for word in city_words(city):
            postings = rows.get(word)
            if postings is None:
                postings = rows[word] = array("I")
            postings.append(row)
    return Vocabulary(sorted(rows), rows)


def max_edits(word: str) -> int:
    """How many typos a folded query word may have: none below 4 letters, one to 7, then two."""
    if len(word) < MIN_FUZZY:
        return 0
    return 1 if len(word) < TWO_EDITS_FROM else 2


def within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one edit (OSA distance 1), without RapidFuzz:
    what is left after their common start and end is one letter, or two letters swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    shorter = min(len(a), len(b))
    start = 0
    while start < shorter and a[start] == b[start]:
        start += 1
    end = 0
    while end < shorter - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    return (len(a) <= 1 and len(b) <= 1) or (len(a) == len(b) == 2 and a == b[::-1])


def _stemmed(vocabulary: Vocabulary, word: str) -> Iterator[str]:
    """Vocabulary words with the stem of ``word`` (other than ``word``); they start alike, and the
    stemmer may respell an umlaut from the second letter on."""
    root = stem(word)
    lead = word[:1]
    words = vocabulary.words
    for i in range(bisect_left(words, lead), len(words)):
        token = words[i]
        if not token.startswith(lead):
            break
        if token != word and len(token) >= len(root) and stem(token) == root:
            yield token


def _typos(vocabulary: Vocabulary, word: str, literal: bool) -> Iterator[tuple[str, int]]:
    """Vocabulary words within the typos ``word`` may have, with their distance. A word in the
    atlas as written is tried for one edit in plain Python, which saves RapidFuzz's import."""
    edits = 1 if literal else max_edits(word)
    if not edits or len(word) > MAX_FUZZY:
        return
    lengths = range(max(MIN_FUZZY, len(word) - edits), len(word) + edits + 1)
    near = [token for token in vocabulary.words if len(token) in lengths]
    if literal:
        yield from ((token, 1) for token in near if within_one_edit(word, token))
        return
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    for token, distance, _ in process.extract(
        word, near, scorer=OSA.distance, processor=None, score_cutoff=edits, limit=None
    ):
        if distance:
            yield token, int(distance)


def word_matches(vocabulary: Vocabulary, word: str) -> dict[str, float]:
    """Vocabulary words matching one folded query word, with the quality of each match: the word
    itself, words of its stem, words it starts or is part of, and close typos."""
    found: dict[str, float] = {}
    forms = (word, _unjoined(word)) if _unjoined(word) != word else (word,)
    literal = False
    for form in forms:
        if form in vocabulary.rows:
            found[form] = EXACT
            literal = True
    if len(word) >= MIN_FUZZY:
        for token in _stemmed(vocabulary, word):
            found.setdefault(token, STEMMED)
    for token in vocabulary.words:
        if token in found:
            continue
        if token.startswith(word):
            found[token] = PREFIX
        elif len(word) >= MIN_PART and word in token:
            found[token] = PART
    for token, distance in _typos(vocabulary, word, literal):
        found.setdefault(token, ONE_EDIT if distance == 1 else TWO_EDITS)
    return found


def _query_words(query: str, vocabulary: Vocabulary) -> list[str]:
    """The folded words of a query; a hyphenated group is one word when the atlas has it (with or
    without the hyphens), else its parts."""
    words: list[str] = []
    for group in _groups(query):
        if len(group) > 1:
            whole = search_fold(query[group[0].start() : group[-1].end()])
            if whole in vocabulary.rows or _unjoined(whole) in vocabulary.rows:
                words.append(whole)
                continue
        words.extend(search_fold(m.group()) for m in group)
    return words


def search(atlas: Atlas, query: str, *, column: str | None = None, limit: int | None = None) -> list[Hit]:
    """Cities where every word of ``query`` matches, best first; one hit per city.

    Query words are matched against the vocabulary, which says which cities can match; only those
    cities are read, and their cells scored.
    """
    if column is not None and column not in SEARCH_COLUMNS:
        raise UnknownValue("column", column, SEARCH_COLUMNS)
    if not _TOKEN.search(query):
        return []
    vocabulary = atlas.vocabulary()
    words = _query_words(query, vocabulary)
    per_word = [word_matches(vocabulary, w) for w in words]
    joined = "".join(_unjoined(w) for w in words) if len(words) > 1 else None
    if joined is not None and joined in vocabulary.rows:  # "lora wan" is the compound "LoRaWAN"
        for matches in per_word:
            matches[joined] = EXACT
    else:
        joined = None
    candidates: set[int] | None = None
    for matches in per_word:
        rows: set[int] = set()
        for token in matches:
            rows.update(vocabulary.rows[token])
        candidates = rows if candidates is None else candidates & rows
    columns = (column,) if column else SEARCH_COLUMNS
    query_ = _Query(per_word, " ".join(words), joined, frozenset().union(*per_word), {})
    hits = []
    for row in atlas.cells(sorted(candidates or ())):  # read in batches, not one by one
        hit = _city_hit(row[_STADT], _row_cells(row, columns), query_)
        if hit is not None:
            hits.append(hit)
    hits.sort(key=lambda h: (-h.score, fold(h.stadt)))
    return hits[:limit] if limit is not None else hits


class _Query(NamedTuple):
    per_word: list[dict[str, float]]  # each word's matching tokens and their quality
    phrase: str
    joined: str | None  # the words as one token of the atlas
    tokens: frozenset[str]  # every matching token, for the spans
    spans: dict[str, list[tuple[int, int]]]  # the spans of each cell text shown so far (texts repeat)


def _city_hit(stadt: str, cells: Sequence[tuple[str, str]], query: _Query) -> Hit | None:
    """The hit of the city ``stadt``, or None if some query word matches none of its ``cells``
    ((column, text) pairs, as :func:`_cells` gives them).

    Shown is the cell where the words match best together; its tier decides the score."""
    per_word = query.per_word
    tokens = query.tokens
    best = [0.0] * len(per_word)
    qualities: dict[int, list[float]] = {}  # of the cells where some query word matches
    matched: dict[int, _Cell] = {}  # ... and those cells
    for c, (column, text) in enumerate(cells):
        found = _text_tokens(text)
        if found.isdisjoint(tokens):  # most cells: no word matches, every quality is 0
            continue
        quality = [max((matches[t] for t in found if t in matches), default=0.0) for matches in per_word]
        qualities[c] = quality
        matched[c] = _Cell(column, text)
        best = [max(b, q) for b, q in zip(best, quality, strict=True)]
    if not all(best):
        return None

    def rank(c: int) -> tuple[float, float, int]:
        return (_tier(matched[c], qualities[c], query), sum(qualities[c]), -c)

    # a cell where nothing matches ranks below every cell where something does (its tier and sum
    # are 0): the best cell is among those
    chosen = max(qualities, key=rank)
    cell = matched[chosen]
    base = _tier(cell, qualities[chosen], query)
    if base == 0.0:  # the words match only in different cells: the worst word's tier, below phrases
        base = min(min(best), WORDS)
    spans = query.spans.get(cell.text)
    if spans is None:
        spans = query.spans[cell.text] = _spans(cell.text, query.tokens)
    score = base + (TEXT_BONUS if cell.column != "links" else 0.0)
    score += TIGHTNESS * sum(b - a for a, b in spans) / max(len(cell.text), 1)
    shown, kept = _snippet(cell.text, spans)
    return Hit(stadt, cell.column, round(score, 1), cell.text, shown, kept)


def _tier(cell: _Cell, quality: list[float], query: _Query) -> float:
    """The tier of a cell where every query word matches (0.0 where some does not)."""
    if not all(quality):
        return 0.0
    if len(quality) == 1:
        return quality[0]
    if query.joined is not None and query.joined in _text_tokens(cell.text):
        return PHRASE  # the words written as one: "lora wan" in "LoRaWAN", "schul it" in "Schul-IT"
    if min(quality) == EXACT:
        text = cell.text
        phrase = query.phrase
        return PHRASE if phrase in search_fold(text) or phrase in plain_fold(text) else WORDS
    return min(quality)


def _spans(text: str, tokens: frozenset[str]) -> list[tuple[int, int]]:
    """Character ranges of the words (or hyphenated groups) of ``text`` that are ``tokens``."""
    spans = []
    for group in _groups(text):
        if len(group) > 1 and not tokens.isdisjoint(_compound_forms(text, group)):
            spans.append((group[0].start(), group[-1].end()))
            continue
        spans.extend((m.start(), m.end()) for m in group if not tokens.isdisjoint(_forms(m.group())))
    return spans


def _snippet(text: str, spans: list[tuple[int, int]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The matching text (a window of it when long) and the spans within it."""
    if len(text) <= SNIPPET * 2 or not spans:
        return text, tuple(spans)
    start = max(0, spans[0][0] - SNIPPET // 2)
    start = text.rfind(" ", 0, start) + 1 if start > 0 else 0
    end = min(len(text), max(spans[0][1] + SNIPPET, start + SNIPPET * 2))
    space = text.find(" ", end)
    end = len(text) if space < 0 else space
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    window = prefix + text[start:end] + suffix
    kept = tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= end)
    return window, kept

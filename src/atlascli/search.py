"""Fuzzy full-text search over the text of an atlas.

Every text cell is cut into words; a vocabulary maps each folded word to where it occurs
(postings). A query word is matched against the vocabulary, not against every cell: exactly,
as the start or a part of a longer word (compounds like ``Luftreinhaltung``, tokens like
``Zukunftskommune@bw``), or, for typos, by RapidFuzz against the vocabulary's words.
A city is a result when every query word matches somewhere in it; exact words and phrases
outrank partial and fuzzy matches.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from atlascli.errors import UnknownValue
from atlascli.model import Atlas, City, Vocabulary
from atlascli.schema import SEARCH_COLUMNS
from atlascli.text import fold

EXACT, PREFIX, PART, FUZZY = 100.0, 85.0, 70.0, 60.0
PHRASE_BONUS = 50.0
TIGHTNESS = 10.0  # at most this much for a match that fills its whole cell
MIN_PART = 3  # a query word shorter than this matches only whole words or word starts
MIN_FUZZY = 4  # ... and one shorter than this is never matched fuzzily
SNIPPET = 90  # characters of context shown around a match in long text

# a word may carry combining marks: a decomposed (NFD) "Förderung" is one word, not "Fo" + "rderung"
_TOKEN = re.compile(r"[\w\u0300-\u036f]+")


class Hit(NamedTuple):
    """One city found by a search: where the best match is and how good it is."""

    stadt: str
    spalte: str
    score: float
    treffer: str
    spans: tuple[tuple[int, int], ...]  # character ranges of ``treffer`` that matched


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


def city_words(city: City, columns: tuple[str, ...] = SEARCH_COLUMNS) -> set[str]:
    """The folded words of a city's text in these columns."""
    found: set[str] = set()
    for cell in _cells(city, columns):
        found.update(_TOKEN.findall(fold(cell.text)))
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


def word_matches(vocabulary: Vocabulary, word: str) -> dict[str, float]:
    """Vocabulary words matching one folded query word, with the quality of each match: the word
    itself, words it starts or is part of, and only if there are none, close typos."""
    found: dict[str, float] = {}
    if word in vocabulary.rows:
        found[word] = EXACT
    for token in vocabulary.words:
        if token == word:
            continue
        if token.startswith(word):
            found[token] = PREFIX
        elif len(word) >= MIN_PART and word in token:
            found[token] = PART
    if not found and len(word) >= MIN_FUZZY:
        # typos are looked for only when the word matches nothing as written: a word that is in
        # the atlas means what it says, and the import of RapidFuzz is saved
        from rapidfuzz import fuzz, process

        cutoff = 80.0 if len(word) >= 7 else 85.0
        for token, score, _ in process.extract(
            word, vocabulary.words, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=20
        ):
            found.setdefault(token, FUZZY * score / 100)
    return found


def search(atlas: Atlas, query: str, *, column: str | None = None, limit: int | None = None) -> list[Hit]:
    """Cities where every word of ``query`` matches, best first; one hit per city.

    Query words are matched against the vocabulary, which says which cities can match; only those
    cities are read, and their cells scored.
    """
    if column is not None and column not in SEARCH_COLUMNS:
        raise UnknownValue("column", column, SEARCH_COLUMNS)
    words = [fold(w) for w in _TOKEN.findall(query)]
    if not words:
        return []
    vocabulary = atlas.vocabulary()
    per_word = [word_matches(vocabulary, w) for w in words]
    if len(words) > 1:
        joined = "".join(words)  # "lora wan" is the compound "LoRaWAN"
        if joined in vocabulary.rows:
            for matches in per_word:
                matches[joined] = EXACT
    candidates: set[int] | None = None
    for matches in per_word:
        rows: set[int] = set()
        for token in matches:
            rows.update(vocabulary.rows[token])
        candidates = rows if candidates is None else candidates & rows
    columns = (column,) if column else SEARCH_COLUMNS
    phrase = " ".join(words)
    tokens: set[str] = set().union(*per_word)
    hits = []
    for row in sorted(candidates or ()):
        hit = _city_hit(atlas.cities[row], columns, per_word, phrase, tokens)
        if hit is not None:
            hits.append(hit)
    hits.sort(key=lambda h: (-h.score, fold(h.stadt)))
    return hits[:limit] if limit is not None else hits


def _city_hit(
    city: City, columns: tuple[str, ...], per_word: list[dict[str, float]], phrase: str, tokens: set[str]
) -> Hit | None:
    """The hit of one city, or None if some query word matches none of its cells in ``columns``.

    The score is the average best quality of each word, plus a bonus for the phrase; shown is the
    cell where the words match best together."""
    cells = list(_cells(city, columns))
    cell_words = [set(_TOKEN.findall(fold(cell.text))) for cell in cells]
    best = [0.0] * len(per_word)
    totals = [0.0] * len(cells)
    for c, found in enumerate(cell_words):
        for w, matches in enumerate(per_word):
            quality = max((matches[t] for t in found if t in matches), default=0.0)
            totals[c] += quality
            best[w] = max(best[w], quality)
    if not all(best):
        return None
    best_cell = max(range(len(cells)), key=lambda c: (totals[c], -c))
    cell = cells[best_cell]
    folded_text = fold(cell.text)
    score = sum(best) / len(best)
    if " " in phrase and phrase in folded_text:
        score += PHRASE_BONUS
    elif folded_text == phrase:
        score += PHRASE_BONUS / 5  # the whole cell is the word: a name, a field
    spans = _spans(cell.text, tokens)
    # tie-break within a tier: a match that is most of its cell ("Open Data Portal") beats one
    # inside a long sentence
    score += TIGHTNESS * sum(b - a for a, b in spans) / max(len(cell.text), 1)
    treffer, shown = _snippet(cell.text, spans)
    return Hit(city.stadt, cell.column, round(score, 1), treffer, shown)


def _spans(text: str, tokens: set[str]) -> list[tuple[int, int]]:
    """Character ranges of the words of ``text`` whose folded form is one of ``tokens``."""
    return [(m.start(), m.end()) for m in _TOKEN.finditer(text) if fold(m.group()) in tokens]


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

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
from collections.abc import Iterator
from typing import NamedTuple

from atlascli.model import Atlas, City
from atlascli.query import UnknownValue
from atlascli.text import fold

SEARCH_COLUMNS: tuple[str, ...] = (
    "stadt",
    "bundesland",
    "organisation",
    "strategie",
    "handlungsfelder",
    "netzwerke",
    "projektbeispiele",
    "foerderprogramme",
    "links",
)

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
    city: int
    column: str
    text: str


def _cells(city_index: int, city: City, columns: tuple[str, ...]) -> Iterator[_Cell]:
    for column in columns:
        if column in ("stadt", "bundesland", "organisation", "strategie"):
            yield _Cell(city_index, column, getattr(city, column))
        elif column == "handlungsfelder":
            for f in city.handlungsfelder:
                yield _Cell(city_index, column, f.value)
        elif column == "projektbeispiele":
            for p in city.projektbeispiele:
                yield _Cell(city_index, column, p.name)
        else:
            for item in getattr(city, column):
                yield _Cell(city_index, column, item)


class SearchIndex:
    """Vocabulary of folded words with postings (which cells hold each word)."""

    def __init__(self, atlas: Atlas, columns: tuple[str, ...] = SEARCH_COLUMNS) -> None:
        self.cities = atlas.cities
        self.cells: list[_Cell] = []
        self.postings: dict[str, list[int]] = {}
        for index, city in enumerate(self.cities):
            for cell in _cells(index, city, columns):
                cell_no = len(self.cells)
                self.cells.append(cell)
                for token in {fold(t) for t in _TOKEN.findall(cell.text)}:
                    self.postings.setdefault(token, []).append(cell_no)
        self._vocabulary: list[str] | None = None

    @property
    def vocabulary(self) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = sorted(self.postings)
        return self._vocabulary

    def word_matches(self, word: str) -> dict[str, float]:
        """Vocabulary words matching one folded query word, with the quality of each match: the word
        itself, words it starts or is part of, and only if there are none, close typos."""
        found: dict[str, float] = {}
        if word in self.postings:
            found[word] = EXACT
        for token in self.vocabulary:
            if token == word:
                continue
            if token.startswith(word):
                found[token] = PREFIX
            elif len(word) >= MIN_PART and word in token:
                found[token] = PART
        if not found and len(word) >= MIN_FUZZY:
            # typos are looked for only when the word matches nothing as written: a word that is
            # in the atlas means what it says, and the import of RapidFuzz is saved
            from rapidfuzz import fuzz, process

            cutoff = 80.0 if len(word) >= 7 else 85.0
            for token, score, _ in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=20
            ):
                found.setdefault(token, FUZZY * score / 100)
        return found


def search(atlas: Atlas, query: str, column: str | None = None, limit: int | None = None) -> list[Hit]:
    """Cities where every word of ``query`` matches, best first; one hit per city."""
    if column is not None and column not in SEARCH_COLUMNS:
        raise UnknownValue("column", column, SEARCH_COLUMNS)
    words = [fold(w) for w in _TOKEN.findall(query)]
    if not words:
        return []
    index = SearchIndex(atlas, (column,) if column else SEARCH_COLUMNS)
    per_word = [index.word_matches(w) for w in words]
    if len(words) > 1:
        joined = "".join(words)  # "lora wan" is the compound "LoRaWAN"
        if joined in index.postings:
            for matches in per_word:
                matches[joined] = max(matches.get(joined, 0.0), EXACT)
    # for each query word: city → {cell → best quality of that word in the cell}
    by_city: list[dict[int, dict[int, float]]] = []
    for matches in per_word:
        cities: dict[int, dict[int, float]] = {}
        for token, quality in matches.items():
            for cell_no in index.postings[token]:
                cells = cities.setdefault(index.cells[cell_no].city, {})
                if quality > cells.get(cell_no, 0.0):
                    cells[cell_no] = quality
        by_city.append(cities)
    common = set(by_city[0]).intersection(*by_city[1:])
    phrase = " ".join(words)
    tokens: set[str] = set().union(*per_word)
    hits = [
        _best_hit(index, city_no, [word[city_no] for word in by_city], phrase, tokens) for city_no in common
    ]
    hits.sort(key=lambda h: (-h.score, fold(h.stadt)))
    return hits[:limit] if limit is not None else hits


def _best_hit(
    index: SearchIndex, city_no: int, word_cells: list[dict[int, float]], phrase: str, tokens: set[str]
) -> Hit:
    """The hit of one city: the average best quality of each word, plus a bonus for the phrase;
    shown is the cell where the words match best together."""
    totals: dict[int, float] = {}
    for cells in word_cells:
        for cell_no, quality in cells.items():
            totals[cell_no] = totals.get(cell_no, 0.0) + quality
    best_cell = max(totals, key=lambda c: (totals[c], -c))
    cell = index.cells[best_cell]
    folded_text = fold(cell.text)
    score = sum(max(cells.values()) for cells in word_cells) / len(word_cells)
    if " " in phrase and phrase in folded_text:
        score += PHRASE_BONUS
    elif folded_text == phrase:
        score += PHRASE_BONUS / 5  # the whole cell is the word: a name, a field
    spans = _spans(cell.text, tokens)
    # tie-break within a tier: a match that is most of its cell ("Open Data Portal") beats one
    # inside a long sentence
    score += TIGHTNESS * sum(b - a for a, b in spans) / max(len(cell.text), 1)
    treffer, shown = _snippet(cell.text, spans)
    return Hit(index.cities[city_no].stadt, cell.column, round(score, 1), treffer, shown)


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

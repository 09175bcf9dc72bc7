"""Questions across the whole atlas: projects, field coverage, the city × field matrix, similar
cities and statistics. Plain values in and out; no typer, rich or I/O here."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from atlascli.model import ALL_FIELDS, Atlas, City, Handlungsfeld, Profile, Tallies, tallies_of
from atlascli.text import fold, folded_contains, item_key, item_label, match_key, named_items

# --- projects ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectRow:
    stadt: str
    projekt: str
    handlungsfelder: tuple[Handlungsfeld, ...]


def projects(
    cities: Iterable[City],
    *,
    feld: Handlungsfeld | None = None,
    text: str | None = None,
) -> list[ProjectRow]:
    """Every example project of these cities, optionally only those of a field or containing a text."""
    contains = folded_contains(text) if text else None
    rows = []
    for city in cities:
        for p in city.projektbeispiele:
            if feld is not None and feld not in p.handlungsfelder:
                continue
            if contains is not None and not contains(p.name):
                continue
            rows.append(ProjectRow(city.stadt, p.name, p.handlungsfelder))
    return rows


# --- fields --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldCoverage:
    feld: Handlungsfeld
    staedte: tuple[str, ...]

    @property
    def anzahl(self) -> int:
        return len(self.staedte)


def field_coverage(cities: Iterable[Profile]) -> list[FieldCoverage]:
    """The ten Handlungsfelder, most-worked-on first, each with the cities that work on it."""
    staedte: dict[Handlungsfeld, list[str]] = {f: [] for f in ALL_FIELDS}
    for city in cities:
        for f in dict.fromkeys(city.handlungsfelder):
            staedte[f].append(city.stadt)
    return _coverage(staedte)


def _coverage(staedte: Mapping[Handlungsfeld, Sequence[str]]) -> list[FieldCoverage]:
    coverage = [FieldCoverage(f, tuple(names)) for f, names in staedte.items()]
    coverage.sort(key=lambda fc: (-fc.anzahl, ALL_FIELDS.index(fc.feld)))
    return coverage


@dataclass(frozen=True)
class FieldDetail:
    feld: Handlungsfeld
    staedte: tuple[str, ...]  # the cities that name the field
    projekte: tuple[ProjectRow, ...]  # every project in the field
    beteiligte: tuple[str, ...]  # the cities that name it or have a project in it, in atlas order


def field_detail(cities: Sequence[City], feld: Handlungsfeld) -> FieldDetail:
    """One Handlungsfeld: its cities and its projects (a city may have a project in a field it does
    not name itself)."""
    rows = projects(cities, feld=feld)
    with_projects = {r.stadt for r in rows}
    return FieldDetail(
        feld,
        tuple(c.stadt for c in cities if feld in c.handlungsfelder),
        tuple(rows),
        tuple(c.stadt for c in cities if feld in c.handlungsfelder or c.stadt in with_projects),
    )


# --- matrix --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    stadt: str
    marks: tuple[bool, ...]  # one per field of Matrix.felder

    @property
    def coverage(self) -> int:
        return sum(self.marks)


@dataclass(frozen=True)
class Matrix:
    felder: tuple[Handlungsfeld, ...]
    rows: tuple[MatrixRow, ...]


def field_matrix(cities: Iterable[Profile], *, by_coverage: bool = False) -> Matrix:
    """Cities × Handlungsfelder. With ``by_coverage`` the cities with most fields come first and
    the fields most cities work on come first (ties in atlas order of fields)."""
    rows = [MatrixRow(c.stadt, tuple(f in c.handlungsfelder for f in ALL_FIELDS)) for c in cities]
    if not by_coverage:
        return Matrix(ALL_FIELDS, tuple(rows))
    counts = [sum(r.marks[i] for r in rows) for i in range(len(ALL_FIELDS))]
    order = sorted(range(len(ALL_FIELDS)), key=lambda i: (-counts[i], i))
    rows = [MatrixRow(r.stadt, tuple(r.marks[i] for i in order)) for r in rows]
    rows.sort(key=lambda r: (-r.coverage, fold(r.stadt)))
    return Matrix(tuple(ALL_FIELDS[i] for i in order), tuple(rows))


# --- names of networks and programmes ------------------------------------------------------------


@dataclass(frozen=True)
class ItemCount:
    name: str
    anzahl: int
    staedte: tuple[str, ...]


def frequent_items(cities: Iterable[Profile], column: str, minimum: int = 2) -> list[ItemCount]:
    """Networks or funding programmes named by at least ``minimum`` cities, most frequent first."""
    tallies = tallies_of(cities)  # the same pass atlas stats counts by
    where: Mapping[str, Sequence[int]] = getattr(tallies, column)
    return _counted_items(tallies.names, where, minimum)


def _counted_items(
    names: Sequence[str], where: Mapping[str, Sequence[int]], minimum: int, top: int | None = None
) -> list[ItemCount]:
    """The items named by at least ``minimum`` cities (the ``top`` most named), by
    :func:`item_key`: each shown by its commonest label (the first seen of equally common ones),
    with its cities in atlas order. ``where`` holds each item text, in order of first appearance,
    with the positions in ``names`` of the cities naming it (once per naming)."""
    labels: dict[str, Counter[str]] = {}
    positions: dict[str, list[Sequence[int]]] = {}
    # item texts in order of first appearance: the keys and each key's labels come in the order
    # in which a pass naming every item one by one would first meet them
    for item, rows in where.items():
        key = item_key(item)
        if not key:
            continue
        counter = labels.get(key)
        if counter is None:
            counter = labels[key] = Counter()
        counter[item_label(item)] += len(rows)
        positions.setdefault(key, []).append(rows)
    unique_names = len(set(names)) == len(names)

    def cities_of(key: str) -> tuple[str, ...]:
        lists = positions[key]
        rows = lists[0] if len(lists) == 1 else sorted(set().union(*lists))
        return tuple(dict.fromkeys([names[i] for i in rows]))  # a name twice counts once

    ranked = []  # (label, how many cities, key), in order of first appearance
    for key, lists in positions.items():
        # the cities need not be listed to be counted, unless two of them share a name
        anzahl = len(set().union(*lists)) if unique_names else len(cities_of(key))
        if anzahl >= minimum:
            ranked.append((labels[key].most_common(1)[0][0], anzahl, key))
    ranked.sort(key=lambda r: (-r[1], fold(r[0])))
    return [ItemCount(label, anzahl, cities_of(key)) for label, anzahl, key in ranked[:top]]


# --- similar cities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Similarity:
    stadt: str
    score: float  # 0 … 100
    shared_fields: int
    union_fields: int
    shared_items: tuple[str, ...]
    grund: str


FIELD_WEIGHT, ITEM_WEIGHT, SIZE_WEIGHT = 0.6, 0.25, 0.15


def similar_cities(atlas: Atlas, city: Profile, *, limit: int | None = None) -> list[Similarity]:
    """Other cities ranked by how alike their profile is to ``city``'s.

    Shared Handlungsfelder count by how rare they are (a field every city has says little), shared
    networks and funding programmes add to it, and so does a similar number of inhabitants.
    """
    # by name, not identity: a large file's lazy sequence builds a new record on every access
    own = match_key(city.stadt)
    n = len(atlas)
    counts = atlas.field_counts()
    rarity = {f: math.log((n + 1) / (1 + counts[f])) + 0.1 for f in ALL_FIELDS}
    mine_items = _item_keys(city)
    result = []
    for other in atlas.profiles():  # one pass, each profile dropped once scored
        if match_key(other.stadt) == own:
            continue
        shared = set(city.handlungsfelder) & set(other.handlungsfelder)
        union = set(city.handlungsfelder) | set(other.handlungsfelder)
        field_score = sum(rarity[f] for f in shared) / sum(rarity[f] for f in union) if union else 0.0
        theirs = _item_keys(other)
        common = [label for key, label in mine_items.items() if key in theirs]
        item_score = min(1.0, len(common) / 2)
        size_score = _size_similarity(city.einwohner, other.einwohner)
        score = 100 * (FIELD_WEIGHT * field_score + ITEM_WEIGHT * item_score + SIZE_WEIGHT * size_score)
        result.append(
            Similarity(
                other.stadt,
                round(score, 1),
                len(shared),
                len(union),
                tuple(common),
                _reason(len(shared), len(union), common, size_score, city, other),
            )
        )
    result.sort(key=lambda s: (-s.score, fold(s.stadt)))
    return result[:limit] if limit is not None else result


def _item_keys(city: Profile) -> dict[str, str]:
    named = named_items((*city.netzwerke, *city.foerderprogramme))
    return {key: item_label(item) for key, item in named.items()}


def _size_similarity(a: int, b: int) -> float:
    if a <= 0 or b <= 0:
        return 1.0 if a == b else 0.0
    return max(0.0, 1.0 - abs(math.log(a / b)) / math.log(4))  # 4× the size: nothing alike


def _reason(
    shared: int, union: int, common: Sequence[str], size: float, city: Profile, other: Profile
) -> str:
    parts = [f"shares {shared}/{union} fields" if union else "neither names a field"]
    if common:
        parts.append(
            "both name " + ", ".join(common[:2]) + (f" (+{len(common) - 2})" if len(common) > 2 else "")
        )
    if size >= 0.8:
        parts.append("similar size")
    if city.bundesland and city.bundesland == other.bundesland:
        parts.append(f"both in {city.bundesland}")
    return ", ".join(parts)


# --- statistics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    summe: int
    median: float
    minimum: int
    maximum: int


@dataclass(frozen=True)
class Stats:
    staedte: int
    einwohner: Summary
    flaeche_km2: Summary
    handlungsfelder_pro_stadt: Summary
    staedte_pro_bundesland: tuple[tuple[str, int], ...]
    felder: tuple[FieldCoverage, ...]
    netzwerke: tuple[ItemCount, ...]
    foerderprogramme: tuple[ItemCount, ...]


def _summary(values: Sequence[int]) -> Summary:
    if not values:
        return Summary(0, 0.0, 0, 0)
    return Summary(sum(values), float(statistics.median(values)), min(values), max(values))


def atlas_stats(tallies: Tallies, top: int = 10) -> Stats:
    """The figures of ``atlas stats`` from what the atlas counted (:meth:`Atlas.tallies`)."""
    names, einwohner, flaeche, felder_pro_stadt, per_land, staedte, netzwerke, foerderprogramme = tallies
    return Stats(
        staedte=len(names),
        einwohner=_summary(einwohner),
        flaeche_km2=_summary(flaeche),
        handlungsfelder_pro_stadt=_summary(felder_pro_stadt),
        staedte_pro_bundesland=tuple(sorted(per_land.items(), key=lambda kv: (-kv[1], fold(kv[0])))),
        felder=tuple(_coverage({f: staedte[f] for f in ALL_FIELDS})),
        netzwerke=tuple(_counted_items(names, netzwerke, 2, top)),
        foerderprogramme=tuple(_counted_items(names, foerderprogramme, 2, top)),
    )

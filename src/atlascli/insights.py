"""Questions across the whole atlas: projects, field coverage, the city × field matrix, similar
cities and statistics. Plain values in and out; no typer, rich or I/O here."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from atlascli.model import ALL_FIELDS, Atlas, City, Handlungsfeld, Profile
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
    labels: dict[str, Counter[str]] = {}
    where: dict[str, dict[str, None]] = {}  # the cities of each name, in atlas order, each once
    named: dict[str, tuple[str, str]] = {}  # item → (key, label): a large atlas repeats its items
    for city in cities:
        for item in getattr(city, column):
            if item not in named:
                named[item] = (item_key(item), item_label(item))
            key, label = named[item]
            if not key:
                continue
            labels.setdefault(key, Counter())[label] += 1
            where.setdefault(key, {})[city.stadt] = None
    counts = [
        ItemCount(labels[key].most_common(1)[0][0], len(staedte), tuple(staedte))
        for key, staedte in where.items()
        if len(staedte) >= minimum
    ]
    counts.sort(key=lambda c: (-c.anzahl, fold(c.name)))
    return counts


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


def atlas_stats(profiles: Iterable[Profile], top: int = 10) -> Stats:
    cities = list(profiles)  # read once: a large atlas reads its profiles from the store
    per_land = Counter(c.bundesland for c in cities)
    return Stats(
        staedte=len(cities),
        einwohner=_summary([c.einwohner for c in cities]),
        flaeche_km2=_summary([c.flaeche_km2 for c in cities]),
        handlungsfelder_pro_stadt=_summary([len(c.handlungsfelder) for c in cities]),
        staedte_pro_bundesland=tuple(sorted(per_land.items(), key=lambda kv: (-kv[1], fold(kv[0])))),
        felder=tuple(field_coverage(cities)),
        netzwerke=tuple(frequent_items(cities, "netzwerke")[:top]),
        foerderprogramme=tuple(frequent_items(cities, "foerderprogramme")[:top]),
    )

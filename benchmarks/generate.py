"""Make a synthetic atlas of N cities for the scale benchmarks.

    python benchmarks/generate.py 100000 benchmarks/.work/atlas-100000.tsv --seed 1

Every text comes from the real Smart City Atlas (``data/atlas.tsv``, the bundled atlas), sampled
and recombined: organisation and strategy texts (some joined with a second one, some cut to their
first clauses), networks, example projects, funding programmes and links drawn from the real pools
in numbers drawn from the real rows; the Handlungsfelder are random subsets of the ten. City names
recombine the real names with prefixes, suffixes and, where needed, numbers; they are unique the
way the atlas compares names (``match_key``: case, Unicode form and blanks ignored). Inhabitants and
area are random (log-normal). The output has the atlas TSV schema, written row by row with
:mod:`atlascli.tsv` as ``dumps`` does, about 1 KB per city; the same seed gives the same file.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from atlascli import ALL_FIELDS, City, Project, load_atlas
from atlascli.text import match_key
from atlascli.tsv import COLUMNS, city_cells

PREFIXES: tuple[str, ...] = ("", "", "", "", "Bad ", "Neu-", "Alt-", "Groß-", "Klein-", "Hohen-", "Sankt ")
SUFFIXES: tuple[str, ...] = (
    "",
    "",
    "",
    "-Nord",
    "-Süd",
    "-Ost",
    "-West",
    "-Mitte",
    "-Land",
    " am See",
    " an der Heide",
    " im Tal",
    " am Wald",
    " ob der Höhe",
)
T = TypeVar("T")

REAL_ATLAS = Path(__file__).resolve().parents[1] / "data" / "atlas.tsv"  # the bundled atlas's source

# Shares of organisation/strategy texts made of two real texts, and cut to their first clauses;
# tuned so that a row is about 1 KB on average.
JOIN_TWO = 0.15
CUT = 0.6


@dataclass(frozen=True)
class Pools:
    """The real cells to sample from."""

    names: tuple[str, ...]
    bundeslaender: tuple[str, ...]
    organisation: tuple[str, ...]
    strategie: tuple[str, ...]
    netzwerke: tuple[str, ...]
    projekte: tuple[Project, ...]
    foerderprogramme: tuple[str, ...]
    links: tuple[str, ...]
    # how many items the real rows have, to draw counts with the real distribution
    field_counts: tuple[int, ...]
    netzwerk_counts: tuple[int, ...]
    projekt_counts: tuple[int, ...]
    foerder_counts: tuple[int, ...]
    link_counts: tuple[int, ...]


def _unique(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def real_pools() -> Pools:
    cities = tuple(load_atlas(REAL_ATLAS))
    return Pools(
        names=tuple(c.stadt for c in cities),
        bundeslaender=_unique([c.bundesland for c in cities]),
        organisation=_unique([c.organisation for c in cities]),
        strategie=_unique([c.strategie for c in cities]),
        netzwerke=_unique([n for c in cities for n in c.netzwerke]),
        projekte=tuple(dict.fromkeys(p for c in cities for p in c.projektbeispiele)),
        foerderprogramme=_unique([f for c in cities for f in c.foerderprogramme]),
        links=_unique([u for c in cities for u in c.links]),
        field_counts=tuple(len(c.handlungsfelder) for c in cities),
        netzwerk_counts=tuple(len(c.netzwerke) for c in cities),
        projekt_counts=tuple(len(c.projektbeispiele) for c in cities),
        foerder_counts=tuple(len(c.foerderprogramme) for c in cities),
        link_counts=tuple(len(c.links) for c in cities),
    )


class Generator:
    def __init__(self, pools: Pools, seed: int) -> None:
        self.pools = pools
        self.rng = random.Random(seed)
        self.seen: set[str] = set()

    def name(self, limit: int) -> str:
        rng = self.rng
        base = f"{rng.choice(PREFIXES)}{rng.choice(self.pools.names)}{rng.choice(SUFFIXES)}"
        name = base
        while match_key(name) in self.seen:
            name = f"{base} {rng.randint(2, limit)}"
        self.seen.add(match_key(name))
        return name

    def text(self, pool: Sequence[str]) -> str:
        """A real text; sometimes two joined, sometimes only its first clauses (to vary the length)."""
        rng = self.rng
        first = rng.choice(pool)
        draw = rng.random()
        if draw < JOIN_TWO:
            second = rng.choice(pool)
            return first if second == first else f"{first.rstrip('. ')}. {second}"
        clauses = first.split(", ")
        if draw < JOIN_TWO + CUT and len(clauses) > 1:
            return ", ".join(clauses[: rng.randint(1, len(clauses) - 1)])
        return first

    def sample(self, pool: Sequence[T], counts: Sequence[int]) -> tuple[T, ...]:
        return tuple(self.rng.sample(pool, min(len(pool), self.rng.choice(counts))))

    def city(self, limit: int) -> City:
        rng, p = self.rng, self.pools
        count = rng.choice(p.field_counts)
        fields = sorted(rng.sample(range(len(ALL_FIELDS)), count))
        return City(
            stadt=self.name(limit),
            bundesland=rng.choice(p.bundeslaender),
            einwohner=min(4_000_000, max(50, round(math.exp(rng.gauss(9.3, 1.4))))),
            flaeche_km2=min(1_000, max(1, round(math.exp(rng.gauss(3.9, 0.8))))),
            organisation=self.text(p.organisation),
            strategie=self.text(p.strategie),
            handlungsfelder=tuple(ALL_FIELDS[i] for i in fields),
            netzwerke=self.sample(p.netzwerke, p.netzwerk_counts),
            projektbeispiele=self.sample(p.projekte, p.projekt_counts),
            foerderprogramme=self.sample(p.foerderprogramme, p.foerder_counts),
            links=self.sample(p.links, p.link_counts),
        )

    def cities(self, n: int) -> Iterator[City]:
        limit = max(100, 10 * n)
        for _ in range(n):
            yield self.city(limit)


def write_atlas(n: int, out: Path, seed: int) -> None:
    """Write the synthetic atlas atomically (a temporary file renamed into place)."""
    generator = Generator(real_pools(), seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as f:
            f.write("\t".join(COLUMNS) + "\n")
            for city in generator.cities(n):
                f.write("\t".join(city_cells(city)) + "\n")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make a synthetic atlas TSV of N cities.")
    parser.add_argument("n", type=int, help="number of cities")
    parser.add_argument("out", type=Path, help="the TSV file to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    write_atlas(args.n, args.out, args.seed)
    size = args.out.stat().st_size
    print(f"{args.out}: {args.n} cities, {size / 1e6:.1f} MB ({size / args.n:.0f} bytes per city)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

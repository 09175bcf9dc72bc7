"""Search quality on the bundled atlas (issue 12): how often the right city comes first.

Three groups of queries, each reported as top-1 (the first city is right) and recall (a right
city is among the results):

* judged: hand-written queries with the cities that must come first (search_queries.tsv);
* generated typos: a seeded sample of the atlas's own words of 5+ letters with one random edit
  (a neighbouring key, a deletion, an insertion or a transposition, never the first letter), and
  of 9+ letters with two; the first city is right when it holds the word or a word as near to the
  typo (Damerau-Levenshtein/OSA, after folding) as the word is;
* random consonant strings, which must find nothing ("quiet").

    python benchmarks/search_quality.py              # print the table
    python benchmarks/search_quality.py --failures   # and every query that missed
    python benchmarks/search_quality.py --write      # also replace its section in RESULTS.md

It imports the atlascli of the current environment (run it from the project's venv; with
``PYTHONPATH=/other/checkout/src`` it measures another checkout).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from rapidfuzz.distance import OSA

from atlascli.loader import load_atlas
from atlascli.model import Atlas, City
from atlascli.schema import SEARCH_COLUMNS
from atlascli.search import search

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "search_queries.tsv"
RESULTS = HERE / "RESULTS.md"
START, END = "<!-- results:search-quality:start -->", "<!-- results:search-quality:end -->"
SEED = 12
SAMPLE = 300  # one-edit typos
SAMPLE_TWO = 100  # two-edit typos
RANDOM = 30

_ROWS = ["qwertzuiopü", "asdfghjklöä", "yxcvbnm"]
_WORD = re.compile(r"[^\W\d_]+")
_CONSONANTS = "bcdfghjklmnpqrstvwxz"


def _neighbours() -> dict[str, str]:
    """The keys next to each letter on a German keyboard (same row and the rows above and below)."""
    where = {ch: (r, c) for r, row in enumerate(_ROWS) for c, ch in enumerate(row)}
    near: dict[str, str] = {}
    for ch, (r, c) in where.items():
        near[ch] = "".join(
            other
            for other, (r2, c2) in where.items()
            if other != ch and abs(r - r2) <= 1 and abs(c - c2) <= 1 + (r2 > r)
        )
    return near


NEAR = _neighbours()


def _fold(word: str) -> str:
    """The benchmark's own fold (independent of the code under test): lower case, umlauts spelled out."""
    word = word.casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        word = word.replace(a, b)
    return word


def one_edit(word: str, rng: random.Random) -> str:
    """``word`` with one random edit, never at the first letter, different from ``word``."""
    while True:
        kind = rng.choice(["substitute", "delete", "insert", "transpose"])
        i = rng.randrange(1, len(word))
        ch = word[i].lower()
        if kind == "substitute" and NEAR.get(ch):
            typo = word[:i] + rng.choice(NEAR[ch]) + word[i + 1 :]
        elif kind == "delete":
            typo = word[:i] + word[i + 1 :]
        elif kind == "insert":
            typo = word[:i] + rng.choice(NEAR.get(ch) or "e") + word[i:]
        elif kind == "transpose" and i + 1 < len(word):
            typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            continue
        if _fold(typo) != _fold(word):
            return typo


def two_edits(word: str, rng: random.Random) -> str:
    while True:
        typo = one_edit(one_edit(word, rng), rng)
        if OSA.distance(_fold(typo), _fold(word)) == 2:
            return typo


def city_words(city: City) -> set[str]:
    words: set[str] = set()
    for column in SEARCH_COLUMNS:
        value = getattr(city, column)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            text = getattr(item, "name", None) or getattr(item, "value", None) or str(item)
            words.update(_WORD.findall(text))
    return words


class Group:
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = self.top = self.found = 0
        self.failures: list[str] = []

    def add(self, query: str, top: bool, found: bool, detail: str) -> None:
        self.count += 1
        self.top += top
        self.found += found
        if not top:
            self.failures.append(f"{query!r}: {detail}")

    def row(self) -> str:
        def pct(n: int) -> str:
            return f"{100 * n / self.count:.1f}%" if self.count else "–"

        return f"| {self.name} | {self.count} | {pct(self.top)} | {pct(self.found)} |"


def judged(atlas: Atlas) -> Group:
    group = Group("judged queries")
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, expected = line.split("\t")[:2]
        right = set(expected.split("|"))
        names = [h.stadt for h in search(atlas, query)]
        group.add(query, bool(names) and names[0] in right, bool(right & set(names)), f"got {names[:3]}")
    return group


def typos(atlas: Atlas, edits: int, sample: int, min_len: int, rng: random.Random) -> Group:
    words_of = {city.stadt: city_words(city) for city in atlas.cities}
    vocabulary = sorted({w for ws in words_of.values() for w in ws if len(w) >= min_len})
    group = Group(f"typos, {edits} edit{'s' * (edits > 1)} ({min_len}+ letters)")
    make: Callable[[str, random.Random], str] = one_edit if edits == 1 else two_edits
    for word in rng.sample(vocabulary, min(sample, len(vocabulary))):
        typo = make(word, rng)
        distance = OSA.distance(_fold(typo), _fold(word))
        holders = {name for name, ws in words_of.items() if word in ws}
        names = [h.stadt for h in search(atlas, typo)]

        def near(name: str, typo: str = typo, distance: int = distance) -> bool:
            return any(OSA.distance(_fold(typo), _fold(w)) <= distance for w in words_of[name])

        top = bool(names) and (names[0] in holders or near(names[0]))
        group.add(f"{typo} ({word})", top, bool(holders & set(names)), f"got {names[:3]}")
    return group


def quiet(atlas: Atlas, rng: random.Random) -> Group:
    group = Group("random consonant strings (quiet)")
    for _ in range(RANDOM):
        query = "".join(rng.choice(_CONSONANTS) for _ in range(rng.randint(5, 9)))
        names = [h.stadt for h in search(atlas, query)]
        group.add(query, not names, not names, f"found {names[:3]}")
    return group


def measure() -> list[Group]:
    atlas = load_atlas(None)
    rng = random.Random(SEED)
    return [
        judged(atlas),
        typos(atlas, 1, SAMPLE, 5, rng),
        typos(atlas, 2, SAMPLE_TWO, 9, rng),
        quiet(atlas, rng),
    ]


def table(groups: Iterable[Group]) -> str:
    lines = ["| group | queries | top-1 | recall |", "|---|---:|---:|---:|"]
    return "\n".join([*lines, *(g.row() for g in groups)])


def section(groups: list[Group]) -> str:
    import atlascli

    return (
        "## Search quality (benchmarks/search_quality.py, bundled atlas)\n\n"
        f"Written by `python benchmarks/search_quality.py --write` (atlas {atlascli.__version__}, "
        f"seed {SEED}); top-1: the first city is right; recall: a right city is among the results.\n\n"
        f"{table(groups)}\n\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--failures", action="store_true", help="list every query whose top city is wrong")
    parser.add_argument("--write", action="store_true", help=f"replace the table in {RESULTS.name}")
    args = parser.parse_args(argv)
    groups = measure()
    print(table(groups))
    if args.write:
        text = RESULTS.read_text(encoding="utf-8")
        before, _, rest = text.partition(START)
        _, _, after = rest.partition(END)
        RESULTS.write_text(f"{before}{START}\n{section(groups)}{END}{after}", encoding="utf-8")
    if args.failures:
        for g in groups:
            for failure in g.failures:
                print(f"{g.name}: {failure}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

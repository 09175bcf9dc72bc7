"""Build data/atlas.tsv from the raw Smart City Atlas table, deterministically.

    python scripts/build_atlas.py           # write data/atlas.tsv
    python scripts/build_atlas.py --check   # exit 1 if data/atlas.tsv is not what the build gives

Repairs come from two places, both reviewable:
- ``data/source/corrections.tsv``: one line per repair of one city's cell (``replace`` raw → fixed,
  ``move`` a cell to another column, ``keep`` a clause whole although it contains commas);
  every line must apply exactly once, or the build fails.
- the general rules below (``rule_*``), each tested on its own in tests/test_build.py.
The build then checks its own output (balanced guillemets, no HTML, no double spaces, no trailing
commas, valid URLs) and that the package's loader reads it back to the same records.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from atlascli.loader import parse_atlas  # noqa: E402  (the package lives in src/, added just above)
from atlascli.model import FIELD_BY_NAME, City, Project  # noqa: E402
from atlascli.tsv import dumps  # noqa: E402

RAW = ROOT / "data" / "source" / "smart-city-atlas-2019.txt"
CORRECTIONS = ROOT / "data" / "source" / "corrections.tsv"
OUTPUT = ROOT / "data" / "atlas.tsv"

RAW_COLUMNS = {
    "Stadt": "stadt",
    "Einwohner": "einwohner",
    "Fläche": "flaeche_km2",
    "Organisation": "organisation",
    "Strategie": "strategie",
    "Handlungsfelder": "handlungsfelder",
    "Netzwerke": "netzwerke",
    "Projektbeispiele": "projektbeispiele",
    "Förderprogramme": "foerderprogramme",
    "Links": "links",
}

BUNDESLAND = {
    "Aachen": "Nordrhein-Westfalen",
    "Augsburg": "Bayern",
    "Bonn": "Nordrhein-Westfalen",
    "Braunschweig": "Niedersachsen",
    "Chemnitz": "Sachsen",
    "Darmstadt": "Hessen",
    "Dortmund": "Nordrhein-Westfalen",
    "Dresden": "Sachsen",
    "Duisburg": "Nordrhein-Westfalen",
    "Freiburg im Breisgau": "Baden-Württemberg",
    "Gelsenkirchen": "Nordrhein-Westfalen",
    "Halle (Saale)": "Sachsen-Anhalt",
    "Hannover": "Niedersachsen",
    "Heidelberg": "Baden-Württemberg",
    "Karlsruhe": "Baden-Württemberg",
    "Leipzig": "Sachsen",
    "Münster": "Nordrhein-Westfalen",
    "Oldenburg": "Niedersachsen",
    "Rostock": "Mecklenburg-Vorpommern",
    "Wuppertal": "Nordrhein-Westfalen",
}


class BuildError(Exception):
    pass


@dataclass(frozen=True)
class Correction:
    kind: str  # replace | move | keep
    stadt: str
    spalte: str
    raw: str
    fixed: str
    reason: str


def read_corrections(path: Path = CORRECTIONS) -> list[Correction]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    corrections = [Correction(**row) for row in rows]
    for c in corrections:
        if c.kind not in {"replace", "move", "keep"}:
            raise BuildError(f"corrections: unknown kind {c.kind!r}")
        if not c.reason:
            raise BuildError(f"corrections: {c.stadt}/{c.spalte}: every repair needs a reason")
    return corrections


# --- reading the raw table ------------------------------------------------------------------


def raw_rows(text: str) -> Iterator[dict[str, str]]:
    """The data rows of the raw table as {clean column: raw cell}; page headers, blank lines and
    the closing source line are skipped."""
    columns: list[str] | None = None
    for line in text.split("\n"):
        if not line.strip() or line.startswith("Quelle:"):
            continue
        cells = line.split("\t")
        if cells[0] == "Stadt":
            columns = [_raw_column(c) for c in cells]
            continue
        if columns is None or len(cells) != len(columns):
            raise BuildError(f"raw table: unexpected line {line[:60]!r}")
        yield dict(zip(columns, cells, strict=True))


def _raw_column(header: str) -> str:
    for prefix, name in RAW_COLUMNS.items():
        if header.startswith(prefix):
            return name
    raise BuildError(f"raw table: unknown column {header!r}")


# --- general rules, each tested on its own ---------------------------------------------------

_ANCHOR = re.compile(r'<a href="(?P<href>[^"]*)">(?P<text>.*?)</a>')
_SPACES = re.compile(r"\s+")
_BROKEN_WORD = re.compile(r"(?<=[a-zäöüß]) - (?=[a-zäöüß])")
_GERMAN_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})*")


def rule_german_integer(cell: str) -> int:
    """``246.272`` (German thousands separator) → 246272."""
    text = cell.strip()
    if not _GERMAN_THOUSANDS.fullmatch(text):
        raise BuildError(f"not a German whole number: {cell!r}")
    return int(text.replace(".", ""))


def rule_anchors_to_urls(cell: str) -> list[str]:
    """``<a href="U">U</a> <a ...>`` → the URLs; the anchor text must repeat the href."""
    urls = []
    for match in _ANCHOR.finditer(cell):
        href, label = match["href"], match["text"]
        if _SPACES.sub(" ", href) != _SPACES.sub(" ", label):
            raise BuildError(f"link text differs from its target: {href!r} / {label!r}")
        urls.append(href)
    if _ANCHOR.sub("", cell).strip():
        raise BuildError(f"text outside the links: {_ANCHOR.sub('', cell).strip()!r}")
    return urls


def rule_collapse_spaces(text: str) -> str:
    """Runs of white space become one space; none at either end."""
    return _SPACES.sub(" ", text).strip()


def rule_join_broken_words(text: str) -> str:
    """``Wirtschafts - förderung`` (a PDF line-end hyphen with spaces, lower case on both sides) →
    ``Wirtschaftsförderung``. A dash between words that starts a capitalised word is left alone."""
    return _BROKEN_WORD.sub("", text)


def rule_strip_trailing_commas(text: str) -> str:
    """A list that ends in a comma (``E-Government-Forum,``) loses the comma."""
    return text.rstrip(", ").strip()


def rule_split_top_level(text: str) -> list[str]:
    """Split a comma list; commas inside (parentheses) or »guillemets« do not separate items."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "(»":
            depth += 1
        elif ch in ")«" and depth > 0:
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i].strip())
            start = i + 1
    items.append(text[start:].strip())
    return [item for item in items if item]


def rule_keep_clauses(items: list[str], clauses: list[str]) -> tuple[list[str], set[str]]:
    """Merge the consecutive items that together spell one of ``clauses`` back into one item."""
    used: set[str] = set()
    merged = list(items)
    for clause in clauses:
        for start in range(len(merged)):
            for end in range(start + 1, len(merged) + 1):
                if ", ".join(merged[start:end]) == clause:
                    merged[start:end] = [clause]
                    used.add(clause)
                    break
            if clause in used:
                break
    return merged, used


def rule_project(item: str) -> Project:
    """``Name (Feld / Feld)`` or ``Name (Feld, Feld)`` → a Project; a bare name has no fields."""
    match = re.fullmatch(r"(?P<name>.*?)\s*\((?P<fields>[^()]*)\)", item)
    if match is None:
        return Project(item, ())
    names = [n.strip() for n in re.split(r"[,/]", match["fields"])]
    if not all(n in FIELD_BY_NAME for n in names):
        return Project(item, ())
    return Project(match["name"], tuple(FIELD_BY_NAME[n] for n in names))


def rule_unique(items: list[str]) -> list[str]:
    """Drop repeated items (Gelsenkirchen lists one link twice), keeping the first."""
    return list(dict.fromkeys(items))


# --- checks on the result --------------------------------------------------------------------


def check_text(where: str, text: str) -> None:
    if "<" in text or ">" in text:
        raise BuildError(f"{where}: HTML left in {text!r}")
    if "  " in text or text != text.strip():
        raise BuildError(f"{where}: stray spaces in {text!r}")
    if text.endswith(","):
        raise BuildError(f"{where}: trailing comma in {text!r}")
    depth = 0
    for ch in text:
        depth += {"»": 1, "«": -1}.get(ch, 0)
        if depth not in (0, 1):
            raise BuildError(f"{where}: unbalanced guillemets in {text!r}")
    if depth:
        raise BuildError(f"{where}: unbalanced guillemets in {text!r}")


# --- the build -------------------------------------------------------------------------------


def build_cities(raw_text: str, corrections: list[Correction]) -> list[City]:
    used: set[int] = set()
    cities = []
    for row in raw_rows(raw_text):
        stadt = row["stadt"].strip()
        mine = [(i, c) for i, c in enumerate(corrections) if c.stadt == stadt]
        for i, c in mine:
            if c.kind == "move":
                if row[c.fixed].strip():
                    raise BuildError(f"{stadt}: cannot move {c.spalte} into non-empty {c.fixed}")
                row[c.fixed], row[c.spalte] = row[c.spalte], ""
                used.add(i)
        row["links"] = "; ".join(rule_anchors_to_urls(row["links"]))
        for i, c in mine:
            if c.kind == "replace":
                if row[c.spalte].count(c.raw) != 1:
                    raise BuildError(f"{stadt}/{c.spalte}: {c.raw!r} must occur exactly once")
                row[c.spalte] = row[c.spalte].replace(c.raw, c.fixed)
                used.add(i)
        text = {
            k: rule_strip_trailing_commas(rule_join_broken_words(rule_collapse_spaces(v)))
            for k, v in row.items()
        }

        def items(
            column: str, text: dict[str, str] = text, mine: list[tuple[int, Correction]] = mine
        ) -> list[str]:
            found = rule_split_top_level(text[column])
            clauses = [(i, c.raw) for i, c in mine if c.kind == "keep" and c.spalte == column]
            merged, kept = rule_keep_clauses(found, [clause for _, clause in clauses])
            used.update(i for i, clause in clauses if clause in kept)
            return merged

        fields = []
        for name in items("handlungsfelder"):
            if name not in FIELD_BY_NAME:
                raise BuildError(f"{stadt}: unknown Handlungsfeld {name!r}")
            fields.append(FIELD_BY_NAME[name])
        city = City(
            stadt=stadt,
            bundesland=BUNDESLAND[stadt],
            einwohner=rule_german_integer(text["einwohner"]),
            flaeche_km2=rule_german_integer(text["flaeche_km2"]),
            organisation=text["organisation"],
            strategie=text["strategie"],
            handlungsfelder=tuple(fields),
            netzwerke=tuple(items("netzwerke")),
            projektbeispiele=tuple(rule_project(p) for p in items("projektbeispiele")),
            foerderprogramme=tuple(items("foerderprogramme")),
            links=tuple(rule_unique(text["links"].split("; ") if text["links"] else [])),
        )
        for column, value in text.items():
            if column != "links":
                check_text(f"{stadt}/{column}", value)
        for p in city.projektbeispiele:
            check_text(f"{stadt}/projektbeispiele", p.name)
        cities.append(city)
    unused = [c for i, c in enumerate(corrections) if i not in used]
    if unused:
        raise BuildError(
            "corrections that did not apply: " + "; ".join(f"{c.stadt}/{c.spalte}: {c.raw!r}" for c in unused)
        )
    if sorted(c.stadt for c in cities) != sorted(BUNDESLAND):
        raise BuildError("the raw table's cities differ from the Bundesland table")
    return cities


def build() -> str:
    """The text of data/atlas.tsv."""
    cities = build_cities(RAW.read_text(encoding="utf-8"), read_corrections())
    out = dumps(cities)
    if parse_atlas(out.encode("utf-8")).cities != tuple(cities):
        raise BuildError("the loader does not read the built file back to the same records")
    return out


def main(argv: list[str]) -> int:
    out = build()
    if "--check" in argv:
        if OUTPUT.read_text(encoding="utf-8") != out:
            print(f"{OUTPUT} is stale: run python scripts/build_atlas.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_bytes(out.encode("utf-8"))
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {out.count(chr(10)) - 1} cities")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Rich views of core values for the terminal. Every piece of data goes in as ``Text`` (never as
markup) and through :func:`safe_text`, so the data cannot style, link or control the terminal."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from atlascli.model import ALL_FIELDS, City
from atlascli.render.terminal import can_encode, safe_text
from atlascli.tsv import column_value

if TYPE_CHECKING:  # only for annotations: the views are imported on every table's start-up
    from atlascli.query import Comparison
    from atlascli.search import Hit

HEADINGS = {
    "stadt": "Stadt",
    "bundesland": "Bundesland",
    "einwohner": "Einwohner",
    "flaeche_km2": "Fläche km²",
    "einwohner_pro_km2": "Einw./km²",
    "organisation": "Organisation",
    "strategie": "Strategie",
    "handlungsfelder": "Handlungsfelder",
    "netzwerke": "Netzwerke",
    "projektbeispiele": "Projektbeispiele",
    "foerderprogramme": "Förderprogramme",
    "links": "Links",
}
SHORT_HEADINGS = {"Einwohner": "Einw.", "Fläche km²": "km²", "Einw./km²": "/km²", "Felder": "HF"}
NUMERIC = frozenset({"einwohner", "flaeche_km2", "einwohner_pro_km2"})


def t(text: str, style: str = "") -> Text:
    """Data as literal, safe text."""
    return Text(safe_text(text), style=style)


def number(value: int | float | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return f"{value:,}"


class Marks:
    """Check marks that survive terminals which cannot show them."""

    def __init__(self, console: Console) -> None:
        fancy = can_encode(console, "✓·★")
        self.yes = "✓" if fancy else "x"
        self.no = "·" if fancy else "-"
        self.shared = "★" if fancy else "*"
        self.bullet = "•" if fancy else "-"
        self.dash = "—" if fancy else "-"


def make_table(console: Console, **kwargs: object) -> Table:
    return Table(
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        safe_box=not can_encode(console, "─│"),
        **kwargs,  # type: ignore[arg-type]  # Table's keyword arguments are typed one by one
    )


def cities_table(
    console: Console, cities: Sequence[City], columns: Sequence[str], field_count: bool = False
) -> Table:
    """Cities as rows; with ``field_count`` the Handlungsfelder column shows how many there are.

    Nothing is cropped at any width: text folds, and number columns are never narrower than their
    widest value (their headings wrap instead; Rich crops no_wrap columns that do not fit).
    """
    rows: list[list[Text]] = []
    for city in cities:
        row: list[Text] = []
        for column in columns:
            value = column_value(city, column)
            if column == "handlungsfelder" and field_count:
                row.append(Text(str(len(city.handlungsfelder))))
            elif column in NUMERIC:
                row.append(Text(number(value if isinstance(value, int | float) else None)))
            elif isinstance(value, list):
                row.append(t("; ".join(value)))
            else:
                row.append(t("" if value is None else str(value)))
        rows.append(row)
    table = make_table(console)
    numeric = [c in NUMERIC or (c == "handlungsfelder" and field_count) for c in columns]
    headings = ["Felder" if c == "handlungsfelder" and field_count else HEADINGS.get(c, c) for c in columns]
    natural = [max([len(h), *(r[i].cell_len for r in rows)]) for i, h in enumerate(headings)]
    if sum(natural) + 3 * (len(columns) - 1) > console.width:
        headings = [SHORT_HEADINGS.get(h, h) for h in headings]
    fixed = [
        max([*(r[i].cell_len for r in rows), *(len(w) for w in headings[i].split())]) if numeric[i] else 0
        for i in range(len(columns))
    ]
    widths = fit_widths(console.width, natural, fixed, gap=3)
    for i, column in enumerate(columns):
        table.add_column(
            headings[i],
            justify="right" if numeric[i] else "left",
            style="bold" if column == "stadt" else "",
            overflow="fold",
            width=widths[i],
        )
    for row in rows:
        table.add_row(*row)
    return table


def fit_widths(
    total: int, natural: Sequence[int], fixed: Sequence[int], gap: int, least: int = 4
) -> list[int]:
    """Column widths that fit ``total``: columns with a ``fixed`` width (numbers) keep it, the others
    share what is left in proportion to their natural width, each at least ``least``.

    Rich alone would crop columns that cannot wrap when a terminal is narrow (Rich issue 2890).
    """
    room = total - gap * (len(natural) - 1)
    if sum(natural) <= room:
        return list(natural)
    flexible = [i for i, f in enumerate(fixed) if not f]
    left = max(room - sum(f for f in fixed if f), least * len(flexible))
    wanted = sum(natural[i] for i in flexible) or 1
    widths = [f or 0 for f in fixed]
    for i in flexible:
        widths[i] = max(least, min(natural[i], left * natural[i] // wanted))
    spare = left - sum(widths[i] for i in flexible)
    for i in sorted(flexible, key=lambda i: natural[i] - widths[i], reverse=True):
        if spare <= 0:
            break
        extra = min(spare, natural[i] - widths[i])
        widths[i] += extra
        spare -= extra
    return widths


def bullets(
    items: Sequence[str],
    marks: Marks,
    shared: Callable[[str], bool] | None = None,
    width: int | None = None,
) -> Text:
    """Items as bulleted lines of one Text; shared items starred. Given the ``width`` they are
    shown in, wrapped lines hang under the text (wrapped here: a grid table per list would do
    the same at twice the rendering time)."""
    if not items:
        return Text("none listed", style="dim")
    out = Text()
    for i, item in enumerate(items):
        if i:
            out.append("\n")
        text = safe_text(item)
        if width is not None and len(text) > width - 2:
            text = "\n  ".join(textwrap.wrap(text, width - 2, break_on_hyphens=False)) or text
        if shared is not None and shared(item):
            out.append(f"{marks.shared} {text}", style="yellow")
        else:
            out.append(f"{marks.bullet} {text}")
    return out


def _section(title: str, body: RenderableType) -> Group:
    return Group(Text(title, style="bold underline"), Padding(body, (0, 0, 1, 2), expand=False))


def city_view(console: Console, city: City) -> Group:
    marks = Marks(console)
    header = Text()
    header.append(safe_text(city.stadt), style="bold")
    facts = [
        safe_text(city.bundesland) or "Bundesland unknown",
        f"{number(city.einwohner)} Einwohner",
        f"{number(city.flaeche_km2)} km²",
        f"{number(city.einwohner_pro_km2)} Einwohner/km²",
    ]
    header.append(
        f"  {marks.dash}  " + " · ".join(facts) if can_encode(console, "·²") else "  " + ", ".join(facts)
    )
    fields = Text()
    for i, feld in enumerate(ALL_FIELDS):
        if i:
            fields.append("\n")
        if feld in city.handlungsfelder:
            fields.append(f"{marks.yes} {feld.value}", style="green")
        else:
            fields.append(f"{marks.no} {feld.value}", style="dim")
    fields.append(f"\n{len(city.handlungsfelder)} of {len(ALL_FIELDS)}", style="dim")
    projects: RenderableType
    if city.projektbeispiele:
        projects = make_table(console, show_header=False, box=None)
        projects.add_column(overflow="fold", ratio=3)
        projects.add_column(overflow="fold", style="cyan", ratio=2)
        for p in city.projektbeispiele:
            projects.add_row(t(p.name), t(" / ".join(f.value for f in p.handlungsfelder)))
    else:
        projects = Text("none listed", style="dim")
    links = (
        # folded when longer than the terminal; on terminals the OSC 8 link keeps the whole URL.
        # The target goes into an escape sequence, so it is made safe like the visible text.
        Text("\n").join(Text(safe_text(url), style=f"link {safe_text(url)}") for url in city.links)
        if city.links
        else None
    )
    parts: list[RenderableType] = [
        Padding(header, (0, 0, 1, 0), expand=False),
        _section("Organisation", t(city.organisation) if city.organisation else Text("–", style="dim")),
        _section("Strategie", t(city.strategie) if city.strategie else Text("–", style="dim")),
        _section("Handlungsfelder", fields),
        _section("Projektbeispiele", projects),
        _section("Netzwerke", bullets(city.netzwerke, marks, width=console.width - 2)),
        _section("Förderprogramme", bullets(city.foerderprogramme, marks, width=console.width - 2)),
        _section("Links", links if links is not None else Text("none listed", style="dim")),
    ]
    return Group(*parts)


def hits_table(console: Console, hits: Sequence[Hit]) -> Table:
    table = make_table(console)
    table.add_column("Stadt", style="bold", overflow="fold", min_width=8)
    table.add_column("Spalte", overflow="fold")
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Treffer", overflow="fold", ratio=1)
    for hit in hits:
        table.add_row(
            t(hit.stadt), Text(hit.spalte), Text(f"{hit.score:.0f}"), highlighted(hit.treffer, hit.spans)
        )
    return table


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> Text:
    """Text with the matched spans emphasised; controls are removed piece by piece so spans stay put."""
    out = Text()
    position = 0
    for start, end in spans:
        out.append(safe_text(text[position:start]))
        out.append(safe_text(text[start:end]), style="bold yellow reverse")
        position = end
    out.append(safe_text(text[position:]))
    return out


def comparison_view(console: Console, comparison: Comparison) -> Group:
    marks = Marks(console)
    names = [c.stadt for c in comparison.cities]
    facts = make_table(console, title=None)
    facts.add_column("", style="bold", no_wrap=True)
    for name in names:
        facts.add_column(t(name), justify="right", overflow="fold")
    facts.add_row("Bundesland", *[t(c.bundesland) for c in comparison.cities])
    facts.add_row("Einwohner", *[number(c.einwohner) for c in comparison.cities])
    facts.add_row("Fläche km²", *[number(c.flaeche_km2) for c in comparison.cities])
    facts.add_row("Einw./km²", *[number(c.einwohner_pro_km2) for c in comparison.cities])
    facts.add_section()
    for feld in ALL_FIELDS:
        facts.add_row(
            feld.value,
            *[
                Text(marks.yes, style="green") if feld in c.handlungsfelder else Text(marks.no, style="dim")
                for c in comparison.cities
            ],
        )
    summary = Text()
    shared = ", ".join(f.value for f in comparison.fields_in_all) or "none"
    summary.append("All share: ", style="bold")
    summary.append(shared)
    for name, only in comparison.fields_only_in.items():
        if only:
            summary.append(f"\nOnly in {safe_text(name)}: ", style="bold")
            summary.append(", ".join(f.value for f in only))
    if comparison.fields_in_none:
        summary.append("\nNone of them: ", style="bold")
        summary.append(", ".join(f.value for f in comparison.fields_in_none))
    lists = make_table(console)
    lists.add_column("", style="bold", no_wrap=True)
    for name in names:
        lists.add_column(t(name), overflow="fold", ratio=1)
    for block in comparison.lists:
        cells = [bullets(block.per_city[name], marks, block.is_shared) for name in names]
        lists.add_row(HEADINGS[block.column], *cells)
        lists.add_section()
    if any(block.shared for block in comparison.lists):
        legend = Text(
            f"{marks.shared} named by more than one of these cities (after normalising names)", style="dim"
        )
        return Group(facts, Text(), summary, Text(), lists, legend)
    return Group(facts, Text(), summary, Text(), lists)

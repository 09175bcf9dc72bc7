"""Cities side by side (``atlas compare``)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.text import Text

from atlascli.model import ALL_FIELDS
from atlascli.query import Comparison
from atlascli.render.records import column_value
from atlascli.render.terminal import safe_text
from atlascli.render.views import Marks, bullets, make_table, number, t
from atlascli.schema import BY_NAME


def comparison_view(console: Console, comparison: Comparison) -> Group:
    marks = Marks(console)
    names = [c.stadt for c in comparison.cities]
    facts = make_table(console, title=None)
    facts.add_column("", style="bold", no_wrap=True)
    for name in names:
        facts.add_column(t(name), justify="right", overflow="fold")
    facts.add_row("Bundesland", *[t(c.bundesland) for c in comparison.cities])
    for column in ("einwohner", "flaeche_km2", "einwohner_pro_km2"):
        facts.add_row(BY_NAME[column].heading, *[number(column_value(c, column)) for c in comparison.cities])  # type: ignore[arg-type]  # numeric columns hold numbers
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
        lists.add_row(BY_NAME[block.column].heading, *cells)
        lists.add_section()
    if any(block.shared for block in comparison.lists):
        legend = Text(
            f"{marks.shared} named by more than one of these cities (after normalising names)", style="dim"
        )
        return Group(facts, Text(), summary, Text(), lists, legend)
    return Group(facts, Text(), summary, Text(), lists)

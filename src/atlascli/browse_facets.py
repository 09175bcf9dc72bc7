"""The facets of ``atlas browse`` (key ``f``): Handlungsfelder (all or any), a Bundesland and a
range of inhabitants, the conditions of ``atlas filter`` (a :class:`CityFilter`, selected by the
core's ``atlas.select``), and the ``atlas filter`` command line that selects the same cities.

Imported by :mod:`atlascli.browse` only (Textual, like it).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from atlascli.model import ALL_FIELDS, CityFilter, Handlungsfeld
from atlascli.render.terminal import safe_text
from atlascli.render.views import number

NO_FACETS = CityFilter()


def facet_summary(conditions: CityFilter) -> str:
    """The facets in force, in a few words, for the line above the list ('' when there are none)."""
    parts: list[str] = []
    if conditions.felder:
        joiner = " or " if conditions.any_feld else " + "
        parts.append(joiner.join(f.value for f in conditions.felder))
    if conditions.bundesland is not None:
        parts.append(conditions.bundesland)
    low, high = conditions.min_einwohner, conditions.max_einwohner
    if low is not None and high is not None:
        parts.append(f"{number(low)}–{number(high)} inhabitants")
    elif low is not None:
        parts.append(f"≥ {number(low)} inhabitants")
    elif high is not None:
        parts.append(f"≤ {number(high)} inhabitants")
    return ", ".join(parts)


def filter_arguments(conditions: CityFilter) -> list[str]:
    """The options of ``atlas filter`` that state these conditions (fields by their names, which
    ``--feld`` resolves back to them; the Bundesland as the atlas spells it)."""
    words: list[str] = []
    for feld in conditions.felder:
        words += ["--feld", feld.value]
    if conditions.any_feld and conditions.felder:
        words.append("--any")
    if conditions.bundesland is not None:
        words += ["-b", conditions.bundesland]
    if conditions.min_einwohner is not None:
        words += ["--min-einwohner", str(conditions.min_einwohner)]
    if conditions.max_einwohner is not None:
        words += ["--max-einwohner", str(conditions.max_einwohner)]
    return words


def command_line(words: list[str]) -> str:
    """The words as a shell would need them typed: quoted where they hold blanks, ``&`` or other
    characters a shell acts on; letters such as ü stay as they are (``shlex.quote`` would quote
    every word with one)."""
    return " ".join(word if _PLAIN.fullmatch(word) else shlex.quote(word) for word in words)


_PLAIN = re.compile(r"[\w@%+=:,./-]+")  # \w: any Unicode letter or digit, and _


def whole_number(text: str) -> int | None:
    """The number of inhabitants typed (blanks and thousands separators allowed), None if empty
    or not a whole number of at least 0 (``--min-einwohner`` takes no other)."""
    digits = text.strip().replace("_", "").replace(",", "").replace(".", "").replace(" ", "")
    return int(digits) if digits.isascii() and digits.isdigit() else None


class FacetPanel(Vertical):
    """Fields to toggle (all or any), a Bundesland to choose and a range of inhabitants; each change
    is posted as :class:`FacetPanel.Changed` at once, and the app answers with the counts."""

    class Changed(Message):
        """The facets changed: these are the conditions now."""

        def __init__(self, conditions: CityFilter) -> None:
            super().__init__()
            self.conditions = conditions

    DEFAULT_CSS = """
    FacetPanel { height: 1fr; }
    FacetPanel #facet-count { text-style: bold; }
    FacetPanel #facet-felder { height: auto; }
    FacetPanel #facet-any { width: 100%; height: 1; border: none; padding: 0 1; }
    FacetPanel #facet-range { height: auto; }
    FacetPanel #facet-land { width: 1fr; min-width: 14; }
    FacetPanel .facet-number { width: 13; }
    FacetPanel #facet-command { color: $text-muted; }
    """

    def __init__(self, bundeslaender: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.bundeslaender = bundeslaender
        self.conditions = NO_FACETS
        self.counts: Mapping[Handlungsfeld, int] = {}  # the cities listed that work on each field
        self.land_counts: Mapping[str, int] | None = None  # the cities each Bundesland would list

    def compose(self) -> ComposeResult:
        yield Static(id="facet-count")
        yield SelectionList[Handlungsfeld](
            *(Selection(feld.value, feld) for feld in ALL_FIELDS), id="facet-felder"
        )
        yield Checkbox("any of them (--any), not all", id="facet-any")
        with Horizontal(id="facet-range"):
            yield Select(
                [(safe_text(land), land) for land in self.bundeslaender],
                prompt="Land",
                id="facet-land",
            )
            yield Input(placeholder="min Einw", type="integer", id="facet-min", classes="facet-number")
            yield Input(placeholder="max Einw", type="integer", id="facet-max", classes="facet-number")
        yield Static(id="facet-command")

    def focus_fields(self) -> None:
        self.query_one("#facet-felder", SelectionList).focus()

    def changed(self, conditions: CityFilter) -> None:
        self.conditions = conditions
        self.post_message(self.Changed(self.conditions))

    @on(SelectionList.SelectedChanged, "#facet-felder")
    def fields_changed(self, event: SelectionList.SelectedChanged[Handlungsfeld]) -> None:
        chosen = set(event.selection_list.selected)
        self.show_fields()
        self.changed(
            self.conditions._replace(felder=tuple(f for f in ALL_FIELDS if f in chosen))
        )  # in the atlas's order

    @on(Checkbox.Changed, "#facet-any")
    def any_changed(self, event: Checkbox.Changed) -> None:
        self.changed(self.conditions._replace(any_feld=event.value))

    @on(Select.Changed, "#facet-land")
    def land_changed(self, event: Select.Changed) -> None:
        land = event.value
        self.changed(self.conditions._replace(bundesland=land if isinstance(land, str) else None))

    @on(Input.Changed, ".facet-number")
    def range_changed(self, event: Input.Changed) -> None:
        event.stop()  # the app's own Input handler is the search's
        value = whole_number(event.value)
        if event.input.id == "facet-min":
            self.changed(self.conditions._replace(min_einwohner=value))
        else:
            self.changed(self.conditions._replace(max_einwohner=value))

    @on(Input.Submitted, ".facet-number")
    def range_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_fields()

    def show_counts(
        self,
        listed: int,
        counts: Mapping[Handlungsfeld, int],
        command: str,
        land_counts: Mapping[str, int] | None = None,
    ) -> None:
        """How many cities the list holds, how many of them work on each field, how many each
        Bundesland would list (the other facets and the search as they are), and the command."""
        cities = "city" if listed == 1 else "cities"
        self.query_one("#facet-count", Static).update(Text(f"{listed:,} {cities} listed"))
        self.counts = counts
        self.show_fields()
        if land_counts is not None:
            self.show_lands(land_counts)
        self.query_one("#facet-command", Static).update(Text(command))

    def show_lands(self, land_counts: Mapping[str, int]) -> None:
        """Each Bundesland with its count; the choice stays (Textual's ``set_options`` clears it,
        so it is set again, neither step told to the app as a change)."""
        if land_counts == self.land_counts:
            return  # the same options: the choice list is not built again (it may be open)
        self.land_counts = dict(land_counts)
        lands = self.query_one("#facet-land", Select)
        chosen = self.conditions.bundesland
        with lands.prevent(Select.Changed):
            lands.set_options(
                (Text(f"{safe_text(land)}  {land_counts.get(land, 0):,}"), land)
                for land in self.bundeslaender
            )
            if chosen is not None:
                lands.value = chosen

    def show_fields(self) -> None:
        """Each field with ``[x]`` when chosen, ``[ ]`` when not (the box beside it differs only
        by colour, the same under NO_COLOR), and its count."""
        felder = self.query_one("#facet-felder", SelectionList)
        chosen = set(felder.selected)
        for index, feld in enumerate(ALL_FIELDS):
            prompt = Text(f"[{'x' if feld in chosen else ' '}] {feld.value}")
            prompt.append(f"  {self.counts.get(feld, 0):,}", style="dim")
            felder.replace_option_prompt_at_index(index, prompt)

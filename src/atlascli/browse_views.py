"""The screens ``atlas browse`` opens over its list (issue 15): the example projects (``p``) and the
cities × Handlungsfelder matrix (``x``), each drawn by the view its command uses, and the city's
links (``o``); and the pane that lays out a command's Rich view. Imported by
:mod:`atlascli.browse` only (Textual is loaded by the browse modules alone), and importing none of
it.

Both views cover the cities of the list as it stands (what the search and the facets leave), or
every city (``a`` switches); at most :data:`VIEWED` of them, so a large atlas is narrowed first.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable, Sequence
from typing import ClassVar
from urllib.parse import urlsplit

from rich.console import Console, Group, RenderableType
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static

from atlascli.errors import QueryError
from atlascli.model import Atlas, Handlungsfeld
from atlascli.query import resolve_field
from atlascli.render.terminal import safe_text

WEB = ("http", "https")  # the only links opened in a browser
VIEWED = 500  # cities a view covers at most (a Rich view of 100,000 would take long to lay out)

Say = Callable[[str], None]  # how the app tells the user something short


def pane_console(width: int) -> Console:
    """A console that lays out a command's Rich view for a pane this wide (Textual colours it)."""
    return Console(width=max(width, 40), emoji=False, markup=False, highlight=False, no_color=True)


class ViewPane(Static):
    """A command's Rich view, laid out again when its width changes."""

    def __init__(self, view: Callable[[Console], RenderableType]) -> None:
        super().__init__(id="view")
        self.view = view
        self.laid_out = 0

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self.laid_out:
            self.laid_out = event.size.width
            self.update(self.view(pane_console(event.size.width)))


def openable(url: str) -> str | None:
    """The link as ``atlas show`` shows it (made safe), if it is a web address a browser may be
    handed; None for anything else (``javascript:``, ``file:``, a bare word, spaces)."""
    shown = safe_text(url).strip()
    parts = urlsplit(shown)
    if parts.scheme.lower() not in WEB or not parts.netloc or any(c.isspace() for c in shown):
        return None
    return shown


def open_link(url: str, say: Say) -> None:
    """Hand ``url`` to the web browser (:mod:`webbrowser`), or say why not."""
    target = openable(url)
    if target is None:
        say(f"not a web link, not opened: {safe_text(url)}")
        return
    webbrowser.open(target, new=2)
    say(f"opened {target}")


class Scope:
    """Which cities a view covers: the list's or all; at most :data:`VIEWED`."""

    def __init__(self, atlas: Atlas, listed: Sequence[int]) -> None:
        self.atlas = atlas
        self.listed = list(listed)
        self.limit = VIEWED
        self.everything = len(self.listed) == len(atlas)
        self.all = self.everything

    def positions(self) -> list[int]:
        return list(range(len(self.atlas))) if self.all else self.listed

    def describe(self) -> str:
        """What the line above the view says of its cities."""
        positions = self.positions()
        cities = "city" if len(positions) == 1 else "cities"
        where = "all" if self.all else "the list's"
        line = f"{where} {len(positions):,} {cities}"
        if len(positions) > self.limit:
            line += f", the first {self.limit:,} shown (narrow the list)"
        if not self.everything:
            line += " · a: " + ("the list's only" if self.all else "all cities")
        return line


class ScopedScreen(Screen[None]):
    """A command's view of the list's cities (or all), laid out for the width, scrollable."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("q", "app.pop_screen", "Back", show=False),
        Binding("a", "scope", "List/all"),
    ]
    CSS = """
    #view-scroll { padding: 0 1; }
    #view-head { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, atlas: Atlas, listed: Sequence[int], say: Say) -> None:
        super().__init__()
        self.scope = Scope(atlas, listed)
        self.say = say
        self.head = ""  # what the line above the view says

    def compose(self) -> ComposeResult:
        yield from self.controls()
        yield Static(id="view-head")
        with VerticalScroll(id="view-scroll"):
            yield ViewPane(self.draw)
        yield Footer()

    def controls(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#view-scroll", VerticalScroll).focus()

    def cities(self) -> list[int]:
        return self.scope.positions()[: self.scope.limit]

    def view(self, console: Console) -> RenderableType:
        raise NotImplementedError  # each screen draws its command's view

    def draw(self, console: Console) -> RenderableType:
        """The view, and the line above it says what it holds."""
        view = self.view(console)
        self.query_one("#view-head", Static).update(Text(self.head))
        return view

    def refresh_view(self) -> None:
        """Draw the view again (its cities or options changed)."""
        pane = self.query_one("#view", ViewPane)
        if pane.size.width:
            pane.update(self.draw(pane_console(pane.size.width)))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_scope(self) -> None:
        if self.scope.everything:
            self.say("the list holds every city")
            return
        self.scope.all = not self.scope.all
        self.refresh_view()


class ProjectsScreen(ScopedScreen):
    """Every example project of the cities, with its Handlungsfelder, as ``atlas projects`` shows
    them; the line on top keeps only one field's (``atlas projects --feld``)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("slash", "field", "Field")]

    def __init__(self, atlas: Atlas, listed: Sequence[int], say: Say) -> None:
        super().__init__(atlas, listed, say)
        self.feld: Handlungsfeld | None = None
        self.shown = 0  # how many projects the view holds

    def controls(self) -> ComposeResult:
        yield Input(placeholder="/ Handlungsfeld (empty: every field)", id="feld")

    def view(self, console: Console) -> RenderableType:
        from atlascli.insights import projects
        from atlascli.render.views.fields import projects_table

        rows = projects(self.scope.atlas.cities_at(self.cities()), feld=self.feld)
        self.shown = len(rows)
        field = f" in {self.feld.value}" if self.feld is not None else ""
        count = "1 project" if len(rows) == 1 else f"{len(rows):,} projects"
        self.head = f"{count}{field} · {self.scope.describe()}"
        if not rows:
            return Text("no project matches", style="dim")
        return projects_table(console, rows)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # the app's own search line takes the changes that reach it
        try:
            self.feld = resolve_field(event.value) if event.value.strip() else None
        except QueryError as exc:
            self.query_one("#view-head", Static).update(Text(str(exc)))
            return
        self.refresh_view()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#view-scroll", VerticalScroll).focus()

    def action_field(self) -> None:
        self.query_one("#feld", Input).focus()

    def action_back(self) -> None:
        if self.query_one("#feld", Input).has_focus:
            self.query_one("#view-scroll", VerticalScroll).focus()
        else:
            self.app.pop_screen()


class MatrixScreen(ScopedScreen):
    """The cities × Handlungsfelder matrix as ``atlas matrix`` draws it; ``o`` orders it as
    ``--by-coverage`` does."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("o", "order", "By coverage")]

    def __init__(self, atlas: Atlas, listed: Sequence[int], say: Say) -> None:
        super().__init__(atlas, listed, say)
        self.by_coverage = False

    def view(self, console: Console) -> RenderableType:
        from atlascli.insights import field_matrix
        from atlascli.render.views.fields import matrix_grid

        atlas = self.scope.atlas
        grid = field_matrix(atlas.profiles(self.cities()), by_coverage=self.by_coverage)
        order = " · by coverage" if self.by_coverage else ""
        self.head = f"Handlungsfelder of {self.scope.describe()}{order}"
        if not grid.rows:
            return Text("no city matches", style="dim")
        return Group(matrix_grid(console, grid))

    def action_order(self) -> None:
        self.by_coverage = not self.by_coverage
        self.refresh_view()


class LinksScreen(Screen[None]):
    """A city's links to choose one from; Enter (or a click) opens it in the web browser."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.pop_screen", "Back", show=False),
    ]
    CSS = "#links-head { padding: 0 1; text-style: bold; }"

    def __init__(self, stadt: str, links: Sequence[str], say: Say) -> None:
        super().__init__()
        self.stadt = stadt
        self.links = list(links)
        self.say = say

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Links of {safe_text(self.stadt)}: Enter opens one"), id="links-head")
        yield OptionList(*(Text(safe_text(url)) for url in self.links), id="links")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#links", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.pop_screen()
        open_link(self.links[event.option_index], self.say)

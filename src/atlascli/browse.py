"""``atlas browse``: the atlas in a Textual app (issue 15). Textual is imported by this module
only, and this module only by the ``browse`` command, so no other command pays for it.

The list filters with the core's own matching (:func:`matching_positions`): city names as the
commands resolve them, else the full-text search of ``atlas search``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar, NamedTuple, TypeVar

from rich.console import Console, Group, RenderableType
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from atlascli.browse_facets import NO_FACETS, FacetPanel, command_line, facet_summary, filter_arguments
from atlascli.browse_list import CityList
from atlascli.browse_views import (
    LinksScreen,
    MatrixScreen,
    ProjectsScreen,
    ViewPane,
    open_link,
    pane_console,
)
from atlascli.errors import QueryError, UnknownCity
from atlascli.model import ALL_FIELDS, Atlas, City, CityFilter, Handlungsfeld
from atlascli.query import compare_cities, resolve_city
from atlascli.render.terminal import safe_text
from atlascli.search import Hit, search
from atlascli.text import name_key

T = TypeVar("T")

HELP = """\
atlas browse — keys

  /        search: type a city name (umlauts, typos and prefixes forgiven)
           or words from the atlas (as atlas search does)
  ↑ ↓      move in the list (PgUp PgDn Home End, or the mouse); the pane
           on the right shows the city (on a large atlas once the keys pause)
  m, space mark or unmark the highlighted city (marked: * before its name)
  c        compare the marked cities (two or more), as atlas compare does
  s        the cities most like the highlighted one, as atlas similar does
  p        the example projects of the listed cities, as atlas projects shows
           them (/ there: one Handlungsfeld; a: every city)
  x        the listed cities × Handlungsfelder, as atlas matrix draws it
           (o there: by coverage; a: every city)
  o        open the city's link in the web browser (a click on one too)
  u        unmark every city
  f        facets: Handlungsfelder (all or any), Bundesland, inhabitants;
           they narrow the list with the search, as atlas filter does
           (space toggles a field, Tab moves on, Esc or f back to the list)
  e        export the list to a file (.csv .json .jsonl .tsv .md) as
           atlas filter writes it, with the command line that does the same
  Esc      from the search back to the list; from a view back
  ?        this help (again to close it)
  q        quit
"""


class Listing(NamedTuple):
    """What the list shows: the cities' positions, and for a word search each city's hit (the
    excerpt ``atlas search`` prints, its matched words to highlight)."""

    positions: list[int]
    hits: dict[int, Hit]


def matching(atlas: Atlas, query: str) -> Listing:
    """Where the cities meant by ``query`` stand, as the list shows them: every city for an empty
    query; else the cities whose name (or name without its qualifier) starts with it; else the one
    city a typo means (as ``atlas show`` resolves it); else the cities ``atlas search`` finds, best
    first, with their hits; else the closest names ``atlas show`` would suggest."""
    key = name_key(query)
    if not key:
        return Listing(list(range(len(atlas))), {})
    named = named_positions(atlas, key)
    if named:
        return Listing(named, {})
    suggested: list[str] = []
    try:
        found = resolve_city(atlas, query).city
    except UnknownCity as exc:
        suggested = list(exc.suggestions)
    else:
        return Listing([_position(atlas, found.stadt)], {})
    hits = search(atlas, query)
    if not hits:
        return Listing([_position(atlas, name) for name in suggested], {})
    found_at = {_position(atlas, hit.stadt): hit for hit in hits}
    return Listing(list(found_at), found_at)


def matching_positions(atlas: Atlas, query: str) -> list[int]:
    """The positions of :func:`matching`."""
    return matching(atlas, query).positions


def named_positions(atlas: Atlas, key: str) -> list[int]:
    """The cities whose name, or name without its qualifier, starts with the folded ``key``: quick
    at any size (the names' index), unlike the typo and full-text steps that follow."""
    return sorted({*atlas.named(key, prefix=True), *atlas.named(key, base=True, prefix=True)})


def selected(
    atlas: Atlas,
    query: str,
    conditions: CityFilter,
    match: Callable[[Atlas, str], Listing] = matching,
) -> Listing:
    """The list: the cities the query means (``match``, :func:`matching` or a memory of it, in its
    order) that meet the facets' conditions, as ``atlas filter`` selects them (``atlas.select``)."""
    if conditions == NO_FACETS:
        return match(atlas, query)
    chosen = list(atlas.select(conditions))
    if not name_key(query):
        return Listing(chosen, {})
    keep = set(chosen)
    found = match(atlas, query)
    return Listing([p for p in found.positions if p in keep], found.hits)


def listed_in(groups: Mapping[T, frozenset[int]], positions: Sequence[int], total: int) -> dict[T, int]:
    """How many of the cities at ``positions`` each group (a facet's cities) holds; ``total``, the
    atlas's size: a list of every city is each group whole."""
    if len(positions) == total:
        return {group: len(found) for group, found in groups.items()}
    listed = set(positions)
    return {group: len(found & listed) for group, found in groups.items()}


def _position(atlas: Atlas, name: str) -> int:
    position = atlas.position(name)
    assert position is not None, name  # a name the atlas itself gave
    return position


def count_line(matched: int) -> str:
    """What the line above the list says of it."""
    return f"{matched:,} {'city' if matched == 1 else 'cities'}"


BACKGROUND_FROM = 5_000  # cities: from here a search that names no city runs beside the screen
SEARCH_DELAY = 0.3  # seconds without a key before such a search starts (typing on is not slowed)
PANE_LATER_FROM = 5_000  # cities: from here the pane shows a new city once the keys pause
# seconds without a key before the pane shows the highlighted city on a large atlas: reading the
# city and laying it out takes ~10 ms (the pane draws its own lines: the screen is not laid out
# again), so a key draws the list and count at once and the pane follows when typing or moving
# pauses
PANE_DELAY = 0.06
SIMILAR = 5  # cities `s` shows, as many as atlas similar shows by default


class ViewScreen(Screen[None]):
    """A command's view (compare, similar) over the whole screen, scrollable; Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.pop_screen", "Back", show=False),
    ]
    CSS = "#view-scroll { padding: 0 1; }"

    def __init__(self, view: Callable[[Console], RenderableType]) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="view-scroll"):
            yield ViewPane(self.view)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#view-scroll", VerticalScroll).focus()


class SearchInput(Input):
    """The search line. Textual's Input sets its virtual size to the text's width on every key,
    which lays the whole screen out again (a reactive with layout): here, while the text fits
    (nothing to scroll), the size is set without that."""

    def _watch_value(self, value: str) -> None:
        room = self.content_region.width
        size = Size(self.content_width, 1)
        if max(size.width, self.virtual_size.width) < room:
            self.set_reactive(Input.virtual_size, size)  # as Input would, without the layout
        super()._watch_value(value)


class Detail(ScrollView, can_focus=True):
    """The pane with the highlighted city, drawn line by line (Textual's Line API): the city is
    laid out once for the pane's width, and a new city changes only the lines drawn and the
    pane's height, which is set without laying the whole screen out again (a Static's new height
    would: ~30 ms or more on every city). Laid out again when its width changes."""

    DEFAULT_CSS = "Detail { height: 1fr; overflow-x: hidden; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: Callable[[int], RenderableType] | None = None  # what it shows, for a width
        self.lines: list[Strip] = []
        self.width = 0  # the width the lines were laid out for (0: nothing shown yet)

    def show(self, view: Callable[[int], RenderableType], *, top: bool = True) -> None:
        """Show what ``view`` lays out for a width, for the pane's (``top``: from its first line).
        The width is the pane's less the scrollbar if the lines need one, as a scrolling
        container lays out what it holds."""
        self.view = view
        bar = self.styles.scrollbar_size_vertical
        room = self.content_region
        width = room.width - (bar if self.show_vertical_scrollbar else 0)
        lines = self.lay_out(view(width), width)
        if (len(lines) > room.height) != self.show_vertical_scrollbar:  # the other way round
            width = room.width - (bar if len(lines) > room.height else 0)
            lines = self.lay_out(view(width), width)
        self.lines, self.width = lines, width
        size = Size(width, len(lines))
        if size != self.virtual_size:
            # what setting virtual_size does, without the layout of the whole screen that the
            # reactive asks for: only the scrollbars follow
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)
        if top and self.scroll_offset.y:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def lay_out(self, renderable: RenderableType, width: int) -> list[Strip]:
        """The lines of ``renderable`` as a Static draws them: on the widget's style, not padded."""
        options = self.app.console_options.update(highlight=False, width=width, height=None)
        segments = self.app.console.render(self.post_render(renderable, self.rich_style), options)
        lines = Segment.split_and_crop_lines(segments, width, include_new_lines=False, pad=False)
        return [Strip(line) for line in lines]

    def on_resize(self, event: events.Resize) -> None:
        if self.view is not None and self.scrollable_content_region.width != self.width:
            self.show(self.view, top=False)

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if 0 <= index < len(self.lines):
            return self.lines[index].crop_extend(0, width, self.rich_style)
        return Strip.blank(width, self.rich_style)

    def on_click(self, event: events.Click) -> None:
        if event.style.link and isinstance(self.app, BrowseApp):
            open_link(event.style.link, self.app.say)


class BrowseApp(App[None]):
    """A city list that filters as you type, and the highlighted city in full."""

    TITLE = "atlas browse"
    ENABLE_COMMAND_PALETTE = False  # its commands are Textual's own (themes, screenshots), not atlas's
    CSS = """
    #search { dock: top; }
    #list-pane { width: 45%; min-width: 30; max-width: 70; }
    #count { color: $text-muted; height: 1; }
    #detail-pane { width: 1fr; border-left: solid $primary; padding: 0 1; }
    #help { display: none; dock: bottom; height: auto; border: round $primary; padding: 0 1; }
    #help.shown { display: block; }
    #facets { display: none; width: 1fr; border-left: solid $primary; padding: 0 1; }
    #facets.shown { display: block; }
    #detail-pane.hidden { display: none; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # the footer shows the keys, which fit in 80 columns; the others are in ? (help)
        Binding("/", "search", "Search"),
        Binding("f", "facets", "Facets"),
        Binding("m", "mark", "Mark"),
        Binding("space", "mark", "Mark", show=False),
        Binding("c", "compare", "Compare"),
        Binding("s", "similar", "Similar"),
        Binding("e", "export", "Export"),
        Binding("p", "projects", "Projects", show=False),
        Binding("x", "matrix", "Matrix", show=False),
        Binding("o", "open_link", "Link", show=False),
        Binding("u", "unmark_all", "Unmark all", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
        Binding("escape", "to_list", "List", show=False),
    ]

    def __init__(self, atlas: Atlas, *, prefix: Sequence[str] = ("atlas",), excel: bool = False) -> None:
        super().__init__()
        self.atlas = atlas
        self.prefix = tuple(prefix)  # the command line up to the command: atlas --data FILE ...
        self.excel = excel  # --excel-safe: exports as the commands write with it
        self.query_text = ""  # the search as typed
        self.conditions = NO_FACETS  # the facets' conditions
        self.positions: list[int] = []  # the cities the list holds, in its order
        self.field_positions: dict[Handlungsfeld, frozenset[int]] = {}  # for the facets' counts
        self.land_positions: dict[str, frozenset[int]] = {}  # ... and the Bundesländer's
        # the last query's matches: the Bundesland counts select again without the land, and a
        # word search at 100,000 cities takes seconds (set from the search thread too)
        self.matched: tuple[str, Listing] | None = None
        self.searching: str | None = None  # the search running or due beside the screen
        self.search_busy = False  # a search thread runs (one at a time)
        self.search_timer: Timer | None = None
        self.detail_at: int | None = None  # the position of the city in the pane
        self.pane_timer: Timer | None = None  # the pane's next city, due once the keys pause
        self.key = ""  # the search as typed, folded: the start of the names it matches is highlighted
        self.marked: dict[int, None] = {}  # positions of the marked cities, in the order marked
        self.message = ""  # the last short message shown (a notification)
        self.count_shown = ""  # the count line as shown

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The list's keys act on the list only: over a view (compare, projects, …) they are off,
        and the view's own keys (Esc, q) or none answer them."""
        return action == "quit" or action not in LIST_ACTIONS or len(self.screen_stack) == 1

    def compose(self) -> ComposeResult:
        yield SearchInput(placeholder="/ city name or words (? help, q quit)", id="search")
        with Horizontal():
            with Vertical(id="list-pane"):
                yield Static(id="count")
                yield CityList(self.atlas, marked=self.marked, id="cities")
            with Vertical(id="detail-pane"):
                yield Detail(id="detail")
            yield FacetPanel(self.atlas.bundeslaender(), id="facets")
        yield Static(Text(HELP), id="help")
        yield Footer()

    def on_mount(self) -> None:
        self.show_selection()
        self.city_list().focus()

    def city_list(self) -> CityList:
        return self.query_one("#cities", CityList)

    def show_selection(self) -> None:
        """The list for the search and the facets as they are now; on a large atlas, a search that
        names no city runs beside the screen (it reads every city it finds: seconds at 100,000),
        and the list follows when it is done."""
        if self.key and len(self.atlas) >= BACKGROUND_FROM and not named_positions(self.atlas, self.key):
            self.search_later()
            return
        self.searching = None
        self.show_list(selected(self.atlas, self.query_text, self.conditions, self.remembered))

    def show_list(self, listing: Listing) -> None:
        self.show_cities(listing.positions, listing.hits)
        panel = self.query_one("#facets", FacetPanel)
        if panel.has_class("shown"):
            panel.show_counts(
                len(self.positions), self.field_counts(), self.facet_command(), self.land_counts()
            )

    def show_cities(self, positions: list[int], hits: Mapping[int, Hit]) -> None:
        """List the cities at these positions (the list reads only those it draws), the first
        highlighted; a word search's hits show beside the names, the matched words highlighted."""
        self.positions = positions
        self.show_count()
        self.city_list().show(positions, self.key, hits)  # the pane follows its Highlighted message

    def detail(self) -> Detail:
        return self.query_one("#detail", Detail)

    @property
    def detail_width(self) -> int:
        """The width the pane's city was laid out for (0 before the first)."""
        return self.detail().width

    def detail_pane_width(self) -> int:
        return self.detail().scrollable_content_region.width

    def show_count(self) -> None:
        line = count_line(len(self.positions))
        if self.searching is not None:
            line = f"searching {self.searching.strip()!r} …"
        facets = facet_summary(self.conditions)
        if facets:
            line += f" · {facets}"
        if self.marked:
            line += f" · {len(self.marked)} marked"
        if line != self.count_shown:  # one line high: drawn again, the screen not laid out again
            self.count_shown = line
            self.query_one("#count", Static).update(Text(line), layout=False)

    def say(self, message: str) -> None:
        self.message = message
        self.notify(message, timeout=4)

    def show_detail(self, position: int | None) -> None:
        """The city at ``position`` in the pane, or that none is."""
        self.detail_at = position
        if position is None:
            self.detail().show(lambda width: Text("no city matches", style="dim"))
        else:
            city = self.atlas.cities[position]
            self.detail().show(lambda width: self.city_detail(city, width))

    def city_detail(self, city: City, width: int) -> RenderableType:
        """What ``atlas show`` shows for the city, laid out for a pane this wide."""
        from atlascli.render.views.cities import city_view

        return city_view(pane_console(width), city)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        self.query_text = event.value
        self.key = name_key(event.value)
        self.show_selection()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.city_list().focus()

    def on_city_list_highlighted(self, event: CityList.Highlighted) -> None:
        if self.pane_timer is not None:
            self.pane_timer.stop()
            self.pane_timer = None
        position = event.position
        if position is not None and (position, self.detail_width) == (
            self.detail_at,
            self.detail_pane_width(),
        ):
            return  # shown as it is (typing on often keeps the first city)
        if len(self.atlas) < PANE_LATER_FROM or not self.detail_width:
            self.show_detail(position)  # a small atlas, or the pane's first city: at once
            return
        self.pane_timer = self.set_timer(PANE_DELAY, lambda: self.show_detail_later(position))

    def show_detail_later(self, position: int | None) -> None:
        """The pane's city once the keys have paused (:data:`PANE_DELAY`)."""
        self.pane_timer = None
        self.show_detail(position)

    def pane_due(self) -> bool:
        """Whether the pane is still to show the highlighted city (the keys have not paused)."""
        return self.pane_timer is not None

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_to_list(self) -> None:
        self.show_facets(False)
        self.city_list().focus()

    def action_help(self) -> None:
        self.query_one("#help", Static).toggle_class("shown")

    def highlighted(self) -> int | None:
        """The position of the city highlighted in the list."""
        return self.city_list().highlighted()

    def highlighted_city(self) -> City | None:
        """The city highlighted in the list; None, and it says so, when there is none."""
        position = self.highlighted()
        if position is None:
            self.say("no city highlighted")
            return None
        return self.atlas.cities[position]

    def action_mark(self) -> None:
        position = self.highlighted()
        if position is None:
            return
        if position in self.marked:
            del self.marked[position]
        else:
            self.marked[position] = None
        self.city_list().refresh()
        self.show_count()

    def action_compare(self) -> None:
        """The marked cities as ``atlas compare`` shows them."""
        from atlascli.render.views.compare import comparison_view

        if len(self.marked) < 2:
            self.say("mark two or more cities (m) to compare them")
            return
        try:
            comparison = compare_cities(list(self.atlas.cities_at(self.marked)))
        except QueryError as exc:
            self.say(str(exc))
            return
        title = Text("Compared: ", style="bold") + Text(
            " · ".join(safe_text(c.stadt) for c in comparison.cities), style="bold"
        )
        self.push_screen(
            ViewScreen(lambda console: Group(title, Text(), comparison_view(console, comparison)))
        )

    def action_similar(self) -> None:
        """The cities most like the highlighted one, as ``atlas similar`` shows them."""
        from atlascli.insights import similar_cities
        from atlascli.render.views.similar import similar_table

        city = self.highlighted_city()
        if city is None:
            return
        rows = similar_cities(self.atlas, city.profile(), limit=SIMILAR)
        self.push_screen(ViewScreen(lambda console: similar_table(console, city.stadt, rows)))

    def action_projects(self) -> None:
        self.push_screen(ProjectsScreen(self.atlas, self.positions, self.say))

    def action_matrix(self) -> None:
        self.push_screen(MatrixScreen(self.atlas, self.positions, self.say))

    def action_open_link(self) -> None:
        """The highlighted city's link in the web browser; with several, a list to choose from."""
        city = self.highlighted_city()
        if city is None:
            return
        if not city.links:
            self.say(f"{safe_text(city.stadt)} has no links")
        elif len(city.links) == 1:
            open_link(city.links[0], self.say)
        else:
            self.push_screen(LinksScreen(city.stadt, city.links, self.say))

    def action_unmark_all(self) -> None:
        if not self.marked:
            return
        unmarked = list(self.marked)
        self.marked.clear()
        self.city_list().refresh()
        self.show_count()
        self.say(f"unmarked {len(unmarked)}")

    # --- facets and export -----------------------------------------------------------------

    def show_facets(self, shown: bool) -> None:
        """Show the facets where the city pane is (the list stays beside them), or hide them."""
        panel = self.query_one("#facets", FacetPanel)
        panel.set_class(shown, "shown")
        self.query_one("#detail-pane").set_class(shown, "hidden")
        if shown:
            panel.show_counts(
                len(self.positions), self.field_counts(), self.facet_command(), self.land_counts()
            )

    def action_facets(self) -> None:
        panel = self.query_one("#facets", FacetPanel)
        if panel.has_class("shown"):
            self.action_to_list()
            return
        self.show_facets(True)
        panel.focus_fields()

    def on_facet_panel_changed(self, event: FacetPanel.Changed) -> None:
        self.conditions = event.conditions
        self.show_selection()

    def field_counts(self) -> dict[Handlungsfeld, int]:
        """How many of the cities listed work on each field."""
        if not self.field_positions:  # the atlas does not change: asked once, as atlas filter --feld
            self.field_positions = {
                feld: frozenset(self.atlas.select(CityFilter(felder=(feld,)))) for feld in ALL_FIELDS
            }
        return listed_in(self.field_positions, self.positions, len(self.atlas))

    def remembered(self, atlas: Atlas, query: str) -> Listing:
        """:func:`matching`, found again only when the query changes."""
        known = self.matched
        if known is not None and known[0] == query:
            return known[1]
        listing = matching(atlas, query)
        self.matched = (query, listing)
        return listing

    def land_counts(self) -> dict[str, int]:
        """How many cities each Bundesland would list, the other facets and the search as they
        are (what ``atlas filter -b LAND`` with the other options selects, and the search)."""
        if self.conditions.bundesland is None:
            positions: Sequence[int] = self.positions
        else:
            without_land = self.conditions._replace(bundesland=None)
            positions = selected(self.atlas, self.query_text, without_land, self.remembered).positions
        if not self.land_positions:  # the atlas does not change: asked once, as atlas filter -b
            self.land_positions = {
                land: frozenset(self.atlas.select(CityFilter(bundesland=land)))
                for land in self.atlas.bundeslaender()
            }
        return listed_in(self.land_positions, positions, len(self.atlas))

    def facet_command(self) -> str:
        """The facets as an atlas filter command line, and what of the list it leaves out."""
        line = command_line([*self.prefix, "filter", *filter_arguments(self.conditions)])
        if self.query_text.strip():
            line += f"\n(and the search {self.query_text.strip()!r}, which atlas filter has no option for)"
        return "$ " + line

    def action_export(self) -> None:
        from atlascli.browse_export import ExportScreen

        if self.searching is not None:
            self.say("the search is still running: export once the list shows its answer")
            return
        self.push_screen(
            ExportScreen(
                self.atlas,
                self.positions,
                prefix=self.prefix,
                query=self.query_text,
                conditions=self.conditions,
                excel=self.excel,
            )
        )

    # --- a large atlas's search, beside the screen --------------------------------------------

    def search_later(self) -> None:
        """Search once typing pauses (:data:`SEARCH_DELAY`); the list shows the last answer until."""
        self.searching = self.query_text
        self.show_count()
        if self.search_timer is not None:
            self.search_timer.stop()
        self.search_timer = self.set_timer(SEARCH_DELAY, self.start_search)

    def start_search(self) -> None:
        if self.search_busy or self.searching is None:
            return  # searched() starts the latest search when the running one ends
        self.search_busy = True
        query, conditions = self.query_text, self.conditions
        # a daemon thread, not a Textual worker: a search cannot be stopped halfway, and one still
        # running when the app quits must not hold the process (an executor's threads are joined)
        threading.Thread(target=self.search_beside, args=(query, conditions), daemon=True).start()

    def search_beside(self, query: str, conditions: CityFilter) -> None:
        """In the search thread: the list for ``query`` and ``conditions``."""
        listing = selected(self.atlas, query, conditions, self.remembered)
        with contextlib.suppress(RuntimeError):  # the app has ended meanwhile
            self.call_from_thread(self.searched, query, conditions, listing)

    def searched(self, query: str, conditions: CityFilter, listing: Listing) -> None:
        """Back on the screen's thread: show the answer if it is still the question."""
        self.search_busy = False
        if self.searching is None:
            return  # typing went on to a name (listed at once) or cleared the search
        if (query, conditions) == (self.query_text, self.conditions):
            self.searching = None
            self.show_list(listing)
        else:
            self.start_search()


LIST_ACTIONS = frozenset(binding.action for binding in BrowseApp.BINDINGS if isinstance(binding, Binding))

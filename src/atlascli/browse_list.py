"""The city list of ``atlas browse``: a virtual list (Textual's Line API) that reads from the atlas
only the rows it draws, so that a list of 100,000 cities opens, scrolls and filters as quickly as
one of twenty.

Imported by :mod:`atlascli.browse` only (Textual, like it).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from atlascli.model import Atlas
from atlascli.render.terminal import safe_text
from atlascli.render.views import number
from atlascli.render.views.search import highlighted as highlighted_hit
from atlascli.search import Hit
from atlascli.text import name_key

MARK = "*"  # before the name of a marked city
HEADINGS = ("Stadt", "Bundesland", "Einwohner", "Fields")
LAND_WIDTH = 24  # Mecklenburg-Vorpommern, and blanks
NUMBER_WIDTH = 11  # 3,644,826 inhabitants (Berlin), and two blanks
FIELDS_WIDTH = 7
MARK_WIDTH = 2
NAME_WIDTH = 24  # at least (Freiburg im Breisgau): a narrower list cuts the columns on its right
KEPT_ROWS = 4096  # rows read from the atlas kept for drawing again; more are read anew


def matched_prefix(name: str, key: str) -> int:
    """How many characters at the start of ``name`` the folded query ``key`` covers (``mue`` covers
    ``Mü`` of Münster); 0 when the name does not start with it."""
    if not key:
        return 0
    for end in range(1, len(name) + 1):
        if name_key(name[:end]).startswith(key):
            return end
    return 0


def hit_excerpt(hit: Hit, room: int) -> Text:
    """The hit's excerpt as ``atlas search`` prints it, its matched words highlighted, cut to
    ``room`` columns so that the first match is in view (``…`` where text is left out)."""
    text = highlighted_hit(hit.ausschnitt, hit.spans)
    if text.cell_len <= room or not hit.spans:
        return text
    first = len(safe_text(hit.ausschnitt[: hit.spans[0][0]]))  # where the first match is drawn
    start = max(first - room // 4, 0)
    if start == 0:
        return text
    return Text("…") + text.divide([start])[1]


class Row:
    """What the list shows of one city."""

    __slots__ = ("bundesland", "einwohner", "fields", "stadt")

    def __init__(self, stadt: str, bundesland: str, einwohner: str, fields: str) -> None:
        self.stadt = stadt
        self.bundesland = bundesland
        self.einwohner = einwohner
        self.fields = fields


class CityList(ScrollView, can_focus=True):
    """The cities at :attr:`positions`, a heading above them and a cursor; the cities are read
    from the atlas as they come into view (at most a screenful at a time)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "city-list--heading",
        "city-list--cursor",
        "city-list--odd",
    }
    DEFAULT_CSS = """
    CityList {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
        & > .city-list--heading { text-style: bold; background: $panel; color: $foreground; }
        & > .city-list--odd { background: $surface-lighten-1 50%; }
        & > .city-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .city-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Highlighted(Message):
        """The cursor is on the city at ``position`` (None: the list is empty)."""

        def __init__(self, position: int | None) -> None:
            super().__init__()
            self.position = position

    def __init__(self, atlas: Atlas, *, marked: Collection[int], id: str | None = None) -> None:
        super().__init__(id=id)
        self.atlas = atlas
        self.marked = marked  # the app's marks: a * before the name
        self.positions: Sequence[int] = []
        self.key = ""  # the search, folded: the start of the names it matches is highlighted
        self.hits: Mapping[int, Hit] = {}  # a word search's hit by position: shown beside the name
        self.cursor = 0
        self.rows: dict[int, Row] = {}  # read from the atlas, by position
        self.reads = 0  # cities read from the atlas (tests check the list is virtual)

    # --- what the app asks ------------------------------------------------------------------

    def show(self, positions: Sequence[int], key: str, hits: Mapping[int, Hit] | None = None) -> None:
        """List the cities at these positions, the cursor on the first; for a word search, each
        city's hit (``atlas search``'s excerpt) beside its name, the matched words highlighted."""
        self.positions = positions
        self.key = key
        self.hits = hits or {}
        self.cursor = 0
        size = Size(self.size.width, len(positions) + 1)
        if size != self.virtual_size:  # a reactive that lays the screen out again
            self.virtual_size = size
        if self.scroll_offset.y:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Highlighted(self.highlighted()))

    def highlighted(self) -> int | None:
        """The position (in the atlas) of the city under the cursor."""
        return self.positions[self.cursor] if 0 <= self.cursor < len(self.positions) else None

    def row(self, index: int) -> Row:
        """What the list shows of its ``index``-th city (read now if it has not been)."""
        self.fetch(index, index + 1)
        return self.rows[self.positions[index]]

    def fetch(self, start: int, stop: int) -> None:
        """Read the cities of rows ``start`` to ``stop`` that have not been read, in one go."""
        wanted = [p for p in self.positions[max(start, 0) : stop] if p not in self.rows]
        if not wanted:
            return
        if len(self.rows) + len(wanted) > KEPT_ROWS:
            self.rows.clear()
        self.reads += len(wanted)
        for position, city in zip(wanted, self.atlas.cities_at(wanted), strict=True):
            self.rows[position] = Row(
                safe_text(city.stadt),
                safe_text(city.bundesland),
                number(city.einwohner),
                str(len(city.handlungsfelder)),
            )

    # --- moving ---------------------------------------------------------------------------

    def move_to(self, index: int) -> None:
        if not self.positions:
            return
        index = min(max(index, 0), len(self.positions) - 1)
        if index == self.cursor:
            return
        self.cursor = index
        shown = max(self.size.height - 1, 1)  # rows under the heading
        top = round(self.scroll_offset.y)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + shown:
            self.scroll_to(y=index - shown + 1, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Highlighted(self.highlighted()))

    def action_cursor(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, pages: int) -> None:
        self.move_to(self.cursor + pages * max(self.size.height - 2, 1))

    def action_jump(self, index: int) -> None:
        self.move_to(index if index >= 0 else len(self.positions) - 1)

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:  # under the heading
            self.move_to(round(self.scroll_offset.y) + event.y - 1)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.positions) + 1)

    # --- drawing --------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        top = round(self.scroll_offset.y)
        self.fetch(top + crop.y - 1, top + crop.bottom - 1)  # the rows in view (line 0: the heading)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            heading = self.get_component_rich_style("city-list--heading")
            if self.hits:  # a word search: its hits take the Bundesland's columns too
                return self.line(("", "Stadt · Treffer", "", *HEADINGS[2:]), width, heading, merged=True)
            return self.line(("", *HEADINGS), width, heading)
        index = round(self.scroll_offset.y) + y - 1
        if index >= len(self.positions):
            return Strip.blank(width, self.rich_style)
        position = self.positions[index]
        row = self.row(index)
        hit = self.hits.get(position)
        if hit is None:
            name = Text(row.stadt, style="bold")
            name.stylize("reverse", 0, matched_prefix(row.stadt, self.key))
        else:  # why a word search lists it: the excerpt, its matches highlighted
            name = Text()
            name.append(row.stadt, style="bold")
            room = self.name_width(width) + LAND_WIDTH - 1 - name.cell_len - 2
            if room > 3:
                name.append("  ")
                name.append_text(hit_excerpt(hit, room))
        style = self.rich_style
        if index == self.cursor:
            style += self.get_component_rich_style("city-list--cursor")
        elif index % 2:
            style += self.get_component_rich_style("city-list--odd")
        cells = (MARK if position in self.marked else "", name, row.bundesland, row.einwohner, row.fields)
        return self.line(cells, width, style, merged=hit is not None)

    def name_width(self, width: int) -> int:
        """The columns of the name cell (with the blank after it) in a list ``width`` wide."""
        return max(NAME_WIDTH, width - MARK_WIDTH - LAND_WIDTH - NUMBER_WIDTH - FIELDS_WIDTH)

    def line(self, cells: Sequence[str | Text], width: int, style: Style, *, merged: bool = False) -> Strip:
        """One row of cells in the list's columns, cut to ``width``; ``merged``: the name's cell
        takes the Bundesland's columns too (a hit's excerpt beside the name, the land left out)."""
        mark, name, land, einwohner, fields = (c if isinstance(c, Text) else Text(c) for c in cells)
        name_width = self.name_width(width)
        land_width = LAND_WIDTH
        if merged:
            name_width, land_width = name_width + LAND_WIDTH, 0
        line = Text(no_wrap=True, overflow="ellipsis")
        for text, cell_width, right in (
            (mark, MARK_WIDTH, False),
            (name, name_width, False),
            (land, land_width, False),
            (einwohner, NUMBER_WIDTH, True),
            (fields, FIELDS_WIDTH, True),
        ):
            line.append_text(_fitted(text, cell_width, right=right))
        segments = list(Segment.apply_style(line.render(self.app.console), style))
        return Strip(segments).crop_extend(0, width, style)


def _fitted(text: Text, width: int, *, right: bool) -> Text:
    """The cell's text in ``width`` columns, a blank before the next cell (cut with …)."""
    if width == 0:
        return Text()
    room = width - 1
    if text.cell_len > room:
        text = text.copy()
        text.truncate(room - 1)
        text.append("…")
    padding = " " * (room - text.cell_len)
    fitted = Text(padding) + text if right else text + Text(padding)
    return fitted + Text(" ")

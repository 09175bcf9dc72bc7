"""``atlas browse``'s projects view (p), matrix view (x) and links (o, a click), its colour under
NO_COLOR, its size (80×24, resizing) and the mouse: driven headless by Textual's pilot (issue 15).
No browser is started: :func:`webbrowser.open` is replaced in every test here."""

from __future__ import annotations

import re
import webbrowser

import pytest
from harness import json_out, ok
from test_browse import ATLAS, drive, keys, listed, pane_text, view_text
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static
from textual.widgets._footer import FooterKey  # the footer's keys: not exported by textual.widgets

from atlascli.browse import BrowseApp
from atlascli.browse_views import LinksScreen, MatrixScreen, ProjectsScreen, openable


@pytest.fixture(autouse=True)
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The addresses handed to the web browser (none is started)."""
    urls: list[str] = []

    def fake_open(url: str, new: int = 0, autoraise: bool = True) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    return urls


def head(app: BrowseApp) -> str:
    return str(app.screen.query_one("#view-head", Static).render())


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


# --- projects ------------------------------------------------------------------------------------


def test_projects_are_those_atlas_projects_lists_for_the_listed_cities() -> None:
    every = json_out("projects")

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", "d", "enter", "p")
        assert isinstance(app.screen, ProjectsScreen)
        text = view_text(app)
        expected = [row for row in every if row["stadt"].startswith("D")]
        assert head(app).startswith(f"{len(expected)} projects · the list's 4 cities")
        firsts = {line.split(" │")[0].strip() for line in lines(text)[2:]}
        assert firsts - {""} == {row["stadt"] for row in expected}
        await keys(pilot, "a")  # every city: what atlas projects shows at the view's width
        assert head(app).startswith(f"{len(every)} projects · all 20 cities")
        width = app.screen.query_one("#view", Static).size.width
        assert lines(view_text(app)) == lines(ok("projects", env={"COLUMNS": str(width)}).stdout)

    drive(script, size=(120, 50))


def test_projects_keep_one_field_as_atlas_projects_feld_does() -> None:
    mobility = json_out("projects", "--feld", "mobilitaet")

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "p", "/", *"mobil")  # a prefix, resolved as --feld resolves it
        screen = app.screen
        assert isinstance(screen, ProjectsScreen)
        assert screen.feld is not None and screen.feld.value == "Mobilität"
        assert head(app).startswith(f"{len(mobility)} projects in Mobilität · all 20 cities")
        assert screen.shown == len(mobility)
        await keys(pilot, *"xyz")  # no such field: the line says so, the view stays
        assert "Handlungsfeld" in head(app) and screen.shown == len(mobility)
        await keys(pilot, "ctrl+u")  # empty: every field again
        assert screen.feld is None
        await keys(pilot, "escape")  # from the field line to the view
        assert isinstance(app.screen, ProjectsScreen)
        await keys(pilot, "escape")  # back to the list, whose search is untouched
        assert not isinstance(app.screen, ProjectsScreen)
        assert app.query_one("#search", Input).value == ""
        assert len(listed(app)) == len(ATLAS)

    drive(script, size=(120, 40))


# --- matrix --------------------------------------------------------------------------------------


def test_the_matrix_is_drawn_as_atlas_matrix_draws_it_and_follows_the_width() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "x")
        assert isinstance(app.screen, MatrixScreen)
        width = app.screen.query_one("#view", Static).size.width
        drawn = ok("matrix", env={"COLUMNS": str(width)}).stdout
        assert lines(view_text(app)) == lines(drawn)
        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        await pilot.pause()
        narrow = app.screen.query_one("#view", Static).size.width
        assert narrow < width
        assert lines(view_text(app)) == lines(ok("matrix", env={"COLUMNS": str(narrow)}).stdout)
        assert all(len(line) <= narrow for line in lines(view_text(app)))

    drive(script, size=(80, 24))


def test_the_matrix_of_the_list_and_by_coverage() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", "d", "enter", "x")
        assert head(app).startswith("Handlungsfelder of the list's 4 cities")
        rows = [line.split()[0] for line in lines(view_text(app))[1:5]]
        assert rows == ["Darmstadt", "Dortmund", "Dresden", "Duisburg"]
        await keys(pilot, "o")
        assert head(app).endswith("by coverage")
        order = [row["stadt"] for row in json_out("matrix", "--by-coverage")]
        assert [line.split()[0] for line in lines(view_text(app))[1:5]] == [
            name for name in order if name.startswith("D")
        ]
        await keys(pilot, "a")
        assert head(app).startswith("Handlungsfelder of all 20 cities")

    drive(script, size=(100, 40))


def test_the_lists_keys_do_nothing_over_a_view() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "x", "m", "c", "s", "p", "f", "e", "space")
        assert isinstance(app.screen, MatrixScreen)
        assert len(app.screen_stack) == 2 and not app.marked
        await keys(pilot, "q")  # back, not quit
        assert app.is_running and len(app.screen_stack) == 1
        await keys(pilot, "m")  # on the list they act again
        assert app.marked

    drive(script)


# --- links ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://smartcity.bonn.de/", "https://smartcity.bonn.de/"),
        ("  http://example.org/a?b=c ", "http://example.org/a?b=c"),
        ("https://exa\u202emple.org/\x1b[31m", "https://example.org/[31m"),  # made safe as show does
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("smartcity.bonn.de", None),
        ("https://", None),
        ("https://example.org/a b", None),
    ],
)
def test_only_web_links_are_opened_and_as_show_shows_them(url: str, expected: str | None) -> None:
    assert openable(url) == expected


def test_o_opens_the_citys_only_link(opened: list[str]) -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"bonn", "enter", "o")
        assert opened == ["https://smartcity.bonn.de/"]
        assert app.message == "opened https://smartcity.bonn.de/"

    drive(script)


def test_o_lists_several_links_to_choose_from(opened: list[str]) -> None:
    links = json_out("show", "Braunschweig")["links"]
    assert len(links) > 1

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"braunschweig", "enter", "o")
        assert isinstance(app.screen, LinksScreen) and not opened
        options = app.screen.query_one("#links", OptionList)
        assert [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)] == links
        await keys(pilot, "down", "enter")
        assert opened == [links[1]]
        assert not isinstance(app.screen, LinksScreen)

    drive(script)


def test_a_city_without_links_says_so(opened: list[str]) -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"halle", "enter", "o")
        assert app.message == "Halle (Saale) has no links" and not opened

    drive(script)


def test_a_click_on_a_link_in_the_pane_opens_it(opened: list[str]) -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"bonn", "enter")
        text = pane_text(app).splitlines()
        row = next(i for i, line in enumerate(text) if "https://smartcity.bonn.de/" in line)
        column = text[row].index("https://")
        await pilot.click("#detail", offset=(column + 3, row))
        await pilot.pause()
        assert opened == ["https://smartcity.bonn.de/"]

    drive(script, size=(160, 90))


# --- colour, size, mouse -------------------------------------------------------------------------

_FILL = re.compile(r"fill[:=]\s*\"?#([0-9a-f]{6})")


def colours(svg: str) -> set[str]:
    """The colours the screen is drawn with: the SVG's frame and the default colour of text
    without one, both Rich's export theme's, left out."""
    from rich.terminal_theme import SVG_EXPORT_THEME

    theme = {SVG_EXPORT_THEME.foreground_color.hex[1:], SVG_EXPORT_THEME.background_color.hex[1:]}
    screen = svg[svg.index('<g transform="translate(9, 41)"') :]
    styles = svg[svg.index("<style>") : svg.index("</style>")]
    return (set(_FILL.findall(screen)) | set(_FILL.findall(styles))) - theme


def grey(colour: str) -> bool:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return red == green == blue


@pytest.mark.parametrize("no_color", [False, True])
def test_no_color_draws_every_screen_in_greys(monkeypatch: pytest.MonkeyPatch, no_color: bool) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        assert app.no_color is no_color  # Textual reads NO_COLOR when the app is made
        shots = [app.export_screenshot()]
        await keys(pilot, "x")
        shots.append(app.export_screenshot())
        found = set().union(*(colours(svg) for svg in shots))
        assert found
        assert all(grey(c) for c in found) is no_color, sorted(found)

    drive(script)


def test_a_click_on_a_row_shows_that_city() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        assert pane_text(app).startswith("Aachen")
        await pilot.click("#cities", offset=(5, 3))  # the header, Aachen, Augsburg, then Bonn
        await pilot.pause()
        assert app.highlighted() == ATLAS.position("Bonn")
        assert pane_text(app).startswith("Bonn")

    drive(script)


def test_the_views_work_at_80_by_24_and_after_a_resize() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        for key in ("p", "x"):
            await keys(pilot, key)
            pane = app.screen.query_one("#view", Static)
            assert pane.size.width <= 80
            assert all(len(line) <= pane.size.width for line in lines(view_text(app)))
            await pilot.resize_terminal(120, 30)
            await pilot.pause()
            await pilot.pause()
            assert app.screen.query_one("#view", Static).size.width > 80
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            await keys(pilot, "escape")
        assert len(app.screen_stack) == 1

    drive(script, size=(80, 24))


def test_the_views_cover_what_the_facets_leave_as_the_commands_options_do() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "f", "space", "escape")  # the facets: Bildung
        assert listed(app) == [row["stadt"] for row in json_out("filter", "--feld", "bildung")]
        await keys(pilot, "x")
        width = app.screen.query_one("#view", Static).size.width
        drawn = ok("matrix", "--feld", "bildung", env={"COLUMNS": str(width)}).stdout
        assert lines(view_text(app)) == lines(drawn)
        await keys(pilot, "escape", "p")
        cities = {row["stadt"] for row in json_out("filter", "--feld", "bildung")}
        expected = [row for row in json_out("projects") if row["stadt"] in cities]
        assert head(app).startswith(f"{len(expected)} projects · the list's {len(cities)} cities")

    drive(script, size=(120, 50))


def test_a_view_covers_at_most_so_many_cities_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import atlascli.browse_views

    monkeypatch.setattr(atlascli.browse_views, "VIEWED", 3)

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "x")
        assert head(app) == "Handlungsfelder of all 20 cities, the first 3 shown (narrow the list)"
        rows = [line.split()[0] for line in lines(view_text(app))[1:4]]
        assert rows == [c.stadt for c in ATLAS.cities[:3]]
        assert lines(view_text(app))[4].startswith("Cities")  # the totals: no fourth city

    drive(script)


@pytest.mark.parametrize(
    ("flag", "environment", "grey"),
    [
        (False, {}, False),
        (False, {"NO_COLOR": "1"}, True),
        (False, {"NO_COLOR": ""}, False),  # empty: colour, as for the other commands
        (True, {}, True),  # --no-color
        (False, {"TERM": "dumb"}, True),
    ],
)
def test_the_app_has_colour_when_the_commands_have_it(
    monkeypatch: pytest.MonkeyPatch, flag: bool, environment: dict[str, str], grey: bool
) -> None:
    import sys

    from atlascli.cli.commands.browse import colour_for_textual
    from atlascli.render.terminal import colour_wanted

    for name in ("NO_COLOR", "TERM", "FORCE_COLOR"):
        monkeypatch.setenv(name, "")  # so that monkeypatch puts back what was there, if anything
        monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert (colour_wanted(flag, sys.stdout) is False) is grey  # what the commands decide
    colour_for_textual(flag)
    assert BrowseApp(ATLAS).no_color is grey


def test_every_key_in_the_footer_fits_at_80_columns() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await pilot.pause()
        shown = list(app.query(FooterKey))
        assert {k.key_display for k in shown} >= {"/", "f", "c", "s", "e", "?", "q"}  # the keys
        for k in shown:
            assert k.region.width > 0 and k.region.right <= 80, (k.key_display, k.region)

    drive(script, size=(80, 24))

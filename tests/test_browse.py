"""``atlas browse`` (issue 15): the Textual app driven headless by Textual's pilot, its filter
(the core's name resolution and search), and the refusal without a terminal."""

from __future__ import annotations

import asyncio
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import pytest
from harness import csv_out, run
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from atlascli.browse import BrowseApp, count_line, matching_positions
from atlascli.browse_export import reproducing
from atlascli.browse_facets import FacetPanel, command_line, facet_summary, filter_arguments, whole_number
from atlascli.browse_list import KEPT_ROWS, matched_prefix
from atlascli.loader import load_atlas
from atlascli.model import ALL_FIELDS, Atlas, CityFilter, Handlungsfeld
from atlascli.text import name_key

ATLAS = load_atlas(None)


def names(atlas: Atlas, positions: list[int]) -> list[str]:
    return [atlas.cities[i].stadt for i in positions]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("d", ["Darmstadt", "Dortmund", "Dresden", "Duisburg"]),
        ("muenster", ["Münster"]),
        ("MÜNSTER", ["Münster"]),
        ("halle", ["Halle (Saale)"]),
        ("freiburg", ["Freiburg im Breisgau"]),
        ("Oldenbrug", ["Oldenburg"]),  # a typo, as atlas show resolves it
        ("München", []),  # not in the atlas
    ],
)
def test_the_filter_resolves_names_as_the_commands_do(query: str, expected: list[str]) -> None:
    assert names(ATLAS, matching_positions(ATLAS, query)) == expected


def test_the_count_line_counts_the_cities() -> None:
    assert count_line(1) == "1 city"
    assert count_line(20) == "20 cities"
    assert count_line(100_000) == "100,000 cities"


@pytest.mark.parametrize(
    ("name", "query", "covered"),
    [
        ("Münster", "mue", "Mü"),
        ("Münster", "MÜNS", "Müns"),
        ("Halle (Saale)", "halle", "Halle"),
        ("Bonn", "x", ""),
    ],
)
def test_the_highlight_covers_what_was_typed(name: str, query: str, covered: str) -> None:
    assert name[: matched_prefix(name, name_key(query))] == covered


def test_an_empty_filter_is_every_city() -> None:
    assert matching_positions(ATLAS, "  ") == list(range(len(ATLAS)))


def test_words_that_name_no_city_are_searched_as_atlas_search_does() -> None:
    from atlascli.search import search

    found = names(ATLAS, matching_positions(ATLAS, "open data"))
    assert found == [hit.stadt for hit in search(ATLAS, "open data")]
    assert found


def drive(
    script: Callable[[BrowseApp, Pilot[None]], Awaitable[None]],
    size: tuple[int, int] = (100, 30),
    atlas: Atlas = ATLAS,
) -> None:
    """Run the app headless (Textual's pilot) through ``script``."""

    async def main() -> None:
        app = BrowseApp(atlas)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await script(app, pilot)

    asyncio.run(main())


async def keys(pilot: Pilot[None], *pressed: str) -> None:
    """Press these keys and let the app handle them."""
    await pilot.press(*pressed)
    await pilot.pause()


def listed(app: BrowseApp) -> list[str]:
    """The names of every city in the list, as the list reads them."""
    cities = app.city_list()
    return [cities.row(i).stadt for i in range(len(cities.positions))]


def list_lines(app: BrowseApp) -> list[Strip]:
    """The lines the list draws (its heading first)."""
    cities = app.city_list()
    return cities.render_lines(Region(0, 0, cities.size.width, cities.size.height))


def mark_cells(app: BrowseApp) -> list[str]:
    """The marks drawn before the cities on screen."""
    return [strip.text[:2].strip() for strip in list_lines(app)[1 : len(app.positions) + 1]]


def pane_text(app: BrowseApp) -> str:
    detail = app.detail()
    strips = detail.render_lines(Region(0, 0, detail.size.width, detail.size.height))
    return "\n".join(strip.text.rstrip() for strip in strips)


def view_text(app: BrowseApp) -> str:
    """The text of the compare or similar view on the screen."""
    view = app.screen.query_one("#view", Static)
    strips = view.render_lines(Region(0, 0, view.size.width, view.size.height))
    return "\n".join(strip.text.rstrip() for strip in strips)


def test_every_city_is_listed_at_the_start_and_the_first_is_shown() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        assert listed(app) == [c.stadt for c in ATLAS.cities]
        assert pane_text(app).startswith("Aachen  —  Nordrhein-Westfalen")

    drive(script)


def test_typing_filters_the_list_and_the_pane_shows_the_highlighted_city() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"d")
        assert listed(app) == ["Darmstadt", "Dortmund", "Dresden", "Duisburg"]
        assert str(app.query_one("#count", Static).render()) == "4 cities"
        await keys(pilot, *"res")
        assert listed(app) == ["Dresden"]
        first = list_lines(app)[1]
        assert first.text.split()[0] == "Dresden"
        assert "".join(s.text for s in first if s.style and s.style.reverse) == "Dres"  # highlighted
        assert pane_text(app).startswith("Dresden  —  Sachsen")
        assert "Handlungsfelder" in pane_text(app)

    drive(script)


def test_moving_in_the_list_shows_that_city() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"muenster", "enter")  # enter: back to the list
        assert listed(app) == ["Münster"]
        await keys(pilot, "backspace")  # the list has the focus: the search is unchanged
        assert listed(app) == ["Münster"]
        await pilot.press("/", "ctrl+u")  # clear the search: every city again
        await keys(pilot, "escape", "down", "down")
        assert pane_text(app).startswith("Bonn  —  ")

    drive(script)


def test_a_search_that_finds_nothing_says_so() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"xqzv")
        assert listed(app) == []
        assert pane_text(app).startswith("no city matches")

    drive(script)


def test_help_and_quit_keys() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "question_mark")
        assert app.query_one("#help").has_class("shown")
        await keys(pilot, "/", *"q?")  # in the search, q and ? are letters
        assert app.is_running
        await keys(pilot, "escape", "q")
        assert not app.is_running

    drive(script)


def test_it_works_at_80_by_24() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"bonn")
        assert pane_text(app).startswith("Bonn")

    drive(script, size=(80, 24))


def test_the_pane_is_laid_out_again_when_the_terminal_is_resized() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        narrow = app.detail_width
        await pilot.resize_terminal(200, 40)
        await pilot.pause()
        await pilot.pause()
        assert app.detail_width > narrow
        assert app.detail_width == app.detail().scrollable_content_region.width

    drive(script, size=(80, 24))


def test_the_pane_lays_its_city_out_for_the_width_it_is_drawn_at_with_or_without_a_scrollbar() -> None:
    """The pane draws lines laid out before they are shown (not a Static laid out by the screen):
    they are laid out for the room beside the scrollbar when the city needs one, and for the
    whole pane when it does not, never cut; a new city starts at its top."""
    from atlascli.browse_views import pane_console
    from atlascli.render.views.cities import city_view

    def expected(app: BrowseApp, name: str) -> list[str]:
        console = pane_console(app.detail_width)
        lines = console.render_lines(city_view(console, ATLAS[name]), console.options, pad=False)
        return ["".join(segment.text for segment in line).rstrip() for line in lines]

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        detail = app.detail()
        room = detail.content_region.width
        assert app.detail_width >= 40  # pane_console's narrowest: below it, lines are cut
        assert detail.show_vertical_scrollbar  # Aachen is longer than 30 lines
        assert app.detail_width == room - detail.styles.scrollbar_size_vertical
        shown = expected(app, "Aachen")
        assert pane_text(app) == "\n".join(shown[: detail.size.height])
        detail.focus()
        await keys(pilot, "pagedown")  # the pane scrolls by its keys, as a scrolling container does
        top = detail.scroll_offset.y
        assert top > 0 and pane_text(app) == "\n".join(shown[top : top + detail.size.height])
        app.city_list().focus()
        await keys(pilot, "down")  # the next city, from its first line
        assert detail.scroll_offset.y == 0 and app.detail_at == app.highlighted() == 1
        assert pane_text(app).startswith(ATLAS.cities[1].stadt)
        await keys(pilot, "/", *"zzzz")  # no city: one short line, no scrollbar
        assert pane_text(app).startswith("no city matches")
        assert not detail.show_vertical_scrollbar and app.detail_width == room
        assert detail.scroll_offset.y == 0
        await keys(pilot, "ctrl+u", *"bonn")
        assert (
            detail.show_vertical_scrollbar
            and app.detail_width == room - detail.styles.scrollbar_size_vertical
        )
        assert pane_text(app) == "\n".join(expected(app, "Bonn")[: detail.size.height])

    drive(script, size=(110, 30))


def test_without_a_terminal_browse_refuses_in_one_line() -> None:
    result = run("browse")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("atlas: browse needs a terminal")


def large_atlas(size: int) -> Atlas:
    """An atlas of ``size`` cities: the bundled ones again and again, numbered."""
    from atlascli.memory import MemoryAtlas

    return MemoryAtlas(
        replace(ATLAS.cities[i % len(ATLAS)], stadt=f"{ATLAS.cities[i % len(ATLAS)].stadt} {i}")
        for i in range(size)
    )


def test_the_list_is_virtual_it_reads_only_the_cities_it_draws() -> None:
    atlas = large_atlas(KEPT_ROWS * 3)

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        cities = app.city_list()
        rows = cities.size.height - 1  # under the heading
        assert str(app.query_one("#count", Static).render()) == f"{len(atlas):,} cities"
        assert 0 < cities.reads <= rows
        assert list_lines(app)[rows].text.startswith(f"  {atlas.cities[rows - 1].stadt} ")  # drawn ...
        await keys(pilot, "end")
        last = atlas.cities[-1].stadt
        assert pane_text(app).startswith(last)
        assert list_lines(app)[rows].text.startswith(f"  {last} ")  # ... the last at the bottom
        assert cities.reads <= 2 * (rows + 1)  # ... and nothing between read (a screenful each)
        await keys(pilot, "home", "pagedown")
        assert cities.cursor == rows - 1
        await keys(pilot, "/", *"aachen 4")  # names start so: the list holds them, in file order
        assert listed(app) == [c.stadt for c in atlas.cities if c.stadt.startswith("Aachen 4")]
        assert listed(app)[:3] == ["Aachen 40", "Aachen 400", "Aachen 420"]

    drive(script, atlas=atlas)


def test_marked_cities_are_compared_as_atlas_compare_compares_them() -> None:
    from atlascli.query import compare_cities

    bonn, dresden = (ATLAS.cities[_at(name)] for name in ("Bonn", "Dresden"))
    comparison = compare_cities([bonn, dresden])
    assert comparison.fields_in_all

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "c")  # nothing marked
        assert app.message.startswith("mark two or more cities")
        assert not app.screen.query("#view")
        await keys(pilot, "/", *"bonn", "enter", "m")
        assert mark_cells(app) == ["*"]  # marked in the list
        await keys(pilot, "c")  # one marked
        assert not app.screen.query("#view")
        await keys(pilot, "/", "ctrl+u", *"dresden", "enter", "space")
        assert "2 marked" in str(app.query_one("#count", Static).render())
        await keys(pilot, "c")
        text = view_text(app)
        assert text.startswith("Compared: Bonn · Dresden")  # in the order marked
        for field in comparison.fields_in_all:  # the fields the core finds in both are shown
            assert field.value in text
        await keys(pilot, "escape")
        assert not app.screen.query("#view")
        assert listed(app) == ["Dresden"]
        await keys(pilot, "m")  # unmark
        assert mark_cells(app) == [""]
        assert str(app.query_one("#count", Static).render()) == "1 city · 1 marked"  # Bonn still is
        await keys(pilot, "/", "ctrl+u", *"m c")  # in the search, m, space and c are letters
        assert len(app.marked) == 1 and not app.screen.query("#view")

    drive(script)


def _at(name: str) -> int:
    position = ATLAS.position(name)
    assert position is not None
    return position


def test_similar_lists_what_atlas_similar_lists() -> None:
    import json

    result = run("similar", "Darmstadt", "-f", "json")
    assert result.exit_code == 0
    expected = [row["stadt"] for row in json.loads(result.stdout)]

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"darmstadt", "enter", "s")
        text = view_text(app)
        assert text.startswith("Cities most like Darmstadt")
        places = [text.index(name) for name in expected]
        assert places == sorted(places)  # in the command's order, its first one first
        await keys(pilot, "q")  # back, not quit
        assert app.is_running
        assert not app.screen.query("#view")

    drive(script)


# --- facets, export, unmarking (issue 15) ---------------------------------------------------


def facets(app: BrowseApp) -> FacetPanel:
    return app.query_one("#facets", FacetPanel)


def filtered(*options: str) -> list[str]:
    """The cities ``atlas filter OPTIONS`` writes, run through the app's entry point."""
    return [row["stadt"] for row in csv_out("filter", *options)]


def rendered(widget: Widget) -> str:
    strips = widget.render_lines(Region(0, 0, widget.outer_size.width, widget.outer_size.height))
    return "\n".join(strip.text.rstrip() for strip in strips)


def test_fields_toggled_in_the_facets_narrow_the_list_as_atlas_filter_does() -> None:
    either = ("--feld", "bildung", "--feld", "gesundheit", "--any")

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "f")
        assert facets(app).has_class("shown") and not app.query_one("#detail-pane").display
        await keys(pilot, "space", "down", "down", "down", "down", "space")  # Bildung, Gesundheit
        assert app.conditions.felder == (Handlungsfeld.BILDUNG, Handlungsfeld.GESUNDHEIT)
        assert listed(app) == filtered("--feld", "bildung", "--feld", "gesundheit")
        both = len(listed(app))
        await keys(pilot, "tab", "space")  # any instead of all
        assert app.conditions.any_feld
        assert listed(app) == filtered(*either)
        assert len(listed(app)) > both
        count = str(app.query_one("#count", Static).render())
        assert count.startswith(f"{len(listed(app))} cities · Bildung or Gesundheit")
        # beside each field: how many of the listed cities work on it, counted live
        cities = [ATLAS.cities[ATLAS.position(name) or 0] for name in filtered(*either)]
        felder = rendered(app.query_one("#facet-felder"))
        for feld in ALL_FIELDS:  # chosen or not, told apart without colour (NO_COLOR) too
            box = "[x]" if feld in (Handlungsfeld.BILDUNG, Handlungsfeld.GESUNDHEIT) else "[ ]"
            assert f"{box} {feld.value}  {sum(feld in c.handlungsfelder for c in cities)}" in felder
        command = " ".join(rendered(app.query_one("#facet-command")).split())  # wrapped to the pane
        assert command == "$ atlas filter --feld Bildung --feld Gesundheit --any"
        await keys(pilot, "escape")  # back to the list; the facets stay in force
        assert not facets(app).has_class("shown") and app.query_one("#detail-pane").display
        assert listed(app) == filtered(*either)

    drive(script, size=(100, 40))


def test_bundesland_and_inhabitants_combine_with_the_fields_and_the_search() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "f", "down", "down", "space")  # Energie & Umwelt
        await keys(pilot, "tab", "tab", "enter")  # open the Bundesland choice
        land = "Nordrhein-Westfalen"
        await keys(pilot, *["down"] * (ATLAS.bundeslaender().index(land) + 1), "enter")
        assert app.conditions.bundesland == land
        await keys(pilot, "tab", *"300000", "tab", *"600000")
        conditions = (
            "--feld",
            "energie",
            "-b",
            "NRW",
            "--min-einwohner",
            "300000",
            "--max-einwohner",
            "600000",
        )
        assert listed(app) == filtered(*conditions)
        assert 0 < len(listed(app)) < len(filtered("--feld", "energie", "-b", "NRW"))
        await keys(pilot, "escape", "/", *"d")  # the search narrows what the facets select
        assert listed(app) == [n for n in filtered(*conditions) if n.startswith("D")]
        assert listed(app)
        await keys(pilot, "ctrl+u", "escape", "f", "tab", "tab", "tab", "ctrl+u")  # no minimum
        assert app.conditions.min_einwohner is None
        assert listed(app) == filtered("--feld", "energie", "-b", "NRW", "--max-einwohner", "600000")

    drive(script, size=(100, 40))


@pytest.mark.parametrize(
    ("typed", "number"),
    [("300000", 300000), (" 300_000 ", 300000), ("300.000", 300000), ("", None), ("-5", None), ("x", None)],
)
def test_inhabitants_are_typed_as_whole_numbers(typed: str, number: int | None) -> None:
    assert whole_number(typed) == number


def test_the_facets_as_options_of_atlas_filter() -> None:
    conditions = CityFilter(
        felder=(Handlungsfeld.ENERGIE_UMWELT, Handlungsfeld.MOBILITAET),
        any_feld=True,
        bundesland="Baden-Württemberg",
        min_einwohner=100000,
    )
    assert command_line(["atlas", "filter", *filter_arguments(conditions)]) == (
        "atlas filter --feld 'Energie & Umwelt' --feld Mobilität --any -b Baden-Württemberg"
        " --min-einwohner 100000"
    )
    assert (
        facet_summary(conditions) == "Energie & Umwelt or Mobilität, Baden-Württemberg, ≥ 100,000 inhabitants"
    )
    assert filter_arguments(CityFilter(any_feld=True)) == []  # --any alone says nothing
    assert facet_summary(CityFilter()) == ""


def export_through(app: BrowseApp, pilot: Pilot[None], path: Path) -> Awaitable[None]:
    """Press e, name the file, press Enter."""

    async def steps() -> None:
        await keys(pilot, "e")
        app.screen.query_one("#export-file", Input).value = str(path)
        await keys(pilot, "enter")

    return steps()


@pytest.mark.parametrize("suffix", [".csv", ".json", ".tsv"])
def test_export_writes_the_bytes_of_the_command_line_it_shows(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"cities{suffix}"

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "f", "space", "tab", "space", "down", "down", "space")  # Bildung; any
        await keys(pilot, "escape")
        await export_through(app, pilot, path)
        assert not app.screen.query("#export-file")  # written: the export screen is gone
        line, gap = reproducing(app.prefix, app.query_text, app.conditions, str(path))
        assert gap == ""
        words, target = line.split(" > ")
        assert shlex.split(target) == [str(path)]
        argv = shlex.split(words)
        assert argv[:2] == ["atlas", "filter"] and "-f" in argv
        result = run(*argv[1:])
        assert result.exit_code == 0
        assert path.read_bytes() == result.stdout_bytes
        assert len(listed(app)) == len(filtered(*argv[2 : argv.index("-f")]))

    drive(script)


def test_an_export_with_a_search_holds_the_list_and_says_what_the_command_leaves_out(tmp_path: Path) -> None:
    import json

    path = tmp_path / "search.json"

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"open data", "enter")
        await keys(pilot, "e")
        assert "not in it: the search 'open data'" in rendered(app.screen.query_one("#export-gap"))
        app.screen.query_one("#export-file", Input).value = str(path)
        await keys(pilot, "enter")
        assert [city["stadt"] for city in json.loads(path.read_text(encoding="utf-8"))] == listed(app)
        assert listed(app)

    drive(script)


def test_an_existing_file_is_overwritten_only_on_a_second_enter(tmp_path: Path) -> None:
    path = tmp_path / "kept.csv"
    path.write_text("mine\n", encoding="utf-8")

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await export_through(app, pilot, path)
        assert path.read_text(encoding="utf-8") == "mine\n"
        assert "exists" in rendered(app.screen.query_one("#export-status"))
        await keys(pilot, "enter")
        assert path.read_bytes() == run("filter", "-f", "csv").stdout_bytes

    drive(script)


def test_u_unmarks_every_city() -> None:
    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "m", "down", "m", "down", "m")
        assert len(app.marked) == 3
        await keys(pilot, "/", *"dresden", "enter")  # a marked city out of the list is unmarked too
        await keys(pilot, "u")
        assert app.marked == {}
        assert app.message == "unmarked 3"
        await keys(pilot, "/", "ctrl+u", "enter")
        assert mark_cells(app) == [""] * len(ATLAS)
        assert "marked" not in str(app.query_one("#count", Static).render())

    drive(script)


def test_on_a_large_atlas_a_search_runs_beside_the_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    import atlascli.browse

    monkeypatch.setattr(atlascli.browse, "BACKGROUND_FROM", 10)  # the bundled atlas counts as large

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"open dat")
        assert str(app.query_one("#count", Static).render()) == "searching 'open dat' …"
        await keys(pilot, "a")
        assert app.query_text == "open data"
        for _ in range(200):  # the answer comes from the search thread
            if app.searching is None:
                break
            await pilot.pause(0.05)
        assert listed(app) == names(ATLAS, matching_positions(ATLAS, "open data"))
        assert listed(app)
        assert str(app.query_one("#count", Static).render()) == count_line(len(listed(app)))
        await keys(pilot, "ctrl+u", *"dres")  # a name: listed at once, no search
        assert app.searching is None and listed(app) == ["Dresden"]

    drive(script)


async def pane_settled(app: BrowseApp, pilot: Pilot[None]) -> None:
    """Until the pane shows the highlighted city (on a large atlas, once the keys pause)."""
    for _ in range(200):
        if not app.pane_due():
            break
        await pilot.pause(0.05)
    await pilot.pause()
    assert not app.pane_due()


def test_on_a_large_atlas_the_pane_follows_once_the_keys_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    import atlascli.browse

    monkeypatch.setattr(atlascli.browse, "PANE_LATER_FROM", 10)  # the bundled atlas counts as large

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        assert pane_text(app).startswith("Aachen  —  ")  # the first city: at once
        await keys(pilot, "/", *"dres")
        assert listed(app) == ["Dresden"]  # the list at once
        await pane_settled(app, pilot)
        assert pane_text(app).startswith("Dresden  —  Sachsen")
        await keys(pilot, "x")
        await pane_settled(app, pilot)
        assert pane_text(app).startswith("no city matches")
        await pilot.press("ctrl+u")
        await keys(pilot, "escape", "down", "down")
        await pane_settled(app, pilot)
        assert pane_text(app).startswith("Bonn  —  ")

    drive(script)


def test_on_a_large_atlas_the_pane_keeps_its_city_while_keys_come(monkeypatch: pytest.MonkeyPatch) -> None:
    import atlascli.browse

    monkeypatch.setattr(atlascli.browse, "PANE_LATER_FROM", 10)
    monkeypatch.setattr(atlascli.browse, "PANE_DELAY", 60.0)  # the keys never pause in this test

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "down")
        assert app.highlighted() == 1 and app.pane_due()
        assert pane_text(app).startswith("Aachen  —  ")  # not drawn again until the keys pause
        await keys(pilot, "up")  # back to the city shown: nothing is due
        assert app.highlighted() == 0 and not app.pane_due()
        assert pane_text(app).startswith("Aachen  —  ")

    drive(script)


def test_a_word_search_shows_each_citys_hit_its_matched_words_highlighted() -> None:
    from atlascli.search import search

    hits = search(ATLAS, "open data")
    assert hits

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "slash", *"open data")
        assert listed(app) == [hit.stadt for hit in hits]
        for hit, strip in zip(hits, list_lines(app)[1:], strict=False):
            assert strip.text[2:].startswith(f"{hit.stadt}  ")
            shown = strip.text[2 + len(hit.stadt) + 2 :]
            # the excerpt atlas search prints, its first match in view (the cell may cut its end)
            first_start, first_end = hit.spans[0]
            assert hit.ausschnitt[first_start:first_end] in shown
            assert shown.split("…")[0].strip() or shown.startswith("…")
            matched = "".join(s.text for s in strip if s.style is not None and s.style.reverse)
            assert hit.ausschnitt[first_start:first_end] in matched
        await keys(pilot, "ctrl+u", *"d")  # a name's prefix: no excerpts, the prefix highlighted
        assert all("  " not in strip.text[2:26].strip() for strip in list_lines(app)[1:5])

    drive(script, size=(140, 30))


def land_counts_shown(app: BrowseApp) -> dict[str, int]:
    """The count beside each Bundesland in the facets' choice, as its options read."""
    lands = app.query_one("#facet-land", Select)
    shown: dict[str, int] = {}
    for prompt, land in lands._options:  # Select has no public list of its options (Textual 8)
        if isinstance(land, str):
            label = str(prompt)
            assert label.startswith(land)
            shown[land] = int(label.removeprefix(land).strip().replace(",", ""))
    return shown


def filter_count(*options: str) -> int:
    """How many cities ``atlas filter OPTIONS -f json`` writes (through the app's entry point)."""
    import json

    result = run("filter", *options, "-f", "json")
    return len(json.loads(result.stdout))


def test_each_bundesland_counts_the_cities_it_would_list_and_the_choice_stays() -> None:
    land = "Nordrhein-Westfalen"

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "f", "down", "down", "space")  # Energie & Umwelt
        shown = land_counts_shown(app)
        assert set(shown) == set(ATLAS.bundeslaender())
        for each, count in shown.items():
            assert count == filter_count("--feld", "energie", "-b", each), each
        assert sum(shown.values()) == len(listed(app))
        await keys(pilot, "tab", "tab", "enter")  # choose a Bundesland
        await keys(pilot, *["down"] * (ATLAS.bundeslaender().index(land) + 1), "enter")
        assert app.conditions.bundesland == land
        await keys(pilot, "tab", *"300000")  # the counts change live, the choice stays
        assert app.conditions.bundesland == land
        assert app.query_one("#facet-land", Select).value == land
        for each, count in land_counts_shown(app).items():
            assert count == filter_count("--feld", "energie", "-b", each, "--min-einwohner", "300000"), each
        assert listed(app) == filtered("--feld", "energie", "-b", "NRW", "--min-einwohner", "300000")

    drive(script, size=(100, 40))


def test_the_bundesland_counts_do_not_search_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A word search reads every city its words allow (seconds at 100,000): the facets' counts
    (the list again without the chosen land) reuse it; a new query searches again."""
    import atlascli.browse

    land = "Nordrhein-Westfalen"
    found = [n for n in names(ATLAS, matching_positions(ATLAS, "open data")) if ATLAS[n].bundesland == land]
    assert found
    searched: list[str] = []
    real = atlascli.browse.search

    def counted(atlas: Atlas, query: str, *args: object, **kwargs: object) -> object:
        searched.append(query)
        return real(atlas, query, *args, **kwargs)  # type: ignore[arg-type]  # passed through as given

    monkeypatch.setattr(atlascli.browse, "search", counted)

    async def script(app: BrowseApp, pilot: Pilot[None]) -> None:
        await keys(pilot, "/", *"open data", "escape", "f", "tab", "tab", "enter")
        await keys(pilot, *["down"] * (ATLAS.bundeslaender().index(land) + 1), "enter")
        assert app.conditions.bundesland == land
        assert listed(app) == found
        assert searched.count("open data") == 1
        await keys(pilot, "escape", "/", "ctrl+u", *"verkehr")
        assert searched.count("verkehr") == 1

    drive(script, size=(100, 40))

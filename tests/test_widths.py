"""Every table view at every terminal width: no line wider than the terminal, and every city name
and every formatted number that the widest layout shows is still there, unbroken on one line."""

from __future__ import annotations

import re

import pytest
from harness import json_out, ok
from rich.cells import cell_len

WIDTHS = [40, 45, 60, 80, 100]
COMMANDS = [
    ["list"],
    ["list", "--columns", "stadt,einwohner_pro_km2,links"],
    ["filter", "--feld", "Gesundheit"],
    ["filter", "-b", "Bayern", "--columns", "stadt,organisation"],
    ["search", "Mobilität"],
    ["search", "open data"],
    ["projects"],
    ["similar", "Darmstadt"],
    ["sql", "SELECT stadt, bundesland, einwohner, strategie FROM atlas"],
    ["show", "Freiburg"],
    ["show", "Darmstadt"],
    ["stats"],
    ["fields"],
    ["fields", "Gesundheit"],
    ["matrix"],
    ["matrix", "-b", "Sachsen"],
    ["compare", "Bonn", "Münster"],
    ["compare", "Bonn", "Münster", "Braunschweig"],
    ["compare", "Freiburg", "Gelsenkirchen", "Halle", "Rostock"],
]
# a number as the views write it, not a piece of a URL, a date or a word
NUMBER = re.compile(r"(?<![\w.,/=?&#%+-])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![\w/=?&#%-]|[.,]\d)")


def _names() -> list[str]:
    return [city["stadt"] for city in json_out("list")]


def _table(args: list[str], width: int) -> str:
    return ok("--no-pager", *args, env={"COLUMNS": str(width), "LINES": "10000"}).stdout


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_views_fit_every_width_and_break_no_name_or_number(args: list[str]) -> None:
    wide = _table(args, 160)
    lines = wide.splitlines()
    names = [n for n in _names() if any(n in line for line in lines)]
    numbers = set(NUMBER.findall(wide))
    assert names or numbers, wide
    for width in [*WIDTHS, 160]:
        out = _table(args, width)
        too_wide = [line for line in out.splitlines() if cell_len(line) > width]
        assert not too_wide, (width, too_wide[:3])
        lines = out.splitlines()
        broken = [n for n in names if not any(n in line for line in lines)]
        assert not broken, (width, broken)
        missing = numbers - set(NUMBER.findall(out))
        assert not missing, (width, sorted(missing))


def test_long_urls_in_show_are_shortened_whole_never_folded() -> None:
    from atlascli.render.views.cities import short_url

    url = "http://www.aachen.de/DE/stadt_buerger/politik_verwaltung/Digitale_Strategie_Aachen.pdf"
    assert short_url(url, 200) == url
    for width in (10, 30, 44, 60):
        shown = short_url(url, width)
        assert len(shown) <= width and "…" in shown and shown.startswith("http")
    out = _table(["show", "Aachen"], 45)
    links = out[out.index("Links") :]
    assert "http://www.aachen.de/" in links and "…" in links and "-f json" in links
    assert any(len(link) > 45 for link in json_out("show", "Aachen")["links"])  # JSON keeps them whole

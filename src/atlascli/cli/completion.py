"""Shell completion of city, field and Bundesland names: cheap (no fuzzy matching, no Rich), by
folded prefix."""

import os
import re
from collections.abc import Iterable

import typer

from atlascli.chars import visible
from atlascli.errors import AtlasDataError
from atlascli.loader import load_atlas
from atlascli.model import ALL_FIELDS
from atlascli.query import BUNDESLAENDER
from atlascli.text import fold


def _starting_with(names: Iterable[str], incomplete: str) -> list[str]:
    # Given to Click's shell_complete, not Typer's autocompletion: Typer would drop every
    # candidate that does not start with the typed text case-sensitively ("mü" → Münster).
    start = fold(incomplete)
    # a candidate goes into the command line: nothing hidden (ESC, U+202E, newlines) may come along
    found = [visible(name) for name in names if fold(name).startswith(start)]
    if os.environ.get("_ATLAS_COMPLETE", "").endswith("_bash"):
        # bash puts a candidate into the command line as it is: escape spaces, & and ( )
        found = [re.sub(r"([^\w@%+=:,./-])", r"\\\1", name) for name in found]
    return found


def complete_city(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    data = ctx.find_root().params.get("data") or os.environ.get("ATLAS_DATA") or None
    try:
        atlas = load_atlas(data)
    except AtlasDataError:
        return []
    return _starting_with(atlas.names, incomplete)


def complete_field(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    return _starting_with((f.value for f in ALL_FIELDS), incomplete)


def complete_bundesland(ctx: typer.Context, param: object, incomplete: str) -> list[str]:
    return _starting_with(BUNDESLAENDER, incomplete)

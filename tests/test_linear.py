"""Issue 13, case 2: every regular expression over data runs in linear time. Each former
quadratic pattern's replacement is checked against the pattern it replaced (hypothesis, on
hostile text) and timed at 1× and 10× a hostile input: near-linear growth, generous margins."""

from __future__ import annotations

import re

from hostile_text import HOSTILE_TEXT, LINEAR, growth
from hypothesis import example, given, settings
from hypothesis import strategies as st

from atlascli.text import base_key, item_key, item_label, name_key, quoted_title, without_qualifier
from atlascli.tsv import split_project

# the patterns as they were: the reference for what the plain searches must find
OLD_PROJECT = re.compile(r"^(?P<name>.*?)\s*\((?P<fields>[^()]*)\)$", re.DOTALL)
OLD_QUALIFIER = re.compile(r"\s*(\(.*\)|/.*|\b(im|am|an der|in der|ob der|vor der)\b.*)$", re.IGNORECASE)
OLD_QUOTED = re.compile(r"»([^«]+)«")

PIECES = st.sampled_from(["(", ")", "/", " ", "\n", "»", "«", "a", "im", "IM", " am ", "an der", "ß", "(x)"])
TEXT = HOSTILE_TEXT | st.lists(PIECES, max_size=12).map("".join)


@settings(deadline=None)  # the old patterns, the reference, are slow on long runs
@given(TEXT)
@example("()\n")  # the pattern's $ also matches before a final newline
def test_split_project_finds_what_the_pattern_found(item: str) -> None:
    match = OLD_PROJECT.match(item)
    expected = (
        (item, []) if match is None else (match["name"], [f.strip() for f in match["fields"].split("/")])
    )
    assert split_project(item) == expected


@settings(deadline=None)  # the old patterns, the reference, are slow on long runs
@given(TEXT)
def test_qualifier_is_cut_where_the_pattern_cut(name: str) -> None:
    assert name_key(without_qualifier(name)) == name_key(OLD_QUALIFIER.sub("", name))


@settings(deadline=None)  # the old patterns, the reference, are slow on long runs
@given(TEXT)
def test_quoted_title_is_what_the_pattern_found(item: str) -> None:
    match = OLD_QUOTED.search(item)
    assert quoted_title(item) == (match.group(1) if match else None)


def test_project_split_grows_linearly() -> None:
    assert growth(lambda n: "a" + " " * n + "b", split_project, 20_000) < LINEAR
    assert growth(lambda n: "a" + " " * n + "(b", split_project, 20_000) < LINEAR


def test_qualifier_grows_linearly() -> None:
    assert growth(lambda n: "a" + " " * n + "b", base_key, 20_000) < LINEAR
    assert growth(lambda n: "(" * n + "b", base_key, 20_000) < LINEAR


def test_quoted_title_grows_linearly() -> None:
    assert growth(lambda n: "»" * n, item_key, 20_000) < LINEAR
    assert growth(lambda n: "»" * n, item_label, 20_000) < LINEAR


def test_a_written_list_cell_is_recognised_in_linear_time() -> None:
    from atlascli.validate import _WRITTEN_LIST

    for make in (
        lambda n: "a" + " " * n,
        lambda n: "a" + " " * n + "b",
        lambda n: "a; " * n,
        lambda n: "a " * n,
        lambda n: "; " * n,
        lambda n: ("a" + " " * 50 + "; ") * (n // 50),
    ):
        assert growth(make, _WRITTEN_LIST.fullmatch, 20_000) < LINEAR

"""The column schema: every column once, with one name everywhere (issue 10)."""

from __future__ import annotations

import dataclasses
import json

import pytest
from harness import ok, root_command, run
from oracle import COLUMNS as PUBLISHED

from atlascli.model import City
from atlascli.schema import ALL_COLUMNS, COLUMNS, SCHEMA


def test_the_stored_columns_are_the_published_ones_in_order() -> None:
    assert list(COLUMNS) == PUBLISHED


def test_a_city_has_a_field_for_every_stored_column_in_order() -> None:
    assert [f.name for f in dataclasses.fields(City)] == list(COLUMNS)


def test_every_column_is_described_once() -> None:
    names = [c.name for c in SCHEMA]
    assert len(names) == len(set(names))
    assert names == [*PUBLISHED, "einwohner_pro_km2"]


def _choices(command: str, option: str) -> list[str]:
    params = root_command().commands[command].params
    param = next(p for p in params if option in p.opts)
    return list(param.type.choices)


@pytest.mark.parametrize("command", ["list", "filter"])
def test_sort_takes_every_column_name(command: str) -> None:
    assert _choices(command, "--sort") == [*PUBLISHED, "einwohner_pro_km2"]


@pytest.mark.parametrize("name", [*PUBLISHED, "einwohner_pro_km2"])
def test_every_column_name_sorts_and_is_a_column(name: str) -> None:
    out = ok("list", "--sort", name, "--columns", f"stadt,{name}", "-f", "json").stdout
    assert [set(record) for record in json.loads(out)] == [{"stadt", name}] * 20


def test_the_old_density_name_is_refused_with_the_valid_ones() -> None:
    result = run("list", "--sort", "dichte")
    assert result.exit_code == 2
    assert "einwohner_pro_km2" in result.stderr


def test_density_sorts_numerically() -> None:
    out = ok(
        "list", "--sort", "einwohner_pro_km2", "--columns", "stadt,einwohner_pro_km2", "-f", "json"
    ).stdout
    densities = [r["einwohner_pro_km2"] for r in json.loads(out)]
    assert densities == sorted(densities)
    assert ALL_COLUMNS[-1] == "einwohner_pro_km2"

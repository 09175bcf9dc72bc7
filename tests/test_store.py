"""Large files: the lazy, indexed reading and its cache give exactly what the full loader gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import atlascli.loader as atlas_module
from atlascli import load_atlas
from atlascli.loader import AtlasDataError, parse_atlas
from atlascli.model import Handlungsfeld
from atlascli.query import CityFilter, filter_cities, resolve_city
from atlascli.search import search
from atlascli.store import LargeAtlas, LazyCities, cache_dir
from atlascli.tsv import dumps

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "atlas.tsv"


@pytest.fixture
def lazy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every --data file counts as large; the cache lives in tmp_path; a copy of the atlas with
    a BOM, CRLF line ends and a blank line, so that byte offsets are tested with them."""
    monkeypatch.setattr(atlas_module, "LAZY_FROM", 0)
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ATLAS_NO_CACHE", raising=False)
    text = BUNDLED.read_text(encoding="utf-8").replace("\n", "\r\n")
    lines = text.split("\r\n")
    lines.insert(5, "")
    path = tmp_path / "atlas.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    return path


def test_a_large_file_is_read_lazily_and_gives_the_same_records(lazy: Path) -> None:
    big = load_atlas(lazy)
    assert isinstance(big, LargeAtlas)
    assert isinstance(big.cities, LazyCities)
    whole = parse_atlas(lazy.read_bytes(), str(lazy))
    assert list(big.cities) == list(whole.cities)
    assert big == whole
    assert list(big.names) == list(whole.names)
    assert big.cities[3] == whole.cities[3]
    assert big.cities[-1] == whole.cities[-1]
    assert big.cities[2:4] == list(whole.cities[2:4])
    assert big["münster"] == whole["Münster"]


def test_the_cache_is_written_once_and_used(lazy: Path) -> None:
    first = load_atlas(lazy)
    written = sorted(cache_dir().iterdir())
    assert [p.suffix for p in written] == [".index"]
    stamp = written[0].stat().st_mtime_ns
    second = load_atlas(lazy)
    assert second == first
    assert written[0].stat().st_mtime_ns == stamp  # read, not rewritten


def test_a_changed_file_is_never_served_from_the_cache(lazy: Path) -> None:
    load_atlas(lazy)
    data = lazy.read_bytes().replace(b"Aachen", b"Achen", 1)
    lazy.write_bytes(data)
    os.utime(lazy, ns=(1, 1))  # even with an old modification time, the content hash differs
    assert "Achen" in load_atlas(lazy).names


def test_an_unreadable_cache_is_ignored_and_rebuilt(lazy: Path) -> None:
    expected = load_atlas(lazy)
    for path in cache_dir().iterdir():
        path.write_bytes(b"not a pickle")
    assert load_atlas(lazy) == expected
    assert all(p.read_bytes() != b"not a pickle" for p in cache_dir().iterdir())


def test_no_cache_neither_reads_nor_writes(lazy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_atlas(lazy, cache=False) == parse_atlas(lazy.read_bytes(), str(lazy))
    assert not cache_dir().exists()
    monkeypatch.setenv("ATLAS_NO_CACHE", "1")
    load_atlas(lazy)
    assert not cache_dir().exists()


def test_a_broken_large_file_reports_the_same_problems(lazy: Path) -> None:
    data = lazy.read_bytes().replace(b"246272", b"viele", 1)
    lazy.write_bytes(data)
    with pytest.raises(AtlasDataError) as lazily:
        load_atlas(lazy)
    with pytest.raises(AtlasDataError) as whole:
        parse_atlas(data, str(lazy))
    assert lazily.value.problems == whole.value.problems
    assert lazily.value.problems[0].column == "einwohner"


@pytest.mark.parametrize(
    "conditions",
    [
        CityFilter(felder=(Handlungsfeld.GESUNDHEIT,)),
        CityFilter(felder=(Handlungsfeld.GESUNDHEIT, Handlungsfeld.HANDEL), any_feld=True),
        CityFilter(felder=(Handlungsfeld.MOBILITAET, Handlungsfeld.SICHERHEIT)),
        CityFilter(bundesland="nordrhein-westfalen", min_einwohner=300000),
        CityFilter(max_einwohner=250000),
        CityFilter(netzwerk="städtetag"),
    ],
)
def test_the_index_prefilter_gives_what_the_plain_filter_gives(lazy: Path, conditions: CityFilter) -> None:
    big = load_atlas(lazy)
    plain = filter_cities(list(big.cities), conditions)
    assert filter_cities(big, conditions) == plain
    assert plain  # every case above matches something


def test_search_and_names_work_on_a_large_file(lazy: Path) -> None:
    big = load_atlas(lazy)
    whole = parse_atlas(lazy.read_bytes(), str(lazy))
    for query in ("open data", "Luftreinhaltung", "lora wan", "Luftreinhaltng"):
        assert search(big, query) == search(whole, query)
    assert {p.suffix for p in cache_dir().iterdir()} == {".index", ".words"}
    assert search(load_atlas(lazy), "open data") == search(whole, "open data")  # from the cache
    assert resolve_city(big, "Oldenbrug").city.stadt == "Oldenburg"


def test_dumps_of_a_large_atlas_round_trips(lazy: Path, tmp_path: Path) -> None:
    big = load_atlas(lazy)
    again = tmp_path / "again.tsv"
    again.write_text(dumps(big.cities), encoding="utf-8")
    assert load_atlas(again) == big


def test_rows_come_out_as_the_writer_writes_them_even_when_the_file_does_not(
    lazy: Path, tmp_path: Path
) -> None:
    from atlascli.tsv import city_cells

    loose = (
        lazy.read_bytes()
        .replace(b"Bildung; Energie & Umwelt", b"Bildung ;Energie & Umwelt", 1)
        .replace(b"(Verwaltung)", b"( Verwaltung )", 1)
    )
    lazy.write_bytes(loose)
    big = load_atlas(lazy)
    expected = [city_cells(c) for c in parse_atlas(loose, str(lazy)).cities]
    assert list(big.cells(range(len(big)))) == expected

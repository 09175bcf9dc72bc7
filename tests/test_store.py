"""Large files: the SQLite store gives exactly what the full loader gives, and its cache can be
neither tricked nor broken into wrong answers."""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import subprocess
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from harness import process_env as harness_env

from atlascli import load_atlas, store
from atlascli.errors import SqlError
from atlascli.insights import atlas_stats, field_coverage, similar_cities
from atlascli.loader import AtlasDataError, OpenFile, parse_atlas
from atlascli.model import Atlas, Handlungsfeld
from atlascli.query import CityFilter, filter_cities, resolve_city
from atlascli.render.machine import csv_line
from atlascli.search import search
from atlascli.sql import database_of, run_query
from atlascli.store import StoredAtlas, cache_dir
from atlascli.tsv import city_cells, dumps

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "atlas.tsv"


@pytest.fixture
def lazy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every --data file is stored; the cache lives in tmp_path; a copy of the atlas with a BOM,
    CRLF line ends and a blank line, so that byte offsets are tested with them."""
    monkeypatch.setenv("ATLAS_STORE_FROM", "0")
    monkeypatch.setenv("ATLAS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ATLAS_NO_CACHE", raising=False)
    text = BUNDLED.read_text(encoding="utf-8").replace("\n", "\r\n")
    lines = text.split("\r\n")
    lines.insert(5, "")
    path = tmp_path / "atlas.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    return path


def databases() -> list[Path]:
    return sorted(p for p in cache_dir().iterdir() if p.suffix == ".sqlite")


def leftovers() -> list[str]:
    """What is in the cache folder besides databases and records (temporary files, say)."""
    return sorted(p.name for p in cache_dir().iterdir() if p.suffix not in (".sqlite", ".record"))


def records() -> list[Path]:
    return sorted(p for p in cache_dir().iterdir() if p.suffix == ".record")


def test_a_large_file_is_stored_and_gives_the_same_records(lazy: Path) -> None:
    big = load_atlas(lazy)
    assert isinstance(big, StoredAtlas)
    whole = parse_atlas(lazy.read_bytes(), str(lazy))
    assert list(big.cities) == list(whole.cities)
    assert big == whole
    assert list(big.names) == list(whole.names)
    assert big.cities[3] == whole.cities[3]
    assert big.cities[-1] == whole.cities[-1]
    assert big.cities[2:4] == list(whole.cities[2:4])
    assert big["münster"] == whole["Münster"]
    assert big.bundeslaender() == whole.bundeslaender()
    assert list(big.name_keys()) == list(whole.name_keys())


def test_the_database_is_written_once_and_used(lazy: Path) -> None:
    first = load_atlas(lazy)
    written = databases()
    assert len(written) == 1
    assert leftovers() == []
    assert oct(cache_dir().stat().st_mode & 0o777) == "0o700"
    assert oct(written[0].stat().st_mode & 0o777) == "0o600"
    stamp = written[0].stat().st_mtime_ns
    second = load_atlas(lazy)
    assert second == first
    assert written[0].stat().st_mtime_ns == stamp  # read, not rewritten


def test_the_store_holds_no_pickle_and_no_code(lazy: Path) -> None:
    load_atlas(lazy)
    search(load_atlas(lazy), "open data")
    db = sqlite3.connect(databases()[0])
    kinds = {kind for (kind,) in db.execute("SELECT type FROM sqlite_master")}
    assert kinds == {"table", "index"}
    assert b"\x80\x04\x95" not in databases()[0].read_bytes()  # the start of a pickle


def test_a_changed_file_is_never_served_from_the_cache(lazy: Path) -> None:
    load_atlas(lazy)
    data = lazy.read_bytes().replace(b"Aachen", b"Achen", 1)
    lazy.write_bytes(data)
    os.utime(lazy, ns=(1, 1))  # even with an old modification time, the content differs
    assert "Achen" in load_atlas(lazy).names
    assert len(databases()) == 2  # one per content


_SHORT = "aachen\tbonn"
_FAR = array("I", [10**6]).tobytes()
# damage done by one statement: (SQL, parameters); a checksum that matches is no proof of form
DAMAGE_SQL: dict[str, tuple[str, tuple[object, ...]]] = {
    "another key": ("UPDATE meta SET value = 'x' WHERE name = 'key'", ()),
    "another format": ("UPDATE meta SET value = 'atlascli-store-0' WHERE name = 'format'", ()),
    "extra trigger": ("CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM zeilen; END", ()),
    "rows lost": ("DELETE FROM zeilen WHERE id = 7", ()),
    # the flag that says a row is kept ready for CSV (bit 32 of its checksum), flipped
    "row flag flipped": (
        "UPDATE zeilen SET pruefsumme = pruefsumme + 4294967296 - 2 * (pruefsumme & 4294967296) WHERE id = 0",
        (),
    ),
    # a fuzzy match would otherwise find another city
    "name keys text": ("UPDATE spalten SET werte = replace(werte, 'oldenburg', 'aachen')", ()),
    "name keys lost": ("DELETE FROM spalten WHERE spalte = 'base_key'", ()),
    "name keys too few, checksum matching": (
        "UPDATE spalten SET werte = ?, pruefsumme = ?",
        (_SHORT, zlib.crc32(_SHORT.encode())),
    ),
    "names text": ("UPDATE spalten SET werte = replace(werte, 'Aachen', 'Evil') WHERE spalte = 'stadt'", ()),
    "numbers text": ("UPDATE spalten SET werte = '9' || werte WHERE spalte = 'einwohner'", ()),
    "item text": ("UPDATE posten SET eintrag = 'Evil' WHERE reihe = 0", ()),
    "item rows": ("UPDATE posten SET zeilen = substr(zeilen, 5) WHERE reihe = 0", ()),
    "last item lost": ("DELETE FROM posten WHERE reihe = (SELECT max(reihe) FROM posten)", ()),
    "item rows out of range, checksum matching": (
        "UPDATE posten SET eintrag = ?, zeilen = ?, pruefsumme = ? WHERE reihe = 0",
        ("Evil", _FAR, zlib.crc32(_FAR, zlib.crc32(b"Evil"))),
    ),
}


@pytest.mark.parametrize(
    "damage",
    [
        "not a database",
        "truncated",
        *DAMAGE_SQL,
        "row text",
        "row bytes not UTF-8, checksum matching",
        "row bytes too few cells, checksum matching",
    ],
)
def test_a_damaged_database_is_rebuilt_and_answers_correctly(lazy: Path, damage: str) -> None:
    expected = parse_atlas(lazy.read_bytes(), str(lazy))
    load_atlas(lazy)
    (path,) = databases()
    if damage == "not a database":
        path.write_bytes(b"not a database")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:5000])
    else:
        db = sqlite3.connect(path)
        if damage in DAMAGE_SQL:
            db.execute(*DAMAGE_SQL[damage])
        elif damage.startswith("row bytes"):
            # rows are read back as bytes, decoded and split after their CRC
            bad = b"Aachen\t\xc3(" if "UTF-8" in damage else b"Aachen\tBayern"
            db.execute(
                "UPDATE zeilen SET zellen = CAST(? AS TEXT), pruefsumme = ? WHERE id = 0",
                (bad, zlib.crc32(bad)),
            )
        else:
            db.execute("UPDATE zeilen SET zellen = replace(zellen, 'Aachen', 'Evil') WHERE id = 0")
        db.commit()
        db.close()
    again = load_atlas(lazy)
    assert list(again.cities) == list(expected.cities)
    assert search(again, "Aachen") == search(expected, "Aachen")
    assert resolve_city(again, "Oldenbrug") == resolve_city(expected, "Oldenbrug")
    assert list(again.name_keys()) == list(expected.name_keys())
    assert list(again.names) == list(expected.names)
    assert atlas_stats(again.tallies()) == atlas_stats(expected.tallies())
    lines = again.csv_lines(again.select(CityFilter()))
    assert lines is not None and list(lines) == [csv_line(city_cells(c)).encode() for c in expected.cities]


def test_flipped_bytes_never_give_a_wrong_answer(lazy: Path) -> None:
    """Flip one byte at random places of the database; every answer stays right (the damage is
    found and the database rebuilt) and nothing crashes."""
    expected = parse_atlas(lazy.read_bytes(), str(lazy))
    want = ([c.stadt for c in filter_cities(expected, CityFilter(felder=(Handlungsfeld.GESUNDHEIT,)))],)
    load_atlas(lazy)
    (path,) = databases()
    clean = path.read_bytes()
    rng = random.Random(7)
    for _ in range(30):
        data = bytearray(clean)
        spot = rng.randrange(100, len(data))
        data[spot] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        atlas = load_atlas(lazy)
        got = ([c.stadt for c in filter_cities(atlas, CityFilter(felder=(Handlungsfeld.GESUNDHEIT,)))],)
        assert got == want, spot
        assert list(atlas.cities) == list(expected.cities), spot
        for path_now in databases():
            path_now.write_bytes(clean)


def test_a_planted_database_with_a_trigger_runs_nothing(lazy: Path) -> None:
    """A database planted under the right name, with triggers and views, is not ours: it is
    discarded, and its triggers never fire (they would write a marker file's row)."""
    load_atlas(lazy)
    (path,) = databases()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE spy (x)")
    db.execute("CREATE TRIGGER plant AFTER INSERT ON meta BEGIN INSERT INTO spy VALUES (1); END")
    db.execute("CREATE TRIGGER plant2 BEFORE DELETE ON zeilen BEGIN INSERT INTO spy VALUES (2); END")
    db.execute("CREATE VIEW v AS SELECT * FROM zeilen")
    db.commit()
    db.close()
    assert search(load_atlas(lazy), "open data")
    db = sqlite3.connect(databases()[0])
    assert "spy" not in {n for (n,) in db.execute("SELECT name FROM sqlite_master")}


@pytest.mark.parametrize("plant", ["fifo", "symlink", "group-writable", "directory"])
def test_strange_entries_are_never_read(lazy: Path, plant: str, capfd: pytest.CaptureFixture[str]) -> None:
    expected = parse_atlas(lazy.read_bytes(), str(lazy))
    load_atlas(lazy)
    (path,) = databases()
    path.unlink()
    if plant == "fifo":
        os.mkfifo(path)
    elif plant == "symlink":
        other = lazy.parent / "elsewhere.sqlite"
        other.write_bytes(b"x")
        path.symlink_to(other)
    elif plant == "group-writable":
        load_atlas(lazy)
        path.chmod(0o666)
    else:
        path.mkdir()
    capfd.readouterr()
    started = time.monotonic()
    atlas = load_atlas(lazy)
    assert time.monotonic() - started < 60  # a FIFO is not opened (that would block forever)
    assert list(atlas.cities) == list(expected.cities)
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "not using the cache file" in err


@pytest.mark.parametrize("folder", ["group-writable", "symlink"])
def test_an_untrusted_cache_folder_is_not_used(
    lazy: Path, folder: str, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = parse_atlas(lazy.read_bytes(), str(lazy))
    real = lazy.parent / "real-cache"
    real.mkdir(mode=0o700)
    if folder == "group-writable":
        real.chmod(0o777)
        monkeypatch.setenv("ATLAS_CACHE_DIR", str(real))
    else:
        (lazy.parent / "link").symlink_to(real)
        monkeypatch.setenv("ATLAS_CACHE_DIR", str(lazy.parent / "link"))
    atlas = load_atlas(lazy)
    assert list(atlas.cities) == list(expected.cities)
    assert list(real.iterdir()) == []
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "not using the cache folder" in err


def test_no_cache_neither_reads_nor_writes(lazy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_atlas(lazy, cache=False) == parse_atlas(lazy.read_bytes(), str(lazy))
    assert not cache_dir().exists()
    monkeypatch.setenv("ATLAS_NO_CACHE", "1")
    assert search(load_atlas(lazy), "open data")
    assert not cache_dir().exists()


def test_a_broken_large_file_reports_the_same_problems_and_leaves_nothing(lazy: Path) -> None:
    data = lazy.read_bytes().replace(b"246272", b"viele", 1)
    lazy.write_bytes(data)
    with pytest.raises(AtlasDataError) as stored:
        load_atlas(lazy)
    with pytest.raises(AtlasDataError) as whole:
        parse_atlas(data, str(lazy))
    assert stored.value.problems == whole.value.problems
    assert stored.value.problems[0].column == "einwohner"
    assert list(cache_dir().iterdir()) == []


@pytest.mark.parametrize(
    "conditions",
    [
        CityFilter(),
        CityFilter(felder=(Handlungsfeld.GESUNDHEIT,)),
        CityFilter(felder=(Handlungsfeld.GESUNDHEIT, Handlungsfeld.HANDEL), any_feld=True),
        CityFilter(felder=(Handlungsfeld.MOBILITAET, Handlungsfeld.SICHERHEIT)),
        CityFilter(bundesland="nordrhein-westfalen", min_einwohner=300000),
        CityFilter(max_einwohner=250000),
        CityFilter(netzwerk="städtetag"),
        CityFilter(felder=(Handlungsfeld.HANDEL,), projekt="app"),
    ],
)
def test_selection_in_sql_gives_what_the_plain_filter_gives(lazy: Path, conditions: CityFilter) -> None:
    big = load_atlas(lazy)
    plain = filter_cities(list(big.cities), conditions)
    assert filter_cities(big, conditions) == plain
    assert plain  # every case above matches something


def test_search_and_names_work_on_a_large_file(lazy: Path) -> None:
    big = load_atlas(lazy)
    whole = parse_atlas(lazy.read_bytes(), str(lazy))
    queries = ("open data", "Luftreinhaltung", "lora wan", "Luftreinhaltng", "Schul-IT", "schul it")
    queries += ("Schulen", "Netzwerken", "Handek", "Stabstele", "mobilitat", "Gründerlandkate", "xkcdq")
    for query in queries:
        assert search(big, query) == search(whole, query)
    assert search(load_atlas(lazy), "open data") == search(whole, "open data")  # from the cache
    for name in ("Oldenbrug", "halle", "Frankfurt", "Freiburg", "muenster", "Mün"):
        try:
            expected = resolve_city(whole, name)
        except Exception as exc:  # an ambiguous or unknown name must fail the same way
            with pytest.raises(type(exc)) as raised:
                resolve_city(big, name)
            assert str(raised.value) == str(exc)
        else:
            assert resolve_city(big, name) == expected


def test_profiles_and_the_answers_across_the_atlas_are_the_memory_atlas_ones(lazy: Path) -> None:
    big = load_atlas(lazy)
    whole = parse_atlas(lazy.read_bytes(), str(lazy))
    assert list(big.profiles()) == [c.profile() for c in whole.cities]
    assert len(list(big.profiles())) == len(whole) == 20
    assert atlas_stats(big.tallies()) == atlas_stats(whole.tallies())
    assert field_coverage(big.profiles()) == field_coverage(whole.profiles())
    counts = {fc.feld: fc.anzahl for fc in field_coverage(whole.profiles())}
    assert big.field_counts() == whole.field_counts() == counts
    mobil = Handlungsfeld.MOBILITAET
    assert counts[mobil] == sum(mobil in c.handlungsfelder for c in whole)
    darmstadt = whole["Darmstadt"].profile()
    assert similar_cities(big, darmstadt) == similar_cities(whole, darmstadt)


EVERY_ROW = "SELECT * FROM atlas"


def rows_of(atlas: Atlas, sql: str = EVERY_ROW) -> list[tuple[object, ...]]:
    return list(run_query(database_of(atlas), sql).rows)


def test_sql_on_a_large_file_uses_its_own_kept_database(lazy: Path) -> None:
    expected = rows_of(parse_atlas(lazy.read_bytes(), str(lazy)))
    assert len(expected) == 20
    big = load_atlas(lazy)
    assert isinstance(big, StoredAtlas)
    assert rows_of(big) == expected
    kept = cache_dir() / f"{big.key[:40]}.sql.sqlite"
    before = kept.stat()
    assert rows_of(load_atlas(lazy)) == expected  # a new run: served from the kept database
    after = kept.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    with pytest.raises(SqlError):
        rows_of(load_atlas(lazy), "DELETE FROM staedte")
    assert rows_of(load_atlas(lazy)) == expected


@pytest.mark.parametrize("damage", ["row text", "extra view", "not a database", "removed", "record lost"])
def test_a_damaged_sql_database_is_rebuilt_and_answers_correctly(lazy: Path, damage: str) -> None:
    expected = rows_of(parse_atlas(lazy.read_bytes(), str(lazy)))
    big = load_atlas(lazy)
    rows_of(big)
    kept = cache_dir() / f"{big.key[:40]}.sql.sqlite"
    if damage == "not a database":
        kept.write_bytes(b"not a database")
    elif damage == "removed":
        kept.unlink()
    elif damage == "record lost":
        (main,) = (p for p in databases() if p != kept)
        with contextlib.closing(sqlite3.connect(main)) as db:
            db.execute("DELETE FROM meta WHERE name = 'sql'")
            db.commit()
    else:
        with contextlib.closing(sqlite3.connect(kept)) as db:
            if damage == "row text":
                db.execute("UPDATE staedte SET stadt = 'Evil' WHERE id = 1")
            else:
                db.execute("CREATE VIEW evil AS SELECT 1")
            db.commit()
    assert rows_of(load_atlas(lazy)) == expected
    assert rows_of(load_atlas(lazy), "SELECT count(*) FROM sqlite_master WHERE name = 'evil'") == [(0,)]


def test_no_cache_builds_the_sql_database_in_memory(lazy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATLAS_NO_CACHE", "1")
    expected = rows_of(parse_atlas(lazy.read_bytes(), str(lazy)))
    assert rows_of(load_atlas(lazy)) == expected
    assert not cache_dir().exists() or list(cache_dir().iterdir()) == []


def test_dumps_of_a_large_atlas_round_trips(lazy: Path, tmp_path: Path) -> None:
    big = load_atlas(lazy)
    again = tmp_path / "again.tsv"
    again.write_text(dumps(big.cities), encoding="utf-8")
    assert load_atlas(again) == big


def test_rows_come_out_as_the_writer_writes_them_even_when_the_file_does_not(lazy: Path) -> None:
    loose = (
        lazy.read_bytes()
        .replace(b"Bildung; Energie & Umwelt", b"Bildung ;Energie & Umwelt", 1)
        .replace(b"(Verwaltung)", b"( Verwaltung )", 1)
    )
    assert loose != lazy.read_bytes()
    lazy.write_bytes(loose)
    big = load_atlas(lazy)
    expected = [city_cells(c) for c in parse_atlas(loose, str(lazy)).cities]
    assert list(big.cells(range(len(big)))) == expected


# --- records: a known file is neither read nor hashed, a checked database not checked again -----


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled as soon as they are written (not only 2 s later)."""
    monkeypatch.setattr(store, "SETTLED_NS", 0)


class Reads:
    """Counts how often the data file is read and hashed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reads = self.hashes = 0
        read, key_of = OpenFile.read, store.key_of

        def counted_read(opened: OpenFile) -> bytes:
            self.reads += 1
            return read(opened)

        def counted_key(data: bytes) -> str:
            self.hashes += 1
            return key_of(data)

        monkeypatch.setattr(OpenFile, "read", counted_read)
        monkeypatch.setattr(store, "key_of", counted_key)

    def take(self) -> tuple[int, int]:
        seen = (self.reads, self.hashes)
        self.reads = self.hashes = 0
        return seen


def data_record(path: Path) -> Path:
    st = path.stat()
    return cache_dir() / f"data-{st.st_dev}-{st.st_ino}.record"


def names_of(atlas: Atlas) -> list[str]:
    return [c.stadt for c in filter_cities(atlas, CityFilter(felder=(Handlungsfeld.GESUNDHEIT,)))]


def test_a_known_file_is_neither_read_nor_hashed(
    lazy: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = parse_atlas(lazy.read_bytes(), str(lazy))
    reads = Reads(monkeypatch)
    load_atlas(lazy)
    assert reads.take() == (1, 1)
    assert data_record(lazy).exists()
    assert len(records()) == 1  # the file's key; the database just built is checked when next opened
    atlas = load_atlas(lazy)
    assert reads.take() == (0, 0)
    assert len(records()) == 2  # ... and now its check too
    assert list(atlas.cities) == list(expected.cities)
    assert names_of(atlas) == names_of(expected)


def test_a_changed_file_leaves_only_its_new_databases_unless_another_file_has_the_old_content(
    lazy: Path, settled: None, tmp_path: Path
) -> None:
    """Databases of a content no record names any more are removed when the file's new record is
    written; one another file's record still names is kept, and every answer stays right."""
    twin = tmp_path / "twin.tsv"
    twin.write_bytes(lazy.read_bytes())

    def sql_of(atlas: Atlas) -> list[tuple[object, ...]]:  # which writes the second database
        return rows_of(atlas, "SELECT count(*) FROM atlas")

    for path in (lazy, twin):
        sql_of(load_atlas(path))
    assert len(databases()) == 2  # one content: its database and its SQL database
    lazy.write_bytes(lazy.read_bytes().replace(b"Aachen", b"Achen", 1))
    os.utime(lazy, ns=(1, 1))
    sql_of(load_atlas(lazy))
    assert len(databases()) == 4  # the twin's record still names the first content
    twin.write_bytes(lazy.read_bytes())
    os.utime(twin, ns=(1, 1))
    changed = load_atlas(twin)
    assert "Achen" in changed.names and sql_of(changed) == sql_of(parse_atlas(twin.read_bytes(), str(twin)))
    key = changed.key[:40]
    assert {p.name for p in databases()} == {f"{key}.sqlite", f"{key}.sql.sqlite"}  # the first's: gone
    assert leftovers() == []
    checks = {p.name for p in records() if not p.name.startswith("data-")}
    assert checks <= {f"{key}.sqlite.record", f"{key}.sql.sqlite.record"}


def test_a_file_changed_in_place_with_its_size_and_time_restored_is_read_again(
    lazy: Path, settled: None
) -> None:
    load_atlas(lazy)
    assert data_record(lazy).exists()
    before = lazy.stat()
    time.sleep(0.05)  # the change time moves on, whatever the file system's granularity
    with lazy.open("r+b") as handle:  # the same inode, the same size
        data = handle.read()
        handle.seek(0)
        handle.write(data.replace(b"Aachen", b"Oachen", 1))
    os.utime(lazy, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = lazy.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    assert after.st_ctime_ns != before.st_ctime_ns
    atlas = load_atlas(lazy)
    assert "Oachen" in atlas.names and "Aachen" not in atlas.names
    assert atlas == parse_atlas(lazy.read_bytes(), str(lazy))


def test_a_file_too_new_gets_no_record_and_is_hashed_again(
    lazy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    load_atlas(lazy)  # written just now: within SETTLED_NS of its reading
    assert reads.take() == (1, 1)
    assert not data_record(lazy).exists()
    load_atlas(lazy)
    assert reads.take() == (1, 1)
    assert records() == []  # the database is as new


@pytest.mark.parametrize(
    "plant", ["another file's", "wrong key", "symlink", "group-writable", "foreign", "malformed"]
)
def test_a_strange_record_is_ignored_and_changes_no_answer(
    lazy: Path, settled: None, plant: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = parse_atlas(lazy.read_bytes(), str(lazy))
    other = lazy.with_name("other.tsv")
    other.write_bytes(lazy.read_bytes().replace(b"Aachen", b"Evil", 1))
    load_atlas(other)  # a database of other rows, and its file's record
    load_atlas(lazy)
    record = data_record(lazy)
    mine = record.read_text(encoding="ascii")
    theirs = data_record(other).read_text(encoding="ascii")
    key_of_other = theirs.split()[-1]
    record.unlink()
    if plant == "another file's":  # a record of another file (another inode) under this one's name
        record.write_text(theirs, encoding="ascii")
    elif plant == "wrong key":  # this very status, but a key of a database that is not there
        record.write_text(mine.replace(mine.split()[-1], "0" * 64), encoding="ascii")
    elif plant == "symlink":
        data_record(other).rename(lazy.parent / "elsewhere.record")
        record.symlink_to(lazy.parent / "elsewhere.record")
        (lazy.parent / "elsewhere.record").write_text(mine.replace(mine.split()[-1], key_of_other))
    elif plant == "group-writable":
        record.write_text(mine.replace(mine.split()[-1], key_of_other), encoding="ascii")
        record.chmod(0o664)
    elif plant == "foreign":
        record.write_text(mine.replace(mine.split()[-1], key_of_other), encoding="ascii")
        trusted = store._trusted

        def foreign(st: os.stat_result, what: str, path: Path, kind: Callable[[int], bool]) -> bool:
            if path == record:
                st = os.stat_result((st.st_mode, 0, 0, 1, st.st_uid + 1, 0, 0, 0, 0, 0))
            return trusted(st, what, path, kind)

        monkeypatch.setattr(store, "_trusted", foreign)
    else:
        record.write_bytes(mine.encode("ascii")[:-3] + b"\xff\n")
    atlas = load_atlas(lazy)
    assert list(atlas.cities) == list(expected.cities)
    assert names_of(atlas) == names_of(expected)
    assert search(atlas, "Aachen") == search(expected, "Aachen")
    if plant in ("another file's", "wrong key", "malformed"):
        assert record.read_text(encoding="ascii") == mine  # replaced by the true record
    else:
        assert not record.is_file() or record.is_symlink() or record.read_text() != mine  # left alone


def test_a_database_damaged_after_its_check_was_recorded_is_checked_and_rebuilt(
    lazy: Path, settled: None
) -> None:
    expected = parse_atlas(lazy.read_bytes(), str(lazy))
    load_atlas(lazy)
    load_atlas(lazy)  # the full check of the database, recorded
    (path,) = databases()
    checked = path.with_name(path.name + ".record")
    assert checked.exists()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    data[-page:] = b"\xff" * page  # the last page: an index's, which no row's checksum covers
    time.sleep(0.05)
    path.write_bytes(bytes(data))
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA quick_check").fetchone() != ("ok",)
    atlas = load_atlas(lazy)
    assert list(atlas.cities) == list(expected.cities)
    assert names_of(atlas) == names_of(expected)
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)  # rebuilt


def test_a_rebuild_during_a_run_never_pairs_the_known_key_with_changed_bytes(
    lazy: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that took its key from the record has not read the file; if its database must be
    rebuilt after the file changed, it reads the file then and says the file changed."""
    load_atlas(lazy)
    reads = Reads(monkeypatch)
    atlas = load_atlas(lazy)
    assert reads.take() == (0, 0)
    time.sleep(0.05)
    data = lazy.read_bytes()
    with lazy.open("r+b") as handle:  # the open file is this one: changed in place
        handle.seek(data.index(b"Aachen"))
        handle.write(b"Oachen")
    for path in databases():
        path.unlink()
    assert isinstance(atlas, StoredAtlas)
    atlas._db = sqlite3.connect(":memory:")  # a database that raises in use: it is rebuilt
    with pytest.raises(AtlasDataError) as raised:
        list(atlas.cities)
    assert "changed while it was read" in str(raised.value)
    assert databases() == []


def test_a_checked_sql_database_is_not_hashed_again_until_it_changes(
    lazy: Path, settled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = rows_of(parse_atlas(lazy.read_bytes(), str(lazy)))
    big = load_atlas(lazy)
    assert rows_of(big) == expected
    digests: list[Path] = []
    digest = store._digest
    monkeypatch.setattr(store, "_digest", lambda path: digests.append(path) or digest(path))
    assert rows_of(load_atlas(lazy)) == expected  # checked once more: the build was just now
    assert rows_of(load_atlas(lazy)) == expected
    assert len(digests) <= 1
    digests.clear()
    kept = cache_dir() / f"{big.key[:40]}.sql.sqlite"
    time.sleep(0.05)
    with contextlib.closing(sqlite3.connect(kept)) as db:
        db.execute("UPDATE staedte SET stadt = 'Evil' WHERE id = 1")
        db.commit()
    assert rows_of(load_atlas(lazy)) == expected
    assert digests  # changed: hashed again, found changed, rebuilt


def test_an_interrupted_record_write_leaves_no_temporaries(
    lazy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_atlas(lazy)  # built; nothing recorded yet (all of it is new)
    monkeypatch.setattr(store, "SETTLED_NS", 0)
    replace = Path.replace

    def interrupted(self: Path, target: Path) -> Path:
        if Path(target).suffix == ".record":
            raise KeyboardInterrupt
        return replace(self, target)

    monkeypatch.setattr(Path, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_atlas(lazy)
    assert leftovers() == []
    assert records() == []
    monkeypatch.setattr(Path, "replace", replace)
    assert load_atlas(lazy) == parse_atlas(lazy.read_bytes(), str(lazy))
    assert len(records()) == 2


# --- whole processes: concurrent first runs, interrupted builds --------------------------------


def big_file(tmp_path: Path, copies: int) -> Path:
    """The bundled rows repeated under new names: large enough that a build takes a while."""
    lines = BUNDLED.read_text(encoding="utf-8").rstrip("\n").split("\n")
    out = [lines[0]]
    for n in range(copies):
        for line in lines[1:]:
            cells = line.split("\t")
            cells[0] = f"{cells[0]} {n}"
            out.append("\t".join(cells))
    path = tmp_path / "big.tsv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


FILTER = ("filter", "--feld", "Handel", "-f", "csv")


def start(
    tmp_path: Path,
    path: Path,
    stderr: int = subprocess.PIPE,
    command: Sequence[str] = FILTER,
    env: dict[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    """``atlas --data PATH COMMAND`` (a filter by default) in a process, caching in tmp_path/cache."""
    command = [sys.executable, "-m", "atlascli", "--data", str(path), *command]
    env = harness_env({"ATLAS_CACHE_DIR": str(tmp_path / "cache"), "ATLAS_STORE_FROM": "0", **(env or {})})
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=stderr)


def test_concurrent_first_runs_all_answer_and_leave_one_database(tmp_path: Path) -> None:
    path = big_file(tmp_path, 100)
    runs = [start(tmp_path, path, env={"ATLAS_HELPED_FROM": str(i % 2 * 999999999)}) for i in range(4)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs[0][1]
    assert len({out for out, _ in outputs}) == 1
    assert len(outputs[0][0].splitlines()) > 100
    files = list((tmp_path / "cache").iterdir())
    assert [p.suffix for p in files if p.suffix != ".record"] == [".sqlite"]


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_a_large_files_csv_in_a_process_is_the_in_memory_atlas_csv(tmp_path: Path, encoding: str) -> None:
    """The rows kept ready for CSV go to a UTF-8 stdout as stored bytes, to another as text: the
    same records as the in-memory atlas writes, parsed (and the same bytes in UTF-8)."""
    import csv
    import io

    path = big_file(tmp_path, 3)
    env = harness_env({"ATLAS_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": encoding})
    command = [sys.executable, "-m", "atlascli", "--data", str(path), *FILTER]
    plain = subprocess.run(command, env={**env, "ATLAS_STORE_FROM": "999999999"}, capture_output=True)
    for _ in range(2):  # the first run builds the database, the second answers from it
        stored = subprocess.run(command, env={**env, "ATLAS_STORE_FROM": "0"}, capture_output=True)
        assert stored.returncode == plain.returncode == 0, stored.stderr
        assert stored.stdout == plain.stdout
    records = list(csv.reader(io.StringIO(plain.stdout.decode(encoding, errors="replace"))))
    assert len(records) > 3 and all(len(r) == len(records[0]) for r in records)
    assert any("," in cell for r in records for cell in r)  # quoted cells were written


@pytest.mark.parametrize("helped", ["0", "999999999"])
@pytest.mark.parametrize("signum", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_an_interrupted_build_leaves_no_files(tmp_path: Path, signum: str, helped: str) -> None:
    import signal

    path = big_file(tmp_path, 400)
    run = start(tmp_path, path, env={"ATLAS_HELPED_FROM": helped})
    cache = tmp_path / "cache"
    deadline = time.monotonic() + 60
    while not (cache.exists() and any(cache.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any(p.suffix == ".tmp" for p in cache.iterdir()), "the build was over before the signal"
    run.send_signal(getattr(signal, signum))
    _, err = run.communicate(timeout=60)
    assert run.returncode != 0
    assert b"Traceback" not in err
    assert list(cache.iterdir()) == []


def on_a_terminal(tmp_path: Path, path: Path, command: Sequence[str] = FILTER) -> tuple[bytes, bytes]:
    """What a run prints on stdout, and on stderr when that is a terminal."""
    import pty

    master, slave = pty.openpty()
    run = start(tmp_path, path, stderr=slave, command=command)
    os.close(slave)
    out, _ = run.communicate(timeout=300)
    seen = b""
    with contextlib.suppress(OSError):  # the terminal's other end is closed once the run ends
        while chunk := os.read(master, 65536):
            seen += chunk
    os.close(master)
    assert run.returncode == 0, seen
    return out, seen


def test_the_first_run_shows_progress_on_a_terminal_and_nothing_in_a_pipe(tmp_path: Path) -> None:
    path = big_file(tmp_path, 100)
    out, seen = on_a_terminal(tmp_path, path)
    assert out.count(b"\n") > 100
    assert b"validating" in seen and b"MB" in seen
    # the first search and the first query build what they need, and say so too; then not again
    for command, building in (
        (("search", "Handel"), b"indexing words"),
        (("sql", EVERY_ROW), b"writing tables"),
    ):
        out, seen = on_a_terminal(tmp_path, path, command)
        assert out and building in seen and b"2,000 cities" in seen
        out, seen = on_a_terminal(tmp_path, path, command)
        assert out and building not in seen
    for built in (tmp_path / "cache").iterdir():
        built.unlink()
    piped = start(tmp_path, path)
    _, err = piped.communicate(timeout=300)
    assert piped.returncode == 0 and err == b""


# --- a build in two halves at once (store._Helper) ------------------------------------------------


def tables_of(path: Path) -> dict[str, list[tuple[object, ...]]]:
    db = sqlite3.connect(path)
    try:
        names = [
            n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        return {n: db.execute(f"SELECT * FROM {n} ORDER BY 1, 2").fetchall() for n in names}
    finally:
        db.close()


def shuffled_rows(tmp_path: Path, copies: int = 6) -> Path:
    """The bundled rows under new names, shuffled: items first appear in either half."""
    path = big_file(tmp_path, copies)
    lines = path.read_text(encoding="utf-8").splitlines()
    body = lines[1:]
    random.Random(4).shuffle(body)
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("layout", ["plain", "bom-crlf-blank"])
def test_a_build_in_two_halves_writes_the_database_one_pass_writes(
    lazy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    path = shuffled_rows(tmp_path) if layout == "plain" else lazy
    monkeypatch.setenv("ATLAS_HELPED_FROM", "999999999")
    one = load_atlas(path)
    assert isinstance(one, StoredAtlas)
    one_pass = tables_of(databases()[0])
    for database in databases():
        database.unlink()
    monkeypatch.setenv("ATLAS_HELPED_FROM", "0")
    halves = load_atlas(path)
    assert isinstance(halves, StoredAtlas)
    assert tables_of(databases()[0]) == one_pass
    assert leftovers() == []
    assert [city_cells(c) for c in halves.cities] == [
        city_cells(c) for c in parse_atlas(path.read_bytes()).cities
    ]
    assert halves.tallies() == one.tallies()


def messy(tmp_path: Path, second_half: Callable[[list[str], list[str]], None]) -> Path:
    """A file of many rows with problems in its first half, and in its second as ``second_half``
    (given the rows of each half) makes them."""
    path = big_file(tmp_path, 6)
    lines = path.read_text(encoding="utf-8").splitlines()
    head, body = lines[0], lines[1:]
    first, second = body[: len(body) // 2], body[len(body) // 2 :]
    first[3] = first[3].replace("\t", "\t0", 3)  # a number with a leading zero: written, no problem
    first[5] = first[5].split("\t", 1)[0] + "\tBayern\tviele" + "\t" + first[5].split("\t", 3)[3]
    second_half(first, second)
    path.write_text("\n".join([head, *first, *second]) + "\n", encoding="utf-8")
    return path


def doubled_names(first: list[str], second: list[str]) -> None:
    second[2] = first[0].split("\t", 1)[0] + "\t" + second[2].split("\t", 1)[1]  # a first-half name
    second[7] = first[0].split("\t", 1)[0].upper() + "\t" + second[7].split("\t", 1)[1]  # and again
    second[9] = second[8].split("\t", 1)[0] + "\t" + second[9].split("\t", 1)[1]  # a second-half name
    second[-1] = second[-1].replace("https://", "htps://")


@pytest.mark.parametrize("second_half", [doubled_names, lambda first, second: None])
def test_problems_found_in_two_halves_are_those_one_pass_finds_in_file_order(
    lazy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    second_half: Callable[[list[str], list[str]], None],
) -> None:
    monkeypatch.setenv("ATLAS_HELPED_FROM", "0")
    path = messy(tmp_path, second_half)
    with pytest.raises(AtlasDataError) as whole:
        parse_atlas(path.read_bytes(), str(path))
    with pytest.raises(AtlasDataError) as halves:
        load_atlas(path)
    assert halves.value.problems == whole.value.problems
    messages = [p.message for p in whole.value.problems]
    assert messages[0].startswith("'viele' is not")  # the first half's own problem, then the second's
    if second_half is doubled_names:
        assert sum(m.startswith("duplicate city") for m in messages) == 3 and "URL" in messages[-1]
    assert list(cache_dir().iterdir()) == []


def test_a_line_that_is_not_utf8_in_the_second_half_is_reported_as_in_one_pass(
    lazy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATLAS_HELPED_FROM", "0")
    path = messy(tmp_path, doubled_names)
    data = path.read_bytes()
    at = data.rindex(b"\n", 0, len(data) * 3 // 4)
    path.write_bytes(data[:at] + b"\n\xff" + data[at + 1 :])
    with pytest.raises(AtlasDataError) as whole:
        parse_atlas(path.read_bytes(), str(path))
    with pytest.raises(AtlasDataError) as halves:
        load_atlas(path)
    assert halves.value.problems == whole.value.problems
    assert "UTF-8" in str(halves.value)
    assert list(cache_dir().iterdir()) == []


def test_a_helper_that_fails_leaves_its_half_to_the_build(
    lazy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> bytes:
        raise RuntimeError("the helper breaks")

    monkeypatch.setenv("ATLAS_HELPED_FROM", "0")
    monkeypatch.setattr(store, "_helper_part", broken)
    path = shuffled_rows(tmp_path)
    atlas = load_atlas(path)
    assert [city_cells(c) for c in atlas.cities] == [
        city_cells(c) for c in parse_atlas(path.read_bytes()).cities
    ]
    assert leftovers() == []


def test_no_helper_to_be_had_leaves_both_halves_to_the_build(
    lazy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise BlockingIOError("no more processes")

    monkeypatch.setenv("ATLAS_HELPED_FROM", "0")
    monkeypatch.setattr(os, "fork", no_fork)
    path = shuffled_rows(tmp_path)
    atlas = load_atlas(path)
    assert [city_cells(c) for c in atlas.cities] == [
        city_cells(c) for c in parse_atlas(path.read_bytes()).cities
    ]
    assert leftovers() == [] and len(databases()) == 1


def test_a_helper_is_forked_only_with_a_second_core_and_no_other_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert store._can_fork()
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not store._can_fork()
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert not store._can_fork()

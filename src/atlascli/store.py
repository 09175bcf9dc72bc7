"""Large atlas files: validated once into a SQLite database, then answered from it.

A file of 100,000 cities is about 100 MB; as Python objects all of it would take five times that. So
a large file is validated in one pass that writes each row into a SQLite database (the standard
library's sqlite3): the row's cells as the TSV writer writes them, and beside them the columns
commands select and resolve by (name keys, indexed; Bundesland, inhabitants and Handlungsfelder as a
bit mask, which a scan reads quicker than their indexes would be built). From :data:`HELPED_FROM`
bytes the pass runs in two halves at once, the second in a forked helper process writing a database
of its own that is then copied in (:class:`_Helper`). Cities are read back from the database as they
are asked for. What a question needs of every city is written once more, whole, in the same pass:
each column that fuzzy name matching and ``stats`` read over every city as one checked row
(``spalten``), and each network's and programme's rows (``posten``). A row whose cells CSV quotes
only for commas is stored ready for CSV (:func:`atlascli.render.machine.csv_ready`, flagged in its
checksum: :data:`QUOTED`). The search vocabulary (:func:`atlascli.search.build_vocabulary`) is added
the first time the file is searched.

**The cache.** One database per data file content, in the user's cache folder
(``$XDG_CACHE_HOME/atlascli`` or ``~/.cache/atlascli``; ``ATLAS_CACHE_DIR`` overrides it), named by
the SHA-256 of the very bytes that were validated (the file is opened once and read whole through
that open file; a file that changes while it is read is an error), so a database never pairs with
another file. Nothing in it is ever run as code: it holds text and numbers, and a database is used
only when its tables are exactly the ones written here (no triggers, no views), its format and key
are ours and ``PRAGMA quick_check`` passes; each row's cells carry a CRC that is checked when they
are read. Anything else, or a database that raises while in use, is removed and rebuilt, and the
command answers from the new one. A folder or entry that is not the user's own, is writable by
others, is a link or not a regular file is never read (one note on stderr; the database is then
built in memory for this run). Databases and records are written to a temporary file and renamed
into place; Ctrl-C, SIGTERM and SIGHUP during a build leave nothing behind. ``atlas --no-cache``
(``ATLAS_NO_CACHE=1``) neither reads nor writes the folder.

**Decision: a known file by its status, a checked database not checked again** (this departs from
issue 11's "one open, one stat, one hash" on every run, which cost every warm command about 0.3 s of
reading, hashing and checking on a 100 MB file before its own work; benchmarks/README.md):

- *The data file.* It is still opened once and ``fstat``-ed. A record in the cache folder
  (``data-DEV-INO.record``) maps that file's status (device, inode, size, modification and change
  time in ns) to the key computed when those very bytes were last read, hashed and validated. A
  run whose open file has exactly that status takes the key from the record and neither reads nor
  hashes the file; any other run reads and hashes it (from the same open file) as before. A record
  is written only if the file last changed at least :data:`SETTLED_NS` (2 s) before it was read
  (git's "racy" rule: a change within the file system's timestamp granularity could otherwise
  leave the status unchanged). The change time moves with every write and cannot be set back, so
  a file rewritten in place with its size and modification time restored is still told apart.
  Since the status is the open file's, a file replaced during a run can still never pair with
  another file's database. If the database must be built or rebuilt, the file is read and hashed
  then; bytes whose hash is not the recorded key mean the record was wrong: while opening, the file
  is then taken as a new one (and the record replaced); later in a run, that is the error "changed
  while it was read".
- *The database.* The full check (``quick_check``, every row counted) runs once per state of the
  database file: when it passes, the file's status is recorded beside it (``KEY.sqlite.record``,
  same racy rule), and an open that finds the file of that status makes only the quick checks
  (tables, format, key). Any write to the file changes its status, so the full check runs again
  after it (adding the search vocabulary costs one more check). Each row's CRC is still checked as
  it is read. The SQL database ``atlas sql`` uses is verified the same way: its SHA-256 (kept in the
  main database) and row count once per state of the file, not on every use.
- *Records* obey the cache's rules: the user's own regular file, not writable by others, opened
  without following links and without blocking, at most :data:`RECORD_LIMIT` bytes, parsed
  strictly (store format, kind, numbers, key); anything else is ignored (one that is not well
  formed is removed). A record is a short cut only: with none, or one that does not match, a run
  does what it did before. Records are trusted as far as the folder is: like a database, a record
  the same user plants could name another file's database. When a file's record changes to a new
  key, the databases of the old key are removed unless another record still names it
  (:func:`_prune`).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
import re
import signal
import sqlite3
import stat
import sys
import tempfile
import time
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar, overload

from atlascli.errors import AtlasDataError, Problem
from atlascli.interrupts import HELD, interruptible, signals_held
from atlascli.model import (
    ALL_FIELDS,
    Atlas,
    City,
    CityFilter,
    Handlungsfeld,
    Profile,
    Progress,
    Tallies,
    Vocabulary,
)
from atlascli.render.machine import csv_line, csv_of_ready, csv_ready
from atlascli.schema import ITEM_SEPARATOR, STORED
from atlascli.text import match_key
from atlascli.text import name_keys as name_keys_of
from atlascli.tsv import PROFILE_CELLS, READERS, city_of, profile_of_cells, written_profile_of
from atlascli.validate import Names, Part, Written, check_rows, no_gc, parts, written_part

# change when the tables change, or how words are indexed (search.city_words): older databases are
# then rebuilt. 2: words folded to their ue spelling and also plain, hyphenated groups whole (#12)
# 3: the export schema's staedte_fts (full-text table) in the SQL database
# 4: the namen table (every name key and base key in one checked row each, for fuzzy matching)
# 5: namen became spalten (also names, Bundesländer, numbers, fields) and posten (items' rows)
# 6: rows kept ready for CSV (render.machine.csv_ready), marked by QUOTED in their checksum
# 7: no indexes of land_key and einwohner (a scan of zeilen's columns is quicker than building them)
FORMAT = "atlascli-store-7"
FIELD_BITS = {f: 1 << i for i, f in enumerate(ALL_FIELDS)}
# the columns of the spalten table: keys for matching names, and what stats counts
SPALTEN = ("name_key", "base_key", "stadt", "bundesland", "einwohner", "flaeche_km2", "felder")
BATCH = 2000  # rows per insert

T = TypeVar("T")
VALIDATING, WORDS, TABLES_WRITTEN = "validating", "indexing words", "writing tables"  # bytes, cities, cities

TABLES = {
    "meta": "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    "zeilen": (
        "CREATE TABLE zeilen (id INTEGER PRIMARY KEY, line INTEGER NOT NULL, stadt TEXT NOT NULL, "
        "match_key TEXT NOT NULL, name_key TEXT NOT NULL, base_key TEXT NOT NULL, "
        "bundesland TEXT NOT NULL, land_key TEXT NOT NULL, einwohner INTEGER NOT NULL, "
        "felder INTEGER NOT NULL, zellen TEXT NOT NULL, pruefsumme INTEGER NOT NULL)"
    ),
    # a few columns of every row in id order (SPALTEN), joined by tabs, one row per column, each
    # with its CRC: a fuzzy match scores every name key, stats counts every number, and one row
    # reads in a fraction of the time 100,000 do
    "spalten": (
        "CREATE TABLE spalten (spalte TEXT PRIMARY KEY, werte TEXT NOT NULL, "
        "pruefsumme INTEGER NOT NULL) WITHOUT ROWID"
    ),
    # each network and funding programme as written (reihe: in order of first appearance), with
    # the ids of the rows naming it (array "I", once per naming), for stats; CRC of both
    "posten": (
        "CREATE TABLE posten (spalte TEXT NOT NULL, reihe INTEGER NOT NULL, eintrag TEXT NOT NULL, "
        "zeilen BLOB NOT NULL, pruefsumme INTEGER NOT NULL, PRIMARY KEY (spalte, reihe)) WITHOUT ROWID"
    ),
    "woerter": "CREATE TABLE woerter (wort TEXT PRIMARY KEY, zeilen BLOB NOT NULL) WITHOUT ROWID",
    # each row's profile cells (tsv.PROFILE_CELLS, a seventh of its text), for the questions across
    # the atlas (stats, fields, matrix, similar): added the first time every profile is read
    "profile": (
        "CREATE TABLE profile (id INTEGER PRIMARY KEY, zellen TEXT NOT NULL, pruefsumme INTEGER NOT NULL)"
    ),
}
INDEXES = {
    f"zeilen_{column}": f"CREATE INDEX zeilen_{column} ON zeilen({column})"
    for column in ("match_key", "name_key", "base_key")
}
SCHEMA = {**TABLES, **INDEXES}
LATER = ("woerter", "profile")  # tables added when first needed


class StoreDamaged(Exception):
    """A database that cannot be trusted: it is removed and rebuilt."""


def field_mask(fields: Iterable[Handlungsfeld]) -> int:
    mask = 0
    for f in fields:
        mask |= FIELD_BITS[f]
    return mask


def _checksum(cells: str) -> int:
    return zlib.crc32(cells.encode("utf-8"))


# A row's cells are read back as their stored UTF-8 bytes (CAST AS BLOB): their CRC is then taken
# over those bytes, as _checksum took it over the same text encoded, without encoding every row's
# text a second time (about a fifth of reading a row).
_CELLS = "CAST(zellen AS BLOB)"


# A row of zeilen whose cells render.machine.csv_ready could make ready for CSV is stored so (its
# cells with a comma in quotes: a row without a quote of its own), and QUOTED is added to its
# checksum: its CSV line is then its text with commas for tabs, its cells its text without quotes.
# Such a row's CRC starts from QUOTED_SEED, not 0, so that a flipped flag is a wrong checksum.
QUOTED = 1 << 32
QUOTED_SEED = 1
_CRC = QUOTED - 1


def _row_checksum(text: str, quoted: bool) -> int:
    if quoted:
        return zlib.crc32(text.encode("utf-8"), QUOTED_SEED) | QUOTED
    return _checksum(text)


def _checked(stored: object, check: int) -> bytes:
    """A row's stored bytes, if their CRC is the one written beside them."""
    if not isinstance(stored, bytes) or not isinstance(check, int) or check >> 33:
        raise StoreDamaged("row checksum")
    if zlib.crc32(stored, QUOTED_SEED if check & QUOTED else 0) != check & _CRC:
        raise StoreDamaged("row checksum")
    return stored


def _text_of(stored: object, check: int) -> str:
    """A row's stored text, if its CRC is the one written beside it."""
    try:
        return _checked(stored, check).decode("utf-8")
    except UnicodeDecodeError:
        raise StoreDamaged("row text") from None


def _cells_of(stored: object, check: int, width: int = len(STORED)) -> list[str]:
    """A row's cells from its stored bytes, if their CRC is the one written beside them."""
    text = _text_of(stored, check)
    cells = (text.replace('"', "") if check & QUOTED else text).split("\t")
    if len(cells) != width:  # a CRC is no proof of form: a row of other cells is damage too
        raise StoreDamaged("row cells")
    return cells


def _csv_line_of(stored: object, check: int) -> bytes:
    """A row's CSV line in UTF-8 (render.machine.csv_line of its cells) from its stored bytes,
    if their CRC is the one written beside them. A row kept ready is not decoded: its CRC holds
    it to the UTF-8 that was written."""
    if not check & QUOTED:
        return csv_line(_cells_of(stored, check)).encode("utf-8")
    ready = _checked(stored, check)
    if ready.count(b"\t") != len(STORED) - 1:
        raise StoreDamaged("row cells")
    return csv_of_ready(ready)


def _read_rows(db: sqlite3.Connection, *, start: int, table: str, width: int) -> list[list[str]]:
    """The cells of up to BATCH rows of ``table`` from id ``start`` on, each checked."""
    rows = db.execute(
        f"SELECT id, {_CELLS}, pruefsumme FROM {table} WHERE id >= ? ORDER BY id LIMIT ?", (start, BATCH)
    ).fetchall()
    if not rows or rows[0][0] != start or rows[-1][0] != start + len(rows) - 1:
        raise StoreDamaged("rows missing")
    return [_cells_of(stored, check, width) for _, stored, check in rows]


# --- the cache folder --------------------------------------------------------------------------


def cache_dir() -> Path:
    configured = os.environ.get("ATLAS_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "atlascli"


def cache_enabled(requested: bool) -> bool:
    return requested and not os.environ.get("ATLAS_NO_CACHE")


def _note(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"atlas: {message}\n")
        sys.stderr.flush()


def _trusted(st: os.stat_result, what: str, path: Path, kind: Callable[[int], bool]) -> bool:
    """Whether a cache folder or entry may be used: the user's own, of the right kind, not
    writable by others. Says once on stderr why not."""
    problem = None
    if not kind(st.st_mode):
        problem = "is a link or not the expected kind of file"
    elif hasattr(os, "getuid") and st.st_uid != os.getuid():
        problem = "belongs to another user"
    elif st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        problem = "is writable by others"
    if problem is None:
        return True
    _note(f"not using the cache {what} {path}: it {problem}")
    return False


def usable_cache_dir() -> Path | None:
    """The cache folder, created (0700) if missing; None if it may not be used."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.lstat()
    except OSError as exc:
        _note(f"cannot use the cache folder {folder}: {exc.strerror or exc}")
        return None
    return folder if _trusted(st, "folder", folder, stat.S_ISDIR) else None


# --- records: what the cache knows of a file by its status alone -------------------------------

Identity = tuple[int, int, int, int, int]  # st_dev, st_ino, st_size, st_mtime_ns, st_ctime_ns
# A file is recorded only if it last changed this long before it was read and hashed (or checked):
# a change within the file system's timestamp granularity could otherwise leave its status as it
# was ("racy git"). Tests set it to 0.
SETTLED_NS = 2_000_000_000
RECORD_LIMIT = 256  # bytes; a longer record is not one of ours
_RECORD = re.compile(r"(\S+) (key|checked) ([0-9]+) ([0-9]+) ([0-9]+) ([0-9]+) ([0-9]+) ([0-9a-z]{1,64})\n")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def identity(st: os.stat_result) -> Identity:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def settled(found: Identity, since_ns: int) -> bool:
    """Whether a file of this status, read (or checked) from ``since_ns`` on, may be recorded: it
    last changed well before that (by :data:`SETTLED_NS`)."""
    return max(found[3], found[4]) <= since_ns - SETTLED_NS


def _read_record(path: Path, kind: str) -> tuple[Identity, str] | None:
    """The file status and value a record of ``kind`` holds; None if there is none or it is not
    well formed (then it is removed); raises Untrusted (said once on stderr) for an entry that is
    not the user's own regular file, which is left alone."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a link (ELOOP), or unreadable
        with contextlib.suppress(OSError):
            if not _trusted(path.lstat(), "file", path, stat.S_ISREG):
                raise Untrusted from None
        _note(f"not using the cache file {path}: {exc.strerror or exc}")
        raise Untrusted from None
    try:
        if not _trusted(os.fstat(fd), "file", path, stat.S_ISREG):
            raise Untrusted
        raw = os.read(fd, RECORD_LIMIT + 1)
    finally:
        os.close(fd)
    found = None
    with contextlib.suppress(UnicodeDecodeError):
        found = _RECORD.fullmatch(raw.decode("ascii")) if len(raw) <= RECORD_LIMIT else None
    if found is None or found[1] != FORMAT or found[2] != kind:
        _forget(path)
        return None
    dev, ino, size, mtime, ctime = (int(found[i]) for i in range(3, 8))
    return (dev, ino, size, mtime, ctime), found[8]


def _write_record(folder: Path, path: Path, kind: str, found: Identity, value: str) -> None:
    """Record (atomically, by a temporary file renamed into place) that the file of status
    ``found`` has ``value``; a cache that cannot be written is no error (the record is only a
    short cut)."""
    line = f"{FORMAT} {kind} {' '.join(map(str, found))} {value}\n"
    with contextlib.suppress(OSError):
        _replace(folder, path, lambda name: Path(name).write_bytes(line.encode("ascii")))


def _forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _check_record(path: Path) -> Path:
    """Where the status of a database that passed its full check is recorded."""
    return path.with_name(path.name + ".record")


def _checked_before(path: Path, found: Identity) -> bool:
    """Whether the database at ``path``, of status ``found``, passed its full check as it is."""
    try:
        record = _read_record(_check_record(path), "checked")
    except Untrusted:
        return False
    return record is not None and record == (found, "ok")


# --- building ---------------------------------------------------------------------------------


def _create(db: sqlite3.Connection, key: str) -> None:
    db.execute(TABLES["meta"])
    db.execute(TABLES["zeilen"])  # woerter: when first searched
    db.execute(TABLES["spalten"])
    db.execute(TABLES["posten"])
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("key", key)])


def _fill(
    db: sqlite3.Connection, data: bytes, shown: str, progress: Progress | None, folder: Path | None = None
) -> int:
    """Validate ``data`` (raising AtlasDataError as the full loader does) and write its rows.

    A file of :data:`HELPED_FROM` bytes or more, built in a cache ``folder`` by a process that can
    fork (one thread), is validated in two halves at once: the second by a helper process, into a
    database of its own in the folder (:class:`_Helper`), whose rows are then copied in. Problems
    and duplicate names are found over both halves in file order: the same rows and problems."""
    helped = folder is not None and len(data) >= helped_from() and _can_fork()
    order, found = parts(data, shown, 2 if helped else 1)
    problems: list[Problem] = []
    columns = _Columns()
    helper = _Helper(folder, data, shown, order, found[1]) if folder is not None and len(found) > 1 else None
    try:
        if helper is not None:
            try:
                helper.start()
            except OSError:  # no process or file to be had: this build does both halves
                helper.stop()
                helper = None
        with no_gc():
            rows = written_part(data, shown, order, found[0], problems)
            _fill_part(db, rows, columns, progress, found[0].stop, len(data))
            if len(found) > 1 and (helper is None or not helper.join(db, columns, problems)):
                _fill_part(db, written_part(data, shown, order, found[1], problems), columns, progress, 0, 0)
    finally:
        if helper is not None:
            helper.stop()
    db.execute(INDEXES["zeilen_match_key"])
    _duplicates(db, shown, problems)
    problems.sort(key=lambda problem: problem.line or 0)  # each part's in file order: all of them so
    check_rows(shown, problems, columns.count)
    _write_columns(db, columns)
    for name, sql in INDEXES.items():
        if name != "zeilen_match_key":
            db.execute(sql)
    db.execute("INSERT INTO meta VALUES ('count', ?)", (str(columns.count),))
    if progress is not None:
        progress(VALIDATING, len(data), len(data))
    return columns.count


def _duplicates(db: sqlite3.Connection, shown: str, problems: list[Problem]) -> None:
    """Each row whose name (match key) a row before it had, as a problem (validate.Names): looked
    for by the index of match keys, and only if there is one, every row's key read in order."""
    if db.execute("SELECT 1 FROM zeilen GROUP BY match_key HAVING count(*) > 1 LIMIT 1").fetchone() is None:
        return
    names = Names(shown, problems)
    for line, key, stadt in db.execute("SELECT line, match_key, stadt FROM zeilen ORDER BY id"):
        names.first(line, key, stadt)


HELPED_FROM = 8 << 20  # bytes: a file from this size is validated in two halves at once (_fill)


def helped_from() -> int:
    """:data:`HELPED_FROM`, or ``ATLAS_HELPED_FROM`` (for tests: the helper on small files)."""
    configured = os.environ.get("ATLAS_HELPED_FROM", "")
    return int(configured) if configured.isdigit() else HELPED_FROM


# the columns of zeilen after its id
_ZEILEN_DATA = (
    "line, stadt, match_key, name_key, base_key, bundesland, land_key, einwohner, felder, zellen, pruefsumme"
)


class _Columns:
    """What a build keeps of every row besides writing it: the spalten columns and the posten."""

    def __init__(self) -> None:
        # text as it comes, numbers compact (a build's peak memory)
        self.name_keys: list[str] = []
        self.base_keys: list[str] = []
        self.names: list[str] = []
        self.lands_of: list[str] = []
        self.einwohner, self.flaeche, self.felder = array("q"), array("q"), array("q")
        # the posten: each item's rows (array "I"), items in order of first appearance
        self.items: dict[str, defaultdict[str, array[int]]] = {
            column: defaultdict(functools.partial(array, "I")) for column in ("netzwerke", "foerderprogramme")
        }
        self.lands: dict[str, tuple[str, str]] = {}  # each Bundesland once, and its key: a handful in all
        self.masks: dict[str, int] = {}  # each Handlungsfelder cell's bit mask: at most a few thousand
        self.count = 0  # rows
        self.kept = 0  # rows whose values are in the lists; the rest's are in later
        self.later: dict[str, str] = {}  # each of SPALTEN's values of the rows after those, joined

    def spalten(self) -> list[Sequence[object]]:
        """The values of each of SPALTEN, in its order."""
        return [
            self.name_keys,
            self.base_keys,
            self.names,
            self.lands_of,
            self.einwohner,
            self.flaeche,
            self.felder,
        ]


def _fill_part(
    db: sqlite3.Connection,
    rows: Iterable[Written],
    columns: _Columns,
    progress: Progress | None,
    stop: int,
    total: int,
) -> None:
    """Write these rows into zeilen, after the rows written so far, and keep their columns; the
    progress bar (if any) is full when the rows reach byte ``stop``."""
    batch: list[tuple[object, ...]] = []
    count = columns.count
    if columns.later:  # a helper's rows are in: the values of these would have to go after theirs
        raise ValueError("rows after a helper's part")
    name_keys, base_keys, names, lands_of = (
        columns.name_keys,
        columns.base_keys,
        columns.names,
        columns.lands_of,
    )
    einwohner, flaeche, felder = columns.einwohner, columns.flaeche, columns.felder
    netzwerke, foerderprogramme = columns.items.values()
    lands = columns.lands
    insert = "INSERT INTO zeilen VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    at_stadt, at_land, at_einwohner, at_flaeche, at_felder, at_netzwerke, at_programme = PROFILE_CELLS
    masks = columns.masks
    for row in rows:
        cells = row.cells  # as the writer writes them: read as tsv.written_profile_of reads them
        ready = csv_ready(cells)
        text = "\t".join(cells) if ready is None else ready
        name, land_name = cells[at_stadt], cells[at_land]
        land = lands.get(land_name)
        if land is None:
            land = lands[land_name] = (land_name, match_key(land_name))
        key, base = name_keys_of(name)
        mask = masks.get(cells[at_felder])
        if mask is None:
            mask = masks[cells[at_felder]] = field_mask(READERS["handlungsfelder"](cells[at_felder]))  # type: ignore[arg-type]  # the reader gives Handlungsfelder
        people, area = int(cells[at_einwohner]), int(cells[at_flaeche])
        name_keys.append(key)
        base_keys.append(base)
        names.append(name)
        lands_of.append(land[0])  # one string per Bundesland, not one per row
        einwohner.append(people)
        flaeche.append(area)
        felder.append(mask)
        if cells[at_netzwerke]:
            for item in cells[at_netzwerke].split(ITEM_SEPARATOR):
                netzwerke[item].append(count)
        if cells[at_programme]:
            for item in cells[at_programme].split(ITEM_SEPARATOR):
                foerderprogramme[item].append(count)
        batch.append(
            (
                count,
                row.line,
                name,
                row.key,
                key,
                base,
                *land,
                people,
                mask,
                text,
                _row_checksum(text, quoted=ready is not None),
            )
        )
        count += 1
        if len(batch) >= BATCH:
            db.executemany(insert, batch)
            batch.clear()
            if progress is not None and stop:
                progress(VALIDATING, min(row.end * total // stop, total), total)
    db.executemany(insert, batch)
    columns.count = columns.kept = count


def _write_columns(db: sqlite3.Connection, columns: _Columns) -> None:
    """Write the spalten and posten tables of a build's rows."""
    joined = []
    for column, values in zip(SPALTEN, columns.spalten(), strict=True):
        text = "\t".join(map(str, values))
        later = columns.later.get(column)
        if later is not None:
            text = f"{text}\t{later}" if columns.kept else later
        joined.append((column, text))
    db.executemany("INSERT INTO spalten VALUES (?, ?, ?)", [(c, text, _checksum(text)) for c, text in joined])
    posten: list[tuple[str, int, str, bytes, int]] = []
    for column, found in columns.items.items():
        for reihe, (item, rows) in enumerate(found.items()):
            ids = rows.tobytes()
            posten.append((column, reihe, item, ids, _item_checksum(item, ids)))
    db.executemany("INSERT INTO posten VALUES (?, ?, ?, ?, ?)", posten)
    # how many items each column has: a row lost at the end of posten is damage too
    items = [(f"posten {c}", str(len(f))) for c, f in columns.items.items()]
    db.executemany("INSERT INTO meta VALUES (?, ?)", items)


def _can_fork() -> bool:
    """Whether a helper process is worth forking: POSIX, a second core to run on, and no other
    thread (one could hold a lock the helper would then wait for forever)."""
    threading = sys.modules.get("threading")  # not imported: no thread was started by it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return hasattr(os, "fork") and cores > 1 and (threading is None or threading.active_count() == 1)


class _Helper:
    """A forked process that validates and writes one part of a file's rows into a database of
    its own (a temporary file in the cache folder), while the build writes the rest; then
    :meth:`join` copies its rows in. The helper tells how it went in JSON on a pipe: its problems,
    and whether a line stopped it (not UTF-8). If it fails otherwise, the build does its part
    itself. :meth:`stop` ends it (if it still runs) and removes its file, whatever happened."""

    def __init__(self, folder: Path, data: bytes, shown: str, order: list[int], part: Part) -> None:
        self._task = (folder, data, shown, order, part)
        self.path: Path | None = None
        self.pid: int | None = None
        self._pipe: tuple[int, int] | None = None

    def start(self) -> None:
        """Fork the helper; whatever is made is stop's to remove, however early an interrupt comes."""
        folder, data, shown, order, part = self._task
        with signals_held():  # nothing made goes unnoted
            fd, name = tempfile.mkstemp(prefix=".atlas-", suffix=".tmp", dir=folder)
            os.close(fd)
            self.path = Path(name)
            self._pipe = os.pipe()
            self.pid = os.fork()
            if self.pid == 0:  # the helper, its signals still held: an interrupt finds it in its try
                _helper_main(self._pipe, name, data, shown, order, part)
        os.close(self._pipe[1])
        self._pipe = (self._pipe[0], -1)

    def join(self, db: sqlite3.Connection, columns: _Columns, problems: list[Problem]) -> bool:
        """Wait for the helper and copy its rows and columns in after those written so far, its
        problems into ``problems``; False if it failed (its part is then still to be done)."""
        assert self.pid is not None and self._pipe is not None  # started, and joined once
        with os.fdopen(self._pipe[0], "rb") as pipe:
            self._pipe = None
            report = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        try:
            told = json.loads(report)
            found = [Problem(*problem) for problem in told["problems"]]
        except (ValueError, TypeError, KeyError):
            return False
        if status != 0:
            return False
        if told["stopped"]:
            raise AtlasDataError(found)
        problems.extend(found)
        self._copy(db, columns)
        return True

    def _copy(self, db: sqlite3.Connection, columns: _Columns) -> None:
        offset = columns.count
        db.execute("ATTACH DATABASE ? AS helper", (str(self.path),))
        db.execute(
            f"INSERT INTO zeilen SELECT id + ?, {_ZEILEN_DATA} FROM helper.zeilen ORDER BY id", (offset,)
        )
        (count,) = db.execute("SELECT count(*) FROM helper.zeilen").fetchone()
        if count:
            columns.later = dict(db.execute("SELECT spalte, werte FROM helper.spalten").fetchall())
        columns.count += count
        posten = "SELECT spalte, eintrag, zeilen FROM helper.posten ORDER BY spalte, reihe"
        for spalte, eintrag, blob in db.execute(posten):
            ids = array("I")
            ids.frombytes(blob)
            columns.items[spalte][eintrag].extend([i + offset for i in ids])
        db.execute("COMMIT")  # a database is detached only outside a transaction
        db.execute("DETACH DATABASE helper")
        db.execute("BEGIN")

    def stop(self) -> None:
        if self.pid:  # not 0: the helper itself never gets here
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            self.pid = None
        for fd in self._pipe or ():
            with contextlib.suppress(OSError):
                if fd >= 0:
                    os.close(fd)
        self._pipe = None
        if self.path is not None:
            _forget(self.path)
            self.path = None


def _helper_main(
    pipe: tuple[int, int], name: str, data: bytes, shown: str, order: list[int], part: Part
) -> NoReturn:
    """The helper process: its part, what it found written on the pipe, and its end (status 0 if
    all went well), without returning into the build or cleaning up the parent's objects."""
    status = 1
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)  # from here on Ctrl-C ends it at once
        os.close(pipe[0])
        with os.fdopen(pipe[1], "wb") as out:
            out.write(_helper_part(name, data, shown, order, part))
        status = 0
    finally:
        os._exit(status)


def _helper_part(name: str, data: bytes, shown: str, order: list[int], part: Part) -> bytes:
    """In the helper process: validate and write a part of the rows into the database ``name``
    (rows from id 0, with their spalten and posten); what it found, in JSON."""
    db = _connect(name)
    db.execute("PRAGMA journal_mode = OFF")  # a temporary file, read once by the build
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    _create(db, "helper")
    problems: list[Problem] = []
    columns = _Columns()
    stopped = False
    try:
        _fill_part(db, written_part(data, shown, order, part, problems), columns, None, 0, 0)
    except AtlasDataError as exc:  # a line that is not UTF-8 stops the reading, as in one pass
        problems, stopped = list(exc.problems), True
    _write_columns(db, columns)
    db.execute("COMMIT")
    db.close()
    return json.dumps({"problems": problems, "stopped": stopped}).encode("utf-8")


def _item_checksum(item: str, rows: bytes) -> int:
    return zlib.crc32(rows, zlib.crc32(item.encode("utf-8")))


def _connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, uri=path.startswith("file:"))
    db.execute("PRAGMA trusted_schema = OFF")
    db.execute("PRAGMA cell_size_check = ON")
    return db


def _build_file(
    folder: Path, target: Path, data: bytes, shown: str, key: str, progress: Progress | None
) -> None:
    """Build the database into a temporary file in ``folder`` and move it to ``target``."""

    def write(db: sqlite3.Connection) -> None:
        db.execute("BEGIN")
        _create(db, key)
        _fill(db, data, shown, progress, folder)
        db.execute("COMMIT")

    _write_file(folder, target, write)


def _write_file(folder: Path, target: Path, write: Callable[[sqlite3.Connection], object]) -> None:
    """Write a new database into a temporary file in ``folder`` (``write`` makes its transactions)
    and move it to ``target`` once whole; an interrupt or error leaves nothing behind."""

    def fill(name: str) -> None:
        db = _connect(name)
        try:
            db.execute("PRAGMA page_size = 16384")  # rows of ~1 KB: an eighth less file than 4096
            db.execute("PRAGMA journal_mode = OFF")  # a new file: nothing to roll back to
            db.execute("PRAGMA synchronous = OFF")  # it is renamed into place only when whole
            write(db)
        finally:
            db.close()

    _replace(folder, target, fill)


def _replace(folder: Path, target: Path, fill: Callable[[str], object]) -> None:
    """Make a temporary file in ``folder``, let ``fill`` write it (by its name), and rename it to
    ``target`` (0600); an interrupt (Ctrl-C, SIGTERM, SIGHUP) or error leaves nothing behind."""
    tmp: Path | None = None
    with interruptible():
        try:
            with signals_held():  # an interrupt cannot fall between making the file and naming it
                fd, name = tempfile.mkstemp(prefix=".atlas-", suffix=".tmp", dir=folder)
                tmp = Path(name)
            os.close(fd)
            fill(name)
            tmp.chmod(0o600)
            tmp.replace(target)
        except BaseException:
            if tmp is not None:
                _forget(tmp)
            raise


def _build_in_memory(data: bytes, shown: str, key: str, progress: Progress | None) -> sqlite3.Connection:
    db = _connect(":memory:")
    db.execute("BEGIN")
    _create(db, key)
    _fill(db, data, shown, progress)
    db.execute("COMMIT")
    return db


# --- opening ----------------------------------------------------------------------------------


def _check(db: sqlite3.Connection, key: str, full: bool = True) -> None:
    """Raise StoreDamaged unless this is one of our databases, for this key, and whole (the rows
    counted and ``PRAGMA quick_check`` run only if ``full``)."""
    found = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())
    expected = {name: sql for name, sql in SCHEMA.items() if name not in LATER or name in found}
    if found != expected:
        raise StoreDamaged("unexpected tables")
    meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
    if meta.get("format") != FORMAT or meta.get("key") != key or not meta.get("count", "").isdigit():
        raise StoreDamaged("another format or key")
    if not full:
        return
    count, last = db.execute("SELECT count(*), max(id) FROM zeilen").fetchone()
    if count != int(meta["count"]) or (count and last != count - 1):
        raise StoreDamaged("rows missing")
    if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
        raise StoreDamaged("quick_check failed")


class Untrusted(Exception):
    """A cache entry that is not ours to read (said once on stderr): left alone."""


def _open_entry(
    path: Path,
    key: str,
    *,
    mode: str = "rw",
    check: Callable[[sqlite3.Connection, bool], None] | None = None,
    built: bool = False,
) -> sqlite3.Connection | None:
    """Our database at ``path``, checked (by :func:`_check`, or ``check``); None if there is none
    or it is damaged (then it is removed); raises Untrusted for an entry that must not be read.

    The full check (``quick_check``, every row counted) runs once per state of the file: after
    it passes, the file's status is recorded beside it (:func:`_check_record`), and an open that
    finds the file of that very status makes only the quick checks. Any write to the file changes
    its status (its change time at least), so the full check runs again after it. A database this
    run has just ``built`` (and renamed into place whole) gets only the quick checks; its full check
    falls to the next open, which can record it (this one could not: the file is too new)."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        _note(f"not using the cache file {path}: {exc.strerror or exc}")
        raise Untrusted from None
    if not _trusted(st, "file", path, stat.S_ISREG):
        raise Untrusted
    found = identity(st)
    checked = _checked_before(path, found)
    started = time.time_ns()
    db = None
    try:
        # opened read-write so that the search vocabulary can be added; never following a link
        # (checked just above, and the folder is the user's own and not writable by others)
        db = _connect(f"file:{path}?mode={mode}")
        run = check or (lambda db, full: _check(db, key, full))
        run(db, not (checked or built))
        now = _status(path)
        if checked and now != found:  # replaced since it was looked at: this one is not known
            run(db, True)
        elif not (checked or built) and now == found and settled(found, started):
            _write_record(path.parent, _check_record(path), "checked", found, "ok")
        return db
    except (sqlite3.Error, StoreDamaged):
        if db is not None:
            db.close()
        _discard(path)
        return None


def _status(path: Path) -> Identity | None:
    try:
        return identity(path.lstat())
    except OSError:
        return None


def _discard(path: Path) -> None:
    """Remove a database that cannot be used, and the record of its check."""
    _forget(path)
    _forget(_check_record(path))


_KEY = re.compile(r"[0-9a-f]{64}")


def _prune(folder: Path, key: str) -> None:
    """Remove the databases of content ``key`` (and the records of their checks), unless a
    record of a data file still names it. A run still reading one keeps its open file (POSIX);
    a run that asks for it again builds it again."""
    for entry in folder.glob("data-*.record"):
        try:
            record = _read_record(entry, "key")
        except Untrusted:
            return  # an entry not ours: it may name the key, so nothing is removed
        if record is not None and record[1] == key:
            return
    main = folder / f"{key[:40]}.sqlite"
    for database in (main, main.with_suffix(".sql.sqlite")):
        _discard(database)


def key_of(data: bytes) -> str:
    import hashlib  # only now: a known file is not hashed, and loading OpenSSL costs ~7 ms

    return hashlib.sha256(data).hexdigest()


# --- the atlas ----------------------------------------------------------------------------------


class StoredCities(Sequence[City]):
    """The cities of a stored atlas, each read from the database when it is asked for."""

    def __init__(self, atlas: StoredAtlas, count: int) -> None:
        self._atlas = atlas
        self._count = count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> City: ...

    @overload
    def __getitem__(self, i: slice) -> list[City]: ...

    def __getitem__(self, i: int | slice) -> City | list[City]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._count))]
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError(i)
        return city_of(self._atlas.row_cells(i))

    def __iter__(self) -> Iterator[City]:
        for cells in self._atlas.all_cells():
            yield city_of(cells)


class _Postings(Mapping[str, Sequence[int]]):
    """The rows of each word, read from the database when asked for."""

    def __init__(self, atlas: StoredAtlas, words: Sequence[str]) -> None:
        self._atlas = atlas
        self._words = frozenset(words)

    def __getitem__(self, word: str) -> Sequence[int]:
        if word not in self._words:
            raise KeyError(word)
        return self._atlas.postings(word)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


class _Stale(Exception):
    """The file's bytes are not those its record named: it changed without its status showing it."""


class _Selection(Iterator[int]):
    """The positions of the rows meeting a condition (SQL), read when first asked for; until
    then :meth:`StoredAtlas.cells` can read the rows themselves by the same condition."""

    def __init__(self, atlas: StoredAtlas, where: str, parameters: Sequence[object]) -> None:
        self._atlas = atlas
        self.where = where
        self.parameters = tuple(parameters)
        self._ids: Iterator[int] | None = None

    def fresh(self) -> bool:
        return self._ids is None

    def __next__(self) -> int:
        if self._ids is None:
            sql = f"SELECT id FROM zeilen WHERE {self.where} ORDER BY id"
            self._ids = iter(self._atlas._ids(sql, self.parameters))
        return next(self._ids)


class StoredAtlas(Atlas):
    """An atlas answered from its SQLite database. A query that finds the database damaged
    removes it, builds it again from the file's bytes (read again for this, from the file opened
    at the start) and is asked again.

    ``read`` gives the file's bytes (raising AtlasDataError if the file changed since it was
    opened), ``found`` the status of the open file, None for a pipe. A file whose status a record
    in the cache folder knows is not read at all: the record names its key."""

    __slots__ = (
        "_cities",
        "_data",
        "_db",
        "_folder",
        "_found",
        "_path",
        "_progress",
        "_read",
        "_read_at",
        "_recorded",
        "_spalten",
        "key",
    )

    def __init__(
        self,
        shown: str,
        read: Callable[[], bytes],
        found: Identity | None,
        folder: Path | None,
        progress: Progress | None = None,
    ) -> None:
        super().__init__(shown)
        self._read = read
        self._found = found
        self._folder = folder
        self._progress = progress
        self._spalten: dict[str, list[str]] = {}  # columns of the spalten table, read once
        self._data: bytes | None = None
        self._read_at = 0
        self._recorded = self._recorded_key()
        if self._recorded is None:
            self._load()
        self._key(self._recorded or key_of(self._bytes()))
        try:
            self._db = self._open()
        except _Stale:  # the record was wrong: the file is new to the cache
            self._forget_record()
            self._key(key_of(self._bytes()))
            self._db = self._open()
        self._data = None  # read again if the database must be rebuilt
        self._cities = StoredCities(self, self._count())

    # --- the file and its key ----------------------------------------------------------------

    def _key(self, key: str) -> None:
        self.key = key
        self._path = self._folder / f"{key[:40]}.sqlite" if self._folder is not None else None

    def _record_path(self) -> Path | None:
        if self._folder is None or self._found is None:
            return None
        return self._folder / f"data-{self._found[0]}-{self._found[1]}.record"

    def _recorded_key(self) -> str | None:
        """The key a record gives for the file of this very status, if one does."""
        path = self._record_path()
        if path is None or self._found is None:
            return None
        try:
            record = _read_record(path, "key")
        except Untrusted:
            self._found = None  # left alone: not replaced by a record of ours either
            return None
        if record is None or record[0] != self._found or not _KEY.fullmatch(record[1]):
            return None
        return record[1]

    def _forget_record(self) -> None:
        path = self._record_path()
        if path is not None:
            _forget(path)
        self._recorded = None

    def _load(self) -> bytes:
        """Read the file (again), noting when, for the record."""
        self._read_at = time.time_ns()
        self._data = self._read()
        return self._data

    def _bytes(self) -> bytes:
        """The file's bytes, read if they are not at hand; raises _Stale if they are not the
        bytes of the key in use."""
        if self._data is not None:
            return self._data
        data = self._load()
        if self._recorded is not None and key_of(data) != self._recorded:
            raise _Stale
        return data

    def _remember(self) -> None:
        """Record the key of the file just read, hashed and found valid, if it is settled; the
        databases of the content the record named before are removed if no other record names
        it (the file changed: its old databases would only fill the folder)."""
        path = self._record_path()
        if self._recorded is not None or path is None or self._folder is None or self._found is None:
            return
        if self._read_at and settled(self._found, self._read_at):
            try:
                before = _read_record(path, "key")
            except Untrusted:
                return
            _write_record(self._folder, path, "key", self._found, self.key)
            self._recorded = self.key
            if before is not None and before[1] != self.key and _KEY.fullmatch(before[1]):
                _prune(self._folder, before[1])

    # --- the database ------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self._path is not None and self._folder is not None:
            try:
                db = _open_entry(self._path, self.key)
                if db is None:
                    data = self._bytes()
                    _build_file(self._folder, self._path, data, self.source, self.key, self._progress)
                    db = _open_entry(self._path, self.key, built=True)
                if db is not None:
                    self._remember()
                    return db
            except Untrusted:
                pass
            except (OSError, sqlite3.Error) as exc:
                _note(f"cannot write the cache in {self._folder}: {exc}")
        return _build_in_memory(self._bytes(), self.source, self.key, self._progress)

    def _rebuild(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        if self._path is not None:
            _discard(self._path)
        try:
            self._db = self._open()
        except _Stale:  # answers so far came from the file as recorded, which it no longer is
            self._forget_record()
            raise AtlasDataError.single(
                self.source, "changed while it was read; run the command again"
            ) from None
        self._data = None

    def _ask(self, question: Callable[[sqlite3.Connection], T]) -> T:
        try:
            return question(self._db)
        except (sqlite3.DatabaseError, StoreDamaged):
            self._rebuild()
            return question(self._db)

    def _count(self) -> int:
        return self._ask(
            lambda db: int(db.execute("SELECT value FROM meta WHERE name = 'count'").fetchone()[0])
        )

    def _column(self, sql: str, parameters: Sequence[object] = ()) -> list[Any]:
        """The first column of a query's rows."""
        return self._ask(lambda db: [value for (value, *_) in db.execute(sql, parameters)])

    def _ids(self, sql: str, parameters: Sequence[object] = ()) -> list[int]:
        return self._column(sql, parameters)

    def row_cells(self, i: int) -> list[str]:
        return next(self.cells((i,)))

    def cells(self, positions: Iterable[int]) -> Iterator[list[str]]:
        """The cells of the rows at these positions, in that order, read in batches; those of a
        selection not yet read by the selection's own query (one pass over the rows, not a
        pass for their ids and another for their cells)."""
        if isinstance(positions, _Selection) and positions.fresh():
            return self._selected_rows(positions, _cells_of)
        return self._cells_at(positions)

    def _cells_at(self, positions: Iterable[int]) -> Iterator[list[str]]:
        it = iter(positions)
        while batch := list(itertools.islice(it, BATCH)):
            yield from self._ask(functools.partial(self._read_cells, positions=batch))

    def _selected_rows(self, selection: _Selection, read: Callable[[object, int], T]) -> Iterator[T]:
        """What ``read`` makes of each selected row's stored bytes and checksum (its cells)."""
        after = -1
        while True:
            batch = self._ask(
                functools.partial(self._selected_cells, selection=selection, after=after, read=read)
            )
            yield from (row for _, row in batch)
            if len(batch) < BATCH:
                return
            after = batch[-1][0]

    def _selected_cells(
        self, db: sqlite3.Connection, selection: _Selection, after: int, read: Callable[[object, int], T]
    ) -> list[tuple[int, T]]:
        """The ids of up to BATCH selected rows after the row ``after``, and what ``read`` makes
        of each (in the question asked: damage it finds is found while the database is asked)."""
        where = f"id > ? AND {selection.where}"
        sql = f"SELECT id, {_CELLS}, pruefsumme FROM zeilen WHERE {where} ORDER BY id LIMIT ?"
        rows = db.execute(sql, (after, *selection.parameters, BATCH)).fetchall()
        return [(i, read(stored, check)) for i, stored, check in rows]

    def csv_lines(self, positions: Iterable[int]) -> Iterator[bytes] | None:
        # the rows a selection has not read yet, straight from their stored text
        if isinstance(positions, _Selection) and positions.fresh():
            return self._selected_rows(positions, _csv_line_of)
        return None

    def _read_cells(self, db: sqlite3.Connection, positions: list[int]) -> list[list[str]]:
        wanted = sorted(set(positions))
        found: dict[int, list[str]] = {}
        for start in range(0, len(wanted), 500):  # SQLite takes at most 999 parameters
            part = wanted[start : start + 500]
            sql = f"SELECT id, {_CELLS}, pruefsumme FROM zeilen WHERE id IN ({', '.join('?' * len(part))})"
            for i, stored, check in db.execute(sql, part):
                found[i] = _cells_of(stored, check)
        if len(found) != len(wanted):
            raise StoreDamaged("rows missing")
        return [found[i] for i in positions]

    def cities_at(self, positions: Iterable[int]) -> Iterator[City]:
        return (city_of(cells) for cells in self.cells(positions))

    def all_cells(self) -> Iterator[list[str]]:
        """Every row's cells, in order, read in batches (a stream: no list of all rows)."""
        return self._every_row(functools.partial(_read_rows, table="zeilen", width=len(STORED)))

    def _every_row(self, read: Callable[..., list[list[str]]]) -> Iterator[list[str]]:
        """Every row ``read(db, start=...)`` gives, BATCH at a time from ``start``, in order."""
        start = 0
        while start < len(self._cities):
            batch = self._ask(functools.partial(read, start=start))
            yield from batch
            start += len(batch)

    def profiles(self, positions: Iterable[int] | None = None) -> Iterator[Profile]:
        # the stored cells are the writer's own (_fill): read as such
        if positions is not None:
            return map(written_profile_of, self.cells(positions))
        return map(profile_of_cells, self._every_row(self._profile_rows))

    def _profile_rows(self, db: sqlite3.Connection, start: int) -> list[list[str]]:
        """The profile cells of BATCH rows from ``start``, after adding the profile table (each
        row's profile cells with their CRC, checked as they are read) if the database has none."""
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'profile'").fetchone() is None:
            rows: list[tuple[int, str, int]] = []
            while len(rows) < len(self._cities):
                for cells in _read_rows(db, start=len(rows), table="zeilen", width=len(STORED)):
                    text = "\t".join([cells[j] for j in PROFILE_CELLS])
                    rows.append((len(rows), text, _checksum(text)))
            with interruptible():
                db.execute("BEGIN IMMEDIATE")  # one writer; another run adding it at once waits
                try:
                    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'profile'").fetchone() is None:
                        db.execute(TABLES["profile"])
                        db.executemany("INSERT INTO profile VALUES (?, ?, ?)", rows)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
        return _read_rows(db, start=start, table="profile", width=len(PROFILE_CELLS))

    def _counted(self, what: str) -> Iterator[City]:
        """Every city, telling the progress bar (if any) how many are done."""
        progress, total = self._progress, len(self)
        for done, city in enumerate(self._cities, 1):
            if progress is not None and (done % BATCH == 0 or done == total):
                progress(what, done, total)
            yield city

    def field_counts(self) -> dict[Handlungsfeld, int]:
        sums = ", ".join(f"sum((felder & {FIELD_BITS[f]}) != 0)" for f in ALL_FIELDS)
        found = self._ask(lambda db: db.execute(f"SELECT {sums} FROM zeilen").fetchone())
        return {f: int(n or 0) for f, n in zip(ALL_FIELDS, found, strict=True)}

    def sql_database(self) -> sqlite3.Connection | None:
        """The atlas in the export schema, read-only: a second database in the cache folder
        (``KEY.sql.sqlite``), written from the stored cities the first time it is asked for. Its
        digest is kept in this database's meta table and checked, with its rows counted, once per
        state of the file (as :func:`_open_entry` runs ``quick_check``), so a damaged or changed
        file is rebuilt, never answered from. None without a cache folder
        (then :mod:`atlascli.sql` builds it in memory for the run)."""
        if self._path is None or self._folder is None:
            return None
        path = self._path.with_suffix(".sql.sqlite")
        try:
            db = self._open_sql(path)
            if db is None:
                self._write_sql(path)
                db = self._open_sql(path, built=True)
        except Untrusted:
            return None
        except (OSError, sqlite3.Error) as exc:
            _note(f"cannot write the cache in {self._folder}: {exc}")
            return None
        return db

    def _open_sql(self, path: Path, built: bool = False) -> sqlite3.Connection | None:
        recorded = self._ask(lambda db: db.execute("SELECT value FROM meta WHERE name = 'sql'").fetchone())
        count = len(self)

        def check(db: sqlite3.Connection, full: bool) -> None:
            found = dict(db.execute("SELECT name, sql FROM sqlite_master").fetchall())
            if recorded is None or found != _sql_schema() or (full and _digest(path) != recorded[0]):
                raise StoreDamaged("another database")
            if full and db.execute("SELECT count(*) FROM staedte").fetchone() != (count,):
                raise StoreDamaged("rows missing")

        return _open_entry(path, self.key, mode="ro", check=check, built=built)

    def _write_sql(self, path: Path) -> None:
        from atlascli.export import write_database

        assert self._folder is not None
        _write_file(self._folder, path, lambda db: write_database(db, self._counted(TABLES_WRITTEN)))
        digest = _digest(path)
        self._ask(lambda db: db.execute("INSERT OR REPLACE INTO meta VALUES ('sql', ?)", (digest,)))

    def postings(self, word: str) -> Sequence[int]:
        def read(db: sqlite3.Connection) -> array[int]:
            found = db.execute("SELECT zeilen FROM woerter WHERE wort = ?", (word,)).fetchone()
            rows = array("I")
            if found is None or len(found[0]) % rows.itemsize:
                raise StoreDamaged("postings")
            rows.frombytes(found[0])
            if rows and (max(rows) >= len(self._cities)):
                raise StoreDamaged("postings")
            return rows

        return self._ask(read)

    # --- the interface -----------------------------------------------------------------------

    @property
    def cities(self) -> Sequence[City]:
        return self._cities

    @property
    def names(self) -> Sequence[str]:
        return self._spalte("stadt")

    def position(self, name: str) -> int | None:
        found = self._ids("SELECT id FROM zeilen WHERE match_key = ? ORDER BY id LIMIT 1", (match_key(name),))
        return found[0] if found else None

    def select(self, conditions: CityFilter) -> Iterator[int]:
        where: list[str] = []
        parameters: list[object] = []
        mask = field_mask(conditions.felder)
        if mask:
            where.append("(felder & ?) != 0" if conditions.any_feld else "(felder & ?) = ?")
            parameters.extend([mask] if conditions.any_feld else [mask, mask])
        if conditions.bundesland is not None:
            where.append("land_key = ?")
            parameters.append(match_key(conditions.bundesland))
        if conditions.min_einwohner is not None:
            where.append("einwohner >= ?")
            parameters.append(conditions.min_einwohner)
        if conditions.max_einwohner is not None:
            where.append("einwohner <= ?")
            parameters.append(conditions.max_einwohner)
        selected = _Selection(self, " AND ".join(where) or "1", parameters)
        tests = conditions.text_conditions().predicates()
        if not tests:
            return selected
        rows = list(selected)
        return (i for i, c in zip(rows, self.cities_at(rows), strict=True) if all(t(c) for t in tests))

    def named(self, key: str, *, base: bool = False, prefix: bool = False) -> list[int]:
        column = "base_key" if base else "name_key"
        if prefix:
            # the keys from ``key`` up to the last string that starts with it, by the index
            return self._ids(
                f"SELECT id FROM zeilen WHERE {column} >= ? AND {column} < ? ORDER BY id",
                (key, key + "\U0010ffff"),
            )
        return self._ids(f"SELECT id FROM zeilen WHERE {column} = ? ORDER BY id", (key,))

    def name_keys(self) -> Sequence[tuple[str, str]]:
        names, bases = self._key_columns()
        return list(zip(names, bases, strict=True))

    def keyed_names(self, *, base: bool = False) -> tuple[Sequence[int], Sequence[str]]:
        keys = self._key_columns()[1 if base else 0]
        return range(len(keys)), keys

    def _key_columns(self) -> tuple[list[str], list[str]]:
        return self._spalte("name_key"), self._spalte("base_key")

    def _spalte(self, column: str) -> list[str]:
        """One column of :data:`SPALTEN`, every row's value in id order (checked as it is read)."""
        found = self._spalten.get(column)
        if found is None:
            count = len(self._cities)

            def read(db: sqlite3.Connection) -> list[str]:
                row = db.execute(
                    "SELECT CAST(werte AS BLOB), pruefsumme FROM spalten WHERE spalte = ?", (column,)
                ).fetchone()
                if row is None:
                    raise StoreDamaged("column missing")
                stored, check = row
                return _cells_of(stored, check, width=count) if count else []

            found = self._spalten[column] = self._ask(read)
        return found

    def tallies(self) -> Tallies:
        # from the spalten and posten tables: no row is read
        names = self._spalte("stadt")
        masks = list(map(int, self._spalte("felder")))
        return Tallies(
            names=names,
            einwohner=list(map(int, self._spalte("einwohner"))),
            flaeche_km2=list(map(int, self._spalte("flaeche_km2"))),
            felder_pro_stadt=[m.bit_count() for m in masks],
            per_land=Counter(self._spalte("bundesland")),
            staedte={
                f: [n for n, m in zip(names, masks, strict=True) if m & bit] for f, bit in FIELD_BITS.items()
            },
            netzwerke=self._posten("netzwerke"),
            foerderprogramme=self._posten("foerderprogramme"),
        )

    def _posten(self, column: str) -> dict[str, array[int]]:
        """Each item of a list column (networks, programmes) in order of first appearance, with
        the ids of the rows naming it, checked as they are read."""
        count = len(self._cities)

        def read(db: sqlite3.Connection) -> dict[str, array[int]]:
            found: dict[str, array[int]] = {}
            expected = db.execute("SELECT value FROM meta WHERE name = ?", (f"posten {column}",)).fetchone()
            rows = db.execute(
                "SELECT reihe, eintrag, zeilen, pruefsumme FROM posten WHERE spalte = ? ORDER BY reihe",
                (column,),
            )
            for reihe, item, stored, check in rows:
                ids = array("I")
                if (
                    reihe != len(found)
                    or not isinstance(item, str)
                    or not isinstance(stored, bytes)
                    or len(stored) % ids.itemsize
                    or _item_checksum(item, stored) != check
                ):
                    raise StoreDamaged("items")
                ids.frombytes(stored)
                if not ids or max(ids) >= count:
                    raise StoreDamaged("items")
                found[item] = ids
            if expected != (str(len(found)),):
                raise StoreDamaged("items missing")
            return found

        return self._ask(read)

    def bundeslaender(self) -> list[str]:
        return self._ask(
            lambda db: [
                land
                for (land,) in db.execute(
                    "SELECT bundesland FROM zeilen GROUP BY bundesland ORDER BY MIN(id)"
                )
            ]
        )

    def vocabulary(self) -> Vocabulary:
        words = self._ask(self._words)
        return Vocabulary(words, _Postings(self, words))

    def _words(self, db: sqlite3.Connection) -> list[str]:
        """The vocabulary's words, after adding the vocabulary to the database if it has none."""
        has = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'woerter'").fetchone()
        if has is None:
            self._add_vocabulary(db)
        return [w for (w,) in db.execute("SELECT wort FROM woerter ORDER BY wort")]

    def _add_vocabulary(self, db: sqlite3.Connection) -> None:
        from atlascli.search import build_vocabulary

        vocabulary = build_vocabulary(self._counted(WORDS))
        with interruptible():
            db.execute("BEGIN IMMEDIATE")  # one writer; another run adding it at once waits
            try:
                if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'woerter'").fetchone() is None:
                    db.execute(TABLES["woerter"])
                    db.executemany(
                        "INSERT INTO woerter VALUES (?, ?)",
                        ((word, array("I", vocabulary.rows[word]).tobytes()) for word in vocabulary.words),
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise


def _digest(path: Path) -> str:
    import hashlib  # as in key_of

    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _sql_schema() -> dict[str, str | None]:
    """What sqlite_master holds in a database of :func:`atlascli.export.schema_sql`."""
    from atlascli.export import schema_sql

    db = sqlite3.connect(":memory:")
    db.executescript(schema_sql())
    return dict(db.execute("SELECT name, sql FROM sqlite_master").fetchall())


def load_stored(
    shown: str,
    read: Callable[[], bytes],
    found: Identity | None,
    *,
    cache: bool,
    progress: Progress | None = None,
) -> StoredAtlas:
    """The atlas of a large file, from its database in the cache folder (built there the first
    time), or built in memory when the cache is off or cannot be used. ``read`` gives the file's
    bytes, ``found`` the status of the open file (:func:`identity`; None for a pipe)."""
    folder = usable_cache_dir() if cache_enabled(cache) else None
    return StoredAtlas(shown, read, found, folder, progress)

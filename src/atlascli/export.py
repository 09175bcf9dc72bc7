"""The atlas as a normalised SQLite database: its schema, the one writer of it, and the export to
a file (standard library only). ``atlas export`` writes a file with :func:`write_database`, ``atlas
sql`` a database in memory (:mod:`atlascli.sql`).

Tables (German names, like the data), made from the column schema: ``staedte`` (one row per city,
its text and number columns), ``handlungsfelder``, ``stadt_handlungsfelder``, ``projekte``,
``projekt_handlungsfelder``, and one table per other list column (``netzwerke``,
``foerderprogramme``, ``links``); the view ``atlas`` rejoins each city into one row with the TSV's
columns. ``staedte_fts`` (FTS5) holds each city's searchable text, as in the TSV, under the city's
id (its rowid is ``staedte.id``): Datasette's search box, or ``MATCH`` in SQL.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from atlascli.errors import ExportError
from atlascli.interrupts import interruptible, signals_held
from atlascli.model import ALL_FIELDS, Atlas, City, Handlungsfeld
from atlascli.schema import (
    COLUMNS,
    FIELD_SEPARATOR,
    ITEM_SEPARATOR,
    SCHEMA,
    SEARCH_COLUMNS,
    STORED,
    Column,
    Item,
    Kind,
)
from atlascli.tsv import city_cells

_SCALARS = tuple(c for c in STORED if c.kind != Kind.LIST)
_TEXT_LISTS = tuple(c for c in STORED if c.kind == Kind.LIST and c.items == Item.TEXT)
_SEARCHED = tuple(COLUMNS.index(name) for name in SEARCH_COLUMNS)  # the full-text table's cells
# accents folded (Muenster aside, "munster" finds Münster), as atlas search does
FTS_TOKENIZER = "unicode61 remove_diacritics 2"
_FTS_INSERT = (
    f"INSERT INTO staedte_fts (rowid, {', '.join(SEARCH_COLUMNS)}) VALUES (?{', ?' * len(SEARCH_COLUMNS)})"
)


def _item_column(column: Column) -> str:
    return "url" if column.name == "links" else "name"


def _scalar_sql(column: Column) -> str:
    if column.kind == Kind.NUMBER:
        return f"{column.name} INTEGER NOT NULL CHECK ({column.name} >= 0)"
    return f"{column.name} TEXT NOT NULL" + (" UNIQUE" if column.name == "stadt" else "")


def _list_sql(column: Column) -> str:
    """The view's expression for a list column: its items in order, joined as in the TSV."""
    if column.items == Item.FELD:
        items = (
            "SELECT h.name AS item FROM stadt_handlungsfelder sh\n"
            "        JOIN handlungsfelder h ON h.id = sh.feld_id\n"
            "        WHERE sh.stadt_id = s.id ORDER BY sh.position"
        )
    else:
        table, item = (
            ("projekt_zeilen", "text")
            if column.items == Item.PROJEKT
            else (column.name, _item_column(column))
        )
        items = f"SELECT {item} AS item FROM {table} WHERE stadt_id = s.id ORDER BY position"
    joined = f"SELECT group_concat(item, '{ITEM_SEPARATOR}') FROM (\n        {items})"
    return f"    COALESCE(({joined}), '') AS {column.name}"


def schema_sql() -> str:
    """The database's tables and views, made from the column schema (what :func:`write_database`
    creates)."""
    scalars = ",\n    ".join(_scalar_sql(c) for c in _SCALARS)
    text_lists = "".join(
        f"""CREATE TABLE {c.name} (
    id INTEGER PRIMARY KEY,
    stadt_id INTEGER NOT NULL REFERENCES staedte(id),
    position INTEGER NOT NULL,
    {_item_column(c)} TEXT NOT NULL
);
CREATE INDEX {c.name}_stadt ON {c.name}(stadt_id);
"""
        for c in _TEXT_LISTS
    )
    view_columns = ",\n".join(f"    s.{c.name}" if c.kind != Kind.LIST else _list_sql(c) for c in STORED)
    return f"""CREATE TABLE staedte (
    id INTEGER PRIMARY KEY,
    {scalars}
);
CREATE TABLE handlungsfelder (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE stadt_handlungsfelder (
    stadt_id INTEGER NOT NULL REFERENCES staedte(id),
    feld_id INTEGER NOT NULL REFERENCES handlungsfelder(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (stadt_id, feld_id)
);
CREATE TABLE projekte (
    id INTEGER PRIMARY KEY,
    stadt_id INTEGER NOT NULL REFERENCES staedte(id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL
);
CREATE TABLE projekt_handlungsfelder (
    projekt_id INTEGER NOT NULL REFERENCES projekte(id),
    feld_id INTEGER NOT NULL REFERENCES handlungsfelder(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (projekt_id, feld_id)
);
{text_lists}CREATE INDEX stadt_handlungsfelder_feld ON stadt_handlungsfelder(feld_id);
CREATE INDEX projekte_stadt ON projekte(stadt_id);
CREATE VIEW projekt_zeilen AS
SELECT p.id, p.stadt_id, p.position,
       p.name || COALESCE(' (' || (
           SELECT group_concat(name, '{FIELD_SEPARATOR}') FROM (
               SELECT h.name AS name FROM projekt_handlungsfelder ph
               JOIN handlungsfelder h ON h.id = ph.feld_id
               WHERE ph.projekt_id = p.id ORDER BY ph.position)
       ) || ')', '') AS text
FROM projekte p;
CREATE VIEW atlas AS
SELECT
{view_columns}
FROM staedte s ORDER BY s.id;
CREATE VIRTUAL TABLE staedte_fts USING fts5(
    {", ".join(SEARCH_COLUMNS)},
    tokenize = '{FTS_TOKENIZER}'
);
"""


def export_sqlite(atlas: Atlas, path: str | os.PathLike[str], *, force: bool = False) -> int:
    """Write ``atlas`` into a new SQLite file; returns the number of cities written.

    An existing file is refused unless ``force``, and anything but a regular file always (a
    device, a pipe, a link: ``--force`` must never replace ``/dev/null``). The database is built in
    a temporary file next to the target and moved into place, so a failed export never leaves
    half a file behind; it gets the permissions a new file gets under the user's umask.
    """
    if os.fspath(path).endswith(("/", os.sep)):
        raise ExportError(f"{os.fspath(path)} names a folder; give a file name")
    target = Path(path)
    try:
        mode: int | None = target.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise ExportError(f"{target} is a directory")
    if mode is not None and not stat.S_ISREG(mode):
        raise ExportError(f"{target} exists and is not a regular file; choose another name")
    if mode is not None and not force:
        raise ExportError(f"{target} exists; use --force to overwrite it")
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise ExportError(f"folder {folder} does not exist")
    _refuse_live(target)
    tmp: Path | None = None
    with interruptible():
        try:
            with signals_held():  # an interrupt cannot fall between making the file and naming it
                fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
                tmp = Path(tmp_name)
            os.close(fd)
            tmp.chmod(0o666 & ~_umask())
            connection = sqlite3.connect(tmp)
            try:
                connection.execute("PRAGMA journal_mode = OFF")  # a new file: no -journal beside it
                count = write_database(connection, atlas)
            finally:
                connection.close()
            _refuse_live(target)  # opened by another process while the export was written
            tmp.replace(target)
        except BaseException as exc:  # an error, Ctrl-C, SIGTERM, SIGHUP: no temporary file stays
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError | sqlite3.Error):
                raise ExportError(f"cannot write {target}: {exc}") from None
            raise
    return count


def _refuse_live(target: Path) -> None:
    """Refuse to replace a database another process may be using: a ``-wal``, ``-shm`` or
    ``-journal`` beside it (SQLite would apply that journal to the new file), or a lock on it."""
    for suffix in ("-wal", "-shm", "-journal"):
        if Path(f"{target}{suffix}").exists():
            beside = f"{target.name}{suffix}"
            raise ExportError(f"{target} is in use or was left mid-write ({beside} is beside it)")
    if not target.exists():
        return
    try:
        db = sqlite3.connect(f"file:{target}?mode=rw", uri=True, timeout=0)
    except sqlite3.Error:
        return  # not a database SQLite can open: nothing of SQLite's can touch the new file
    try:
        db.execute("BEGIN EXCLUSIVE")
        db.rollback()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise ExportError(f"{target} is open in another process (locked); close it first") from None
    except sqlite3.Error:
        pass  # not a database: it is replaced whole
    finally:
        db.close()


def _umask() -> int:
    current = os.umask(0o022)  # reading the umask means setting it; set it straight back
    os.umask(current)
    return current


def write_database(db: sqlite3.Connection, cities: Iterable[City]) -> int:
    """Create the tables and views of :func:`schema_sql` in ``db`` (a new, empty database: a file
    or ``:memory:``) and write these cities into them; returns the number of cities written.

    The one writer of the schema: ``atlas export`` writes a file with it and ``atlas sql`` a
    database in memory. Everything is written in one transaction (committed here; rolled back if
    anything fails, the cities' iterator included), each table with one ``executemany`` per
    :data:`BATCH` cities; foreign keys are checked as the rows go in.
    """
    feld_id = {f: i for i, f in enumerate(ALL_FIELDS, 1)}
    db.execute("PRAGMA foreign_keys = ON")
    db.executescript("BEGIN;\n" + schema_sql())  # the tables are made in the same transaction
    try:
        db.executemany(
            "INSERT INTO handlungsfelder (id, name) VALUES (?, ?)", [(i, f.value) for f, i in feld_id.items()]
        )
        count = project_id = 0
        remaining = iter(cities)
        while batch := list(itertools.islice(remaining, BATCH)):
            project_id = _write_cities(db, batch, count, project_id, feld_id)
            count += len(batch)
    except BaseException:
        db.rollback()
        raise
    db.commit()
    return count


BATCH = 1000  # cities written at a time: a large atlas is written without holding all its rows


def _write_cities(
    db: sqlite3.Connection,
    cities: list[City],
    before: int,
    project_id: int,
    feld_id: dict[Handlungsfeld, int],
) -> int:
    """Write these cities, numbered on after the ``before`` written already, and their projects
    after ``project_id``; returns the last project id given."""
    staedte: list[tuple[object, ...]] = []
    stadt_felder: list[tuple[int, int, int]] = []
    projekte: list[tuple[int, int, int, str]] = []
    projekt_felder: list[tuple[int, int, int]] = []
    lists: list[list[tuple[int, int, str]]] = [[] for _ in _TEXT_LISTS]
    texts: list[tuple[object, ...]] = []
    for city_id, city in enumerate(cities, before + 1):
        cells = city_cells(city)
        texts.append((city_id, *[cells[i] for i in _SEARCHED]))
        staedte.append((city_id, *[getattr(city, c.name) for c in _SCALARS]))
        stadt_felder += [(city_id, feld_id[f], n) for n, f in enumerate(city.handlungsfelder)]
        for n, p in enumerate(city.projektbeispiele):
            project_id += 1
            projekte.append((project_id, city_id, n, p.name))
            projekt_felder += [(project_id, feld_id[f], m) for m, f in enumerate(p.handlungsfelder)]
        for rows, column in zip(lists, _TEXT_LISTS, strict=True):
            rows += [(city_id, n, item) for n, item in enumerate(getattr(city, column.name))]
    db.executemany(f"INSERT INTO staedte VALUES (?{', ?' * len(_SCALARS)})", staedte)
    db.executemany("INSERT INTO stadt_handlungsfelder VALUES (?, ?, ?)", stadt_felder)
    db.executemany("INSERT INTO projekte VALUES (?, ?, ?, ?)", projekte)
    db.executemany("INSERT INTO projekt_handlungsfelder VALUES (?, ?, ?)", projekt_felder)
    for rows, column in zip(lists, _TEXT_LISTS, strict=True):
        db.executemany(
            f"INSERT INTO {column.name} (stadt_id, position, {_item_column(column)}) VALUES (?, ?, ?)", rows
        )
    db.executemany(_FTS_INSERT, texts)
    return project_id


_TSV_TYPES = {Kind.TEXT: "string", Kind.NUMBER: "integer", Kind.LIST: "list", Kind.DERIVED: "number"}


def schema_document(database: str = "atlas") -> dict[str, object]:
    """The atlas's columns and tables for other tools (``atlas schema``): the TSV's dialect and
    columns (type, list separator, what the items are), the SQLite tables and views of
    :func:`schema_sql` with their columns, and Datasette metadata for a database named
    ``database`` (the exported file's name without its suffix): the city label for foreign
    keys, and the full-text table behind the search box."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(schema_sql())
        objects = db.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE 'staedte_fts_%' ORDER BY rowid"
        ).fetchall()
        sqlite = {
            name: {
                "type": "fts5" if name == "staedte_fts" else kind,
                "columns": [
                    {"name": c, "type": t or None, "not_null": bool(nn), "primary_key": bool(pk)}
                    for _, c, t, nn, _, pk in db.execute(f"PRAGMA table_info({name})")
                ],
                "foreign_keys": [
                    {"column": fk[3], "table": fk[2], "references": fk[4]}
                    for fk in db.execute(f"PRAGMA foreign_key_list({name})")
                ],
            }
            for kind, name in objects
        }
    finally:
        db.close()
    columns = [
        {
            "name": c.name,
            "title": c.heading,
            "type": _TSV_TYPES[c.kind],
            **({"separator": ITEM_SEPARATOR, "items": c.items} if c.kind == Kind.LIST else {}),
            **({"project_fields_separator": FIELD_SEPARATOR} if c.items == Item.PROJEKT else {}),
            "in_tsv": c.stored,
            "searched": c.searched,
        }
        for c in (*STORED, *(c for c in SCHEMA if not c.stored))  # the TSV's order, then derived
    ]
    return {
        "tsv": {
            "dialect": {
                "delimiter": "\t",
                "header": True,
                "line_terminator": "\n",
                "encoding": "utf-8",
                "quote_char": None,
                "escapes": {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"},
            },
            "columns": columns,
            "handlungsfelder": [f.value for f in ALL_FIELDS],
        },
        "sqlite": sqlite,
        "datasette": {
            "databases": {
                database: {
                    "tables": {
                        "staedte": {"label_column": "stadt", "fts_table": "staedte_fts", "fts_pk": "id"},
                        "atlas": {"label_column": "stadt"},
                    }
                }
            }
        },
    }

"""SQL over the atlas: the normalised schema ``atlas export`` writes, queried read-only.

:func:`database_of` gives the database a query runs on, :func:`run_query` runs one statement on
it and gives the column names and the rows as SQLite returns them (int, float, str, bytes or
None), streamed. Only reading is allowed: an authorizer (:class:`ReadOnly`) refuses, before the
statement runs, anything but reading tables and views and calling functions, and
``PRAGMA query_only`` stops any write that got past it. Whatever SQLite refuses is a
:class:`~atlascli.errors.SqlError`. Standard library only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from atlascli.errors import SqlError
from atlascli.export import write_database
from atlascli.model import Atlas

Value = int | float | str | bytes | None  # what SQLite gives: INTEGER, REAL, TEXT, BLOB, NULL


def database_of(atlas: Atlas) -> sqlite3.Connection:
    """The atlas as a SQLite database with the schema of ``atlas export`` (tables, keys, the
    ``atlas`` view), for :func:`run_query`: built in memory from its cities (a few milliseconds
    for the bundled atlas).

    The one place a query's database comes from: an atlas that keeps its cities in a database of
    its own (a large file's cache) hands that over here instead of having it built.
    """
    kept = atlas.sql_database()
    if kept is not None:
        return kept
    db = sqlite3.connect(":memory:")
    write_database(db, atlas)
    return db


class QueryResult:
    """The answer to a query: its column names and its rows (an iterator, read once)."""

    __slots__ = ("columns", "rows")

    def __init__(self, columns: Sequence[str], rows: Iterator[tuple[Value, ...]]) -> None:
        self.columns = columns
        self.rows = rows


def run_query(db: sqlite3.Connection, sql: str) -> QueryResult:
    """Run one read-only SQL statement on ``db`` (made read-only here for good).

    Raises :class:`~atlascli.errors.SqlError` for an empty statement, more than one, a statement
    that would write, and anything SQLite refuses (a syntax error, an unknown table); an
    interrupt (Ctrl-C) stops a long query as a KeyboardInterrupt.
    """
    if not sql.strip():
        raise SqlError("no SQL given; e.g. atlas sql 'SELECT stadt, einwohner FROM atlas'")
    guard = ReadOnly.install(db)
    try:
        cursor = db.execute(sql)
    except (sqlite3.Error, sqlite3.Warning) as exc:
        raise guard.error(exc) from None
    except UnicodeEncodeError:  # a lone surrogate: argv bytes that are not UTF-8
        raise SqlError("the SQL is not valid UTF-8 text") from None
    if cursor.description is None:  # only blanks, comments and semicolons
        raise SqlError("the SQL holds no statement to run")
    return QueryResult([d[0] for d in cursor.description], _rows(cursor, guard))


def _rows(cursor: sqlite3.Cursor, guard: ReadOnly) -> Iterator[tuple[Value, ...]]:
    try:
        yield from cursor
    except sqlite3.Error as exc:  # a step after the first can fail too (an interrupt, bad UTF-8)
        raise guard.error(exc) from None


# PRAGMAs that only describe or check the database, whatever their argument (a table or index name)
READ_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "collation_list",
        "function_list",
        "pragma_list",
        "database_list",
        "foreign_key_check",
        "integrity_check",
        "quick_check",
        "data_version",  # a counter of changes; FTS5 reads it on every MATCH (staedte_fts)
    }
)
_READING = (sqlite3.SQLITE_READ, sqlite3.SQLITE_SELECT, sqlite3.SQLITE_RECURSIVE)
_REFUSED_FUNCTIONS = frozenset({"load_extension"})
_TICKS = 10_000  # virtual machine steps between two looks at Ctrl-C


class ReadOnly:
    """The authorizer of a query's connection: reading tables and views (the schema tables
    too), calling functions and recursive common table expressions, and the PRAGMAs of
    :data:`READ_PRAGMAS` are allowed; everything else is refused, and the first refusal is
    remembered to say what it was.

    SQLite asks it while it compiles a statement, so a write is refused before anything runs.
    One exception is needed for reading: SQLite itself updates ``sqlite_master`` when it sets
    up a table-valued function (``json_each``, ``pragma_table_info``); a statement that really
    changes ``sqlite_master`` is refused by SQLite, and by ``query_only``.
    """

    __slots__ = ("refused",)

    def __init__(self) -> None:
        self.refused: str | None = None

    @classmethod
    def install(cls, db: sqlite3.Connection) -> ReadOnly:
        db.set_authorizer(None)  # a connection guarded before: its guard would refuse the PRAGMA
        db.execute("PRAGMA query_only = ON")
        guard = cls()
        db.set_authorizer(guard)
        db.set_progress_handler(_tick, _TICKS)
        return guard

    def __call__(self, action: int, arg1: str | None, arg2: str | None, *_where: str | None) -> int:
        if action in _READING:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() not in _REFUSED_FUNCTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in READ_PRAGMAS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
            return sqlite3.SQLITE_OK
        if self.refused is None:
            self.refused = _described(action, arg1, arg2)
        return sqlite3.SQLITE_DENY

    def error(self, exc: sqlite3.Error | sqlite3.Warning) -> SqlError:
        """What went wrong, in words for the user (or, for an interrupt, a KeyboardInterrupt)."""
        name = getattr(exc, "sqlite_errorname", "")
        message = " ".join(str(exc).splitlines())  # SQLite quotes a token back, newlines and all
        if name == "SQLITE_INTERRUPT":
            raise KeyboardInterrupt
        if self.refused is not None:
            return SqlError(f"the atlas is read-only: {self.refused} is not allowed")
        if name == "SQLITE_READONLY":
            return SqlError("the atlas is read-only: the statement would write")
        if message.endswith("may not be modified"):
            return SqlError(f"the atlas is read-only: {message}")
        if "one statement at a time" in message:
            return SqlError("one statement at a time: leave out what follows the first ';'")
        return SqlError(f"SQL error: {message}")


def _described(action: int, arg1: str | None, arg2: str | None) -> str:
    """The refused action in the words of the statement that asked for it."""
    if action in (sqlite3.SQLITE_INSERT, sqlite3.SQLITE_DELETE) and arg1 in _SCHEMA_TABLES:
        # SQLite asks to change the schema table before it names what is made or dropped
        return "CREATE" if action == sqlite3.SQLITE_INSERT else "DROP"
    if action == sqlite3.SQLITE_SAVEPOINT:
        arg1 = {"BEGIN": "SAVEPOINT", "ROLLBACK": "ROLLBACK TO"}.get(str(arg1), arg1)
    return _REFUSALS.get(action, "action {2}").format(arg1, arg2, action)


# What a refused action is called ({0} and {1} its arguments). The sqlite3 module's SQLITE_*
# names cannot be looked up by value: they mix action codes with result codes of equal value.
_REFUSALS = {
    sqlite3.SQLITE_INSERT: "INSERT into {0}",
    sqlite3.SQLITE_DELETE: "DELETE from {0}",
    sqlite3.SQLITE_UPDATE: "UPDATE of {0}",
    sqlite3.SQLITE_FUNCTION: "the function {1}",
    sqlite3.SQLITE_PRAGMA: "PRAGMA {0}",
    sqlite3.SQLITE_TRANSACTION: "{0}",  # BEGIN, COMMIT or ROLLBACK
    sqlite3.SQLITE_SAVEPOINT: "{0} {1}",  # SAVEPOINT, RELEASE or ROLLBACK TO, and its name
    sqlite3.SQLITE_ATTACH: "ATTACH (or VACUUM)",  # VACUUM attaches the database it writes
    sqlite3.SQLITE_DETACH: "DETACH {0}",
    sqlite3.SQLITE_ALTER_TABLE: "ALTER TABLE {1}",
    sqlite3.SQLITE_REINDEX: "REINDEX",
    sqlite3.SQLITE_ANALYZE: "ANALYZE",
    sqlite3.SQLITE_CREATE_TRIGGER: "CREATE TRIGGER {0}",
    sqlite3.SQLITE_CREATE_TEMP_TRIGGER: "CREATE TEMP TRIGGER {0}",
    sqlite3.SQLITE_CREATE_VTABLE: "CREATE VIRTUAL TABLE {0}",
    sqlite3.SQLITE_DROP_VTABLE: "DROP VIRTUAL TABLE {0}",
}
_SCHEMA_TABLES = ("sqlite_master", "sqlite_temp_master")


def _tick() -> int:
    """Called between steps of a long query; Python raises a pending KeyboardInterrupt here,
    which makes SQLite stop the query (as SQLITE_INTERRUPT)."""
    return 0

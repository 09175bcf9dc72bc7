"""``atlas sql``'s core: one read-only statement over the schema ``atlas export`` writes.

Every kind of write is refused before it runs, with words that name it, and leaves the database
as it was; any text given as SQL (hypothesis) is an answer or a SqlError and changes nothing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atlascli.errors import SqlError
from atlascli.loader import load_atlas
from atlascli.sql import database_of, run_query

EXAMPLES = int(os.environ.get("ATLAS_HYPOTHESIS_EXAMPLES", "50"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WRITES = {
    "INSERT INTO staedte (stadt) VALUES ('Berlin')": "INSERT into staedte",
    "REPLACE INTO handlungsfelder VALUES (1, 'Kultur')": "INSERT into handlungsfelder",
    "UPDATE staedte SET einwohner = 0": "UPDATE of staedte",
    "DELETE FROM links": "DELETE from links",
    "CREATE TABLE notizen (text)": "CREATE",
    "CREATE TEMP TABLE notizen (text)": "CREATE",
    "CREATE VIEW gross AS SELECT * FROM staedte": "CREATE",
    "CREATE INDEX i ON staedte (bundesland)": "CREATE",
    "CREATE TRIGGER t AFTER INSERT ON staedte BEGIN SELECT 1; END": "CREATE TRIGGER t",
    "CREATE VIRTUAL TABLE f USING fts5 (text)": "CREATE",
    "DROP TABLE staedte": "DROP",
    "DROP VIEW atlas": "DROP",
    "ALTER TABLE staedte ADD COLUMN x": "ALTER TABLE staedte",
    "ATTACH DATABASE 'other.db' AS other": "ATTACH",
    "DETACH DATABASE main": "DETACH main",
    "VACUUM": "VACUUM",
    "VACUUM INTO 'copy.db'": "VACUUM",
    "PRAGMA query_only = OFF": "PRAGMA query_only",
    "PRAGMA writable_schema = ON": "PRAGMA writable_schema",
    "PRAGMA journal_mode = WAL": "PRAGMA journal_mode",
    "BEGIN": "BEGIN",
    "COMMIT": "COMMIT",
    "SAVEPOINT s": "SAVEPOINT s",
    "REINDEX": "REINDEX",
    "ANALYZE": "CREATE",
    "UPDATE sqlite_master SET sql = ''": "sqlite_master may not be modified",
    "SELECT load_extension('x')": "load_extension",
    "WITH x AS (SELECT 1) DELETE FROM staedte": "DELETE from staedte",
    "EXPLAIN DELETE FROM staedte": "DELETE from staedte",
}


@pytest.mark.parametrize("sql", list(WRITES))
def test_a_write_is_refused(sql: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SqlError) as refused:
        run_query(database_of(load_atlas()), sql)
    assert str(refused.value).startswith("the atlas is read-only: ")
    assert WRITES[sql] in str(refused.value)
    assert list(tmp_path.iterdir()) == []  # ATTACH and VACUUM INTO made no file


def test_a_refusal_changes_nothing() -> None:
    db = database_of(load_atlas())
    before = db.execute("SELECT * FROM atlas").fetchall()
    for sql in WRITES:
        with pytest.raises(SqlError):
            run_query(db, sql)
    assert list(run_query(db, "SELECT * FROM atlas").rows) == before


WORDS = st.sampled_from(
    [
        "SELECT", "INSERT", "INTO", "UPDATE", "SET", "DELETE", "FROM", "WHERE", "CREATE", "DROP", "TABLE",
        "VIEW", "TEMP", "TRIGGER", "INDEX", "ON", "ATTACH", "DETACH", "DATABASE", "AS", "VACUUM", "PRAGMA",
        "query_only", "writable_schema", "=", "OFF", "WITH", "RECURSIVE", "UNION", "ALL", "VALUES", "BEGIN",
        "END", "ROLLBACK", "REINDEX", "ANALYZE", "REPLACE", "atlas", "staedte", "links", "sqlite_master",
        "stadt", "einwohner", "*", "(", ")", ",", ";", "1", "'x'", "x'00'", "NULL", "'m.db'", "--", "/*",
        "load_extension", "json_each", "pragma_table_info", "count(*)", "LIMIT",
    ]
)  # fmt: skip
SQLISH = st.one_of(
    st.lists(WORDS, max_size=12).map(" ".join),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40),
)


COUNTS = "SELECT " + ", ".join(
    f"(SELECT count(*) FROM {t})"
    for t in (
        "sqlite_master",
        "sqlite_temp_master",
        "staedte",
        "projekte",
        "projekt_handlungsfelder",
        "links",
    )
)


@pytest.fixture(scope="module")
def shared_db() -> Iterator[tuple[sqlite3.Connection, list[Any]]]:
    db = database_of(load_atlas())
    yield db, [db.execute("SELECT * FROM atlas").fetchall(), db.execute(COUNTS).fetchone()]
    db.close()


@PROPERTY
@given(SQLISH)
def test_no_statement_changes_the_database(shared_db: tuple[sqlite3.Connection, list[Any]], sql: str) -> None:
    db, (rows, counts) = shared_db
    with contextlib.suppress(SqlError):
        list(run_query(db, sql).rows)
    assert list(run_query(db, "SELECT * FROM atlas").rows) == rows
    assert list(run_query(db, COUNTS).rows) == [counts]

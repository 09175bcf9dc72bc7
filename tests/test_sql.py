"""``atlas sql``: read-only SQL over the schema ``atlas export`` writes.

Expected answers come from ``data/atlas.tsv`` read by the oracle (plain string handling), or from
the exported file read with Python's own ``sqlite3``; outputs are parsed, not matched as text.
What is checked: the answers and the ``atlas`` view (against the file and ``atlas list -f json``),
every output format, how values are written (NULL, reals, BLOBs, repeated column names), empty
results, every kind of write refused before it runs, more than one statement, SQLite's own errors
as one ``atlas:`` line with exit status 1, ``--excel-safe``, terminal safety, that the exported
file and the database queried are the same, Ctrl-C on a runaway query, and (hypothesis) that no
text given as SQL ends in a traceback or changes the database.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import FORMATS, atlas_program, csv_rows, json_out, ok, process_env, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import BY_NAME, COLUMNS, NAMES, NUMBER_COLUMNS, RECORDS, ROWS, cities_with, fields_of, items

from atlascli.errors import SqlError
from atlascli.loader import load_atlas
from atlascli.sql import database_of, run_query

EXAMPLES = int(os.environ.get("ATLAS_HYPOTHESIS_EXAMPLES", "50"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BIG = "SELECT stadt, einwohner, flaeche_km2 FROM staedte WHERE einwohner > 400000 ORDER BY einwohner DESC"
BIG_ROWS = sorted(
    ([r["stadt"], int(r["einwohner"]), int(r["flaeche_km2"])] for r in ROWS if int(r["einwohner"]) > 400000),
    key=lambda r: -int(r[1]),
)


def failure(*args: str) -> str:
    """The one ``atlas:`` line of a run that must fail with exit status 1 and print nothing."""
    result = run(*args)
    assert result.exit_code == 1, (args, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("atlas: "), result.stderr
    return lines[0]


def typed(row: dict[str, str]) -> dict[str, object]:
    """A row of the file as the ``atlas`` view gives it: numbers as numbers, lists as their cell."""
    return {k: int(v) if k in NUMBER_COLUMNS else v for k, v in row.items()}


# --- answers ------------------------------------------------------------------------------------


def test_the_atlas_view_is_the_file() -> None:
    assert json_out("sql", "SELECT * FROM atlas") == [typed(r) for r in ROWS]


def test_the_atlas_view_matches_atlas_list() -> None:
    """The same cities as ``atlas list -f json``, with each list joined as the TSV joins it."""

    def joined(record: dict[str, Any]) -> dict[str, object]:
        out = dict(record)
        for name in ("handlungsfelder", "netzwerke", "foerderprogramme", "links"):
            out[name] = "; ".join(record[name])
        out["projektbeispiele"] = "; ".join(
            f"{p['name']} ({' / '.join(p['handlungsfelder'])})" if p["handlungsfelder"] else p["name"]
            for p in record["projektbeispiele"]
        )
        return out

    listed = json_out("list")
    assert listed == RECORDS  # the oracle's reading of the file: both sides stand on it
    assert json_out("sql", "SELECT * FROM atlas") == [joined(r) for r in listed]


def test_tables_hold_every_row() -> None:
    sql = """SELECT (SELECT count(*) FROM staedte) AS staedte,
                    (SELECT count(*) FROM handlungsfelder) AS felder,
                    (SELECT count(*) FROM stadt_handlungsfelder) AS stadt_felder,
                    (SELECT count(*) FROM projekte) AS projekte,
                    (SELECT count(*) FROM netzwerke) AS netzwerke,
                    (SELECT count(*) FROM foerderprogramme) AS foerderprogramme,
                    (SELECT count(*) FROM links) AS links"""
    assert json_out("sql", sql) == [
        {
            "staedte": len(ROWS),
            "felder": 10,
            "stadt_felder": sum(len(fields_of(n)) for n in NAMES),
            "projekte": sum(len(items(r["projektbeispiele"])) for r in ROWS),
            **{t: sum(len(items(r[t])) for r in ROWS) for t in ("netzwerke", "foerderprogramme", "links")},
        }
    ]


# the README's three questions, answered by the oracle
PER_LAND = """SELECT s.bundesland, count(*) AS staedte, group_concat(s.stadt, ', ') AS namen
FROM staedte s JOIN stadt_handlungsfelder sh ON sh.stadt_id = s.id
JOIN handlungsfelder h ON h.id = sh.feld_id
WHERE h.name = 'Gesundheit' GROUP BY s.bundesland ORDER BY staedte DESC, s.bundesland"""
STAEDTETAG = """SELECT s.stadt, n.name AS netzwerk FROM netzwerke n JOIN staedte s ON s.id = n.stadt_id
WHERE n.name LIKE '%Städtetag%' ORDER BY s.stadt"""
BIGGEST = """SELECT stadt, einwohner, round(1.0 * einwohner / flaeche_km2) AS pro_km2 FROM atlas
WHERE handlungsfelder LIKE '%Gesundheit%' ORDER BY einwohner DESC LIMIT 3"""


def test_cities_per_bundesland_with_a_field() -> None:
    per_land: dict[str, list[str]] = {}
    for name in cities_with("Gesundheit"):
        per_land.setdefault(BY_NAME[name]["bundesland"], []).append(name)
    want = sorted(per_land.items(), key=lambda item: (-len(item[1]), item[0]))
    got = csv_rows(ok("sql", PER_LAND, "-f", "csv").stdout)
    assert [(r["bundesland"], int(r["staedte"]), sorted(r["namen"].split(", "))) for r in got] == [
        (land, len(names), sorted(names)) for land, names in want
    ]


def test_networks_named_like_a_text() -> None:
    want = sorted((r["stadt"], n) for r in ROWS for n in items(r["netzwerke"]) if "Städtetag" in n)
    assert [(r["stadt"], r["netzwerk"]) for r in json_out("sql", STAEDTETAG)] == want
    assert len({stadt for stadt, _ in want}) > 1


def test_biggest_cities_with_a_field() -> None:
    rows = sorted(
        (r for r in ROWS if "Gesundheit" in items(r["handlungsfelder"])), key=lambda r: -int(r["einwohner"])
    )
    want = [
        {
            "stadt": r["stadt"],
            "einwohner": int(r["einwohner"]),
            "pro_km2": float(round(int(r["einwohner"]) / int(r["flaeche_km2"]))),
        }
        for r in rows[:3]
    ]
    assert json_out("sql", BIGGEST) == want


# --- formats ------------------------------------------------------------------------------------


def parsed(fmt: str, out: str) -> list[list[str]]:
    """Header and rows of a flat output, as text."""
    if fmt == "csv":
        return list(csv.reader(io.StringIO(out, newline="")))
    if fmt == "tsv":
        return [line.split("\t") for line in out.split("\n")[:-1]]
    lines = out.splitlines()
    assert lines[1].replace(" ", "").strip("|").split("|")[0].startswith("---")
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in [lines[0], *lines[2:]]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format(fmt: str) -> None:
    out = ok("sql", BIG, "-f", fmt).stdout
    header = ["stadt", "einwohner", "flaeche_km2"]
    if fmt in ("json", "jsonl"):
        records = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
        assert records == [dict(zip(header, r, strict=True)) for r in BIG_ROWS]
    elif fmt == "table":
        lines = out.splitlines()
        assert lines[0].split() == ["stadt", "┃", "einwohner", "┃", "flaeche_km2"]
        assert [line.split()[::2] for line in lines[2:]] == [[str(c) for c in r] for r in BIG_ROWS]
    else:
        assert parsed(fmt, out) == [header, *[[str(c) for c in r] for r in BIG_ROWS]]
    assert len(BIG_ROWS) >= 3


VALUES = (
    "SELECT NULL AS nichts, 0.1 + 0.2 AS reell, 9007199254740993 AS gross, x'00ff10' AS blob, "
    "1e999 AS unendlich, -1e999 AS minus, 'a,b\"c' || char(10) || 'd' || char(9) || 'e' AS text"
)


def test_values_in_json() -> None:
    assert json_out("sql", VALUES) == [
        {
            "nichts": None,
            "reell": 0.30000000000000004,
            "gross": 9007199254740993,
            "blob": "X'00FF10'",
            "unendlich": "Infinity",
            "minus": "-Infinity",
            "text": 'a,b"c\nd\te',
        }
    ]
    out = ok("sql", VALUES, "-f", "jsonl").stdout
    assert json.loads(out) == json_out("sql", VALUES)[0]


def test_values_in_csv_and_tsv() -> None:
    want = [
        "",
        "0.30000000000000004",
        "9007199254740993",
        "X'00FF10'",
        "Infinity",
        "-Infinity",
        'a,b"c\nd\te',
    ]
    assert list(csv_rows(ok("sql", VALUES, "-f", "csv").stdout)[0].values()) == want
    tsv = ok("sql", VALUES, "-f", "tsv").stdout.split("\n")
    assert tsv[1].split("\t") == [*want[:-1], 'a,b"c\\nd\\te']  # escaped, never raw


def test_values_in_the_table() -> None:
    out = ok("sql", "SELECT NULL AS n, 2.5 AS r, x'0a' AS b, 'text' AS t", env={"COLUMNS": "100"}).stdout
    assert out.splitlines()[2].split() == ["NULL", "│", "2.5", "│", "X'0A'", "│", "text"]


def test_repeated_column_names_stay_apart() -> None:
    sql = (
        "SELECT s.id, p.id, p.id AS id_2, s.stadt AS name, p.name"
        " FROM staedte s JOIN projekte p ON p.stadt_id = s.id LIMIT 1"
    )
    (record,) = json_out("sql", sql)
    assert list(record) == ["id", "id_2", "id_2_2", "name", "name_2"]
    assert next(csv.reader(io.StringIO(ok("sql", sql, "-f", "csv").stdout))) == list(record)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_rows(fmt: str) -> None:
    result = ok("sql", "SELECT stadt, einwohner FROM staedte WHERE einwohner < 0", "-f", fmt)
    expected = {
        "table": "",
        "csv": "stadt,einwohner\n",
        "tsv": "stadt\teinwohner\n",
        "json": "[]\n",
        "jsonl": "",
        "markdown": "| stadt | einwohner |\n| --- | ---: |\n",
    }
    assert result.stdout == expected[fmt]
    assert result.stderr == ("atlas: no rows\n" if fmt == "table" else "")


def test_excel_safe_applies_to_csv_and_tsv() -> None:
    sql = "SELECT '=1+1' AS formel, '@x' AS at, -5 AS zahl, '-5' AS zahltext, 'ok' AS text"
    for fmt in ("csv", "tsv"):
        out = ok("--excel-safe", "sql", sql, "-f", fmt).stdout
        cells = out.splitlines()[1].split("," if fmt == "csv" else "\t")
        assert cells == ["'=1+1", "'@x", "-5", "-5", "ok"]
    assert json.loads(ok("--excel-safe", "sql", sql, "-f", "json").stdout)[0]["formel"] == "=1+1"


def test_terminal_text_is_data_not_markup() -> None:
    evil = "\x1b[31mrot\x1b[0m [bold]fett[/] \u202eumgedreht"
    result = ok("sql", f"SELECT '{evil}' AS \"[link=x]k\x1b[2J\"", env={"COLUMNS": "100"})
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "[31mrot[0m [bold]fett[/] umgedreht" in result.stdout
    assert "[link=x]k[2J" in result.stdout
    raw = ok("sql", f"SELECT '{evil}' AS x", "-f", "json").stdout
    assert json.loads(raw) == [{"x": evil}]  # machine formats keep the value byte-exact


@pytest.mark.parametrize("width", [20, 60, 100])
def test_a_wide_result_is_shown_row_by_row(width: int) -> None:
    out = ok(
        "sql", "SELECT * FROM atlas WHERE stadt IN ('Bonn', 'Münster')", env={"COLUMNS": str(width)}
    ).stdout
    from rich.cells import cell_len

    assert max(cell_len(line) for line in out.splitlines()) <= width
    if width >= 60:
        firsts = [line.split("│")[0].strip() for line in out.splitlines() if "│" in line]
        assert [f for f in firsts if f] == COLUMNS * 2
        assert "Münster" in out and "325490" in out


# --- refusals and errors ------------------------------------------------------------------------

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
    line = failure("sql", sql)
    assert line.startswith("atlas: the atlas is read-only: "), line
    assert WRITES[sql] in line
    assert list(tmp_path.iterdir()) == []  # ATTACH and VACUUM INTO made no file


def test_a_refusal_changes_nothing() -> None:
    db = database_of(load_atlas())
    before = db.execute("SELECT * FROM atlas").fetchall()
    for sql in WRITES:
        with pytest.raises(SqlError):
            run_query(db, sql)
    assert list(run_query(db, "SELECT * FROM atlas").rows) == before


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("SELECT 1; SELECT 2", "one statement at a time"),
        ("SELECT 1; DROP TABLE staedte", "one statement at a time"),
        ("SELEC stadt FROM atlas", 'SQL error: near "SELEC": syntax error'),
        ("SELECT stadt FROM nirgends", "SQL error: no such table: nirgends"),
        ("SELECT farbe FROM staedte", "SQL error: no such column: farbe"),
        ("SELECT ?", "SQL error: Incorrect number of bindings"),
        ("SELECT 'a\nb", "SQL error: unrecognized token"),  # SQLite quotes the newline back
        ("", "no SQL given"),
        ("   \n ", "no SQL given"),
        ("-- nur ein Kommentar", "no statement"),
        (";", "no statement"),
    ],
)
def test_errors_are_one_line(sql: str, words: str) -> None:
    assert words in failure("sql", "--", sql)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_error_after_the_first_rows_is_one_line_too(fmt: str) -> None:
    """SQLite can fail at any row; machine output is streamed, so the rows before it may be out."""
    result = run("sql", "SELECT id, CASE WHEN id = 3 THEN json('x') ELSE id END AS j FROM staedte", "-f", fmt)
    assert result.exit_code == 1
    assert result.stderr == "atlas: SQL error: malformed JSON\n"
    assert "3" not in result.stdout


def test_a_statement_may_end_with_a_semicolon_and_a_comment() -> None:
    assert json_out("sql", "SELECT count(*) AS n FROM staedte; -- alle") == [{"n": len(ROWS)}]


def test_reading_the_schema_is_allowed() -> None:
    names = [r["name"] for r in json_out("sql", "SELECT name FROM pragma_table_info('staedte')")]
    assert names == [
        "id",
        *[
            c
            for c in COLUMNS
            if c in ("stadt", "bundesland", "einwohner", "flaeche_km2", "organisation", "strategie")
        ],
    ]
    assert [r["name"] for r in json_out("sql", "PRAGMA table_info(handlungsfelder)")] == ["id", "name"]
    tables = {r["name"] for r in json_out("sql", "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {
        "staedte",
        "handlungsfelder",
        "stadt_handlungsfelder",
        "projekte",
        "projekt_handlungsfelder",
        "netzwerke",
        "foerderprogramme",
        "links",
        "staedte_fts",  # and the tables FTS5 keeps it in
        *[f"staedte_fts_{part}" for part in ("data", "idx", "content", "docsize", "config")],
    }
    recursive = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3) SELECT x FROM n"
    assert json_out("sql", recursive) == [{"x": 1}, {"x": 2}, {"x": 3}]


def test_the_query_needs_an_argument() -> None:
    assert run("sql").exit_code == 2


# --- one schema, one writer ---------------------------------------------------------------------


def test_the_exported_file_is_the_database_queried(tmp_path: Path) -> None:
    path = tmp_path / "atlas.db"
    ok("export", "--sqlite", str(path))
    file = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        schema = file.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
        assert json_out("sql", "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name") == [
            dict(zip(["type", "name", "tbl_name", "sql"], row, strict=True)) for row in schema
        ]
        for kind, name, _, _ in schema:
            if kind in ("table", "view") and not name.startswith("staedte_fts_"):  # FTS5's own blobs
                cursor = file.execute(f"SELECT * FROM {name}")
                header = [d[0] for d in cursor.description]
                want = [dict(zip(header, row, strict=True)) for row in cursor]
                assert json_out("sql", f"SELECT * FROM {name}") == want, name
    finally:
        file.close()


# --- Ctrl-C -------------------------------------------------------------------------------------


def test_ctrl_c_stops_a_runaway_query() -> None:
    endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
    process = subprocess.Popen(
        [atlas_program(), "sql", endless, "-f", "csv"],
        env=process_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.5)  # well into the query
    assert process.poll() is None
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert time.monotonic() - started < 5
    assert process.returncode == 130
    assert out == b"" and b"Traceback" not in err


# --- any text as SQL ----------------------------------------------------------------------------

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


@PROPERTY
@given(SQLISH)
def test_any_text_as_sql_is_an_answer_or_one_line(sql: str) -> None:
    result = run("sql", "-f", "csv", "--", sql)
    assert result.exit_code in (0, 1, 2), (sql, result)
    if result.exit_code == 1:
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("atlas: "), (
            sql,
            result.stderr,
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

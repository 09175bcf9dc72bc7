"""Hand-off: atlas TSV read by other tools with the settings the README gives. The README's own
Python snippets are run here (csv module always, pandas when installed), so what it tells a
reader is what is tested; the oracle is the CSV and JSON output read with default settings."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from harness import json_out, ok

PANDAS = "pandas (ESCAPES as above)"  # the snippet's title in the README
README = Path(__file__).resolve().parent.parent / "README.md"
ODD = (
    "SELECT 'a' || char(9) || 'b' AS tab, 'x' || char(10) || 'y' || char(13) AS lines,"
    " '\"quoted\" » and a \\ backslash' AS odd, '\\t is not a tab' AS literal, '' AS empty, 7 AS n"
)


def snippet(title: str) -> str:
    """The README's code after the ``# TITLE`` line of the TSV readers' block, up to the next one."""
    text = README.read_text(encoding="utf-8")
    block = text[text.index("### Reading atlas TSV in other tools") :]
    block = block[block.index("```text\n") + 8 : block.index("```\n", block.index("```text\n") + 8)]
    parts = re.split(r"^# (.+)\n", block, flags=re.MULTILINE)
    found = dict(zip(parts[1::2], parts[2::2], strict=True))
    return found[title]


def read_with_readme(title: str, tsv: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    (tmp_path / "atlas.tsv").write_text(tsv, encoding="utf-8", newline="")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(snippet("Python, csv module"), namespace)  # the README's code, run as a reader would
    if title != "Python, csv module":
        exec(snippet(title), namespace)
    return namespace


def test_the_csv_module_reads_the_cities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = read_with_readme("Python, csv module", ok("list", "-f", "tsv").stdout, tmp_path, monkeypatch)[
        "rows"
    ]
    oracle = list(csv.reader(io.StringIO(ok("list", "-f", "csv").stdout)))
    assert rows == oracle
    assert len(rows) == 1 + len(json_out("list"))


def test_the_csv_module_reads_escapes_and_quotes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tsv = ok("sql", ODD, "-f", "tsv").stdout
    assert '"' in tsv and "\\t" in tsv  # a quote as it is, a tab escaped
    rows = read_with_readme("Python, csv module", tsv, tmp_path, monkeypatch)["rows"]
    (record,) = json_out("sql", ODD)
    assert rows[0] == list(record)
    assert rows[1] == [str(v) for v in record.values()]


def test_pandas_reads_the_cities(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    df = read_with_readme(PANDAS, ok("list", "-f", "tsv").stdout, tmp_path, monkeypatch)["df"]
    records = json_out("list")
    assert list(df["stadt"]) == [r["stadt"] for r in records]
    assert list(df["einwohner"]) == [r["einwohner"] for r in records]  # numbers as numbers
    oracle = list(csv.reader(io.StringIO(ok("list", "-f", "csv").stdout)))
    assert [[str(v) for v in row] for row in df.itertuples(index=False)] == oracle[1:]


def test_pandas_reads_escapes_and_quotes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    df = read_with_readme(
        "pandas (ESCAPES as above)", ok("sql", ODD, "-f", "tsv").stdout, tmp_path, monkeypatch
    )["df"]
    (record,) = json_out("sql", ODD)
    assert df.to_dict("records") == [record]


# --- atlas schema and the SQLite export: what other tools are told, checked against the loader ---


def schema() -> Any:
    return json.loads(ok("schema").stdout)


def test_the_schema_reads_the_bundled_atlas_as_the_loader_does() -> None:
    """Each TSV cell read only by what ``atlas schema`` says (dialect, type, separator) is the
    value the loader gives (``list -f json``)."""
    tsv = schema()["tsv"]
    dialect = tsv["dialect"]
    assert dialect["quote_char"] is None
    text = resources.files("atlascli").joinpath("data/atlas.tsv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=dialect["delimiter"], quoting=csv.QUOTE_NONE))
    stored = [c for c in tsv["columns"] if c["in_tsv"]]
    assert rows[0] == [c["name"] for c in stored]
    records = json_out("list")
    assert len(rows) - 1 == len(records)
    for row, record in zip(rows[1:], records, strict=True):
        for column, cell in zip(stored, row, strict=True):
            want = record[column["name"]]
            if column["type"] == "integer":
                assert int(cell) == want
            elif column["type"] == "list":
                items = [i.strip() for i in cell.split(column["separator"].strip())] if cell.strip() else []
                if column["items"] == "projekt":
                    want = [
                        p["name"]
                        + (
                            f" ({column['project_fields_separator'].join(p['handlungsfelder'])})"
                            if p["handlungsfelder"]
                            else ""
                        )
                        for p in want
                    ]
                assert items == want, column["name"]
            else:
                assert cell.strip() == want
    derived = [c["name"] for c in tsv["columns"] if not c["in_tsv"]]
    assert derived == ["einwohner_pro_km2"]  # computed, never in the file


def test_the_schema_is_the_exported_database(tmp_path: Path) -> None:
    path = tmp_path / "atlas.db"
    ok("export", "--sqlite", str(path))
    db = sqlite3.connect(path)
    try:
        for name, table in schema()["sqlite"].items():
            info = [(r[1], r[2] or None) for r in db.execute(f"PRAGMA table_info({name})")]
            assert info == [(c["name"], c["type"]) for c in table["columns"]], name
        named = {
            n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'staedte_fts_%'")
        }
        assert {
            n for n in named if not n.startswith("sqlite_") and "_stadt" not in n and "_feld" not in n
        } == set(schema()["sqlite"])
    finally:
        db.close()


def test_the_export_has_a_full_text_table_datasette_can_search(tmp_path: Path) -> None:
    path = tmp_path / "atlas.db"
    ok("export", "--sqlite", str(path))
    tables = schema()["datasette"]["databases"]["atlas"]["tables"]
    staedte = tables["staedte"]
    db = sqlite3.connect(path)
    try:
        columns = [r[1] for r in db.execute("PRAGMA table_info(staedte)")]
        assert staedte["label_column"] in columns
        assert staedte["fts_pk"] == "id" and columns[0] == "id"
        fts = staedte["fts_table"]
        (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (fts,)).fetchone()
        assert "fts5" in sql.lower()
        # every city once, under its id
        pairs = db.execute(
            f"SELECT s.stadt, f.stadt FROM {fts} f JOIN staedte s ON s.id = f.rowid"
        ).fetchall()
        assert sorted(a for a, _ in pairs) == sorted(r["stadt"] for r in json_out("list"))
        assert all(a == b for a, b in pairs)
        # what Datasette's search box runs: the cities whose text holds the word, umlauts folded
        for word in ("lorawan", "Städtetag", "munster"):
            search = f"SELECT stadt FROM staedte WHERE id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)"
            found = {s for (s,) in db.execute(search, (word,))}
            want = {
                r["stadt"]
                for r in json_out("list")
                if re.search(rf"\b{fold(word)}\b", fold(json.dumps(r, ensure_ascii=False)))
            }
            assert found == want and found, word
    finally:
        db.close()


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()


def test_the_datasette_metadata_alone(tmp_path: Path) -> None:
    metadata = json.loads(ok("schema", "--datasette", "--database", "staedte_atlas").stdout)
    assert metadata == {"databases": {"staedte_atlas": schema()["datasette"]["databases"]["atlas"]}}

"""Hand-off: atlas TSV read by other tools with the settings the README gives. The README's own
Python snippets are run here (csv module always, pandas when installed), so what it tells a
reader is what is tested; the oracle is the CSV and JSON output read with default settings."""

from __future__ import annotations

import csv
import io
import re
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

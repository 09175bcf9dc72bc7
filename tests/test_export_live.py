"""Issue 13, case 1: ``export --sqlite FILE --force`` over a live or broken database, a folder
name, and interrupted exports."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from harness import atlas_program, process_env, run


def _old_database(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE old (x)")
        db.execute("INSERT INTO old VALUES (1)")
    db.close()


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_force_refuses_a_file_with_a_journal_beside_it(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / "atlas.db"
    _old_database(target)
    Path(f"{target}{suffix}").write_bytes(b"\0" * 512)
    result = run("export", "--sqlite", str(target), "--force")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and f"atlas.db{suffix}" in result.stderr
    with sqlite3.connect(target) as db:  # the old file is untouched
        assert db.execute("SELECT x FROM old").fetchall() == [(1,)]
    db.close()


def test_force_refuses_a_database_locked_by_another_process(tmp_path: Path) -> None:
    target = tmp_path / "atlas.db"
    _old_database(target)
    holder = sqlite3.connect(target, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        result = run("export", "--sqlite", str(target), "--force")
    finally:
        holder.close()
    assert result.exit_code == 1
    assert "open in another process" in result.stderr


def test_a_live_wal_database_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "atlas.db"
    reader = sqlite3.connect(target, isolation_level=None)
    try:
        reader.execute("PRAGMA journal_mode = WAL")
        reader.execute("CREATE TABLE t (x)")
        result = run("export", "--sqlite", str(target), "--force")
    finally:
        reader.close()
    assert result.exit_code == 1


def test_a_name_ending_in_a_slash_is_refused(tmp_path: Path) -> None:
    result = run("export", "--sqlite", f"{tmp_path}/newdir/")
    assert result.exit_code == 1
    assert "names a folder" in result.stderr
    assert not (tmp_path / "newdir").exists()


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    result = run("export", "--sqlite", str(tmp_path / "missing" / "atlas.db"))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr


def test_force_replaces_a_plain_old_database(tmp_path: Path) -> None:
    target = tmp_path / "atlas.db"
    _old_database(target)
    assert run("export", "--sqlite", str(target), "--force").exit_code == 0
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM staedte").fetchone() == (20,)
    db.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.db"]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_export_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    data = tmp_path / "big.tsv"
    from oracle import base_rows, write_rows

    rows = base_rows()
    many = [[f"Stadt{i}", *row[1:]] for i in range(3000) for row in rows[:1]]
    write_rows(data, many)
    target = tmp_path / "out.db"
    process = subprocess.Popen(
        [atlas_program(), "--no-cache", "--data", str(data), "export", "--sqlite", str(target)],
        env=process_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(p.name.endswith(".tmp") for p in tmp_path.iterdir()):
        if process.poll() is not None:
            break
        time.sleep(0.002)
    process.send_signal(signum)
    process.wait(timeout=60)
    left = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("big.tsv",))
    assert left in ([], ["out.db"])  # removed, or the export had finished

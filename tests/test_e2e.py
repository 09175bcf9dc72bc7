"""End-to-end tests: the installed ``atlas`` program in real subprocesses, from a foreign directory.

Covers what an in-process runner cannot: closed pipes (``atlas ... | head -1``), a stdout that
cannot encode umlauts, real exit codes and ``python -m atlascli``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from harness import atlas, atlas_program, process_env, python_m_atlascli

import atlascli

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "atlas.tsv"


@pytest.fixture
def big_atlas(tmp_path: Path) -> Path:
    """The atlas many times over, cities renamed apart: output far larger than a pipe's capacity."""
    header, *rows = DATA.read_text(encoding="utf-8").splitlines()
    lines = [header]
    copies = 10 if sys.platform.startswith("linux") else 60  # elsewhere the pipe holds 64 KiB
    for copy in range(copies):
        for row in rows:
            stadt, rest = row.split("\t", 1)
            lines.append(f"{stadt} {copy}\t{rest}")
    path = tmp_path / "big.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- a closed pipe ends quietly -----------------------------------------------------------------


def _small_pipe() -> tuple[int, int, int]:
    """A pipe (read end, write end, capacity); on Linux shrunk to one page so output overflows it."""
    read_fd, write_fd = os.pipe()
    size = 65536
    if sys.platform.startswith("linux"):
        import fcntl

        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, 4096)
        size = fcntl.fcntl(write_fd, fcntl.F_GETPIPE_SZ)
    return read_fd, write_fd, size


def head_one(args: list[str], cwd: Path) -> tuple[bytes, int, bytes]:
    """``atlas ARGS | head -1``: read one line of the output, close the pipe, wait for atlas.

    Fails unless the whole output is well over the pipe's capacity, so that atlas is still writing
    when the reader goes away and really meets a broken pipe.
    """
    full = atlas(*args, cwd=cwd)
    assert full.returncode == 0, full.stderr
    read_fd, write_fd, capacity = _small_pipe()
    assert len(full.stdout_bytes) > 2 * capacity, "output too small to break the pipe"
    try:
        process = subprocess.Popen(
            [atlas_program(), *args], cwd=cwd, env=process_env(), stdout=write_fd, stderr=subprocess.PIPE
        )
    finally:
        os.close(write_fd)
    with os.fdopen(read_fd, "rb") as reader:
        first = reader.readline()
    assert process.stderr is not None
    err = process.stderr.read()
    process.stderr.close()
    return first, process.wait(timeout=60), err


@pytest.mark.parametrize(
    ("fmt", "first_line"),
    [
        ("table", "Stadt"),
        ("csv", "stadt,bundesland,einwohner"),
        ("tsv", "stadt\tbundesland\teinwohner"),
        ("json", "["),
        ("jsonl", '{"stadt": "Aachen 0"'),
        ("markdown", "| stadt | bundesland |"),
    ],
)
def test_head_one_on_large_output_is_quiet(
    big_atlas: Path, tmp_path: Path, fmt: str, first_line: str
) -> None:
    first, code, err = head_one(["--data", str(big_atlas), "list", "-f", fmt], tmp_path)
    assert first.decode().startswith(first_line)
    assert err == b"", err.decode(errors="replace")
    assert code == 0


@pytest.mark.parametrize("fmt", ["table", "jsonl"])
def test_head_one_search_on_large_output(big_atlas: Path, tmp_path: Path, fmt: str) -> None:
    first, code, err = head_one(["--data", str(big_atlas), "search", "a", "-f", fmt], tmp_path)
    assert first
    assert (code, err) == (0, b"")


@pytest.mark.parametrize(
    "args",
    [
        ["list", "-f", "json"],
        ["list", "-f", "jsonl"],
        ["list", "-f", "csv"],
        ["list", "-f", "markdown"],
        ["list", "--columns", "stadt,organisation,strategie,netzwerke"],
        ["compare", "Aachen", "Augsburg", "Bonn", "Braunschweig", "Chemnitz", "Darmstadt"],
        ["compare", "Aachen", "Augsburg", "Bonn", "Braunschweig", "Chemnitz", "Darmstadt", "-f", "json"],
    ],
)
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pipe shrunk with F_SETPIPE_SZ")
def test_head_one_on_bundled_atlas(tmp_path: Path, args: list[str]) -> None:
    first, code, err = head_one(args, tmp_path)
    assert first
    assert err == b"", err.decode(errors="replace")
    assert code == 0


# --- a stdout that cannot encode umlauts --------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_unencodable_stdout_table(tmp_path: Path, encoding: str) -> None:
    result = atlas("show", "Münster", cwd=tmp_path, env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 0, result.stderr
    assert "nster" in result.stdout
    assert "Nordrhein-Westfalen" in result.stdout


def test_unencodable_stdout_csv(tmp_path: Path) -> None:
    result = atlas("list", "-f", "csv", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 20


def test_unencodable_stdout_json_stays_lossless(tmp_path: Path) -> None:
    result = atlas("show", "Münster", "-f", "json", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.isascii()
    assert json.loads(result.stdout)["stadt"] == "Münster"


@pytest.mark.parametrize(
    "args",
    [["list"], ["compare", "Bonn", "Münster"], ["search", "Städtetag"], ["filter", "--feld", "mobilitaet"]],
)
def test_unencodable_stdout_other_tables(tmp_path: Path, args: list[str]) -> None:
    result = atlas(*args, cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert result.stdout


def test_unencodable_stderr_note(tmp_path: Path) -> None:
    result = atlas("show", "Münstr", "-f", "csv", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0
    assert "showing" in result.stderr


def test_lang_c_is_fine(tmp_path: Path) -> None:
    result = atlas(
        "show",
        "Münster",
        "-f",
        "json",
        cwd=tmp_path,
        env={"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": None, "PYTHONUTF8": None},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["stadt"] == "Münster"


# --- exit codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["show", "Bonn"], 0),
        (["list", "-f", "csv"], 0),
        (["filter", "--feld", "Gesundheit", "-b", "BY", "-f", "csv"], 0),  # an empty result is a success
        (["search", "Quantenschaumschlaeger"], 0),
        (["show", "Atlantis"], 1),
        (["show", "d"], 1),
        (["compare", "Bonn", "Atlantis"], 1),
        (["list", "--bogus"], 2),
        (["list", "-f", "xml"], 2),
        (["filter", "--feld", "Raumfahrt"], 2),
        (["compare", "Bonn"], 2),
        (["nosuchcommand"], 2),
    ],
)
def test_exit_codes(tmp_path: Path, args: list[str], code: int) -> None:
    result = atlas(*args, cwd=tmp_path)
    assert result.returncode == code, (result.stdout, result.stderr)
    if code:
        assert result.stderr.strip()
        assert result.stdout == ""


def test_errors_go_to_stderr_data_to_stdout(tmp_path: Path) -> None:
    result = atlas("show", "Oldenbrug", "-f", "csv", cwd=tmp_path)
    assert result.returncode == 0
    assert "showing Oldenburg" in result.stderr
    assert "showing" not in result.stdout
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["stadt"] for r in rows] == ["Oldenburg"]


def test_missing_data_file(tmp_path: Path) -> None:
    result = atlas("--data", "nope.tsv", "list", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "nope.tsv" in result.stderr


def test_atlas_data_environment_variable(tmp_path: Path) -> None:
    header, *rows = DATA.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "two.tsv"
    path.write_text("\n".join([header, *rows[:2]]) + "\n", encoding="utf-8")
    result = atlas("list", "-f", "json", cwd=tmp_path, env={"ATLAS_DATA": str(path)})
    assert result.returncode == 0
    assert [r["stadt"] for r in json.loads(result.stdout)] == [r.split("\t")[0] for r in rows[:2]]


def test_bundled_data_works_from_any_directory(tmp_path: Path) -> None:
    result = atlas("list", "-f", "jsonl", cwd=tmp_path)
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 20


# --- version and python -m ----------------------------------------------------------------------


def test_version(tmp_path: Path) -> None:
    result = atlas("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"atlas {atlascli.__version__}"


def test_python_m_atlascli(tmp_path: Path) -> None:
    result = python_m_atlascli("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"atlas {atlascli.__version__}"


def test_python_m_atlascli_runs_commands(tmp_path: Path) -> None:
    result = python_m_atlascli("show", "Atlantis", cwd=tmp_path)
    assert result.returncode == 1
    assert "Atlantis" in result.stderr


def test_help_without_arguments(tmp_path: Path) -> None:
    result = atlas(cwd=tmp_path)
    assert "Usage" in result.stdout + result.stderr
    assert result.returncode in (0, 2)


# --- the executable's short exit (cli.console: no interpreter teardown) --------------------------


def test_the_whole_of_a_large_output_arrives(big_atlas: Path, tmp_path: Path) -> None:
    """The process ends with os._exit once its output is flushed: nothing may be left in a buffer."""
    result = atlas("--data", str(big_atlas), "list", "-f", "jsonl", cwd=tmp_path)
    assert result.returncode == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 200
    assert records[-1]["stadt"] == "Wuppertal 9"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["show", "Darmstadt", "-f", "json"], ["show", "Darmstadt"], ["list"]])
def test_a_full_disk_is_an_error_not_silence(tmp_path: Path, args: list[str]) -> None:
    with Path("/dev/full").open("w", encoding="utf-8") as full:
        result = subprocess.run(
            [atlas_program(), *args],
            cwd=tmp_path,
            env=process_env(),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 1
    assert "No space left on device" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr

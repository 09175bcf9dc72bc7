"""End-to-end tests: the installed ``atlas`` program in real subprocesses, from a foreign directory.

Covers what an in-process runner cannot: closed pipes (``atlas ... | head -1``), a stdout that
cannot encode umlauts, real exit codes and ``python -m atlascli``.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from harness import atlas, atlas_program, csv_rows, ok, process_env, python_m_atlascli, spawn
from oracle import NAMES, base_rows, write_rows

import atlascli

LINUX = sys.platform.startswith("linux")
COPIES = 30 if LINUX else 120  # elsewhere the pipe cannot be shrunk and holds 64 KiB


@pytest.fixture(scope="module")
def big_atlas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The atlas COPIES times over, cities renamed apart: output far larger than a pipe's capacity."""
    rows = [[f"{stadt} {copy}", *rest] for copy in range(COPIES) for stadt, *rest in base_rows()]
    return write_rows(tmp_path_factory.mktemp("big") / "big.tsv", rows)


# --- a closed pipe ends quietly -----------------------------------------------------------------
#
# ``atlas ... | head -1``: the reader takes the first line and goes away while atlas is still
# writing. Each case first checks that the output is at least four times the pipe's capacity (a
# pipe shrunk to one page on Linux), so atlas really is blocked writing when the pipe closes.

ENTRY_POINTS: dict[str, Callable[[], list[str]]] = {
    "atlas": lambda: [atlas_program()],
    "python -m atlascli": lambda: [sys.executable, "-m", "atlascli"],
}


def _small_pipe() -> tuple[int, int, int]:
    """A pipe (read end, write end, capacity); on Linux shrunk to one page so output overflows it."""
    read_fd, write_fd = os.pipe()
    size = 65536
    if LINUX:
        import fcntl

        fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, 4096)
        size = fcntl.fcntl(write_fd, fcntl.F_GETPIPE_SZ)
    return read_fd, write_fd, size


def assert_head_one_is_quiet(entry: str, args: list[str], cwd: Path) -> None:
    """Run ARGS through ENTRY with stdout into a small pipe, read exactly one line, close the pipe:
    the reader got the first line of the output, atlas exits 0 and writes nothing to stderr."""
    expected = ok(*args).stdout_bytes  # the whole output, in-process: same environment, same bytes
    read_fd, write_fd, capacity = _small_pipe()
    assert len(expected) >= 4 * capacity, f"{len(expected)} bytes cannot outlast a {capacity}-byte pipe"
    try:
        process = subprocess.Popen(
            [*ENTRY_POINTS[entry](), *args],
            cwd=cwd,
            env=process_env(),
            stdin=subprocess.DEVNULL,
            stdout=write_fd,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(write_fd)
    with os.fdopen(read_fd, "rb", buffering=0) as reader:
        first = reader.readline()  # unbuffered: not one byte beyond the first line is taken
    assert process.stderr is not None
    err = process.stderr.read()
    process.stderr.close()
    code = process.wait(timeout=60)
    assert first == expected.splitlines(keepends=True)[0]
    assert err == b"", err.decode(errors="replace")  # no "Exception ignored ... BrokenPipeError"
    assert code == 0


BIG = "BIG"  # stands for ``--data big_atlas``
TEN_CITIES = [
    "Aachen", "Augsburg", "Bonn", "Braunschweig", "Chemnitz",
    "Darmstadt", "Dortmund", "Dresden", "Duisburg", "Freiburg",
]  # fmt: skip
# Written in many writes (record by record): atlas writes again after the reader has gone, meets
# EPIPE, and only the broken-pipe handler keeps that quiet.
STREAMED = [
    [BIG, "list", "-f", "csv"],
    [BIG, "list", "-f", "tsv"],
    [BIG, "list", "-f", "json"],
    [BIG, "list", "-f", "jsonl"],
    [BIG, "list", "-f", "markdown"],
    [BIG, "search", "a", "-f", "jsonl"],
    [BIG, "matrix", "-f", "csv"],
    [BIG, "filter", "--feld", "Bildung", "-f", "json"],
    ["list", "-f", "json"],
    ["list", "-f", "jsonl"],
    ["list", "-f", "csv"],
    ["list", "-f", "markdown"],
]
# Written in one write (a Rich table, one JSON document): CPython gives up the rest of a write the
# closed pipe cut short without an error, so these do not reach the handler; they check that a
# closed pipe neither kills atlas (SIGPIPE left ignored) nor makes it print anything.
ONE_WRITE = [
    [BIG, "list"],
    [BIG, "search", "a"],
    [BIG, "stats", "-f", "json"],
    ["list", "--columns", "stadt,organisation,strategie,netzwerke"],
    ["compare", *TEN_CITIES],
    ["compare", *TEN_CITIES, "-f", "json"],
]


def _args(case: list[str], big_atlas: Path) -> list[str]:
    if case[0] != BIG:
        if not LINUX:
            pytest.skip("the bundled atlas outlasts only a pipe shrunk with F_SETPIPE_SZ")
        return case
    return ["--data", str(big_atlas), *case[1:]]


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
@pytest.mark.parametrize("case", STREAMED, ids=" ".join)
def test_head_one_on_streamed_output(big_atlas: Path, tmp_path: Path, case: list[str], entry: str) -> None:
    assert_head_one_is_quiet(entry, _args(case, big_atlas), tmp_path)


@pytest.mark.parametrize("case", ONE_WRITE, ids=" ".join)
def test_head_one_on_output_written_at_once(big_atlas: Path, tmp_path: Path, case: list[str]) -> None:
    assert_head_one_is_quiet("atlas", _args(case, big_atlas), tmp_path)


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_head_1_in_a_shell_pipeline(big_atlas: Path, tmp_path: Path, entry: str) -> None:
    """A real ``| head -1`` with the system's own pipe (64 KiB on Linux); with pipefail the status
    is atlas's own, so a death by SIGPIPE (141) fails. (With so large a pipe atlas's few large
    writes are cut short rather than refused: this does not reach the broken-pipe handler.)"""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("needs bash for pipefail")
    command = " ".join(shlex.quote(a) for a in [*ENTRY_POINTS[entry](), "--data", str(big_atlas)])
    expected = ok("--data", str(big_atlas), "list", "-f", "csv").stdout_bytes
    assert len(expected) >= 4 * 65536
    result = spawn([bash, "-c", f"set -o pipefail; {command} list -f csv | head -1"], cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout_bytes == expected.splitlines(keepends=True)[0]
    assert result.stderr_bytes == b""


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
    rows = csv_rows(result.stdout)
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
    rows = csv_rows(result.stdout)
    assert [r["stadt"] for r in rows] == ["Oldenburg"]


def test_atlas_data_environment_variable(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "two.tsv", base_rows()[:2])
    result = atlas("list", "-f", "json", cwd=tmp_path, env={"ATLAS_DATA": str(path)})
    assert result.returncode == 0
    assert [r["stadt"] for r in json.loads(result.stdout)] == NAMES[:2]


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
    assert len(records) == 20 * COPIES
    assert records[-1]["stadt"] == f"Wuppertal {COPIES - 1}"


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

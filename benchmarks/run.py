"""Time whole ``atlas`` processes against references measured in the same run.

    python benchmarks/run.py                 # bundled atlas, 21 rounds
    python benchmarks/run.py --quick         # smoke run, 3 rounds
    python benchmarks/run.py --scale         # ... and synthetic atlases of 10,000 and 100,000 cities
    python benchmarks/run.py --write         # ... and put the tables into benchmarks/RESULTS.md
    python benchmarks/run.py --previous /path/to/old/venv/bin/atlas

References: the interpreter's floor (``python -c pass``), csvkit's ``csvgrep`` answering the same
question on the same file, at scale DuckDB's command-line shell answering it straight from the TSV
(both installed into ``benchmarks/.venv-bench``, created on first use), and optionally a previous
release of ``atlas``. Each command runs once to warm up, then all commands run in interleaved rounds;
the tables report median wall-clock times, their ratios against the goals of issues 6 and 11, and the
peak memory (max RSS) of each ``atlas`` process.

Goals are reported, not enforced: the exit status is 0 unless a benchmarked command fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "benchmarks"
BENCH_VENV = HERE / ".venv-bench"
WORK = HERE / ".work"
RESULTS = HERE / "RESULTS.md"
GENERATOR = HERE / "generate.py"
BUNDLED_TSV = "data/atlas.tsv"  # relative to ROOT, where every command runs

ROUNDS = 21  # the bundled commands take ~0.1 s and the machines are noisy: more rounds, steadier medians
QUICK_ROUNDS = 3
SCALE_ROUNDS = 3
SCALE_SIZES = (10_000, 100_000)
SCALE_SEED = 1
SLOW_S = 60.0  # a command whose warm-up takes longer is not repeated: its one run is reported
KIB_PER_MIB = 1024  # ru_maxrss is in KiB on Linux

FELD = "Gesundheit"
CITY = "Darmstadt"
PAIR = ("Bonn", "Münster")
WORD = "Luftreinhaltung"
RSS_GOAL_MIB = 60.0
SCALE_RSS_FACTOR = 3.0  # issue 11: peak memory of any command at most 3x the file's size
GROWTH_GOAL = 12.0
DUCKDB_CLI = "duckdb-cli==1.5.6"  # pinned: the reference should not move between runs
DUCKDB_GOAL = 1.0  # issue 11: every warm question at most as slow as DuckDB's shell ...
FIRST_RUN_GOAL = 3.0  # ... and the first run on a new file (building atlas's cache) at most 3x
# `show NAME-WITH-ONE-TYPO` at scale: one letter dropped from a generated name that has no close
# siblings. A typo in a numbered name ("Wuppertal an der Heide 735509") is refused at 100,000 cities
# (with suggestions) because other numbered names of the same stem lie within the fuzzy margin.
TYPO_CITY = "Hohen-Wuppertal an der Heide"
TYPO = "Hohen-Wupertal an der Heide"
SQL_QUERY = (
    "SELECT stadt, einwohner FROM atlas WHERE bundesland = 'Bayern' AND einwohner >= 500000 "
    "ORDER BY einwohner DESC, stadt"
)


class CommandFailed(Exception):
    def __init__(self, command: Command, code: int, stderr: str) -> None:
        super().__init__(f"{command.shown} exited with {code}")
        self.command = command
        self.code = code
        self.stderr = stderr


@dataclass(frozen=True)
class Command:
    """A process to time; ``shown`` is how the report writes it (short program names)."""

    argv: tuple[str, ...]
    shown: str
    fresh_cache: bool = False  # run with a new, empty ATLAS_CACHE_DIR each time (atlas's first run)


@dataclass
class Measurement:
    times: list[float] = field(default_factory=list)
    max_rss_kib: int = 0
    single: bool = False  # too slow to repeat: the warm-up is the one run

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def rss_mib(self) -> float:
        return self.max_rss_kib / KIB_PER_MIB


@dataclass(frozen=True)
class Check:
    """One row of a results table: an atlas command against a reference and its goals."""

    name: str
    atlas: Command
    reference: Command
    goal: float | None  # largest allowed ratio atlas / reference; None: reported only
    rss_goal_mib: float | None
    previous: Command | None = None
    peer: Command | None = None  # a second reference shown beside the first (csvgrep at scale)


# --- commands ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tools:
    atlas: tuple[str, ...]
    csvgrep: str
    duckdb: str
    previous: str | None

    def atlas_cmd(self, *args: str) -> Command:
        return Command((*self.atlas, *args), shlex.join(("atlas", *args)))

    def previous_cmd(self, *args: str) -> Command | None:
        if self.previous is None:
            return None
        return Command((self.previous, *args), shlex.join(("atlas-previous", *args)))

    def csvgrep_cmd(self, *args: str) -> Command:
        return Command((self.csvgrep, *args), shlex.join(("csvgrep", *args)))

    def duckdb_cmd(self, mode: str, sql: str) -> Command:
        """DuckDB's shell answering ``sql`` (``-csv`` or ``-json`` output), no ~/.duckdbrc read."""
        args = ("-no-init", mode, "-c", sql)
        if any(c in sql for c in '"$`!'):
            return Command((self.duckdb, *args), shlex.join(("duckdb", *args)))
        return Command((self.duckdb, *args), f'duckdb -no-init {mode} -c "{sql}"')  # readable SQL


# The interpreter of the atlas under test (its venv's python); also the `python -c pass` floor.
PYTHON = sys.executable
ATLAS_VENV = HERE / ".venv-atlas"


def python_cmd(*args: str) -> Command:
    return Command((PYTHON, *args), shlex.join(("python", *args)))


def find_atlas() -> tuple[str, ...]:
    """The project's ``atlas``: the console script next to this interpreter, else ``python -m``."""
    script = Path(sys.executable).parent / "atlas"
    if script.is_file() and os.access(script, os.X_OK):
        return (str(script),)
    return (sys.executable, "-m", "atlascli")


def install_atlas() -> tuple[str, ...]:
    """The working tree installed the way users get it, into the benchmark's own venv.

    A regular (non-editable) install has its bytecode compiled by pip. The editable install of a
    development venv does not, and where PYTHONDONTWRITEBYTECODE is set (as on the development
    machines) Python recompiles atlascli's sources on every start, which is no user's experience.
    """
    python = ATLAS_VENV / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not _runs(str(python), "-c", "import typer, rich, rapidfuzz"):
        progress(f"creating {ATLAS_VENV.relative_to(ROOT)} with atlascli from the working tree ...")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(ATLAS_VENV)], check=True)
        subprocess.run([*pip, str(ROOT)], check=True)
    else:
        progress("installing atlascli from the working tree ...")
        subprocess.run([*pip, "--force-reinstall", "--no-deps", str(ROOT)], check=True)
    return (str(ATLAS_VENV / "bin" / "atlas"),)


def duckdb_binary() -> Path | None:
    """The shell binary the ``duckdb-cli`` wheel ships (its ``bin/duckdb`` is a Python wrapper that
    would add an interpreter's start-up to every run), or None when it is not installed."""
    found = sorted(BENCH_VENV.glob("lib/python*/site-packages/duckdb_cli/duckdb"))
    return found[0] if found else None


def ensure_bench_tools() -> tuple[str, str]:
    """csvgrep and DuckDB's shell from the benchmark's own venv, created (csvkit and duckdb-cli
    from PyPI) or completed if missing."""
    csvgrep = BENCH_VENV / "bin" / "csvgrep"
    have_csvkit = csvgrep.is_file() and _runs(str(csvgrep), "--version")
    duckdb = duckdb_binary()
    have_duckdb = duckdb is not None and _runs(str(duckdb), "-no-init", "-c", "SELECT 1")
    if have_csvkit and have_duckdb and duckdb is not None:
        return str(csvgrep), str(duckdb)
    if not (BENCH_VENV / "bin" / "python").is_file():
        progress(f"creating {BENCH_VENV.relative_to(ROOT)} with csvkit and {DUCKDB_CLI} ...")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(BENCH_VENV)], check=True)
    else:
        progress(f"installing csvkit and {DUCKDB_CLI} into {BENCH_VENV.relative_to(ROOT)} ...")
    pip = [
        str(BENCH_VENV / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, "csvkit", DUCKDB_CLI], check=True)
    duckdb = duckdb_binary()
    if duckdb is None:
        raise OSError(f"{DUCKDB_CLI} installed no duckdb_cli/duckdb binary")
    return str(csvgrep), str(duckdb)


def _runs(*argv: str) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, check=False).returncode == 0
    except OSError:
        return False


def column_range(path: Path) -> str:
    """``1-N`` for csvgrep ``-c``: with ``-a`` csvgrep still needs the columns to search."""
    with path.open(encoding="utf-8") as f:
        return f"1-{len(f.readline().rstrip(chr(10)).split(chr(9)))}"


# --- timing -----------------------------------------------------------------------------------


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ATLAS_DATA", None)  # the bundled runs must use the bundled atlas
    env["ATLAS_CACHE_DIR"] = str(WORK / "cache")  # large files' caches: not in the user's ~/.cache
    return env


# A Linux child's max RSS starts at its parent's RSS at the fork (the kernel keeps the high-water mark
# of the memory image replaced by exec), so children are not started from this ~20 MiB process but
# from a small launcher (``python -S -I``, ~8 MiB, below any Python command's own RSS) that runs one
# command per request, times it from spawn to exit and reports its rusage. Protocol, one line each:
# request ``stderr_path NUL env NUL arg0 NUL arg1 ...`` (env: empty, or one ``NAME=value`` set for this
# run only); reply ``exit_code elapsed_ns max_rss_kib``.
LAUNCHER = """
import os, sys, time
files = lambda err: [
    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
    (os.POSIX_SPAWN_OPEN, 2, err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
]
for line in sys.stdin.buffer:
    err, extra, *argv = os.fsdecode(line.rstrip(b"\\n")).split("\\0")
    env = dict(os.environ)
    if extra:
        name, _, value = extra.partition("=")
        env[name] = value
    start = time.perf_counter_ns()
    try:
        pid = os.posix_spawn(argv[0], argv, env, file_actions=files(err))
    except OSError as exc:
        with open(err, "w") as f:
            f.write(f"cannot run {argv[0]}: {exc}")
        reply = "127 0 0"
    else:
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter_ns() - start
        reply = f"{os.waitstatus_to_exitcode(status)} {elapsed} {usage.ru_maxrss}"
    sys.stdout.write(reply + "\\n")
    sys.stdout.flush()
"""


class Launcher:
    """Runs commands through the small launcher process; use as a context manager."""

    def __init__(self, env: dict[str, str]) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="atlas-bench-")
        self.err = Path(self.tmp.name) / "stderr"
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-I", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            env=env,
            text=True,
        )

    def __enter__(self) -> Launcher:
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()
        self.tmp.cleanup()

    def run(self, command: Command) -> tuple[float, int]:
        """Wall-clock seconds and max RSS (KiB) of one run, stdout to /dev/null; raise if it fails."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=self.tmp.name)) if command.fresh_cache else None
        extra = f"ATLAS_CACHE_DIR={cache}" if cache is not None else ""
        fields = (str(self.err), extra, *command.argv)
        if any("\0" in f or "\n" in f for f in fields):
            raise ValueError(f"cannot pass NUL or newline to the launcher: {command.shown}")
        self.proc.stdin.write("\0".join(fields) + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline().split()
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)  # after the run: not timed
        if len(reply) != 3:
            raise RuntimeError("the benchmark launcher died")
        code, elapsed_ns, rss_kib = (int(x) for x in reply)
        if code != 0:
            raise CommandFailed(command, code, self.err.read_text(encoding="utf-8", errors="replace"))
        return elapsed_ns / 1e9, rss_kib


def measure(commands: Iterable[Command], rounds: int, launcher: Launcher) -> dict[Command, Measurement]:
    """One warm-up run of each command, then ``rounds`` interleaved rounds (order rotated per round)."""
    unique = list(dict.fromkeys(commands))
    results = {c: Measurement() for c in unique}
    repeat: list[Command] = []
    for command in unique:
        elapsed, rss = launcher.run(command)
        m = results[command]
        if elapsed > SLOW_S:
            m.max_rss_kib = rss
            progress(f"warm-up of {command.shown} took {elapsed:.0f} s: reporting that one run")
            m.times.append(elapsed)
            m.single = True
        else:
            repeat.append(command)
    for r in range(rounds):
        progress(f"round {r + 1}/{rounds} ({len(repeat)} commands)")
        shift = r % len(repeat) if repeat else 0
        for command in repeat[shift:] + repeat[:shift]:
            elapsed, rss = launcher.run(command)
            m = results[command]
            m.times.append(elapsed)
            m.max_rss_kib = max(m.max_rss_kib, rss)
    return results


# --- the suites -------------------------------------------------------------------------------


TABLE_FLOOR = (
    "import typer; from rich.console import Console; from rich.table import Table; "
    "t = Table(); t.add_column('a'); t.add_row('x'); Console().print(t)"
)


def bundled_checks(tools: Tools) -> tuple[list[Check], list[Check]]:
    """Goal rows on data/atlas.tsv, and start-up rows (reported against ``python -c pass``)."""
    data = BUNDLED_TSV
    grep_feld = tools.csvgrep_cmd("-t", "-c", "handlungsfelder", "-r", FELD, data)
    grep_city = tools.csvgrep_cmd("-t", "-c", "stadt", "-m", CITY, data)
    grep_pair = tools.csvgrep_cmd("-t", "-c", "stadt", "-r", f"^({'|'.join(PAIR)})$", data)
    grep_word = tools.csvgrep_cmd("-t", "-c", column_range(ROOT / data), "-a", "-r", f"(?i){WORD}", data)

    def check(name: str, args: tuple[str, ...], reference: Command, goal: float) -> Check:
        return Check(name, tools.atlas_cmd(*args), reference, goal, RSS_GOAL_MIB, tools.previous_cmd(*args))

    goals = [
        check("filter csv", ("filter", "--feld", FELD, "--format", "csv"), grep_feld, 0.9),
        check("show json", ("show", CITY, "--format", "json"), grep_city, 0.9),
        check("show table", ("show", CITY), grep_city, 1.0),
        check("filter table", ("filter", "--feld", FELD), grep_feld, 1.0),
        check("compare table", ("compare", *PAIR), grep_pair, 1.0),
        check("search table", ("search", WORD), grep_word, 1.0),
        check("search csv", ("search", WORD, "-f", "csv"), grep_word, 1.0),
    ]
    floor = python_cmd("-c", "pass")
    listing = ("list", "-f", "csv")
    startup = [
        Check(
            "start-up: list csv",
            tools.atlas_cmd(*listing),
            floor,
            None,
            RSS_GOAL_MIB,
            tools.previous_cmd(*listing),
        ),
        Check("import typer", python_cmd("-c", "import typer"), floor, None, None),
        # the least any Typer CLI drawing a Rich table can cost, against the csvgrep of `show`:
        # how much of the table goals is left for atlas's own work
        Check("floor: typer + rich table", python_cmd("-c", TABLE_FLOOR), grep_city, None, None),
        Check("import the app", python_cmd("-c", "import atlascli.cli.root"), floor, None, None),
        # `python -m atlascli` is the same app without the executable's start-up shortcuts
        # (atlascli.cli.console): the ratio is what they save
        Check(
            "show table without shortcuts",
            python_cmd("-m", "atlascli", "show", CITY),
            tools.atlas_cmd("show", CITY),
            None,
            RSS_GOAL_MIB,
        ),
    ]
    return goals, startup


def generator_key() -> str:
    """Cache key of a generated file: the generator's code and the real atlas it samples."""
    digest = hashlib.sha256(GENERATOR.read_bytes())
    digest.update((ROOT / BUNDLED_TSV).read_bytes())
    return digest.hexdigest()[:10]


def synthetic_atlas(n: int) -> Path:
    """The cached synthetic atlas of n cities, generated on first use."""
    path = WORK / f"atlas-{n}-s{SCALE_SEED}-{generator_key()}.tsv"
    if not path.is_file():
        progress(f"generating {path.relative_to(ROOT)} ...")
        # the generator uses atlascli (the loader, the writer): the interpreter that has it installed
        cmd = [PYTHON, str(GENERATOR), str(n), str(path), "--seed", str(SCALE_SEED)]
        subprocess.run(cmd, check=True, stdout=sys.stderr)
    return path


def middle_name(path: Path) -> str:
    """A city from the middle of the file, preferring a numbered (nearly unique) name."""
    with path.open(encoding="utf-8") as f:
        total = sum(1 for _ in f) - 1
    with path.open(encoding="utf-8") as f:
        next(f)
        names = [line.split("\t", 1)[0] for i, line in enumerate(f) if total // 2 <= i < total // 2 + 100]
    return next((n for n in names if n[-1].isdigit()), names[0])


def duckdb_source(path: str) -> str:
    """The TSV as DuckDB reads it: tab-separated, one header row, and no quoting or escapes at all
    (the atlas format has none: a ``"`` or ``\\`` in a cell is that character). Column types are
    sniffed: einwohner and flaeche_km2 come out as BIGINT, the rest as VARCHAR, empty cells as NULL."""
    return f"read_csv('{path}', delim='\\t', header=true, quote='', escape='')"


def text_columns(path: Path) -> list[str]:
    """The columns `atlas search` looks in: all but the name, the Bundesland and the numbers."""
    with path.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
    return [c for c in header if c not in ("stadt", "bundesland", "einwohner", "flaeche_km2")]


def duckdb_stats(source: str) -> str:
    """`atlas stats`: counts and sums, cities per Bundesland and per Handlungsfeld, and the ten
    networks and funding programmes most cities share (with those cities), from one loaded table."""
    fields = "coalesce(len(string_split(handlungsfelder, '; ')), 0)"

    def shared(column: str) -> str:
        return (
            f"SELECT name, count(*) AS anzahl, list(stadt ORDER BY stadt) AS staedte FROM "
            f"(SELECT stadt, unnest(string_split({column}, '; ')) AS name FROM t) GROUP BY name "
            "HAVING count(*) > 1 ORDER BY anzahl DESC, name LIMIT 10;"
        )

    return " ".join(
        [
            f"CREATE TEMP TABLE t AS FROM {source};",
            "SELECT count(*) AS staedte, sum(einwohner), median(einwohner), min(einwohner), "
            "max(einwohner), sum(flaeche_km2), median(flaeche_km2), min(flaeche_km2), "
            f"max(flaeche_km2), sum({fields}), median({fields}), min({fields}), max({fields}) FROM t;",
            "SELECT bundesland, count(*) AS n FROM t GROUP BY bundesland ORDER BY n DESC, bundesland;",
            "SELECT feld, count(*) AS n FROM (SELECT unnest(string_split(handlungsfelder, '; ')) AS feld "
            "FROM t) GROUP BY feld ORDER BY n DESC, feld;",
            shared("netzwerke"),
            shared("foerderprogramme"),
        ]
    )


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def scale_checks(tools: Tools, n: int, path: Path) -> list[Check]:
    """The questions of issue 11's goal table, each as atlas, DuckDB's shell and (where it can ask
    it) csvgrep. ``show`` asks for a name from the middle of the file, the typo row for TYPO_CITY."""
    shown = str(path.relative_to(ROOT))
    size_mib = path.stat().st_size / KIB_PER_MIB / KIB_PER_MIB
    name = middle_name(path)
    # 3x the file; a small file's 3x is below any Python CLI's floor: there the bundled budget holds
    rss_goal = max(SCALE_RSS_FACTOR * size_mib, RSS_GOAL_MIB)
    tag = f"{n // 1000}k"
    src = duckdb_source(shown)
    pair = (name, TYPO_CITY)

    def check(
        label: str,
        args: tuple[str, ...],
        duckdb: Command,
        grep: tuple[str, ...] | None,
        goal: float = DUCKDB_GOAL,
        fresh: bool = False,
    ) -> Check:
        atlas_args = ("--data", shown, *args)
        atlas = tools.atlas_cmd(*atlas_args)
        if fresh:
            atlas = Command(atlas.argv, "ATLAS_CACHE_DIR=$(mktemp -d) " + atlas.shown, fresh_cache=True)
        return Check(
            f"{tag} {label}",
            atlas,
            duckdb,
            goal,
            rss_goal,
            tools.previous_cmd(*atlas_args) if not fresh else None,
            tools.csvgrep_cmd("-t", *grep, shown) if grep is not None else None,
        )

    def csv(sql: str) -> Command:
        return tools.duckdb_cmd("-csv", sql)

    def as_json(sql: str) -> Command:
        return tools.duckdb_cmd("-json", sql)

    texts = ", ".join(text_columns(path))
    feld = csv(f"SELECT * FROM {src} WHERE list_contains(string_split(handlungsfelder, '; '), '{FELD}')")
    grep_feld = ("-c", "handlungsfelder", "-r", FELD)
    return [
        check("filter --feld csv", ("filter", "--feld", FELD, "-f", "csv"), feld, grep_feld),
        check(
            "filter -b csv",
            ("filter", "-b", "Bayern", "-f", "csv"),
            csv(f"SELECT * FROM {src} WHERE bundesland = 'Bayern'"),
            ("-c", "bundesland", "-m", "Bayern"),
        ),
        check(
            "show json",
            ("show", name, "-f", "json"),
            as_json(f"SELECT * FROM {src} WHERE lower(stadt) = lower({sql_literal(name)})"),
            ("-c", "stadt", "-m", name),
        ),
        check(
            "show typo json",
            ("show", TYPO, "-f", "json"),
            # the nearest name by edit distance; DuckDB has no "refuse when ambiguous" margin
            as_json(
                f"SELECT * FROM {src} ORDER BY levenshtein(lower(stadt), lower({sql_literal(TYPO)})), "
                "stadt LIMIT 1"
            ),
            None,
        ),
        check(
            "search csv",
            ("search", WORD, "-f", "csv", "--limit", "20"),
            # every text cell containing the word (no ranking: sorted by city), the first 20
            csv(
                f"SELECT stadt, spalte, wert FROM (UNPIVOT (SELECT stadt, {texts} FROM {src}) "
                f"ON {texts} INTO NAME spalte VALUE wert) WHERE wert ILIKE '%{WORD}%' "
                "ORDER BY stadt, spalte LIMIT 20"
            ),
            ("-c", column_range(path), "-a", "-r", f"(?i){WORD}"),
        ),
        check(
            "compare json",
            ("compare", *pair, "-f", "json"),
            as_json(f"SELECT * FROM {src} WHERE stadt IN ({', '.join(map(sql_literal, pair))})"),
            ("-c", "stadt", "-r", "^(" + "|".join(map(re.escape, pair)) + ")$"),
        ),
        check("stats json", ("stats", "-f", "json"), as_json(duckdb_stats(src)), None),
        check(
            "sql csv",
            ("sql", SQL_QUERY, "-f", "csv"),
            csv(SQL_QUERY.replace("FROM atlas", f"FROM {src}")),
            None,
        ),
        check(
            "first run filter --feld csv",
            ("filter", "--feld", FELD, "-f", "csv"),
            feld,
            grep_feld,
            FIRST_RUN_GOAL,
            fresh=True,
        ),
    ]


def duckdb_row_check(tools: Tools, path: Path) -> str:
    """How many rows DuckDB reads from the file, against its line count: the settings of
    duckdb_source must read every city as one row, with every name and number."""
    shown = str(path.relative_to(ROOT))
    sql = (
        f"SELECT count(*), count(stadt), count(DISTINCT stadt), count(einwohner), count(flaeche_km2) "
        f"FROM {duckdb_source(shown)}"
    )
    out = subprocess.run(
        [tools.duckdb, "-no-init", "-noheader", "-csv", "-c", sql],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    counts = [int(x) for x in out.stdout.strip().split(",")]
    with path.open("rb") as f:
        lines = sum(1 for _ in f) - 1
    if any(c != lines for c in counts):
        raise RuntimeError(f"DuckDB reads {shown} wrongly: {counts} for {lines} cities")
    return f"DuckDB reads all {lines:,} rows (every name distinct, every number present)"


def check_typo(tools: Tools, path: Path) -> None:
    """atlas must resolve TYPO to TYPO_CITY in this file, or the typo row measures a refusal."""
    shown = str(path.relative_to(ROOT))
    if not any(line.startswith(TYPO_CITY + "\t") for line in path.open(encoding="utf-8")):
        raise RuntimeError(f"{shown} has no city {TYPO_CITY!r}: choose another TYPO_CITY")
    out = subprocess.run(
        [*tools.atlas, "--data", shown, "show", TYPO, "-f", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=child_env(),
    )
    if out.returncode != 0 or json.loads(out.stdout).get("stadt") != TYPO_CITY:
        raise RuntimeError(f"atlas does not resolve {TYPO!r} to {TYPO_CITY!r} in {shown}: {out.stderr}")


# --- report -----------------------------------------------------------------------------------


def fmt_ms(m: Measurement | None) -> str:
    if m is None:
        return "n/a"
    return f"{m.median_ms:,.0f}" + (" (1 run)" if m.single else "")


def spread(a: Measurement, ref: Measurement) -> str:
    """The middle half of the per-round ratios (atlas and reference of the same round, which ran
    moments apart): how much the ratio moves with the machine's noise."""
    if a.single or ref.single or len(a.times) < 4:
        return "—"
    ratios = [x / y for x, y in zip(a.times, ref.times, strict=True)]
    low, _, high = statistics.quantiles(ratios, n=4)
    return f"{low:.2f}–{high:.2f}"


def verdict(ok: bool) -> str:
    return "pass" if ok else "**FAIL**"


def table_rows(checks: Sequence[Check], results: dict[Command, Measurement]) -> Iterator[str]:
    head = ["check", "atlas ms", "reference ms", "ratio", "per round", "goal", "time", "atlas max RSS MiB"]
    yield "| " + " | ".join([*head, "RSS goal", "memory", "previous ms"]) + " |"
    yield "|---|--:|--:|--:|--:|--:|---|--:|--:|---|--:|"
    for c in checks:
        a, ref = results[c.atlas], results[c.reference]
        prev = results[c.previous] if c.previous is not None else None
        ratio = a.median_ms / ref.median_ms
        goal, time_ok = ("—", "info") if c.goal is None else (f"≤ {c.goal:.1f}×", verdict(ratio <= c.goal))
        if c.rss_goal_mib is None:
            rss_goal, mem_ok = "—", "info"
        else:
            rss_goal, mem_ok = f"≤ {c.rss_goal_mib:,.0f}", verdict(a.rss_mib <= c.rss_goal_mib)
        cells = [c.name, fmt_ms(a), fmt_ms(ref), f"{ratio:.2f}×", spread(a, ref), goal, time_ok]
        cells += [f"{a.rss_mib:,.1f}", rss_goal, mem_ok, fmt_ms(prev)]
        yield "| " + " | ".join(cells) + " |"


def command_list(checks: Sequence[Check]) -> Iterator[str]:
    for c in checks:
        peer = f"; csvgrep `{c.peer.shown}`" if c.peer is not None else ""
        yield f"- {c.name}: `{c.atlas.shown}` — reference `{c.reference.shown}`{peer}"


def scale_rows(checks: Sequence[Check], results: dict[Command, Measurement]) -> Iterator[str]:
    """Goal rows against DuckDB's shell, with csvgrep beside it."""
    head = ["check", "atlas ms", "DuckDB ms", "ratio", "per round", "goal", "time", "csvgrep ms"]
    head += ["atlas / csvgrep", "atlas max RSS MiB", "RSS goal", "memory"]
    yield "| " + " | ".join(head) + " |"
    yield "|---|--:|--:|--:|--:|--:|---|--:|--:|--:|--:|---|"
    for c in checks:
        a, ref = results[c.atlas], results[c.reference]
        peer = results[c.peer] if c.peer is not None else None
        ratio = a.median_ms / ref.median_ms
        goal = c.goal if c.goal is not None else DUCKDB_GOAL
        rss_goal = c.rss_goal_mib if c.rss_goal_mib is not None else float("inf")
        cells = [c.name, fmt_ms(a), fmt_ms(ref), f"{ratio:.2f}×", spread(a, ref)]
        cells += [f"≤ {goal:.1f}×", verdict(ratio <= goal), fmt_ms(peer)]
        cells += ["—" if peer is None else f"{a.median_ms / peer.median_ms:.2f}×", f"{a.rss_mib:,.1f}"]
        cells += [f"≤ {rss_goal:,.0f}", verdict(a.rss_mib <= rss_goal)]
        yield "| " + " | ".join(cells) + " |"


def growth_rows(
    small: Sequence[Check], large: Sequence[Check], results: dict[Command, Measurement]
) -> Iterator[str]:
    head = ["command", "atlas small ms", "atlas large ms", "growth", "goal", "result"]
    yield "| " + " | ".join([*head, "DuckDB growth", "csvgrep growth"]) + " |"
    yield "|---|--:|--:|--:|--:|---|--:|--:|"
    for s, g in zip(small, large, strict=True):
        growth = results[g.atlas].median_ms / results[s.atlas].median_ms
        ref_growth = results[g.reference].median_ms / results[s.reference].median_ms
        if s.peer is not None and g.peer is not None:
            peer_growth = f"{results[g.peer].median_ms / results[s.peer].median_ms:.1f}×"
        else:
            peer_growth = "—"
        label = s.name.split(" ", 1)[1]
        cells = [label, fmt_ms(results[s.atlas]), fmt_ms(results[g.atlas]), f"{growth:.1f}×"]
        cells += [f"≤ {GROWTH_GOAL:.0f}×", verdict(growth <= GROWTH_GOAL), f"{ref_growth:.1f}×", peer_growth]
        yield "| " + " | ".join(cells) + " |"


def machine_lines(tools: Tools, rounds: int) -> list[str]:
    return [
        f"- Machine: {platform.system()} {platform.machine()}, {cpu_model()}, {os.cpu_count()} cores, "
        f"{memory_gib():.0f} GiB RAM",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); "
        f"atlascli {version('atlascli')}, typer {version('typer')}, "
        f"rich {version('rich')}, rapidfuzz {version('rapidfuzz')}; csvkit {csvkit_version()}; "
        f"DuckDB CLI {duckdb_version(tools)}",
        f"- Previous release: {previous_version(tools)}",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Median wall-clock time of whole processes over {rounds} interleaved rounds after one warm-up "
        f"run each (a command slower than {SLOW_S:.0f} s runs once); ratio = atlas / reference; "
        "per round = the middle half (quartiles) of the ratios of atlas and reference run in the same "
        "round, which shows how much this machine's noise moves the ratio; "
        "max RSS over the timed runs (like the times, not the warm-up, which may build atlas's cache).",
    ]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def memory_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def csvkit_version() -> str:
    code = "import importlib.metadata as m; print(m.version('csvkit'))"
    out = subprocess.run([str(BENCH_VENV / "bin" / "python"), "-c", code], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def duckdb_version(tools: Tools) -> str:
    out = subprocess.run([tools.duckdb, "-no-init", "-version"], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def previous_version(tools: Tools) -> str:
    if tools.previous is None:
        return "n/a (pass --previous PATH_TO_ATLAS)"
    out = subprocess.run([tools.previous, "--version"], capture_output=True, text=True)
    return f"{out.stdout.strip() or 'unknown version'} (`{tools.previous}`)"


_IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")


def import_profile(module: str, runs: int = 5) -> tuple[float, list[tuple[str, float]]]:
    """Import time of ``module`` (ms, best of ``runs``) and where it goes: the cumulative time of each
    package that ``module``'s own package imports directly, and the self time of its own modules."""
    own = module.split(".")[0]
    own_label = f"{own} (own modules, self time)"
    best: dict[str, float] = {}
    for _ in range(runs):
        proc = subprocess.run(
            [PYTHON, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            check=True,
            env=child_env(),
        )
        entries = [m.groups() for m in map(_IMPORT_LINE.match, proc.stderr.splitlines()) if m]
        # importtime prints children before their parent; walk backwards to know each entry's parent
        stack: list[tuple[int, str]] = []
        times: dict[str, float] = {module: 0.0, own_label: 0.0}
        for self_us, cumulative_us, indent, name in reversed(entries):
            level = (len(indent) - 1) // 2
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1].split(".")[0] if stack else ""
            stack.append((level, name))
            top = name.split(".")[0]
            if name == module:
                times[module] = int(cumulative_us) / 1000
            if top == own:
                times[own_label] += int(self_us) / 1000
            elif parent == own:
                times[top] = times.get(top, 0.0) + int(cumulative_us) / 1000
        for name, ms in times.items():
            best[name] = min(best.get(name, ms), ms)
    total = best.pop(module)
    return total, sorted(best.items(), key=lambda kv: -kv[1])


def import_section() -> list[str]:
    total, packages = import_profile("atlascli.cli.root")
    lines = [
        f"Where start-up goes: `python -X importtime -c 'import atlascli.cli.root'` (the app), best of 5: "
        f"{total:,.0f} ms "
        "in all; the largest packages atlascli imports directly (cumulative) and atlascli's own modules:",
        "",
        "| imported | ms |",
        "|---|--:|",
    ]
    lines += [f"| {name} | {ms:,.1f} |" for name, ms in packages[:10]]
    return lines


# --- RESULTS.md -------------------------------------------------------------------------------

RESULTS_HEAD = """# Benchmark results

Written by `python benchmarks/run.py --write` (bundled data) and `python benchmarks/run.py --scale --write`
(adds the synthetic atlases); see [README.md](README.md) for how to run and read them. Each section is
replaced by the run that wrote it.
"""


def section_markers(name: str) -> tuple[str, str]:
    return f"<!-- results:{name}:start -->", f"<!-- results:{name}:end -->"


def write_results(sections: dict[str, list[str]]) -> None:
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else RESULTS_HEAD
    for name in ("bundled", "scale"):
        start, end = section_markers(name)
        if start not in text:
            text = text.rstrip("\n") + f"\n\n{start}\n_not run yet_\n{end}\n"
        if name in sections:
            before, rest = text.split(start, 1)
            after = rest.split(end, 1)[1]
            text = before + start + "\n" + "\n".join(sections[name]) + "\n" + end + after
    tmp = RESULTS.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(RESULTS)


# --- main -------------------------------------------------------------------------------------


def bundled_section(tools: Tools, rounds: int, launcher: Launcher) -> list[str]:
    goals, startup = bundled_checks(tools)
    checks = [*goals, *startup]
    commands = [cmd for c in checks for cmd in (c.atlas, c.reference, c.previous) if cmd is not None]
    progress(f"bundled atlas: {len(set(commands))} commands, {rounds} rounds")
    results = measure(commands, rounds, launcher)
    floor = results[python_cmd("-c", "pass")]
    lines = ["## Bundled atlas (data/atlas.tsv, 20 cities)", "", *machine_lines(tools, rounds)]
    lines += [f"- Interpreter floor `python -c pass`: {fmt_ms(floor)} ms", ""]
    lines += [*table_rows(goals, results), "", "Start-up, against `python -c pass` (no goal):", ""]
    lines += [*table_rows(startup, results), "", "Commands:", "", *command_list(checks), ""]
    lines += import_section()
    return lines


def scale_section(tools: Tools, sizes: Sequence[int], rounds: int, launcher: Launcher) -> list[str]:
    paths = {n: synthetic_atlas(n) for n in sizes}
    row_checks = [duckdb_row_check(tools, path) for path in paths.values()]
    for path in paths.values():
        check_typo(tools, path)
    per_size = {n: scale_checks(tools, n, path) for n, path in paths.items()}
    checks = [c for cs in per_size.values() for c in cs]
    floor = python_cmd("-c", "pass")
    commands = [floor] + [
        cmd for c in checks for cmd in (c.atlas, c.reference, c.peer, c.previous) if cmd is not None
    ]
    progress(f"scale: {len(set(commands))} commands, {rounds} rounds")
    results = measure(commands, rounds, launcher)
    lines = ["## Synthetic atlases (`--scale`)", "", *machine_lines(tools, rounds)]
    lines += [f"- Interpreter floor `python -c pass`: {fmt_ms(results[floor])} ms"]
    for (n, path), rows in zip(paths.items(), row_checks, strict=True):
        size = path.stat().st_size / 2**20
        lines.append(f"- {n:,} cities: `{path.relative_to(ROOT)}`, {size:,.1f} MiB; {rows}")
    lines += [
        f"- Goals (issue 11): every warm question ≤ {DUCKDB_GOAL:.1f}× DuckDB's shell reading the TSV, "
        f"the first run on a new file (a fresh ATLAS_CACHE_DIR each run, atlas builds its cache) "
        f"≤ {FIRST_RUN_GOAL:.0f}×, growth ≤ {GROWTH_GOAL:.0f}×, peak memory ≤ {SCALE_RSS_FACTOR:.0f}× "
        f"the file's size (at least the bundled budget of {RSS_GOAL_MIB:.0f} MiB: 3× a 10 MiB file is "
        "below the start-up of any Python CLI); csvgrep is shown for comparison "
        "(— where it cannot ask the question)",
        "",
        *scale_rows(checks, results),
        "",
    ]
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        lines += [f"Growth from {small:,} to {large:,} cities:", ""]
        lines += [*growth_rows(per_size[small], per_size[large], results), ""]
    lines += ["Commands:", "", *command_list(checks)]
    return lines


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark atlas against csvgrep and the interpreter floor.")
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK_ROUNDS} rounds")
    parser.add_argument("--scale", action="store_true", help="also the 10,000 and 100,000 city atlases")
    parser.add_argument(
        "--scale-only", action="store_true", help="only the synthetic atlases (implies --scale)"
    )
    parser.add_argument("--write", action="store_true", help="write the tables into benchmarks/RESULTS.md")
    parser.add_argument("--rounds", type=int, help=f"rounds after the warm-up (default {ROUNDS})")
    parser.add_argument(
        "--scale-rounds", type=int, default=SCALE_ROUNDS, help=f"rounds for --scale (default {SCALE_ROUNDS})"
    )
    parser.add_argument(
        "--sizes",
        type=lambda s: tuple(int(x) for x in s.split(",")),
        default=SCALE_SIZES,
        help="city counts for --scale, comma-separated (default 10000,100000)",
    )
    parser.add_argument("--previous", metavar="ATLAS", help="the atlas executable of the previous release")
    parser.add_argument(
        "--editable",
        action="store_true",
        help="time the atlas of the current environment instead of a fresh install of the working tree",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    args.scale = args.scale or args.scale_only
    rounds = args.rounds or (QUICK_ROUNDS if args.quick else ROUNDS)
    previous = str(Path.cwd() / args.previous) if args.previous is not None else None
    if previous is not None and not Path(previous).is_file():
        print(f"run.py: --previous {previous}: no such file", file=sys.stderr)
        return 1
    try:
        csvgrep, duckdb = ensure_bench_tools()
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"run.py: cannot set up csvkit and DuckDB in {BENCH_VENV}: {exc}", file=sys.stderr)
        return 1
    global PYTHON
    if args.editable:
        atlas = find_atlas()
    else:
        try:
            atlas = install_atlas()
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"run.py: cannot install atlascli into {ATLAS_VENV}: {exc}", file=sys.stderr)
            return 1
        PYTHON = str(ATLAS_VENV / "bin" / "python")
    tools = Tools(atlas, csvgrep, duckdb, previous)
    sections: dict[str, list[str]] = {}
    try:
        with Launcher(child_env()) as launcher:
            if not args.scale_only:
                sections["bundled"] = bundled_section(tools, rounds, launcher)
            if args.scale:
                scale_rounds = min(args.scale_rounds, rounds)
                sections["scale"] = scale_section(tools, args.sizes, scale_rounds, launcher)
    except CommandFailed as exc:
        print(f"run.py: `{exc.command.shown}` failed with exit status {exc.code}:", file=sys.stderr)
        print(exc.stderr.rstrip() or "(nothing on stderr)", file=sys.stderr)
        return 1
    print("\n\n".join("\n".join(lines) for lines in sections.values()))
    if args.write:
        write_results(sections)
        progress(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

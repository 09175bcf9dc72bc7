"""The golden file: what every README and REFERENCE example prints, in every output format.

    python scripts/golden.py           # write tests/golden/examples.txt
    python scripts/golden.py --check   # exit 1 if the file is not what the CLI prints now

Each ``atlas ...`` example of README.md's console blocks and docs/REFERENCE.md's example blocks
(up to a pipe) is run in-process through the app's one entry point, once as written and once in
each output format the command takes, tables at two widths; so is ``--help`` of the app and of
every command, and a few failures. The file holds stdout, stderr and the exit status of each run.
A restructuring must leave it byte-identical; a change of behaviour updates it in its own commit.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "golden" / "examples.txt"
README = ROOT / "README.md"
REFERENCE = ROOT / "docs" / "REFERENCE.md"

if importlib.util.find_spec("atlascli") is None:  # a plain clone, not installed: use src/
    sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from harness import command_formats, run_main  # noqa: E402  # the tests' own runner, found above

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")
WIDTHS = ("100", "50")
ENV = {"NO_COLOR": "1", "ATLAS_DATA": None, "FORCE_COLOR": None, "ATLAS_DEBUG": None, "TERM": None}
# usage, version and failures: their messages are part of the interface too
FAILURES = (
    "",
    "--version",
    "show",
    "show Berlin",
    "show Bo",
    "show ''",
    "compare Bonn",
    "compare Bonn bonn",
    "filter --feld Kultur",
    "filter --feld e",
    "filter -b Nowhere",
    "list --columns nope",
    "list --sort nope",
    "list -n -1",
    "search xyz --in nope",
    "sql 'DROP TABLE staedte'",
    "sql 'SELECT stadt FROM stadt'",
    "sql ''",
    "projects --stadt Berlin",
    "fields Kultur",
    "similar Berlin",
    "--data /nonexistent/atlas.tsv list",
    "nope",
)


def _atlas_commands(lines: Iterator[str]) -> Iterator[str]:
    for line in lines:
        command = line.split("|", 1)[0].strip()
        if command.startswith("atlas "):
            yield command.removeprefix("atlas ")


def _console_commands(block: str) -> Iterator[str]:
    """The ``$ `` commands of a console block, a command continued on ``> `` lines joined into one
    line (as the README test runs it, with a newline, which SQL reads as a space)."""
    command: str | None = None
    for line in block.splitlines():
        if line.startswith("> ") and command is not None:
            command += " " + line[2:]
            continue
        if command is not None:
            yield command
        command = line[2:] if line.startswith("$ ") else None
    if command is not None:
        yield command


def examples() -> list[str]:
    """Every atlas example of the README and the reference, first occurrence first."""
    readme = re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    shown = [command for block in readme for command in _console_commands(block)]
    reference = re.findall(r"```sh\n(.*?)```", REFERENCE.read_text(encoding="utf-8"), re.DOTALL)
    listed = [line for block in reference for line in block.splitlines()]
    found = dict.fromkeys(_atlas_commands(iter([*shown, *listed])))
    return [c for c in found if "--data" not in c]  # --data examples need the reader's own file


def _without_format(args: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-f", "--format"):
            skip = True
        elif not arg.startswith("--format="):
            out.append(arg)
    return out


def variants(command: str, formats: dict[str, bool]) -> Iterator[tuple[str, list[str]]]:
    """(COLUMNS, argv) for an example: as written, then in each format the command takes."""
    args = shlex.split(command)
    yield WIDTHS[0], args
    name = next((a for a in args if not a.startswith("-")), "")
    if not formats.get(name):
        return
    base = _without_format(args)
    for fmt in FORMATS:
        widths = WIDTHS if fmt == "table" else WIDTHS[:1]
        for width in widths:
            yield width, [*base, "-f", fmt]


# bash completion of a city, a field and a Bundesland
COMPLETIONS = (
    "atlas show Mü",
    "atlas show frei",
    "atlas filter --feld mo",
    "atlas filter -b s",
    "atlas compare Bonn ",
)


def runs() -> Iterator[tuple[dict[str, str], list[str]]]:
    formats = command_formats()
    plain = {"COLUMNS": WIDTHS[0]}
    yield plain, ["--help"]
    for name in formats:
        yield plain, [name, "--help"]
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for command in examples():
        for width, argv in variants(command, formats):
            if (width, tuple(argv)) not in seen:
                seen.add((width, tuple(argv)))
                yield {"COLUMNS": width}, argv
    for command in FAILURES:
        yield plain, shlex.split(command)
    for line in COMPLETIONS:
        words = line.split(" ")
        for shell in ("bash",):
            yield (
                {
                    **plain,
                    "_ATLAS_COMPLETE": f"complete_{shell}",
                    "COMP_WORDS": line,
                    "COMP_CWORD": str(len(words) - 1),
                },
                [],
            )


def generate(*, stored: bool = False) -> str:
    """The golden text. ``stored``: every run reads the bundled rows from a copy given as
    ``ATLAS_DATA``, kept in the large-file store (SQLite) however small: it must print the same."""
    parts = []
    with tempfile.TemporaryDirectory() as folder:
        here = Path.cwd()
        os.chdir(folder)
        store: dict[str, str | None] = {}
        if stored:
            (Path(folder) / "atlas.tsv").write_bytes((ROOT / "data" / "atlas.tsv").read_bytes())
            store = {"ATLAS_DATA": "atlas.tsv", "ATLAS_STORE_FROM": "0", "ATLAS_CACHE_DIR": f"{folder}/cache"}
        try:
            for env, argv in runs():
                code, out, err = run_main(argv, {**ENV, **store, **env})
                shown = " ".join(f"{k}={v}" for k, v in env.items())
                parts.append(
                    f"### atlas {shlex.join(argv)}  ({shown}, exit {code})\n"
                    f"--- stdout\n{out}--- stderr\n{err.replace(folder, '<tmp>')}"
                )
        finally:
            os.chdir(here)
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the golden file is stale")
    options = parser.parse_args(argv)
    text = generate()
    if options.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT.relative_to(ROOT)} differs from what the CLI prints", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

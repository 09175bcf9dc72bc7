"""Write the README's SVG screenshots (docs/images/) from the real commands, deterministically.

    python scripts/screenshots.py           # write docs/images/*.svg
    python scripts/screenshots.py --check   # exit 1 and list the screenshots that are stale

Each command runs through the real CLI; only ``atlascli.render.terminal.make_console`` is replaced by
a Rich console that records what it prints: 100 columns, true colour, no environment taken into
account. Rich exports that recording as SVG.

So that the staleness check does not depend on how a Rich version styles its SVG, each file starts
with a comment holding the SHA-256 of the recorded *text*::

    <!-- atlas-screenshot show.svg | text-sha256: 0123…cdef | python scripts/screenshots.py -->

``--check`` renders each command again and compares the text's hash with that comment (a missing
file is stale). The comment names the file, not the command: an XML comment may not contain ``--``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
WIDTH = 100

if importlib.util.find_spec("atlascli") is None:  # a plain clone, not installed: use src/
    sys.path.insert(0, str(ROOT / "src"))


import atlascli.cli  # noqa: E402
import atlascli.render.terminal  # noqa: E402

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class Shot:
    file: str
    args: tuple[str, ...]

    @property
    def title(self) -> str:
        return " ".join(("atlas", *self.args))


SHOTS = (
    Shot("show.svg", ("show", "Darmstadt")),
    Shot("compare.svg", ("compare", "Bonn", "Münster")),
    Shot("matrix.svg", ("matrix", "--by-coverage")),
    Shot("fields.svg", ("fields",)),
)

# Environment that would change what the CLI does (another data file) or how it looks.
_CLEARED_ENV = ("ATLAS_DATA", "NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS", "LINES", "ATLAS_DEBUG")
_FINGERPRINT = re.compile(r"<!-- atlas-screenshot (\S+) \| text-sha256: ([0-9a-f]{64}) ")


class ScreenshotError(Exception):
    pass


def recording_console() -> Console:
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        record=True,
        width=WIDTH,
        height=50,
        force_terminal=True,
        force_jupyter=False,
        force_interactive=False,
        color_system="truecolor",
        no_color=False,
        legacy_windows=False,
        emoji=False,
        markup=False,
        highlight=False,
        soft_wrap=False,
        _environ={},
    )


@contextmanager
def _recording_into(console: Console) -> Iterator[None]:
    """Every console the CLI makes while inside is ``console``."""
    terminal: Any = atlascli.render.terminal
    original = terminal.make_console

    def make_console(no_color: bool = False, stream: object = None) -> Console:
        return console

    terminal.make_console = make_console
    try:
        yield
    finally:
        terminal.make_console = original


def record(shot: Shot) -> Console:
    """Run ``atlas ARGS`` through the real CLI and return the console that recorded its output."""
    from typer.testing import CliRunner

    from atlascli.cli import main

    console = recording_console()
    with (
        _recording_into(console),
        CliRunner().isolation(env=dict.fromkeys(_CLEARED_ENV)) as (_, stderr, _),
    ):
        status = main(list(shot.args))
    if status != 0:
        raise ScreenshotError(f"{shot.title} exited with {status}: {stderr.getvalue().decode().strip()}")
    if not console.export_text(clear=False).strip():
        raise ScreenshotError(f"{shot.title} printed nothing on the terminal console")
    return console


def text_hash(console: Console) -> str:
    return hashlib.sha256(console.export_text(clear=False, styles=False).encode("utf-8")).hexdigest()


def fingerprint(shot: Shot, digest: str) -> str:
    return f"<!-- atlas-screenshot {shot.file} | text-sha256: {digest} | python scripts/screenshots.py -->"


def render(shot: Shot) -> tuple[str, str]:
    """The SVG of ``shot`` (fingerprint comment first) and the hash of its text."""
    console = record(shot)
    digest = text_hash(console)
    svg = console.export_svg(title=shot.title, clear=False)
    return f"{fingerprint(shot, digest)}\n{svg.rstrip()}\n", digest


def recorded_hash(path: Path) -> str | None:
    """The text hash in the fingerprint comment of ``path``; None if missing or without one."""
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as svg:
        first = svg.readline()
    match = _FINGERPRINT.match(first)
    return match.group(2) if match and match.group(1) == path.name else None


def stale(images: Path = IMAGES) -> list[str]:
    """The screenshots whose file is missing or was made from other terminal text than now."""
    return [shot.file for shot in SHOTS if recorded_hash(images / shot.file) != text_hash(record(shot))]


def write(images: Path = IMAGES) -> list[Path]:
    images.mkdir(parents=True, exist_ok=True)
    written = []
    for shot in SHOTS:
        svg, _ = render(shot)
        path = images / shot.file
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.write(svg)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if a screenshot is stale or missing")
    args = parser.parse_args(argv)
    try:
        if args.check:
            outdated = stale()
            for name in outdated:
                print(f"stale: {(IMAGES / name).relative_to(ROOT)}", file=sys.stderr)
            if outdated:
                print("run python scripts/screenshots.py", file=sys.stderr)
                return 1
            print(f"{len(SHOTS)} screenshots are up to date")
            return 0
        for path in write():
            print(f"wrote {path.relative_to(ROOT)}")
    except ScreenshotError as exc:
        print(f"screenshots: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

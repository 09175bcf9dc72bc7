"""SVG snapshots of ``atlas browse``'s screens (tests/snapshots/browse/) and the README's picture of it
(docs/images/browse.svg), made from the real app driven by Textual's pilot, deterministically.

    python scripts/browse_snapshots.py           # write them
    python scripts/browse_snapshots.py --check   # exit 1 and list the snapshots that differ

Each snapshot runs the app headless on the bundled atlas at a fixed size, presses its keys and
saves the screen as Textual exports it (``App.export_screenshot``): no colour switches from the
environment, no animation, no blinking cursor, no clock on screen. Each file starts with a comment
naming the Textual it was made with and the SHA-256 of the screen's text::

    <!-- atlas-browse-snapshot list.svg | textual 8.2.8 | text-sha256: 0123…cdef | python scr… -->

``--check`` makes each screen again: with the same Textual the file must be the same byte for byte
(styles, colours and all); with another one (whose SVG may style things differently) the screen's
text must be the same.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import importlib.metadata
import importlib.util
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "snapshots" / "browse"
IMAGES = ROOT / "docs" / "images"
SIZE = (100, 30)

if importlib.util.find_spec("atlascli") is None:  # a plain clone, not installed: use src/
    sys.path.insert(0, str(ROOT / "src"))


@dataclass(frozen=True)
class Snapshot:
    file: str
    keys: tuple[str, ...]  # what is pressed, as Textual's pilot names keys
    folder: Path = SNAPSHOTS
    size: tuple[int, int] = SIZE

    @property
    def path(self) -> Path:
        return self.folder / self.file


def typed(text: str) -> tuple[str, ...]:
    """The keys that type ``text``."""
    names = {" ": "space", "/": "slash", "?": "question_mark"}
    return tuple(names.get(c, c) for c in text)


SNAPSHOTS_MADE = (
    Snapshot("list.svg", ()),
    Snapshot("search.svg", ("slash", *typed("open data"))),
    Snapshot(
        "compare.svg",
        ("slash", *typed("bonn"), "enter", "m", "slash", "ctrl+u", *typed("dresden"), "enter", "m", "c"),
    ),
    Snapshot("similar.svg", ("slash", *typed("darmstadt"), "enter", "s")),
    Snapshot("projects.svg", ("p", "slash", *typed("mobil"), "enter")),
    Snapshot("matrix.svg", ("x", "o")),
    Snapshot("help.svg", ("question_mark",)),
    Snapshot("small.svg", ("slash", *typed("muenster"), "enter"), size=(80, 24)),
    # the README's picture
    Snapshot("browse.svg", ("slash", *typed("d"), "enter", "down"), folder=IMAGES),
)

# environment Textual reads when an app is made or draws (colour, theme, animation, size)
_CLEARED_ENV = ("NO_COLOR", "FORCE_COLOR", "TEXTUAL_THEME", "TEXTUAL_ANIMATIONS", "COLUMNS", "LINES")
_FINGERPRINT = re.compile(
    r"<!-- atlas-browse-snapshot (\S+) \| textual (\S+) \| text-sha256: ([0-9a-f]{64}) "
)
_TEXT = re.compile(r"<text [^>]*>([^<]*)</text>")


def textual_version() -> str:
    return importlib.metadata.version("textual")


@contextmanager
def _plain_environment() -> Iterator[None]:
    saved = {name: os.environ.pop(name) for name in _CLEARED_ENV if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


async def _screen_of(snapshot: Snapshot) -> str:
    from textual.widgets import Input

    from atlascli.browse import BrowseApp
    from atlascli.loader import load_atlas

    app = BrowseApp(load_atlas(None))
    app.animation_level = "none"
    async with app.run_test(size=snapshot.size) as pilot:
        await pilot.pause()
        for key in snapshot.keys:
            await pilot.press(key)
            await pilot.pause()
        for field in app.screen.query(Input):
            field.cursor_blink = False  # the cursor stays drawn
        await pilot.pause()
        return app.export_screenshot(title=f"atlas browse · {snapshot.file.removesuffix('.svg')}")


def screen_svg(snapshot: Snapshot) -> str:
    """The screen of ``snapshot`` as Textual exports it."""
    with _plain_environment():
        return asyncio.run(_screen_of(snapshot))


def screen_text(svg: str) -> str:
    """The text of a screen exported as SVG, line by line as drawn."""
    return "\n".join(html.unescape(part) for part in _TEXT.findall(svg.split("</style>", 1)[-1]))


def text_hash(svg: str) -> str:
    return hashlib.sha256(screen_text(svg).encode("utf-8")).hexdigest()


def render(snapshot: Snapshot) -> str:
    """The file of ``snapshot``: its fingerprint comment, then the SVG."""
    svg = screen_svg(snapshot).rstrip()
    fingerprint = (
        f"<!-- atlas-browse-snapshot {snapshot.file} | textual {textual_version()} | "
        f"text-sha256: {text_hash(svg)} | python scripts/browse_snapshots.py -->"
    )
    return f"{fingerprint}\n{svg}\n"


def differs(snapshot: Snapshot, folder: Path | None = None) -> bool:
    """Whether the file of ``snapshot`` (in ``folder``, else its own) is missing or shows another
    screen than the app now does."""
    path = (folder or snapshot.folder) / snapshot.file
    if not path.is_file():
        return True
    recorded = path.read_text(encoding="utf-8")
    match = _FINGERPRINT.match(recorded)
    if match is None or match.group(1) != snapshot.file:
        return True
    made = render(snapshot)
    if match.group(2) == textual_version():
        return made != recorded
    return text_hash(made.split("\n", 1)[1]) != match.group(3)


def stale(folder: Path | None = None) -> list[str]:
    """The snapshots that are missing or differ from the app."""
    return [s.file for s in SNAPSHOTS_MADE if differs(s, folder)]


def write() -> list[Path]:
    written = []
    for snapshot in SNAPSHOTS_MADE:
        snapshot.folder.mkdir(parents=True, exist_ok=True)
        with snapshot.path.open("w", encoding="utf-8", newline="\n") as out:
            out.write(render(snapshot))
        written.append(snapshot.path)
    return written


def check() -> int:
    """Print what differs; 1 if anything does."""
    outdated = set(stale())
    different = [s.path.relative_to(ROOT) for s in SNAPSHOTS_MADE if s.file in outdated]
    print("\n".join(f"differs: {path}" for path in different), file=sys.stderr, end="\n" * bool(different))
    if different:
        print("run python scripts/browse_snapshots.py (and look at what changed)", file=sys.stderr)
    else:
        print(f"{len(SNAPSHOTS_MADE)} browse snapshots are up to date")
    return int(bool(different))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if a snapshot differs or is missing")
    if parser.parse_args(argv).check:
        return check()
    print("\n".join(f"wrote {path.relative_to(ROOT)}" for path in write()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

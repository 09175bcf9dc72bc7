"""Keystroke-to-screen latency of ``atlas browse`` (issue 15), driven headless by Textual's pilot.

    python benchmarks/browse_latency.py              # 100,000 cities against the bundled atlas
    python benchmarks/browse_latency.py --sizes 10000,100000 --rounds 5
    python benchmarks/browse_latency.py --write      # ... and put the table into benchmarks/RESULTS.md

The app runs in this process (``App.run_test``, a headless terminal of 120×40) on a synthetic atlas
made by ``benchmarks/generate.py`` (the file ``run.py --scale`` uses, cached in
``benchmarks/.work``) with a warm cache: the atlas is loaded, and its name and search indexes
built, as ``atlas browse`` does before its screen opens, and every query is typed once before the
timed rounds. Each keystroke is timed from the key's press until the app has handled it and drawn
the screen again (``pilot.press``, then every widget's queue handled twice over and the screen
updated, :func:`drawn`): the list filtered, its visible rows read, the city pane laid out. On a
large atlas a query that names no city is searched beside the screen once typing pauses
(``atlascli.browse.SEARCH_DELAY``); the second column pair is the time from a query's last key
until its list is on screen. The reference is the same keystrokes on the bundled atlas of 20
cities, measured in the same run. Goal: at most 100 ms per keystroke at 100,000 cities, judged on
the max (median and max are reported).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from atlascli.model import Atlas

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # run.py: the synthetic atlas's file name and generator

# typed one key at a time after clearing the search; names (prefixes, umlaut spellings, a typo)
# and words that name no city (full-text search, as atlas search)
QUERIES = ("darm", "muenster", "bad ", "oldenbrug", "open data", "luftreinhaltung")
MOVES = ("down", "pagedown", "end", "home")  # the list, without typing
GOAL_MS = 100.0
SIZE = (120, 40)
BEGIN = "<!-- browse-latency: begin (python benchmarks/browse_latency.py --write) -->"
END = "<!-- browse-latency: end -->"


@dataclass
class Measured:
    label: str
    cities: int
    typing: list[float]  # seconds from a key to the screen drawn again, while typing the queries
    answers: list[float]  # seconds from a query's last key to its list on screen
    moving: list[float]  # seconds per key moving in the list

    def row(self) -> str:
        def ms(values: list[float]) -> str:
            return f"{statistics.median(values) * 1000:.1f} | {max(values) * 1000:.1f}"

        verdict = "—" if self.cities < 100_000 else "✓" if max(self.typing) * 1000 <= GOAL_MS else "✗"
        return (
            f"| {self.label} | {self.cities:,} | {len(self.typing)} | {ms(self.typing)} | "
            f"{ms(self.answers)} | {ms(self.moving)} | {verdict} |"
        )


async def drawn(pilot: Pilot[None]) -> None:
    """Until the app has handled what is queued (a key, the messages it posts) and drawn the screen.

    Pilot's own ``pause`` also waits for the process to idle, which a search thread never lets it:
    its private steps without that wait."""
    await pilot._wait_for_screen()  # the key, then what its handlers posted
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()  # the screen drawn (to the headless driver)


async def drive(atlas: Atlas, rounds: int) -> tuple[list[float], list[float], list[float]]:
    from atlascli.browse import BrowseApp

    typing: list[float] = []
    answers: list[float] = []
    moving: list[float] = []
    app = BrowseApp(atlas)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for round_ in range(rounds + 1):  # round 0 warms up: not counted
            for query in QUERIES:
                await pilot.press("slash", "ctrl+u")
                await drawn(pilot)
                while app.searching is not None:  # a search of the cleared query still running
                    await asyncio.sleep(0.01)
                for key in query:
                    start = time.perf_counter()
                    await pilot.press("space" if key == " " else key)
                    await drawn(pilot)
                    if round_:
                        typing.append(time.perf_counter() - start)
                last = time.perf_counter()
                while app.searching is not None:  # the list follows the search thread
                    await asyncio.sleep(0.005)
                await drawn(pilot)
                if round_:
                    answers.append(time.perf_counter() - last)
                if not app.positions:
                    raise SystemExit(f"{query!r} found nothing: the benchmark measures no list")
            await pilot.press("slash", "ctrl+u", "escape")
            await drawn(pilot)
            for key in MOVES:
                start = time.perf_counter()
                await pilot.press(key)
                await drawn(pilot)
                if round_:
                    moving.append(time.perf_counter() - start)
    return typing, answers, moving


def measure(label: str, path: Path | None, rounds: int) -> Measured:
    from atlascli.loader import load_atlas

    atlas = load_atlas(path)
    atlas.name_keys()  # as atlas browse does before the screen opens
    atlas.vocabulary()
    gc.freeze()
    typing, answers, moving = asyncio.run(drive(atlas, rounds))
    return Measured(label, len(atlas), typing, answers, moving)


def table(results: list[Measured], rounds: int) -> str:
    import platform

    import textual

    lines = [
        f"Keystroke to screen, ms (`benchmarks/browse_latency.py`, {rounds} rounds of typing "
        f"{', '.join(repr(q) for q in QUERIES)} one key at a time, then {', '.join(MOVES)} in the "
        f"list; headless {SIZE[0]}×{SIZE[1]}; {time.strftime('%Y-%m-%d', time.gmtime())}, "
        f"Python {platform.python_version()}, Textual "
        f"{textual.__version__}, {os.cpu_count()} CPUs shared). "
        f"Goal: typing ≤ {GOAL_MS:.0f} ms at 100,000 cities.",
        "",
        "| atlas | cities | keys typed | key to screen, median | max | query's list after its last key, "
        "median | max | moving in the list, median | max | goal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    lines += [r.row() for r in results]
    return "\n".join(lines)


def write(text: str) -> None:
    results = HERE / "RESULTS.md"
    old = results.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in old:
        head, rest = old.split(BEGIN, 1)
        new = head + block + rest.split(END, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n## `atlas browse`: keystroke latency\n\n" + block + "\n"
    results.write_text(new, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000", help="synthetic atlas sizes, comma-separated")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="put the table into benchmarks/RESULTS.md")
    args = parser.parse_args()

    import run  # benchmarks/run.py

    os.environ.setdefault("ATLAS_CACHE_DIR", str(run.WORK / "cache"))  # as run.py: not in ~/.cache
    paths = [(int(n), run.synthetic_atlas(int(n))) for n in args.sizes.split(",")]
    from atlascli.loader import load_atlas

    for _, path in paths:
        load_atlas(path)  # builds atlas's cache of the file if it has none: not timed
    results = [measure("bundled (reference)", None, args.rounds)]
    for n, path in paths:
        print(f"measuring {n:,} cities ...", file=sys.stderr)
        results.append(measure(f"synthetic, {n:,}", path, args.rounds))
    text = table(results, args.rounds)
    print(text)
    if args.write:
        write(text)


if __name__ == "__main__":
    main()

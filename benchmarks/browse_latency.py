"""Keystroke-to-screen latency of ``atlas browse`` (issue 15), driven headless by Textual's pilot.

    python benchmarks/browse_latency.py              # 100,000 cities against the bundled atlas
    python benchmarks/browse_latency.py --sizes 10000,100000 --rounds 5
    python benchmarks/browse_latency.py --write      # ... and put the table into benchmarks/RESULTS.md

The app runs in this process (``App.run_test``, a headless terminal of 120×40) on a synthetic atlas
made by ``benchmarks/generate.py`` (the file ``run.py --scale`` uses, cached in
``benchmarks/.work``) with a warm cache: the atlas is loaded, and its name and search indexes
built, as ``atlas browse`` does before its screen opens, and every query is typed once before the
timed rounds. Each keystroke is timed from the key handed to the app as the terminal driver hands
it (not ``pilot.press``, whose idle waits sleep 40 ms or more per key: ``--pilot`` measures that
way, as before) until the app has handled it and drawn the screen again (every widget's queue
empty, then the screen laid out and drawn to the headless driver, :func:`drawn`): the list
filtered, its visible rows read, the city pane laid out. A real terminal adds up to one frame
(1/60 s) of Textual's screen timer. On a
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
KEYS = {False: "handed to the app as the driver does", True: "through pilot.press, its idle waits counted"}
PILOT = False  # --pilot: each key through pilot.press (its idle waits counted), as measured before


@dataclass
class Measured:
    label: str
    cities: int
    typing: list[float]  # seconds from a key to the list and count drawn again, while typing the queries
    paced: list[float]  # the same, each key sent as the pane's delay ends (the pane drawing meanwhile)
    answers: list[float]  # seconds from a query's last key to its list on screen
    panes: list[float]  # seconds from a query's list on screen, or a move's key, to its city in the pane
    moving: list[float]  # seconds per key moving in the list (the list; the pane is in panes)

    def row(self) -> str:
        def ms(values: list[float]) -> str:
            return f"{statistics.median(values) * 1000:.1f} | {max(values) * 1000:.1f}"

        worst = max(max(self.typing), max(self.paced), max(self.moving)) * 1000
        verdict = "—" if self.cities < 100_000 else "✓" if worst <= GOAL_MS else "✗"
        return (
            f"| {self.label} | {self.cities:,} | {len(self.typing)} | {ms(self.typing)} | "
            f"{ms(self.paced)} | {ms(self.moving)} | {ms(self.answers)} | {ms(self.panes)} | {verdict} |"
        )


async def drawn(pilot: Pilot[None]) -> None:
    """Until the app has handled what is queued (a key, the messages it posts, the messages those
    post, ...) and drawn the screen.

    Pilot's own ``pause`` also waits for the process to idle, which a search thread never lets it:
    its private steps without that wait, over and over until every widget's queue is empty."""
    app = pilot.app
    while True:
        await pilot._wait_for_screen()  # what was queued, and what its handlers posted meanwhile
        if all(pump._message_queue.empty() for pump in (app, *app.screen.walk_children(with_self=True))):
            break
    app.screen._on_timer_update()  # the screen laid out and drawn (to the headless driver)


async def press(pilot: Pilot[None], key: str) -> None:
    """One key, as the terminal driver hands it to the app, and :func:`drawn`.

    Not ``pilot.press``: it sleeps in ``wait_for_idle(0)`` twice after each key (20 ms each at
    least, longer while any thread of the process is busy), which no terminal does."""
    from textual import events

    if PILOT:
        await pilot.press(key)  # as measured before (--pilot)
        await drawn(pilot)
        return
    char = {"space": " ", "slash": "/"}.get(key, key if len(key) == 1 else None)
    event = events.Key(key, char)
    event.set_sender(pilot.app)
    driver = pilot.app._driver
    assert driver is not None
    driver.send_message(event)
    await drawn(pilot)


async def settled(pilot: Pilot[None]) -> None:
    """Until the pane shows the highlighted city (on a large atlas it follows once the keys pause,
    ``atlascli.browse.PANE_DELAY``) and the screen is drawn."""
    app = pilot.app
    await drawn(pilot)
    while app.pane_due():  # type: ignore[attr-defined]  # pilot.app is typed as App, it is a BrowseApp
        await asyncio.sleep(0.002)
        await drawn(pilot)


async def drive(atlas: Atlas, rounds: int) -> Measured:
    from atlascli.browse import PANE_DELAY, BrowseApp

    measured = Measured("", len(atlas), [], [], [], [], [])
    app = BrowseApp(atlas)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for round_ in range(rounds + 1):  # round 0 warms up: not counted
            for query in QUERIES:
                for paced in (False, True):
                    await pilot.press("slash", "ctrl+u")
                    await drawn(pilot)
                    while app.searching is not None:  # a search of the cleared query still running
                        await asyncio.sleep(0.01)
                    await settled(pilot)
                    for key in query:
                        if paced:  # the next key as the pane's delay ends: it waits for the pane
                            await asyncio.sleep(PANE_DELAY)
                        start = time.perf_counter()
                        await press(pilot, "space" if key == " " else key)
                        if round_:
                            (measured.paced if paced else measured.typing).append(time.perf_counter() - start)
                    last = time.perf_counter()
                    while app.searching is not None:  # the list follows the search thread
                        await asyncio.sleep(0.005)
                    await drawn(pilot)
                    listed = time.perf_counter()
                    if round_ and not paced:
                        measured.answers.append(listed - last)
                    await settled(pilot)
                    if round_ and not paced:  # from the list on screen (a search's answer: seconds)
                        measured.panes.append(time.perf_counter() - listed)
                    if not app.positions:
                        raise SystemExit(f"{query!r} found nothing: the benchmark measures no list")
            await pilot.press("slash", "ctrl+u", "escape")
            await settled(pilot)
            for key in MOVES:
                start = time.perf_counter()
                await press(pilot, key)
                if round_:
                    measured.moving.append(time.perf_counter() - start)
                await settled(pilot)
                if round_:
                    measured.panes.append(time.perf_counter() - start)
    return measured


def measure(label: str, path: Path | None, rounds: int) -> Measured:
    from atlascli.loader import load_atlas

    atlas = load_atlas(path)
    atlas.name_keys()  # as atlas browse does before the screen opens
    atlas.vocabulary()
    gc.freeze()
    measured = asyncio.run(drive(atlas, rounds))
    measured.label = label
    return measured


def table(results: list[Measured], rounds: int) -> str:
    import platform

    import textual

    from atlascli.browse import PANE_DELAY

    lines = [
        f"Keystroke to screen, ms (`benchmarks/browse_latency.py`, {rounds} rounds of typing "
        f"{', '.join(repr(q) for q in QUERIES)} one key at a time, then {', '.join(MOVES)} in the "
        f"list; keys {KEYS[PILOT]}; "
        f"headless {SIZE[0]}×{SIZE[1]}; {time.strftime('%Y-%m-%d', time.gmtime())}, "
        f"Python {platform.python_version()}, Textual "
        f"{textual.__version__}, {os.cpu_count()} CPUs shared). "
        f"Goal: a key ≤ {GOAL_MS:.0f} ms at 100,000 cities (typing, paced typing and moving, on the "
        f"max). A key draws the list and the count; on a large atlas the pane shows its city once the "
        f"keys pause {PANE_DELAY * 1000:.0f} ms (the last two columns). Paced: each key sent "
        f"{PANE_DELAY * 1000:.0f} ms after the last was drawn, as the pane's city is due, so it waits "
        f"for the pane when they meet.",
        "",
        "| atlas | cities | keys typed | key to list, median | max | paced key to list, median | max | "
        "moving in the list, median | max | query's list after its last key, median | max | "
        "pane after the query's list or a move, median | max | goal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
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
    parser.add_argument("--pilot", action="store_true", help="keys through pilot.press, its waits counted")
    args = parser.parse_args()
    global PILOT
    PILOT = args.pilot

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

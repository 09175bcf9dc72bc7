"""The terminal: a Rich console set up once, and data made safe to show on it.

Rich itself is imported inside :func:`make_console`, so importing this module costs nothing.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

from atlascli.chars import visible
from atlascli.text import encodes

if TYPE_CHECKING:
    from rich.console import Console


def safe_text(text: str) -> str:
    """Text from the data as harmless literal text: controls, format (bidi, zero-width, tag)
    characters, line/paragraph separators and default-ignorables removed (:mod:`atlascli.chars`);
    newlines kept, tabs as spaces."""
    return visible(text, keep="\t\n").replace("\t", " ")


def colour_wanted(no_color: bool, stream: TextIO) -> bool | None:
    """True to force colour, False to forbid it, None to let Rich decide from the terminal.

    ``--no-color``, ``NO_COLOR`` (non-empty) and ``TERM=dumb`` turn colour off; ``FORCE_COLOR``
    (non-empty) turns it on even in a pipe.
    """
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return None


def make_console(no_color: bool = False, stream: TextIO | None = None) -> Console:
    from rich.console import Console

    stream = stream if stream is not None else sys.stdout
    colour = colour_wanted(no_color, stream)
    return Console(
        file=stream,
        color_system=None if colour is False else "auto",
        force_terminal=True if colour else None,
        no_color=colour is False,
        emoji=False,
        markup=False,
        highlight=False,
    )


def can_encode(console: Console, sample: str) -> bool:
    return encodes(console.encoding, sample)


class BuildProgress:
    """A progress bar on stderr while a large file is first validated into its database, when
    stderr is a terminal (nothing in a pipe); Rich is imported only once a build reports."""

    def __init__(self, no_color: bool) -> None:
        self._no_color = no_color
        self._shown = sys.stderr.isatty()
        self._bar: Any = None
        self._task: Any = None
        self._what = ""

    def __enter__(self) -> BuildProgress:
        return self

    def __call__(self, what: str, done: int, total: int) -> None:
        """``done`` of ``total`` of the build ``what`` (bytes when validating, else cities)."""
        if not self._shown:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            console = Console(stderr=True, no_color=colour_wanted(self._no_color, sys.stderr) is False)
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[amount]}"),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self._bar.start()
        if self._task is None or self._what != what:
            if self._task is not None:
                self._bar.remove_task(self._task)
            self._what = what
            self._task = self._bar.add_task(what, total=total, amount="")
        if what == "validating":
            amount = f"{done / 1e6:.1f}/{total / 1e6:.1f} MB"
        else:
            amount = f"{done:,}/{total:,} cities"
        self._bar.update(self._task, completed=done, amount=amount)

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

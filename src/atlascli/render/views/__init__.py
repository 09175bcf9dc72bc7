"""Rich views of core values for the terminal, one module per subject, and the pieces they share.

Every piece of data goes in as ``Text`` (never as markup) and through
:func:`~atlascli.render.terminal.safe_text`, so the data cannot style, link or control the terminal.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from atlascli.render.terminal import can_encode, safe_text


def t(text: str, style: str = "") -> Text:
    """Data as literal, safe text."""
    return Text(safe_text(text), style=style)


def number(value: int | float | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return f"{value:,}"


class Marks:
    """Check marks that survive terminals which cannot show them."""

    def __init__(self, console: Console) -> None:
        fancy = can_encode(console, "✓·★")
        self.yes = "✓" if fancy else "x"
        self.no = "·" if fancy else "-"
        self.shared = "★" if fancy else "*"
        self.bullet = "•" if fancy else "-"
        self.dash = "—" if fancy else "-"


def make_table(console: Console, **kwargs: object) -> Table:
    return Table(
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        safe_box=not can_encode(console, "─│"),
        **kwargs,  # type: ignore[arg-type]  # Table's keyword arguments are typed one by one
    )


def fit_widths(
    total: int, natural: Sequence[int], fixed: Sequence[int], gap: int, least: int = 4
) -> list[int]:
    """Column widths that fit ``total``: columns with a ``fixed`` width (numbers) keep it, the others
    share what is left in proportion to their natural width, each at least ``least``.

    Rich alone would crop columns that cannot wrap when a terminal is narrow (Rich issue 2890).
    """
    room = total - gap * (len(natural) - 1)
    if sum(natural) <= room:
        return list(natural)
    flexible = [i for i, f in enumerate(fixed) if not f]
    left = max(room - sum(f for f in fixed if f), least * len(flexible))
    wanted = sum(natural[i] for i in flexible) or 1
    widths = [f or 0 for f in fixed]
    for i in flexible:
        widths[i] = max(least, min(natural[i], left * natural[i] // wanted))
    spare = left - sum(widths[i] for i in flexible)
    for i in sorted(flexible, key=lambda i: natural[i] - widths[i], reverse=True):
        if spare <= 0:
            break
        extra = min(spare, natural[i] - widths[i])
        widths[i] += extra
        spare -= extra
    return widths


def bullets(
    items: Sequence[str],
    marks: Marks,
    shared: Callable[[str], bool] | None = None,
    width: int | None = None,
) -> Text:
    """Items as bulleted lines of one Text; shared items starred. Given the ``width`` they are
    shown in, wrapped lines hang under the text (wrapped here: a grid table per list would do
    the same at twice the rendering time)."""
    if not items:
        return Text("none listed", style="dim")
    out = Text()
    for i, item in enumerate(items):
        if i:
            out.append("\n")
        text = safe_text(item)
        if width is not None and len(text) > width - 2:
            text = "\n  ".join(textwrap.wrap(text, width - 2, break_on_hyphens=False)) or text
        if shared is not None and shared(item):
            out.append(f"{marks.shared} {text}", style="yellow")
        else:
            out.append(f"{marks.bullet} {text}")
    return out

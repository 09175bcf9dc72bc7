"""Export in ``atlas browse`` (key ``e``): the cities the list holds, written to a file in the
bytes ``atlas filter`` writes (its own output path: :func:`atlascli.cli.output.cities_output` and
:func:`~atlascli.cli.output.write_machine`), and the command line that writes the same file.

Imported by :mod:`atlascli.browse` only (Textual, like it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from atlascli.browse_facets import command_line, filter_arguments
from atlascli.model import Atlas, CityFilter
from atlascli.render import OutputFormat

FORMATS = {
    ".csv": OutputFormat.csv,
    ".json": OutputFormat.json,
    ".jsonl": OutputFormat.jsonl,
    ".tsv": OutputFormat.tsv,
    ".md": OutputFormat.markdown,
}
DEFAULT_FILE = "atlas-cities.csv"


def export_format(path: str) -> OutputFormat:
    """The format a file name asks for by its ending (csv unless it ends in .json, .jsonl, .tsv
    or .md)."""
    return FORMATS.get(Path(path.strip()).suffix.lower(), OutputFormat.csv)


def reproducing(prefix: Sequence[str], query: str, conditions: CityFilter, path: str) -> tuple[str, str]:
    """The command line that writes the file ``path`` as the export does, and what of the list it
    leaves out ('' when nothing: the typed search has no option of ``atlas filter``)."""
    fmt = export_format(path)
    words = [*prefix, "filter", *filter_arguments(conditions), "-f", fmt.value]
    line = command_line(words) + " > " + command_line([path.strip() or DEFAULT_FILE])
    if not query.strip():
        return line, ""
    gap = (
        f"not in it: the search {query.strip()!r}, which no option of atlas filter states (the file "
        "holds the cities the list shows, in its order; the command writes every city the facets select)"
    )
    return line, gap


def export_cities(atlas: Atlas, positions: Sequence[int], path: Path, *, excel: bool) -> None:
    """Write the cities at these positions, in this order, to ``path`` in the format its name asks
    for, as ``atlas filter -f FORMAT`` writes them on stdout."""
    from atlascli.cli.output import cities_output, write_machine

    fmt = export_format(str(path))
    output = cities_output(atlas, positions, fmt=fmt, columns=None, sort=None, reverse=False, limit=None)
    with path.open("w", encoding="utf-8", newline="") as out:
        write_machine(output, out, excel=excel)


class ExportScreen(ModalScreen[None]):
    """Asks for a file name, shows the command line that writes the same file, writes it on Enter
    (a file that exists only on a second Enter); Esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 90%; max-width: 100; height: auto; border: round $primary; padding: 0 1;
        background: $surface;
    }
    ExportScreen #export-command { margin-top: 1; }
    ExportScreen #export-gap, ExportScreen #export-status { color: $text-muted; }
    """

    def __init__(
        self,
        atlas: Atlas,
        positions: Sequence[int],
        *,
        prefix: Sequence[str],
        query: str,
        conditions: CityFilter,
        excel: bool,
    ) -> None:
        super().__init__()
        self.atlas = atlas
        self.positions = positions
        self.prefix = prefix
        self.query_text = query
        self.conditions = conditions
        self.excel = excel
        self.confirm: Path | None = None  # a file that exists, to be overwritten on a second Enter
        self.status = ""

    def compose(self) -> ComposeResult:
        cities = "city" if len(self.positions) == 1 else "cities"
        with Vertical():
            yield Static(
                Text(f"Export the {len(self.positions):,} {cities} listed (.csv .json .jsonl .tsv .md)")
            )
            yield Input(value=DEFAULT_FILE, id="export-file")
            yield Static(id="export-command")
            yield Static(id="export-gap")
            yield Static(id="export-status")

    def on_mount(self) -> None:
        self.show_command(DEFAULT_FILE)
        self.query_one("#export-file", Input).focus()

    def show_command(self, path: str) -> None:
        line, gap = reproducing(self.prefix, self.query_text, self.conditions, path)
        self.query_one("#export-command", Static).update(Text("$ " + line))
        self.query_one("#export-gap", Static).update(Text(gap))

    def say(self, status: str) -> None:
        self.status = status
        self.query_one("#export-status", Static).update(Text(status))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # the app's own Input handler is the search's
        self.confirm = None
        self.say("")
        self.show_command(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if not name:
            self.say("name a file")
            return
        path = Path(name).expanduser()
        if path.exists() and self.confirm != path:
            self.confirm = path
            self.say(f"{name} exists: Enter again to overwrite it, Esc to keep it")
            return
        try:
            export_cities(self.atlas, self.positions, path, excel=self.excel)
        except OSError as exc:
            self.say(f"could not write {name}: {exc.strerror or exc}")
            return
        line, _ = reproducing(self.prefix, self.query_text, self.conditions, name)
        self.app.pop_screen()
        cities = "city" if len(self.positions) == 1 else "cities"
        self.app.notify(f"wrote {len(self.positions):,} {cities} to {name}\n$ {line}", timeout=8)

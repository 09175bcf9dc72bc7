"""Validating an atlas TSV file: every problem at once, with its line and column.

The core of atlascli: imports neither typer, rich nor rapidfuzz. Rows are read by the TSV readers
of :mod:`atlascli.tsv`; where a cell can be wrong, by readers here that say what is wrong
(:class:`~atlascli.errors.AtlasDataError`) and read it in the same pass.
"""

from __future__ import annotations

import gc
import mmap
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple, TypeVar

from atlascli.chars import first_hidden
from atlascli.errors import AtlasDataError, Problem
from atlascli.model import ALL_FIELDS, FIELD_BY_NAME, City, Handlungsfeld, Project
from atlascli.schema import COLUMNS, ITEM_SEPARATOR, STORED, Column, Item, Kind
from atlascli.text import match_key
from atlascli.tsv import READERS, Reader, city_cells, city_of, format_project, split_items, split_project

Data = bytes | mmap.mmap

# bounds on what one line may hold (README, "Your own atlas file"): a longer cell or header is an
# error, so that no message, table or regular expression meets megabytes of one value
CELL_LIMIT = 1_000_000  # characters
HEADER_LIMIT = 65_536  # characters

_DIGITS = re.compile(r"[0-9]+")
# the largest whole number a cell may hold: SQLite's INTEGER, which a large file's database, export
# --sqlite and atlas sql store (and a number of more than 4,300 digits is more than int() reads)
LARGEST = 2**63 - 1
_GROUPED = re.compile(r"[0-9]{1,3}(?:[.,' ][0-9]{3})+")
# no white space, no C0/C1 controls, no bidi or invisible format characters: a URL is shown and
# becomes a terminal hyperlink, and nothing in it may act on the terminal (the pattern's list is
# backed by atlascli.chars.first_hidden, by Unicode property: Cc, Cf, Zl, Zp, default-ignorables)
_URL_CHAR = "[^\\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff{extra}]"
_URL = re.compile(
    "https?://"
    + _URL_CHAR.format(extra="/?#:")
    + "+(?::[0-9]{1,5})?(?:[/?#]"
    + _URL_CHAR.format(extra="")
    + "*)?"
)


@contextmanager
def no_gc() -> Iterator[None]:
    """Building many records creates nothing cyclic; the collector's passes over them only cost
    time (a third of a large load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# a list cell as the TSV writer writes it: items without surrounding blanks (possibly empty) joined
# by ITEM_SEPARATOR, and no item holds ";" (each item's end is found at its ";": linear time)
_WRITTEN_LIST = re.compile(r"(?:[^;\s](?:[^;]*[^;\s])?)?(?:; (?:[^;\s](?:[^;]*[^;\s])?)?)*")
assert ITEM_SEPARATOR == "; "  # the pattern spells the separator out


class Row(NamedTuple):
    """A valid data row: its line number, its bytes in the file (start, end), its record, its
    cells as the file has them (in COLUMNS order) and its name's :func:`~atlascli.text.match_key`."""

    line: int
    start: int
    end: int
    city: City
    cells: list[str]
    key: str


def header_order(data: Data, shown: str) -> list[int]:
    """Where each of COLUMNS stands in a file's rows: its first non-blank line is the header."""
    return _header(data, shown)[0]


def _header(data: Data, shown: str) -> tuple[list[int], int, int]:
    """The header's order of COLUMNS, where the line after it starts and the header's number."""
    for number, _, end, text in _lines(data, shown):
        if len(text) > HEADER_LIMIT:
            raise AtlasDataError.single(
                shown,
                f"the header line has {len(text):,} characters, over the limit of {HEADER_LIMIT:,}",
                number,
            )
        if text.strip():
            problems: list[Problem] = []
            order = _header_order(text.split("\t"), shown, number, problems)
            if problems:
                raise AtlasDataError(problems)
            after = data.find(b"\n", end)
            return order, len(data) if after < 0 else after + 1, number
    raise AtlasDataError.single(shown, "the file is empty")


def validated_rows(data: Data, shown: str) -> Iterator[Row]:
    """Every data row of an atlas file, validated; raises AtlasDataError with all problems found
    after the last row (or at once for a file that is not UTF-8 text or has a bad header)."""
    _check_text(data, shown)
    problems: list[Problem] = []
    order, body, header = _header(data, shown)
    parser = RowParser(shown, order, problems)
    names = Names(shown, problems)
    for line, start, end, (city, cells) in _parsed(parser, RowParser.parse, data, body, len(data), header):
        key = match_key(city.stadt)
        if names.first(line, key, city.stadt):
            yield Row(line, start, end, city, cells, key)
    names.check()


class Written(NamedTuple):
    """A valid data row as the TSV writer writes it (a large atlas's rows): its line number, where
    its line ends in the file, its cells as :func:`~atlascli.tsv.city_cells` writes them (in
    COLUMNS order) and its name's :func:`~atlascli.text.match_key`."""

    line: int
    end: int
    cells: list[str]
    key: str


class Part(NamedTuple):
    """Whole lines of a file's rows, from byte ``start`` to ``stop``, the first numbered ``number`` + 1."""

    start: int
    stop: int
    number: int


def parts(data: bytes, shown: str, count: int) -> tuple[list[int], list[Part]]:
    """The header's order of COLUMNS and the rows split into up to ``count`` parts of about the
    same size at line ends, to be validated apart (:func:`written_part`); raises AtlasDataError
    at once for a file that is binary or has a bad header."""
    _check_text(data, shown)
    order, start, number = _header(data, shown)
    found: list[Part] = []
    for i in range(count - 1, 0, -1):
        stop = data.find(b"\n", start + (len(data) - start) // (i + 1)) + 1
        if stop <= 0:
            break
        found.append(Part(start, stop, number))
        number += data.count(b"\n", start, stop)
        start = stop
    found.append(Part(start, len(data), number))
    return order, found


def written_part(
    data: Data, shown: str, order: list[int], part: Part, problems: list[Problem]
) -> Iterator[Written]:
    """The valid rows of a part of a file (:func:`parts`) in written form; each other line's
    problems are appended. Raises AtlasDataError at once for a line that is not UTF-8. Names are
    not compared here: :class:`Names` does that over every part's rows, in file order.

    A line that is already written as the writer writes it becomes no City
    (:meth:`RowParser.written`): the rows and problems are those of :func:`validated_rows`."""
    parser = RowParser(shown, order, problems)
    for number, _, end, cells in _parsed(parser, RowParser.written, data, part.start, part.stop, part.number):
        yield Written(number, end, cells, match_key(cells[0]))


class Names:
    """The cities' names, as rows are read in file order: a name (by match key) that a row before
    had is a problem. :meth:`check` then raises AtlasDataError with every problem, if any."""

    def __init__(self, shown: str, problems: list[Problem]) -> None:
        self.shown = shown
        self.problems = problems
        self._first_line: dict[str, int] = {}

    def first(self, line: int, key: str, stadt: str) -> bool:
        """Whether no row before had this name (a problem, if one had)."""
        first = self._first_line.setdefault(key, line)
        if first != line:
            self.problems.append(
                Problem(self.shown, line, "stadt", f"duplicate city {stadt!r} (first on line {first})")
            )
        return first == line

    def check(self) -> None:
        check_rows(self.shown, self.problems, len(self._first_line))


def check_rows(shown: str, problems: list[Problem], rows: int) -> None:
    """Raise AtlasDataError with these problems, or for a file of no rows and no problems."""
    if not rows and not problems:
        problems.append(Problem(shown, None, None, "has a header but no cities"))
    if problems:
        raise AtlasDataError(problems)


P = TypeVar("P")


def _parsed(
    parser: RowParser,
    parse: Callable[[RowParser, str, int], P | None],
    data: Data,
    start: int,
    stop: int,
    number: int,
) -> Iterator[tuple[int, int, int, P]]:
    """(line number, start, end, parsed) of each line from byte ``start`` to ``stop`` that is not
    blank and that ``parse`` reads (None and problems if the line is not valid)."""
    for line, begin, end, text in _lines(data, parser.shown, start, stop, number):
        if text.strip():
            parsed = parse(parser, text, line)
            if parsed is not None:
                yield line, begin, end, parsed


def _check_text(data: Data, shown: str) -> None:
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _position(data, nul)
        raise AtlasDataError.single(
            shown, f"contains a NUL byte at column {col}; this looks like a binary file, not a TSV", line
        )


def _lines(
    data: Data, shown: str, position: int = -1, size: int = -1, number: int = 0
) -> Iterator[tuple[int, int, int, str]]:
    """(line number, start, end, text) of each line from byte ``position`` (the line after line
    ``number``; the start of the file if -1) to ``size`` (its end if -1); a BOM and CR line ends
    are dropped.

    Each line is decoded on its own, so that a row can later be read back from its bytes alone.
    """
    if position < 0:
        position = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    if size < 0:
        size = len(data)
    while position < size:
        number += 1
        end = data.find(b"\n", position, size)
        if end < 0:
            end = size
        stop = end - 1 if end > position and data[end - 1] == 13 else end
        try:
            text = data[position:stop].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise AtlasDataError.single(
                shown,
                f"is not valid UTF-8 (byte 0x{data[position + exc.start]:02x} at column {exc.start + 1}); "
                "it may be Latin-1 or Windows-1252: save it as UTF-8",
                number,
            ) from None
        yield number, position, stop, text
        position = end + 1


def _position(data: Data, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return bytes(data[:offset]).count(b"\n") + 1, offset - line_start + 1


def _header_order(header: list[str], shown: str, line: int, problems: list[Problem]) -> list[int]:
    """Index of each of COLUMNS in the file's header; problems for missing, unknown or doubled names."""
    names = [h.strip() for h in header]
    seen: set[str] = set()
    for name in names:
        if name not in COLUMNS:
            problems.append(
                Problem(
                    shown, line, None, f"unknown column {_clip(name, 200)!r} (expected: {', '.join(COLUMNS)})"
                )
            )
        elif name in seen:
            problems.append(Problem(shown, line, None, f"column {name!r} appears twice"))
        seen.add(name)
    for name in COLUMNS:
        if name not in names:
            problems.append(Problem(shown, line, None, f"missing column {name!r}"))
    return [names.index(name) if name in names else -1 for name in COLUMNS]


class RowParser:
    """Turns one data line into a City, appending a Problem for each defect instead.

    Each column is read by the TSV reader of :mod:`atlascli.tsv`, or, where a cell can be wrong,
    by a reader here that reports what is wrong and reads the cell in the same pass.

    The costly readers remember what they read without a problem (a Handlungsfelder cell, a
    project, a valid URL; at most :data:`MEMO_LIMIT` of each, then they start again): in a large
    atlas these repeat from row to row. Only what gave no problem is remembered, so every defect
    is still reported on every line it is on; the values are immutable and may be shared."""

    def __init__(self, shown: str, order: list[int], problems: list[Problem]) -> None:
        self.shown = shown
        self.order = order
        self.width = max(order) + 1
        self.problems = problems
        self._line = 0
        checked: dict[str, Reader] = {
            "stadt": self._name,
            "einwohner": lambda cell: self._whole_number(cell, "einwohner"),
            "flaeche_km2": lambda cell: self._whole_number(cell, "flaeche_km2"),
            "handlungsfelder": self._field_cell,
            "projektbeispiele": lambda cell: tuple(self._project(item) for item in split_items(cell)),
            "links": self._links,
        }
        self._readers = [checked.get(name, READERS[name]) for name in COLUMNS]
        self._field_cells: dict[str, tuple[Handlungsfeld, ...]] = {}
        self._projects: dict[str, Project] = {}
        self._urls: dict[str, bool] = {}
        self._in_order = order == list(range(len(COLUMNS)))
        self._written_tests = [self._written_test(column) for column in STORED]
        self._written_fields: dict[str, bool] = {}
        self._written_projects: dict[str, bool] = {}

    def _problem(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.shown, self._line, column, message))

    def city(self, raw: str, line: int) -> City | None:
        parsed = self.parse(raw, line)
        return None if parsed is None else parsed[0]

    def parse(self, raw: str, line: int) -> tuple[City, list[str]] | None:
        """The City of a line and its cells in COLUMNS order; None (and problems) if invalid."""
        cells = raw.split("\t")
        self._line = line
        if len(cells) != self.width:
            self._problem(None, f"has {len(cells)} cells, expected {self.width}")
            return None
        if max(map(len, cells)) > CELL_LIMIT:
            for name, i in zip(COLUMNS, self.order, strict=True):
                if len(cells[i]) > CELL_LIMIT:
                    self._problem(
                        name, f"the cell has {len(cells[i]):,} characters, over the limit of {CELL_LIMIT:,}"
                    )
            return None
        before = len(self.problems)
        ordered = [cells[i] for i in self.order]
        city = city_of(ordered, self._readers)
        return (city, ordered) if len(self.problems) == before else None

    def written(self, raw: str, line: int) -> list[str] | None:
        """The cells of a line as :func:`~atlascli.tsv.city_cells` writes its City, in COLUMNS
        order; None (and problems) if invalid, as :meth:`parse`.

        A line whose every cell passes its column's written test (valid, and as the writer writes
        it: the reader finds no problem in it and the writer gives it back) is its own written form
        and becomes no City; any other line is parsed and its City written."""
        cells = raw.split("\t")
        if len(cells) == self.width and len(raw) <= CELL_LIMIT:
            ordered = cells if self._in_order else [cells[i] for i in self.order]
            for test, cell in zip(self._written_tests, ordered):  # noqa: B905  # as many of each
                if not test(cell):
                    break
            else:
                return ordered
        parsed = self.parse(raw, line)
        return None if parsed is None else city_cells(parsed[0])

    def _written_test(self, column: Column) -> Callable[[str], bool]:
        """Whether a cell of this column is valid and written as the writer writes it (may say no
        to a few such cells: they are then parsed)."""
        if column.name == "stadt":
            return lambda cell: cell == cell.strip() != ""
        if column.name == "links":
            return self._written_links
        if column.kind == Kind.NUMBER:
            return _written_number
        if column.kind == Kind.TEXT:
            return (lambda cell: cell == cell.strip()) if column.trimmed else lambda cell: True
        if column.items == Item.FELD:
            return self._written_field_cell
        if column.items == Item.PROJEKT:
            return self._written_project_cell
        return lambda cell: _WRITTEN_LIST.fullmatch(cell) is not None

    def _written_field_cell(self, cell: str) -> bool:
        known = self._written_fields.get(cell)
        if known is None:
            names = split_items(cell)
            known = _written_fields(names) and ITEM_SEPARATOR.join(names) == cell
            _remember(self._written_fields, cell, known)
        return known

    def _written_project_cell(self, cell: str) -> bool:
        return _written_items(cell, self._written_project)

    def _written_project(self, item: str) -> bool:
        known = self._written_projects.get(item)
        if known is None:
            name, names = split_project(item)
            known = bool(name) and _written_fields(names)
            if known:
                known = format_project(Project(name, tuple(FIELD_BY_NAME[n] for n in names))) == item
            _remember(self._written_projects, item, known)
        return known

    def _written_links(self, cell: str) -> bool:
        return _written_items(cell, self._written_link)

    def _written_link(self, url: str) -> bool:
        if url in self._urls:
            return True
        if not _valid_url(url):
            return False
        _remember(self._urls, url, True)
        return True

    def read(self, raw: str) -> City:
        """The City of a row that :meth:`city` has already validated, without checking it again
        (large files read rows back this way)."""
        cells = raw.split("\t")
        return city_of([cells[i] for i in self.order])

    def _name(self, cell: str) -> str:
        name = cell.strip()
        if not name:
            self._problem("stadt", "the city name is empty")
        return name

    def _whole_number(self, cell: str, column: str) -> int:
        text = cell.strip()
        if _DIGITS.fullmatch(text):
            digits = text.lstrip("0") or "0"  # int() counts leading zeros towards its digit limit
            value = int(digits) if len(digits) <= len(str(LARGEST)) else LARGEST + 1
            if value > LARGEST:
                self._problem(column, f"{_clip(text)!r} is too large (at most {LARGEST})")
                return 0
            return value
        if _GROUPED.fullmatch(text):
            plain = re.sub(r"[^0-9]", "", text)
            self._problem(column, f"{text!r} has thousands separators; write it as {plain}")
        elif text.startswith("-") and _DIGITS.fullmatch(text[1:]):
            self._problem(column, f"{text!r} is negative")
        elif not text:
            self._problem(column, "is empty; a whole number is required")
        else:
            self._problem(column, f"{_clip(text)!r} is not a whole number")
        return 0

    def _fields(self, names: list[str], column: str) -> tuple[Handlungsfeld, ...]:
        fields: list[Handlungsfeld] = []
        for name in names:
            feld = FIELD_BY_NAME.get(name)
            if feld is None:
                valid = ", ".join(f.value for f in ALL_FIELDS)
                self._problem(column, f"unknown Handlungsfeld {_clip(name)!r} (valid: {valid})")
            elif feld in fields:
                self._problem(column, f"Handlungsfeld {name!r} is listed twice")
            else:
                fields.append(feld)
        return tuple(fields)

    def _field_cell(self, cell: str) -> tuple[Handlungsfeld, ...]:
        found = self._field_cells.get(cell)
        if found is None:
            before = len(self.problems)
            found = self._fields(split_items(cell), "handlungsfelder")
            if len(self.problems) == before:
                _remember(self._field_cells, cell, found)
        return found

    def _project(self, item: str) -> Project:
        found = self._projects.get(item)
        if found is not None:
            return found
        before = len(self.problems)
        name, field_names = split_project(item)
        if not name:
            self._problem("projektbeispiele", f"project {_clip(item)!r} has no name")
        project = Project(name, self._fields(field_names, "projektbeispiele"))
        if len(self.problems) == before:
            _remember(self._projects, item, project)
        return project

    def _links(self, cell: str) -> tuple[str, ...]:
        links = tuple(split_items(cell))
        for url in links:
            if url in self._urls:
                continue
            if not _valid_url(url):
                self._problem("links", f"{_clip(url)!r} is not a valid http(s) URL")
            else:
                _remember(self._urls, url, True)
        return links


def _valid_url(url: str) -> bool:
    return _URL.fullmatch(url) is not None and first_hidden(url) is None


def _written_number(cell: str) -> bool:
    # [0-9]+ without leading zeros (as str(int) writes it), of at most 18 digits: below LARGEST
    return cell.isdigit() and cell.isascii() and (cell[0] != "0" or len(cell) == 1) and len(cell) < 19


def _written_items(cell: str, written: Callable[[str], bool]) -> bool:
    """Whether a list cell is written as the writer writes it, each item so by ``written``."""
    if not cell:
        return True
    return _WRITTEN_LIST.fullmatch(cell) is not None and all(map(written, cell.split(ITEM_SEPARATOR)))


def _written_fields(names: list[str]) -> bool:
    """Whether these names are Handlungsfelder, each once (a field is written by its name)."""
    return all(name in FIELD_BY_NAME for name in names) and len(set(names)) == len(names)


MEMO_LIMIT = 8192  # values each of RowParser's memories holds before it starts again
K = TypeVar("K")
V = TypeVar("V")


def _remember(memo: dict[K, V], key: K, value: V) -> None:
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

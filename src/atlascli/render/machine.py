"""Machine formats (csv, tsv, json, jsonl, markdown) with the standard library only.

Cells are written as they are in the data: no markup, no wrapping, no styling. A frame
(:class:`~atlascli.render.Frame`) is a header and rows of cells; a cell is text, a number, None
(empty) or a list (joined with the schema's item separator in the flat formats, an array in JSON).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

from atlascli.render import Cell, Frame, OutputFormat
from atlascli.schema import ITEM_SEPARATOR, NUMERIC_COLUMNS
from atlascli.text import encodes

_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def csv_line(cells: Sequence[str]) -> str:
    """One CSV record (RFC 4180, LF line end): a cell with a comma, quote, LF or CR is quoted.

    Written by hand because Python's csv module (before 3.13) leaves a cell with a lone CR
    unquoted when the line terminator is LF, and readers then break the row there; it is also
    slower: it looks at every character, where ``in`` tests (in C) find the four specials three
    times quicker than the module or a regular expression per cell.
    """
    return ",".join(map(_csv_cell, cells)) + "\n"


def _csv_cell(cell: str) -> str:
    if '"' in cell:
        return '"' + cell.replace('"', '""') + '"'
    if "," in cell or "\n" in cell or "\r" in cell:
        return '"' + cell + '"'
    return cell


def csv_ready(cells: Sequence[str]) -> str | None:
    """Cells of text joined by tabs, each that CSV quotes (one with a comma) in quotes, when no
    cell holds a quote, a line break or a tab (a large atlas's rows): then the row's CSV line is
    this with commas for the tabs (:func:`csv_of_ready`), and without its quotes it is the cells
    joined by tabs again. None for any other row (:func:`csv_line` writes it)."""
    whole = "\t".join(cells)  # one test of the row for what needs more than a comma's quotes
    if '"' in whole or "\n" in whole or "\r" in whole or whole.count("\t") != len(cells) - 1:
        return None
    if "," not in whole:
        return whole
    return "\t".join([c if "," not in c else '"' + c + '"' for c in cells])


def csv_of_ready(ready: bytes) -> bytes:
    """The CSV line of a row that :func:`csv_ready` made ready, in UTF-8."""
    return ready.replace(b"\t", b",") + b"\n"


def _csv_text_line(cells: Sequence[str]) -> str:
    """:func:`csv_line` of cells that are all text, quicker where none holds a quote or a line
    break (a large atlas's rows): then only a cell with a comma is quoted."""
    ready = csv_ready(cells)
    return csv_line(cells) if ready is None else ready.replace("\t", ",") + "\n"


def _tsv_line(cells: Sequence[str]) -> str:
    return "\t".join(c.translate(_TSV_ESCAPES) for c in cells) + "\n"


def _tsv_text_line(cells: Sequence[str]) -> str:
    """:func:`_tsv_line` of cells that are all text, quicker where none holds a tab, a line
    break or a backslash (a large atlas's rows): then nothing is escaped."""
    whole = "\t".join(cells)
    if "\\" not in whole and "\n" not in whole and "\r" not in whole and whole.count("\t") == len(cells) - 1:
        return whole + "\n"
    return _tsv_line(cells)


CHUNK = 512  # rows written at once: one write per row costs more than the text itself


def _write_lines(lines: Iterable[str], out: TextIO) -> None:
    it = iter(lines)
    while chunk := list(itertools.islice(it, CHUNK)):
        out.write("".join(chunk))


def _write_encoded(lines: Iterable[bytes], out: TextIO) -> None:
    """Lines already encoded as UTF-8: to the stream's bytes when it writes UTF-8 (no decoding
    and encoding again), else decoded and written as text."""
    buffer = getattr(out, "buffer", None)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if buffer is None or encoding != "utf8":
        _write_lines((line.decode("utf-8") for line in lines), out)
        return
    out.flush()  # what was written as text first (the header)
    it = iter(lines)
    while chunk := list(itertools.islice(it, CHUNK)):
        buffer.write(b"".join(chunk))


_EXCEL_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def flat(cell: Cell) -> str:
    """A cell as one line of text for csv, tsv and markdown."""
    if isinstance(cell, str):  # the common case first: this runs for every cell of a large output
        return cell
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, float):
        return f"{cell:.1f}"
    if isinstance(cell, int):
        return str(cell)
    # list cells: items are text (projects already written as in the TSV)
    return ITEM_SEPARATOR.join(item if isinstance(item, str) else flat(item) for item in cell)


def excel_safe(text: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (OWASP): prefix it with ``'``.

    Numbers (``-5``, ``+49``) are left alone: they are data, not formulas.
    """
    if text.startswith(_EXCEL_TRIGGERS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def jsonable(cell: Cell) -> Any:
    if isinstance(cell, float):
        return round(cell, 1)
    if isinstance(cell, str | int) or cell is None:
        return cell
    return [jsonable(c) if not isinstance(c, Mapping) else dict(c) for c in cell]


def write_frame(
    frame: Frame, fmt: OutputFormat, out: TextIO, *, excel: bool = False, terminal: bool = False
) -> None:
    """Write a frame in one of the machine formats; markdown on a terminal (``terminal``) without
    the characters that would act on it (:func:`atlascli.chars.visible`)."""
    header, rows = frame.header, frame.rows
    if fmt.is_json:
        write_json(({k: jsonable(v) for k, v in zip(header, row, strict=True)} for row in rows), fmt, out)
    elif fmt is OutputFormat.csv:
        out.write(csv_line(_cells(header, excel)))  # headers too: compare's are city names
        lines = frame.csv_lines() if frame.csv_lines is not None and not excel else None
        if lines is not None:  # kept ready by the atlas (a large file's store), as UTF-8
            _write_encoded(lines, out)
        elif frame.text and not excel:
            _write_lines(map(_csv_text_line, rows), out)  # type: ignore[arg-type]  # text: all str
        else:
            _write_lines((csv_line(_cells(row, excel)) for row in rows), out)
    elif fmt is OutputFormat.tsv:
        out.write(_tsv_line(_cells(header, excel)))
        if frame.text and not excel:
            _write_lines(map(_tsv_text_line, rows), out)  # type: ignore[arg-type]  # text: all str
        else:
            _write_lines((_tsv_line(_cells(row, excel)) for row in rows), out)
    elif fmt is OutputFormat.markdown:
        md = _md_shown if terminal else _md
        out.write("| " + " | ".join(md(h) for h in header) + " |\n")
        out.write("|" + "|".join(" ---: " if h in _NUMERIC else " --- " for h in header))
        out.write("|\n")
        for row in rows:
            out.write("| " + " | ".join(md(flat(c)) for c in row) + " |\n")
    else:  # pragma: no cover - the table format never reaches the machine renderer
        raise ValueError(f"not a machine format: {fmt}")


def _cells(row: Sequence[Cell], excel: bool) -> list[str]:
    cells = [flat(c) for c in row]
    return [excel_safe(c) for c in cells] if excel else cells


# right-aligned in markdown: the numeric columns, and the numbers of other results
_NUMERIC = NUMERIC_COLUMNS | {"score", "anzahl"}


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _md_shown(text: str) -> str:
    from atlascli.chars import visible

    return _md(visible(text, keep="\n\r"))


def write_json(value: Mapping[str, Any] | Iterable[Any], fmt: OutputFormat, out: TextIO) -> None:
    """JSON (indented) or JSON Lines (one compact object per line). A mapping is one object; any
    other iterable is an array, written item by item as it comes (a large result is never held)."""
    import json

    # a stream that cannot carry umlauts gets JSON's \u escapes: still lossless
    ascii_only = not encodes(getattr(out, "encoding", None), "äöüß€")
    items: Iterator[Any] = iter([value] if isinstance(value, Mapping) else value)
    if fmt is OutputFormat.jsonl:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=ascii_only) + "\n")
    elif isinstance(value, Mapping):
        out.write(json.dumps(value, ensure_ascii=ascii_only, indent=2) + "\n")
    else:
        # the same text as json.dumps(list(items), indent=2), one item at a time
        first = True
        for item in items:
            text = json.dumps(item, ensure_ascii=ascii_only, indent=2).replace("\n", "\n  ")
            out.write(("[\n  " if first else ",\n  ") + text)
            first = False
        out.write("[]\n" if first else "\n]\n")

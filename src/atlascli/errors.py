"""The core's domain errors: what went wrong, in words for the user. No I/O, no imports.

The command line maps each kind to an exit status in one place (``atlascli.cli``): a data file
that cannot be used, an unknown city, an export that cannot be written or a SQL query that cannot
be run is a failure the user can fix (1); an option value that is not one of the valid ones is a
usage error (2).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

MAX_REPORTED = 10


class AtlasError(Exception):
    """Anything the core refuses; the message is for the user."""


class Problem(NamedTuple):
    """One problem in a data file: where it is and what is wrong."""

    path: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


class AtlasDataError(AtlasError):
    """A data file that cannot be used; ``problems`` lists each problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(str(self))

    @classmethod
    def single(
        cls, path: str, message: str, line: int | None = None, column: str | None = None
    ) -> AtlasDataError:
        return cls([Problem(path, line, column, message)])

    def __str__(self) -> str:
        shown = [str(p) for p in self.problems[:MAX_REPORTED]]
        if len(self.problems) > MAX_REPORTED:
            shown.append(f"... and {len(self.problems) - MAX_REPORTED} more problems")
        return "\n".join(shown)


class QueryError(AtlasError):
    """A question the atlas cannot answer as asked."""


class UnknownCity(QueryError):
    """No city, or no single city, matches a name."""

    def __init__(self, query: str, suggestions: Sequence[str] = (), ambiguous: bool = False) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        self.ambiguous = ambiguous
        if ambiguous:
            message = f"{query!r} matches several cities: {', '.join(self.suggestions)}"
        elif self.suggestions:
            message = f"no city {query!r} in the atlas; did you mean {_or_list(self.suggestions)}?"
        else:
            message = f"{query!r} is not in the atlas"
        super().__init__(message)


class UnknownValue(QueryError):
    """An option value (a Handlungsfeld, a Bundesland, a column) that is not one of the valid ones."""

    def __init__(self, kind: str, query: str, valid: Sequence[str], ambiguous: Sequence[str] = ()) -> None:
        self.kind = kind
        self.query = query
        self.valid = tuple(valid)
        if ambiguous:
            message = f"{kind} {query!r} is ambiguous: {', '.join(ambiguous)}"
        else:
            message = f"unknown {kind} {query!r}; valid: {', '.join(valid)}"
        super().__init__(message)


class ExportError(AtlasError):
    """An export that cannot be written."""


class SqlError(AtlasError):
    """A SQL query that cannot be run: empty, more than one statement, one that would write, or
    one SQLite refuses (a syntax error, an unknown table); the message says which."""


def _or_list(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]

"""Loading an atlas TSV file: the bundled one or a user's, small files into memory and large
ones into a SQLite database (:mod:`atlascli.store`), validated either way (:mod:`atlascli.validate`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from atlascli.errors import AtlasDataError
from atlascli.memory import MemoryAtlas
from atlascli.model import Atlas, Progress
from atlascli.validate import Data, no_gc, validated_rows

BUNDLED_NAME = "atlas.tsv"
LAZY_FROM = 4 * 1024 * 1024  # bytes; smaller files are parsed whole, which is quicker for them

__all__ = ["BUNDLED_NAME", "LAZY_FROM", "AtlasDataError", "load_atlas", "parse_atlas", "read_bytes"]


def read_bundled() -> bytes:
    """The bundled atlas, from the package's data folder: in a wheel, an editable install (where
    it is a link to data/atlas.tsv) and the source tree alike.

    Read straight from the folder next to this module when it is on disk, as in every normal
    install; importlib.resources (which costs more to import than the whole file takes to read,
    about 10 ms of every start) only serves packages that are not plain files, such as a zip.
    """
    here = Path(__file__).with_name("data") / BUNDLED_NAME
    try:
        return here.read_bytes()
    except OSError:
        from importlib import resources

        return (resources.files("atlascli") / "data" / BUNDLED_NAME).read_bytes()


def read_bytes(path: str | os.PathLike[str] | None) -> tuple[bytes, str]:
    """The bytes of an atlas file and the name to report it by, read whole through one open file:
    validation, the cache key and every answer then come from the same bytes. A file that changes
    while it is read is an error (run again), never a crash."""
    if path is None:
        return read_bundled(), BUNDLED_NAME
    shown = os.fspath(path)
    if not shown:
        raise AtlasDataError.single("--data", "the file name is empty")
    try:
        with Path(path).open("rb") as handle:
            before = os.fstat(handle.fileno())
            if not (stat.S_ISREG(before.st_mode) or stat.S_ISFIFO(before.st_mode)):
                raise AtlasDataError.single(shown, "is not a regular file or a pipe (a device or a socket?)")
            data = handle.read()
            after = os.fstat(handle.fileno())
    except FileNotFoundError:
        raise AtlasDataError.single(shown, "no such file") from None
    except IsADirectoryError:
        raise AtlasDataError.single(shown, "is a directory, not an atlas file") from None
    except PermissionError:
        raise AtlasDataError.single(shown, "permission denied") from None
    except OSError as exc:
        raise AtlasDataError.single(shown, f"cannot be read ({exc.strerror or exc})") from None
    regular = stat.S_ISREG(before.st_mode)
    if regular and (
        (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns)
        or len(data) != after.st_size
    ):
        raise AtlasDataError.single(shown, "changed while it was read; run the command again")
    return data, shown


def load_atlas(
    path: str | os.PathLike[str] | None = None, *, cache: bool = True, progress: Progress | None = None
) -> Atlas:
    """Load and validate an atlas TSV file; the bundled Smart City Atlas when ``path`` is None.

    A large file (from :data:`LAZY_FROM` bytes) is validated once into a SQLite database in the
    user's cache folder and answered from it (:mod:`atlascli.store`); ``cache=False`` builds it in
    memory for this run only. ``progress(what, done, total)`` is told how the builds go
    (:data:`atlascli.model.Progress`).

    Raises :class:`AtlasDataError` listing every problem found (file, line, column, message).
    """
    data, shown = read_bytes(path)
    if len(data) >= large_from():
        from atlascli.store import load_stored

        return load_stored(data, shown, cache=cache, progress=progress)
    return parse_atlas(data, shown)


def large_from() -> int:
    """Bytes from which a file is stored rather than held in memory: :data:`LAZY_FROM`, or
    ``ATLAS_STORE_FROM`` (for tests, and for trying the store on small files)."""
    configured = os.environ.get("ATLAS_STORE_FROM", "")
    return int(configured) if configured.isdigit() else LAZY_FROM


def parse_atlas(data: Data, shown: str = BUNDLED_NAME) -> MemoryAtlas:
    """Validate the bytes of an atlas file and build all its records."""
    with no_gc():
        cities = tuple(row.city for row in validated_rows(data, shown))
    return MemoryAtlas(cities, shown)

"""Loading an atlas TSV file: the bundled one or a user's, small files into memory and large
ones into a SQLite database (:mod:`atlascli.store`), validated either way (:mod:`atlascli.validate`).
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path

from atlascli.errors import AtlasDataError
from atlascli.memory import MemoryAtlas
from atlascli.model import Atlas
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


def read_bytes(path: str | os.PathLike[str] | None) -> tuple[Data, str]:
    """The bytes of an atlas file and the name to report it by. A large file is mapped rather
    than read: only the rows a command touches then take up memory."""
    if path is None:
        return read_bundled(), BUNDLED_NAME
    shown = os.fspath(path)
    try:
        with Path(path).open("rb") as handle:
            if os.fstat(handle.fileno()).st_size >= LAZY_FROM:
                return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), shown
            return handle.read(), shown
    except FileNotFoundError:
        raise AtlasDataError.single(shown, "no such file") from None
    except IsADirectoryError:
        raise AtlasDataError.single(shown, "is a directory, not an atlas file") from None
    except PermissionError:
        raise AtlasDataError.single(shown, "permission denied") from None
    except OSError as exc:
        raise AtlasDataError.single(shown, f"cannot be read ({exc.strerror or exc})") from None


def load_atlas(path: str | os.PathLike[str] | None = None, *, cache: bool = True) -> Atlas:
    """Load and validate an atlas TSV file; the bundled Smart City Atlas when ``path`` is None.

    A large file (from :data:`LAZY_FROM` bytes) is validated once and then read row by row as
    cities are needed; what the validation learnt is kept in the user's cache directory unless
    ``cache`` is False (see :mod:`atlascli.store`).

    Raises :class:`AtlasDataError` listing every problem found (file, line, column, message).
    """
    data, shown = read_bytes(path)
    if isinstance(data, mmap.mmap):
        from atlascli.store import load_large

        return load_large(data, shown, Path(shown), cache)
    return parse_atlas(data, shown)


def parse_atlas(data: Data, shown: str = BUNDLED_NAME) -> MemoryAtlas:
    """Validate the bytes of an atlas file and build all its records."""
    with no_gc():
        cities = tuple(row.city for row in validated_rows(data, shown))
    return MemoryAtlas(cities, shown)

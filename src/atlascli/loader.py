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
    return OpenFile(path).read(), os.fspath(path)


class OpenFile:
    """An atlas file opened once (and closed when no longer referenced), with the status
    (``os.fstat``) it had when it was opened: read whole from that open file, when asked, as many
    times as asked; a read that finds the file changed since it was opened is an error."""

    __slots__ = ("_fd", "shown", "status")

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._fd = -1
        self.shown = os.fspath(path)
        if not self.shown:
            raise AtlasDataError.single("--data", "the file name is empty")
        try:
            self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            self.status = os.fstat(self._fd)
        except OSError as exc:
            raise self._error(exc) from None
        if stat.S_ISDIR(self.status.st_mode):
            raise self._error(IsADirectoryError())
        if not (self.regular or stat.S_ISFIFO(self.status.st_mode)):
            raise AtlasDataError.single(self.shown, "is not a regular file or a pipe (a device or a socket?)")

    @property
    def regular(self) -> bool:
        return stat.S_ISREG(self.status.st_mode)

    def read(self) -> bytes:
        """The file's bytes, from its start; AtlasDataError if it changed since it was opened."""
        try:
            with open(self._fd, "rb", closefd=False) as handle:
                if self.regular:
                    handle.seek(0)
                data = handle.read()
                after = os.fstat(self._fd)
        except OSError as exc:
            raise self._error(exc) from None
        if self.regular and (identity(after) != identity(self.status) or len(data) != after.st_size):
            raise AtlasDataError.single(self.shown, "changed while it was read; run the command again")
        return data

    def _error(self, exc: OSError) -> AtlasDataError:
        if isinstance(exc, FileNotFoundError):
            return AtlasDataError.single(self.shown, "no such file")
        if isinstance(exc, IsADirectoryError):
            return AtlasDataError.single(self.shown, "is a directory, not an atlas file")
        if isinstance(exc, PermissionError):
            return AtlasDataError.single(self.shown, "permission denied")
        return AtlasDataError.single(self.shown, f"cannot be read ({exc.strerror or exc})")

    def __del__(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def identity(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What tells one state of a file from another without reading it: device, inode, size,
    modification and change time (the change time moves with every write and cannot be set back)."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def load_atlas(
    path: str | os.PathLike[str] | None = None, *, cache: bool = True, progress: Progress | None = None
) -> Atlas:
    """Load and validate an atlas TSV file; the bundled Smart City Atlas when ``path`` is None.

    A large file (from :data:`LAZY_FROM` bytes) is validated once into a SQLite database in the
    user's cache folder and answered from it (:mod:`atlascli.store`); ``cache=False`` builds it in
    memory for this run only. ``progress(what, done, total)`` is told how the builds go
    (:data:`atlascli.model.Progress`). A large regular file is opened here and handed to the
    store, which reads it only when its cache does not already know it.

    Raises :class:`AtlasDataError` listing every problem found (file, line, column, message).
    """
    if path is None:
        return parse_atlas(read_bundled(), BUNDLED_NAME)
    opened = OpenFile(path)
    if opened.regular and opened.status.st_size >= large_from():
        from atlascli.store import load_stored

        return load_stored(opened.shown, opened.read, identity(opened.status), cache=cache, progress=progress)
    data = opened.read()
    del opened  # closed
    if len(data) >= large_from():  # a large pipe: read already
        from atlascli.store import load_stored

        return load_stored(str(path), lambda: data, None, cache=cache, progress=progress)
    return parse_atlas(data, os.fspath(path))


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

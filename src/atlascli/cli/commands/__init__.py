"""One module per command: ``atlas NAME`` is the module ``atlascli.cli.commands.NAME``.

A command module defines ``command``, the function Typer runs (its docstring is the command's
help; its first parameter is ``ctx: typer.Context``), which returns an
:class:`~atlascli.cli.output.Output` or None, and ``RANK``, its place in the help. The command list
is this package's modules: a new module is a new command, and none can be left out. Only the
module of the command being run is imported.
"""

import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def names() -> list[str]:
    """Every command's name (unordered): the modules of this package. (Listed from its folders:
    pkgutil would cost more to import than the whole listing takes.)"""
    found = {
        entry.stem
        for folder in __path__
        for entry in Path(folder).iterdir()
        if entry.suffix == ".py" and not entry.name.startswith("_")
    }
    return sorted(found)


def load(wanted: Iterable[str]) -> list[tuple[str, Callable[..., Any]]]:
    """(name, function) of these commands, in their help order."""
    modules = [(name, importlib.import_module(f"{__name__}.{name}")) for name in wanted]
    modules.sort(key=lambda pair: (pair[1].RANK, pair[0]))
    return [(name, module.command) for name, module in modules]

"""The ``atlas`` command line: parse options, call the core, hand the result to a renderer.

No business logic and no formatting here. Core errors become messages on stderr and exit codes:
0 success (also an empty result), 1 unknown city or bad data, 2 usage error.

``atlascli.cli.app`` is the full Typer app with every command; the ``atlas`` script runs
:func:`main`, which builds only the command it is asked for.
"""

from typing import Any

from atlascli.cli.common import main

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    if name == "app":
        from atlascli.cli.common import full_app

        return full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

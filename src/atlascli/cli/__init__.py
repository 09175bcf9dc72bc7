"""The ``atlas`` command line: parse options, call the core, hand the result to a renderer.

No business logic and no formatting here. Core errors become messages on stderr and exit codes:
0 success (also an empty result), 1 unknown city or bad data, 2 usage error.
"""

from atlascli.cli import everyday, explore  # noqa: F401  (importing them registers their commands)
from atlascli.cli.app import app, main

__all__ = ["app", "main"]

"""``python -m atlascli`` runs the ``atlas`` command: the same entry point as the executable,
without its start-up shortcuts (:func:`atlascli.cli.console`), so that profilers see the whole run."""

import sys

from atlascli.cli import main

sys.exit(main())

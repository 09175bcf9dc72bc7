"""``python -m atlascli`` runs the ``atlas`` command: the same app as the executable, without its
start-up shortcuts (:func:`atlascli.cli.console`), so that profilers see the whole run."""

from atlascli.cli import main

main()

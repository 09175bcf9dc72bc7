"""``python -m atlascli`` runs the ``atlas`` command."""

from atlascli.cli import main

main()

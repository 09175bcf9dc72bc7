"""atlascli: explore how German cities organise their digital transformation.

The Python API gives the same typed records the ``atlas`` command uses::

    from atlascli import load_atlas

    atlas = load_atlas()            # the bundled Smart City Atlas
    darmstadt = atlas["Darmstadt"]
    print(darmstadt.einwohner, [f.value for f in darmstadt.handlungsfelder])

Modules, in the direction data flows: ``schema`` (the columns, once), ``tsv`` and ``validate``
(reading and validating a file), ``model`` (City, Project, Handlungsfeld, and Atlas: what the core
asks of a set of cities), ``loader`` with ``memory`` (small files, in memory) and ``store`` (large
files, in SQLite), the core ``query``, ``search``, ``insights`` and ``export`` with their ``errors``, ``text``
(normalisation for matching); then ``render`` (every result in every format) and ``cli`` (the
``atlas`` command). The core imports neither Typer nor Rich.
"""

from atlascli.errors import AtlasDataError, Problem
from atlascli.loader import load_atlas
from atlascli.model import ALL_FIELDS, Atlas, City, Handlungsfeld, Project

__version__ = "0.1.0"

__all__ = [
    "ALL_FIELDS",
    "Atlas",
    "AtlasDataError",
    "City",
    "Handlungsfeld",
    "Problem",
    "Project",
    "__version__",
    "load_atlas",
]

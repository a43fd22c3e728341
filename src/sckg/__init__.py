"""sckg: the Secure Communities Knowledge Graph.

    import sckg
    kg = sckg.load()          # dist/store when current (sckg build writes it), else the one loader
    rows = kg.query("stances-matrix")   # a library question or SPARQL: rows with named fields
    g = sckg.to_networkx("arguments")   # a view as the networkx graph the exports are written from
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

from .errors import DataError, SckgError, UsageError

if TYPE_CHECKING:
    from .library import LibraryQuery, get_query, list_queries
    from .store import open_graph as load

# Imported on first use (PEP 562): every `sckg` command imports this package, and most need neither
# the loader (pyoxigraph) nor the query library.
_LAZY = {"load": "store", "list_queries": "library", "get_query": "library", "LibraryQuery": "library"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["__version__", "load", "SckgError", "DataError", "UsageError", "to_networkx",
           "list_queries", "get_query", "LibraryQuery"]


def to_networkx(view: str, kg=None):
    """The networkx MultiDiGraph of a view (full, actors, arguments, program): the same graph every
    export of that view is written from. ``kg`` defaults to ``sckg.load()``. Imported lazily so that
    ``import sckg`` does not pay for networkx."""
    from .export.views import to_networkx as _to_networkx

    return _to_networkx(view, kg)

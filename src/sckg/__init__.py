"""sckg: the Secure Communities Knowledge Graph.

    import sckg
    kg = sckg.load()          # the one loader the CLI, the server and the exports use too
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import DataError, SckgError, UsageError
from .loader import load

__all__ = ["__version__", "load", "SckgError", "DataError", "UsageError"]

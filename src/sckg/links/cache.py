"""A disk cache of SPARQL responses, one JSON file per (endpoint, query), named by their SHA-256.

Reconciliation asks the same questions again and again while a reviewer works through a list; the
cache spares the public service those repeats. Entries are written atomically, so an interrupted run
never leaves a half-written answer behind to be trusted later.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..atomic import write_file_atomically


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/sckg/sparql, else ~/.cache/sckg/sparql: outside the repository."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sckg" / "sparql"


class ResponseCache:
    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder is not None else None  # None: caching off

    @staticmethod
    def key(endpoint: str, query: str) -> str:
        return hashlib.sha256(f"{endpoint}\n{query}".encode()).hexdigest()

    def _path(self, endpoint: str, query: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{self.key(endpoint, query)}.json"

    def get(self, endpoint: str, query: str) -> dict | None:
        path = self._path(endpoint, query)
        if path is None or not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # a damaged entry is a miss; the next answer overwrites it
        if not isinstance(entry, dict) or entry.get("endpoint") != endpoint or entry.get("query") != query:
            return None  # not an entry this cache wrote ([] or null included): a miss
        response = entry.get("response")
        return response if isinstance(response, dict) else None

    def put(self, endpoint: str, query: str, response: dict) -> None:
        path = self._path(endpoint, query)
        if path is None:
            return
        entry = {"endpoint": endpoint, "query": query, "response": response}
        write_file_atomically(path, (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8"))

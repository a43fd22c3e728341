"""The SHACL cache: a statement whose SHACL inputs are unchanged since the last successful build is
not validated again; the result of its last run is reused.

A run's result depends on the statement's graph as grounded (the loader adds anchors and selectors to
what its files say), the shared graphs it is validated with (ontology, entities, context, links, any
extension), the shapes, and the engine that runs them. Its key is therefore the sha256 of:

- the cache format, the sckg version, the engine and its version (and rdflib's, which pySHACL
  parses with), the shapes file's path and bytes (the Rust engine resolves relative IRIs against it);
- the shared graphs' N-Triples, each graph's lines sorted, in graph-name order;
- the statement graph's N-Triples, lines sorted.

Content, never modification times: a ``touch`` changes nothing and an edit always does. Any change to
a shared input changes every statement's key, so every statement is validated again.

Only a run that gives the gate no violation is kept, with its warnings: a statement with a violation
is validated every time, so its report is always complete and fresh. A run's results are kept as the
engine gave them, including those about nodes another statement describes, which the gate sets aside
(sckg.validation); the gate sorts them again on every use, and should a kept result now count as a
violation, the statement is validated afresh. The file is
``dist/validation-cache.json``, written by ``sckg build`` inside the same staging as the rest of
dist/, so a failed build leaves no cache behind. A file that cannot be read, is not this format or
version, or whose checksum does not match its entries is ignored as a whole (one line on standard
error says so) and never trusted.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .oxigraph_bytes import sorted_lines

CACHE_FILE = "validation-cache.json"
FORMAT = 1  # bump when what an entry holds, or what the key covers, changes

# The Violation fields a run's result is made of; file is left out (recomputed from the graph's origins).
RESULT_FIELDS = ("focus", "message", "path", "shape", "severity", "component", "value")


def _version() -> str:
    from . import __version__

    return __version__


def _engine_versions(engine: str) -> str:
    from importlib.metadata import version

    from .validation import engine_name

    return engine_name(engine) + (f"; rdflib {version('rdflib')}" if engine == "pyshacl" else "")


def shared_key(shapes_path: Path, engine: str, shared: dict[str, bytes]) -> str:
    """The part of every statement's key that the shared inputs make; ``shared`` maps each shared
    graph's name to its N-Triples."""
    digest = hashlib.sha256()
    head = {"format": FORMAT, "sckg": _version(), "engine": _engine_versions(engine),
            "shapes": shapes_path.resolve().as_uri()}
    digest.update(json.dumps(head, sort_keys=True).encode("utf-8") + b"\n")
    digest.update(hashlib.sha256(shapes_path.read_bytes()).digest())
    for name in sorted(shared):
        digest.update(b"\ngraph " + name.encode("utf-8") + b"\n")
        digest.update(sorted_lines(shared[name]))
    return digest.hexdigest()


def statement_key(shared: str, ntriples: bytes) -> str:
    return hashlib.sha256(shared.encode("ascii") + b"\n" + sorted_lines(ntriples)).hexdigest()


def _checksum(entries: dict) -> str:
    return hashlib.sha256(json.dumps(entries, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass
class Entry:
    """A run that gave the gate no violation: its key, whether SHACL said it conformed, its results (as
    the engine gave them, before the gate sets aside those about other statements' nodes) and its
    report graph as Turtle."""

    key: str
    conforms: bool
    results: list[dict]
    report: str = ""


@dataclass
class ShaclCache:
    """The entries read from an earlier build (``previous``), those this run makes (``current``, to be
    written by a build) and how many statements were validated or reused."""

    previous: dict[str, Entry] = field(default_factory=dict)
    current: dict[str, Entry] = field(default_factory=dict)
    validated: int = 0
    reused: int = 0

    def lookup(self, statement: str, key: str) -> Entry | None:
        entry = self.previous.get(statement)
        return entry if entry is not None and entry.key == key else None

    def keep(self, statement: str, entry: Entry) -> None:
        self.current[statement] = entry

    def to_bytes(self) -> bytes:
        entries = {name: {"key": e.key, "conforms": e.conforms, "results": e.results, "report": e.report}
                   for name, e in sorted(self.current.items())}
        doc = {"format": FORMAT, "sckg": _version(), "checksum": _checksum(entries), "statements": entries}
        return (json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")

    def write(self, folder: Path) -> None:
        (folder / CACHE_FILE).write_bytes(self.to_bytes())


def _entries(doc) -> dict[str, Entry]:
    """The entries of a parsed cache file; ValueError when anything is not as ``to_bytes`` writes it."""
    if not isinstance(doc, dict):
        raise ValueError("not a JSON object")
    if doc.get("format") != FORMAT or doc.get("sckg") != _version():
        raise ValueError(f"written by sckg {doc.get('sckg')} (cache format {doc.get('format')}), "
                         f"this is sckg {_version()} (format {FORMAT})")
    entries = doc.get("statements")
    if not isinstance(entries, dict) or doc.get("checksum") != _checksum(entries):
        raise ValueError("its checksum does not match its entries")
    out = {}
    for name, e in entries.items():
        if not (isinstance(e, dict) and isinstance(e.get("key"), str) and isinstance(e.get("report"), str)
                and isinstance(e.get("conforms"), bool)
                and isinstance(e.get("results"), list)
                and all(isinstance(r, dict) and set(r) <= set(RESULT_FIELDS)
                        and all(v is None or isinstance(v, str) for v in r.values()) for r in e["results"])):
            raise ValueError(f"the entry for {name} is malformed")
        out[name] = Entry(e["key"], e["conforms"], e["results"], e["report"])
    return out


def read(folder: Path, shown: str, stream=None) -> ShaclCache:
    """The cache in ``folder`` (dist/), or an empty one: silently when there is none, with one line on
    ``stream`` (standard error) when there is one that cannot be trusted. ``shown`` names the file."""
    path = folder / CACHE_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ShaclCache()
    except (OSError, UnicodeDecodeError) as error:
        reason = str(getattr(error, "strerror", None) or error)
    else:
        try:
            return ShaclCache(previous=_entries(json.loads(text)))
        except ValueError as error:  # json.JSONDecodeError is a ValueError
            reason = str(error)
    print(f"note: ignoring {shown}: {reason}; every statement is validated", file=stream or sys.stderr)
    return ShaclCache()

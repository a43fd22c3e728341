"""The built store: an on-disk Oxigraph store of the graph `sckg build` wrote (dist/store/), and the
test of whether it is still current, so that commands which only read the graph need not parse and
ground every file again.

Beside the store, dist/store-inputs.json records what the graph was built from: the sckg version and,
for every file that feeds the graph or its gate (the ontology, vocabularies and shapes, the data's
Turtle files and source texts, the QC queries), its size, modification time and sha256. The store is
current when the same files are there and each is unchanged: a file whose size and modification time
match is taken as unchanged (one stat call); only when they differ is its content hashed, so a `touch`
or a fresh checkout of the same bytes does not make the store stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pyoxigraph as ox

from .graph import KnowledgeGraph

STORE_DIR = "store"
RECORD_FILE = "store-inputs.json"


def _version() -> str:
    from . import __version__

    return __version__


def input_files(root: Path) -> list[str]:
    """Every file the build reads to make and gate the graph, as a path relative to ``root`` with /
    separators, sorted: the loader's Turtle files and source texts, the shapes and the QC queries.
    The project's own listing functions give them, so a new .ttl file counts as soon as the loader
    would read it, and an expected-answer file or a note beside the data does not."""
    from .project import qc_query_files, shapes_file, source_files, statement_dirs

    paths = [f.path for f in source_files(root)] + [st.source_text for st in statement_dirs(root)]
    paths += [shapes_file(root), *qc_query_files(root)]
    return sorted({Path(os.path.relpath(p, root)).as_posix() for p in paths if p.is_file()})


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(root: Path) -> dict:
    """What the record holds: the sckg version and, per input file, [size, mtime_ns, sha256]."""
    files = {}
    for rel in input_files(root):
        st = os.stat(root / rel)
        files[rel] = [st.st_size, st.st_mtime_ns, _sha256(root / rel)]
    return {"sckg": _version(), "files": files}


def write_store(kg: KnowledgeGraph, folder: Path, inputs: dict) -> None:
    """Write the store and its record into ``folder`` (the build's staging folder, so the store is
    replaced together with the rest of dist/, or not at all). ``inputs`` is the ``fingerprint`` taken
    before the loader read the files: a file edited during the build then shows as changed, never
    the other way round."""
    store = ox.Store(str(folder / STORE_DIR))
    store.bulk_extend(kg.store)
    store.optimize()  # one table file per index: a read-only open then holds every file it needs
    store.flush()
    del store  # closes the database (and its lock) before the folder is synced and swapped in
    record = dict(inputs)
    record["quads"] = len(kg.store)
    (folder / RECORD_FILE).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _display(root: Path, rel: str) -> str:
    from .project import display

    return display(root / rel)


def why_not_current(root: Path, dist: Path | None = None) -> str | None:
    """None when dist/store holds the graph the project's files give now; else one line saying why not
    (for standard error). Cheap: one stat per input file, a hash only for files whose stat changed."""
    dist = dist or root / "dist"
    shown = _display(root, "dist") if dist == root / "dist" else str(dist)
    try:
        record = json.loads((dist / RECORD_FILE).read_text(encoding="utf-8"))
        recorded = record["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return f"{shown}/{STORE_DIR} was not written by this build of dist/ (no {RECORD_FILE}); run sckg build"
    if not (dist / STORE_DIR).is_dir():
        return f"{shown}/{STORE_DIR} is missing; run sckg build"
    if record.get("sckg") != _version():
        return f"{shown}/{STORE_DIR} was built by sckg {record.get('sckg')}, this is {_version()}; run sckg build"
    now = input_files(root)
    present = set(now)
    for rel in now:
        if rel not in recorded:
            return f"{shown}/{STORE_DIR} is older than {_display(root, rel)} (a new file); run sckg build"
    for rel in recorded:
        if rel not in present:
            return f"{shown}/{STORE_DIR} was built with {_display(root, rel)}, which is gone; run sckg build"
    for rel in now:
        size, mtime, sha = recorded[rel]
        st = os.stat(root / rel)
        if (st.st_size, st.st_mtime_ns) == (size, mtime):
            continue
        if st.st_size != size or _sha256(root / rel) != sha:
            return f"{shown}/{STORE_DIR} is older than {_display(root, rel)}; run sckg build"
    return None


class StoredGraph(KnowledgeGraph):
    """A KnowledgeGraph whose store is the built dist/store, opened read-only. SPARQL, describe and the
    rdflib views work on it directly; what only the loader computes (the files read, the grounding
    results, where each node was described) is loaded on first use, from the same files the store was
    built from."""

    def __init__(self, root: Path, store: ox.Store, path: Path):
        self.root = root
        self.store = store
        self.store_path = path
        self.load_seconds = 0.0
        self._fresh: KnowledgeGraph | None = None

    def _loaded(self) -> KnowledgeGraph:
        if self._fresh is None:
            from .loader import load

            self._fresh = load(self.root)
        return self._fresh

    files = property(lambda self: self._loaded().files)
    groundings = property(lambda self: self._loaded().groundings)
    origins = property(lambda self: self._loaded().origins)

    def __repr__(self) -> str:
        return f"StoredGraph({self.store_path})"


def open_graph(root: str | Path | None = None, extra: list | None = None, stream=None) -> KnowledgeGraph:
    """The graph for a command that only reads it: dist/store opened read-only when it is current,
    else the loader's fresh load, with one line on ``stream`` (standard error) saying why the store
    was not used. A project never built has nothing to explain and loads in silence.

    ``extra`` data is always loaded fresh with the project: it must be grounded and validated with the
    project's graph (origins and the rdflib views of everything), and a copy of the store in memory
    would save only the project's own parse, which is the small part."""
    from .project import project_root

    def load(*args):
        # Imported only on the way to a fresh load: the loader pulls in grounding, sentences and
        # inference, which a query on the current store never uses (its start-up is measured, bench/).
        from .loader import load as load_files

        return load_files(*args)

    root_path = project_root(root)
    if extra:
        return load(root_path, extra)
    dist = root_path / "dist"
    if not (dist / RECORD_FILE).exists() and not (dist / STORE_DIR).exists():
        return load(root_path)
    reason = why_not_current(root_path, dist)
    if reason is None:
        try:
            return StoredGraph(root_path, ox.Store.read_only(str(dist / STORE_DIR)), dist / STORE_DIR)
        except OSError as error:  # damaged, or being replaced this instant: the files are the truth
            reason = f"{_display(root_path, 'dist')}/{STORE_DIR} cannot be opened ({error}); run sckg build"
    print(f"note: not using the built store: {reason}", file=stream or sys.stderr)
    return load(root_path)


# The Python API's sckg.load(): the built store when current, like the commands that only read.
load = open_graph

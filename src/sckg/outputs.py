"""Serialising the built graph into dist/: the same input gives byte-identical files.

Oxigraph writes every format (rdflib's pretty serialisers were half of a large build's time). Each
named graph's N-Triples lines are sorted once, and every format is written from those sorted lines:
Oxigraph's serialisers stream in input order, so the order of the files never depends on hashing or on
the store's internals. The data holds no blank nodes (a quality check keeps it so), whose labels would
change from run to run.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .graph import KnowledgeGraph
from .oxigraph_bytes import as_bytes, sorted_lines
from .void import to_turtle as void_turtle

JSONLD_CONTEXT_FILE = "context.jsonld"


def jsonld_context() -> dict:
    return {"@context": {prefix: iri for prefix, iri in ns.PREFIXES.items()}}


def _graph_lines(kg: KnowledgeGraph) -> dict[str, bytes]:
    """Each named graph's sorted N-Triples, by graph name in sorted order."""
    return {name: sorted_lines(as_bytes(kg.store.dump(format=ox.RdfFormat.N_TRIPLES,
                                                                          from_graph=ox.NamedNode(name))))
            for name in kg.graph_names()}


def _triples(nt: bytes):
    return ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)


def _graph_by_graph(graphs: dict[str, bytes]) -> bytes:
    """Every graph's sorted triples as N-Quads, graph by graph (a line "S P O ." becomes "S P O <G> ."),
    for the formats that group triples by graph. Oxigraph parses them into quads: a Python Quad made
    per parsed triple took a third of the rendering of a large corpus."""
    return b"".join(line[:-1] + b"<" + name.encode() + b"> .\n"
                    for name, nt in graphs.items() for line in nt.splitlines())


def _quads(nquads: bytes):
    return ox.parse(nquads, format=ox.RdfFormat.N_QUADS)


def _turtle(nt: bytes) -> bytes:
    return as_bytes(ox.serialize(_triples(nt), format=ox.RdfFormat.TURTLE, prefixes=ns.PREFIXES))


def _jsonld(nquads: bytes) -> bytes:
    """Oxigraph's JSON-LD (expanded: full IRIs, one object per named graph) under the project's context,
    inlined (the same one is published as context.jsonld): a relative context reference such as
    "context.jsonld" makes loaders that do not fetch documents, pyoxigraph's among them, refuse the
    file. The context changes no IRI here, since expanded IRIs are absolute."""
    body = ox.serialize(_quads(nquads), format=ox.RdfFormat.JSON_LD) or b"[]"
    context = json.dumps(jsonld_context()["@context"], indent=2, sort_keys=True).encode("utf-8")
    return b'{\n"@context": ' + context + b',\n"@graph": ' + body.strip() + b"\n}\n"


def render_outputs(kg: KnowledgeGraph) -> dict[str, bytes]:
    """Every file of dist/ by name."""
    out: dict[str, bytes] = {}
    graphs = _graph_lines(kg)
    union = sorted_lines(b"".join(graphs.values()))
    out["sckg.nt"] = union
    out["sckg.nq"] = sorted_lines(as_bytes(kg.store.dump(format=ox.RdfFormat.N_QUADS)))
    out["sckg.ttl"] = _turtle(union)
    by_graph = _graph_by_graph(graphs)
    out["sckg.trig"] = as_bytes(ox.serialize(_quads(by_graph), format=ox.RdfFormat.TRIG, prefixes=ns.PREFIXES))
    out["ontology.ttl"] = _turtle(graphs.get(ns.GRAPH_ONTOLOGY, b""))
    out["void.ttl"] = void_turtle(kg)  # VoID/DCAT description of the dataset and its linksets (sckg.void)

    context = jsonld_context()
    out[JSONLD_CONTEXT_FILE] = (json.dumps(context, indent=2, sort_keys=True) + "\n").encode("utf-8")
    out["sckg.jsonld"] = _jsonld(by_graph)
    return out


def write_outputs(files: dict[str, bytes], folder: Path) -> None:
    for name, data in sorted(files.items()):
        (folder / name).write_bytes(data)


# ---- dist/exports/: exports are kept across builds only while they show the graph dist/ holds ------

EXPORTS_DIR = "exports"
EXPORTS_RECORD = ".sckg-exports.json"  # export file name -> fingerprint of the graph it was drawn from


def graph_fingerprint(kg: KnowledgeGraph) -> str:
    """The sha256 of the graph's sorted N-Quads: exactly the bytes of dist/sckg.nq."""
    import hashlib

    return hashlib.sha256(sorted_lines(as_bytes(kg.store.dump(format=ox.RdfFormat.N_QUADS)))).hexdigest()


def _read_record(folder: Path) -> dict[str, str]:
    try:
        record = json.loads((folder / EXPORTS_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in record.items()} if isinstance(record, dict) else {}


def record_export(folder: Path, name: str, fingerprint: str) -> None:
    """Note in dist/exports/ which graph the export ``name`` was drawn from."""
    from .atomic import write_file_atomically

    record = _read_record(folder)
    record[name] = fingerprint
    write_file_atomically(folder / EXPORTS_RECORD,
                          (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def carry_exports(fingerprint: str, dropped: list[str]):
    """For ``staged_directory``: copy the old dist/exports/ files drawn from the graph the new build
    holds (same fingerprint); the others would show a graph that is no longer there, so they are left
    behind and their names appended to ``dropped``."""
    import shutil

    def carry(old: Path, staging: Path) -> None:
        source = old / EXPORTS_DIR
        if not source.is_dir():
            return
        record = _read_record(source)
        kept = {}
        for path in sorted(source.iterdir()):
            if path.name == EXPORTS_RECORD:
                continue
            if record.get(path.name) == fingerprint and path.is_file():
                (staging / EXPORTS_DIR).mkdir(exist_ok=True)
                shutil.copy2(path, staging / EXPORTS_DIR / path.name)
                kept[path.name] = fingerprint
            else:
                dropped.append(f"{EXPORTS_DIR}/{path.name}")
        if kept:
            (staging / EXPORTS_DIR / EXPORTS_RECORD).write_text(
                json.dumps(kept, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    return carry

"""Serialising the built graph into dist/: the same input gives byte-identical files.

rdflib writes the pretty formats (Turtle, TriG, JSON-LD) with the project's prefixes; Oxigraph writes
N-Triples and N-Quads, whose lines are then sorted, so their order never depends on hashing. The data
holds no blank nodes (a quality check keeps it so), which is what makes the pretty formats stable too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .graph import KnowledgeGraph
from .void import to_turtle as void_turtle

JSONLD_CONTEXT_FILE = "context.jsonld"


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(line for line in data.decode("utf-8").splitlines() if line.strip()))
    return ("\n".join(lines) + "\n").encode("utf-8")


def jsonld_context() -> dict:
    return {"@context": {prefix: iri for prefix, iri in ns.PREFIXES.items()}}


def render_outputs(kg: KnowledgeGraph) -> dict[str, bytes]:
    """Every file of dist/ by name."""
    out: dict[str, bytes] = {}
    union_query = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
    nt = kg.store.query(union_query).serialize(format=ox.RdfFormat.N_TRIPLES)
    out["sckg.nt"] = _sorted_lines(nt)
    out["sckg.nq"] = _sorted_lines(kg.store.dump(format=ox.RdfFormat.N_QUADS))
    out["sckg.ttl"] = kg.union.serialize(format="turtle").encode("utf-8")
    out["sckg.trig"] = _trig(kg)
    out["ontology.ttl"] = kg.named_graph(ns.GRAPH_ONTOLOGY).serialize(format="turtle").encode("utf-8")
    out["void.ttl"] = void_turtle(kg)  # VoID/DCAT description of the dataset and its linksets (sckg.void)

    context = jsonld_context()
    out[JSONLD_CONTEXT_FILE] = (json.dumps(context, indent=2, sort_keys=True) + "\n").encode("utf-8")
    expanded = json.loads(kg.dataset.serialize(format="json-ld", context=context["@context"]))
    out["sckg.jsonld"] = (json.dumps(_canonical_jsonld(expanded), indent=2, sort_keys=True,
                                     ensure_ascii=False) + "\n").encode("utf-8")
    return out


def _canonical_jsonld(doc):
    """Sort node lists by @id (and values within nodes) so the JSON-LD is byte-stable. The context is
    inlined (the same one is published as context.jsonld): a relative context reference such as
    "context.jsonld" makes loaders that do not fetch documents, pyoxigraph's among them, refuse the file."""
    def sort_nodes(value):
        if isinstance(value, list):
            items = [sort_nodes(v) for v in value]
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        if isinstance(value, dict):
            return {k: sort_nodes(v) for k, v in value.items()}
        return value

    body = {k: v for k, v in doc.items() if k != "@context"} if isinstance(doc, dict) else {"@graph": doc}
    return {"@context": jsonld_context()["@context"], **sort_nodes(body)}


def _trig(kg: KnowledgeGraph) -> bytes:
    """TriG assembled from rdflib's Turtle of each named graph, in sorted graph order. rdflib's own
    TriG writer orders graphs and subjects by hash, so it is not byte-stable across runs."""
    header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in ns.PREFIXES.items())
    blocks = []
    for name in kg.graph_names():
        body = kg.named_graph(name).serialize(format="turtle")
        # Not indented: Turtle long literals span lines, and indenting would change their text.
        lines = [line for line in body.splitlines() if not line.startswith("@prefix")]
        inner = "\n".join(lines).strip("\n")
        blocks.append(f"<{name}> {{\n{inner}\n}}\n")
    return (header + "\n" + "\n".join(blocks)).encode("utf-8")


def write_outputs(files: dict[str, bytes], folder: Path) -> None:
    for name, data in sorted(files.items()):
        (folder / name).write_bytes(data)


# ---- dist/exports/: exports are kept across builds only while they show the graph dist/ holds ------

EXPORTS_DIR = "exports"
EXPORTS_RECORD = ".sckg-exports.json"  # export file name -> fingerprint of the graph it was drawn from


def graph_fingerprint(kg: KnowledgeGraph) -> str:
    """The sha256 of the graph's sorted N-Quads: exactly the bytes of dist/sckg.nq."""
    import hashlib

    return hashlib.sha256(_sorted_lines(kg.store.dump(format=ox.RdfFormat.N_QUADS))).hexdigest()


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

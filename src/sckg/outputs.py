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

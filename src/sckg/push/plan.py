"""What ``sckg push`` sends: one Graph Store request per named graph of the loaded dataset.

The bodies are N-Triples dumped from the loader's Oxigraph store (the graph ``sckg query`` answers
from, grounding included), with lines sorted so the same build always sends the same bytes. N-Triples
needs no prefixes, streams line by line on the server and is accepted by every Graph Store server we
know (Oxigraph, Virtuoso, Fuseki, GraphDB, Stardog).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from .. import namespaces as ns
from ..errors import UsageError
from ..oxigraph_bytes import as_bytes, sorted_lines

CONTENT_TYPE = "application/n-triples"
METHODS = {"replace": "PUT", "append": "POST"}  # GSP: PUT replaces the graph, POST merges into it


@dataclass(frozen=True)
class GraphUpload:
    graph: str      # the graph IRI, locally and on the server
    triples: int
    body: bytes     # N-Triples, UTF-8
    method: str     # PUT or POST
    url: str        # the Graph Store URL with ?graph=IRI (indirect identification)


def graph_url(endpoint: str, graph: str) -> str:
    """The request URL for one graph: the endpoint with ``graph=IRI`` added to its query string
    (GSP's indirect graph identification; Oxigraph's /store and Virtuoso's /sparql-graph-crud both
    take it)."""
    parts = urlsplit(endpoint)
    query = [*parse_qsl(parts.query, keep_blank_values=True), ("graph", graph)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def resolve_graphs(available: list[str], wanted: list[str] | None) -> list[str]:
    """The graphs to push: all of them, or those named by ``--graph`` (a full IRI, or its part after
    https://w3id.org/sckg/graph/, such as ``entities`` or ``statement/<id>``)."""
    if not wanted:
        return list(available)
    chosen = []
    for name in wanted:
        iri = name if name in available else ns.GRAPH + name
        if iri not in available:
            short = ", ".join(g.removeprefix(ns.GRAPH) for g in available)
            raise UsageError(f"no named graph '{name}' in the dataset; it has: {short}")
        if iri not in chosen:
            chosen.append(iri)
    return chosen


def plan_uploads(store: ox.Store, graphs: list[str], endpoint: str, mode: str) -> list[GraphUpload]:
    method = METHODS[mode]
    uploads = []
    for graph in graphs:
        body = sorted_lines(as_bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))))
        triples = body.count(b"\n")
        uploads.append(GraphUpload(graph=graph, triples=triples, body=body, method=method,
                                   url=graph_url(endpoint, graph)))
    return uploads

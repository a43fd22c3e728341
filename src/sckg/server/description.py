"""The SPARQL 1.1 Service Description of the endpoint (what GET /sparql without a query returns).

It tells clients what the endpoint does and, as importantly, what it does not: SPARQL 1.1 Query only
(no Update), no federated query (sd:BasicFederatedQuery is deliberately absent), the default graph is
the union of all named graphs (sd:UnionDefaultGraph), and the limits that apply to every query.
"""

from __future__ import annotations

import pyoxigraph as ox

from .. import namespaces as ns
from .config import ServerConfig

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
VOID = "http://rdfs.org/ns/void#"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint: str, void_url: str, graph_sizes: dict[str, int],
                        config: ServerConfig) -> list[ox.Triple]:
    n = ox.NamedNode
    a = n(ns.RDF + "type")
    service = n(endpoint)
    dataset, default_graph = ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, a, n(SD + "Service")),
        ox.Triple(service, n(SD + "endpoint"), service),
        ox.Triple(service, n(SD + "supportedLanguage"), n(SD + "SPARQL11Query")),
        ox.Triple(service, n(SD + "feature"), n(SD + "UnionDefaultGraph")),
        ox.Triple(service, n(SD + "defaultEntailmentRegime"), n("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, n(ns.DCTERMS + "title"),
                  ox.Literal("Secure Communities Knowledge Graph (sckg)", language="en")),
        ox.Triple(service, n(ns.DCTERMS + "description"), ox.Literal(
            "A read-only SPARQL 1.1 Query endpoint. Updates are refused (403); SERVICE (federated "
            "query) is refused (400); FROM, FROM NAMED, default-graph-uri and named-graph-uri select "
            "among the local named graphs only and never fetch anything (the X-SCKG-Unknown-Graphs "
            "response header names any the dataset lacks). Without them the default "
            f"graph is the union of all named graphs. Each query may run {config.timeout:g} s; a "
            f"response holds at most {config.row_limit} rows or triples (X-SCKG-Truncated says when "
            f"more were cut); a query may be at most {config.max_query_bytes} bytes.", language="en")),
        ox.Triple(service, n(ns.RDFS + "seeAlso"), n(void_url)),
        ox.Triple(service, n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, a, n(SD + "Dataset")),
        ox.Triple(dataset, n(SD + "defaultGraph"), default_graph),
        ox.Triple(default_graph, a, n(SD + "Graph")),
        ox.Triple(default_graph, n(VOID + "triples"), ox.Literal(str(sum(graph_sizes.values())),
                                                                 datatype=n(ns.XSD + "integer"))),
    ]
    triples += [ox.Triple(service, n(SD + "resultFormat"), n(FORMATS + f)) for f in RESULT_FORMATS]
    for name, size in sorted(graph_sizes.items()):
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, n(SD + "namedGraph"), named),
            ox.Triple(named, a, n(SD + "NamedGraph")),
            ox.Triple(named, n(SD + "name"), n(name)),
            ox.Triple(named, n(SD + "graph"), graph),
            ox.Triple(graph, a, n(SD + "Graph")),
            ox.Triple(graph, n(VOID + "triples"), ox.Literal(str(size), datatype=n(ns.XSD + "integer"))),
        ]
    return triples


PREFIXES = {"sd": SD, "void": VOID, "dcterms": ns.DCTERMS, "rdfs": ns.RDFS, "formats": FORMATS, "xsd": ns.XSD}

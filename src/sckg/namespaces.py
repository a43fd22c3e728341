"""The IRIs sckg mints and the prefixes it declares everywhere (files, queries, exports).

One base for the ontology, one for instance data, one for named graphs. schema.org is used in its
``https://`` form throughout (rdflib's SDO); a quality check flags the ``http://`` form.
"""

from __future__ import annotations

import re

ONTOLOGY_IRI = "https://w3id.org/sckg/ontology"
SCKG = "https://w3id.org/sckg/ontology#"
DATA = "https://w3id.org/sckg/id/"
GRAPH = "https://w3id.org/sckg/graph/"

GRAPH_ONTOLOGY = GRAPH + "ontology"
GRAPH_ENTITIES = GRAPH + "entities"
GRAPH_CONTEXT = GRAPH + "context"
GRAPH_LINKS = GRAPH + "links"
GRAPH_STATEMENT_PREFIX = GRAPH + "statement/"
GRAPH_EXTENSION_PREFIX = GRAPH + "extension/"
GRAPH_INFERRED = GRAPH + "inferred"  # the build's RDFS closure of class membership (sckg.inference)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
OA = "http://www.w3.org/ns/oa#"
SH = "http://www.w3.org/ns/shacl#"

# The prefixes every query, serialisation and export knows. Order is the order they are written in.
PREFIXES: dict[str, str] = {
    "sckg": SCKG,
    "kg": DATA,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "schema": SCHEMA,
    "oa": OA,
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sh": SH,
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "dbr": "http://dbpedia.org/resource/",
}


def sparql_prologue() -> str:
    """PREFIX lines for every declared prefix, so users can write ``sckg:`` without declaring it."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def curie(iri: str) -> str:
    """Shorten an IRI with the longest matching declared prefix; return it unchanged if none fits."""
    best = ""
    best_prefix = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, best_prefix = ns, prefix
    if not best:
        return iri
    local = iri[len(best):]
    return f"{best_prefix}:{local}"


# A local name SPARQL and Turtle read without escapes (ASCII subset of PN_LOCAL; '/' and '#' excluded).
_PLAIN_LOCAL = re.compile(r"^([A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?)?$")


def pasteable(iri: str) -> str:
    """An IRI as printed for a person to paste back into a query: a CURIE when the local part needs no
    escape (kg:cap), else the full ``<IRI>`` (kg:a/b would be a syntax error in SPARQL)."""
    short = curie(iri)
    if short != iri and _PLAIN_LOCAL.match(short.split(":", 1)[1]):
        return short
    return f"<{iri}>"


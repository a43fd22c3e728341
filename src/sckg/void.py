"""A VoID (and DCAT) description of the knowledge graph: what it holds, how to get it, what it links to.

``describe(kg)`` counts everything from the loaded graph, so the description cannot drift from the
data. It is deterministic: nodes are IRIs minted under the dataset's IRI (no blank nodes, whose labels
would change from run to run), and the only dates are ones found in the data (the ontology's
``dcterms:modified`` and the verification dates of the links), never the time of the build.

Linksets follow the VoID guide: one ``void:Linkset`` per external target, listing every link
predicate used, with one sub-linkset (``void:subset``) per predicate carrying its own count.
The state codes are literals (FIPS and ISO 3166-2 codes, not IRIs); their "linkset" says so in its
description, since VoID has no separate notion of a link by code.

Each statement is a ``void:subset`` of its own (``<dataset>/statement/<id>``): its named graph, its
counts (triples, entities, items by class), the statement it encodes (``dcterms:source``) and its
publisher, and two DCAT distributions: its named graph inside the N-Quads and TriG dumps, and the
verbatim source text its offsets count in, with the text's sha256 (SPDX checksum), its origin (the
publisher's page, when the data records one), publisher, date and rights. When a server describes
itself (``base_url``), the graph exports it draws at /exports/ are distributions too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from . import namespaces as ns
from .graph import KnowledgeGraph
from .links.inventory import CODE_PREDICATES, LINK_PREDICATES
from .oxigraph_bytes import sorted_lines

if TYPE_CHECKING:
    import rdflib

DATASET_BASE = ns.DATA + "dataset/"
DATASET = DATASET_BASE + "sckg"
PUBLISHER = ns.DATA + "sckg-project"
# Where dist/ is published when no deployment URL is given: the project's permanent address.
CANONICAL_BASE = "https://w3id.org/sckg"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"



@dataclass(frozen=True)
class Target:
    """An external dataset the graph links to."""

    key: str
    title: str
    description: str
    homepage: str | None
    uri_space: str | None  # objects of links into it start with this; None for literal codes
    sparql_endpoint: str | None = None


TARGETS = (
    Target("wikidata", "Wikidata", "The free knowledge base of the Wikimedia Foundation.",
           "https://www.wikidata.org/", "http://www.wikidata.org/entity/", "https://query.wikidata.org/sparql"),
    Target("dbpedia", "DBpedia", "Structured data extracted from Wikipedia.",
           "https://www.dbpedia.org/", "http://dbpedia.org/resource/", "https://dbpedia.org/sparql"),
    # No homepage: the research notes name no source for the code lists, and none is given from memory.
    Target("us-state-codes", "US state codes (FIPS and ISO 3166-2)",
           "Numeric FIPS state codes and ISO 3166-2 subdivision codes of the US states.", None, None),
)

# The files of dist/ offered as dumps, with their media types (tests check they match the build).
DUMPS = {
    "sckg.ttl": "text/turtle",
    "sckg.nt": "application/n-triples",
    "sckg.nq": "application/n-quads",
    "sckg.trig": "application/trig",
    "sckg.jsonld": "application/ld+json",
    "ontology.ttl": "text/turtle",
}


def describe(kg: KnowledgeGraph, base_url: str | None = None) -> rdflib.Graph:
    """The VoID description of ``kg``. With ``base_url`` (where a server publishes the graph), the
    SPARQL endpoint and the download URLs are given under it; otherwise downloads are given under
    the project's permanent address and no endpoint is claimed."""
    from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS

    void, dcat, foaf = Namespace(VOID), Namespace(DCAT), Namespace(FOAF)
    g = Graph()
    for prefix, iri in ns.PREFIXES.items():
        g.bind(prefix, iri, override=True, replace=True)
    g.bind("spdx", SPDX)  # bound by name: rdflib would otherwise invent ns1/ns2 in a hash-dependent order
    g.bind("sd", SD)

    ds = URIRef(DATASET)
    ontology = _ontology_header(kg)
    g.add((ds, RDF.type, void.Dataset))
    g.add((ds, RDF.type, dcat.Dataset))
    g.add((ds, DCTERMS.title, Literal("sckg: the Secure Communities Knowledge Graph", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "Policy statements on the June 2011 changes to the US Secure Communities program, encoded as RDF: "
        "their claims, stances, evidence, argument and causal relations, each anchored in the exact "
        "characters of its source text (one void:subset per statement), with outside context and links "
        "to Wikidata, DBpedia and US state codes.", lang="en")))
    if ontology.get("license"):
        g.add((ds, DCTERMS.license, URIRef(ontology["license"])))
    if ontology.get("modified"):
        g.add((ds, DCTERMS.modified, Literal(ontology["modified"], datatype=XSD.date)))
    publisher = URIRef(PUBLISHER)
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, foaf.Organization))
    g.add((publisher, foaf.name, Literal(ontology.get("creator") or "The sckg developers")))
    g.add((ds, void.uriSpace, Literal(ns.DATA)))
    g.add((ds, void.rootResource, URIRef(ns.ONTOLOGY_IRI)))
    g.add((ds, void.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    g.add((ds, void.feature, URIRef("http://www.w3.org/ns/formats/N-Quads")))

    counts = _counts(kg)
    for name in ("triples", "entities", "distinctSubjects", "distinctObjects", "properties", "classes"):
        g.add((ds, void[name], Literal(counts[name], datatype=XSD.integer)))
    for vocabulary in _vocabularies(kg):
        g.add((ds, void.vocabulary, URIRef(vocabulary)))

    for cls, n in _class_counts(kg):
        part = URIRef(f"{DATASET}/class/{_slug(cls)}")
        g.add((ds, void.classPartition, part))
        g.add((part, void["class"], URIRef(cls)))
        g.add((part, void.entities, Literal(n, datatype=XSD.integer)))
    for prop, n in _property_counts(kg):
        part = URIRef(f"{DATASET}/property/{_slug(prop)}")
        g.add((ds, void.propertyPartition, part))
        g.add((part, void.property, URIRef(prop)))
        g.add((part, void.triples, Literal(n, datatype=XSD.integer)))

    base = (base_url or CANONICAL_BASE).rstrip("/")
    if base_url:
        g.add((ds, void.sparqlEndpoint, URIRef(f"{base}/sparql")))
    for name, media_type in DUMPS.items():
        dist = URIRef(f"{DATASET}/distribution/{name}")
        url = URIRef(f"{base}/dist/{name}")
        g.add((ds, dcat.distribution, dist))
        g.add((dist, RDF.type, dcat.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"dist/{name}")))
        g.add((dist, dcat.downloadURL, url))
        g.add((dist, dcat.mediaType, Literal(media_type)))
        if name != "ontology.ttl":  # the ontology alone is not a dump of the dataset
            g.add((ds, void.dataDump, url))

    if base_url:  # a server draws the exports on request (/exports/VIEW.EXT); a static dist/ has none
        _add_export_distributions(g, ds, base)

    for grounding in sorted(kg.groundings, key=lambda gr: gr.statement_id):
        _add_statement_subset(g, ds, kg, grounding, base)

    links = _link_counts(kg)
    for target in TARGETS:
        _add_linkset(g, ds, target, links.get(target.key, {}), _verification_date(kg, target), ontology)
    return g


SPDX = "http://spdx.org/rdf/terms#"
SD = "http://www.w3.org/ns/sparql-service-description#"


def _add_statement_subset(g, ds, kg: KnowledgeGraph, grounding, base: str) -> None:
    from rdflib import RDF, XSD, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS

    void, dcat, spdx, sd = Namespace(VOID), Namespace(DCAT), Namespace(SPDX), Namespace(SD)
    graph = ns.GRAPH_STATEMENT_PREFIX + grounding.statement_id
    subset = URIRef(f"{DATASET}/statement/{grounding.statement_id}")
    document = URIRef(grounding.document)
    g.add((ds, void.subset, subset))
    g.add((subset, RDF.type, void.Dataset))
    g.add((subset, RDF.type, dcat.Dataset))
    g.add((subset, sd.name, URIRef(graph)))  # the named graph that holds this subset
    g.add((subset, DCTERMS.source, document))
    title = _first(kg, f"SELECT (MIN(STR(?t)) AS ?v) WHERE {{ GRAPH <{graph}> {{ <{document}> dcterms:title ?t }} }}")
    g.add((subset, DCTERMS.title, Literal(f"sckg encoding of {title or grounding.statement_id}", lang="en")))
    publisher = _first(
        kg, f"SELECT (MIN(STR(?p)) AS ?v) WHERE {{ GRAPH <{graph}> {{ <{document}> dcterms:publisher ?p }} }}")
    if publisher:
        # The statement's author, not the dataset's publisher (dcterms:publisher stays the sckg project).
        g.add((subset, DCTERMS.creator, URIRef(publisher)))
    g.add((subset, void.uriSpace, Literal(f"{ns.DATA}{grounding.statement_id}/")))
    in_graph = f"GRAPH <{graph}> {{ ?s ?p ?o }}"
    g.add((subset, void.triples, Literal(_one_int(kg, f"SELECT (COUNT(*) AS ?n) WHERE {{ {in_graph} }}"),
                                         datatype=XSD.integer)))
    g.add((subset, void.entities, Literal(_one_int(
        kg, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {in_graph} "
            f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{ns.DATA}\")) }}"),
        datatype=XSD.integer)))
    g.add((subset, void.distinctSubjects, Literal(_one_int(
        kg, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {in_graph} }}"), datatype=XSD.integer)))
    for row in kg.sparql(f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s a ?c }} "
                         "FILTER(isIRI(?c)) } GROUP BY ?c ORDER BY ?c"):
        part = URIRef(f"{subset}/class/{_slug(row['c'].value)}")
        g.add((subset, void.classPartition, part))
        g.add((part, void["class"], URIRef(row["c"].value)))
        g.add((part, void.entities, Literal(int(row["n"].value), datatype=XSD.integer)))
    for name in ("sckg.nq", "sckg.trig"):
        dist = URIRef(f"{subset}/distribution/{name}")
        g.add((subset, dcat.distribution, dist))
        g.add((dist, RDF.type, dcat.Distribution))
        g.add((dist, DCTERMS.title, Literal(f"the named graph <{graph}> in dist/{name}")))
        g.add((dist, dcat.accessURL, URIRef(f"{base}/dist/{name}")))
        g.add((dist, dcat.mediaType, Literal(DUMPS[name])))
    text = URIRef(f"{subset}/distribution/source.txt")
    g.add((subset, dcat.distribution, text))
    g.add((text, RDF.type, dcat.Distribution))
    g.add((text, DCTERMS.title, Literal(f"data/statements/{grounding.statement_id}/source.txt: the verbatim text "
                                        "the offsets (oa:start, oa:end) count in")))
    g.add((text, dcat.mediaType, Literal("text/plain")))
    _add_text_origin(g, kg, text, document, publisher)
    checksum = URIRef(f"{text}/sha256")
    g.add((text, spdx.checksum, checksum))
    g.add((checksum, RDF.type, spdx.Checksum))
    g.add((checksum, spdx.algorithm, spdx.checksumAlgorithm_sha256))
    g.add((checksum, spdx.checksumValue, Literal(grounding.sha256, datatype=XSD.hexBinary)))


def _add_export_distributions(g, ds, base: str) -> None:
    """One dcat:Distribution per view and export format, from the export table (sckg.export.registry)."""
    from rdflib import RDF, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS

    from .export import VIEWS, registry
    from .server.exports import address

    dcat = Namespace(DCAT)
    for view in VIEWS:
        for row in registry.offered(view):
            path = address(view, row)
            dist = URIRef(f"{DATASET}/distribution/{path}")
            g.add((ds, dcat.distribution, dist))
            g.add((dist, RDF.type, dcat.Distribution))
            g.add((dist, DCTERMS.title, Literal(f"the {view} view: {row.help}", lang="en")))
            g.add((dist, dcat.downloadURL, URIRef(f"{base}/{path}")))
            g.add((dist, dcat.mediaType, Literal(row.media_type)))


def _add_text_origin(g, kg: KnowledgeGraph, text, document, publisher: str | None) -> None:
    """Where a source text comes from and whose it is, as the statement's data records it: its page
    (schema:url, foaf:page or dcat:landingPage), its publisher and date (schema:datePublished,
    dcterms:issued or dcterms:date), and its rights. A licence is given only when the data records one
    (none is invented); otherwise the rights statement says what holds for a press statement: the
    publisher keeps its copyright, and the text is quoted for research, outside the dataset's licence."""
    import pyoxigraph as ox
    from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS

    dcat = Namespace(DCAT)
    doc = f"<{document}>"
    page = _first(kg, f"SELECT (MIN(STR(?u)) AS ?v) WHERE {{ {doc} schema:url|foaf:page|dcat:landingPage ?u "
                      "FILTER isIRI(?u) }")
    if page:
        g.add((text, DCTERMS.source, URIRef(page)))
        g.add((text, dcat.landingPage, URIRef(page)))
    if publisher:
        g.add((text, DCTERMS.publisher, URIRef(publisher)))
    issued = _first(kg, "SELECT (MIN(STR(?d)) AS ?v) WHERE "
                        f"{{ {doc} schema:datePublished|dcterms:issued|dcterms:date ?d }}")
    if issued:
        g.add((text, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    licence = _first(kg, f"SELECT (MIN(STR(?l)) AS ?v) WHERE {{ {doc} dcterms:license ?l FILTER isIRI(?l) }}")
    if licence:
        g.add((text, DCTERMS.license, URIRef(licence)))
    recorded = [row["r"] for row in kg.sparql(f"SELECT DISTINCT ?r WHERE {{ {doc} dcterms:rights ?r }} ORDER BY ?r")]
    for value in recorded:
        g.add((text, DCTERMS.rights, URIRef(value.value) if isinstance(value, ox.NamedNode)
               else Literal(value.value, lang=value.language or None)))
    if not recorded:
        name = _first(kg, "SELECT (MIN(STR(?n)) AS ?v) WHERE "
                      f"{{ <{publisher}> rdfs:label|foaf:name|skos:prefLabel ?n }}") if publisher else None
        rights = URIRef(f"{text}/rights")
        g.add((text, DCTERMS.rights, rights))
        g.add((rights, RDF.type, DCTERMS.RightsStatement))
        g.add((rights, RDFS.label, Literal(
            f"The text is {name or 'its publisher'}'s, who keeps its copyright. It is quoted verbatim here for "
            "research and annotation, and is not covered by the licence of the sckg dataset.", lang="en")))


def _first(kg: KnowledgeGraph, query: str) -> str | None:
    rows = list(kg.sparql(query))
    return rows[0]["v"].value if rows and rows[0]["v"] is not None else None


def _add_linkset(g, ds, target: Target, by_predicate: dict[str, int], issued: str | None, ontology: dict) -> None:
    from rdflib import RDF, XSD, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, FOAF as FOAF_NS

    void = Namespace(VOID)
    other = URIRef(DATASET_BASE + target.key)
    g.add((other, RDF.type, void.Dataset))
    g.add((other, DCTERMS.title, Literal(target.title, lang="en")))
    g.add((other, DCTERMS.description, Literal(target.description, lang="en")))
    if target.homepage:
        g.add((other, FOAF_NS.homepage, URIRef(target.homepage)))
    if target.uri_space:
        g.add((other, void.uriSpace, Literal(target.uri_space)))
    if target.sparql_endpoint:
        g.add((other, void.sparqlEndpoint, URIRef(target.sparql_endpoint)))

    linkset = URIRef(f"{DATASET}/linkset/{target.key}")
    g.add((ds, void.subset, linkset))
    g.add((linkset, RDF.type, void.Linkset))
    g.add((linkset, DCTERMS.title, Literal(f"sckg links to {target.title}", lang="en")))
    kind = ("literal codes, not links to IRIs" if target.uri_space is None
            else "owl:sameAs where identity is exact, SKOS mapping properties otherwise")
    g.add((linkset, DCTERMS.description, Literal(
        f"Curated links from sckg's entities to {target.title} ({kind}); each link is reified as an "
        f"sckg:ContextFact with its source, verification status and date.", lang="en")))
    g.add((linkset, DCTERMS.publisher, URIRef(PUBLISHER)))
    if ontology.get("license"):
        g.add((linkset, DCTERMS.license, URIRef(ontology["license"])))
    if issued:
        g.add((linkset, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((linkset, void.subjectsTarget, ds))
    g.add((linkset, void.objectsTarget, other))
    g.add((linkset, void.triples, Literal(sum(by_predicate.values()), datatype=XSD.integer)))
    for predicate, n in sorted(by_predicate.items()):
        g.add((linkset, void.linkPredicate, URIRef(predicate)))
        sub = URIRef(f"{linkset}/{_slug(predicate)}")
        g.add((linkset, void.subset, sub))
        g.add((sub, RDF.type, void.Linkset))
        g.add((sub, void.linkPredicate, URIRef(predicate)))
        g.add((sub, void.subjectsTarget, ds))
        g.add((sub, void.objectsTarget, other))
        g.add((sub, void.triples, Literal(n, datatype=XSD.integer)))


# ---- counting -----------------------------------------------------------------------------------

def _one_int(kg: KnowledgeGraph, query: str) -> int:
    return int(next(iter(kg.sparql(query)))["n"].value)


def _counts(kg: KnowledgeGraph) -> dict[str, int]:
    # The union graph holds each distinct triple once, whichever named graphs repeat it.
    return {
        "triples": _one_int(kg, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"),
        "entities": _one_int(kg, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o "
                                 f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"{ns.DATA}\")) }}"),
        "distinctSubjects": _one_int(kg, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        "distinctObjects": _one_int(kg, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        "properties": _one_int(kg, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
        "classes": _one_int(kg, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"),
    }


def _class_counts(kg: KnowledgeGraph) -> list[tuple[str, int]]:
    rows = kg.sparql("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER isIRI(?c) } GROUP BY ?c ORDER BY ?c")
    return [(r["c"].value, int(r["n"].value)) for r in rows]


def _property_counts(kg: KnowledgeGraph) -> list[tuple[str, int]]:
    rows = kg.sparql("SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } "
                     "GROUP BY ?p ORDER BY ?p")
    return [(r["p"].value, int(r["n"].value)) for r in rows]


def _vocabularies(kg: KnowledgeGraph) -> list[str]:
    """The declared namespaces whose terms the data uses as predicates or classes."""
    used = {r["t"].value
            for r in kg.sparql("SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t FILTER isIRI(?t) } }")}
    vocabularies = set()
    for term in used:
        best = max((iri for iri in ns.PREFIXES.values() if term.startswith(iri)), key=len, default=None)
        if best and best != ns.DATA:
            vocabularies.add(best)
    return sorted(vocabularies)


def _link_counts(kg: KnowledgeGraph) -> dict[str, dict[str, int]]:
    """target key -> link predicate -> number of distinct links."""
    result: dict[str, dict[str, int]] = {}
    values = " ".join(f"<{p}>" for p in LINK_PREDICATES)
    rows = kg.sparql(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o FILTER isIRI(?o) }}")
    for row in rows:
        obj = row["o"].value
        for target in TARGETS:
            if target.uri_space and obj.startswith(target.uri_space):
                per = result.setdefault(target.key, {})
                per[row["p"].value] = per.get(row["p"].value, 0) + 1
    codes = " ".join(f"<{p}>" for p in CODE_PREDICATES)
    for row in kg.sparql(f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE "
                         f"{{ VALUES ?p {{ {codes} }} ?s ?p ?o }} }} GROUP BY ?p"):
        result.setdefault("us-state-codes", {})[row["p"].value] = int(row["n"].value)
    return result


def _verification_date(kg: KnowledgeGraph, target: Target) -> str | None:
    """The latest date on which a link into ``target`` was verified (from the links' ContextFacts)."""
    if target.uri_space:
        match = f"FILTER(isIRI(?o) && STRSTARTS(STR(?o), \"{target.uri_space}\"))"
    else:
        match = "VALUES ?p { " + " ".join(f"<{p}>" for p in CODE_PREDICATES) + " }"
    rows = list(kg.sparql(f"SELECT (MAX(STR(?d)) AS ?date) WHERE {{ ?f a sckg:ContextFact ; rdf:predicate ?p ; "
                          f"rdf:object ?o ; dcterms:date ?d . {match} }}"))
    value = rows[0]["date"] if rows else None
    return value.value if value is not None else None


def _ontology_header(kg: KnowledgeGraph) -> dict[str, str]:
    header: dict[str, str] = {}
    names = {"license": ns.DCTERMS + "license", "modified": ns.DCTERMS + "modified", "creator": ns.DCTERMS + "creator"}
    for key, predicate in names.items():
        rows = list(kg.sparql(f"SELECT (MIN(STR(?v)) AS ?v) WHERE {{ <{ns.ONTOLOGY_IRI}> <{predicate}> ?v }}"))
        if rows and rows[0]["v"] is not None:
            header[key] = rows[0]["v"].value
    return header


def _slug(iri: str) -> str:
    """A readable, IRI-safe local name for a term: its CURIE with ':' replaced."""
    curie = ns.curie(iri)
    if curie == iri:  # no declared prefix: keep the characters IRIs allow in a path segment
        curie = "".join(ch if ch.isalnum() or ch in "-._~" else "_" for ch in iri)
    return curie.replace(":", "-")


def to_turtle(kg: KnowledgeGraph, base_url: str | None = None) -> bytes:
    """The description as Turtle bytes, stable from run to run: its N-Triples lines sorted (it has no
    blank nodes), written as Turtle by Oxigraph, as dist/'s other files are. rdflib's Turtle serialiser
    took half of a large build's rendering on this graph of a few dozen triples per statement."""
    lines = sorted_lines(describe(kg, base_url).serialize(format="nt", encoding="utf-8"))
    return bytes(ox.serialize(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                              prefixes=ns.PREFIXES) or b"")

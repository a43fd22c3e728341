"""What the graph links to, read from the loaded graph: every curated link with its provenance, the
entities that have none, and the state codes that researchers' tables are matched against."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import namespaces as ns
from ..graph import KnowledgeGraph

# Predicates that link an entity to a resource of another dataset (owl:sameAs only for exact identity).
LINK_PREDICATES = (ns.OWL + "sameAs", ns.SKOS + "exactMatch", ns.SKOS + "closeMatch",
                   ns.SKOS + "broadMatch", ns.SKOS + "narrowMatch", ns.SKOS + "relatedMatch")
CODE_PREDICATES = (ns.SCKG + "fipsCode", ns.SCKG + "iso3166Code")
# Kinds of entity that can be expected to have an identifier elsewhere; social groups and sets of
# actors ("immigrants", "the states that opted out") are descriptions, not things with an ID.
LINKABLE_CLASSES = (ns.SCKG + "Organization", ns.SCKG + "Person", ns.SCKG + "Program")

TARGET_SPACES = {
    "http://www.wikidata.org/entity/": "Wikidata",
    "http://dbpedia.org/resource/": "DBpedia",
}


@dataclass(frozen=True)
class Link:
    fact: str  # the sckg:ContextFact that reifies the link
    entity: str
    entity_label: str
    predicate: str
    target: str  # an IRI, or a code for the code predicates
    target_is_iri: bool
    status: str = ""
    sources: tuple[str, ...] = ()
    date: str = ""
    method: str = ""
    target_label: str = ""

    @property
    def dataset(self) -> str:
        if not self.target_is_iri:
            return "US state codes"
        return next((name for space, name in TARGET_SPACES.items() if self.target.startswith(space)), "other")


@dataclass
class Entity:
    iri: str
    label: str
    cls: str  # the most specific sckg class (by name, for display)
    alt_labels: list[str] = field(default_factory=list)


def _values(predicates) -> str:
    return " ".join(f"<{p}>" for p in predicates)


def links(kg: KnowledgeGraph) -> list[Link]:
    """Every link or code reified by a ContextFact, sorted by entity, dataset and predicate."""
    query = f"""
    SELECT ?fact ?e ?elabel ?p ?o ?status (GROUP_CONCAT(DISTINCT STR(?src); SEPARATOR=" ") AS ?sources)
           (SAMPLE(?d) AS ?date) (SAMPLE(?m) AS ?method) (SAMPLE(?tl) AS ?tlabel)
    WHERE {{
      VALUES ?p {{ {_values(LINK_PREDICATES + CODE_PREDICATES)} }}
      ?fact a sckg:ContextFact ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o .
      ?e ?p ?o .
      OPTIONAL {{ ?e rdfs:label ?elabel0 }}
      BIND(COALESCE(?elabel0, "") AS ?elabel)
      OPTIONAL {{ ?fact sckg:verificationStatus ?status0 }}
      BIND(COALESCE(?status0, "") AS ?status)
      OPTIONAL {{ ?fact dcterms:source ?src }}
      OPTIONAL {{ ?fact dcterms:date ?d }}
      OPTIONAL {{ ?fact sckg:verificationMethod ?m }}
      OPTIONAL {{ ?fact sckg:targetLabel ?tl }}
    }} GROUP BY ?fact ?e ?elabel ?p ?o ?status"""
    result = []
    for r in kg.sparql(query):
        obj = r["o"]
        result.append(Link(
            fact=r["fact"].value, entity=r["e"].value, entity_label=r["elabel"].value,
            predicate=r["p"].value, target=obj.value, target_is_iri=not hasattr(obj, "datatype"),
            status=r["status"].value if r["status"] is not None else "",
            sources=tuple(sorted(r["sources"].value.split())) if r["sources"] is not None else (),
            date=r["date"].value if r["date"] is not None else "",
            method=r["method"].value if r["method"] is not None else "",
            target_label=r["tlabel"].value if r["tlabel"] is not None else ""))
    return sorted(result, key=lambda link: (link.entity, link.dataset, link.predicate, link.target))


def unreified_links(kg: KnowledgeGraph) -> list[tuple[str, str, str]]:
    """Link triples that no ContextFact describes: links without provenance."""
    query = f"""
    SELECT DISTINCT ?e ?p ?o WHERE {{
      VALUES ?p {{ {_values(LINK_PREDICATES + CODE_PREDICATES)} }}
      ?e ?p ?o . FILTER(STRSTARTS(STR(?e), "{ns.DATA}"))
      FILTER NOT EXISTS {{ ?fact a sckg:ContextFact ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o }}
    }} ORDER BY ?e ?p ?o"""
    return [(r["e"].value, r["p"].value, r["o"].value) for r in kg.sparql(query)]


def linkable_entities(kg: KnowledgeGraph) -> list[Entity]:
    """Organisations (jurisdictions included), people and programs, with labels and their class."""
    query = f"""
    SELECT ?e (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?cls)
           (GROUP_CONCAT(DISTINCT ?alt; SEPARATOR="\\u001f") AS ?alts)
    WHERE {{
      VALUES ?top {{ {_values(LINKABLE_CLASSES)} }}
      ?e a ?c . ?c rdfs:subClassOf* ?top .
      FILTER(STRSTARTS(STR(?c), "{ns.SCKG}"))
      FILTER NOT EXISTS {{ ?e a ?sub . ?sub rdfs:subClassOf+ ?c .
                           FILTER(?sub != ?c && STRSTARTS(STR(?sub), "{ns.SCKG}")) }}
      OPTIONAL {{ ?e rdfs:label ?l }}
      OPTIONAL {{ ?e skos:altLabel ?alt }}
    }} GROUP BY ?e ORDER BY ?e"""
    entities = []
    for r in kg.sparql(query):
        alts = r["alts"].value.split("\u001f") if r["alts"] is not None and r["alts"].value else []
        entities.append(Entity(iri=r["e"].value, label=r["label"].value if r["label"] is not None else "",
                               cls=r["cls"].value, alt_labels=sorted(alts)))
    return entities


def unlinked_entities(kg: KnowledgeGraph, space: str | None = None) -> list[Entity]:
    """Linkable entities with no link to an external resource (codes alone do not count), or, with
    ``space``, no link to a resource whose IRI starts with it (such as Wikidata's entity space)."""
    linked = {link.entity for link in links(kg)
              if link.target_is_iri and (space is None or link.target.startswith(space))}
    return [e for e in linkable_entities(kg) if e.iri not in linked]


@dataclass(frozen=True)
class StateCodes:
    iri: str
    names: tuple[str, ...]
    fips: str
    iso: str

    @property
    def postal(self) -> str:
        """The USPS abbreviation: for US states it is the ISO 3166-2 code without its "US-" prefix."""
        return self.iso.split("-", 1)[1] if self.iso.upper().startswith("US-") else ""


def state_codes(kg: KnowledgeGraph) -> list[StateCodes]:
    """Every sckg:State that has codes, with its labels: the lookup table of ``sckg import-table``."""
    query = """
    SELECT ?s (GROUP_CONCAT(DISTINCT STR(?name); SEPARATOR="\\u001f") AS ?names)
           (SAMPLE(?f) AS ?fips) (SAMPLE(?i) AS ?iso)
    WHERE {
      ?s a sckg:State .
      OPTIONAL { ?s sckg:fipsCode ?f }
      OPTIONAL { ?s sckg:iso3166Code ?i }
      OPTIONAL { { ?s rdfs:label ?name } UNION { ?s skos:altLabel ?name } }
    } GROUP BY ?s ORDER BY ?s"""
    rows = []
    for r in kg.sparql(query):
        names = tuple(sorted(n for n in (r["names"].value.split("\u001f") if r["names"] is not None else []) if n))
        rows.append(StateCodes(iri=r["s"].value, names=names,
                               fips=r["fips"].value if r["fips"] is not None else "",
                               iso=r["iso"].value if r["iso"] is not None else ""))
    return rows

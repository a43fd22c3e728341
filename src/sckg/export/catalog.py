"""What every view needs to know about a resource: label, classes, colour group and grounding.

Read once per export from the loaded KnowledgeGraph with a handful of SPARQL queries (the graph is
small; one pass over labels and types is cheaper than a query per node).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import namespaces as ns
from ..graph import KnowledgeGraph
from .style import group_of


@dataclass(frozen=True)
class Grounding:
    """Where an item's quote sits in the source text (offsets from 0, end exclusive)."""

    item: str
    quote: str
    start: int
    end: int
    sentence: int | None
    statement: str | None = None     # the sckg:PolicyStatement whose text the offsets refer to (oa:hasSource)
    source_text: str | None = None   # that text's file in the project, e.g. data/statements/<id>/source.txt


@dataclass
class Catalog:
    labels: dict[str, str] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    classes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # with superclasses
    superclasses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    anchors: dict[str, Grounding] = field(default_factory=dict)
    # (s, p, o) -> the items (claims, context facts) that state that triple via rdf:subject/predicate/object
    stated_by: dict[tuple[str, str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    voices: dict[str, str] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    # ---- node attributes ----------------------------------------------------------------------

    def label(self, iri: str) -> str:
        if iri in self.labels:
            return self.labels[iri]
        local = iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]
        # org:subOrganizationOf -> "sub organization of": vocabularies outside the project have no
        # rdfs:label in the graph, and a spaced local name reads better than a CURIE on a drawing.
        words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("-", " ").replace("_", " ")
        return words.lower() if words != local else (local.replace("-", " ") or iri)

    def type_of(self, iri: str) -> str:
        """The most specific asserted class, as a CURIE (sckg classes preferred on a tie)."""
        asserted = self.types.get(iri, set())
        specific = [t for t in asserted
                    if not any(t in self.superclasses.get(other, ()) for other in asserted if other != t)]
        if not specific:
            return ""
        specific.sort(key=lambda t: (not t.startswith(ns.SCKG), t))
        return ns.curie(specific[0])

    def group(self, iri: str) -> str:
        return group_of(self.classes.get(iri, set()))

    def node_attributes(self, iri: str) -> dict:
        attrs = {"iri": iri, "label": self.label(iri), "type": self.type_of(iri), "group": self.group(iri)}
        attrs.update(self.grounding_attributes(iri))
        return attrs

    # ---- grounding ----------------------------------------------------------------------------

    def grounding_attributes(self, item: str) -> dict:
        """quote, quote_start, quote_end, sentence and grounded_by for an item with a text anchor;
        for an outside-context fact, its voice and its sources (context_source) instead. Empty when neither applies."""
        attrs: dict = {}
        anchor = self.anchors.get(item)
        if anchor is not None:
            attrs.update(quote=anchor.quote, quote_start=anchor.start, quote_end=anchor.end, grounded_by=item)
            # In a corpus the offsets mean nothing without the text they count in: name it.
            if anchor.statement is not None:
                attrs["quote_statement"] = ns.curie(anchor.statement)
            if anchor.source_text is not None:
                attrs["source_text"] = anchor.source_text
            if anchor.sentence is not None:
                attrs["sentence"] = anchor.sentence
        if item in self.voices:
            attrs["voice"] = ns.curie(self.voices[item])
        if self.sources.get(item):
            attrs["grounded_by"] = item
            attrs["context_source"] = " ".join(ns.curie(s) for s in sorted(self.sources[item]))
        return attrs

    def triple_grounding(self, s: str, p: str, o: str) -> dict:
        """Grounding of a plain triple: the claim that states it (an anchored one first), else the
        context fact that reifies it."""
        items = sorted(self.stated_by.get((s, p, o), []), key=lambda i: (i not in self.anchors, i))
        return self.grounding_attributes(items[0]) if items else {}


def _value(term) -> str:
    return term.value


def _project_path(kg: KnowledgeGraph, path) -> str:
    """A source text's path as the project names it (relative to the project root when inside it)."""
    try:
        return path.resolve().relative_to(kg.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def build_catalog(kg: KnowledgeGraph) -> Catalog:
    cat = Catalog()
    # Labels: an English rdfs:label first, then any rdfs:label, then skos:prefLabel.
    ranked: dict[str, tuple[int, str]] = {}
    for row in kg.sparql("SELECT ?x ?p ?l WHERE { ?x rdfs:label|skos:prefLabel ?l . ?x ?p ?l "
                         "FILTER(?p IN (rdfs:label, skos:prefLabel)) }"):
        lit = row["l"]
        if not isinstance(lit, ox.Literal):
            continue
        rank = (0 if lit.language == "en" else 1) if row["p"].value == ns.RDFS + "label" else 2
        key = _value(row["x"])
        if key not in ranked or (rank, lit.value) < ranked[key]:
            ranked[key] = (rank, lit.value)
    cat.labels = {k: v[1] for k, v in ranked.items()}

    # The types as written: the inferred graph's superclasses would blur each node's group and type list.
    for row in kg.sparql(f"SELECT ?x ?t WHERE {{ GRAPH ?g {{ ?x a ?t }} FILTER(isIRI(?t) && {kg.as_written()}) }}"):
        cat.types[_value(row["x"])].add(_value(row["t"]))
    for row in kg.sparql("SELECT ?c ?sup WHERE { ?c rdfs:subClassOf+ ?sup FILTER(isIRI(?sup)) }"):
        cat.superclasses[_value(row["c"])].add(_value(row["sup"]))
    for node, asserted in cat.types.items():
        closure = set(asserted)
        for t in asserted:
            closure |= cat.superclasses.get(t, set())
        cat.classes[node] = closure

    source_texts = {g.document: _project_path(kg, g.source_path) for g in kg.groundings if g.source_path}
    query = """
        SELECT ?item ?quote ?start ?end ?n ?doc WHERE {
            ?item sckg:hasAnchor ?a .
            OPTIONAL { ?a oa:hasSource ?doc }
            ?a oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
            ?a oa:hasSelector ?qs . ?qs a oa:TextQuoteSelector ; oa:exact ?quote .
            OPTIONAL { ?a sckg:inSentence ?s . ?s sckg:sentenceNumber ?n }
        } ORDER BY ?item ?start"""
    for row in kg.sparql(query):
        item = _value(row["item"])
        if item in cat.anchors:  # one anchor per item; the earliest if ever there were more
            continue
        n, doc = row["n"], row["doc"]
        document = _value(doc) if doc is not None else None
        cat.anchors[item] = Grounding(item, row["quote"].value, int(row["start"].value),
                                      int(row["end"].value), int(n.value) if n is not None else None,
                                      document, source_texts.get(document) if document is not None else None)

    for row in kg.sparql("SELECT ?item ?s ?p ?o WHERE { ?item rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o "
                         "FILTER(isIRI(?o)) }"):
        cat.stated_by[(_value(row["s"]), _value(row["p"]), _value(row["o"]))].append(_value(row["item"]))
    for row in kg.sparql("SELECT ?item ?v WHERE { ?item sckg:voice ?v }"):
        cat.voices[_value(row["item"])] = _value(row["v"])
    for row in kg.sparql("SELECT ?item ?src WHERE { ?item a sckg:ContextFact ; dcterms:source ?src }"):
        cat.sources[_value(row["item"])].append(_value(row["src"]))
    return cat

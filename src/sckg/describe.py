"""What the graph says about one node: its types and labels, what it says (outgoing), what is said of it
(incoming), and the quotes that ground it with their offsets and sentences.

Everything is read from the loaded store with SPARQL, the node bound by Oxigraph's substitutions (never
pasted into query text; Oxigraph substitutes only variables the SELECT projects, hence ?node in each).
The anchors and selectors the build adds are folded into "grounded in" instead of being listed as
bare triples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError

# Predicates whose objects are the build's own grounding resources: shown as quotes, not as triples.
_GROUNDING_PREDICATES = {ns.SCKG + "hasAnchor"}
_LABELS = (ns.RDFS + "label", ns.SKOS + "prefLabel", "https://schema.org/name")

_OUTGOING = "SELECT ?node ?p ?o ?g WHERE { GRAPH ?g { ?node ?p ?o } } ORDER BY ?p ?o ?g"
_INCOMING = "SELECT ?node ?s ?p ?g WHERE { GRAPH ?g { ?s ?p ?node } } ORDER BY ?p ?s ?g"
_GROUNDING = """
SELECT ?node ?quote ?start ?end ?document ?sentence ?number ?sentenceText ?sentenceStart ?sentenceEnd WHERE {
  ?node sckg:hasAnchor ?anchor .
  ?anchor oa:hasSource ?document ;
          oa:hasSelector ?q, ?pos .
  ?q a oa:TextQuoteSelector ; oa:exact ?quote .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  OPTIONAL { ?anchor sckg:inSentence ?sentence .
             ?sentence sckg:sentenceNumber ?number ; rdf:value ?sentenceText ;
                       sckg:startOffset ?sentenceStart ; sckg:endOffset ?sentenceEnd }
} ORDER BY ?start ?number
"""


@dataclass(frozen=True)
class SentenceRef:
    number: int
    text: str
    start: int
    end: int


@dataclass
class Quote:
    text: str
    start: int
    end: int
    document: str
    sentences: list[SentenceRef] = field(default_factory=list)


@dataclass
class Description:
    node: str
    types: list[str]
    labels: list[str]
    outgoing: list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal, str]]  # predicate, object, graph
    incoming: list[tuple[ox.NamedNode | ox.BlankNode, str, str]]  # subject, predicate, graph
    quotes: list[Quote]

    @property
    def is_empty(self) -> bool:
        return not (self.outgoing or self.incoming)


def resolve_node(text: str) -> str:
    """An IRI from what a user types: ``<iri>``, a full IRI, or a CURIE of a declared prefix (also one
    whose local part has a slash, as printed before identifiers became pasteable, kg:a/b)."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I) or text.startswith("urn:"):
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in ns.PREFIXES:
        return ns.PREFIXES[prefix] + local.replace("\\", "")
    known = ", ".join(f"{p}:" for p in ns.PREFIXES)
    raise UsageError(f"{text!r} is neither an IRI nor a CURIE of a declared prefix ({known})")


def describe(kg, node_iri: str) -> Description:
    node = ox.NamedNode(node_iri)
    bind = {ox.Variable("node"): node}
    outgoing, types, labels = [], [], []
    for row in kg.store.query(_OUTGOING, substitutions=bind):
        p, o, g = row["p"].value, row["o"], row["g"].value
        if p == ns.RDF + "type" and isinstance(o, ox.NamedNode):
            types.append(o.value)
        if p in _LABELS and isinstance(o, ox.Literal):
            labels.append(o.value)
        if p not in _GROUNDING_PREDICATES:
            outgoing.append((p, o, g))
    incoming = [(row["s"], row["p"].value, row["g"].value)
                for row in kg.store.query(_INCOMING, substitutions=bind)
                if not row["p"].value.startswith(ns.OA)]  # the build's annotations are folded into quotes
    quotes: dict[tuple[int, int, str], Quote] = {}
    for row in kg.store.query(ns.sparql_prologue() + _GROUNDING, substitutions=bind,
                              use_default_graph_as_union=True):
        key = (int(row["start"].value), int(row["end"].value), row["document"].value)
        quote = quotes.setdefault(key, Quote(row["quote"].value, key[0], key[1], key[2]))
        if row["number"] is not None:
            quote.sentences.append(SentenceRef(int(row["number"].value), row["sentenceText"].value,
                                               int(row["sentenceStart"].value), int(row["sentenceEnd"].value)))
    return Description(node_iri, sorted(set(types)), sorted(set(labels)), outgoing, incoming,
                       list(quotes.values()))


def describe_graph(description: Description) -> list[ox.Quad]:
    """The description as quads (for --format turtle/trig): the node's outgoing and incoming triples in
    the graphs that hold them."""
    node = ox.NamedNode(description.node)
    quads = [ox.Quad(node, ox.NamedNode(p), o, ox.NamedNode(g)) for p, o, g in description.outgoing]
    quads += [ox.Quad(s, ox.NamedNode(p), node, ox.NamedNode(g)) for s, p, g in description.incoming]
    return quads

"""The core classes of the ontology as a Graphviz diagram (docs/images/core-classes.svg), drawn from the
ontology itself so the picture in docs/modelling.md cannot drift from it.

The diagram shows ``CORE_CLASSES``, the classes a statement's encoding is built from, and between them
every rdfs:subClassOf and every sckg object property whose rdfs:domain and rdfs:range are two classes of
the set. Nothing else is chosen by hand: labels, hierarchy and properties are read from the ontology graph.
"""

from __future__ import annotations

from . import namespaces as ns
from .export.dot import quote
from .graph import KnowledgeGraph

# How a statement is encoded (docs/modelling.md): the document and its voices, what it says
# (propositions, claims, stances), how the claims hang together (argument and causal relations),
# where each comes from (text anchors, sentences) and what is outside context.
CORE_CLASSES = tuple(ns.SCKG + name for name in (
    "PolicyStatement", "Actor", "Person", "Organization", "Proposition", "GroundedItem", "Claim", "CausalClaim",
    "Stance",
    "ArgumentRelation", "Support", "Attack", "CausalLink", "Phenomenon", "ContextFact", "TextAnchor",
    "Sentence",
))


def _label(kg: KnowledgeGraph, iri: str) -> str:
    rows = list(kg.sparql(f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l FILTER(LANG(?l) IN ('en', '')) }} ORDER BY ?l"))
    return rows[0]["l"].value if rows else ns.curie(iri)


def edges(kg: KnowledgeGraph) -> list[tuple[str, str, str]]:
    """(from class, to class, what joins them: "subClassOf" or a property's IRI), sorted."""
    values = " ".join(f"<{c}>" for c in CORE_CLASSES)
    found = set()
    for row in kg.sparql(f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} "
                         "?a rdfs:subClassOf ?b }"):
        found.add((row["a"].value, row["b"].value, "subClassOf"))
    # Properties from a class to itself (sckg:restates, sckg:specificCaseOf...) are left out: their
    # loops pile their labels on each other and say nothing about how the classes fit together.
    for row in kg.sparql(f"SELECT ?p ?d ?r WHERE {{ VALUES ?d {{ {values} }} VALUES ?r {{ {values} }} "
                         "?p a owl:ObjectProperty ; rdfs:domain ?d ; rdfs:range ?r FILTER(?d != ?r) }"):
        found.add((row["d"].value, row["r"].value, row["p"].value))
    return sorted(found)


def to_dot(kg: KnowledgeGraph) -> str:
    lines = ["digraph core_classes {", '  graph [rankdir=BT, fontname="Helvetica", nodesep=0.4, ranksep=0.5];',
             '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica", fontsize=11];',
             '  edge [fontname="Helvetica", fontsize=9, color="#555555"];']
    for cls in CORE_CLASSES:
        lines.append(f"  {quote(ns.curie(cls))} [label={quote(_label(kg, cls))}, tooltip={quote(cls)}];")
    for a, b, via in edges(kg):
        if via == "subClassOf":  # UML's hollow arrow for "is a"
            lines.append(f"  {quote(ns.curie(a))} -> {quote(ns.curie(b))} [arrowhead=empty];")
        else:
            lines.append(f"  {quote(ns.curie(a))} -> {quote(ns.curie(b))} [label={quote(ns.curie(via))}, "
                         'style=dashed, constraint=false];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_svg(kg: KnowledgeGraph) -> bytes:
    from .export.dot import render

    return render(to_dot(kg), "svg")

"""OWL consistency: the OWL 2 RL closure (owlrl) of the ontology and data must raise no error.

owlrl records inconsistencies (an individual in two disjoint classes, a functional property forced to
join two individuals declared different...) as error-message triples rather than raising, so we run
the closure on a copy and collect them. ``sckg build`` runs it as part of its gate (``check``).

Three choices keep the closure small enough for every build (owlrl re-runs every rule on every
triple until nothing new appears):
- the reflexive links of rule eq-ref (x owl:sameAs x, for every node and literal) are not stored. They
  derive nothing new: replacing x by x copies a triple onto itself. They were half the closure and
  most of its time. The one inconsistency they can reveal, x owl:differentFrom x, is checked directly;
- annotation triples (labels, definitions, notes, titles) are left out: OWL gives annotations no
  semantics, so no OWL 2 RL rule can derive a contradiction from them, and they are a quarter of the graph;
- the copy uses rdflib's context-free ``SimpleMemory`` store, which owlrl's many triple look-ups walk
  about twice as fast as the default store (which tracks named graphs the closure does not need).
"""

from __future__ import annotations

from .errors import DataError
from .graph import KnowledgeGraph

_ERROR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"

# OWL 2's built-in annotation properties; the graph's own are those it declares owl:AnnotationProperty.
_BUILT_IN_ANNOTATIONS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2000/01/rdf-schema#comment",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso",
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy",
    "http://www.w3.org/2002/07/owl#deprecated",
    "http://www.w3.org/2002/07/owl#versionInfo",
    "http://www.w3.org/2002/07/owl#priorVersion",
    "http://www.w3.org/2002/07/owl#backwardCompatibleWith",
    "http://www.w3.org/2002/07/owl#incompatibleWith",
)


def _semantics():
    import owlrl
    from rdflib.namespace import OWL

    same_as = OWL.sameAs  # looked up once: store_triple runs tens of thousands of times

    class Semantics(owlrl.OWLRL_Semantics):
        def store_triple(self, t):
            if t[0] == t[2] and t[1] == same_as:
                return  # eq-ref: see the module docstring
            super().store_triple(t)

    return Semantics


def owl_rl_errors(kg: KnowledgeGraph) -> list[str]:
    """Every inconsistency the OWL 2 RL closure of the whole graph finds, as owlrl words it, sorted."""
    import owlrl
    import rdflib
    from rdflib.namespace import OWL, RDF

    union = kg.union
    annotations: set[rdflib.term.Node] = {rdflib.URIRef(p) for p in _BUILT_IN_ANNOTATIONS}
    annotations |= set(union.subjects(RDF.type, OWL.AnnotationProperty))
    closure = rdflib.Graph(store="SimpleMemory")
    for triple in union:
        if triple[1] not in annotations:
            closure.add(triple)
    owlrl.DeductiveClosure(_semantics(), axiomatic_triples=False, datatype_axioms=False).expand(closure)
    error = rdflib.URIRef(_ERROR_NS + "error")
    errors = [str(m) for m in closure.objects(None, error)]
    errors += [f"'differentFrom' used on one individual: {s}" for s, o in closure.subject_objects(OWL.differentFrom)
               if s == o]
    return sorted(errors)


def check(kg: KnowledgeGraph, consequence: str, show: int = 5) -> None:
    """The build's consistency gate: raise a DataError naming the first ``show`` inconsistencies."""
    errors = owl_rl_errors(kg)
    if not errors:
        return
    lines = "".join(f"\n  {' '.join(e.split())}" for e in errors[:show])
    more = f"\n  ... and {len(errors) - show} more" if len(errors) > show else ""
    raise DataError(f"OWL 2 RL consistency check failed with {len(errors)} inconsistency(ies); "
                    f"{consequence}{lines}{more}")

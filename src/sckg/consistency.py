"""OWL consistency: the OWL 2 RL closure (owlrl) of the ontology and data must raise no error.

owlrl records inconsistencies (an individual in two disjoint classes, a functional property forced to
join two individuals declared different...) as error-message triples rather than raising, so we run
the closure on a copy and collect them.
"""

from __future__ import annotations

from .graph import KnowledgeGraph

_ERROR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"


def owl_rl_errors(kg: KnowledgeGraph) -> list[str]:
    import owlrl
    import rdflib

    closure = rdflib.Graph()
    for triple in kg.union:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closure)
    error = rdflib.URIRef(_ERROR_NS + "error")
    return sorted(str(m) for m in closure.objects(None, error))

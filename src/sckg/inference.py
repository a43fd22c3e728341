"""The inferred graph: the RDFS closure of class membership, kept apart from what anyone wrote.

An annotator types an item with its most specific class (``sckg:Evaluation``, ``sckg:Organization``);
a reader asks for the general one (``?c a sckg:Claim``, ``?a a sckg:Actor``). Rather than every query
walking ``rdfs:subClassOf*``, the build adds the missing ``rdf:type`` triples once, in a named graph of
their own (``ns.GRAPH_INFERRED``), so that SPARQL over the union graph finds every instance while a
query scoped to a statement's graph (``GRAPH ?g { ... }``) still sees only what the statement says.

Also closed: sckg's own sub-properties (``sckg:specificCaseOf`` is an ``sckg:phenomenonReading``).
Sub-properties of reused vocabularies (``sckg:holder`` of ``prov:wasAttributedTo``) are left alone: a
plain ``prov:wasAttributedTo`` in this project means "the claim is attributed", and inferring it for
stances would blur that.

The closure is computed by Oxigraph's SPARQL over the loaded store; nothing here reasons beyond
rdfs9 (type via subClassOf) and rdfs7 (property via subPropertyOf).
"""

from __future__ import annotations

import pyoxigraph as ox

from . import namespaces as ns

_TYPES = """
SELECT DISTINCT ?x ?super WHERE {
  ?x a ?class .
  ?class rdfs:subClassOf+ ?super .
  # Named nodes only: a blank node is a data error the quality checks report, not something to close.
  FILTER(isIRI(?x) && isIRI(?super) && ?super != ?class)
  FILTER NOT EXISTS { ?x a ?super }
}"""

_PROPERTIES = f"""
SELECT DISTINCT ?s ?super ?o WHERE {{
  ?p rdfs:subPropertyOf+ ?super .
  FILTER(isIRI(?super) && STRSTARTS(STR(?super), "{ns.SCKG}") && ?super != ?p)
  ?s ?p ?o .
  FILTER NOT EXISTS {{ ?s ?super ?o }}
}}"""


def _solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    """A SELECT's result, narrowed for the type checker (store.query is typed for every query form)."""
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"expected SELECT solutions, got {type(result).__name__}")
    return result


def inferred_quads(store: ox.Store) -> list[ox.Quad]:
    """The rdf:type and sub-property triples the store implies but does not state, in the inferred graph."""
    graph = ox.NamedNode(ns.GRAPH_INFERRED)
    prologue = ns.sparql_prologue()
    rdf_type = ox.NamedNode(ns.RDF + "type")
    quads = [ox.Quad(row["x"], rdf_type, row["super"], graph)
             for row in _solutions(store.query(prologue + _TYPES, use_default_graph_as_union=True))]
    quads += [ox.Quad(row["s"], row["super"], row["o"], graph)
              for row in _solutions(store.query(prologue + _PROPERTIES, use_default_graph_as_union=True))]
    return quads


def add_inferred_graph(store: ox.Store) -> None:
    """Write the closure into the store's inferred graph (called once, by the loader, after grounding)."""
    store.extend(inferred_quads(store))

"""The ontology: its header, and OWL-RL consistency of ontology plus data (a check that can fail)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF

import sckg
from sckg import namespaces as ns
from sckg.consistency import owl_rl_errors

ONTOLOGY = rdflib.URIRef(ns.ONTOLOGY_IRI)
VANN = rdflib.Namespace("http://purl.org/vocab/vann/")


@pytest.fixture(scope="module")
def kg():
    return sckg.load()


def _fresh():
    return sckg.load()


def test_ontology_header_is_complete(kg):
    g = kg.named_graph(ns.GRAPH_ONTOLOGY)
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator, DCTERMS.created,
                 DCTERMS.modified, OWL.versionIRI, OWL.versionInfo):
        assert g.value(ONTOLOGY, prop) is not None, prop
    assert str(g.value(ONTOLOGY, VANN.preferredNamespacePrefix)) == "sckg"
    assert str(g.value(ONTOLOGY, VANN.preferredNamespaceUri)) == ns.SCKG
    assert str(g.value(ONTOLOGY, OWL.versionIRI)).startswith(ns.ONTOLOGY_IRI + "/")


def test_ontology_and_data_are_owl_rl_consistent(kg):
    assert owl_rl_errors(kg) == []


def _add(kg, s, p, o, graph=ns.GRAPH_ENTITIES):
    kg.store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), ox.NamedNode(graph)))


def test_consistency_check_catches_an_actor_in_two_disjoint_classes():
    kg = _fresh()
    _add(kg, ns.DATA + "cap", ns.RDF + "type", ns.SCKG + "Person")
    errors = owl_rl_errors(kg)
    assert any("Person" in e and "Organization" in e and ns.DATA + "cap" in e for e in errors)


def test_consistency_check_catches_a_claim_with_two_voices():
    kg = _fresh()
    _add(kg, ns.DATA + "cap-2011-06-17/must-prioritize", ns.SCKG + "voice", ns.SCKG + "voiceReported",
         ns.GRAPH_STATEMENT_PREFIX + "cap-2011-06-17")
    assert owl_rl_errors(kg) != []

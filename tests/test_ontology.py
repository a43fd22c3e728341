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
    # A writable load from the files: sckg.load() opens a current dist/store read-only, and these tests
    # add triples to break the graph on purpose.
    from sckg.loader import load

    return load()


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


# ---- OOPS!-style pitfalls, checked on the ontology graph -----------------------------------------------

SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = "http://www.w3.org/2001/XMLSchema#"
# OWL 2 Structural Specification, section 4 (the datatype map): what an OWL 2 DL data range may name.
OWL2_DATATYPE_MAP = {ns.RDF + "PlainLiteral", ns.RDF + "XMLLiteral", "http://www.w3.org/2000/01/rdf-schema#Literal",
                     str(OWL.real), str(OWL.rational)} | {XSD + t for t in (
    "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short byte "
    "unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token language "
    "Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp").split()}


def _sckg_terms(g, kind):
    return sorted(t for t in g.subjects(RDF.type, kind) if str(t).startswith(ns.SCKG))


def test_every_datatype_property_range_is_in_the_owl2_datatype_map(ontology_graph):
    # rdf:langString is not (Pellet then rejects every language-tagged value as out of range).
    for prop in _sckg_terms(ontology_graph, OWL.DatatypeProperty):
        for range_ in ontology_graph.objects(prop, rdflib.RDFS.range):
            assert str(range_) in OWL2_DATATYPE_MAP, (prop, range_)


def test_every_property_has_a_domain_and_a_range_or_a_note_that_says_why_not(ontology_graph):
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in _sckg_terms(ontology_graph, kind):
            notes = " ".join(str(n) for n in ontology_graph.objects(prop, SKOS.scopeNote))
            if ontology_graph.value(prop, rdflib.RDFS.domain) is None:
                assert "No domain" in notes, f"{prop} has no rdfs:domain and no scope note saying why"
            if ontology_graph.value(prop, rdflib.RDFS.range) is None:
                assert "No range" in notes, f"{prop} has no rdfs:range and no scope note saying why"


def test_no_label_is_shared_by_a_class_or_scheme_and_a_property(ontology_graph):
    def labels(kinds):
        return {str(label): t for kind in kinds for t in _sckg_terms(ontology_graph, kind)
                for label in ontology_graph.objects(t, rdflib.RDFS.label)}
    classes = labels((OWL.Class, SKOS.ConceptScheme))
    properties = labels((OWL.ObjectProperty, OWL.DatatypeProperty))
    assert {label: (classes[label], properties[label]) for label in classes.keys() & properties.keys()} == {}


def test_no_label_joins_two_concepts_with_or(ontology_graph):
    joined = [(t, str(label)) for t, label in ontology_graph.subject_objects(rdflib.RDFS.label)
              if str(t).startswith(ns.SCKG) and " or " in f" {label} "]
    assert joined == []


def test_consistency_check_catches_a_claim_of_two_kinds():
    # The kinds of claim are pairwise disjoint: a claim is "of one of the kinds" sckg:Claim lists.
    kg = _fresh()
    _add(kg, ns.DATA + "cap-2011-06-17/acknowledgment", ns.RDF + "type", ns.SCKG + "Concern",
         ns.GRAPH_STATEMENT_PREFIX + "cap-2011-06-17")
    errors = owl_rl_errors(kg)
    assert any("Evaluation" in e and "Concern" in e and "acknowledgment" in e for e in errors), errors


def test_consistency_check_catches_an_individual_declared_different_from_itself():
    kg = _fresh()
    _add(kg, ns.DATA + "cap", str(OWL.differentFrom), ns.DATA + "cap")
    assert any("differentFrom" in e and ns.DATA + "cap" in e for e in owl_rl_errors(kg))


@pytest.mark.parametrize("engine", ["reasonable", "owlrl"])
def test_build_fails_on_an_inconsistency_with_a_named_message_and_writes_nothing(tmp_path, engine):
    from _support import copy_project, replace_in, run_cli

    project = copy_project(tmp_path / "project")
    # SHACL has no rule against a second kind; only the OWL 2 RL gate sees the disjoint classes clash.
    replace_in(project / "data" / "statements" / "cap-2011-06-17" / "statement.ttl",
               "st:acknowledgment a sckg:Evaluation ;", "st:acknowledgment a sckg:Evaluation, sckg:Concern ;")
    result = run_cli("--root", str(project), "build", "-o", str(tmp_path / "dist"), "--owl-engine", engine)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "OWL 2 RL consistency check failed" in result.stderr and "acknowledgment" in result.stderr
    assert f"(by {engine})" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()

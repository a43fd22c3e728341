"""AIF: every claim's text and every support or attack link survive, in the JSON and the RDF form."""

from __future__ import annotations

import json

import pytest
import rdflib

import sckg
from sckg.errors import UsageError
from sckg.export import aif, render
from sckg.export.views import build_view

AIF = rdflib.Namespace("http://www.arg.dundee.ac.uk/aif#")
# Counted by reading statement.ttl: 8 sckg:Support and 1 sckg:Inference (RA), 1 sckg:Attack (CA).
SUPPORTS, ATTACKS = 8 + 1, 1


@pytest.fixture(scope="module")
def kg():
    return sckg.load()


@pytest.fixture(scope="module")
def claims(kg):
    """Every claim of the statement with its quote, from the data."""
    rows = kg.sparql("SELECT ?c ?q WHERE { ?c rdf:type/rdfs:subClassOf* sckg:Claim ; sckg:quote ?q }")
    return {r["c"].value: r["q"].value for r in rows}


@pytest.fixture(scope="module")
def relations(kg):
    rows = kg.sparql("""SELECT ?r ?kind ?p ?c WHERE { ?r a ?kind ; sckg:premise ?p ; sckg:conclusion ?c
                        VALUES ?kind { sckg:Support sckg:Inference sckg:Attack } }""")
    return {r["r"].value: (r["kind"].value.rsplit("#", 1)[1], r["p"].value, r["c"].value) for r in rows}


def test_relations_from_the_data_match_the_count_read_from_the_file(relations):
    kinds = [k for k, _, _ in relations.values()]
    assert len(kinds) == SUPPORTS + ATTACKS and kinds.count("Attack") == ATTACKS


def test_json_keeps_every_claim_text(kg, claims):
    doc = json.loads(render(kg, "arguments", "aif", "json"))
    texts = {n["text"] for n in doc["nodes"] if n["type"] == "I"}
    assert set(claims.values()) <= texts
    iris = doc["sckg"]["iris"]
    by_iri = {iris[n["nodeID"]]: n for n in doc["nodes"]}
    for claim, quote in claims.items():
        assert by_iri[claim]["text"] == quote and by_iri[claim]["type"] == "I"


def test_json_keeps_every_support_and_attack_link(kg, relations):
    doc = json.loads(render(kg, "arguments", "aif", "json"))
    iris = doc["sckg"]["iris"]
    nodes = {n["nodeID"]: n for n in doc["nodes"]}
    edges = {(e["fromID"], e["toID"]) for e in doc["edges"]}
    ident = {iri: node_id for node_id, iri in iris.items()}
    assert sum(n["type"] == "RA" for n in nodes.values()) == SUPPORTS
    assert sum(n["type"] == "CA" for n in nodes.values()) == ATTACKS
    for rel, (kind, premise, conclusion) in relations.items():
        s = ident[rel]
        assert nodes[s]["type"] == ("CA" if kind == "Attack" else "RA")
        assert (ident[premise], s) in edges and (s, ident[conclusion]) in edges
    assert all(set(e) == {"edgeID", "fromID", "toID"} for e in doc["edges"])
    assert all({"nodeID", "text", "type"} <= set(n) for n in nodes.values())


def test_rdf_keeps_every_claim_text_and_link(kg, claims, relations):
    g = rdflib.Graph().parse(data=render(kg, "arguments", "aif", "rdf").decode("utf-8"), format="turtle")
    for claim, quote in claims.items():
        node = rdflib.URIRef(claim)
        assert (node, rdflib.RDF.type, AIF["I-node"]) in g
        assert str(g.value(node, AIF.claimText)) == quote
    for rel, (kind, premise, conclusion) in relations.items():
        node = rdflib.URIRef(rel)
        assert (node, rdflib.RDF.type, AIF["CA-node" if kind == "Attack" else "RA-node"]) in g
        assert (node, AIF.Premise, rdflib.URIRef(premise)) in g
        assert (node, AIF.Conclusion, rdflib.URIRef(conclusion)) in g
        if kind == "Attack":
            assert (node, AIF.Conflicting, rdflib.URIRef(premise)) in g
            assert (node, AIF.Conflicted, rdflib.URIRef(conclusion)) in g


def test_a_stance_that_a_support_concludes_is_an_i_node(kg):
    # "we have applauded the Obama administration's efforts" is supported by "All law enforcement
    # agencies must prioritize": the stance must be there for the support to have a conclusion.
    doc = aif.to_json(build_view(kg, "arguments"))
    assert "https://w3id.org/sckg/id/cap-2011-06-17/applauds-obama" in doc["sckg"]["iris"].values()


def test_aif_is_refused_for_other_views(kg):
    with pytest.raises(UsageError, match="arguments view only"):
        aif.to_json(build_view(kg, "actors"))


def test_unknown_aif_form_names_the_valid_ones(kg):
    with pytest.raises(UsageError, match="json, rdf"):
        render(kg, "arguments", "aif", "xml")

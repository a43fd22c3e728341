"""AIF: every claim's text and every support or attack link survive, in the JSON, xAIF and RDF forms;
locutions, illocutions, rephrases and scheme names come from the argument layer (a fictional fixture
statement, tests/fixtures/aif/aif-example/, uses each of its terms); the xAIF loads in the xaif reader."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from _support import expected_rows, statement_folders

import sckg
from sckg.errors import UsageError
from sckg.export import aif, render
from sckg.export.views import build_view

AIF = rdflib.Namespace("http://www.arg.dundee.ac.uk/aif#")


def relation_kinds() -> Counter:
    """The argument relations of every statement of the project, by kind, as each statement's
    expected/arguments-relations.csv lists them (read off its statement.ttl): sckg:Support and
    sckg:Inference become RA nodes, sckg:Attack a CA node."""
    return Counter(e["kind"] for f in statement_folders() for e in expected_rows(f, "arguments-relations"))


SUPPORTS = relation_kinds()["sckg:Support"] + relation_kinds()["sckg:Inference"]
ATTACKS = relation_kinds()["sckg:Attack"]
# Also read from statement.ttl: the stances that are I-nodes (the five conceded ones of S7, S9 and S10, with
# their Conceding illocution, and the delay fault of S7, a support's premise), the reconstructed claims
# (the thesis, the two proponents' claims, the justification of the opt-outs: propositions nobody uttered,
# so without locution), and the one restatement (S23 of S6).
CAP_STANCE_INODES, CAP_RECONSTRUCTED_CLAIMS, CAP_RESTATEMENTS = 5 + 1, 4, 1


@pytest.fixture(scope="module")
def kg():
    return sckg.load()


@pytest.fixture(scope="module")
def claims(kg):
    """Every claim of the statement with its I-node text, from the data: its quote, or for a reconstructed
    claim (a proposition the text does not state in so many words) its label."""
    rows = kg.sparql("""SELECT ?c ?text WHERE { ?c rdf:type/rdfs:subClassOf* sckg:Claim ; sckg:quote ?q ; rdfs:label ?l
        BIND(IF(EXISTS { ?c sckg:annotationStatus sckg:annotationReconstructed }, STR(?l), ?q) AS ?text) }""")
    return {r["c"].value: r["text"].value for r in rows}


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


def test_cap_conceded_stance_and_a_stance_premise_are_i_nodes(kg):
    # "we have applauded the Obama administration's efforts" is conceded before S11's "But"; the fault of
    # S7's delay is the premise of "they are incomplete": both are in the map.
    doc = json.loads(render(kg, "arguments", "aif", "json"))
    assert "https://w3id.org/sckg/id/cap-2011-06-17/applauds-obama" in doc["sckg"]["iris"].values()
    assert "https://w3id.org/sckg/id/cap-2011-06-17/faults-delay" in doc["sckg"]["iris"].values()


def test_aif_is_refused_for_other_views(kg):
    with pytest.raises(UsageError, match="arguments view only"):
        aif.to_json(build_view(kg, "actors"))


def test_unknown_aif_form_names_the_valid_ones(kg):
    with pytest.raises(UsageError, match="json, rdf, xaif"):
        render(kg, "arguments", "aif", "xml")


def test_xaif_form_wraps_the_same_aif(kg):
    doc = json.loads(render(kg, "arguments", "aif", "xaif"))
    plain = json.loads(render(kg, "arguments", "aif", "json"))
    for key in ("nodes", "edges", "locutions", "participants"):
        assert doc["AIF"][key] == plain[key], key


def test_cap_export_loads_in_the_xaif_reader_with_its_counts(kg, claims):
    """The maintained reader of the AIF family (PyPI xaif) reads the export: every claim and the stances
    counted above are I-nodes; each uttered I-node has one locution and one illocution (the reconstructed
    claims have neither); RA, CA and MA nodes as read from statement.ttl."""
    from xaif import AIF as XAIF

    doc = json.loads(render(kg, "arguments", "aif", "xaif"))
    reader = XAIF(doc)
    assert reader.is_valid_json_aif() and reader.is_json_aif_dialog()
    inodes = len(claims) + CAP_STANCE_INODES
    uttered = inodes - CAP_RECONSTRUCTED_CLAIMS
    types = Counter(n["type"] for n in reader.nodes)
    assert types == {"I": inodes, "L": uttered, "YA": uttered, "RA": SUPPORTS, "CA": ATTACKS, "MA": CAP_RESTATEMENTS}
    assert len(reader.aif["edges"]) == 2 * uttered + 2 * (SUPPORTS + ATTACKS + CAP_RESTATEMENTS)
    relations = reader.get_csv("argument-relation")
    assert len(relations[relations["relation"] != "None"]) == SUPPORTS + ATTACKS + CAP_RESTATEMENTS
    anchored = reader.get_csv("locution")
    assert len(anchored[anchored["relation"] != "None"]) == uttered


# ---- the argument layer, on a fictional statement that uses every term ---------------------------------

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "aif" / "aif-example"
EX = "https://w3id.org/sckg/id/aif-example/"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """A project holding only the ontology, the quality checks and the fixture statement."""
    from _support import ROOT

    root = tmp_path_factory.mktemp("aif-project")
    for part in ("ontology", "queries"):
        shutil.copytree(ROOT / part, root / part)
    shutil.copytree(FIXTURE, root / "data" / "statements" / FIXTURE.name)
    return sckg.load(root)


@pytest.fixture(scope="module")
def example_doc(example):
    return json.loads(render(example, "arguments", "aif", "xaif"))


def _by_iri(doc: dict) -> dict[str, dict]:
    nodes = {n["nodeID"]: n for n in doc["AIF"]["nodes"]}
    return {iri: nodes[ident] for ident, iri in doc["sckg"]["iris"].items()}


def test_the_fixture_passes_the_validation_gate(example):
    from sckg.validation import validate

    report = validate(example)
    assert report.violations == [] and example.groundings[0].uncovered == []


def test_fixture_counts_read_from_its_text(example_doc):
    """statement.ttl has 11 claims, 2 of them reconstructed (no locution), and one stance with a speech
    act: 12 I-nodes, 10 of them uttered; 5 metadata lines (no node); 3 supports, 1 attack and 1
    restatement; two speakers (the institute's frame, Dana Reyes's words)."""
    from xaif import AIF as XAIF

    reader = XAIF(example_doc)
    assert Counter(n["type"] for n in reader.nodes) == {"I": 12, "L": 10, "YA": 10, "RA": 3, "CA": 1, "MA": 1}
    assert len(reader.aif["edges"]) == 2 * 10 + 2 * 3 + 2 + 2
    names = {(p["firstname"], p["surname"]) for p in reader.participants}
    assert names == {("Dana", "Reyes"), ("Example", "Policy Institute")}


def test_no_document_metadata_unit_is_a_node(example_doc):
    by_iri = _by_iri(example_doc)
    for local in ("publisher-line", "title-line", "genre-line", "byline", "contact-line"):
        assert EX + local not in by_iri
        assert EX + local + "/aif/locution" not in by_iri


def test_illocutions_follow_the_speech_act_or_the_class(example_doc):
    by_iri = _by_iri(example_doc)
    expected = {"adds-rules": "Conceding", "goal-sense": "Conceding", "restated-thesis": "Restating",
                "end-minor-stops": "Directing",  # a recommendation that names no speech act
                "failed-focus": "Asserting", "review-announced": "Asserting"}
    for local, act in expected.items():
        assert by_iri[EX + local + "/aif/illocution"] == {**by_iri[EX + local + "/aif/illocution"],
                                                          "type": "YA", "text": act}


def test_a_stance_is_an_i_node_only_with_a_speech_act(example_doc):
    by_iri = _by_iri(example_doc)
    assert by_iri[EX + "welcomes-review"] == {**by_iri[EX + "welcomes-review"],
                                              "type": "I", "text": "a welcome admission"}
    assert by_iri[EX + "welcomes-review/aif/illocution"]["text"] == "Asserting"


def test_locutions_carry_their_speaker_and_the_verbatim_quote(example, example_doc):
    by_iri = _by_iri(example_doc)
    people = {p["participantID"]: f"{p['firstname']} {p['surname']}" for p in example_doc["AIF"]["participants"]}
    speaker = {loc["nodeID"]: people[loc["personID"]] for loc in example_doc["AIF"]["locutions"]}
    framed = by_iri[EX + "review-announced/aif/locution"]
    assert framed["text"] == "the review of the Harbor Patrol program announced today by the Harbor Agency"
    assert speaker[framed["nodeID"]] == "Example Policy Institute"
    assert speaker[by_iri[EX + "failed-focus/aif/locution"]["nodeID"]] == "Dana Reyes"


def test_reconstructed_items_are_propositions_without_locution(example_doc):
    by_iri = _by_iri(example_doc)
    assert by_iri[EX + "thesis"]["text"] == "The patrol program has serious flaws."
    assert by_iri[EX + "proponents-focus"]["text"] == "The program focuses on serious offenders."
    assert EX + "thesis/aif/locution" not in by_iri and EX + "proponents-focus/aif/illocution" not in by_iri


def test_schemes_name_the_s_nodes_and_restatement_is_a_rephrase(example_doc):
    by_iri = _by_iri(example_doc)
    assert by_iri[EX + "evidence-supports-failure"]["text"] == "Argument From Evidence to a Hypothesis"
    assert by_iri[EX + "failure-supports-ending-stops"]["text"] == "Practical Reasoning"
    assert by_iri[EX + "failure-supports-thesis"]["text"] == "Default Inference"
    assert by_iri[EX + "failure-attacks-focus"] == {**by_iri[EX + "failure-attacks-focus"],
                                                    "type": "CA", "text": "Default Conflict"}
    ma = [iri for iri, n in by_iri.items() if n["type"] == "MA"]
    assert len(ma) == 1
    edges = {(e["fromID"], e["toID"]) for e in example_doc["AIF"]["edges"]}
    ident = {iri: n["nodeID"] for iri, n in by_iri.items()}
    assert (ident[EX + "thesis"], ident[ma[0]]) in edges and (ident[ma[0]], ident[EX + "restated-thesis"]) in edges


def test_rdf_form_has_locution_illocution_and_rephrase_nodes(example):
    g = rdflib.Graph().parse(data=render(example, "arguments", "aif", "rdf").decode("utf-8"), format="turtle")
    loc = rdflib.URIRef(EX + "failed-focus/aif/locution")
    ya = rdflib.URIRef(EX + "failed-focus/aif/illocution")
    assert (loc, rdflib.RDF.type, AIF["L-node"]) in g
    assert (ya, rdflib.RDF.type, AIF["YA-node"]) in g
    assert (ya, AIF.Premise, loc) in g and (ya, AIF.Conclusion, rdflib.URIRef(EX + "failed-focus")) in g
    assert (loc, rdflib.namespace.PROV.wasAttributedTo, rdflib.URIRef(EX + "dana-reyes")) in g
    assert len(list(g.subjects(rdflib.RDF.type, AIF["MA-node"]))) == 1
    assert str(g.value(rdflib.URIRef(EX + "failure-supports-ending-stops"), AIF.claimText)) == "Practical Reasoning"
    assert (rdflib.URIRef(EX + "byline"), rdflib.RDF.type, AIF["I-node"]) not in g

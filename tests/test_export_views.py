"""The views behind every export: what they contain, checked against the statement's text and data."""

from __future__ import annotations

import pytest
from _support import ROOT, expected_rows, statement_iri, statement_params

import sckg
from sckg import namespaces as ns
from sckg.errors import UsageError
from sckg.export.views import VIEWS, build_view

KG_ID = "https://w3id.org/sckg/id/"
ST = KG_ID + "cap-2011-06-17/"



def claims_in_statement(folder) -> int:
    """The claims of a statement, by kind, as its expected/arguments-claims-by-voice.csv counts them by
    reading statement.ttl (stances are not claims, nor are headings, bylines and
    contact lines: sckg:DocumentMetadata)."""
    return sum(int(e["items"]) for e in expected_rows(folder, "arguments-claims-by-voice")
               if e["type"] not in {"sckg:Stance", "sckg:DocumentMetadata"})


@pytest.fixture(scope="module")
def kg():
    return sckg.load()


@pytest.fixture(scope="module")
def views(kg):
    return {view: build_view(kg, view) for view in VIEWS}


def edges_between(g, u, v):
    return list(g.get_edge_data(u, v, default={}).values())


@pytest.mark.parametrize("folder", statement_params())
def test_arguments_view_contains_every_claim_of_the_statement(kg, views, folder):
    claims = {r["x"].value for r in kg.sparql(
        f"SELECT ?x WHERE {{ GRAPH <{ns.GRAPH_STATEMENT_PREFIX}{folder.name}> {{ ?x a ?class }} "
        "?class rdfs:subClassOf* sckg:Claim }")}
    assert len(claims) == claims_in_statement(folder)
    assert claims <= set(views["arguments"].nodes)


def test_every_node_has_iri_label_type_and_group(views):
    for view, g in views.items():
        for node, data in g.nodes(data=True):
            assert data["iri"] == node, (view, node)
            assert data["label"] and data["group"], (view, node)
            # In the full view a Wikidata IRI or a property has no class in the graph; elsewhere all do.
            assert data["type"] or view == "full", (view, node)


def test_claims_carry_their_type_and_colour_group(views):
    g = views["arguments"]
    assert g.nodes[ST + "traffic-offense-evidence"]["type"] == "sckg:Evidence"
    assert g.nodes[ST + "traffic-offense-evidence"]["group"] == "evidence"
    assert g.nodes[ST + "no-flagging-before-conviction"]["group"] == "recommendation"
    assert g.nodes[ST + "failed-focus"]["type"] == "sckg:Evaluation"


def test_attributes_are_flat_scalars_for_graphml_and_gexf(views):
    for view, g in views.items():
        for _, data in g.nodes(data=True):
            assert all(isinstance(v, (str, int, float, bool)) for v in data.values()), view
        for _, _, data in g.edges(data=True):
            assert all(isinstance(v, (str, int, float, bool)) for v in data.values()), view


def test_every_quote_on_a_node_or_edge_slices_the_source_text_at_its_offsets(kg, views):
    sentences = {g.document: len(g.sentences) for g in kg.groundings}
    checked = 0
    for g in views.values():
        items = [d for _, d in g.nodes(data=True)] + [d for _, _, d in g.edges(data=True)]
        for data in items:
            if "quote" in data:
                folder = ROOT / data["source_text"]   # data/statements/<id>/source.txt
                text = folder.read_text(encoding="utf-8")
                assert text[data["quote_start"]:data["quote_end"]] == data["quote"]
                assert 1 <= data["sentence"] <= sentences[statement_iri(folder.parent)]
                checked += 1
    assert checked > 100


def test_stance_edges_run_from_holder_to_target_with_the_polarity_the_text_gives(views):
    g = views["arguments"]
    cap = KG_ID + "cap"
    # "many welcome changes were announced—including new training protocols"
    (training,) = edges_between(g, cap, KG_ID + "change-training-protocols")
    assert training["polarity"] == "welcomes" and training["polarity_class"] == "supports"
    assert training["predicate"] == "sckg:Stance"
    assert "new training protocols" in training["quote"]
    # "has failed to train a clear focus on serious criminals"
    (program,) = edges_between(g, cap, KG_ID + "secure-communities")
    assert program["polarity"] == "criticises" and program["polarity_class"] == "opposes"
    # "recognize these concerns, but they are incomplete in addressing them"
    (announcement,) = edges_between(g, cap, KG_ID + "ice-announcement-2011-06")
    assert announcement["polarity"] == "mixed"


def test_argument_edges_run_from_premise_to_conclusion(views):
    g = views["arguments"]
    # "But ... has failed" contradicts the proponents' claim (reconstructed) that the program focuses on serious crime.
    (attack,) = edges_between(g, ST + "failed-focus", ST + "program-focuses-on-serious-crime")
    assert attack["label"] == "attacks" and attack["predicate"] == "sckg:Attack"
    (support,) = edges_between(g, ST + "traffic-offense-evidence", ST + "failed-focus")
    assert support["label"] == "supports"
    # The inference is marked by "thus": "The facts on the ground thus raise ..."
    (inference,) = edges_between(g, ST + "traffic-offense-evidence", ST + "pretextual-arrests")
    assert inference["label"] == "infers" and inference["quote"] == "thus"


def test_concessions_restatements_and_hopes_join_claims_in_the_arguments_view(views):
    g = views["arguments"]
    # S9 and S10 grant points before S11's "But ... has failed"; S18 grants one before S19's "But".
    for conceded, against in (("rationale-good-sense", "failed-focus"), ("must-prioritize", "failed-focus"),
                              ("no-desire-to-interfere", "safety-obligation")):
        (edge,) = [e for e in edges_between(g, ST + conceded, ST + against) if e["predicate"] == "sckg:concededAgainst"]
        assert edge["label"] == "conceded against"
    # S23's "recognize these concerns" says again what S6 calls the agency's acknowledgment.
    (restates,) = edges_between(g, ST + "changes-recognize", ST + "acknowledgment")
    assert restates["predicate"] == "sckg:restates"
    # S25 hopes the committee "reaches the same conclusion": S24's recommendation.
    (hope,) = edges_between(g, ST + "hope-committee", ST + "no-flagging-before-conviction")
    assert hope["predicate"] == "sckg:hopedOutcome"
    # A conceded stance is an edge of the view (holder to target), not a node: S7's welcome of the training
    # protocols stays CAP's stance edge and gets no concession edge of its own.
    assert ST + "welcomes-training" not in g
    assert not [e for e in edges_between(g, ST + "welcomes-training", ST + "faults-delay")]


def test_causal_edges_are_grounded_in_the_claim_that_asserts_them(views):
    g = views["arguments"]
    (edge,) = edges_between(g, KG_ID + "ph-pre-conviction-flagging", KG_ID + "ph-pretextual-arrests")
    assert edge["label"] == "causes"
    assert edge["asserted_by"] == ST + "flagging-causes-pretext"
    assert edge["quote"].startswith("the only way to diminish pretextual arrests")


def test_recommendation_is_addressed_to_dhs(views):
    g = views["arguments"]
    (edge,) = edges_between(g, ST + "focus-on-serious-criminals", KG_ID + "dhs")
    assert edge["predicate"] == "sckg:addressedTo"
    assert edge["quote"].startswith("It is imperative that immigration enforcement initiatives by DHS")


def test_actors_view_shows_roles_membership_and_opt_outs(views):
    g = views["actors"]
    (speaks,) = edges_between(g, KG_ID + "marshall-fitz", KG_ID + "cap")
    assert speaks["predicate"] == "sckg:speaksFor"
    (part_of,) = edges_between(g, KG_ID + "ice", KG_ID + "dhs")
    assert part_of["predicate"] == "org:subOrganizationOf"
    # That ICE is part of DHS is outside context (inferred, with its source), not a quote.
    assert "quote" not in part_of and "dhs-sc-june-2011" in part_of["context_source"]
    opted = [e for e in edges_between(g, KG_ID + "illinois", KG_ID + "secure-communities")
             if e["label"] == "opted out of"]
    assert len(opted) == 1
    # Illinois's opt-out is outside context, not in the statement: grounded by its sources, not a quote.
    assert "quote" not in opted[0] and "chicago-tribune" in opted[0]["context_source"]
    groups = {d["group"] for _, d in g.nodes(data=True)}
    assert {"organization", "person", "jurisdiction", "social group"} <= groups
    assert not any(d["group"].endswith("claim") or d["group"] == "evaluation" for _, d in g.nodes(data=True))


def test_program_view_has_caps_evaluation_of_each_change(views):
    g = views["program"]
    cap = KG_ID + "cap"
    expected = {  # read from sentence 7: three changes welcomed, the delay of the rest faulted
        "change-training-protocols": "welcomes",
        "change-transparency-initiative": "welcomes",
        "change-prosecutorial-discretion": "welcomes",
        "change-advisory-review": "criticises",
    }
    for change, polarity in expected.items():
        (edge,) = edges_between(g, cap, KG_ID + change)
        assert edge["polarity"] == polarity
        assert (KG_ID + "ice-announcement-2011-06", KG_ID + change) in g.edges()
    assert (ST + "changes-incomplete", KG_ID + "ice-announcement-2011-06") in g.edges()


def test_full_view_keeps_literals_as_attributes_never_as_nodes(views):
    g = views["full"]
    assert all(node.startswith(("http://", "https://")) for node in g.nodes)
    statement = g.nodes[KG_ID + "cap-2011-06-17"]
    assert statement["schema:datePublished"] == "2011-06-17"
    assert g.nodes[ST + "press-contact"]["schema:telephone"] == "202.478.5318"
    assert "sckg:PolicyStatement" in statement["types"]
    assert (KG_ID + "cap-2011-06-17", KG_ID + "cap") in g.edges()


def test_to_networkx_is_the_graph_the_exports_are_made_from(kg, views):
    g = sckg.to_networkx("actors", kg)
    assert sorted(g.nodes(data=True)) == sorted(views["actors"].nodes(data=True))
    assert sorted(g.edges(keys=True)) == sorted(views["actors"].edges(keys=True))


def test_unknown_view_names_the_valid_ones(kg):
    with pytest.raises(UsageError, match="full, actors, arguments, program"):
        build_view(kg, "everything")

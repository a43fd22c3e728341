"""The encoded statement against the source text: every expectation here is read off source.txt
(or, for outside context, off the research notes), not off the program's output."""

from __future__ import annotations

import hashlib

import pytest
from _support import SOURCE_TEXT, STATEMENT_DIR, expected_rows, statement_iri, statement_params

import sckg

STATEMENT_GRAPH = "https://w3id.org/sckg/graph/statement/cap-2011-06-17"


@pytest.fixture(scope="module")
def kg():
    return sckg.load()


def values(kg, query, var="x"):
    return sorted(str(r[var].value) for r in kg.sparql(query))


def test_source_is_kept_verbatim_with_its_typo():
    assert "Securire Communities program" in SOURCE_TEXT
    assert hashlib.sha256((STATEMENT_DIR / "source.txt").read_bytes()).hexdigest() == \
        "34367c4d505cbbd7939e1df5fdd1a600d51c31206a925b9b704b3e09ee6a83f3"


def test_every_sentence_is_covered(kg):
    grounding = kg.groundings[0]
    assert len(grounding.sentences) == 26
    assert grounding.uncovered == []
    assert grounding.coverage == 1.0


@pytest.mark.parametrize("folder", statement_params())
def test_every_anchor_slices_its_quote_out_of_the_source(kg, folder):
    text = (folder / "source.txt").read_text(encoding="utf-8")
    rows = list(kg.sparql(f"""
        SELECT ?item ?exact ?start ?end WHERE {{
          ?item sckg:hasAnchor ?a . ?a oa:hasSource <{statement_iri(folder)}> ; oa:hasSelector ?q, ?p .
          ?q a oa:TextQuoteSelector ; oa:exact ?exact .
          ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
        }}"""))
    # at least one anchor per sentence: every sentence is covered (its grounding-claims-per-sentence)
    assert len(rows) >= len(expected_rows(folder, "grounding-claims-per-sentence"))
    for r in rows:
        start, end = int(r["start"].value), int(r["end"].value)
        assert text[start:end] == r["exact"].value, r["item"]


@pytest.mark.parametrize("folder", statement_params())
def test_quote_selector_prefix_and_suffix_surround_the_quote(kg, folder):
    text = (folder / "source.txt").read_text(encoding="utf-8")
    for r in kg.sparql(f"""
        SELECT ?exact ?prefix ?suffix ?start WHERE {{
          ?a oa:hasSource <{statement_iri(folder)}> ; oa:hasSelector ?q, ?p .
          ?q oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
          ?p oa:start ?start . }}"""):
        start = int(r["start"].value)
        assert text[:start].endswith(r["prefix"].value)
        assert text[start + len(r["exact"].value):].startswith(r["suffix"].value)


def test_the_withheld_email_address_is_not_encoded(kg):
    assert list(kg.sparql("SELECT ?s WHERE { ?s schema:email ?e }")) == []
    literals = values(kg, """SELECT ?x WHERE { GRAPH ?g { ?s ?p ?x } FILTER(isLiteral(?x))
                                FILTER(?p != sckg:quote && ?p != oa:exact && ?p != rdf:value
                                       && ?p != oa:prefix && ?p != oa:suffix) }""")
    assert not any("@" in v or "protected]" in v for v in literals)


def test_press_contact_is_raul_arce_contreras_with_the_phone_number(kg):
    rows = list(kg.sparql("""SELECT ?name ?tel WHERE { kg:cap-2011-06-17 sckg:pressContact ?c .
                           ?c sckg:contactPerson/rdfs:label ?name ; schema:telephone ?tel }"""))
    assert [(r["name"].value, r["tel"].value) for r in rows] == [("Raul Arce-Contreras", "202.478.5318")]


def test_speaker_holds_his_post_at_cap_and_speaks_for_it(kg):
    assert kg.sparql("""ASK { kg:cap-2011-06-17 sckg:speaker kg:marshall-fitz .
                         kg:marshall-fitz sckg:speaksFor kg:cap ; org:holds ?post .
                         ?post org:postIn kg:cap ; rdfs:label ?l
                         FILTER(CONTAINS(?l, "Director of Immigration Policy")) }""")


def test_ice_announced_the_changes_and_is_part_of_dhs(kg):
    assert kg.sparql("ASK { ?a a sckg:Announcement ; sckg:announcedBy kg:ice . kg:ice org:subOrganizationOf kg:dhs }")


def test_cap_welcomes_exactly_the_three_changes_sentence_7_lists(kg):
    welcomed = values(kg, "SELECT ?x WHERE { ?s sckg:holder kg:cap ; sckg:polarity sckg:polarityWelcomes ; "
                          "sckg:target ?x }")
    assert welcomed == sorted(["https://w3id.org/sckg/id/change-training-protocols",
                               "https://w3id.org/sckg/id/change-transparency-initiative",
                               "https://w3id.org/sckg/id/change-prosecutorial-discretion"])


def test_cap_faults_the_delay_pending_the_advisory_review(kg):
    assert kg.sparql("""ASK { ?s sckg:holder kg:cap ; sckg:polarity sckg:polarityCriticises ;
                              sckg:target ?t . ?t a sckg:AdvisoryReview ; sckg:reviewedBy kg:advisory-committee }""")


def test_cap_applauds_the_obama_administrations_emphasis_on_criminal_removals(kg):
    assert kg.sparql("""ASK { ?s sckg:holder kg:cap ; sckg:polarity sckg:polarityApplauds ;
                              sckg:target/sckg:pursuedBy kg:obama-administration }""")


def test_the_recommendation_is_addressed_to_dhs_and_the_hope_to_the_committee(kg):
    assert kg.sparql("ASK { ?r a sckg:Recommendation ; sckg:addressedTo kg:dhs ; sckg:quote ?q "
                     "FILTER(CONTAINS(?q, 'until after conviction')) }")
    assert kg.sparql("ASK { ?h a sckg:Hope ; sckg:addressedTo kg:advisory-committee }")


def test_the_evidence_supports_the_claim_of_failed_focus(kg):
    assert kg.sparql("""ASK { ?rel a sckg:Support ; sckg:premise ?e ; sckg:conclusion ?c .
                          ?e a sckg:Evidence ; sckg:quote ?eq FILTER(CONTAINS(?eq, "traffic-related offenses"))
                          ?c sckg:quote ?cq FILTER(CONTAINS(?cq, "failed to train a clear focus")) }""")


def test_a_causal_chain_runs_from_pre_conviction_flagging_to_less_effective_policing(kg):
    # Sentence 24 (flagging -> pretextual arrests) chained with sentence 14 (-> trust -> policing).
    # The flagging and the arrests are shared phenomena (data/entities/phenomena.ttl); CAP's links join them.
    assert kg.sparql("""ASK { BIND(kg:ph-pre-conviction-flagging AS ?a)
                          ?b rdfs:label "less effective policing"@en .
                          ?a (^sckg:cause/sckg:effect)+ ?b }""")


def test_states_and_localities_opt_out_is_reported_not_asserted(kg):
    assert kg.sparql("""ASK { ?c sckg:voice sckg:voiceReported ; rdf:subject ?d . ?d a sckg:OptOutDecision ;
                          sckg:decidedBy kg:opt-out-jurisdictions }""")


def test_three_voices_are_kept_apart(kg):
    statement_voices = values(kg, f"SELECT DISTINCT ?x WHERE {{ GRAPH <{STATEMENT_GRAPH}> {{ ?s sckg:voice ?x }} }}")
    assert statement_voices == ["https://w3id.org/sckg/ontology#voiceAsserted",
                                "https://w3id.org/sckg/ontology#voiceReported"]
    outside = values(kg, "SELECT DISTINCT ?x WHERE { ?s a sckg:ContextFact ; sckg:voice ?x }")
    assert outside == ["https://w3id.org/sckg/ontology#voiceOutsideContext"]


def test_opt_out_states_and_dates_come_from_the_research_notes_with_sources(kg):
    rows = {(r["label"].value, r["date"].value) for r in kg.sparql("""
        SELECT ?label ?date WHERE { ?d a sckg:OptOutDecision ; sckg:decidedBy ?s ; dcterms:date ?date .
          ?s a sckg:State ; rdfs:label ?label .
          ?f a sckg:ContextFact ; rdf:subject ?d ; rdf:predicate dcterms:date ; dcterms:source ?src . }""")}
    assert rows == {("Illinois", "2011-05-04"), ("New York", "2011-06-01"), ("Massachusetts", "2011-06-03")}


def test_statement_date_is_outside_context_and_marked_inferred(kg):
    assert kg.sparql("""ASK { ?f a sckg:ContextFact ; rdf:subject kg:cap-2011-06-17 ;
                          rdf:predicate schema:datePublished ; rdf:object "2011-06-17"^^xsd:date ;
                          sckg:verificationStatus sckg:statusInferred ; dcterms:source ?s }""")

"""The curated links: every identifier the research notes record VERIFIED is linked, with provenance;
no look-alike is; and `sckg links` lists them and the entities that have none."""

from __future__ import annotations

import pytest
from _support import ROOT, copy_project, run_cli, shared_entity_iris

from sckg import namespaces as ns
from sckg.links import inventory
from sckg.loader import load

WD = "http://www.wikidata.org/entity/"
DBR = "http://dbpedia.org/resource/"
KG = ns.DATA


@pytest.fixture(scope="module")
def kg():
    return load(ROOT)


def _triples(kg, predicate: str) -> set[tuple[str, str]]:
    return {(r["s"].value, r["o"].value) for r in kg.sparql(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}")}


# Expected links, read from the research notes' table of external identifiers (VERIFIED rows whose
# entity exists in the graph) and its US state codes.
EXPECTED_SAME_AS = {
    (KG + "dhs", WD + "Q11231"), (KG + "ice", WD + "Q943091"),
    (KG + "illinois", WD + "Q1204"), (KG + "new-york", WD + "Q1384"), (KG + "massachusetts", WD + "Q771"),
    (KG + "dhs", DBR + "United_States_Department_of_Homeland_Security"),
    (KG + "cap", DBR + "Center_for_American_Progress"),
    # the people behind the actors: the notes verify Q76 and these three DBpedia resources
    (KG + "barack-obama", WD + "Q76"), (KG + "barack-obama", DBR + "Barack_Obama"),
    (KG + "john-morton", DBR + "John_T._Morton"), (KG + "janet-napolitano", DBR + "Janet_Napolitano"),
}
EXPECTED_CLOSE_MATCH = {(KG + "obama-administration", WD + "Q1379733"),
                        (KG + "obama-administration", DBR + "Presidency_of_Barack_Obama")}
EXPECTED_EXACT_MATCH = {(KG + "secure-communities", DBR + "Secure_Communities")}
EXPECTED_CODES = {
    "illinois": ("17", "US-IL"), "new-york": ("36", "US-NY"), "massachusetts": ("25", "US-MA"),
}


def test_every_verified_identity_is_an_owl_same_as(kg):
    assert _triples(kg, ns.OWL + "sameAs") == EXPECTED_SAME_AS


def test_the_administration_and_the_program_are_matches_not_identities(kg):
    assert _triples(kg, ns.SKOS + "closeMatch") == EXPECTED_CLOSE_MATCH
    assert _triples(kg, ns.SKOS + "exactMatch") == EXPECTED_EXACT_MATCH


def test_the_look_alike_identifiers_are_absent_everywhere(kg):
    # Q11209 is the Department of Defense and Q3052772 is Emmanuel Macron (research notes).
    for qid in ("Q11209", "Q3052772"):
        assert not kg.sparql(f"ASK {{ {{ ?s ?p <{WD}{qid}> }} UNION {{ <{WD}{qid}> ?p ?o }} }}")
        for path in (ROOT / "data").rglob("*.ttl"):  # nor in a file the graph does not load
            lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("#")]
            assert not any(qid in line for line in lines), f"{qid} appears in {path}"


def test_only_the_person_is_barack_obama_and_the_administration_is_only_his_presidency(kg):
    # the look-alike trap: the administration is not the man, so only kg:barack-obama links to Q76
    def linked_to(target):
        query = f"SELECT ?s WHERE {{ ?s ?p <{target}> FILTER(?p != rdf:object) }}"  # not the reifying fact
        return {r["s"].value for r in kg.sparql(query)}

    assert linked_to(WD + "Q76") == linked_to(DBR + "Barack_Obama") == {KG + "barack-obama"}
    assert kg.sparql(f"ASK {{ <{KG}barack-obama> <http://www.w3.org/ns/org#headOf> <{KG}obama-administration> }}")


def test_state_codes_are_the_verified_fips_and_iso_codes(kg):
    codes = {s.iri[len(KG):]: (s.fips, s.iso) for s in inventory.state_codes(kg)}
    assert codes == EXPECTED_CODES
    assert {s.iri[len(KG):]: s.postal for s in inventory.state_codes(kg)} == {
        "illinois": "IL", "new-york": "NY", "massachusetts": "MA"}


def test_every_link_carries_source_status_method_and_date(kg):
    found = inventory.links(kg)
    assert len(found) == len(EXPECTED_SAME_AS) + len(EXPECTED_CLOSE_MATCH) + len(EXPECTED_EXACT_MATCH) + 2 * 3
    for link in found:
        assert link.sources, link
        assert link.status == ns.SCKG + "statusVerified", link
        assert link.method, link
        assert link.date == "2026-11-01", link
    assert inventory.unreified_links(kg) == []


def test_entities_without_a_link_are_the_ones_the_notes_give_no_identifier_for(kg):
    shared = shared_entity_iris()
    unlinked = {e.iri[len(KG):] for e in inventory.unlinked_entities(kg) if e.iri in shared}
    # Margo Schlanger: the notes give no identifier for her (John Morton and Janet Napolitano have DBpedia only)
    assert unlinked == {"advisory-committee", "marshall-fitz", "raul-arce-contreras", "state-and-local-police",
                        "margo-schlanger"}


def test_links_command_prints_links_and_unlinked_entities(kg):
    result = run_cli("links")
    assert result.returncode == 0, result.stderr
    assert "links (20)" in result.stdout
    assert "wd:Q11231" in result.stdout and "dbr:Secure_Communities" in result.stdout and '"US-NY"' in result.stdout
    # the five of the shared entities above, and any a new statement added (they await `sckg link`)
    assert f"entities without a link ({len(inventory.unlinked_entities(kg))})" in result.stdout
    assert "kg:marshall-fitz" in result.stdout


def test_links_command_fails_on_a_link_without_provenance(tmp_path):
    root = copy_project(tmp_path)
    (root / "data" / "links" / "bare.ttl").write_text(
        "@prefix kg: <https://w3id.org/sckg/id/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "kg:marshall-fitz skos:closeMatch <http://www.wikidata.org/entity/Q1> .\n", encoding="utf-8")
    result = run_cli("--root", str(root), "links")
    assert result.returncode == 1
    assert "kg:marshall-fitz skos:closeMatch wd:Q1" in result.stderr
    assert "have no sckg:ContextFact" in result.stderr
    assert "Traceback" not in result.stderr

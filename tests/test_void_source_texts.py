"""Each source text's distribution in the VoID/DCAT description says where the text comes from, whose it
is, its date and its rights, as the statement's data records them; no licence is invented.

Expected values come from the fictional corpus statements' own data (tests/fixtures/corpus/): the
coalition's statement is published by the Riverside Immigrant Rights Coalition on 2011-06-18.
"""

from __future__ import annotations

import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS

import sckg
from sckg.void import DATASET, describe

KG = "https://w3id.org/sckg/id/"
STATEMENT = "fx-coalition-2011-06-18"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def _text(statement: str) -> rdflib.URIRef:
    return rdflib.URIRef(f"{DATASET}/statement/{statement}/distribution/source.txt")


def test_the_text_names_its_publisher_and_date_as_the_data_records_them(corpus_kg):
    g = describe(corpus_kg)
    text = _text(STATEMENT)
    assert g.value(text, DCTERMS.publisher) == rdflib.URIRef(KG + "fx-riverside-coalition")
    assert str(g.value(text, DCTERMS.issued)) == "2011-06-18"


def test_without_recorded_rights_the_publisher_keeps_its_copyright_and_no_licence_is_given(corpus_kg):
    g = describe(corpus_kg)
    for statement in ("fx-coalition-2011-06-18", "fx-sheriffs-2011-06-21"):
        text = _text(statement)
        assert g.value(text, DCTERMS.license) is None  # the dataset's CC BY does not cover the text
        rights = g.value(text, DCTERMS.rights)
        assert (rights, RDF.type, DCTERMS.RightsStatement) in g
        label = str(g.value(rights, RDFS.label))
        assert "copyright" in label and "not covered by the licence" in label
    coalition = str(g.value(g.value(_text(STATEMENT), DCTERMS.rights), RDFS.label))
    assert "Riverside Immigrant Rights Coalition (Fictional)" in coalition


def test_a_recorded_page_rights_and_licence_are_given_as_recorded(corpus_root, tmp_path):
    page = "https://example.org/press/end-secure-communities-now"
    extra = tmp_path / "origin.ttl"
    extra.write_text(f"""
@prefix kg: <{KG}> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
kg:{STATEMENT} schema:url <{page}> ;
    dcterms:rights "Reproduced with the publisher's permission."@en ;
    dcterms:license <https://creativecommons.org/licenses/by-nd/4.0/> .
""", encoding="utf-8")
    g = describe(sckg.load(corpus_root, extra=[extra]))
    text = _text(STATEMENT)
    assert g.value(text, DCTERMS.source) == rdflib.URIRef(page)
    assert g.value(text, DCAT.landingPage) == rdflib.URIRef(page)
    assert g.value(text, DCTERMS.license) == rdflib.URIRef("https://creativecommons.org/licenses/by-nd/4.0/")
    assert list(g.objects(text, DCTERMS.rights)) == [rdflib.Literal("Reproduced with the publisher's permission.",
                                                                    lang="en")]

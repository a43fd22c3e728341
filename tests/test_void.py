"""The VoID description: counts agree with the graph, one linkset per target, deterministic output."""

from __future__ import annotations

import pytest
from _support import ROOT
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from sckg import void as sckg_void
from sckg.loader import load
from sckg.outputs import render_outputs

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DS = URIRef(sckg_void.DATASET)


@pytest.fixture(scope="module")
def kg():
    return load(ROOT)


@pytest.fixture(scope="module")
def described(kg):
    return sckg_void.describe(kg)


def _int(g, s, p) -> int:
    return int(g.value(s, p))


def test_dataset_is_a_void_and_dcat_dataset_with_licence_and_publisher(described):
    assert (DS, RDF.type, VOID.Dataset) in described
    assert (DS, RDF.type, DCAT.Dataset) in described
    assert described.value(DS, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert described.value(DS, DCTERMS.publisher) is not None
    assert described.value(DS, VOID.uriSpace) == Literal("https://w3id.org/sckg/id/")


def test_triple_count_is_the_number_of_distinct_triples(kg, described):
    distinct = {(q.subject, q.predicate, q.object) for q in kg.store}
    assert _int(described, DS, VOID.triples) == len(distinct)


def test_one_linkset_per_target_with_the_curated_counts(described):
    # Counts from data/links: 7 Wikidata links (6 sameAs, 1 closeMatch), 7 DBpedia links
    # (5 sameAs, 1 closeMatch, 1 exactMatch), and 2 codes for each of the three states.
    expected = {"wikidata": 7, "dbpedia": 7, "us-state-codes": 6}
    linksets = set(described.objects(DS, VOID.subset))
    for key, count in expected.items():
        linkset = URIRef(f"{sckg_void.DATASET}/linkset/{key}")
        assert linkset in linksets
        assert (linkset, RDF.type, VOID.Linkset) in described
        assert _int(described, linkset, VOID.triples) == count
        assert described.value(linkset, VOID.subjectsTarget) == DS
        assert described.value(linkset, VOID.objectsTarget) == URIRef(sckg_void.DATASET_BASE + key)
        assert described.value(linkset, DCTERMS.issued) == Literal("2026-11-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
        assert described.value(linkset, DCTERMS.title) is not None
        assert described.value(linkset, DCTERMS.license) is not None
    wikidata = URIRef(f"{sckg_void.DATASET}/linkset/wikidata")
    assert set(described.objects(wikidata, VOID.linkPredicate)) == {
        URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef("http://www.w3.org/2004/02/skos/core#closeMatch")}
    same_as = URIRef(f"{wikidata}/owl-sameAs")
    assert _int(described, same_as, VOID.triples) == 6


def test_class_partition_counts_the_three_states(described):
    part = next(p for p in described.objects(DS, VOID.classPartition)
                if described.value(p, VOID["class"]) == URIRef("https://w3id.org/sckg/ontology#State"))
    assert _int(described, part, VOID.entities) == 3


def test_without_base_url_no_endpoint_is_claimed_and_dumps_use_the_permanent_address(described):
    assert described.value(DS, VOID.sparqlEndpoint) is None
    urls = {str(u) for u in described.objects(None, DCAT.downloadURL)}
    assert "https://w3id.org/sckg/dist/sckg.ttl" in urls


def test_base_url_gives_the_endpoint_and_download_urls(kg):
    g = sckg_void.describe(kg, base_url="http://127.0.0.1:8000/")
    assert g.value(DS, VOID.sparqlEndpoint) == URIRef("http://127.0.0.1:8000/sparql")
    dist = URIRef(f"{sckg_void.DATASET}/distribution/sckg.nt")
    assert g.value(dist, DCAT.downloadURL) == URIRef("http://127.0.0.1:8000/dist/sckg.nt")
    assert g.value(dist, DCAT.mediaType) == Literal("application/n-triples")


def test_every_described_dump_is_a_file_the_build_writes(kg):
    assert set(sckg_void.DUMPS) <= set(render_outputs(kg))


def test_description_is_byte_identical_across_loads(kg):
    assert sckg_void.to_turtle(kg) == sckg_void.to_turtle(load(ROOT))


def test_the_build_writes_the_description_as_void_ttl(kg):
    assert render_outputs(kg)["void.ttl"] == sckg_void.to_turtle(kg)


def test_description_is_byte_identical_across_hash_seeds():
    import subprocess
    import sys

    script = ("import sys; from sckg.loader import load; from sckg.void import to_turtle; "
              "sys.stdout.buffer.write(to_turtle(load()))")
    outputs = {subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True,
                              env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "2", "3")}
    assert len(outputs) == 1

"""The project with the two fictional statements added (tests/fixtures/corpus/): build, every export,
the AIF export, the VoID description and the endpoint work for several statements, and keep them
apart where they should. (Every library question is run on the same corpus in test_query_library.)"""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest
import rdflib
from _support import run_cli

from sckg import namespaces as ns, void as sckg_void
from sckg.export import registry, render
from sckg.export.views import VIEWS, build_view

STATEMENTS = {"cap-2011-06-17": 9, "fx-sheriffs-2011-06-21": 5, "fx-coalition-2011-06-18": 4}  # stances in each text


@pytest.fixture(scope="module")
def built(corpus_root, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus-dist") / "dist"
    result = run_cli("--root", str(corpus_root), "build", "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def test_the_corpus_builds_with_every_sentence_of_every_statement_covered(built):
    _, stdout = built
    for statement in STATEMENTS:
        assert f"{statement}: 100% of sentences covered" in stdout
    assert "INVALID" not in stdout


def test_each_statement_has_its_own_named_graph_in_the_dumps(built):
    out, _ = built
    ds = rdflib.Dataset()
    ds.parse(out / "sckg.trig", format="trig")
    names = {str(g.identifier) for g in ds.graphs()}
    for statement, stances in STATEMENTS.items():
        graph = ds.graph(rdflib.URIRef(ns.GRAPH_STATEMENT_PREFIX + statement))
        assert str(graph.identifier) in names
        assert len(set(graph.subjects(rdflib.RDF.type, rdflib.URIRef(ns.SCKG + "Stance")))) == stances


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("fmt", [f for f in registry.names() if f not in ("svg", "png")])
def test_every_view_exports_in_every_format_on_the_corpus(corpus_kg, view, fmt):
    if fmt == "aif" and view != "arguments":
        pytest.skip("AIF is the argument view's format")
    data = render(corpus_kg, view, fmt)
    assert data
    if fmt == "aif":
        doc = json.loads(data)
        texts = {n["text"] for n in doc["nodes"] if n.get("type") == "I"}
        # claims of all three statements are in the argument graph
        assert any("Secure Communities works." in t for t in texts)
        assert any("terminate Secure Communities" in t for t in texts)


def test_exported_offsets_name_the_source_text_they_count_in(corpus_kg, corpus_root):
    g = build_view(corpus_kg, "arguments")
    grounded = [d for _, d in g.nodes(data=True) if "quote_start" in d]
    assert {d["source_text"] for d in grounded} == {f"data/statements/{s}/source.txt" for s in STATEMENTS}
    for d in grounded:
        text = (corpus_root / d["source_text"]).read_text(encoding="utf-8")
        assert text[d["quote_start"]:d["quote_end"]] == d["quote"]
        assert d["source_text"] == f"data/statements/{d['quote_statement'].removeprefix('kg:')}/source.txt"


def test_the_svg_of_the_argument_view_draws_on_the_corpus(corpus_kg):
    assert render(corpus_kg, "arguments", "svg").lstrip().startswith((b"<?xml", b"<svg"))


def test_void_has_a_subset_per_statement_with_its_counts_and_source_checksum(corpus_kg, corpus_root):
    g = sckg_void.describe(corpus_kg)
    void, dcat, spdx = (rdflib.Namespace(sckg_void.VOID), rdflib.Namespace(sckg_void.DCAT),
                        rdflib.Namespace(sckg_void.SPDX))
    for statement, stances in STATEMENTS.items():
        subset = rdflib.URIRef(f"{sckg_void.DATASET}/statement/{statement}")
        assert (rdflib.URIRef(sckg_void.DATASET), void.subset, subset) in g
        name = g.value(subset, rdflib.URIRef(sckg_void.SD + "name"))
        assert name == rdflib.URIRef(ns.GRAPH_STATEMENT_PREFIX + statement)
        part = rdflib.URIRef(f"{subset}/class/sckg-Stance")
        assert int(g.value(part, void.entities)) == stances
        sha = hashlib.sha256((corpus_root / "data" / "statements" / statement / "source.txt").read_bytes()).hexdigest()
        values = {str(g.value(c, spdx.checksumValue)) for d in g.objects(subset, dcat.distribution)
                  for c in g.objects(d, spdx.checksum)}
        assert values == {sha}


def test_the_endpoint_serves_the_corpus_and_its_page_offers_the_parameters(corpus_root):
    from test_server import Server

    server = Server(corpus_root, "--timeout", "20", "--workers", "1")
    try:
        answer = server.client.get("/sparql", params={
            "query": "SELECT (COUNT(?s) AS ?n) WHERE { ?s a sckg:PolicyStatement }"},
            headers={"Accept": "application/sparql-results+json"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"]["bindings"][0]["n"]["value"] == "3"
        examples = {e["name"]: e for e in server.client.get("/api/examples").json()}
        assert [p["name"] for p in examples["stances-welcomed-vs-faulted"]["params"]] == ["holder"]
        # what the page sends for holder=kg:fx-prairie-sheriffs: the question plus one VALUES clause
        text = (examples["stances-welcomed-vs-faulted"]["text"]
                + f"\nVALUES ?holder {{ <{ns.DATA}fx-prairie-sheriffs> }}\n")
        rows = server.client.post("/sparql", data={"query": text},
                                  headers={"Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
        assert {r["holder"]["value"] for r in rows} == {ns.DATA + "fx-prairie-sheriffs"} and len(rows) == 4
    except httpx.HTTPError as error:  # pragma: no cover - a message rather than a bare traceback
        raise AssertionError(f"the endpoint failed: {error}\n{server.log.read_text()}") from error
    finally:
        server.stop()

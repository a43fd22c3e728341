"""dist/'s pretty formats are written by Oxigraph: they must hold the same graph rdflib's serialisers
(which wrote them before) give for the project's data, and be written deterministically."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from sckg import namespaces as ns
from sckg.outputs import jsonld_context, render_outputs


@pytest.fixture(scope="module")
def outputs(project_kg):
    return render_outputs(project_kg)


def test_turtle_is_isomorphic_to_rdflibs_turtle_of_the_union(project_kg, outputs):
    ours = rdflib.Graph().parse(data=outputs["sckg.ttl"], format="turtle")
    previous = rdflib.Graph().parse(data=project_kg.union.serialize(format="turtle"), format="turtle")
    assert len(ours) == len(project_kg.union)
    assert isomorphic(ours, previous)


def test_ontology_turtle_is_isomorphic_to_rdflibs_of_the_ontology_graph(project_kg, outputs):
    ours = rdflib.Graph().parse(data=outputs["ontology.ttl"], format="turtle")
    previous = project_kg.named_graph(ns.GRAPH_ONTOLOGY)
    assert len(ours) > 0
    assert isomorphic(ours, previous)


def test_trig_holds_every_named_graph_as_the_rdflib_dataset_does(project_kg, outputs):
    ours = rdflib.Dataset()
    ours.parse(data=outputs["sckg.trig"], format="trig")
    assert set(ours.quads()) == set(project_kg.dataset.quads())


def test_jsonld_holds_the_same_quads_and_inlines_the_published_context(project_kg, outputs):
    doc = json.loads(outputs["sckg.jsonld"])
    assert doc["@context"] == jsonld_context()["@context"]
    ours = rdflib.Dataset()
    ours.parse(data=outputs["sckg.jsonld"], format="json-ld")
    assert set(ours.quads()) == set(project_kg.dataset.quads())


def test_turtle_and_trig_use_the_projects_prefixes(outputs):
    for name in ("sckg.ttl", "sckg.trig", "ontology.ttl"):
        text = outputs[name].decode("utf-8")
        assert f"@prefix sckg: <{ns.SCKG}> ." in text, name
        assert "sckg:" in text.split("\n", len(ns.PREFIXES))[-1], name  # used in the body, not only declared


def test_rendering_twice_gives_the_same_bytes(project_kg, outputs):
    again = render_outputs(project_kg)
    assert again == outputs


def test_every_pretty_format_parses_in_oxigraph_to_the_nquads_quads(outputs):
    nquads = set(ox.parse(outputs["sckg.nq"], format=ox.RdfFormat.N_QUADS))
    assert set(ox.parse(outputs["sckg.trig"], format=ox.RdfFormat.TRIG)) == nquads
    assert set(ox.parse(outputs["sckg.jsonld"], format=ox.RdfFormat.JSON_LD)) == nquads
    triples = {q.triple for q in nquads}
    assert {q.triple for q in ox.parse(outputs["sckg.ttl"], format=ox.RdfFormat.TURTLE)} == triples


def test_a_literal_holding_a_unicode_line_separator_stays_on_its_line():
    # N-Triples escapes only \n and \r in a literal; U+2028, U+0085 and a form feed are written as they
    # are, and a split at every Unicode line break would cut the triple in two.
    from sckg.oxigraph_bytes import sorted_lines

    store = ox.Store()
    for text in ("one\u2028two", "three\x85four", "five\x0csix", "seven\nline"):
        store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal(text)))
    lines = sorted_lines(bytes(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())))
    assert len(lines.splitlines()) == 4
    assert {t.object.value for t in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)} == {
        "one\u2028two", "three\x85four", "five\x0csix", "seven\nline"}

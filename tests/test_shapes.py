"""The SHACL shapes: one per sckg class, each proven by a valid and an invalid micro-fixture.

Fixtures live in tests/shapes/<ShapeLocalName>/{valid,invalid}.ttl and are validated together with
tests/shapes/_base.ttl and the ontology. In every fixture the node under test is ex:focus. The invalid
fixture must make the shape itself (or one of its property shapes) report ex:focus, and nothing else
may be reported about any other node: a fixture breaks one thing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from sckg import namespaces as ns
from sckg.validation import run_shacl

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "shapes"
BASE = FIXTURES / "_base.ttl"
SHAPE = rdflib.Namespace("https://w3id.org/sckg/shapes#")
FOCUS = rdflib.URIRef(ns.DATA + "test/focus")
SCKG = rdflib.Namespace(ns.SCKG)

FIXTURE_DIRS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def _data(ontology_graph: rdflib.Graph, *files: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    for triple in ontology_graph:
        g.add(triple)
    for f in files:
        g.parse(f, format="turtle")
    return g


def _results(report: rdflib.Graph) -> list[dict]:
    return [{"focus": report.value(r, SH.focusNode), "shape": report.value(r, SH.sourceShape),
             "message": str(report.value(r, SH.resultMessage))}
            for r in report.subjects(RDF.type, SH.ValidationResult)]


def _family(shapes: rdflib.Graph, shape: rdflib.URIRef) -> set:
    """The node shape and its property shapes: a result from any of them is the shape's."""
    return {shape, *shapes.objects(shape, SH.property)}


def _node_shapes(shapes: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, rdflib.URIRef)}


# ---- coverage of classes, shapes and fixtures ------------------------------------------------------

def test_every_sckg_class_has_a_shape_that_targets_it_directly(ontology_graph, shapes_graph):
    classes = {c for c in ontology_graph.subjects(RDF.type, OWL.Class) if str(c).startswith(ns.SCKG)}
    targeted = set(shapes_graph.objects(None, SH.targetClass))
    assert len(classes) >= 40
    assert sorted(classes - targeted) == []
    for cls in classes:
        assert (SHAPE[cls.removeprefix(ns.SCKG) + "Shape"], SH.targetClass, cls) in shapes_graph, cls


def test_every_shape_has_both_fixtures_and_every_fixture_folder_a_shape(shapes_graph):
    names = sorted(str(s).removeprefix(str(SHAPE)) for s in _node_shapes(shapes_graph))
    assert FIXTURE_DIRS == names
    for name in names:
        assert (FIXTURES / name / "valid.ttl").is_file(), name
        assert (FIXTURES / name / "invalid.ttl").is_file(), name


def test_every_constraint_has_a_message(shapes_graph):
    """A person reading the report must learn what to fix: every property shape, and every node
    shape with a node-level constraint, carries sh:message."""
    node_level = (SH["not"], SH["or"], SH.nodeKind, SH["class"], SH["in"])
    for shape in _node_shapes(shapes_graph):
        if any(shapes_graph.value(shape, p) is not None for p in node_level):
            assert shapes_graph.value(shape, SH.message) is not None, shape
        for prop in shapes_graph.objects(shape, SH.property):
            assert shapes_graph.value(prop, SH.message) is not None, (shape, shapes_graph.value(prop, SH.path))


def test_value_sets_equal_their_skos_schemes(ontology_graph, shapes_graph):
    """Each sh:in list of concepts is exactly the concepts of one scheme, so adding a concept to a
    scheme without updating the shapes (or the reverse) fails here."""
    scheme_of = {c: s for c, s in ontology_graph.subject_objects(SKOS.inScheme)}
    checked = 0
    for node, members in shapes_graph.subject_objects(SH["in"]):
        values = set(rdflib.collection.Collection(shapes_graph, members))
        schemes = {scheme_of.get(v) for v in values}
        assert len(schemes) == 1 and None not in schemes, (values, schemes)
        scheme = schemes.pop()
        path = shapes_graph.value(node, SH.path)
        if path == SCKG.voice and values != set(ontology_graph.subjects(SKOS.inScheme, scheme)):
            # GroundedItem narrows the voice to the two in-text voices; the outside voice is a ContextFact's.
            assert values == {SCKG.voiceAsserted, SCKG.voiceReported}
        else:
            assert values == set(ontology_graph.subjects(SKOS.inScheme, scheme)), scheme
        checked += 1
    assert checked >= 5  # voice (twice), polarity, genre, verification status


# ---- the shapes file itself ------------------------------------------------------------------------

def test_shapes_file_conforms_to_the_w3c_shapes_for_shacl(shapes_graph):
    """shacl-shacl (the W3C's SHACL shapes graph for SHACL, bundled with pySHACL) accepts the file."""
    import pyshacl

    shacl_shacl = rdflib.Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl", format="turtle")
    conforms, report, text = pyshacl.validate(shapes_graph, shacl_graph=shacl_shacl, inference="none")
    assert conforms, text


def test_shacl_shacl_would_catch_a_broken_shape(shapes_graph):
    """The meta-check can fail: sh:minCount "one" (not an integer) is not well-formed SHACL."""
    import pyshacl

    shacl_shacl = rdflib.Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl", format="turtle")
    broken = rdflib.Graph()
    for t in shapes_graph:
        broken.add(t)
    prop = next(iter(shapes_graph.objects(SHAPE.StanceShape, SH.property)))
    broken.add((prop, SH.minCount, rdflib.Literal("one")))
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=shacl_shacl, inference="none")
    assert not conforms


def test_base_fixture_conforms_on_its_own(ontology_graph, shapes_graph):
    conforms, report = run_shacl(_data(ontology_graph, BASE), shapes_graph)
    assert conforms, _results(report)


# ---- per-shape micro-fixtures ----------------------------------------------------------------------

@pytest.mark.parametrize("name", FIXTURE_DIRS)
def test_valid_fixture_conforms(name, ontology_graph, shapes_graph):
    data = _data(ontology_graph, BASE, FIXTURES / name / "valid.ttl")
    target = shapes_graph.value(SHAPE[name], SH.targetClass)
    types = {
        c for t in data.objects(FOCUS, RDF.type) for c in data.transitive_objects(t, RDFS.subClassOf)}
    assert target in types, f"ex:focus must be an instance of {target}, so that the shape is exercised"
    conforms, report = run_shacl(data, shapes_graph)
    assert conforms, _results(report)


@pytest.mark.parametrize("name", FIXTURE_DIRS)
def test_invalid_fixture_is_reported_by_its_shape_on_the_focus_node(name, ontology_graph, shapes_graph):
    shape = SHAPE[name]
    data = _data(ontology_graph, BASE, FIXTURES / name / "invalid.ttl")
    _, report = run_shacl(data, shapes_graph)
    results = _results(report)
    family = _family(shapes_graph, shape)
    assert any(r["focus"] == FOCUS and r["shape"] in family for r in results), \
        f"{name} did not report ex:focus; results: {results}"
    assert all(r["focus"] == FOCUS for r in results), f"the fixture breaks more than ex:focus: {results}"
    messages = [r["message"] for r in results if r["shape"] in family]
    assert all(m and m != "None" for m in messages), "every result must carry the shape's message"


# ---- rules the one-fixture-per-shape scheme does not reach -----------------------------------------

def test_an_actor_given_as_a_blank_node_is_reported(ontology_graph, shapes_graph):
    data = _data(ontology_graph, BASE)
    group = rdflib.BNode()
    data.add((group, RDF.type, SCKG.SocialGroup))
    data.add((group, RDFS.label, rdflib.Literal("anonymous group", lang="en")))
    _, report = run_shacl(data, shapes_graph)
    results = _results(report)
    assert [r["shape"] for r in results] == [SHAPE.ActorShape]
    assert results[0]["focus"] == group and "not a blank node" in results[0]["message"]


def test_advice_is_a_warning_and_does_not_fail_validation(ontology_graph, shapes_graph):
    from sckg.validation import shacl_violations

    _, report = run_shacl(_data(ontology_graph, BASE, FIXTURES / "TrainingProtocolsShape" / "invalid.ttl"),
                          shapes_graph)
    violations = shacl_violations(report)
    assert violations and {v.severity for v in violations} == {"Warning"}

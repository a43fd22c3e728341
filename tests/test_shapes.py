"""The SHACL shapes: one per sckg class, each proven by a valid fixture and, for every constraint, an invalid one.

Fixtures live in tests/shapes/<ShapeLocalName>/: valid.ttl, and invalid-<what it breaks>.ttl, one per rule
(tests/_shape_fixtures.py describes the `# expect:` header). They are validated together with
tests/shapes/_base.ttl and the ontology; the node under test is ex:focus. An invalid fixture's report must
hold exactly the results its header declares (focus, shape, sh:resultPath, sh:sourceConstraintComponent),
so a fixture cannot drift to failing for another rule. A coverage test reads ontology/shapes.ttl and demands
a fixture that makes each of its constraints fire.
"""

from __future__ import annotations

from pathlib import Path

import _shape_fixtures as sf
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


def test_every_shape_has_a_fixture_folder_and_every_fixture_folder_a_shape(shapes_graph):
    names = sorted(str(s).removeprefix(str(SHAPE)) for s in _node_shapes(shapes_graph))
    assert names == FIXTURE_DIRS
    for name in names:
        assert (FIXTURES / name / "valid.ttl").is_file(), name


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
    conforms, _report, text = pyshacl.validate(shapes_graph, shacl_graph=shacl_shacl, inference="none")
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


INVALID = sf.invalid_fixtures()
_REPORTS: dict[Path, list[dict]] = {}


def _reported(fixture: Path, ontology_graph, shapes_graph) -> list[dict]:
    """pySHACL's results for one invalid fixture, computed once per session (the coverage test reuses them)."""
    if fixture not in _REPORTS:
        _, report = run_shacl(_data(ontology_graph, BASE, fixture), shapes_graph)
        _REPORTS[fixture] = sf.reported(shapes_graph, report)
    return _REPORTS[fixture]


def test_every_shape_folder_has_at_least_one_invalid_fixture():
    for name in FIXTURE_DIRS:
        assert sorted((FIXTURES / name).glob("invalid-*.ttl")), f"{name} has no invalid-<what it breaks>.ttl"
    assert not sorted(FIXTURES.glob("*/invalid.ttl")), "name an invalid fixture for what it breaks: invalid-<rule>.ttl"


@pytest.mark.parametrize("fixture", INVALID, ids=[f"{p.parent.name}/{p.stem}" for p in INVALID])
def test_invalid_fixture_fails_for_exactly_the_reasons_it_declares(fixture, ontology_graph, shapes_graph):
    """The fixture's `# expect:` lines name focus, shape, sh:resultPath and sh:sourceConstraintComponent of
    every result; a result not declared, or a declared one missing, fails the test."""
    expected = sf.expectations(fixture)
    assert expected, f"{fixture.name} declares no `# expect: focus shape path component` line"
    results = _reported(fixture, ontology_graph, shapes_graph)
    got = {(r["focus"], r["shape"], r["path"], r["component"]) for r in results}
    assert got == expected, f"missing: {sorted(expected - got)}; not declared: {sorted(got - expected)}"
    assert all(r["message"] and r["message"] != "None" for r in results), "every result must carry the shape's message"
    assert {shape for _, shape, _, _ in expected} >= {"shape:" + fixture.parent.name}, \
        f"a fixture in {fixture.parent.name}/ must break a rule of shape:{fixture.parent.name}"


# Constraints no fixture can make fire, each with the reason. Keyed by (node shape, path, component).
UNREACHABLE: dict[tuple[str, str, str], str] = {}


def _unfired(ontology_graph, shapes_graph, shapes: rdflib.Graph) -> list[str]:
    """The constraints of `shapes` that no invalid fixture's report shows firing, as "shape path component"."""
    fired = {(r["source"], r["component_iri"]) for f in INVALID for r in _reported(f, ontology_graph, shapes_graph)}
    return [" ".join(key) for shape, holder, path, component in sf.constraints(shapes)
            if (holder, component) not in fired
            and (key := (sf.qname(shape), path, sf.qname(component))) not in UNREACHABLE]


def test_every_constraint_of_the_shapes_file_is_made_to_fire_by_a_fixture(ontology_graph, shapes_graph):
    """Read ontology/shapes.ttl, list every constraint parameter of every node shape and property shape, and
    demand an invalid fixture whose report shows that very shape and component. A constraint added later
    without a fixture fails here, by name."""
    assert len(sf.constraints(shapes_graph)) >= 280
    missing = _unfired(ontology_graph, shapes_graph, shapes_graph)
    assert not missing, (f"{len(missing)} constraints have no invalid fixture that makes them fire (add "
                         "tests/shapes/<Shape>/invalid-<what it breaks>.ttl with its `# expect:` line, see "
                         "docs/validation.md):\n" + "\n".join(missing))
    for key in UNREACHABLE:
        assert any((sf.qname(s), p, sf.qname(c)) == key for s, _, p, c in sf.constraints(shapes_graph)), \
            f"{key} is excused as unreachable but is no constraint of the shapes file"


def test_the_coverage_check_names_a_constraint_added_without_a_fixture(ontology_graph, shapes_graph):
    """The coverage test can fail: a new sh:maxLength on the stance's target, and a new node-level sh:closed on
    the purpose, have no fixture, and both are named."""
    extended = rdflib.Graph()
    for t in shapes_graph:
        extended.add(t)
    target = next(p for p in shapes_graph.objects(SHAPE.StanceShape, SH.property)
                  if shapes_graph.value(p, SH.path) == SCKG.target)
    extended.add((target, SH.maxLength, rdflib.Literal(200)))
    extended.add((SHAPE.PurposeShape, SH.closed, rdflib.Literal(False)))
    assert _unfired(ontology_graph, shapes_graph, extended) == [
        "shape:PurposeShape - sh:ClosedConstraintComponent",
        "shape:StanceShape sckg:target sh:MaxLengthConstraintComponent"]


# ---- severity ---------------------------------------------------------------------------------------

def test_advice_is_a_warning_and_does_not_fail_validation(ontology_graph, shapes_graph):
    from sckg.validation import shacl_violations

    fixture = FIXTURES / "TrainingProtocolsShape" / "invalid-also-an-advisory-review.ttl"
    _, report = run_shacl(_data(ontology_graph, BASE, fixture), shapes_graph)
    violations = shacl_violations(report)
    assert violations and {v.severity for v in violations} == {"Warning"}

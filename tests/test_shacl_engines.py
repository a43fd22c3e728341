"""The Rust SHACL engine (``--shacl-engine rust``, PyPI ``shacl``) may stand in for pySHACL only where it
reports the same results: the same focus nodes, paths, constraint components and severities, on every
shape fixture (valid and invalid) and on the project's data. pySHACL is the reference."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import _shape_fixtures as sf
import pytest
import rdflib
from _support import run_cli
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from sckg.validation import run_shacl, rust_violations, shacl_violations

shacl = pytest.importorskip("shacl")

FIXTURE_FILES = sorted(p for p in sf.FIXTURES.glob("*/*.ttl"))
SHAPES_FILE = Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl"


def _path(graph: rdflib.Graph, path) -> str:
    """A report's sh:resultPath as a SPARQL path of full IRIs, without grouping parentheses (the Rust
    engine writes `(<p>)+` where this writes `<p>+`)."""
    if path is None:
        return "-"
    if isinstance(path, rdflib.URIRef):
        return f"<{path}>"
    if (inverse := graph.value(path, SH.inversePath)) is not None:
        return "^" + _path(graph, inverse)
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        return "|".join(_path(graph, p) for p in Collection(graph, alternatives))
    for modifier, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        if (inner := graph.value(path, modifier)) is not None:
            return _path(graph, inner) + mark
    return "/".join(_path(graph, p) for p in Collection(graph, path))


def _focus(term: str) -> str:
    return "_:" if term.startswith("_:") else term


def _pyshacl_results(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, Counter]:
    conforms, report = run_shacl(data, shapes)
    results = Counter()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(r, SH.focusNode)
        results[(_focus(focus.n3()), _path(report, report.value(r, SH.resultPath)),
                 str(report.value(r, SH.sourceConstraintComponent)),
                 str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1])] += 1
    return conforms, results


def _rust_results(data: rdflib.Graph) -> tuple[bool, Counter]:
    report = shacl.Shapes.from_file(str(SHAPES_FILE)).validate_text(
        data.serialize(format="nt"), format="ntriples", allow_warnings=True)
    results = Counter((_focus(r.focus_node), re.sub(r"[()]", "", r.path or "-"), r.component_iri, r.severity)
                      for r in report.results)
    return bool(report.conforms), results


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rust_engine_reports_what_pyshacl_reports_on_every_shape_fixture(fixture, ontology_graph, shapes_graph):
    data = rdflib.Graph()
    for triple in ontology_graph:
        data.add(triple)
    data.parse(sf.BASE, format="turtle")
    data.parse(fixture, format="turtle")
    reference = _pyshacl_results(data, shapes_graph)
    assert _rust_results(data) == reference
    if fixture.name.startswith("invalid"):
        assert reference[1], "an invalid fixture must make the comparison about results, not only 'conforms'"


def test_both_engines_find_the_project_data_valid_and_agree(project_kg, shapes_graph):
    reference = _pyshacl_results(project_kg.union, shapes_graph)
    assert reference == (True, Counter())
    assert _rust_results(project_kg.union) == reference


def test_rust_violations_take_the_shape_of_pyshacls(ontology_graph, shapes_graph):
    """The gate's Violation records from either engine match field by field (messages come from the
    shapes' sh:message, which every constraint has)."""
    fixture = next(p for p in FIXTURE_FILES if p.name.startswith("invalid"))
    data = rdflib.Graph()
    for triple in ontology_graph:
        data.add(triple)
    data.parse(sf.BASE, format="turtle")
    data.parse(fixture, format="turtle")
    _, report = run_shacl(data, shapes_graph)
    ours = shacl.Shapes.from_file(str(SHAPES_FILE)).validate_text(data.serialize(format="nt"), format="ntriples",
                                                                   allow_warnings=True)

    def fields(vs):
        # blank nodes by kind only: each engine labels them its own way
        return sorted((v.focus if "://" in v.focus else "_:", v.path, v.severity, v.component, v.message,
                       v.shape, v.value if v.value is None or "://" in v.value else "_:") for v in vs)

    assert fields(rust_violations(ours)) == fields(shacl_violations(report))


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_validate_names_the_engine_that_ran(fmt):
    result = run_cli("validate", "--shacl-engine", "rust", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "shacl (Rust)" in result.stdout
    default = run_cli("validate", "--format", fmt)
    assert "pySHACL" in default.stdout and "shacl (Rust)" not in default.stdout

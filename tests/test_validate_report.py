"""`sckg validate --format json|turtle`: the gate's results for tools, as pySHACL's CLI writes them.

The invalid extension breaks two things the shapes and quality checks state: a US state needs an
rdfs:label, and it is part of no other organisation (ontology/shapes.ttl); the undeclared class
sckg:Stat is named by the undeclared-term quality check.
"""

from __future__ import annotations

import json

import pytest
import rdflib
from _support import ROOT, run_cli
from rdflib.namespace import RDF, SH

from sckg.validation import Violation

OREGON = "https://w3id.org/sckg/id/oregon"
PREFIXES = """@prefix sckg: <https://w3id.org/sckg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org:  <http://www.w3.org/ns/org#> .
"""
INVALID = PREFIXES + f"""<{OREGON}> a sckg:State ;
    org:subOrganizationOf <https://w3id.org/sckg/id/dhs> .
<https://w3id.org/sckg/id/salem> a sckg:Stat ; rdfs:label "Salem"@en .
"""
VALID = PREFIXES + f'<{OREGON}> a sckg:State ; rdfs:label "Oregon"@en .\n'


def _write(tmp_path, text):
    path = tmp_path / "oregon.ttl"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json_lists_every_result_with_check_focus_path_component_and_file(tmp_path):
    result = run_cli("validate", "--format", "json", _write(tmp_path, INVALID))
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)  # stdout is the JSON document alone
    assert doc["conforms"] is False and doc["engine"].startswith("pySHACL ")
    shacl = [r for r in doc["results"] if r["check"] == "shacl" and r["focus"] == OREGON]
    assert {r["path"] for r in shacl} >= {"rdfs:label", "org:subOrganizationOf"}
    assert all(r["component"].startswith(str(SH)) and r["file"].endswith("oregon.ttl") for r in shacl)
    assert any(r["check"] == "qc:undeclared-term" and r["focus"].endswith("#Stat") for r in doc["results"])
    assert doc["violations"] == sum(r["severity"] == "Violation" for r in doc["results"])


def test_turtle_is_a_shacl_report_graph_holding_the_quality_check_results_too(tmp_path):
    result = run_cli("validate", "--format", "turtle", _write(tmp_path, INVALID))
    assert result.returncode == 1, result.stderr
    g = rdflib.Graph().parse(data=result.stdout, format="turtle")
    report = g.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    assert g.value(report, SH.conforms).toPython() is False
    results = set(g.objects(report, SH.result))
    paths = {g.value(r, SH.resultPath) for r in results if g.value(r, SH.focusNode) == rdflib.URIRef(OREGON)}
    assert {rdflib.RDFS.label, rdflib.URIRef("http://www.w3.org/ns/org#subOrganizationOf")} <= paths
    sparql = [r for r in results if g.value(r, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent]
    assert sparql and all(str(g.value(r, rdflib.DCTERMS.source)).startswith("qc:") for r in sparql)


def test_a_valid_extension_gives_an_empty_conforming_report(tmp_path):
    result = run_cli("validate", "--format", "json", _write(tmp_path, VALID))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["conforms"] is True and doc["results"] == []


def test_several_shacl_runs_are_gathered_under_one_report():
    from sckg.validation import ValidationReport
    from sckg.validation_report import to_turtle

    runs = rdflib.Graph()
    for n in range(2):  # SHACL runs once per statement: one report each
        run, result = rdflib.BNode(), rdflib.BNode()
        runs.add((run, RDF.type, SH.ValidationReport))
        runs.add((run, SH.conforms, rdflib.Literal(False)))
        runs.add((run, SH.result, result))
        runs.add((result, RDF.type, SH.ValidationResult))
        runs.add((result, SH.focusNode, rdflib.URIRef(f"{OREGON}-{n}")))
    reported = [Violation(check="shacl", focus=f"{OREGON}-{n}", message="violates a shape") for n in range(2)]
    g = rdflib.Graph().parse(data=to_turtle(ValidationReport(violations=reported, report_graph=runs), "pySHACL"),
                             format="turtle")
    report = g.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    assert len(set(g.objects(report, SH.result))) == 2


def test_the_turtle_report_holds_only_the_shacl_results_the_gate_reports_and_each_once():
    # A statement's run also meets nodes another statement describes; the gate sets those results aside
    # (they are the other run's to report), and two runs may give the same result.
    from sckg.validation import ValidationReport
    from sckg.validation_report import to_turtle

    runs = rdflib.Graph()
    for focus in (f"{OREGON}-kept", f"{OREGON}-kept", f"{OREGON}-set-aside"):
        run, result = rdflib.BNode(), rdflib.BNode()
        runs.add((run, RDF.type, SH.ValidationReport))
        runs.add((run, SH.result, result))
        runs.add((result, RDF.type, SH.ValidationResult))
        runs.add((result, SH.focusNode, rdflib.URIRef(focus)))
        runs.add((result, SH.resultSeverity, SH.Violation))
        runs.add((result, SH.resultMessage, rdflib.Literal("no label")))
    kept = [Violation(check="shacl", focus=f"{OREGON}-kept", message="no label")]
    g = rdflib.Graph().parse(data=to_turtle(ValidationReport(violations=kept, report_graph=runs), "pySHACL"),
                             format="turtle")
    report = g.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    foci = [g.value(r, SH.focusNode) for r in g.objects(report, SH.result)]
    assert foci == [rdflib.URIRef(f"{OREGON}-kept")]
    assert g.value(foci and next(g.objects(report, SH.result)), SH.resultMessage) == rdflib.Literal("no label")


@pytest.mark.parametrize("engine", ["pyshacl", "rust"])
def test_the_turtle_report_has_a_result_for_each_result_of_the_json_report(engine):
    # The fixture's first violation has a blank node for its focus; the engines label it their own way.
    fixture = str(ROOT / "tests" / "shapes" / "ActorSetShape" / "invalid-member-a-blank-node.ttl")
    as_json = json.loads(run_cli("validate", "--with", fixture, "--shacl-engine", engine, "--format", "json").stdout)
    turtle = run_cli("validate", "--with", fixture, "--shacl-engine", engine, "--format", "turtle").stdout
    g = rdflib.Graph().parse(data=turtle, format="turtle")
    report = g.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    assert any(r["check"] == "shacl" and "://" not in r["focus"] for r in as_json["results"])
    assert len(set(g.objects(report, SH.result))) == len(as_json["results"]) == 5


def test_a_valid_corpus_has_no_violation_in_its_turtle_report(corpus_root):
    result = run_cli("--root", str(corpus_root), "validate", "--format", "turtle")
    assert result.returncode == 0, result.stderr
    g = rdflib.Graph().parse(data=result.stdout, format="turtle")
    report = g.value(predicate=RDF.type, object=SH.ValidationReport, any=False)
    assert g.value(report, SH.conforms) == rdflib.Literal(True)
    assert list(g.subjects(SH.resultSeverity, SH.Violation)) == []

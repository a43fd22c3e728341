"""Quality checks (queries/qc/*-violation.rq), the vocabulary terms the data uses, and `sckg validate`.

Every quality check returns no rows on the project, and has a fixture that makes it fire:
tests/qc/<check>/ holds files laid out like the project (ontology/..., data/...), copied over a scratch
copy of the project, and expected-focus.txt lists the IRIs the check must report, one per line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import rdflib
from _support import copy_project, run_cli
from rdflib import namespace as rns  # a module, not its names: pytest probes module globals, which

# DefinedNamespaces answer with warnings
import sckg
from sckg import namespaces as ns
from sckg.project import qc_query_files
from sckg.validation import run_qc

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "qc"
QUERIES = qc_query_files(ROOT)
CHECKS = [q.name.removesuffix("-violation.rq") for q in QUERIES]


# ---- the queries ------------------------------------------------------------------------------------

def test_the_required_checks_exist():
    assert {"term-without-label-or-definition", "undeclared-term", "namespace-not-allowed", "orphan-entity",
            "unsourced-context-triple", "blank-node", "claim-triple-not-asserted",
            "outside-context-in-statement"} <= set(CHECKS)


@pytest.mark.parametrize("query", QUERIES, ids=CHECKS)
def test_query_has_a_title_a_description_and_selects_focus_and_message(query):
    text = query.read_text(encoding="utf-8")
    assert re.search(r"^# title: \S", text, re.M), "first lines need '# title: ...'"
    assert re.search(r"^# description: \S", text, re.M), "first lines need '# description: ...'"
    assert re.search(r"SELECT\s+(DISTINCT\s+)?\?focus\s+\?message\b", text), "SELECT ?focus ?message"


@pytest.mark.parametrize("query", QUERIES, ids=CHECKS)
def test_project_passes_the_check(query, project_kg):
    assert [v.describe() for v in run_qc(project_kg, [query])] == []


def test_every_check_has_a_fixture_and_every_fixture_a_check():
    folders = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
    assert folders == sorted(CHECKS)


@pytest.mark.parametrize("check", CHECKS)
def test_fixture_makes_the_check_fire_on_the_expected_focus(check, tmp_path):
    fixture = FIXTURES / check
    project = copy_project(tmp_path / "project")
    for f in (f for f in fixture.rglob("*") if f.is_file() and f.name != "expected-focus.txt"):
        target = project / f.relative_to(fixture)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
    expected = set((fixture / "expected-focus.txt").read_text(encoding="utf-8").split())
    kg = sckg.load(project)
    violations = run_qc(kg, [project / "queries" / "qc" / f"{check}-violation.rq"])
    assert {v.focus for v in violations} == expected
    assert all(v.check == f"qc:{check}" and len(v.message) > 20 for v in violations)


def test_blank_node_check_sees_blank_nodes_that_nothing_named_points_to(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "data" / "entities" / "zz.ttl").write_text(
        '[] a <https://w3id.org/sckg/ontology#SocialGroup> .\n', encoding="utf-8")
    kg = sckg.load(project)
    violations = run_qc(kg, [project / "queries" / "qc" / "blank-node-violation.rq"])
    assert len(violations) == 1 and violations[0].focus.startswith("_:")


def test_qc_on_an_extension_is_reported_with_its_file(tmp_path):
    """A quality-check row names the file its focus node comes from."""
    ext = tmp_path / "my-extension.ttl"
    ext.write_text('<https://w3id.org/sckg/id/ext-org> a <https://w3id.org/sckg/ontology#Organisation> ;\n'
                   '    <http://www.w3.org/2000/01/rdf-schema#label> "Ext"@en .\n', encoding="utf-8")
    kg = sckg.load(ROOT, extra=[ext])
    violations = run_qc(kg, [ROOT / "queries" / "qc" / "undeclared-term-violation.rq"])
    assert [v.focus for v in violations] == [ns.SCKG + "Organisation"]


# ---- external vocabulary terms -------------------------------------------------------------------

# The Web Annotation vocabulary (https://www.w3.org/TR/annotation-vocab/), which rdflib does not ship.
OA_TERMS = {
    "Annotation", "Choice", "CssSelector", "CssStyle", "DataPositionSelector", "Direction", "FragmentSelector",
    "HttpRequestState", "Motivation", "RangeSelector", "ResourceSelection", "Selector", "SpecificResource",
    "State", "Style", "SvgSelector", "TextPositionSelector", "TextQuoteSelector", "TextualBody", "TimeState",
    "XPathSelector", "annotationService", "bodyValue", "cachedSource", "canonical", "end", "exact",
    "hasBody", "hasEndSelector", "hasPurpose", "hasScope", "hasSelector", "hasSource", "hasStartSelector",
    "hasState", "hasTarget", "motivatedBy", "prefix", "processingLanguage", "refinedBy", "renderedVia",
    "sourceDate", "sourceDateEnd", "sourceDateStart", "start", "styleClass", "styledBy", "suffix",
    "textDirection", "via", "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying", "tagging",
    "autoDirection", "ltrDirection", "rtlDirection", "PreferContainedDescriptions", "PreferContainedIRIs",
}
CLOSED = [rns.PROV, rns.ORG, rns.SDO, rns.SKOS, rns.DCTERMS, rns.FOAF, rns.OWL, rns.RDF, rns.RDFS, rns.XSD,
          rns.VOID, rns.DCAT, rns.SH]
OA = ns.OA
VANN_TERMS = {"preferredNamespacePrefix", "preferredNamespaceUri"}


# Predicates whose IRI objects are terms of a vocabulary (a class, a property or a datatype).
TERM_VALUED = {rns.RDF.type, rns.RDFS.subClassOf, rns.RDFS.subPropertyOf, rns.RDFS.domain, rns.RDFS.range,
               rns.OWL.equivalentClass, rns.OWL.equivalentProperty, rns.OWL.disjointWith, rns.OWL.inverseOf,
               rns.SH.targetClass, rns.SH["class"], rns.SH.path, rns.SH.datatype, rns.SH.inversePath,
               rns.SH.lessThan, rns.SH.disjoint, rns.SH.nodeKind, rns.SH.severity}


def _used_terms(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    """Predicates, literal datatypes, and the classes and properties that axioms and shapes name."""
    terms = set()
    for _s, p, o in graph:
        terms.add(p)
        if p in TERM_VALUED and isinstance(o, rdflib.URIRef):
            terms.add(o)
        if isinstance(o, rdflib.Literal) and o.datatype is not None:
            terms.add(o.datatype)
    return terms


def _unknown(terms) -> list[str]:
    unknown = []
    for t in terms:
        iri = str(t)
        if iri.startswith(OA):
            if iri.removeprefix(OA) not in OA_TERMS:
                unknown.append(iri)
        elif iri.startswith(ns.PREFIXES["vann"]):
            if iri.removeprefix(ns.PREFIXES["vann"]) not in VANN_TERMS:
                unknown.append(iri)
        else:
            home = next((n for n in CLOSED if iri.startswith(str(n))), None)
            if home is not None and t not in home:
                unknown.append(iri)
    return sorted(unknown)


def test_external_terms_the_data_uses_exist_in_their_vocabularies(project_kg):
    assert _unknown(_used_terms(project_kg.union)) == []


def test_external_terms_the_shapes_use_exist_in_their_vocabularies(shapes_graph):
    assert _unknown(_used_terms(shapes_graph)) == []


def test_external_term_check_catches_an_invented_term():
    g = rdflib.Graph()
    cap = rdflib.URIRef(ns.DATA + "cap")
    g.add((cap, rdflib.URIRef(ns.SCHEMA + "foundedBY"), rdflib.Literal("x")))
    g.add((cap, rdflib.URIRef(OA + "hasQuote"), rdflib.Literal("x")))
    g.add((cap, rdflib.URIRef(ns.RDF + "type"), rdflib.URIRef(ns.PROV + "Agnt")))
    g.add((rdflib.URIRef(ns.SCKG + "Actor"), rdflib.URIRef(ns.RDFS + "subClassOf"), rdflib.URIRef(ns.ORG + "Agent")))
    assert _unknown(_used_terms(g)) == [OA + "hasQuote", ns.ORG + "Agent", ns.PROV + "Agnt", ns.SCHEMA + "foundedBY"]


# ---- sckg validate ---------------------------------------------------------------------------------

EXT_PREFIXES = """@prefix sckg: <https://w3id.org/sckg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org:  <http://www.w3.org/ns/org#> .
"""


def test_validate_accepts_a_valid_extension(tmp_path):
    ext = tmp_path / "oregon.ttl"
    ext.write_text(EXT_PREFIXES + '<https://w3id.org/sckg/id/oregon> a sckg:State ; rdfs:label "Oregon"@en .\n',
                   encoding="utf-8")
    result = run_cli("validate", "--with", str(ext))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_validate_reports_focus_path_message_and_file_of_an_invalid_extension(tmp_path):
    ext = tmp_path / "oregon.ttl"
    ext.write_text(EXT_PREFIXES + "<https://w3id.org/sckg/id/oregon> a sckg:State ;\n"
                   "    org:subOrganizationOf <https://w3id.org/sckg/id/dhs> .\n", encoding="utf-8")
    result = run_cli("validate", "--with", str(ext))
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert "INVALID" in out
    line = next(line for line in out.splitlines() if "rdfs:label" in line)
    assert "kg:oregon" in line and "Name the actor with an rdfs:label" in line and "oregon.ttl" in line
    assert any("kg:oregon" in line and "org:subOrganizationOf" in line and "A US state is part of no other" in line
               for line in out.splitlines())
    assert "Traceback" not in result.stderr


def test_an_imported_table_validates_as_an_extension():
    # `sckg import-table` writes CSV on the Web terms and declares the table's column properties itself.
    result = run_cli("validate", "data/examples/opt-out-states.ttl")
    assert result.returncode == 0, result.stdout


def test_an_extension_may_not_use_foreign_terms_it_does_not_declare(tmp_path):
    extension = tmp_path / "mine.ttl"
    extension.write_text("<https://example.org/row/1> <https://example.org/vocab/count> 3 .\n", encoding="utf-8")
    result = run_cli("validate", "--with", str(extension))
    assert result.returncode == 1
    assert "https://example.org/vocab/count" in result.stdout
    assert "namespace-not-allowed" in result.stdout


def test_an_extension_may_use_terms_it_declares_and_labels(tmp_path):
    extension = tmp_path / "mine.ttl"
    extension.write_text(
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://example.org/vocab/count> a rdf:Property ; rdfs:label \"count\" .\n"
        "<https://example.org/row/1> <https://example.org/vocab/count> 3 .\n", encoding="utf-8")
    result = run_cli("validate", "--with", str(extension))
    assert result.returncode == 0, result.stdout


def test_a_broken_quality_check_names_its_file_instead_of_a_traceback(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "queries" / "qc" / "broken-violation.rq").write_text("SELECT ?focus WHERE { ?focus ", encoding="utf-8")
    result = run_cli("--root", str(project), "validate")
    assert result.returncode == 1
    assert "broken-violation.rq: the quality check is not valid SPARQL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_misattributed_claim_names_its_statement_and_the_expected_holder(tmp_path):
    """The fixture of misattributed-item: the fictional sheriffs' statement with a claim and a stance
    credited to another organisation, and a claim credited to another statement's speaker. The message
    says whose statement it is, its speaker, and whom to credit."""
    fixture = FIXTURES / "misattributed-item"
    project = copy_project(tmp_path / "project")
    shutil.copytree(fixture / "data", project / "data", dirs_exist_ok=True)
    kg = sckg.load(project)
    violations = run_qc(kg, [project / "queries" / "qc" / "misattributed-item-violation.rq"])
    credited = {v.focus.rsplit("/", 1)[-1]: v.message for v in violations}
    assert set(credited) == {"program-works", "welcomes-training", "credited-to-another-speaker"}
    for item, message in credited.items():
        assert "in statement kg:fx-sheriffs-2011-06-21" in message and "(speaker kg:fx-dale-hartman)" in message
        assert "attribute it to kg:fx-prairie-sheriffs" in message
        assert (" is kg:marshall-fitz," if item == "credited-to-another-speaker" else " is kg:cap,") in message


def test_the_claim_shape_no_longer_names_one_statements_publisher(shapes_graph):
    messages = [str(m) for m in shapes_graph.objects(None, rns.SH.message)]
    assert not [m for m in messages if "kg:cap" in m and "for this statement" in m]

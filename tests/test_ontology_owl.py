"""The ontology as OWL tools see it: the OWL API's OWL 2 DL profile checker (the one ROBOT uses) and
the Pellet reasoner, both run from the jars that the PyPI package owlready2 bundles (OWL API 3.4.3,
Pellet 2.3.1) with a Java runtime (Debian: default-jre-headless). tests/owl/OwlCheck.java is the driver,
launched as a single source file, so no jar or class file is kept in the repository."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest
from _support import ROOT

from sckg import namespaces as ns

DRIVER = ROOT / "tests" / "owl" / "OwlCheck.java"
FIXTURES = ROOT / "tests" / "owl"


@pytest.fixture(scope="module")
def owl_classpath() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.skip("no Java runtime (Debian: apt-get install default-jre-headless)")
    spec = importlib.util.find_spec("owlready2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("owlready2 is not installed (pip install -e '.[test]')")
    jars = sorted((Path(spec.submodule_search_locations[0]) / "pellet").glob("*.jar"))
    assert jars, "owlready2 ships no pellet/*.jar: its layout changed"
    return ":".join(str(j) for j in jars)


def _owl_check(classpath: str, mode: str, document: Path) -> list[str]:
    done = subprocess.run(["java", "-cp", classpath, str(DRIVER), mode, str(document)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


def _turtle(graph, path: Path) -> Path:
    graph.serialize(path, format="turtle")
    return path


def test_ontology_has_no_owl2_dl_profile_violation(owl_classpath, project_kg, tmp_path):
    # graph/ontology is every file under ontology/ but the shapes: what dist/ontology.ttl ships.
    doc = _turtle(project_kg.named_graph(ns.GRAPH_ONTOLOGY), tmp_path / "ontology.ttl")
    lines = _owl_check(owl_classpath, "profile", doc)
    assert lines[-1] == "violations: 0", "\n".join(lines[:20])


def test_owl2_dl_profile_check_reports_punning_reserved_vocabulary_and_undeclared_class(owl_classpath):
    lines = _owl_check(owl_classpath, "profile", FIXTURES / "punned-and-reserved.ttl")
    kinds = {line.split(":", 1)[0] for line in lines[:-1]}
    assert {"IllegalPunning", "UseOfReservedVocabularyForClassIRI", "UseOfUndeclaredClass"} <= kinds, lines
    assert any("fixture#code" in line for line in lines if line.startswith("IllegalPunning"))
    assert any("Undeclared" in line for line in lines if line.startswith("UseOfUndeclaredClass"))
    assert lines[-1] != "violations: 0"


def test_pellet_finds_ontology_and_all_data_consistent_with_no_unsatisfiable_class(owl_classpath, project_kg,
                                                                                    tmp_path):
    doc = _turtle(project_kg.union, tmp_path / "all.ttl")
    lines = _owl_check(owl_classpath, "pellet", doc)
    assert lines[0] == "consistent: true", "\n".join(lines)
    assert [line for line in lines if line.startswith("unsatisfiable:")] == []


def test_pellet_check_fires_on_an_organisation_that_is_also_a_person(owl_classpath, project_kg, tmp_path):
    import rdflib

    graph = project_kg.union
    broken = rdflib.Graph()
    for triple in graph:
        broken.add(triple)
    # sckg:Person owl:disjointWith sckg:Organization, and the entities make kg:cap a think tank.
    broken.add((rdflib.URIRef(ns.DATA + "cap"), rdflib.RDF.type, rdflib.URIRef(ns.SCKG + "Person")))
    lines = _owl_check(owl_classpath, "pellet", _turtle(broken, tmp_path / "broken.ttl"))
    assert lines[0] == "consistent: false"
    assert ns.DATA + "cap" in lines[1]

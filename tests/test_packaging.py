"""Packaging promises: one version source, licences shipped, a citation file that names the version."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import rdflib
from rdflib.namespace import OWL

import sckg
from sckg import namespaces as ns

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_version_comes_from_sckg_version_alone():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in meta["project"], "pyproject.toml must not state a second version"
    assert "version" in meta["project"]["dynamic"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "sckg.__version__"}


def test_the_ontology_version_agrees_with_the_package_version():
    g = rdflib.Graph().parse(ROOT / "ontology" / "sckg.ttl")
    ontology = rdflib.URIRef(ns.ONTOLOGY_IRI)
    assert str(g.value(ontology, OWL.versionInfo)) == sckg.__version__
    assert str(g.value(ontology, OWL.versionIRI)) == f"{ns.ONTOLOGY_IRI}/{sckg.__version__}"


def test_the_citation_file_names_the_package_version():
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf'^version: "{re.escape(sckg.__version__)}"$', citation, re.M)


def test_every_licence_file_the_metadata_names_exists():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == "MIT"
    for name in meta["project"]["license-files"]:
        assert (ROOT / name).is_file(), name

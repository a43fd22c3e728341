"""Packaging promises: one version source, licences shipped, a citation file that names the version,
type information in the wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
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


@pytest.mark.timeout(900)  # an isolated build installs setuptools first; slow on a loaded machine
def test_the_wheel_ships_py_typed_so_type_checkers_read_the_annotations(tmp_path):
    # PEP 561: without the marker file in the installed package, mypy ignores sckg's annotations.
    # Built from a copy of what the wheel is made of, so that no build/ folder lands in the checkout.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE", "LICENSE-DATA"):
        shutil.copy2(ROOT / name, source / name)
    for folder in ("src", "ontology", "data", "queries"):
        shutil.copytree(ROOT / folder, source / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    names = zipfile.ZipFile(next(out.glob("sckg-*.whl"))).namelist()
    assert "sckg/py.typed" in names

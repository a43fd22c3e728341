"""Fixtures shared by the tests: the project graph, the ontology and the shapes, each built once."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_kg():
    """The project's knowledge graph, through the one loader. Tests must not modify it."""
    import sckg

    return sckg.load(ROOT)


@pytest.fixture(scope="session")
def ontology_graph():
    """The ontology and its SKOS schemes as one rdflib graph (what SHACL needs to follow subclasses)."""
    import rdflib

    g = rdflib.Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")) + sorted((ROOT / "ontology" / "vocab").glob("*.ttl")):
        if path.name != "shapes.ttl":
            g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="session")
def shapes_graph():
    from sckg.project import shapes_file
    from sckg.validation import load_shapes

    return load_shapes(shapes_file(ROOT))

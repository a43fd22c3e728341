"""docs/ontology.md is generated from the ontology; it must be current and complete."""

from __future__ import annotations

from _support import ROOT

import sckg
from sckg import namespaces as ns
from sckg.ontology_docs import render


def test_committed_ontology_reference_is_current():
    assert (ROOT / "docs" / "ontology.md").read_text(encoding="utf-8") == render(sckg.load()), \
        "docs/ontology.md is stale: run `sckg docs`"


def test_reference_lists_every_sckg_class_and_property():
    kg = sckg.load()
    text = render(kg)
    terms = [r["t"].value for r in kg.sparql(f"""SELECT ?t WHERE {{ GRAPH <{ns.GRAPH_ONTOLOGY}> {{
        VALUES ?k {{ owl:Class owl:ObjectProperty owl:DatatypeProperty }} ?t a ?k
        FILTER(STRSTARTS(STR(?t), STR(sckg:))) }} }}""")]
    assert len(terms) > 50
    for term in terms:
        assert f"`{ns.curie(term)}`" in text, term


def test_an_ontology_without_title_or_version_is_named_not_a_traceback(tmp_path):
    from _support import copy_project, replace_in, run_cli

    project = copy_project(tmp_path / "project")
    replace_in(project / "ontology" / "sckg.ttl", '    owl:versionInfo "0.1.0" ;\n', "")
    result = run_cli("--root", str(project), "docs", "-o", "-")
    assert result.returncode == 1
    assert "needs a dcterms:title and an owl:versionInfo" in result.stderr and "Traceback" not in result.stderr

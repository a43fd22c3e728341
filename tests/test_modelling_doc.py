"""docs/modelling.md stays true: its diagram shows the ontology's core classes and only them, and each
worked query runs over the project's data with answers that agree with the source texts (every quote it
returns is the text at its offsets) and with the decision the section describes."""

from __future__ import annotations

import re
import shutil

import pytest
from _support import ROOT

from sckg import class_diagram
from sckg import namespaces as ns

DOC = ROOT / "docs" / "modelling.md"
SVG = ROOT / "docs" / "images" / "core-classes.svg"


def _queries() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- query: ([\w-]+) -->\n```sparql\n(.*?)```", text, re.DOTALL))


@pytest.fixture(scope="module")
def texts(project_kg) -> dict[str, str]:
    """Each statement's IRI -> its source text, as the loader read it."""
    return {g.document: g.source_path.read_text(encoding="utf-8") for g in project_kg.groundings}


def _rows(kg, name):
    rows = list(kg.sparql(_queries()[name]))
    assert rows, f"the {name} query of docs/modelling.md answers nothing"
    return rows


def _assert_quotes_are_the_text(rows, texts):
    for row in rows:
        text = texts[row["doc"].value]
        start, end = int(row["start"].value), int(row["end"].value)
        assert text[start:end] == row["quote"].value


def test_every_section_has_its_query():
    assert set(_queries()) == {"grounding", "voice", "stance", "arguments", "causes", "outside-context"}


def test_the_diagram_shows_exactly_the_core_classes_each_a_class_of_the_ontology(project_kg):
    classes = {r["c"].value for r in project_kg.sparql("SELECT ?c WHERE { ?c a owl:Class }")}
    assert set(class_diagram.CORE_CLASSES) <= classes
    dot = class_diagram.to_dot(project_kg)
    nodes = set(re.findall(r'^  "([^"]+)" \[label=', dot, re.MULTILINE))
    assert nodes == {ns.curie(c) for c in class_diagram.CORE_CLASSES}
    drawn = {ns.curie(x) for a, b, _ in class_diagram.edges(project_kg) for x in (a, b)}
    assert drawn <= nodes


def test_each_edge_of_the_diagram_is_in_the_ontology(project_kg):
    for a, b, via in class_diagram.edges(project_kg):
        if via == "subClassOf":
            assert project_kg.sparql(f"ASK {{ <{a}> rdfs:subClassOf <{b}> }}")
        else:
            assert project_kg.sparql(f"ASK {{ <{via}> rdfs:domain <{a}> ; rdfs:range <{b}> }}")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_the_committed_svg_is_the_one_sckg_docs_draws(project_kg):
    committed = SVG.read_text(encoding="utf-8")
    for cls in class_diagram.CORE_CLASSES:  # Graphviz titles each node by its DOT id
        assert f"<title>{ns.curie(cls)}</title>" in committed, f"{SVG.name} is stale: run `sckg docs`"
    drawn = class_diagram.render_svg(project_kg).decode("utf-8")
    assert re.findall(r"<title>(.*?)</title>", drawn) == re.findall(r"<title>(.*?)</title>", committed)


def test_grounding_every_quote_is_the_text_at_its_offsets(project_kg, texts):
    _assert_quotes_are_the_text(_rows(project_kg, "grounding"), texts)


def test_voice_grounded_items_are_asserted_or_reported(project_kg, texts):
    rows = _rows(project_kg, "voice")
    _assert_quotes_are_the_text(rows, texts)
    assert {r["voice"].value for r in rows} <= {ns.SCKG + "voiceAsserted", ns.SCKG + "voiceReported"}


def test_stance_rows_are_grounded_and_have_a_polarity_concept(project_kg, texts):
    rows = _rows(project_kg, "stance")
    _assert_quotes_are_the_text(rows, texts)
    polarities = {r["c"].value for r in project_kg.sparql("SELECT ?c WHERE { ?c skos:inScheme ?s . "
                                                          "?s a skos:ConceptScheme }")}
    assert all(r["polarity"].value in polarities for r in rows)


def test_arguments_join_grounded_premises_to_a_conclusion(project_kg, texts):
    rows = _rows(project_kg, "arguments")
    _assert_quotes_are_the_text(rows, texts)
    assert {r["kind"].value for r in rows} <= {ns.SCKG + k for k in ("ArgumentRelation", "Support", "Inference",
                                                                     "Attack")}


def test_causes_hang_off_a_grounded_causal_claim(project_kg, texts):
    rows = _rows(project_kg, "causes")
    _assert_quotes_are_the_text(rows, texts)
    for row in rows:
        assert project_kg.sparql(f"ASK {{ <{row['claim'].value}> a sckg:CausalClaim }}")


def test_outside_context_facts_have_a_source_and_no_anchor(project_kg):
    rows = _rows(project_kg, "outside-context")
    assert all(r["anchor"] is None for r in rows)

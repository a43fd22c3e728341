"""sckg.query_answer: an Oxigraph SELECT kept as TSV writes every format as the JSON path did, and
the spreadsheet rule (a text cell starting with = + - @ gets an apostrophe) holds on the TSV scan."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from sckg.query_answer import Answer

XSD = "http://www.w3.org/2001/XMLSchema#"
CELLS = [ox.Literal("=1+1"), ox.Literal("+x"), ox.Literal("-y", language="en"), ox.Literal("@z"),
         ox.Literal("\tindented"), ox.Literal("\rreturn"), ox.Literal("plain"),
         ox.Literal("-3", datatype=ox.NamedNode(XSD + "integer")),
         ox.Literal("-2020-01-01", datatype=ox.NamedNode(XSD + "date")), ox.NamedNode("urn:x:-iri"),
         ox.Literal("line\nbreak")]


def _answer(cells, fmt=ox.QueryResultsFormat.TSV) -> Answer:
    store = ox.Store()
    store.bulk_extend(ox.Quad(ox.NamedNode(f"urn:x:{i}"), ox.NamedNode("urn:x:p"), cell, ox.NamedNode("urn:x:g"))
                      for i, cell in enumerate(cells))
    result = store.query("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s", use_default_graph_as_union=True)
    return Answer("SELECT", "oxigraph", result.serialize(format=fmt), fmt)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_a_tsv_document_writes_what_a_json_one_does(fmt):
    assert _answer(CELLS).serialize(fmt) == _answer(CELLS, ox.QueryResultsFormat.JSON).serialize(fmt)
    assert _answer(CELLS).cells() == _answer(CELLS, ox.QueryResultsFormat.JSON).cells()


def test_text_cells_that_start_a_formula_get_an_apostrophe_and_typed_values_do_not():
    safe = {row["s"]: row["o"] for row in _answer(CELLS).spreadsheet_safe().cells()}
    by_cell = {cell.value: safe[f"urn:x:{i}"] for i, cell in enumerate(CELLS)}
    for text in ("=1+1", "+x", "-y", "@z", "\tindented", "\rreturn"):
        assert by_cell[text] == "'" + text
    for left in ("plain", "-3", "-2020-01-01", "urn:x:-iri", "line\nbreak"):
        assert by_cell[left] == left


def test_without_a_formula_cell_the_answer_is_not_rewritten():
    answer = _answer([c for c in CELLS if c.value in ("plain", "-3", "urn:x:-iri", "line\nbreak")])
    assert answer.spreadsheet_safe() is answer


def test_an_empty_answer_is_empty_without_reading_its_rows():
    answer = _answer([])
    assert answer.empty and "rows" not in answer.__dict__
    assert not _answer(CELLS).empty

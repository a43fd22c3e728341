"""The Python API: ``sckg.load()`` then ``kg.query(...)`` and ``kg.to_dataframe(...)``, as a researcher
uses them in a notebook. Expected values are read off the statement and its outside context."""

from __future__ import annotations

import datetime
import sys

import pytest
from _support import ROOT, expected_rows, statement_folders, statement_iri, statement_params

import sckg
from sckg import namespaces as ns
from sckg.errors import UsageError


@pytest.fixture(scope="module")
def kg():
    return sckg.load(ROOT)


@pytest.mark.parametrize("folder", statement_params())
def test_query_by_name_returns_rows_with_named_fields(kg, folder):
    """Each statement's rows of a library question, as named fields, are its expected answer."""
    rows = [r for r in kg.query("stances-matrix", curies=True) if r.statement == ns.curie(statement_iri(folder))]
    assert kg.query("stances-matrix").variables == ["statement", "publisher", "holder", "target", "polarity",
                                                    "voice", "stance"]
    expected = expected_rows(folder, "stances-matrix")   # one row per sckg:Stance of the statement
    assert len(rows) == len(expected)
    welcomed = {r.target for r in rows if r.polarity == "sckg:polarityWelcomes"}
    assert welcomed == {e["target"] for e in expected if e["polarity"] == "sckg:polarityWelcomes"}


@pytest.mark.parametrize("folder", statement_params())
def test_query_with_sparql_text_and_typed_values(kg, folder):
    graph = ns.GRAPH_STATEMENT_PREFIX + folder.name
    rows = kg.query(f"SELECT ?n (COUNT(DISTINCT ?c) AS ?claims) WHERE {{ GRAPH <{graph}> {{ ?c a ?class ; "
                    "sckg:hasAnchor/sckg:inSentence/sckg:sentenceNumber ?n } ?class rdfs:subClassOf* sckg:Claim } "
                    "GROUP BY ?n ORDER BY ?n")
    expected = sorted(expected_rows(folder, "grounding-claims-per-sentence"), key=lambda e: int(e["sentence"]))
    assert [r.n for r in rows] == [int(e["sentence"]) for e in expected]       # xsd:integer -> int
    assert [r.claims for r in rows] == [int(e["claims"]) for e in expected]
    [row] = kg.query("SELECT ?d WHERE { kg:ice-announcement-2011-06 schema:startDate ?d }")
    assert row.d == datetime.date(2011, 6, 17)            # xsd:date -> datetime.date


@pytest.mark.parametrize("folder", statement_params())
def test_curies_make_iris_short(kg, folder):
    rows = [tuple(r) for r in kg.query("causal-root-causes", curies=True)]
    for e in expected_rows(folder, "causal-root-causes"):
        assert (e["statement"], e["publisher"], e["root"], int(e["effects"])) in rows


def test_ask_gives_a_boolean(kg):
    assert bool(kg.query("ASK { ?s a sckg:Recommendation }")) is True
    assert bool(kg.query("ASK { kg:cap sckg:speaksFor kg:dhs }")) is False


def test_unbound_is_none(kg):
    [row] = kg.query("SELECT ?x ?missing WHERE { BIND(kg:cap AS ?x) OPTIONAL { kg:cap sckg:nothing ?missing } }")
    assert row.x == "https://w3id.org/sckg/id/cap" and row.missing is None


def test_both_engines_answer_the_same(kg):
    ours = sorted(kg.query("causal-chains"))
    theirs = sorted(kg.query("causal-chains", engine="rdflib"))
    assert ours == theirs
    assert len(ours) == sum(len(expected_rows(f, "causal-chains")) for f in statement_folders())


def test_construct_gives_triples(kg):
    rows = kg.query("CONSTRUCT { ?doc sckg:speaker ?who } WHERE { ?doc sckg:speaker ?who }", curies=True)
    expected = {(ns.curie(statement_iri(f)), "sckg:speaker", e["speaker"])
                for f in statement_folders() for e in expected_rows(f, "actors-speaker")}
    assert sorted(tuple(r) for r in rows) == sorted(expected)


def test_unknown_name_and_bad_sparql_raise_usage_errors(kg):
    with pytest.raises(UsageError, match="did you mean stances-matrix"):
        kg.query("stances-matrx")
    with pytest.raises(UsageError, match="line 1, column"):
        kg.query("SELECT ?s WHERE { ?s ?p }")


def test_to_dataframe(kg):
    pd = pytest.importorskip("pandas", reason="pandas is the optional extra [pandas]")
    df = kg.to_dataframe("context-opt-out-states")
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["state", "stateLabel", "date", "source", "sourceLabel"]
    assert list(df["stateLabel"]) == ["Illinois", "New York", "Massachusetts"]  # ordered by date


def test_to_dataframe_without_pandas_names_the_extra(kg, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes "import pandas" fail as if not installed
    with pytest.raises(UsageError, match=r"pip install -e '\.\[pandas\]'"):
        kg.to_dataframe("stances-matrix")


def test_library_is_importable_from_the_package():
    names = [q.name for q in sckg.list_queries(ROOT)]
    assert "stances-matrix" in names
    assert sckg.get_query("stances-matrix", ROOT).form == "SELECT"


def test_a_parameter_is_bound_as_a_keyword_or_through_params(kg):
    by_keyword = kg.query("stances-welcomed-vs-faulted", holder="kg:cap", curies=True)
    by_dict = kg.query("stances-welcomed-vs-faulted", params={"holder": "https://w3id.org/sckg/id/cap"}, curies=True)
    assert by_keyword == by_dict and {r.holder for r in by_keyword} == {"kg:cap"}
    assert kg.query("stances-welcomed-vs-faulted", holder="kg:nobody") == []


def test_an_unknown_parameter_is_refused_with_the_ones_the_query_takes(kg):
    with pytest.raises(UsageError, match="unknown parameter holdr; it takes holder"):
        kg.query("stances-welcomed-vs-faulted", holdr="kg:cap")


def test_a_parameter_value_is_bound_not_pasted_into_the_query(kg):
    """A value that would change the query if pasted into its text is just a string that matches nothing."""
    assert kg.query("stances-welcomed-vs-faulted", holder='x" } UNION { ?s ?p ?o } #') == []

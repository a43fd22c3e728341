"""The Python API: ``sckg.load()`` then ``kg.query(...)`` and ``kg.to_dataframe(...)``, as a researcher
uses them in a notebook. Expected values are read off the statement and its outside context."""

from __future__ import annotations

import datetime
import sys

import pytest

import sckg
from _support import ROOT
from sckg.errors import UsageError


@pytest.fixture(scope="module")
def kg():
    return sckg.load(ROOT)


def test_query_by_name_returns_rows_with_named_fields(kg):
    rows = kg.query("stances-matrix")
    assert rows.variables == ["statement", "publisher", "holder", "target", "polarity", "voice", "stance"]
    assert len(rows) == 9  # nine sckg:Stance in statement.ttl
    welcomed = {r.target for r in rows if r.polarity.endswith("#polarityWelcomes")}
    assert welcomed == {"https://w3id.org/sckg/id/change-training-protocols",
                        "https://w3id.org/sckg/id/change-transparency-initiative",
                        "https://w3id.org/sckg/id/change-prosecutorial-discretion"}


def test_query_with_sparql_text_and_typed_values(kg):
    # ?c a sckg:Claim finds every claim: the build's inferred graph holds the superclass types.
    rows = kg.query("SELECT ?n (COUNT(?c) AS ?claims) WHERE { ?c a sckg:Claim ; "
                    "sckg:hasAnchor/sckg:inSentence/sckg:sentenceNumber ?n } GROUP BY ?n ORDER BY ?n")
    # xsd:integer -> int. Sentences 1-4 and 26 are heading and contact lines (document metadata, no claims).
    assert [r.n for r in rows] == list(range(5, 26))
    assert rows[2].claims == 4                            # sentence 7: three announced changes and the review
    [row] = kg.query("SELECT ?d WHERE { kg:ice-announcement-2011-06 schema:startDate ?d }")
    assert row.d == datetime.date(2011, 6, 17)            # xsd:date -> datetime.date


def test_curies_make_iris_short(kg):
    rows = kg.query("causal-root-causes", curies=True)
    assert ("kg:cap-2011-06-17", "kg:cap", "kg:ph-pre-conviction-flagging", 3) in [tuple(r) for r in rows]


def test_ask_gives_a_boolean(kg):
    assert bool(kg.query("ASK { ?s a sckg:Recommendation }")) is True
    assert bool(kg.query("ASK { kg:cap sckg:speaksFor kg:dhs }")) is False


def test_unbound_is_none(kg):
    [row] = kg.query("SELECT ?x ?missing WHERE { BIND(kg:cap AS ?x) OPTIONAL { kg:cap sckg:nothing ?missing } }")
    assert row.x == "https://w3id.org/sckg/id/cap" and row.missing is None


def test_both_engines_answer_the_same(kg):
    ours = sorted(kg.query("causal-chains"))
    theirs = sorted(kg.query("causal-chains", engine="rdflib"))
    assert ours == theirs and len(ours) == 10


def test_construct_gives_triples(kg):
    rows = kg.query("CONSTRUCT { ?doc sckg:speaker ?who } WHERE { ?doc sckg:speaker ?who }", curies=True)
    assert [tuple(r) for r in rows] == [("kg:cap-2011-06-17", "sckg:speaker", "kg:marshall-fitz")]


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

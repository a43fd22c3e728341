"""FROM / FROM NAMED mean the same on every route: `sckg query`, `kg.query()` / `kg.to_dataframe()`
and a real `sckg serve` endpoint (SPARQL 1.1 Query, 13.2: the dataset clauses define the query's
dataset). Only a query that names no dataset gets the union of all named graphs as its default graph.

The expected counts are not copied from a run: each is derived from GRAPH patterns over the union,
which select one named graph explicitly, so FROM <g> must count what GRAPH <g> holds.
"""

from __future__ import annotations

import csv
import io
import warnings

import pytest
from _support import built_project, run_cli
from test_server import Server

GRAPH = "https://w3id.org/sckg/graph/"
LINKS, ONTOLOGY = GRAPH + "links", GRAPH + "ontology"
UNKNOWN = "http://example.org/no-such-graph"

QUERIES = {
    "no dataset": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "FROM links": f"SELECT (COUNT(*) AS ?n) FROM <{LINKS}> WHERE {{ ?s ?p ?o }}",
    "FROM links, prefixed": "PREFIX g: <https://w3id.org/sckg/graph/> SELECT (COUNT(*) AS ?n) FROM g:links "
                            "WHERE { ?s ?p ?o }",
    "FROM links FROM ontology": f"SELECT (COUNT(*) AS ?n) FROM <{LINKS}> FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}",
    "FROM unknown": f"SELECT (COUNT(*) AS ?n) FROM <{UNKNOWN}> WHERE {{ ?s ?p ?o }}",
    "FROM NAMED links, GRAPH ?g": f"SELECT (COUNT(*) AS ?n) FROM NAMED <{LINKS}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "FROM NAMED links, default graph": f"SELECT (COUNT(*) AS ?n) FROM NAMED <{LINKS}> WHERE {{ ?s ?p ?o }}",
    "FROM NAMED unknown, GRAPH ?g":
        f"SELECT (COUNT(*) AS ?n) FROM NAMED <{UNKNOWN}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
}


def graph_count(kg, graph: str) -> int:
    return kg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")[0].n


def distinct_union_count(kg, *graphs: str) -> int:
    """Triples of several graphs merged (a triple in two of them counts once, as in RDF merge)."""
    values = " ".join(f"<{g}>" for g in graphs)
    return kg.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { VALUES ?g { "
                    + values + " } GRAPH ?g { ?s ?p ?o } } }")[0].n


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return built_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def kg(project):
    import sckg

    return sckg.load(project)


@pytest.fixture(scope="module")
def expected(kg) -> dict[str, int]:
    links, ontology = graph_count(kg, LINKS), graph_count(kg, ONTOLOGY)
    assert 0 < links < len(kg) and 0 < ontology < len(kg)  # otherwise the test could not tell FROM apart
    return {
        # The union default graph is the RDF merge of the named graphs: a triple held by two graphs counts once.
        "no dataset": distinct_union_count(kg, *kg.graph_names()),
        "FROM links": links,
        "FROM links, prefixed": links,
        "FROM links FROM ontology": distinct_union_count(kg, LINKS, ONTOLOGY),
        "FROM unknown": 0,
        "FROM NAMED links, GRAPH ?g": links,
        "FROM NAMED links, default graph": 0,  # FROM NAMED alone leaves the default graph empty
        "FROM NAMED unknown, GRAPH ?g": 0,
    }


@pytest.fixture(scope="module")
def server(project):
    srv = Server(project, "--workers", "1")
    yield srv
    srv.stop()


def cli_count(project, query: str) -> tuple[int, str]:
    result = run_cli("--root", str(project), "query", "-e", query, "-f", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    return int(rows[0]["n"]), result.stderr


def test_cli_api_and_endpoint_agree_on_from_and_from_named(project, kg, expected, server):
    answers = {}
    for name, query in QUERIES.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            api = kg.query(query)[0].n
            api_rdflib = kg.query(query, engine="rdflib")[0].n
            frame = int(kg.to_dataframe(query)["n"][0])
        cli, _ = cli_count(project, query)
        response = server.client.get("/sparql", params={"query": query})
        assert response.status_code == 200, response.text
        endpoint = int(response.json()["results"]["bindings"][0]["n"]["value"])
        answers[name] = {"expected": expected[name], "cli": cli, "kg.query": api, "kg.query rdflib": api_rdflib,
                         "to_dataframe": frame, "endpoint": endpoint}
    wrong = {name: a for name, a in answers.items() if len(set(a.values())) != 1}
    if set(wrong) == {"no dataset"} and expected["no dataset"] < len(kg):
        # Only when a triple sits in several graphs (two statements asserting one shared fact): Oxigraph 0.5
        # counts it once per graph in the union default graph (upstream oxigraph/oxigraph#1919); rdflib
        # counts it once, as SPARQL's RDF merge does. docs/queries.md says how to query around it.
        pytest.xfail(f"Oxigraph's union default graph repeats shared triples: {wrong}")
    assert not wrong, wrong


def test_unknown_graph_is_named_on_every_route(project, kg, server):
    query = QUERIES["FROM unknown"]
    _, stderr = cli_count(project, query)
    assert "warning:" in stderr and f"<{UNKNOWN}>" in stderr
    from sckg.querying import UnknownGraphsWarning

    with pytest.warns(UnknownGraphsWarning, match=UNKNOWN):
        result = kg.query(query)
    assert result.unknown_graphs == [UNKNOWN]
    with pytest.warns(UnknownGraphsWarning, match=UNKNOWN):
        kg.to_dataframe(query)
    response = server.client.get("/sparql", params={"query": query})
    assert response.headers["X-SCKG-Unknown-Graphs"] == f"<{UNKNOWN}>"


def test_known_graphs_give_no_warning(kg):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = kg.query(QUERIES["FROM links"])
    assert result.unknown_graphs == []


def test_rdflib_engine_never_fetches_an_unknown_from_graph(kg, tmp_path):
    """rdflib would parse FROM <file:...> from disk; sckg never fetches, so the graph is empty."""
    secret = tmp_path / "secret.nt"
    secret.write_text("<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    query = f"SELECT (COUNT(*) AS ?n) FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"
    with pytest.warns(UserWarning, match="does not have"):
        rdflib_rows = kg.query(query, engine="rdflib")
    assert rdflib_rows[0].n == 0
    with pytest.warns(UserWarning, match="does not have"):
        oxigraph_rows = kg.query(query)
    assert oxigraph_rows[0].n == 0


# ---- the cheap test before rdflib's parse: FROM outside strings, IRIs and comments --------------------

@pytest.mark.parametrize(("query", "may"), [
    *((text, True) for text in QUERIES.values() if "FROM" in text),
    ("select * from<urn:x:g> where {}", True),
    ("SELECT (?a<?b AS ?c)FROM<urn:x:g> WHERE {}", True),  # '<' as less-than is no IRI
    ("SELECT * #a comment\nFROM <urn:x:a#b> WHERE {}", True),
    ("SELECT * \\u0046ROM <urn:x:g> WHERE {}", True),  # an escape can spell the keyword: always parsed
    ("# Actors known only from outside context\nSELECT * WHERE { ?s ?p ?o }", False),
    ('SELECT * WHERE { ?s ?p "from x" }', False),
    ('SELECT * WHERE { ?s ?p """a "quoted" from""" }', False),
    ('SELECT * WHERE { ?s ?p "x\\" from" }', False),
    ("SELECT * WHERE { ?s <http://example.org/from#p> ?o }", False),
    ("SELECT * WHERE { ?from ?p ?o . ?s ex:from ?o . ?o from:x ?s }", False),
])
def test_a_query_that_cannot_name_a_dataset_skips_the_parse(query, may):
    from sckg.query_dataset import declared, may_name_dataset

    assert may_name_dataset(query) is may
    if not may:
        assert declared(query).has_dataset is False


def test_the_cheap_test_agrees_with_the_parse_on_every_library_question():
    """Their header comments say "from": only a question that really names a dataset pays the parse."""
    from _support import ROOT

    from sckg.library import list_queries
    from sckg.query_dataset import _declared_cached, may_name_dataset

    for q in list_queries(ROOT):
        assert may_name_dataset(q.text) is _declared_cached(q.text).has_dataset, q.name

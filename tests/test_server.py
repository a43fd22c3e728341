"""`sckg serve` against real clients: the SPARQL 1.1 Protocol, content negotiation, and the safety
matrix (read-only, no SERVICE, no fetching FROM, timeouts, caps, no tracebacks, CORS off by default).

Each server runs as a user would start it (`sckg serve --port 0`) in a subprocess, on 127.0.0.1, over
a scratch copy of the project built with `sckg build` (so the dumps exist). Expected answers come from
the statement's text: CAP welcomes three announced changes ("new training protocols, a transparency
initiative, and a strong reaffirmation of prosecutorial discretion"), and the stances are held by CAP
and by the jurisdictions that opted out.
"""

from __future__ import annotations

import csv
import io
import os
import select
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from _support import copy_project, expected_rows, run_cli, statement_folders

KG = "https://w3id.org/sckg/id/"
SCKG = "https://w3id.org/sckg/ontology#"
GRAPH = "https://w3id.org/sckg/graph/"
STATEMENT_GRAPH = GRAPH + "statement/cap-2011-06-17"
WELCOMED = {KG + "change-training-protocols", KG + "change-transparency-initiative",
            KG + "change-prosecutorial-discretion"}
WELCOMED_QUERY = "SELECT ?target WHERE { ?s a sckg:Stance ; sckg:polarity sckg:polarityWelcomes ; sckg:target ?target }"
HOLDERS_QUERY = "SELECT DISTINCT ?holder WHERE { ?s a sckg:Stance ; sckg:holder ?holder }"
FITZ_LABEL = "CONSTRUCT { kg:marshall-fitz rdfs:label ?l } WHERE { kg:marshall-fitz rdfs:label ?l }"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ROW_LIMIT = 100
TIMEOUT = 2


def _default_sigint() -> None:
    """Children of a non-interactive shell may inherit an ignored SIGINT; a terminal user's does not."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Server:
    """`sckg serve` in a subprocess; ready once it prints its address."""

    def __init__(self, root: Path, *options: str, new_session: bool = False, env: dict | None = None):
        cmd = [sys.executable, "-c", "import sys; from sckg.cli import main; sys.exit(main())",
               "--root", str(root), "serve", "--port", "0", "--quiet", *options]
        self.log = root / f"server-{time.monotonic_ns()}.log"
        self._log_handle = open(self.log, "w")  # noqa: SIM115  the server writes to it until stop() closes it
        env = {**os.environ, "NO_COLOR": "1", **(env or {})}
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._log_handle, text=True, env=env,
                                        start_new_session=new_session, preexec_fn=_default_sigint)
        self.ready_line = self._wait_for_ready()
        self.url = self.ready_line.split("ready at ", 1)[1].split(" ", 1)[0].rstrip("/")
        self.client = httpx.Client(base_url=self.url, timeout=60)

    def _wait_for_ready(self, limit: float = 120) -> str:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            readable, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if readable:
                line = self.process.stdout.readline()
                if "ready at http://" in line:
                    return line.strip()
            if self.process.poll() is not None:
                break
        self.stop()
        raise AssertionError(f"sckg serve did not start:\n{self.log.read_text()}")

    def workers(self) -> dict:
        """The pool's worker counts as the server reports them (/health)."""
        return self.client.get("/health").json()["workers"]

    def wait_for_workers(self, idle: int | None = None, busy: int | None = None, limit: float = 240) -> dict:
        """Wait until the server says it has ``idle`` free (and ``busy`` answering) workers. A readiness
        wait with a generous overall limit for a loaded machine, not a claim about speed."""
        deadline = time.monotonic() + limit
        while True:
            counts = self.workers()
            if (idle is None or counts["idle"] == idle) and (busy is None or counts["busy"] == busy):
                return counts
            assert time.monotonic() < deadline, f"the server never reported idle={idle} busy={busy}: {counts}"
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log_handle.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("project"))
    result = run_cli("--root", str(root), "build", "--quiet")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def server(project):
    srv = Server(project, "--timeout", str(TIMEOUT), "--row-limit", str(ROW_LIMIT), "--workers", "2")
    yield srv
    srv.stop()


def select_values(response: httpx.Response, var: str) -> list[str]:
    assert response.status_code == 200, response.text
    data = response.json()
    return [b[var]["value"] for b in data["results"]["bindings"] if var in b]


def count_triples(server: Server) -> int:
    return int(select_values(server.client.get("/sparql", params={"query": COUNT_ALL}), "n")[0])


def assert_no_internals(response: httpx.Response) -> None:
    body = response.text
    for marker in ("Traceback", 'File "', "Error(", "pyparsing", "pyoxigraph", "rdflib"):
        assert marker not in body, f"{marker!r} leaked into a {response.status_code} body: {body[:300]}"


# ---- the protocol -------------------------------------------------------------------------------------

def test_binds_to_loopback_by_default(server):
    assert server.url.startswith("http://127.0.0.1:"), server.ready_line


def test_get_query_answers_from_the_statement(server):
    response = server.client.get("/sparql", params={"query": WELCOMED_QUERY})
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert set(select_values(response, "target")) == WELCOMED


def test_post_form_and_post_sparql_query_give_the_same_answer(server):
    form = server.client.post("/sparql", data={"query": HOLDERS_QUERY})
    direct = server.client.post("/sparql", content=HOLDERS_QUERY.encode(),
                                headers={"Content-Type": "application/sparql-query"})
    # every holder of a stance, as each statement's expected/stances-matrix.csv lists them
    holders = {KG + e["holder"].removeprefix("kg:")
               for f in statement_folders() for e in expected_rows(f, "stances-matrix")}
    assert set(select_values(form, "holder")) == holders
    assert set(select_values(direct, "holder")) == set(select_values(form, "holder"))


def test_default_graph_uri_selects_the_default_graph(server):
    # Stances live in the statement's graph, not among the shared entities.
    entities = server.client.get("/sparql", params={"query": WELCOMED_QUERY, "default-graph-uri": GRAPH + "entities"})
    statement = server.client.get("/sparql", params={"query": WELCOMED_QUERY, "default-graph-uri": STATEMENT_GRAPH})
    assert select_values(entities, "target") == []
    assert set(select_values(statement, "target")) == WELCOMED


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_a_graph_uri_that_is_not_absolute_is_a_bad_request(server, parameter):
    response = server.client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", parameter: "relative/graph"})
    assert response.status_code == 400
    assert "must be absolute IRIs" in response.text


def test_named_graph_uri_limits_graph_patterns(server):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = server.client.post("/sparql",
                                  data={"query": query, "named-graph-uri": [GRAPH + "links", GRAPH + "nope"]})
    assert select_values(response, "g") == [GRAPH + "links"]
    everything = server.client.get("/sparql", params={"query": query})
    assert {GRAPH + "ontology", GRAPH + "entities", STATEMENT_GRAPH} <= set(select_values(everything, "g"))


def test_from_in_the_query_selects_a_local_graph(server):
    query = WELCOMED_QUERY.replace("WHERE", f"FROM <{GRAPH}entities> WHERE")
    assert select_values(server.client.get("/sparql", params={"query": query}), "target") == []
    query = WELCOMED_QUERY.replace("WHERE", f"FROM <{STATEMENT_GRAPH}> WHERE")
    assert set(select_values(server.client.get("/sparql", params={"query": query}), "target")) == WELCOMED


def test_from_naming_a_graph_the_dataset_lacks_says_so_in_a_header(server):
    # FROM only chooses among the local graphs: an unknown IRI gives an empty answer, and the header
    # says which graph was missing, so the empty answer is explained.
    missing = "http://example.org/not-a-graph"
    response = server.client.get("/sparql",
                                 params={"query": WELCOMED_QUERY.replace("WHERE", f"FROM <{missing}> WHERE")})
    assert select_values(response, "target") == []
    assert response.headers["X-SCKG-Unknown-Graphs"] == f"<{missing}>"
    # A prefixed name is resolved before the check: kg:entities is an entity IRI, not the graph's IRI.
    query = WELCOMED_QUERY.replace("WHERE", f"FROM <{STATEMENT_GRAPH}> FROM NAMED kg:entities WHERE")
    response = server.client.get("/sparql", params={"query": query})
    assert set(select_values(response, "target")) == WELCOMED
    assert response.headers["X-SCKG-Unknown-Graphs"] == f"<{KG}entities>"
    known = server.client.get("/sparql",
                              params={"query": WELCOMED_QUERY.replace("WHERE", f"FROM <{STATEMENT_GRAPH}> WHERE")})
    assert "X-SCKG-Unknown-Graphs" not in known.headers
    union = server.client.get("/sparql", params={"query": WELCOMED_QUERY})
    assert "X-SCKG-Unknown-Graphs" not in union.headers


def test_graph_parameters_naming_unknown_graphs_say_so_in_a_header(server):
    response = server.client.post("/sparql", data={"query": "ASK { ?s ?p ?o }",
                                                    "default-graph-uri": [GRAPH + "links", "http://example.org/a"],
                                                    "named-graph-uri": "http://example.org/b"})
    assert response.json()["boolean"] is True  # the links graph has triples
    assert response.headers["X-SCKG-Unknown-Graphs"] == "<http://example.org/a> <http://example.org/b>"


def test_help_says_what_from_does(project):
    result = run_cli("--root", str(project), "serve", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "remote FROM are refused" not in text  # it never was: FROM <http://...> answers 200, empty
    assert "only choose among the local named graphs and never fetch anything" in text
    assert "X-SCKG-Unknown-Graphs" in text


def test_select_star_keeps_the_variables_in_the_order_the_query_writes_them(server):
    query = "SELECT * WHERE { ?stance sckg:holder ?holder ; sckg:polarity ?polarity ; sckg:target ?target }"
    response = server.client.get("/sparql", params={"query": query})
    assert response.json()["head"]["vars"] == ["stance", "holder", "polarity", "target"]
    as_csv = server.client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert as_csv.text.splitlines()[0] == "stance,holder,polarity,target"
    explicit = server.client.get("/sparql",
                                 params={"query": "SELECT ?target ?stance WHERE { ?stance sckg:target ?target }"})
    assert explicit.json()["head"]["vars"] == ["target", "stance"]


def test_malformed_query_is_a_400_with_line_and_column(server):
    response = server.client.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p ?o\n}\nLIMIT ten"})
    assert response.status_code == 400
    assert "line 4, column 7 near 'ten'" in response.text, response.text  # LIMIT takes a number
    assert "\n  LIMIT ten\n  " + " " * 6 + "^" in response.text  # the line, and a caret under 'ten'
    assert len(response.text) < 400
    assert_no_internals(response)


def test_a_query_that_stops_too_early_is_a_400_naming_its_last_line(server):
    response = server.client.get("/sparql", params={"query": "SELECT ?s WHERE {\n  ?s ?p \n"})
    assert response.status_code == 400
    assert "at the end of the query (after line 2)" in response.text, response.text
    assert len(response.text) < 400
    assert_no_internals(response)


def test_a_query_oxigraph_rejects_is_a_400_with_its_position(server):
    # rdflib's grammar accepts an undeclared prefix; Oxigraph refuses it before running anything.
    response = server.client.get("/sparql", params={"query": "SELECT * WHERE { ?s nope:thing ?o }"})
    assert response.status_code == 400
    assert response.text.startswith("query: SPARQL syntax error at line 1")
    assert "unknown prefix 'nope:'" in response.text
    assert_no_internals(response)


@pytest.mark.parametrize("query, line, near", [
    ("SELECT ?s WHERE { ?s ?p ?o", "line 1, column 27", "SELECT ?s WHERE { ?s ?p ?o"),  # the unclosed brace
    ("SELECT ?s WHERE { ?s ?p ?o } LIMIT ten", "line 1, column 36", "near 'ten'"),  # LIMIT takes a number
    ("SELECT ?s WHERE {\n  ?s ?p ?o .\n  ?s rdfs:label \n}", "line 4, column 1", "near '}'"),  # no object
])
def test_a_syntax_error_is_worded_as_sckg_query_words_it(server, project, query, line, near):
    response = server.client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert response.text.startswith(f"query: SPARQL syntax error at {line}"), response.text
    assert near in response.text
    assert "SelectQuery" not in response.text  # pyparsing's name for the start of the query, no help to anyone
    assert_no_internals(response)
    cli = run_cli("--root", str(project), "query", "-e", query)
    assert cli.returncode == 2
    assert cli.stderr.split("-e expression: ", 1)[1].rstrip() == response.text.split("query: ", 1)[1].rstrip()


@pytest.mark.parametrize("params, message", [
    ({"query": "  "}, "empty"),
    ({"query": ["ASK {}", "ASK {}"]}, "exactly one"),
])
def test_bad_query_parameters_are_400s(server, params, message):
    response = server.client.get("/sparql", params=params)
    assert response.status_code == 400 and message in response.text


def test_a_body_that_is_not_utf8_is_a_400(server):
    response = server.client.post("/sparql", content=b"ASK { \xff }",
                                  headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and "UTF-8" in response.text


def test_service_description_without_query(server):
    response = server.client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = ox.NamedNode(server.url + "/sparql")
    objects = {(t.predicate.value, t.object.value) for t in triples if t.subject == endpoint}
    assert ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", sd + "Service") in objects
    assert (sd + "supportedLanguage", sd + "SPARQL11Query") in objects
    assert (sd + "feature", sd + "BasicFederatedQuery") not in objects
    assert (sd + "resultFormat", "http://www.w3.org/ns/formats/SPARQL_Results_CSV") in objects
    names = {t.object.value for t in triples if t.predicate.value == sd + "name"}
    assert STATEMENT_GRAPH in names and GRAPH + "entities" in names
    jsonld = server.client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert jsonld.status_code == 200 and isinstance(jsonld.json(), (list, dict))


def test_void_description_is_served(server):
    response = server.client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    types = {t.object.value for t in triples if t.predicate.value.endswith("#type")}
    assert "http://rdfs.org/ns/void#Dataset" in types


def test_dumps_can_be_downloaded(server, project):
    response = server.client.get("/dist/sckg.nt")
    assert response.status_code == 200
    assert response.content == (project / "dist" / "sckg.nt").read_bytes()
    assert "attachment" in response.headers["content-disposition"]
    assert server.client.get("/dist/ontology.ttl").status_code == 200


def test_every_download_url_in_the_void_description_works(server):
    response = server.client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    urls = {t.object.value for t in triples if t.predicate.value == "http://www.w3.org/ns/dcat#downloadURL"}
    dataset = "https://w3id.org/sckg/id/dataset/sckg"  # the linked datasets name their own endpoints
    endpoints = {t.object.value for t in triples if t.subject.value == dataset
                 and t.predicate.value == "http://rdfs.org/ns/void#sparqlEndpoint"}
    assert server.url + "/dist/sckg.nq" in urls
    assert endpoints == {server.url + "/sparql"}
    # The exports are drawn on request (the full view's drawings take long on a loaded machine): the
    # next test fetches the arguments view's, test_export_registry.py every format's handler.
    for url in sorted(u for u in urls if "/exports/" not in u):
        assert httpx.get(url).status_code == 200, url


def test_a_missing_dump_says_how_to_build_it(server, project):
    (project / "dist" / "sckg.trig").unlink()
    response = server.client.get("/dist/sckg.trig")
    assert response.status_code == 404
    assert "sckg build" in response.text


def test_only_the_dumps_are_downloadable(server):
    for name in ("..%2F..%2Fontology%2Fsckg.ttl", "server.log", "..%2Fpyproject.toml", "..%2F.."):
        response = server.client.get(f"/dist/{name}")
        assert response.status_code == 404


def test_ontology_turtle_and_reference(server, project):
    turtle = server.client.get("/ontology")
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    missing = server.client.get("/ontology/docs")
    assert missing.status_code == 404 and "sckg docs" in missing.text
    assert run_cli("--root", str(project), "docs").returncode == 0
    docs = server.client.get("/ontology/docs")
    assert docs.status_code == 200 and docs.text == (project / "docs" / "ontology.md").read_text(encoding="utf-8")
    assert docs.headers["content-type"] == "text/plain; charset=utf-8"  # the reference is not all ASCII


# ---- a browser at /sparql ---------------------------------------------------------------------------

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize("accept", ["text/html", BROWSER_ACCEPT])
def test_a_browser_at_sparql_is_sent_to_the_page(server, accept):
    bare = server.client.get("/sparql", headers={"Accept": accept})
    assert bare.status_code == 303 and bare.headers["location"] == "/"
    asked = server.client.get("/sparql", params={"query": WELCOMED_QUERY}, headers={"Accept": accept})
    assert asked.status_code == 303
    location = httpx.URL(asked.headers["location"])
    assert location.path == "/" and location.params["query"] == WELCOMED_QUERY
    assert server.client.get(asked.headers["location"]).headers["content-type"].startswith("text/html")


def test_clients_asking_for_data_are_not_redirected(server):
    for accept in ("*/*", "application/sparql-results+json, text/html", "text/html;q=0.5, text/csv"):
        response = server.client.get("/sparql", params={"query": WELCOMED_QUERY}, headers={"Accept": accept})
        assert response.status_code == 200, accept
    download = server.client.get("/sparql", params={"query": WELCOMED_QUERY, "format": "csv"},
                                 headers={"Accept": BROWSER_ACCEPT})  # the page's download links
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    with_graphs = server.client.get("/sparql", params={"query": WELCOMED_QUERY, "default-graph-uri": STATEMENT_GRAPH},
                                    headers={"Accept": BROWSER_ACCEPT})  # the page cannot carry these along
    assert with_graphs.status_code == 200
    description = server.client.get("/sparql", headers={"Accept": "text/turtle"})
    assert description.status_code == 200 and description.headers["content-type"].startswith("text/turtle")


def test_the_service_description_by_format_parameter(server):
    # The page links to it with format=ttl, since a browser's Accept header would get the page.
    response = server.client.get("/sparql", params={"format": "ttl"}, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    assert "sparql-service-description" in response.text
    wrong = server.client.get("/sparql", params={"format": "csv"})
    assert wrong.status_code == 406 and "ttl" in wrong.text


def test_examples_are_the_query_library(server, project):
    examples = server.client.get("/api/examples").json()
    names = {e["name"] for e in examples}
    assert names == {p.stem for p in (project / "queries").glob("*.rq")}
    speaker = next(e for e in examples if e["name"] == "actors-speaker")
    assert speaker["form"] == "SELECT" and speaker["title"] and speaker["question"]


def test_a_broken_query_file_leaves_the_page_working(server, project):
    broken = project / "queries" / "actors-broken.rq"
    broken.write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")  # no '# title:' header
    try:
        response = server.client.get("/api/examples")
        assert response.status_code == 200 and response.json() == []
        assert "actors-broken.rq" in server.log.read_text()
    finally:
        broken.unlink()


# ---- content negotiation ---------------------------------------------------------------------------

SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@pytest.mark.parametrize("media_type", SOLUTION_TYPES)
def test_select_in_every_results_format(server, media_type):
    response = server.client.get("/sparql", params={"query": WELCOMED_QUERY}, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    if media_type == "text/csv":  # CSV results are lossy: Oxigraph will not parse them back, csv does
        rows = list(csv.DictReader(io.StringIO(response.text)))
        values = {row["target"] for row in rows}
    else:
        parsed = ox.parse_query_results(response.content, format=SOLUTION_TYPES[media_type])
        values = {row["target"].value for row in parsed}
    assert values == WELCOMED


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_in_the_boolean_formats(server, media_type):
    yes = server.client.get("/sparql", params={"query": 'ASK { kg:marshall-fitz rdfs:label "Marshall Fitz"@en }'},
                            headers={"Accept": media_type})
    no = server.client.get("/sparql", params={"query": 'ASK { kg:marshall-fitz rdfs:label "Raul Arce-Contreras"@en }'},
                           headers={"Accept": media_type})
    assert yes.headers["content-type"].split(";")[0] == media_type
    assert bool(ox.parse_query_results(yes.content, format=SOLUTION_TYPES[media_type])) is True
    assert bool(ox.parse_query_results(no.content, format=SOLUTION_TYPES[media_type])) is False


@pytest.mark.parametrize("media_type", ["text/csv", "text/tab-separated-values"])
def test_ask_in_csv_and_tsv_is_a_bare_boolean(server, media_type):
    # SPARQL's CSV/TSV formats define no boolean; like Oxigraph, the endpoint writes true/false.
    response = server.client.get("/sparql", params={"query": "ASK { kg:cap a sckg:ThinkTank }"},
                                 headers={"Accept": media_type})
    assert response.status_code == 200 and response.text.strip() == "true"


@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
@pytest.mark.parametrize("media_type", GRAPH_TYPES)
def test_graph_results_in_every_rdf_format(server, form, media_type):
    query = FITZ_LABEL if form == "CONSTRUCT" else "DESCRIBE kg:marshall-fitz"
    response = server.client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    triples = [(q.subject, q.predicate, q.object) for q in ox.parse(response.content, format=GRAPH_TYPES[media_type])]
    label = (ox.NamedNode(KG + "marshall-fitz"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
             ox.Literal("Marshall Fitz", language="en"))
    assert label in triples
    if form == "CONSTRUCT":
        assert len(triples) == 1


@pytest.mark.parametrize("accept, query, expected", [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", WELCOMED_QUERY, "application/sparql-results+xml"),
    ("text/*", WELCOMED_QUERY, "text/csv"),
    ("*/*", WELCOMED_QUERY, "application/sparql-results+json"),
    (None, WELCOMED_QUERY, "application/sparql-results+json"),
    ("application/json", WELCOMED_QUERY, "application/sparql-results+json"),
    ("text/turtle;q=0, */*;q=0.1", FITZ_LABEL, "application/n-triples"),
    ("text/*;q=0.2, application/rdf+xml;q=0.8", FITZ_LABEL, "application/rdf+xml"),
    # (a browser's own header puts text/html first and gets the page: see the redirect tests)
    ("application/xml;q=0.9,*/*;q=0.8", FITZ_LABEL, "text/turtle"),
])
def test_q_values_and_wildcards(server, accept, query, expected):
    headers = {"Accept": accept} if accept else {}
    client = httpx.Client(base_url=server.url, headers=None if accept else {"Accept": ""})
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected


@pytest.mark.parametrize("accept, query", [
    ("image/png", WELCOMED_QUERY),
    ("text/turtle", WELCOMED_QUERY),
    ("application/sparql-results+json", FITZ_LABEL),
    ("text/csv;q=0", WELCOMED_QUERY.replace("SELECT", "SELECT")),
])
def test_406_when_nothing_acceptable_is_offered(server, accept, query):
    if accept == "text/csv;q=0":
        accept = "text/csv;q=0, image/*"
    response = server.client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert "available" in response.text
    assert_no_internals(response)


def test_format_parameter_for_download_links(server):
    response = server.client.get("/sparql", params={"query": WELCOMED_QUERY, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="results.csv"' in response.headers["content-disposition"]
    bad = server.client.get("/sparql", params={"query": WELCOMED_QUERY, "format": "xlsx"})
    assert bad.status_code == 400 and "unknown format" in bad.text


# ---- SPARQLWrapper, a real client -------------------------------------------------------------------

def test_sparqlwrapper_select_ask_and_construct(server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    prologue = f"PREFIX sckg: <{SCKG}>\nPREFIX kg: <{KG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    client = SPARQLWrapper(server.url + "/sparql")
    client.setReturnFormat(JSON)
    client.setQuery(prologue + WELCOMED_QUERY)
    rows = client.query().convert()["results"]["bindings"]
    assert {r["target"]["value"] for r in rows} == WELCOMED

    client.setQuery(prologue + "ASK { kg:cap sckg:holdsNothing kg:ice }")
    assert client.query().convert()["boolean"] is False

    client.setMethod("POST")
    client.setReturnFormat(TURTLE)
    client.setQuery(prologue + FITZ_LABEL)
    graph = client.query().convert()
    text = graph.decode() if isinstance(graph, bytes) else graph.serialize(format="nt")
    assert "Marshall Fitz" in text


# ---- safety: read-only ------------------------------------------------------------------------------

CANARY = "urn:sckg-test:canary"
INSERT = f"INSERT DATA {{ GRAPH <{GRAPH}entities> {{ <{CANARY}> <{CANARY}> <{CANARY}> }} }}"
DELETE_ALL = "DELETE WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("how", ["get-update", "get-query", "post-form-update", "post-form-query",
                                 "post-sparql-update", "post-sparql-query", "post-sparql-update-delete",
                                 "post-load-file", "post-clear-all"])
def test_updates_are_refused_and_never_run(server, how):
    before = count_triples(server)
    c = server.client
    requests_ = {
        "get-update": lambda: c.get("/sparql", params={"update": INSERT}),
        "get-query": lambda: c.get("/sparql", params={"query": INSERT}),
        "post-form-update": lambda: c.post("/sparql", data={"update": INSERT}),
        "post-form-query": lambda: c.post("/sparql", data={"query": INSERT}),
        "post-sparql-update": lambda: c.post("/sparql", content=INSERT,
                                             headers={"Content-Type": "application/sparql-update"}),
        "post-sparql-query": lambda: c.post("/sparql", content=INSERT,
                                            headers={"Content-Type": "application/sparql-query"}),
        "post-sparql-update-delete": lambda: c.post("/sparql", content=DELETE_ALL,
                                                    headers={"Content-Type": "application/sparql-update"}),
        "post-load-file": lambda: c.post("/sparql", data={"query": "LOAD <file:///etc/hostname>"}),
        "post-clear-all": lambda: c.post("/sparql", data={"query": "CLEAR ALL"}),
    }
    response = requests_[how]()
    assert response.status_code == 403, response.text
    assert "read-only" in response.text
    assert_no_internals(response)
    assert count_triples(server) == before
    ask = c.get("/sparql", params={"query": f"ASK {{ <{CANARY}> ?p ?o }}"})
    assert ask.json()["boolean"] is False


# ---- safety: SERVICE never connects ----------------------------------------------------------------

class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it accepts, in order.

    A negative check ("no connection arrived") is only worth something if a connection *could* have
    arrived and been seen: ``mark()`` opens a connection of the test's own and waits until the
    listener has recorded it. A check brackets the request with two marks: the first proves the
    listener reachable, the second (sent after the answer came back) is accepted after anything the
    server had opened before answering, so nothing recorded between the two means nothing arrived."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.seen: list[bytes] = []  # the first bytes of each connection (a mark sends its name)
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(5)
            try:
                first = conn.recv(200)
            except OSError:
                first = b""
            conn.close()
            with self._lock:
                self.seen.append(first)
                self._lock.notify_all()

    def mark(self, name: str, limit: float = 120) -> None:
        token = f"MARK {name}".encode()
        with socket.create_connection(("127.0.0.1", self.port), timeout=limit) as conn:
            conn.sendall(token)
        with self._lock:
            assert self._lock.wait_for(lambda: token in self.seen, timeout=limit), "the listener is not reachable"

    def between(self, first: str, second: str) -> list[bytes]:
        """What arrived between the two marks (connections other than the test's own)."""
        with self._lock:
            seen = list(self.seen)
        return seen[seen.index(f"MARK {first}".encode()) + 1:seen.index(f"MARK {second}".encode())]

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


@pytest.fixture
def listener():
    srv = Listener()
    yield srv
    srv.close()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ ?x a sckg:Stance OPTIONAL {{ service silent <http://127.0.0.1:{port}/> {{ ?x ?p ?o }} }} }}",
    "ASK {{ {{ SELECT ?s WHERE {{ SERVICE <http://127.0.0.1:{port}/q> {{ ?s ?p ?o }} }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ FILTER EXISTS {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}",
])
def test_service_is_refused_and_no_connection_is_opened(server, listener, template):
    listener.mark("before")
    response = server.client.get("/sparql", params={"query": template.format(port=listener.port)})
    assert response.status_code == 400
    assert "SERVICE" in response.text
    assert_no_internals(response)
    listener.mark("after")
    assert listener.between("before", "after") == []


def test_the_word_service_inside_a_string_is_harmless(server):
    response = server.client.get("/sparql", params={"query": 'SELECT ("SERVICE <http://127.0.0.1:9/>" AS ?x) {}'})
    assert select_values(response, "x") == ["SERVICE <http://127.0.0.1:9/>"]


# ---- safety: FROM never fetches --------------------------------------------------------------------

def test_from_a_file_iri_fetches_nothing(server, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text(f"<{CANARY}> <{CANARY}> \"this must never be served\" .\n")
    iri = secret.as_uri()
    queries = [
        f"SELECT ?s ?p ?o FROM <{iri}> WHERE {{ ?s ?p ?o }}",
        f"SELECT ?g ?s FROM NAMED <{iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        response = server.client.get("/sparql", params={"query": query})
        assert response.status_code == 200
        assert response.json()["results"]["bindings"] == []
    via_protocol = server.client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }",
                                                        "default-graph-uri": iri, "named-graph-uri": iri})
    assert via_protocol.json()["results"]["bindings"] == []
    for response in (server.client.get("/sparql", params={"query": f"ASK FROM <{iri}> {{ <{CANARY}> ?p ?o }}"}),):
        assert response.json()["boolean"] is False


def test_an_invalid_graph_iri_is_a_400(server):
    response = server.client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "IRI" in response.text


# ---- safety: caps --------------------------------------------------------------------------------------

def test_row_cap_is_signalled_never_silent(server):
    total = count_triples(server)
    assert total > ROW_LIMIT
    capped = server.client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert capped.headers["X-SCKG-Truncated"] == "true"
    assert capped.headers["X-SCKG-Row-Limit"] == str(ROW_LIMIT)
    assert len(capped.json()["results"]["bindings"]) == ROW_LIMIT
    small = server.client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert small.headers["X-SCKG-Truncated"] == "false"
    assert len(small.json()["results"]["bindings"]) == 5
    exact = server.client.get("/sparql", params={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {ROW_LIMIT}"})
    assert exact.headers["X-SCKG-Truncated"] == "false"
    graph = server.client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                              headers={"Accept": "application/n-triples"})
    assert graph.headers["X-SCKG-Truncated"] == "true"
    assert len(graph.text.strip().splitlines()) == ROW_LIMIT


def test_the_cap_applies_to_csv_too(server):
    capped = server.client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
                               headers={"Accept": "text/csv"})
    assert capped.headers["X-SCKG-Truncated"] == "true"
    assert len(capped.text.strip().splitlines()) == ROW_LIMIT + 1  # the header line, then the rows


def test_query_size_cap(server):
    padding = "#" + "x" * (64 * 1024) + "\n"
    query = padding + "ASK {}"
    for response in (server.client.post("/sparql", data={"query": query}),
                     server.client.post("/sparql", content=query,
                                        headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 413
        assert "65536 bytes" in response.text


def test_unknown_content_type_is_a_415(server):
    response = server.client.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


# ---- safety: timeouts and concurrency ----------------------------------------------------------------

def test_a_runaway_query_is_stopped_and_a_trivial_one_answers_afterwards(server):
    server.wait_for_workers(idle=2)
    started = time.monotonic()
    response = server.client.get("/sparql", params={"query": CROSS_PRODUCT})
    assert response.status_code == 504
    assert f"{TIMEOUT} s" in response.text
    assert_no_internals(response)
    # The promise checked: the time limit stops the query (its worker is killed) rather than letting it
    # run on. A cross product of the whole graph runs for minutes; the slack is for a loaded machine.
    assert time.monotonic() - started < TIMEOUT + 60
    trivial = server.client.get("/sparql", params={"query": "ASK { kg:cap a sckg:ThinkTank }"})
    assert trivial.json()["boolean"] is True  # the other worker answered while the killed one is replaced
    server.wait_for_workers(idle=2)  # leave the pool whole for the next test


def start_slow_query(server: Server) -> threading.Event:
    """Send a query that runs for minutes, in a thread; the event is set once its answer (or the
    server's end) came back."""
    done = threading.Event()

    def run():
        try:
            httpx.get(server.url + "/sparql", params={"query": CROSS_PRODUCT}, timeout=900)
        except httpx.HTTPError:
            pass  # the test stopped the server
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done


@pytest.fixture
def patient(project):
    """A server of its own whose queries may run for minutes: a slow query then surely is still running
    while the test does what it needs to (the test stops the server, and with it the slow query)."""
    srv = Server(project, "--timeout", "600", "--workers", "2")
    yield srv
    srv.stop()


def test_a_slow_query_blocks_neither_a_trivial_query_nor_the_page(patient):
    patient.wait_for_workers(idle=2)
    slow_done = start_slow_query(patient)
    patient.wait_for_workers(busy=1)  # the slow query has its worker
    page = patient.client.get("/")
    trivial = patient.client.get("/sparql", params={"query": HOLDERS_QUERY})
    assert page.status_code == 200 and "<textarea" in page.text
    assert KG + "cap" in select_values(trivial, "holder")
    # The order is the promise: the page and the trivial query answered while the slow query still ran.
    assert not slow_done.is_set(), "the slow query finished first, so this test proved nothing"
    assert patient.workers()["busy"] == 1


def test_the_server_recovers_after_several_timeouts(server):
    server.wait_for_workers(idle=2)
    threads = [threading.Thread(target=lambda: httpx.get(server.url + "/sparql", params={"query": CROSS_PRODUCT},
                                                         timeout=300)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    server.wait_for_workers(idle=2)  # the replacements have loaded the graph
    response = server.client.get("/sparql", params={"query": WELCOMED_QUERY})
    assert set(select_values(response, "target")) == WELCOMED


def test_health_reports_the_live_workers(server):
    counts = server.wait_for_workers(idle=2)
    assert counts == {"configured": 2, "live": 2, "idle": 2, "busy": 0, "starting": 0}
    health = server.client.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert server.client.get("/api/info").json()["workers"]["configured"] == 2


# ---- CORS -------------------------------------------------------------------------------------------

def test_cors_is_off_by_default(server):
    response = server.client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_flag_allows_get_without_credentials(project):
    srv = Server(project, "--cors", "--workers", "1")
    try:
        response = srv.client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
        assert response.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in response.headers
        assert "x-sckg-truncated" in response.headers["access-control-expose-headers"].lower()
        preflight = srv.client.options("/sparql", headers={"Origin": "https://example.org",
                                                           "Access-Control-Request-Method": "POST"})
        assert preflight.status_code == 400 or "POST" not in preflight.headers.get("access-control-allow-methods", "")
    finally:
        srv.stop()


# ---- the command line ---------------------------------------------------------------------------------

def test_a_port_in_use_is_a_usage_error(server, project):
    port = server.url.rsplit(":", 1)[1]
    result = run_cli("--root", str(project), "serve", "--port", port)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("option, value", [("--timeout", "0"), ("--workers", "0"), ("--row-limit", "-1"),
                                           ("--queue-wait", "0"), ("--short-query", "-1"),
                                           ("--worker-memory", "-1"), ("--max-response-bytes", "0")])
def test_bad_limits_are_usage_errors(project, option, value):
    result = run_cli("--root", str(project), "serve", option, value)
    assert result.returncode == 2
    assert option in result.stderr


def test_invalid_data_stops_the_server_before_it_listens(tmp_path):
    root = copy_project(tmp_path)
    entities = root / "data" / "entities" / "actors.ttl"
    entities.write_text(entities.read_text(encoding="utf-8") + "\nthis is not turtle\n", encoding="utf-8")
    result = run_cli("--root", str(root), "serve", "--port", "0")
    assert result.returncode == 1
    assert "actors.ttl" in result.stderr
    assert "ready at" not in result.stdout



# ---- one worker: when it is busy, and when it dies ------------------------------------------------

@pytest.fixture(scope="module")
def single(project):
    srv = Server(project, "--workers", "1", "--timeout", "600")  # the test kills the worker, not the limit
    yield srv
    srv.stop()


def worker_pids(server_pid: int) -> list[int]:
    """The query workers: the server's child processes started by multiprocessing's spawn."""
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    pids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return [pid for pid in pids if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def test_busy_is_a_503_when_no_worker_frees_up_in_time(project):
    # A request waits for a free worker at most --queue-wait seconds. The only worker is held by a
    # query allowed to run for minutes, so none can free up within the 2 s wait: the 503 is certain,
    # whatever the machine's load.
    srv = Server(project, "--workers", "1", "--timeout", "600", "--queue-wait", "2")
    try:
        srv.wait_for_workers(idle=1)
        slow_done = start_slow_query(srv)
        srv.wait_for_workers(busy=1)
        waiting = srv.client.get("/sparql", params={"query": "ASK {}"})
        assert waiting.status_code == 503 and "busy" in waiting.text
        assert "within 2 s" in waiting.text
        assert not slow_done.is_set()
    finally:
        srv.stop()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="finds the worker processes through /proc")
def test_a_worker_that_dies_mid_query_is_a_500_and_is_replaced(single):
    single.wait_for_workers(idle=1)
    assert set(select_values(single.client.get("/sparql", params={"query": WELCOMED_QUERY}), "target")) == WELCOMED
    pids = worker_pids(single.process.pid)
    statuses = []
    slow = threading.Thread(target=lambda: statuses.append(
        httpx.get(single.url + "/sparql", params={"query": CROSS_PRODUCT}, timeout=300)))
    slow.start()
    single.wait_for_workers(busy=1)  # the slow query is on the worker
    assert len(pids) == 1
    os.kill(pids[0], 9)
    slow.join(300)
    response = statuses[0]
    assert response.status_code == 500 and "worker stopped" in response.text
    assert_no_internals(response)
    single.wait_for_workers(idle=1)  # replaced: the pool is whole again for the next test
    assert set(select_values(single.client.get("/sparql", params={"query": WELCOMED_QUERY}), "target")) == WELCOMED
    assert worker_pids(single.process.pid) != pids


# ---- defence in depth: a worker cannot reach the network ---------------------------------------------

ISOLATED_SERVICE_CALL = """
import sys
import pyoxigraph as ox
from sckg.server.worker import isolate_network
problem = isolate_network()
if problem:
    print("SKIP " + problem)
    sys.exit(0)
try:
    list(ox.Store().query("SELECT * WHERE { SERVICE <http://127.0.0.1:%d/sparql> { ?s ?p ?o } }"))
    print("ANSWERED")
except Exception as error:
    print("FAILED " + type(error).__name__)
"""


def test_an_isolated_worker_process_cannot_call_out_even_when_oxigraph_tries(listener):
    # Oxigraph itself would send SERVICE requests; after isolate_network() it has no network to use.
    listener.mark("before")
    result = subprocess.run([sys.executable, "-c", ISOLATED_SERVICE_CALL % listener.port], capture_output=True,
                            text=True, timeout=120)
    if result.stdout.startswith("SKIP"):
        pytest.skip(f"this system does not allow network namespaces: {result.stdout[5:].strip()}")
    assert result.stdout.startswith("FAILED"), result.stdout + result.stderr
    listener.mark("after")  # the process has exited: whatever it opened was accepted before this
    assert listener.between("before", "after") == []


def test_ctrl_c_stops_server_and_workers_without_tracebacks(project):
    # A terminal's Ctrl+C signals the whole process group: the server and its workers alike.
    import signal

    srv = Server(project, "--workers", "2", new_session=True)
    workers = worker_pids(srv.process.pid) if Path("/proc/self/task").exists() else []
    os.killpg(srv.process.pid, signal.SIGINT)
    assert srv.process.wait(30) == 130
    srv.stop()
    log = srv.log.read_text()
    assert "Traceback" not in log and "KeyboardInterrupt" not in log, log
    for pid in workers:
        deadline = time.monotonic() + 120  # waiting for the exit on a loaded machine, not timing it
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        status = Path(f"/proc/{pid}/stat")
        assert not status.exists() or status.read_text().split()[2] == "Z", f"worker {pid} still runs"


def test_the_graph_exports_are_served_where_the_void_description_says(server):
    described = server.client.get("/.well-known/void", headers={"Accept": "application/n-triples"}).text
    urls = {line.split(" ")[2].strip("<>") for line in described.splitlines()
            if "<http://www.w3.org/ns/dcat#downloadURL>" in line and "/exports/arguments" in line}
    assert {u.rsplit("/", 1)[1] for u in urls} >= {"arguments.gexf", "arguments.graphml", "arguments.aif.json"}
    for url in sorted(u for u in urls if not u.endswith((".svg", ".png"))):  # Graphviz: test_export_graphviz
        assert httpx.get(url, timeout=120).status_code == 200, url
    response = httpx.get(server.url + "/exports/arguments.gexf", timeout=120)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/gexf+xml"
    assert response.content.startswith(b"<?xml")

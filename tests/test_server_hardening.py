"""The endpoint against the probes of an attack run that once got through (each failed before its fix):
SERVICE hidden from the guard by a lexical trick, workers without a memory cap, responses without a
byte cap, replacement workers that read edited files, and queries nested deep enough to crash a parser.

Expected answers come from the statement (see test_server.py) or from the SPARQL specification.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
import uvicorn
from _support import replace_in, run_cli
from test_server import (
    CROSS_PRODUCT,
    KG,
    WELCOMED,
    WELCOMED_QUERY,
    Listener,
    Server,
    assert_no_internals,
    project,
    select_values,
)

__all__ = ["project"]  # a module-scoped fixture, shared with test_server.py


@pytest.fixture
def listener():
    srv = Listener()
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def server(project):
    srv = Server(project, "--workers", "2", "--timeout", "30")
    yield srv
    srv.stop()


# ---- SERVICE hidden by a lexical difference between the guard's parser and the evaluator's --------------

BYPASSES = {
    # a '#' comment ended by a lone CR: the grammar ends the comment there, rdflib's parser did not
    "comment-cr": "SELECT ?a WHERE {{ ?s a sckg:Stance . # x\rSERVICE <http://127.0.0.1:{port}/> {{ ?a ?b ?c }} .\n}}",
    "comment-cr-silent": "SELECT * WHERE {{ ?s a sckg:Stance . # x\rSERVICE SILENT <http://127.0.0.1:{port}/> "
                         "{{ ?a ?b ?c }} .\n}}",
    # \u with 8 hex digits: rdflib read a '"' (opening a long string that swallowed SERVICE)
    "escape-8-digits": 'SELECT ?a WHERE {{ BIND("\\u00000022" AS ?x) SERVICE <http://127.0.0.1:{port}/> '
                       '{{ ?a ?b ?c }} BIND("\\u00000022" AS ?y) }}',
    # \U with 4 digits, which rdflib took as an escape too
    "escape-U-4-digits": 'SELECT ?a WHERE {{ BIND("\\U0022 AS ?x) SERVICE <http://127.0.0.1:{port}/> '
                         '{{ ?a ?b ?c }} BIND("\\U0022 AS ?y) }}',
    # an escape that spells another escape
    "escape-nested": 'SELECT ?a WHERE {{ BIND("\\u005Cu00000022" AS ?x) SERVICE <http://127.0.0.1:{port}/> '
                     '{{ ?a ?b ?c }} BIND("\\u005Cu00000022" AS ?y) }}',
}


@pytest.mark.parametrize("name", BYPASSES)
def test_service_hidden_by_a_lexical_trick_is_refused_at_the_guard(server, listener, name):
    listener.mark("before")
    response = server.client.post("/sparql", data={"query": BYPASSES[name].format(port=listener.port)})
    assert response.status_code == 400, response.text  # refused by the check, not failed in the worker
    assert_no_internals(response)
    listener.mark("after")
    assert listener.between("before", "after") == []


def test_crlf_line_ends_and_escapes_that_the_specification_allows_still_work(server):
    # CR LF ends a comment for both parsers; \u0041 is "A" wherever it stands (SPARQL 1.1, 19.2).
    query = "SELECT ?x WHERE { # a comment\r\n BIND(\"\\u0041\\U00000042\" AS ?x) }"
    assert select_values(server.client.get("/sparql", params={"query": query}), "x") == ["AB"]
    escaped_keyword = "ASK { kg:cap a sckg:ThinkTank \\u007D"  # the closing brace, escaped
    assert server.client.get("/sparql", params={"query": escaped_keyword}).json()["boolean"] is True


def test_an_escape_beyond_unicode_is_a_400_not_a_500(server):
    response = server.client.get("/sparql", params={"query": 'SELECT * WHERE { BIND("\\UFFFFFFFF" AS ?x) }'})
    assert response.status_code == 400 and "code point" in response.text
    assert_no_internals(response)
    # \u takes exactly 4 digits: "\uFFFFFFFF" is U+FFFF followed by the text FFFF, as Oxigraph reads it.
    four = server.client.get("/sparql", params={"query": 'SELECT * WHERE { BIND("\\uFFFFFFFF" AS ?x) }'})
    assert select_values(four, "x") == ["\uffffFFFF"]


class InProcessServer:
    """The app in a uvicorn thread, for settings the command line does not offer (isolation off)."""

    def __init__(self, project, **config):
        import sckg
        from sckg.server.app import create_app
        from sckg.server.config import ServerConfig

        kg = sckg.load(project)
        self.pools = []
        self.app = create_app(ServerConfig(root=kg.root, **config), kg, on_ready=self.pools.append)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", lifespan="on",
                                                    timeout_graceful_shutdown=3))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 240  # waiting for start-up, not timing it
        while not self.server.started and self.thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.server.started, "uvicorn did not start"
        host, port = self.sock.getsockname()[:2]
        self.url = f"http://{host}:{port}"

    def stop(self):
        self.server.should_exit = True
        self.thread.join(60)
        self.sock.close()


def test_without_network_isolation_the_bypasses_are_still_refused_and_nothing_connects(project, listener):
    # As on macOS, or in a container that forbids unshare: only the guard and the evaluator's own
    # limits stand between a query and the network.
    srv = InProcessServer(project, workers=1, timeout=30, isolate_network=False)
    try:
        assert srv.pools[0].isolation_problem == "network isolation was turned off"
        assert srv.pools[0].descriptors_locked
        listener.mark("before")
        for name, template in BYPASSES.items():
            response = httpx.post(srv.url + "/sparql", data={"query": template.format(port=listener.port)},
                                  timeout=120)
            assert response.status_code == 400, (name, response.text)
        listener.mark("after")
        assert listener.between("before", "after") == []
    finally:
        srv.stop()


LOCKED_SERVICE_CALL = """
import sys
import pyoxigraph as ox
from sckg.server.worker import forbid_new_descriptors
store = ox.Store()
problem = forbid_new_descriptors()
if problem:
    print("SKIP " + problem)
    sys.exit(0)
try:
    list(store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:%d/sparql> { ?s ?p ?o } }"))
    print("ANSWERED")
except Exception as error:
    print("FAILED " + type(error).__name__)
"""


def test_a_worker_that_forbade_itself_new_descriptors_cannot_call_out(listener):
    # The evaluator's own barrier, which needs no namespaces: Oxigraph tries SERVICE and gets no socket.
    listener.mark("before")
    result = subprocess.run([sys.executable, "-c", LOCKED_SERVICE_CALL % listener.port], capture_output=True,
                            text=True, timeout=120)
    if result.stdout.startswith("SKIP"):
        pytest.skip(result.stdout)
    assert result.stdout.startswith("FAILED"), result.stdout + result.stderr
    listener.mark("after")
    assert listener.between("before", "after") == []


# ---- nesting ------------------------------------------------------------------------------------------

DEEP = "SELECT * WHERE " + "{ " * 10_000 + "?s ?p ?o " + "} " * 10_000


@pytest.mark.parametrize("query", [DEEP, 'VERSION "1.1" ' + DEEP])
def test_deep_nesting_is_a_400_and_the_worker_lives(server, query):
    pids_before = server.workers()
    response = server.client.post("/sparql", content=query.encode(),
                                  headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert "nests brackets 10000 levels deep" in response.text
    assert_no_internals(response)
    assert server.workers() == pids_before  # no worker died and none is being replaced


def test_deep_nesting_is_a_clear_error_in_sckg_query(project, tmp_path):
    deep = tmp_path / "deep.rq"
    deep.write_text(DEEP, encoding="utf-8")
    result = run_cli("--root", str(project), "query", str(deep))
    assert result.returncode == 2, result.stderr  # a usage error, not a segmentation fault (139)
    assert "nests brackets 10000 levels deep" in result.stderr
    assert "Traceback" not in result.stderr


def test_moderate_nesting_and_brackets_inside_strings_are_not_counted(server):
    query = "SELECT ?x WHERE " + "{ " * 20 + 'BIND("' + "{" * 5000 + '" AS ?x)' + " }" * 20
    assert server.client.get("/sparql", params={"query": query}).status_code == 200


def test_nesting_depth_counts_brackets_outside_strings_iris_and_comments():
    from sckg.sparql_nesting import nesting_depth

    assert nesting_depth("SELECT * WHERE { ?s ?p ?o }") == 1
    assert nesting_depth("ASK { FILTER((1 + (2))) }") == 4
    assert nesting_depth('ASK { BIND("{{{" AS ?x) } # {{{{') == 2  # the brace and BIND's parenthesis
    assert nesting_depth("ASK { <http://x/a(> ?p '''((\n(''' }") == 1
    assert nesting_depth("ASK { FILTER(?a < ?b) [ ?p [ ?q ?r ] ] }") == 3


# ---- memory and response size ---------------------------------------------------------------------------

# Doubles a string 26 times: about 670 MB in one value from a query under 1 KB (the attack's E14).
MEMORY_BOMB = ("SELECT (STRLEN(?s26) AS ?n) WHERE { BIND(\"0123456789\" AS ?s0) "
               + " ".join(f"BIND(CONCAT(?s{i},?s{i}) AS ?s{i + 1})" for i in range(26)) + " }")


def test_a_query_that_needs_too_much_memory_stops_only_itself(project):
    srv = Server(project, "--workers", "1", "--timeout", "120", "--worker-memory", "512")
    try:
        srv.wait_for_workers(idle=1)
        response = srv.client.post("/sparql", data={"query": MEMORY_BOMB})
        assert response.status_code in (500, 507), response.text  # the worker hit its cap
        assert "memory" in response.text
        assert_no_internals(response)
        srv.wait_for_workers(idle=1)
        assert set(select_values(srv.client.get("/sparql", params={"query": WELCOMED_QUERY}), "target")) == WELCOMED
    finally:
        srv.stop()


def test_the_response_byte_cap_is_signalled_like_the_row_cap(project):
    srv = Server(project, "--workers", "1", "--max-response-bytes", "20000")
    try:
        big = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
        response = srv.client.get("/sparql", params={"query": big})
        assert response.status_code == 200
        assert response.headers["X-SCKG-Truncated"] == "true"
        assert response.headers["X-SCKG-Truncated-By"] == "bytes"
        assert response.headers["X-SCKG-Byte-Limit"] == "20000"
        assert len(response.content) <= 20000
        assert len(response.json()["results"]["bindings"]) == int(response.headers["X-SCKG-Rows"]) > 0
        graph = srv.client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                               headers={"Accept": "application/n-triples"})
        assert graph.headers["X-SCKG-Truncated-By"] == "bytes" and len(graph.content) <= 20000
        small = srv.client.get("/sparql", params={"query": WELCOMED_QUERY})
        assert small.headers["X-SCKG-Truncated"] == "false" and "X-SCKG-Truncated-By" not in small.headers
    finally:
        srv.stop()


# ---- one dataset per server ------------------------------------------------------------------------------

DHS_LABEL = "SELECT ?l WHERE { kg:dhs rdfs:label ?l }"


def test_replacement_workers_serve_the_data_as_it_was_at_start(project):
    srv = Server(project, "--workers", "2", "--timeout", "2")
    actors = project / "data" / "entities" / "actors.ttl"
    original = actors.read_text(encoding="utf-8")
    try:
        srv.wait_for_workers(idle=2)
        before = select_values(srv.client.get("/sparql", params={"query": DHS_LABEL}), "l")
        assert before
        sha = srv.client.get("/api/info").json()["dataset_sha256"]
        replace_in(actors, before[0], "EDITED label")  # the file changes while the server runs
        for _ in range(2):  # both workers time out and are replaced
            assert srv.client.get("/sparql", params={"query": CROSS_PRODUCT}).status_code == 504
        srv.wait_for_workers(idle=2)
        answers = {tuple(select_values(srv.client.get("/sparql", params={"query": DHS_LABEL + f" # {i}"}), "l"))
                   for i in range(10)}
        assert answers == {tuple(before)}
        assert srv.client.get("/api/info").json()["dataset_sha256"] == sha
    finally:
        actors.write_text(original, encoding="utf-8")
        srv.stop()


def test_the_data_comes_from_the_statement(server):
    # a plain positive control for this module's server
    assert KG + "cap" in select_values(server.client.get("/sparql", params={"query":
                                       "SELECT DISTINCT ?h WHERE { ?s a sckg:Stance ; sckg:holder ?h }"}), "h")


# ---- a client that goes away ------------------------------------------------------------------------------

def test_a_disconnected_clients_query_is_stopped_and_frees_its_worker(project):
    # The only worker may run a query for 600 s; the client hangs up once its query has the worker.
    # The worker must be free again long before the time limit could have freed it.
    srv = Server(project, "--workers", "1", "--timeout", "600")
    try:
        srv.wait_for_workers(idle=1)
        host, port = srv.url.removeprefix("http://").split(":")
        request = httpx.Request("GET", srv.url + "/sparql", params={"query": CROSS_PRODUCT})
        conn = socket.create_connection((host, int(port)), timeout=60)
        conn.sendall(f"GET {request.url.raw_path.decode()} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        srv.wait_for_workers(busy=1)
        conn.close()
        srv.wait_for_workers(idle=1, limit=300)  # replaced, well within the 600 s the query had
        assert "client gone: its query is stopped" in srv.log.read_text()
        assert set(select_values(srv.client.get("/sparql", params={"query": WELCOMED_QUERY}), "target")) == WELCOMED
    finally:
        srv.stop()


# ---- the HTTP layer ----------------------------------------------------------------------------------------

def raw_request(server: Server, data: bytes, limit: float = 120) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=limit) as conn:
        conn.sendall(data)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_foreign_host_header_is_refused_and_never_reflected(server):
    refused = server.client.get("/sparql", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and "evil.example" in refused.text and "--allow-host" in refused.text
    void = server.client.get("/.well-known/void", headers={"Host": "evil.example"})
    assert void.status_code == 400
    for host in ("localhost", "127.0.0.1", server.url.removeprefix("http://")):
        description = server.client.get("/sparql", headers={"Host": host, "Accept": "text/turtle"})
        assert description.status_code == 200, host
        assert f"<http://{host}/sparql>" in description.text or f"http://{host}/sparql" in description.text


def test_allow_host_adds_a_name(project):
    srv = Server(project, "--workers", "1", "--allow-host", "sckg.test")
    try:
        response = srv.client.get("/sparql", headers={"Host": "sckg.test", "Accept": "text/turtle"})
        assert response.status_code == 200 and "http://sckg.test/sparql" in response.text
        assert srv.client.get("/sparql", headers={"Host": "other.test"}).status_code == 400
    finally:
        srv.stop()


def test_an_oversized_header_is_a_431(server):
    from sckg.server.http_limits import MAX_HEAD_BYTES

    # The head stops just past the limit (then the client waits), so the server has read all of it.
    start = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
    answer = raw_request(server, start + b"a" * (MAX_HEAD_BYTES + 10 - len(start)))
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert server.client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_a_get_query_near_64_kib_is_a_413_that_says_post(server):
    from sckg.server.http_limits import MAX_REQUEST_LINE

    line = b"GET /sparql?query=ASK%7B%7D%23" + b"x" * MAX_REQUEST_LINE  # no end of line yet
    answer = raw_request(server, line[:MAX_REQUEST_LINE + 10])
    assert answer.startswith(b"HTTP/1.1 413 ") and b"POST" in answer, answer[:300]
    assert server.client.post("/sparql", data={"query": "ASK {} #" + "x" * 60_000}).status_code == 200


def test_a_head_never_finished_is_closed(server):
    # The limit is the promise checked (20 s from the head's first byte); the wait allows for load.
    from sckg.server.http_limits import HEAD_TIMEOUT

    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=HEAD_TIMEOUT + 120) as conn:
        conn.sendall(b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        answer = conn.recv(200)
    assert answer.startswith(b"HTTP/1.1 408 "), answer


def test_head_on_sparql_is_the_gets_status_without_a_body(server):
    response = server.client.head("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"].startswith("application/sparql-results+json")


def test_a_relative_iri_resolves_against_the_endpoint(server):
    response = server.client.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<thing> AS ?x) }"})
    assert select_values(response, "x") == [server.url + "/thing"]


@pytest.mark.parametrize("fmt, query, media_type", [
    ("json-ld", "CONSTRUCT WHERE { kg:marshall-fitz rdfs:label ?l }", "application/ld+json"),
    ("rdf+xml", "CONSTRUCT WHERE { kg:marshall-fitz rdfs:label ?l }", "application/rdf+xml"),
    ("n3", "CONSTRUCT WHERE { kg:marshall-fitz rdfs:label ?l }", "text/turtle"),
    ("xml", "CONSTRUCT WHERE { kg:marshall-fitz rdfs:label ?l }", "application/rdf+xml"),
    ("xml", "SELECT ?l WHERE { kg:marshall-fitz rdfs:label ?l }", "application/sparql-results+xml"),
    ("application/sparql-results+json", "SELECT ?l WHERE { kg:marshall-fitz rdfs:label ?l }",
     "application/sparql-results+json"),
])
def test_the_format_spellings_sparqlwrapper_sends_are_accepted(server, fmt, query, media_type):
    response = server.client.get("/sparql", params={"query": query, "format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Marshall Fitz" in response.text


def test_cors_exposes_get_answers_but_not_form_post_answers(project):
    srv = Server(project, "--workers", "1", "--cors")
    try:
        origin = {"Origin": "http://evil.example"}
        get = srv.client.get("/sparql", params={"query": "ASK {}"}, headers=origin)
        assert get.headers["access-control-allow-origin"] == "*"
        post = srv.client.post("/sparql", data={"query": "ASK {}"}, headers=origin)
        assert post.status_code == 200 and "access-control-allow-origin" not in post.headers
    finally:
        srv.stop()


# ---- a worker kept for short queries -----------------------------------------------------------------------

def test_a_second_long_query_is_stopped_so_short_queries_keep_a_worker(project):
    from test_server import start_slow_query

    srv = Server(project, "--workers", "2", "--timeout", "600", "--short-query", "1")
    try:
        srv.wait_for_workers(idle=2)
        first_done = start_slow_query(srv)
        srv.wait_for_workers(busy=1)
        second = srv.client.get("/sparql", params={"query": CROSS_PRODUCT + " # the second"})
        assert second.status_code == 503 and "kept free for short queries" in second.text
        srv.wait_for_workers(idle=1)  # the reserve worker is back
        trivial = srv.client.get("/sparql", params={"query": WELCOMED_QUERY})
        assert set(select_values(trivial, "target")) == WELCOMED
        assert not first_done.is_set()  # the first long query still runs: it was not the one stopped
    finally:
        srv.stop()

"""`sckg link` against a real local SPARQL server (oxigraph) loaded with a Wikidata-shaped fixture:
ranking, the existence and label checks, the review file, acceptance, the cache and the error paths.
Expected rankings come from the fixture's design (tests/fixtures/wikidata/entities.ttl): the think
tank "Center for American Progress" must beat the headwear "cap", and the program "Secure
Communities" must beat the television series of the same name."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path
from typing import ClassVar

import pytest
from _support import ROOT, copy_project, run_cli, shared_entity_iris
from test_links_support import closed_port_url, stand_in

from sckg import namespaces as ns
from sckg.errors import UsageError
from sckg.links import inventory, review
from sckg.links.cache import ResponseCache
from sckg.links.client import SparqlClient
from sckg.links.reconcile import WD, reconcile
from sckg.loader import load

# cap, marshall-fitz, secure-communities, advisory-committee, raul-arce-contreras, police, and three people
# with DBpedia links only or none: john-morton, janet-napolitano, margo-schlanger
UNLINKED_IN_WIKIDATA = 9
WIKIDATA_LINKS = 7


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    with stand_in(tmp_path_factory.mktemp("wikidata"), "entities.ttl") as url:
        yield url


@pytest.fixture(scope="module")
def drifted(tmp_path_factory):
    with stand_in(tmp_path_factory.mktemp("drift"), "drift.ttl") as url:
        yield url


@pytest.fixture(scope="module")
def kg():
    return load(ROOT)


def _rows(path: Path) -> list[review.Row]:
    return review.read(path)[1]


def _link(endpoint: str, out: Path, *extra: str, root: Path = ROOT):
    return run_cli("--root", str(root), "link", "--endpoint", endpoint, "--review", str(out),
                   "--cache-dir", str(out.parent / "cache"), "--pause", "0", *extra)


@pytest.fixture(scope="module")
def reviewed(endpoint, tmp_path_factory):
    out = tmp_path_factory.mktemp("review") / "review.tsv"
    result = _link(endpoint, out)
    assert result.returncode == 0, result.stderr
    return out, result


def _candidates(rows, entity):
    return [r for r in rows if r["kind"] == "candidate" and r["entity"] == entity]


def test_candidates_are_ranked_by_label_and_type(reviewed):
    rows = _rows(reviewed[0])
    cap = _candidates(rows, "kg:cap")
    assert [r["target"] for r in cap] == ["wd:Q900000001", "wd:Q900000002"]  # think tank before headwear
    assert float(cap[0]["score"]) > float(cap[1]["score"])
    program = _candidates(rows, "kg:secure-communities")
    assert [r["target"] for r in program] == ["wd:Q900000003", "wd:Q900000004"]
    assert float(program[0]["type_score"]) > float(program[1]["type_score"])
    assert [r["target"] for r in _candidates(rows, "kg:marshall-fitz")] == ["wd:Q900000005"]
    assert all(r["predicate"] == "skos:closeMatch" and r["decision"] == "" for r in rows if r["kind"] == "candidate")


def test_entities_already_linked_to_wikidata_are_not_searched_but_checked(reviewed):
    rows = _rows(reviewed[0])
    shared = {ns.curie(iri) for iri in shared_entity_iris()}
    searched = {r["entity"] for r in rows if r["kind"] in ("candidate", "no-candidate")} & shared
    assert searched == {"kg:cap", "kg:marshall-fitz", "kg:secure-communities", "kg:advisory-committee",
                        "kg:raul-arce-contreras", "kg:state-and-local-police",
                        "kg:john-morton", "kg:janet-napolitano", "kg:margo-schlanger"}
    checks = {r["target"]: r["status"] for r in rows if r["kind"] == "check"}
    assert checks == {"wd:Q11231": "ok", "wd:Q943091": "ok", "wd:Q1379733": "ok",
                      "wd:Q1204": "ok", "wd:Q1384": "ok", "wd:Q771": "ok",  # "New York (state)" ~ "New York"
                      "wd:Q76": "ok"}


def test_the_check_reports_changed_labels_merged_and_missing_items(drifted, tmp_path):
    out = tmp_path / "review.tsv"
    result = _link(drifted, out)
    assert result.returncode == 0, result.stderr
    checks = {r["target"]: r for r in _rows(out) if r["kind"] == "check"}
    assert checks["wd:Q771"]["status"] == "label-changed"
    assert "'Massachusetts'" in checks["wd:Q771"]["note"] and "'Plymouth Colony'" in checks["wd:Q771"]["note"]
    assert checks["wd:Q1204"]["status"] == "merged" and "wd:Q900000200" in checks["wd:Q1204"]["note"]
    assert checks["wd:Q1384"]["status"] == "missing"
    assert checks["wd:Q11231"]["status"] == "ok"
    assert "label-changed: Massachusetts" in result.stdout


def test_the_review_file_is_written_where_asked_and_data_is_untouched(reviewed):
    out, result = reviewed
    assert out.is_file()
    assert f"review file: {out}" in result.stdout
    assert not (ROOT / "data" / "links" / "reconciled.ttl").exists()


def test_a_second_run_is_answered_from_the_cache(endpoint, kg, tmp_path):
    cache = ResponseCache(tmp_path / "cache")
    first = SparqlClient(endpoint, cache, pause=0)
    reconcile(first, kg, inventory.unlinked_entities(kg, WD), inventory.links(kg))
    searches = len(inventory.unlinked_entities(kg, WD))   # the nine above, and any a new statement added
    assert searches >= UNLINKED_IN_WIKIDATA
    assert (first.requests_sent, first.cache_hits) == (searches + 1, 0)
    second = SparqlClient(endpoint, cache, pause=0)
    again = reconcile(second, kg, inventory.unlinked_entities(kg, WD), inventory.links(kg))
    assert (second.requests_sent, second.cache_hits) == (0, searches + 1)
    assert len(again.checks) == WIKIDATA_LINKS


def test_a_damaged_cache_entry_is_asked_again(endpoint, tmp_path):
    cache = ResponseCache(tmp_path / "cache")
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    SparqlClient(endpoint, cache, pause=0).select(query)
    next((tmp_path / "cache").glob("*.json")).write_text("{not json", encoding="utf-8")
    client = SparqlClient(endpoint, cache, pause=0)
    assert len(client.select(query)) == 1
    assert (client.requests_sent, client.cache_hits) == (1, 0)


def test_cli_reports_cache_hits_on_the_second_run(endpoint, kg, tmp_path):
    out = tmp_path / "review.tsv"
    assert _link(endpoint, out).returncode == 0
    second = _link(endpoint, out, "--force")
    assert second.returncode == 0, second.stderr
    searches = len(inventory.unlinked_entities(kg, WD))   # the nine above, and any a new statement added
    assert f"requests: 0 sent, {searches + 1} answered from the cache" in second.stdout


def test_an_existing_review_file_is_not_overwritten_without_force(reviewed, endpoint):
    out, _ = reviewed
    before = out.read_bytes()
    result = _link(endpoint, out)
    assert result.returncode == 2
    assert "exists and may hold a reviewer's decisions" in result.stderr
    assert out.read_bytes() == before


def test_the_review_file_may_not_be_a_loaded_data_file(endpoint):
    result = run_cli("link", "--endpoint", endpoint, "--review", str(ROOT / "data" / "links" / "x.ttl"))
    assert result.returncode == 2
    assert "must not be a data file the graph loads" in result.stderr
    assert not (ROOT / "data" / "links" / "x.ttl").exists()


def test_offline_endpoint_gives_a_clear_error_and_exit_2(tmp_path):
    url = closed_port_url()
    result = run_cli("link", "--endpoint", url, "--review", str(tmp_path / "r.tsv"), "--no-cache")
    assert result.returncode == 2
    assert f"cannot reach {url}: connection refused (are you offline?)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "r.tsv").exists()


def test_an_endpoint_that_is_not_a_url_is_a_usage_error(tmp_path):
    result = run_cli("link", "--endpoint", "query.wikidata.org", "--review", str(tmp_path / "r.tsv"))
    assert result.returncode == 2
    assert "is not an http(s) URL" in result.stderr


# ---- what the client sends, and how it takes HTTP failures: a real local HTTP server --------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    answers: ClassVar[list] = []  # shared by the server's handler instances, one per request
    seen: ClassVar[list] = []

    def do_GET(self):
        type(self).seen.append(dict(self.headers))
        status, body = type(self).answers.pop(0)
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.answers, _Recorder.seen = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Recorder
    server.shutdown()
    server.server_close()


EMPTY = json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()


def test_requests_carry_a_descriptive_user_agent_and_ask_for_sparql_json(recorder):
    url, handler = recorder
    handler.answers.append((200, EMPTY))
    SparqlClient(url, pause=0).select("ASK {}")
    agent = handler.seen[0]["User-Agent"]
    assert agent.startswith("sckg/") and "https://w3id.org/sckg" in agent
    assert handler.seen[0]["Accept"] == "application/sparql-results+json"


def test_an_http_error_names_the_status(recorder):
    url, handler = recorder
    handler.answers.append((429, b"Too many requests"))
    with pytest.raises(UsageError, match=r"answered HTTP 429 .*raise --pause"):
        SparqlClient(url, pause=0).select("SELECT * WHERE { ?s ?p ?o }")


def test_an_answer_that_is_not_sparql_json_is_reported(recorder):
    url, handler = recorder
    handler.answers.append((200, b"<html>maintenance</html>"))
    with pytest.raises(UsageError, match="did not answer with SPARQL JSON results"):
        SparqlClient(url, pause=0).select("SELECT * WHERE { ?s ?p ?o }")


def test_a_slow_endpoint_times_out_with_a_clear_message(tmp_path):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection but never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        with pytest.raises(UsageError, match=r"did not answer within 0.2 s"):
            SparqlClient(url, pause=0, timeout=0.2).select("ASK {}")
    finally:
        listener.close()


# ---- accepting -------------------------------------------------------------------------------------

@pytest.fixture
def project_with_review(endpoint, tmp_path):
    root = copy_project(tmp_path / "project")
    out = tmp_path / "review.tsv"
    result = _link(endpoint, out, root=root)
    assert result.returncode == 0, result.stderr
    return root, out


def _mark(path: Path, row_id: str, **changes: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if not line.startswith("#")).split("\t")
    for i, line in enumerate(lines):
        cells = line.split("\t")
        if cells[0] == row_id:
            for column, value in changes.items():
                cells[header.index(column)] = value
            lines[i] = "\t".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _row_id(path: Path, entity: str, target: str) -> str:
    return next(r["id"] for r in _rows(path) if r["entity"] == entity and r["target"] == target)


def test_accepting_marked_rows_writes_links_with_provenance_that_validate(project_with_review, tmp_path):
    root, out = project_with_review
    _mark(out, _row_id(out, "kg:cap", "wd:Q900000001"), decision="accept", predicate="owl:sameAs")
    result = run_cli("--root", str(root), "link", "--accept", str(out))
    assert result.returncode == 0, result.stderr
    assert "accepted 1 link(s)" in result.stdout
    kg = load(root)
    [link] = [each for each in inventory.links(kg) if each.target == WD + "Q900000001"]
    assert link.entity.endswith("/cap") and link.predicate.endswith("#sameAs")
    assert link.sources and link.date and "accepted by a reviewer" in link.method
    assert link.target_label == "Center for American Progress"
    build = run_cli("--root", str(root), "build", "-q", "-o", str(tmp_path / "dist"))
    assert build.returncode == 0, build.stdout + build.stderr


def test_accepting_by_id_and_twice_adds_nothing_new(project_with_review):
    root, out = project_with_review
    row = _row_id(out, "kg:secure-communities", "wd:Q900000003")
    assert run_cli("--root", str(root), "link", "--accept", str(out), row).returncode == 0
    again = run_cli("--root", str(root), "link", "--accept", str(out), row)
    assert again.returncode == 0
    assert "nothing new" in again.stdout
    text = (root / "data" / "links" / "reconciled.ttl").read_text(encoding="utf-8")
    assert text.count("http://www.wikidata.org/entity/Q900000003> .") == 1


@pytest.mark.parametrize("case, code, message", [
    ("nothing marked", 2, "nothing to accept"),
    ("unknown id", 2, "no row with id r999"),
    ("check row", 1, "is a check row, not a candidate"),
    ("bad predicate", 1, "is not a link predicate"),
    ("two targets", 1, "both link kg:cap with skos:closeMatch"),
])
def test_accept_errors_name_the_row_and_change_nothing(project_with_review, case, code, message):
    root, out = project_with_review
    ids: list[str] = []
    first = _row_id(out, "kg:cap", "wd:Q900000001")
    if case == "unknown id":
        ids = ["r999"]
    elif case == "check row":
        ids = [_row_id(out, "kg:dhs", "wd:Q11231")]
    elif case == "bad predicate":
        _mark(out, first, decision="accept", predicate="rdfs:seeAlso")
    elif case == "two targets":
        ids = [first, _row_id(out, "kg:cap", "wd:Q900000002")]
    result = run_cli("--root", str(root), "link", "--accept", str(out), *ids)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "data" / "links" / "reconciled.ttl").exists()


def test_bad_predicate_error_names_file_and_line(project_with_review):
    root, out = project_with_review
    row = _row_id(out, "kg:cap", "wd:Q900000001")
    line = next(r.line for r in _rows(out) if r["id"] == row)
    _mark(out, row, decision="accept", predicate="rdfs:seeAlso")
    result = run_cli("--root", str(root), "link", "--accept", str(out))
    assert f"review.tsv:{line}:" in result.stderr


def test_row_ids_without_accept_are_a_usage_error():
    result = run_cli("link", "r1")
    assert result.returncode == 2
    assert "only meaningful with --accept" in result.stderr


# ---- review files written or edited by hand -----------------------------------------------------

REVIEW_HEADER = "# sckg link review file: endpoint http://127.0.0.1:1/query, 2026-11-29\n"
COLUMNS = "\t".join(review.COLUMNS)


def _review_file(tmp_path: Path, *rows: list[str], header: str = REVIEW_HEADER, columns: str = COLUMNS) -> Path:
    path = tmp_path / "hand.tsv"
    body = "".join("\t".join(r + [""] * (len(review.COLUMNS) - len(r))) + "\n" for r in rows)
    path.write_text(header + columns + "\n" + body, encoding="utf-8")
    return path


def _candidate(entity: str = "kg:marshall-fitz", target: str = "wd:Q900000005", predicate: str = "skos:closeMatch"):
    return ["r1", "accept", "candidate", entity, "Marshall Fitz", predicate, target, "Marshall Fitz"]


@pytest.mark.parametrize("case, code, message", [
    ("no file", 2, "review file not found"),
    ("no endpoint line", 1, "hand.tsv:1: the header line naming the endpoint is missing"),
    ("missing columns", 1, "hand.tsv:2: the header lacks column(s) predicate, target"),
    ("unknown prefix", 1, "hand.tsv:3: unknown prefix 'foo' in target 'foo:Q1'"),
    ("not an IRI", 1, "hand.tsv:3: target 'Q900000005' is not an IRI"),
    ("entity not in graph", 1, "hand.tsv:3: entity kg:nobody of row r1 is not in the graph"),
])
def test_hand_edited_review_files_get_clear_errors(tmp_path, case, code, message):
    root = copy_project(tmp_path / "project")
    path = tmp_path / "hand.tsv"
    if case == "no endpoint line":
        path = _review_file(tmp_path, _candidate(), header="")
    elif case == "missing columns":
        path = _review_file(tmp_path, ["r1", "accept", "candidate", "kg:cap"], columns="id\tdecision\tkind\tentity")
    elif case == "unknown prefix":
        path = _review_file(tmp_path, _candidate(target="foo:Q1"))
    elif case == "not an IRI":
        path = _review_file(tmp_path, _candidate(target="Q900000005"))
    elif case == "entity not in graph":
        path = _review_file(tmp_path, _candidate(entity="kg:nobody"))
    result = run_cli("--root", str(root), "link", "--accept", str(path))
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "data" / "links" / "reconciled.ttl").exists()


def test_accept_refuses_to_add_to_a_links_file_that_no_longer_parses(tmp_path):
    root = copy_project(tmp_path / "project")
    into = root / "data" / "links" / "reconciled.ttl"
    into.write_text("this is not turtle\n", encoding="utf-8")
    # the loader rejects the broken file first, naming it: the project must be fixed before accepting
    result = run_cli("--root", str(root), "link", "--accept", str(_review_file(tmp_path, _candidate())))
    assert result.returncode == 1
    assert "reconciled.ttl" in result.stderr
    assert into.read_text(encoding="utf-8") == "this is not turtle\n"


def test_accept_checks_that_the_target_file_parses_before_replacing_it(tmp_path, kg):
    into = tmp_path / "elsewhere.ttl"
    into.write_text("@prefix broken\n", encoding="utf-8")
    from sckg.errors import DataError
    with pytest.raises(DataError, match="would not parse after adding the links"):
        review.accept(kg, _review_file(tmp_path, _candidate()), [], into)
    assert into.read_text(encoding="utf-8") == "@prefix broken\n"


def test_host_name_failures_are_explained():
    import socket

    from sckg.links.client import _reason
    assert (_reason(socket.gaierror(-2, "Name or service not known"))
            == "host name not found (Name or service not known)")


def test_requests_are_paced(recorder, monkeypatch):
    url, handler = recorder
    handler.answers += [(200, EMPTY), (200, EMPTY)]
    waits: list[float] = []
    monkeypatch.setattr("sckg.links.client.time.sleep", waits.append)  # record the pause instead of taking it
    client = SparqlClient(url, pause=5.0)
    client.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    client.select("SELECT * WHERE { ?s ?p ?o } LIMIT 2")
    assert len(waits) == 1 and 0 < waits[0] <= 5.0
    assert client.requests_sent == 2

"""Extra data given at query or serve time (`sckg query --with`, `sckg serve --with`): it is
validated against the project's SHACL shapes like a build would (a warning with a summary, or a
refusal with --strict), and a TriG or N-Quads file keeps the graph names it gives its triples.

The invalid stance below breaks rules the shapes state (docs/validation.md): a stance's holder must
be an sckg:Actor, its polarity a concept of sckg:PolarityScheme."""

from __future__ import annotations

import subprocess
import sys

import pytest
from _support import ROOT, copy_project, run_cli
from test_server import Server

BAD_STANCE = """@prefix sckg: <https://w3id.org/sckg/ontology#> .
@prefix kg: <https://w3id.org/sckg/id/> .
kg:my-stance a sckg:Stance ; sckg:holder "somebody" ; sckg:polarity "yes" .
"""
TRIG = """@prefix ex: <http://example.org/> .
ex:loose ex:says "in the file's default graph" .
ex:g1 { ex:a ex:says "in g1" . }
ex:g2 { ex:b ex:says "in g2" . ex:c ex:says "also in g2" . }
"""
NQUADS = """<http://example.org/a> <http://example.org/says> "in g1" <http://example.org/g1> .
<http://example.org/b> <http://example.org/says> "in g2" <http://example.org/g2> .
<http://example.org/loose> <http://example.org/says> "in the file's default graph" .
"""
PER_GRAPH = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <http://example.org/says> ?o } } "
             "GROUP BY ?g ORDER BY ?g")


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    path = tmp_path_factory.mktemp("extra") / "bad-stance.ttl"
    path.write_text(BAD_STANCE, encoding="utf-8")
    return path


# ---- validation ----------------------------------------------------------------------------------------

def test_query_with_invalid_extra_data_warns_with_a_summary_and_still_answers(bad):
    r = run_cli("query", "-e", "ASK { kg:my-stance a sckg:Stance }", "--with", str(bad))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "true"
    assert "warning:" in r.stderr and "fails the SHACL shapes" in r.stderr
    assert "sckg:holder" in r.stderr and "sckg:polarity" in r.stderr and "kg:my-stance" in r.stderr
    assert "--strict" in r.stderr


def test_query_strict_refuses_invalid_extra_data(bad):
    r = run_cli("query", "-e", "ASK { kg:my-stance a sckg:Stance }", "--with", str(bad), "--strict")
    assert r.returncode == 1
    assert r.stdout == "" and "--strict refuses" in r.stderr and "sckg:holder" in r.stderr


def test_query_with_valid_extra_data_says_nothing():
    r = run_cli("query", "-e", "ASK {}", "--with", str(ROOT / "data" / "examples" / "opt-out-states.ttl"), "--strict")
    assert r.returncode == 0 and r.stderr == ""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("project"))
    assert run_cli("--root", str(root), "build", "--quiet").returncode == 0
    return root


def test_serve_with_invalid_extra_data_warns_at_start(project, bad):
    server = Server(project, "--workers", "1", "--with", str(bad))
    try:
        response = server.client.get("/sparql", params={"query": "ASK { kg:my-stance a sckg:Stance }"})
        assert response.json()["boolean"] is True
    finally:
        server.stop()
    log = server.log.read_text()
    assert "warning:" in log and "fails the SHACL shapes" in log and "sckg:holder" in log


def test_serve_strict_refuses_invalid_extra_data_before_listening(project, bad):
    cmd = [sys.executable, "-m", "sckg", "--root", str(project), "serve", "--port", "0", "--quiet",
           "--with", str(bad), "--strict"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "ready at" not in r.stdout and "--strict refuses" in r.stderr


# ---- graph names of TriG and N-Quads -------------------------------------------------------------------

@pytest.mark.parametrize("name, text", [("mine.trig", TRIG), ("mine.nq", NQUADS)])
def test_trig_and_nquads_keep_their_graph_names(name, text, tmp_path):
    import sckg

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    kg = sckg.load(extra=[path])
    counts = {row.g: row.n for row in kg.query(PER_GRAPH)}
    expected_g2 = 2 if name.endswith(".trig") else 1
    assert counts == {"http://example.org/g1": 1, "http://example.org/g2": expected_g2,
                      "https://w3id.org/sckg/graph/extension/" + name: 1}
    r = run_cli("query", "-e", "SELECT ?o FROM <http://example.org/g1> WHERE { ?s ?p ?o }", "--with", str(path))
    assert r.returncode == 0 and r.stdout.splitlines() == ["o", "in g1"], r.stderr


def test_serve_extra_nquads_keeps_graph_names(project, tmp_path):
    path = tmp_path / "data.nq"
    path.write_text(NQUADS, encoding="utf-8")
    server = Server(project, "--workers", "1", "--with", str(path))
    try:
        response = server.client.get("/sparql", params={"query": PER_GRAPH})
        rows = {b["g"]["value"]: int(b["n"]["value"]) for b in response.json()["results"]["bindings"]}
        named = server.client.get("/sparql", params={"query": "SELECT ?o WHERE { ?s ?p ?o }",
                                                      "default-graph-uri": "http://example.org/g2"})
    finally:
        server.stop()
    assert rows == {"http://example.org/g1": 1, "http://example.org/g2": 1,
                    "https://w3id.org/sckg/graph/extension/data.nq": 1}
    assert [b["o"]["value"] for b in named.json()["results"]["bindings"]] == ["in g2"]

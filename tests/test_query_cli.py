"""``sckg query`` and ``sckg queries`` as a user runs them: the four ways to give a query, every output
format, the predeclared prefixes, and each error path with its exit code and message."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
import rdflib
from _support import ROOT, expected_rows, run_cli, statement_folders, statement_iri, statement_params

from sckg.commands.query import choose_format
from sckg.library import catalogue_markdown, list_queries
from sckg.querying_table import shorten

# Stances per holder over the whole project. The expected counts are each statement's own (its
# expected/stances-matrix.csv, one row per sckg:Stance, written by reading its text), added up.
HOLDERS = "SELECT ?holder (COUNT(?s) AS ?n) WHERE { ?s a sckg:Stance ; sckg:holder ?holder } GROUP BY ?holder"
# CONSTRUCT: who is the speaker of each statement (one triple each, from the document's description).
SPEAKER = "CONSTRUCT { ?doc sckg:speaker ?who } WHERE { ?doc a sckg:PolicyStatement ; sckg:speaker ?who }"


def expand(curie: str) -> str:
    from sckg.namespaces import DATA
    assert curie.startswith("kg:"), curie
    return DATA + curie.removeprefix("kg:")


def holders_expected() -> set[tuple[str, str]]:
    counts = Counter(e["holder"] for f in statement_folders() for e in expected_rows(f, "stances-matrix"))
    return {(holder, str(n)) for holder, n in counts.items()}


def speakers_expected() -> set:
    return {(rdflib.URIRef(statement_iri(f)), rdflib.URIRef("https://w3id.org/sckg/ontology#speaker"),
             rdflib.URIRef(expand(e["speaker"])))
            for f in statement_folders() for e in expected_rows(f, "actors-speaker")}


def csv_rows(text: str) -> set[tuple[str, ...]]:
    rows = list(csv.reader(io.StringIO(text)))
    return {tuple(r) for r in rows[1:]}


def curied(rows):
    from sckg.namespaces import curie
    return {tuple(curie(c) for c in r) for r in rows}


# ---- the four ways in --------------------------------------------------------------------------

def test_expression_gives_csv_when_piped():
    r = run_cli("query", "-e", HOLDERS)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "holder,n"
    assert curied(csv_rows(r.stdout)) == holders_expected()


def test_file_and_stdin_give_the_same_answer_as_the_expression(tmp_path):
    path = tmp_path / "holders.rq"
    path.write_text(HOLDERS + "\n", encoding="utf-8")
    by_file = run_cli("query", str(path))
    by_stdin = subprocess_stdin(HOLDERS)
    assert by_file.returncode == 0 and by_stdin.returncode == 0, by_file.stderr + by_stdin.stderr
    assert curied(csv_rows(by_file.stdout)) == curied(csv_rows(by_stdin.stdout)) == holders_expected()


def subprocess_stdin(text: str):
    import os
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "sckg", "query", "-"], input=text, cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=300)


def test_library_name_runs_the_library_query():
    r = run_cli("query", "stances-by-holder")
    assert r.returncode == 0, r.stderr
    rows = curied(csv_rows(r.stdout))
    assert ("kg:cap-2011-06-17", "kg:cap", "kg:cap", "sckg:polarityWelcomes", "3") in rows


def test_queries_lists_at_least_25_names_with_titles():
    r = run_cli("queries")
    assert r.returncode == 0, r.stderr
    for q in list_queries(ROOT):
        assert f"{q.name}" in r.stdout and q.title in r.stdout
    assert len(list_queries(ROOT)) >= 25
    assert "Causal chains" in r.stdout  # grouped under headings


def test_catalogue_matches_the_headers_of_the_query_files():
    on_disk = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    assert on_disk == catalogue_markdown(list_queries(ROOT)), \
        "queries/README.md is stale: regenerate it with sckg queries --markdown > queries/README.md"
    r = run_cli("queries", "--markdown")
    assert r.stdout == on_disk


def test_prefixes_are_listed():
    r = run_cli("queries", "--prefixes")
    assert r.returncode == 0 and "schema:" in r.stdout and "https://schema.org/" in r.stdout


# ---- formats --------------------------------------------------------------------------------------

def test_tsv_json_and_xml_are_the_sparql_results_formats():
    tsv = run_cli("query", "-e", HOLDERS, "--format", "tsv").stdout
    assert tsv.splitlines()[0] == "?holder\t?n"
    assert {tuple(line.split("\t")) for line in tsv.splitlines()[1:]} == {
        (f"<{expand(h)}>", n) for h, n in holders_expected()}
    data = json.loads(run_cli("query", "-e", HOLDERS, "--format", "json").stdout)
    assert data["head"]["vars"] == ["holder", "n"]
    assert {(b["holder"]["value"], b["n"]["value"]) for b in data["results"]["bindings"]} == {
        (expand(h), n) for h, n in holders_expected()}
    root = ET.fromstring(run_cli("query", "-e", HOLDERS, "--format", "xml").stdout)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert len(root.findall(".//r:result", ns)) == len(holders_expected())


def test_ask_prints_true_or_false():
    assert run_cli("query", "-e", "ASK { kg:cap sckg:speaksFor ?x }", "--format", "csv").stdout.strip() == "false"
    r = run_cli("query", "-e", "ASK { kg:cap sckg:speaksFor kg:dhs }", "--format", "table")
    assert r.returncode == 0 and r.stdout.strip() == "false" and "no results" not in r.stderr


@pytest.mark.parametrize("fmt,parser", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_construct_in_every_graph_format(fmt, parser):
    r = run_cli("query", "-e", SPEAKER, "--format", fmt)
    assert r.returncode == 0, r.stderr
    g = rdflib.Graph().parse(data=r.stdout, format=parser)
    assert set(g) == speakers_expected()


def test_construct_defaults_to_turtle_with_our_prefixes():
    r = run_cli("query", "-e", SPEAKER)
    assert "@prefix sckg: <https://w3id.org/sckg/ontology#>" in r.stdout
    assert "kg:marshall-fitz" in r.stdout


def test_output_file_is_written_and_its_extension_chooses_the_format(tmp_path):
    import os
    out = tmp_path / "holders.json"
    umask = os.umask(0o022)  # the child inherits it: a file written by open() would be 0644
    try:
        r = run_cli("query", "-e", HOLDERS, "-o", str(out))
    finally:
        os.umask(umask)
    assert r.returncode == 0 and r.stdout == ""
    assert json.loads(out.read_text())["head"]["vars"] == ["holder", "n"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file left behind"
    assert out.stat().st_mode & 0o777 == 0o644, "the permissions open() would give, not mkstemp's 0600"


def test_overwriting_an_output_file_keeps_its_permissions(tmp_path):
    out = tmp_path / "answer.csv"
    out.write_text("old\n")
    out.chmod(0o640)
    assert run_cli("query", "-e", HOLDERS, "-o", str(out)).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o640 and out.read_text().startswith("holder,n")


def test_a_failing_query_leaves_the_output_file_as_it_was(tmp_path):
    out = tmp_path / "answer.csv"
    out.write_text("previous answer\n")
    r = run_cli("query", "-e", "SELECT WHERE {", "-o", str(out))
    assert r.returncode == 2
    assert out.read_text() == "previous answer\n"


def test_default_format_is_table_on_a_terminal_and_csv_otherwise():
    assert choose_format(None, None, is_graph=False, tty=True) == "table"
    assert choose_format(None, None, is_graph=False, tty=False) == "csv"
    assert choose_format(None, "x.tsv", is_graph=False, tty=True) == "tsv"
    assert choose_format(None, "x.out", is_graph=False, tty=True) == "csv"
    assert choose_format(None, None, is_graph=True, tty=True) == "turtle"
    assert choose_format("xml", "x.out", is_graph=False, tty=False) == "xml"  # x.csv is refused: see test_cli_hardening


@pytest.mark.parametrize("folder", statement_params())
def test_table_shows_curies_and_a_row_count(folder):
    # wide enough for a table of columns (a narrow terminal gets one record per row instead)
    r = run_cli("query", "stances-by-holder", "--format", "table", env={"COLUMNS": "200"})
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["statement", "publisher", "holder", "polarity", "stances"]
    for e in expected_rows(folder, "stances-by-holder"):
        row = [e["statement"], e["publisher"], e["holder"], e["polarity"], e["stances"]]
        assert row in [line.split() for line in lines]
    rows = sum(len(expected_rows(f, "stances-by-holder")) for f in statement_folders())
    assert lines[-1] == f"({rows} rows)"


def test_shortening_keeps_the_prefix_of_an_iri_and_cuts_literals_with_an_ellipsis():
    curie = "kg:cap-2011-06-17/supports-own-recommendation"
    short = shorten(curie, "iri", 24)
    assert len(short) == 24 and short.startswith("kg:") and short.endswith("own-recommendation")
    full = "<http://example.org/a/very/long/namespace/and-a-long-local-name>"
    assert shorten(full, "iri", 40).startswith("<") and shorten(full, "iri", 40).endswith("local-name>")
    text = "The facts on the ground thus raise the ugly specter of pretextual arrests"
    assert shorten(text, "literal", 20) == "The facts on the gr…"
    assert shorten("short", "literal", 20) == "short"


# ---- prefixes ------------------------------------------------------------------------------------

def test_project_prefixes_need_no_declaration():
    r = run_cli("query", "-e", "SELECT ?d WHERE { kg:cap-2011-06-17 schema:datePublished ?d }")
    assert r.returncode == 0, r.stderr
    assert csv_rows(r.stdout) == {("2011-06-17",)}


def test_a_users_prefix_line_overrides_ours():
    query = "PREFIX kg: <https://w3id.org/sckg/ontology#>\nSELECT ?s WHERE { ?s a kg:Hope }"
    r = run_cli("query", "-e", query)
    assert r.returncode == 0, r.stderr
    assert csv_rows(r.stdout) == {("https://w3id.org/sckg/id/cap-2011-06-17/hope-committee",)}


# ---- errors and empty answers ---------------------------------------------------------------------

def test_syntax_error_names_line_column_and_text_of_the_users_query():
    r = run_cli("query", "-e", "SELECT ?s\nWHERE {\n  ?s a sckg:Stance ;\n     sckgx:holder ?h }")
    assert r.returncode == 2
    assert "line 4, column" in r.stderr
    assert "sckgx:holder ?h }" in r.stderr  # the offending line, quoted
    assert "unknown prefix 'sckgx:'" in r.stderr
    assert "Traceback" not in r.stderr


def test_syntax_error_in_a_file_counts_lines_of_the_file(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("# title: t\n# question: q\nSELECT ?s WHERE {\n  ?s ?p ?o ;\n     ?q }\n")
    r = run_cli("query", str(path))
    assert r.returncode == 2
    # The property ?q lacks its object; Oxigraph notices only when the file ends, so the message
    # points after the file's last line (5, counted in the file, header comments included).
    assert "bad.rq: SPARQL syntax error at the end of the query (after line 5)" in r.stderr
    assert "?q }" in r.stderr


def test_a_syntax_error_inside_a_line_shows_the_column_and_a_readable_expectation():
    r = run_cli("query", "-e", "SELECT ?s WHERE {\n  ?s ?p ?o . FILTER ?s }")
    assert r.returncode == 2
    assert "line 2, column" in r.stderr and "?s ?p ?o . FILTER ?s }" in r.stderr
    assert "..=" not in r.stderr and "\\u{" not in r.stderr  # no raw character classes


def test_syntax_error_on_rdflib_counts_lines_of_the_users_query_too():
    r = run_cli("query", "--engine", "rdflib", "-e", "SELECT ?s WHERE {\n ?s ?p }")
    assert r.returncode == 2
    assert "line 2, column 2" in r.stderr and "?s ?p }" in r.stderr


def test_rdflib_unknown_prefix_is_a_usage_error():
    r = run_cli("query", "--engine", "rdflib", "-e", "SELECT ?s WHERE { ?s sckgx:p ?o }")
    assert r.returncode == 2
    assert "rdflib cannot run this query" in r.stderr and "sckgx" in r.stderr


def test_unknown_name_suggests_the_closest_names():
    r = run_cli("query", "stance-matrix")
    assert r.returncode == 2
    assert "no query named 'stance-matrix'" in r.stderr and "did you mean stances-matrix" in r.stderr


def test_empty_answer_says_so_and_exits_0():
    r = run_cli("query", "grounding-uncovered-sentences", "--format", "table")
    assert r.returncode == 0
    assert r.stdout == "" and r.stderr.strip() == "no results"


def test_empty_answer_in_csv_still_writes_the_header():
    r = run_cli("query", "grounding-uncovered-sentences")
    assert r.returncode == 0 and r.stdout.strip() == "statement,publisher,sentence,number,text"
    assert "no results" in r.stderr


@pytest.mark.parametrize("args,message", [
    (["-e", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle"], "choose --format table, csv"),
    (["-e", SPEAKER, "--format", "csv"], "choose --format turtle, nt, jsonld"),
    (["-e", SPEAKER, "--format", "table"], "choose --format turtle, nt or jsonld"),
    (["nowhere/missing.rq"], "no such query file"),
    (["stances-matrix", "-e", "ASK {}"], "not both"),
    ([], "which query?"),
    (["-e", "   "], "the query is empty"),
    (["-e", "ASK {}", "--engine", "blazegraph"], "invalid choice"),
])
def test_usage_errors_exit_2_with_a_message(args, message):
    r = run_cli("query", *args)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_help_documents_formats_defaults_and_exit_codes():
    r = run_cli("query", "--help")
    assert "csv when piped" in r.stdout and "exit codes" in r.stdout and "no results" in r.stdout


def test_unreachable_service_endpoint_is_a_clear_error_not_a_traceback():
    import socket

    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there now
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = run_cli("query", "-e", f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
    assert r.returncode == 2
    assert "the query failed while running" in r.stderr and "are you offline?" in r.stderr
    assert "Traceback" not in r.stderr


def test_with_loads_an_extra_file_beside_the_project(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text('<https://example.org/row1> <https://example.org/count> 42 .\n', encoding="utf-8")
    query = "SELECT ?n WHERE { <https://example.org/row1> <https://example.org/count> ?n }"
    assert csv_rows(run_cli("query", "-e", query).stdout) == set()  # csv_rows drops the header
    assert csv_rows(run_cli("query", "-e", query, "--with", str(extra)).stdout) == {("42",)}


def test_with_names_a_missing_file():
    r = run_cli("query", "-e", "ASK {}", "--with", "no-such.ttl")
    assert r.returncode == 2 and "no-such.ttl: file not found" in r.stderr


def test_output_to_a_folder_is_a_clear_usage_error(tmp_path):
    r = run_cli("query", "stances-matrix", "-o", str(tmp_path))
    assert r.returncode == 2
    assert "is a folder; give a file name" in r.stderr and "Traceback" not in r.stderr


def test_a_narrow_terminal_gets_records_with_whole_values_not_mangled_columns():
    narrow = run_cli("query", "stances-matrix", "--format", "table", env={"COLUMNS": "80"})
    assert narrow.returncode == 0
    assert narrow.stdout.startswith("-[ row 1 ]")
    assert "target    | kg:criminal-removal-emphasis" in narrow.stdout
    assert "…" not in narrow.stdout
    wide = run_cli("query", "stances-matrix", "--format", "table", env={"COLUMNS": "200"})
    assert wide.stdout.splitlines()[0].split() == ["statement", "publisher", "holder", "target", "polarity", "voice",
                                                   "stance"]

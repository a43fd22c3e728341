"""Hardening of the local commands (issue 12's low items): each test is a probe of the attack report
that once failed (its number is in the test's docstring), run as a user runs the command."""

from __future__ import annotations

import os
import re

import pytest
from _support import run_cli

from sckg.commands.query import choose_format
from sckg.errors import UsageError

SELECT_ONE = "SELECT ?s WHERE { ?s a sckg:PolicyStatement }"


# ---- sckg query -o with a contradicting extension; updates ----------------------------------------

def test_query_refuses_to_write_select_results_into_a_ttl_file(tmp_path):
    out = tmp_path / "x.ttl"
    r = run_cli("query", "-e", SELECT_ONE, "-o", str(out))
    assert r.returncode == 2, r.stderr
    assert "x.ttl" in r.stderr and "results" in r.stderr and ".csv" in r.stderr
    assert not out.exists()


def test_query_refuses_a_format_that_contradicts_the_extension(tmp_path):
    out = tmp_path / "x.csv"
    r = run_cli("query", "-e", SELECT_ONE, "-f", "json", "-o", str(out))
    assert r.returncode == 2 and "--format json" in r.stderr and ".csv" in r.stderr
    assert not out.exists()


def test_extensions_that_fit_still_choose_the_format():
    assert choose_format(None, "x.json", is_graph=True, tty=False) == "jsonld"
    assert choose_format(None, "x.nt", is_graph=True, tty=False) == "nt"
    assert choose_format("csv", "x.txt", is_graph=False, tty=False) == "csv"  # .txt names no format
    assert choose_format(None, "x.txt", is_graph=False, tty=False) == "table"
    assert choose_format("xml", "x.out", is_graph=False, tty=False) == "xml"
    with pytest.raises(UsageError):
        choose_format(None, "graph.csv", is_graph=True, tty=False, form="CONSTRUCT")


@pytest.mark.parametrize("update", ["INSERT DATA { kg:a kg:b kg:c }", "DELETE WHERE { ?s ?p ?o }",
                                    "LOAD <http://127.0.0.1:9/x>", "CLEAR ALL"])
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_query_says_updates_are_not_supported(update, engine):
    """Q2: an update got 'syntax error ... expected CONSTRUCT'."""
    r = run_cli("query", "--engine", engine, "-e", update)
    assert r.returncode == 2
    assert "updates are not supported" in r.stderr and "syntax error" not in r.stderr
    assert "Traceback" not in r.stderr


# ---- import-table: typed cells that cannot be typed -------------------------------------------------

def _import(tmp_path, text: str):
    table = tmp_path / "t.csv"
    table.write_text(text, encoding="utf-8")
    return run_cli("import-table", str(table), "--key", "state", "-o", str(tmp_path / "t.ttl")), tmp_path / "t.ttl"


def test_import_table_names_a_number_too_long_to_write_without_a_traceback(tmp_path):
    """T3: a 5000-digit integer cell gave a ValueError traceback."""
    r, out = _import(tmp_path, "state,n\nIllinois," + "9" * 5000 + "\n")
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "t.csv:2: row 1, column 'n'" in r.stderr and "5000 digits" in r.stderr
    assert not out.exists()


def test_import_table_refuses_an_invalid_date_instead_of_writing_an_ill_typed_literal(tmp_path):
    """T4: '2011-13-45' printed rdflib's traceback, exited 0 and wrote "2011-13-45"^^xsd:date."""
    r, out = _import(tmp_path, "state,opted_out\nIllinois,2011-05-04\nNew York,2011-13-45\n")
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "t.csv:3: row 2, column 'opted_out'" in r.stderr and "not a valid date" in r.stderr
    assert not out.exists()


def test_import_table_still_types_valid_dates_and_numbers(tmp_path):
    r, out = _import(tmp_path, "state,opted_out,n\nIllinois,2011-05-04,42\n")
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert '"2011-05-04"^^xsd:date' in text
    assert re.search(r"\s42\s*[;.]", text), text


# ---- sckg link: malformed cache entries and malformed SPARQL JSON ------------------------------------

def test_link_treats_a_cache_entry_of_the_wrong_shape_as_a_miss(tmp_path):
    """L4: a cache entry [] or null raised AttributeError in ResponseCache.get."""
    from sckg.links.cache import ResponseCache

    cache = ResponseCache(tmp_path)
    for body in ("[]", "null", '{"endpoint": "http://e/", "query": "q", "response": []}', '"text"'):
        (tmp_path / f"{cache.key('http://e/', 'q')}.json").write_text(body, encoding="utf-8")
        assert cache.get("http://e/", "q") is None


@pytest.mark.parametrize("bindings", ['[{"item": "x"}]', '"oops"', '[1]', '[{"item": {"type": "uri"}}]'])
def test_link_reports_malformed_sparql_json_from_the_endpoint(bindings, tmp_path):
    """L5: bindings [{"item": "x"}] or "oops" raised TypeError / AttributeError in SparqlClient.select."""
    import http.server
    import threading

    body = ('{"head": {"vars": ["item"]}, "results": {"bindings": ' + bindings + "}}").encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        r = run_cli("link", "--endpoint", url, "--review", str(tmp_path / "r.tsv"), "--cache-dir",
                    str(tmp_path / "cache"), "--pause", "0")
    finally:
        server.shutdown()
        server.server_close()
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "did not answer with SPARQL JSON results" in r.stderr
    assert not (tmp_path / "r.tsv").exists()
    assert not list((tmp_path / "cache").glob("*.json")), "a malformed answer is never cached"


def test_link_asks_again_when_a_cached_answer_is_malformed(tmp_path):
    """L4/L5 via the cache: a cached [] or a cached bindings "oops" is a miss, not a traceback."""
    import json

    from sckg.links.cache import ResponseCache
    from sckg.links.client import SparqlClient

    cache = ResponseCache(tmp_path)
    endpoint = "http://127.0.0.1:9/sparql"  # nothing listens: a refetch fails with a clear message
    cache.put(endpoint, "q", {"results": {"bindings": "oops"}})
    client = SparqlClient(endpoint, cache, pause=0, timeout=5)
    with pytest.raises(UsageError, match="cannot reach"):
        client.select("q")
    cache.put(endpoint, "q", {"results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}})
    assert SparqlClient(endpoint, cache, pause=0).select("q") == [{"x": "1"}]
    assert json.loads(next(tmp_path.glob("*.json")).read_text())["query"] == "q"


# ---- unsafe text: control characters and spreadsheet formulas -----------------------------------------

ESCAPES = "SELECT ?x WHERE { BIND(\"A\\u001B]0;PWNED\\u0007\\u001B[2J\\u202Eevil\" AS ?x) }"


def test_table_output_escapes_control_characters_from_the_data():
    """Q7: ESC ] 0 ; ... BEL and ESC [ 2 J reached the terminal raw (window title set, screen cleared)."""
    r = run_cli("query", "-e", ESCAPES, "-f", "table")
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\u202e" not in r.stdout
    assert "A\\x1b]0;PWNED\\x07\\x1b[2J\\u202eevil" in r.stdout


def test_review_tsv_escapes_control_characters_from_an_endpoint():
    """L6: a candidate label with ESC sequences was written raw into the review TSV."""
    from sckg.links import review
    from sckg.links.inventory import Entity
    from sckg.links.reconcile import Candidate, Report

    entity = Entity("https://w3id.org/sckg/id/cap", "Center for American Progress", "ThinkTank")
    report = Report(candidates=[Candidate(entity, "http://www.wikidata.org/entity/Q1", "CAP\x1b[31m red",
                                          "desc\x07", [], 1.0, 1.0)])
    text = review.render(report, "http://127.0.0.1:9/sparql", "2026-12-02").decode("utf-8")
    assert "\x1b" not in text and "\x07" not in text
    assert "CAP\\x1b[31m red" in text and "desc\\x07" in text


FORMULAS = """state,note,change
Illinois,"=HYPERLINK(""http://evil.example"",""click"")",-3
New York,+cmd|' /C calc'!A0,2
Massachusetts,@SUM(1+1),0
"""
NOTES = ("SELECT ?note ?change WHERE { ?record <https://w3id.org/sckg/id/table/formulas/column/note> ?note ; "
         "<https://w3id.org/sckg/id/table/formulas/column/change> ?change } ORDER BY ?change")


@pytest.mark.parametrize("fmt, sep", [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_output_neutralise_spreadsheet_formulas_of_imported_tables(tmp_path, fmt, sep):
    """T1: cells starting with =, +, @ from an imported table passed into -f csv as formulas."""
    table = tmp_path / "formulas.csv"
    table.write_text(FORMULAS, encoding="utf-8")
    assert run_cli("import-table", str(table), "--key", "state", "-o", str(tmp_path / "f.ttl")).returncode == 0
    r = run_cli("query", "-e", NOTES, "--with", str(tmp_path / "f.ttl"), "-f", fmt)
    assert r.returncode == 0, r.stderr
    cells = [line.split(sep)[0].strip('"') for line in r.stdout.splitlines()[1:]]
    assert len(cells) == 3 and all(c.startswith("'") for c in cells), cells
    numbers = [line.rsplit(sep, 1)[1] for line in r.stdout.splitlines()[1:]]
    assert numbers == ["-3", "0", "2"], "typed numbers, negative ones included, are left alone"
    raw = run_cli("query", "-e", NOTES, "--with", str(tmp_path / "f.ttl"), "-f", fmt, "--keep-formulas")
    assert raw.stdout.splitlines()[1].split(sep)[0].strip('"').startswith("=")


# ---- grounding diagnostics -------------------------------------------------------------------------------

STATEMENT_TTL = "data/statements/cap-2011-06-17/statement.ttl"
SOURCE_TXT = "data/statements/cap-2011-06-17/source.txt"


def _line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


@pytest.fixture
def project(tmp_path):
    from _support import copy_project

    return copy_project(tmp_path / "project")


def test_a_quote_ruled_out_by_its_suffix_is_not_called_missing_and_points_at_its_line(project):
    """B6: the quote occurs in the text, but its sckg:quoteSuffix rules out every occurrence; the
    message said "is not in the source text" and pointed at statement.ttl:1 (a comment)."""
    from _support import replace_in

    ttl = project / STATEMENT_TTL
    replace_in(ttl, 'sckg:quoteSuffix "\\n\\nSTATEMENT" ;', 'sckg:quoteSuffix "\\n\\nNO SUCH TEXT" ;')
    r = run_cli("--root", str(project), "validate")
    assert r.returncode == 1, r.stderr
    line = _line_of(ttl, 'sckg:quote "Center for American Progress" ;')
    assert f"statement.ttl:{line}: kg:cap-2011-06-17/publisher" in r.stderr, r.stderr
    assert "occurs in the source text" in r.stderr and "sckg:quoteSuffix" in r.stderr
    assert "is not in the source text" not in r.stderr


def test_a_short_ambiguous_quote_points_at_its_own_line_not_the_comment_header(project):
    """B6 rerun: a short quote that also appears in comment line 1 was located at statement.ttl:1."""
    from _support import replace_in

    ttl = project / STATEMENT_TTL
    replace_in(ttl, 'sckg:quote "Press Statement" ;', 'sckg:quote "STATEMENT" ;')
    r = run_cli("--root", str(project), "validate")
    assert r.returncode == 1
    line = _line_of(ttl, 'sckg:quote "STATEMENT" ;')
    assert line > 1 and f"statement.ttl:{line}: kg:cap-2011-06-17/genre: AMBIGUOUS" in r.stderr, r.stderr


def test_crlf_line_endings_in_the_source_text_are_named(project):
    """B10: CRLF in source.txt was reported as orphaned quotes without a word about line endings,
    and shown with mixed escaping ('\\r\\\\n')."""
    source = project / SOURCE_TXT
    source.write_bytes(source.read_bytes().replace(b"\n", b"\r\n"))
    r = run_cli("--root", str(project), "validate")
    assert r.returncode == 1
    assert "CRLF" in r.stderr and "line endings" in r.stderr
    assert "\\\\n" not in r.stderr, "one escaping for \\r and \\n"


# ---- files in data/ that cannot be loaded are named, never skipped; byte order marks ------------------

def _entities(project):
    return project / "data" / "entities"


@pytest.mark.parametrize("make, says", [
    (lambda p: p.symlink_to(p.name), "symbolic link that leads nowhere"),       # B11: loop.ttl -> loop.ttl
    (lambda p: p.mkdir(), "is a folder, not a file"),                            # B11e
    (lambda p: os.mkfifo(p), "named pipe (FIFO)"),                               # B11f
])
def test_an_entry_in_data_that_is_not_a_file_is_an_error(project, make, says):
    make(_entities(project) / "odd.ttl")
    r = run_cli("--root", str(project), "validate")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "data/entities/odd.ttl" in r.stderr and says in r.stderr and "Traceback" not in r.stderr


def test_a_symlink_loop_among_the_statement_folders_is_an_error(project):
    """B11c: data/statements/a -> b, b -> a was skipped in silence."""
    base = project / "data" / "statements"
    (base / "a").symlink_to("b")
    (base / "b").symlink_to("a")
    r = run_cli("--root", str(project), "validate")
    assert r.returncode == 1 and "data/statements/a" in r.stderr and "leads nowhere" in r.stderr


def test_a_byte_order_mark_in_a_turtle_file_is_accepted(project):
    """B9: a BOM made the build fail with an invisible U+FEFF in the message."""
    actors = _entities(project) / "actors.ttl"
    actors.write_bytes(b"\xef\xbb\xbf" + actors.read_bytes())
    r = run_cli("--root", str(project), "validate")
    assert r.returncode == 0, r.stderr


def test_a_byte_order_mark_in_a_source_text_is_refused_and_named_visibly(project):
    source = project / SOURCE_TXT
    source.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    r = run_cli("--root", str(project), "validate")
    assert r.returncode == 1
    assert "byte order mark" in r.stderr and "EF BB BF" in r.stderr and "\ufeff" not in r.stderr

"""Hardening of the local commands (issue 12's low items): each test is a probe of the attack report
that once failed (its number is in the test's docstring), run as a user runs the command."""

from __future__ import annotations

import pytest

from _support import ROOT, run_cli
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

"""`sckg describe NODE`: a node's triples both ways and the quotes that ground it.

Expected quotes come from each statement's own files, read here with rdflib (not through the loader),
and their offsets are checked against source.txt itself. Every statement in data/statements/ is covered.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from _support import ROOT, run_cli

from sckg import namespaces as ns
from sckg.describe import describe, resolve_node
from sckg.errors import UsageError

SCKG_QUOTE = rdflib.URIRef(ns.SCKG + "quote")
STATEMENTS = sorted(p for p in (ROOT / "data" / "statements").iterdir() if (p / "source.txt").is_file())


def _quoted_items(folder: Path) -> list[tuple[str, str]]:
    g = rdflib.Graph()
    for ttl in sorted(folder.glob("*.ttl")):
        g.parse(ttl)
    return sorted((str(s), str(o)) for s, o in g.subject_objects(SCKG_QUOTE))


@pytest.mark.parametrize("folder", STATEMENTS, ids=lambda p: p.name)
def test_every_quoted_item_is_described_with_its_quote_at_its_offsets(project_kg, folder):
    text = (folder / "source.txt").read_text(encoding="utf-8")
    items = _quoted_items(folder)
    assert items, f"{folder.name} has no quoted items"
    for item, quote in items:
        d = describe(project_kg, item)
        assert d.quotes, f"{item} has a quote but describe found no grounding"
        assert any(q.text == quote for q in d.quotes)
        for q in d.quotes:
            assert text[q.start:q.end] == q.text, f"{item}: offsets {q.start}-{q.end} do not hold the quote"
            assert q.sentences, f"{item}: no sentence"
            for s in q.sentences:  # each sentence stands at its offsets and shares characters with the quote
                assert text[s.start:s.end] == s.text and s.start < q.end and q.start < s.end, f"{item}: {s}"


@pytest.mark.parametrize("folder", STATEMENTS, ids=lambda p: p.name)
def test_the_cli_prints_the_quote_and_identifiers_that_paste_back_into_sparql(folder):
    item, quote = _quoted_items(folder)[0]
    result = run_cli("describe", f"<{item}>")
    assert result.returncode == 0, result.stderr
    assert f'"{quote}"' in result.stdout
    store = ox.Store()
    identifiers = set(re.findall(r"<[^<>\s]+>|\b[a-z]+:[^\s\"',()]*", result.stdout))
    assert identifiers
    for identifier in identifiers:
        prefix = identifier.split(":", 1)[0]
        if not identifier.startswith("<") and prefix not in ns.PREFIXES:
            continue  # words followed by a colon in the prose ("label:", "sentence 3:")
        store.query(ns.sparql_prologue() + f"ASK {{ {identifier} ?p ?o }}")  # raises on a syntax error


def test_a_curie_with_a_slash_is_printed_as_a_full_iri():
    assert ns.pasteable(ns.DATA + "st-1/claim") == f"<{ns.DATA}st-1/claim>"
    assert ns.pasteable(ns.DATA + "ice") == "kg:ice"
    assert ns.pasteable("http://example.org/x") == "<http://example.org/x>"


@pytest.mark.parametrize("typed, expected", [
    ("kg:ice", ns.DATA + "ice"),
    (f"<{ns.DATA}ice>", ns.DATA + "ice"),
    (ns.DATA + "ice", ns.DATA + "ice"),
    ("kg:st-1/claim", ns.DATA + "st-1/claim"),
    ("kg:st-1\\/claim", ns.DATA + "st-1/claim"),
])
def test_nodes_are_accepted_as_curies_or_iris(typed, expected):
    assert resolve_node(typed) == expected


def test_an_unknown_prefix_is_a_usage_error_listing_the_prefixes():
    with pytest.raises(UsageError, match="declared prefix"):
        resolve_node("nope:thing")


def test_a_node_the_graph_says_nothing_about_exits_2_without_a_traceback():
    result = run_cli("describe", "kg:no-such-node-anywhere")
    assert result.returncode == 2
    assert "says nothing about" in result.stderr and "Traceback" not in result.stderr


def test_turtle_output_holds_the_nodes_triples(project_kg):
    result = run_cli("describe", "kg:ice", "--format", "turtle")
    assert result.returncode == 0, result.stderr
    g = rdflib.Graph().parse(data=result.stdout, format="turtle")
    ice = rdflib.URIRef(ns.DATA + "ice")
    expected = {(s, p, o) for s, p, o in project_kg.union.triples((ice, None, None))}
    expected |= {(s, p, o) for s, p, o in project_kg.union.triples((None, None, ice))}
    assert expected and expected <= set(g)

"""Sentence IRIs (<document>/sentence/NN) depend on the source text alone: re-encoding a statement
(stubs replaced by claims, claims added or removed, another RDF syntax) leaves them, their numbers and
their offsets unchanged."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from sckg import namespaces as ns
from sckg.grounding import ground, grounding_quads
from sckg.scaffold import statement_ttl

FIXTURE = Path(__file__).parent / "fixtures" / "new-statement"
TEXT = (FIXTURE / "source.txt").read_text(encoding="utf-8")
DOC = "https://w3id.org/sckg/id/rsf-2011-06-17"
GRAPH = ns.GRAPH_STATEMENT_PREFIX + "rsf-2011-06-17"


def _turtle(text: str) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(GRAPH))
            for t in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)]


def _sentence_quads(quads: list[ox.Quad]) -> set[tuple[str, str, str]]:
    result = ground("rsf-2011-06-17", DOC, TEXT, None, quads)
    return {(q.subject.value, q.predicate.value, q.object.value) for q in grounding_quads(result, GRAPH)
            if "/sentence/" in q.subject.value}


def _scaffold() -> str:
    return statement_ttl("rsf-2011-06-17", TEXT, "0" * 64, "kg:cap", None, [])


def test_sentence_iris_are_the_document_iri_and_a_two_digit_number():
    subjects = sorted({s for s, _, _ in _sentence_quads(_turtle(_scaffold()))})
    assert subjects == [f"{DOC}/sentence/{n:02d}" for n in range(1, 11)]


def test_replacing_the_stubs_with_an_encoding_leaves_the_sentences_unchanged():
    scaffold = _scaffold()
    rule = "# " + "=" * 92 + "\n"  # the scaffold's banner above its stubs
    head = scaffold[:scaffold.index(rule + "# One stub")]
    encoded = head + (FIXTURE / "encoding.ttl").read_text(encoding="utf-8")
    assert _sentence_quads(_turtle(scaffold)) == _sentence_quads(_turtle(encoded))


def test_an_encoding_with_no_claims_at_all_gives_the_same_sentences():
    only_document = [q for q in _turtle(_scaffold()) if q.subject.value == DOC]
    assert _sentence_quads(only_document) == _sentence_quads(_turtle(_scaffold()))


def test_the_same_encoding_in_n_triples_gives_the_same_sentences():
    quads = _turtle(_scaffold())
    nt = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
    reparsed = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(GRAPH))
                for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]
    assert _sentence_quads(reparsed) == _sentence_quads(quads)

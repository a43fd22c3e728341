"""Grounding: resolve every quote of a statement to exact character offsets in its source text.

A quote must occur in the text exactly as written. The result of each lookup is one of
FOUND, ORPHANED (not in the text) or AMBIGUOUS (more than once, and sckg:quotePrefix /
sckg:quoteSuffix do not settle it). Nothing is re-anchored by fuzzy matching: an orphaned quote is an
error that shows the nearest text, for a person to fix.

The anchors become Web Annotation resources (oa:TextQuoteSelector + oa:TextPositionSelector,
offsets in code points from 0, end exclusive) and the sentences become sckg:Sentence resources.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .sentences import Sentence, split_sentences

CONTEXT_CHARS = 32  # prefix/suffix length of the computed TextQuoteSelector, as Hypothesis uses


class Status(Enum):
    FOUND = "FOUND"
    ORPHANED = "ORPHANED"
    AMBIGUOUS = "AMBIGUOUS"


@dataclass
class Anchor:
    item: str  # IRI of the claim, stance or relation that carries the quote
    quote: str
    status: Status
    start: int = -1
    end: int = -1
    candidates: list[int] = field(default_factory=list)  # start offsets when AMBIGUOUS
    sentences: list[int] = field(default_factory=list)  # numbers of the sentences it overlaps
    prefix: str | None = None  # the item's sckg:quotePrefix / sckg:quoteSuffix, for messages
    suffix: str | None = None

    def problem(self, text: str) -> str:
        """A message a person can act on, for an anchor that is not FOUND."""
        if self.status is Status.AMBIGUOUS:
            where = ", ".join(f"offset {c} (sentence {_sentence_at(text, c)})" for c in self.candidates)
            return (f"{ns.curie(self.item)}: AMBIGUOUS quote {_short(self.quote)} occurs at {where}; "
                    "add sckg:quotePrefix or sckg:quoteSuffix with the text just before or after the one meant")
        occurrences = _occurrences(text, self.quote)
        if occurrences:  # the quote is there: the prefix or suffix rules out every occurrence
            given = [(name, value) for name, value in (("sckg:quotePrefix", self.prefix),
                                                       ("sckg:quoteSuffix", self.suffix)) if value]
            hints = " and ".join(f"{name} {_short(value, 40)}" for name, value in given)
            where = ", ".join(f"offset {c} (sentence {_sentence_at(text, c)})" for c in occurrences[:5])
            return (f"{ns.curie(self.item)}: ORPHANED quote {_short(self.quote)} occurs in the source text "
                    f"{len(occurrences)} time(s) ({where}{', ...' if len(occurrences) > 5 else ''}), but its "
                    f"{hints} {'match' if len(given) > 1 else 'matches'} none of them: correct "
                    f"{'them' if len(given) > 1 else 'it'} (the text just before / after the quote meant) "
                    f"or remove {'them' if len(given) > 1 else 'it'}")
        return (f"{ns.curie(self.item)}: ORPHANED quote {_short(self.quote)} is not in the source text; "
                f"{nearest_text(text, self.quote)}")


@dataclass
class GroundingResult:
    statement_id: str
    document: str
    text: str
    sha256: str
    recorded_sha256: str | None
    sentences: list[Sentence]
    anchors: list[Anchor]
    source_path: Path | None = None  # the source.txt it was grounded in, for messages

    @property
    def checksum_ok(self) -> bool:
        return self.recorded_sha256 == self.sha256

    @property
    def problems(self) -> list[Anchor]:
        return [a for a in self.anchors if a.status is not Status.FOUND]

    @property
    def uncovered(self) -> list[Sentence]:
        covered = {n for a in self.anchors if a.status is Status.FOUND for n in a.sentences}
        return [s for s in self.sentences if s.number not in covered]

    @property
    def coverage(self) -> float:
        if not self.sentences:
            return 1.0
        return 1 - len(self.uncovered) / len(self.sentences)


def _short(text: str, limit: int = 60) -> str:
    # repr escapes \n, \r and \t alike, so a CR shows as \r beside \n (one escaping, not two)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _occurrences(text: str, quote: str) -> list[int]:
    starts, at = [], text.find(quote) if quote else -1
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    return starts


def has_crlf(text: str) -> bool:
    return "\r" in text


def _sentence_at(text: str, offset: int) -> int:
    for s in split_sentences(text):
        if s.start <= offset < s.end:
            return s.number
    return 0


def nearest_text(text: str, quote: str) -> str:
    """Say where the quote stops matching, and which sentence it resembles most."""
    # The longest head of the quote that does occur shows exactly where it breaks.
    lo, hi = 0, len(quote)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if quote[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    hint = ""
    sentences = split_sentences(text)
    best = None
    if lo >= 8:
        at = text.find(quote[:lo])
        hint = (f"it matches up to {_short(quote[:lo][-30:])}, where the quote has "
                f"{_short(quote[lo:lo + 20])} but the text has {_short(text[at + lo:at + lo + 20])}; ")
        best = next((s for s in sentences if s.start <= at + lo <= s.end), None)
    if best is None:  # no usable head: fall back to the most similar sentence overall
        best = max(sentences, key=lambda s: difflib.SequenceMatcher(None, s.text, quote).ratio(), default=None)
    if best is not None:
        hint += f"nearest sentence is {best.number}: {_short(best.text, 100)}"
    return hint


def locate(text: str, quote: str, prefix: str | None, suffix: str | None) -> tuple[Status, list[int]]:
    """All start offsets of ``quote`` that agree with the prefix and suffix hints."""
    if not quote:
        return Status.ORPHANED, []
    starts = []
    at = text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    if prefix:
        starts = [s for s in starts if text[:s].endswith(prefix)]
    if suffix:
        starts = [s for s in starts if text.startswith(suffix, s + len(quote))]
    if not starts:
        return Status.ORPHANED, []
    if len(starts) > 1:
        return Status.AMBIGUOUS, starts
    return Status.FOUND, starts


def literal_of(quads: list[ox.Quad], subject: ox.NamedNode | ox.BlankNode, predicate: str) -> str | None:
    """The lexical form of the first literal ``subject predicate ?o`` in ``quads``, or None."""
    for q in quads:
        if q.subject == subject and q.predicate.value == predicate and isinstance(q.object, ox.Literal):
            return q.object.value
    return None


def ground(statement_id: str, document: str, text: str, recorded_sha256: str | None,
           quads: list[ox.Quad]) -> GroundingResult:
    """Resolve the quotes found in ``quads`` (one statement's graph) against ``text``."""
    sentences = split_sentences(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    anchors: list[Anchor] = []
    quoted = sorted({q.subject for q in quads if q.predicate.value == ns.SCKG + "quote"
                     and isinstance(q.subject, ox.NamedNode | ox.BlankNode)}, key=str)  # not RDF-star triple terms
    # One pass over the statement's quads for every quote's literals (a scan per quote was quadratic in
    # the statement's size, seconds over a large corpus); the first literal wins, as literal_of's does.
    wanted = (ns.SCKG + "quote", ns.SCKG + "quotePrefix", ns.SCKG + "quoteSuffix")
    literals: dict[tuple, str] = {}
    for q in quads:
        if q.predicate.value in wanted and isinstance(q.object, ox.Literal):
            literals.setdefault((q.subject, q.predicate.value), q.object.value)
    for item in quoted:
        quote = literals.get((item, wanted[0])) or ""
        prefix = literals.get((item, wanted[1]))
        suffix = literals.get((item, wanted[2]))
        status, starts = locate(text, quote, prefix, suffix)
        anchor = Anchor(item.value, quote, status, candidates=starts if status is Status.AMBIGUOUS else [],
                        prefix=prefix, suffix=suffix)
        if status is Status.FOUND:
            anchor.start, anchor.end = starts[0], starts[0] + len(quote)
            anchor.sentences = [s.number for s in sentences if s.overlaps(anchor.start, anchor.end)]
        anchors.append(anchor)
    return GroundingResult(statement_id, document, text, digest, recorded_sha256, sentences, anchors)


def grounding_quads(result: GroundingResult, graph: str) -> list[ox.Quad]:
    """The triples the build adds for a grounded statement: its sentences and its anchors."""
    g = ox.NamedNode(graph)
    doc = ox.NamedNode(result.document)
    out: list[ox.Quad] = []

    def add(s, p: str, o) -> None:
        out.append(ox.Quad(s, ox.NamedNode(p), o, g))

    # Offsets are xsd:integer (shapes require >= 0): Oxigraph's store rewrites derived integer types
    # such as xsd:nonNegativeInteger to xsd:integer, so any other choice would not survive a round trip.
    def integer(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=ox.NamedNode(ns.XSD + "integer"))

    for s in result.sentences:
        node = ox.NamedNode(f"{result.document}/sentence/{s.number:02d}")
        add(node, ns.RDF + "type", ox.NamedNode(ns.SCKG + "Sentence"))
        add(node, ns.RDFS + "label", ox.Literal(f"sentence {s.number}"))
        add(node, ns.DCTERMS + "isPartOf", doc)
        add(node, ns.SCKG + "sentenceNumber", integer(s.number))
        add(node, ns.SCKG + "paragraphNumber", integer(s.paragraph))
        add(node, ns.SCKG + "startOffset", integer(s.start))
        add(node, ns.SCKG + "endOffset", integer(s.end))
        add(node, ns.RDF + "value", ox.Literal(s.text))

    text = result.text
    for a in result.anchors:
        if a.status is not Status.FOUND:
            continue
        item = ox.NamedNode(a.item)
        anchor = ox.NamedNode(a.item + "/anchor")
        quote_sel = ox.NamedNode(a.item + "/anchor/quote")
        pos_sel = ox.NamedNode(a.item + "/anchor/position")
        annotation = ox.NamedNode(a.item + "/annotation")
        add(item, ns.SCKG + "hasAnchor", anchor)
        add(item, ns.PROV + "wasQuotedFrom", doc)
        add(anchor, ns.RDF + "type", ox.NamedNode(ns.SCKG + "TextAnchor"))
        add(anchor, ns.RDF + "type", ox.NamedNode(ns.OA + "SpecificResource"))
        add(anchor, ns.OA + "hasSource", doc)
        add(anchor, ns.OA + "hasSelector", quote_sel)
        add(anchor, ns.OA + "hasSelector", pos_sel)
        for n in a.sentences:
            add(anchor, ns.SCKG + "inSentence", ox.NamedNode(f"{result.document}/sentence/{n:02d}"))
        add(quote_sel, ns.RDF + "type", ox.NamedNode(ns.OA + "TextQuoteSelector"))
        add(quote_sel, ns.OA + "exact", ox.Literal(a.quote))
        add(quote_sel, ns.OA + "prefix", ox.Literal(text[max(0, a.start - CONTEXT_CHARS):a.start]))
        add(quote_sel, ns.OA + "suffix", ox.Literal(text[a.end:a.end + CONTEXT_CHARS]))
        add(pos_sel, ns.RDF + "type", ox.NamedNode(ns.OA + "TextPositionSelector"))
        add(pos_sel, ns.OA + "start", integer(a.start))
        add(pos_sel, ns.OA + "end", integer(a.end))
        add(annotation, ns.RDF + "type", ox.NamedNode(ns.OA + "Annotation"))
        add(annotation, ns.OA + "motivatedBy", ox.NamedNode(ns.OA + "describing"))
        add(annotation, ns.OA + "hasBody", item)
        add(annotation, ns.OA + "hasTarget", anchor)
    return out

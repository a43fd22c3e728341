"""Query results as bytes in the negotiated format, with the row cap applied and reported.

A response never holds more than ``row_limit`` rows (SELECT) or triples (CONSTRUCT/DESCRIBE); when
the answer had more, ``truncated`` is True and the endpoint says so in its headers and on the page.
Oxigraph writes every format; since it cannot stop a results writer after N rows, the capped rows
are written as SPARQL JSON here (a small, fully specified format) and Oxigraph converts that JSON
to XML, CSV or TSV.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from .. import media_types as mt, namespaces as ns
from ..oxigraph_bytes import as_bytes

# By media type, as negotiation names them; pyoxigraph gives the types (sckg.media_types).
RESULT_FORMATS = mt.RESULTS_BY_MEDIA_TYPE
RDF_FORMATS = mt.GRAPHS_BY_MEDIA_TYPE
_XSD_STRING = ns.XSD + "string"
_LANG_STRING = ns.RDF + "langString"


@dataclass
class Serialized:
    body: bytes
    rows: int
    truncated: bool
    truncated_by: str = ""  # "rows" or "bytes" when truncated


def boolean(answer: bool, media_type: str) -> Serialized:
    if media_type == "application/sparql-results+json":
        return Serialized(json.dumps({"head": {}, "boolean": bool(answer)}).encode(), 1, False)
    data = json.dumps({"head": {}, "boolean": bool(answer)}).encode()
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    return Serialized(as_bytes(parsed.serialize(format=RESULT_FORMATS[media_type])), 1, False)


def solutions(results: ox.QuerySolutions, media_type: str, row_limit: int, order=(),
              byte_limit: int | None = None) -> Serialized:
    """``order``: for SELECT *, the variables in the order the query mentions them (Oxigraph gives
    them alphabetically); each column keeps its values, only the columns move. ``byte_limit`` caps
    the rows' size as SPARQL JSON (the response in the other formats is about as large or smaller):
    the rows that would pass it are left out, and the answer says it was truncated by bytes."""
    variables = [v.value for v in results.variables]
    if order:
        variables = [v for v in order if v in variables] + [v for v in variables if v not in order]
    # The envelope ({"head":...,"results":{"bindings":[]}}) counts too, so the JSON body stays within the cap.
    envelope = json.dumps({"head": {"vars": variables}, "results": {"bindings": []}},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    bindings: list[dict] = []
    size, by = len(envelope), ""
    for row in results:
        if len(bindings) == row_limit:
            by = "rows"
            break
        binding = {}
        for name in variables:
            term = row[name]
            if term is not None:
                binding[name] = term_json(term)
        size += len(json.dumps(binding, ensure_ascii=False, separators=(",", ":")).encode("utf-8")) + 1
        if byte_limit is not None and size > byte_limit:
            by = "bytes"
            break
        bindings.append(binding)
    data = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media_type != "application/sparql-results+json":
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = as_bytes(parsed.serialize(format=RESULT_FORMATS[media_type]))
    return Serialized(data, len(bindings), bool(by), by)


def triples(results, media_type: str, row_limit: int, byte_limit: int | None = None) -> Serialized:
    """Like ``solutions``; the size counted is the triples' as N-Triples."""
    items: list[ox.Triple] = []
    size, by = 0, ""
    for triple in results:
        if len(items) == row_limit:
            by = "rows"
            break
        size += len(str(triple).encode("utf-8")) + 3
        if byte_limit is not None and size > byte_limit:
            by = "bytes"
            break
        items.append(triple)
    prefixes = ns.PREFIXES if media_type in ("text/turtle", "application/rdf+xml") else None
    body = as_bytes(ox.serialize(items, format=RDF_FORMATS[media_type], prefixes=prefixes))
    return Serialized(body, len(items), bool(by), by)


def term_json(term) -> dict:
    """One RDF term in the SPARQL 1.1 JSON results form (RDF-star triple terms included)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise TypeError(f"unexpected term {term!r}")

"""What a query answered, engine-neutral: the Term and Answer model, and every output format.

Each engine's answer is kept as one standard document: SPARQL TSV results for an Oxigraph SELECT
(Oxigraph writes and reads it fastest, and unlike CSV it keeps every term's type), SPARQL JSON
results for ASK and for rdflib, N-Triples for CONSTRUCT/DESCRIBE. Oxigraph parses that document and
writes every output format (csv, tsv, json, xml; turtle, nt, jsonld), so the two engines can only
differ in what they answer, never in how it is printed, and no serialiser is hand-written. Rows and
terms are built in Python only when asked for (the table, the Python API): writing CSV never does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pyoxigraph as ox

from . import media_types as mt, namespaces as ns
from .errors import UsageError
from .oxigraph_bytes import as_bytes

SOLUTION_FORMATS = ("table", "csv", "tsv", "json", "xml")  # SELECT and ASK
GRAPH_FORMATS = mt.CLI_GRAPHS                              # CONSTRUCT and DESCRIBE

# A TSV cell holding text that starts like a formula (= + - @, or an escaped tab or CR): text literals
# are quoted in TSV, so this finds every candidate without parsing (typed values such as -3 are bare
# and do not match; a typed value written quoted may match, and is then checked exactly).
_FORMULA_IN_TSV = re.compile(rb'(?:^|\t)"(?:[=+\-@]|\\[tr])', re.MULTILINE)


@dataclass(frozen=True)
class Term:
    """An RDF term as both engines can give it: kind is 'iri', 'bnode' or 'literal'."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    @classmethod
    def of(cls, term) -> Term:
        if isinstance(term, ox.NamedNode):
            return cls("iri", term.value)
        if isinstance(term, ox.BlankNode):
            return cls("bnode", term.value)
        if isinstance(term, ox.Literal):
            return cls("literal", term.value, term.datatype.value if term.datatype else None, term.language)
        raise TypeError(f"unexpected term {term!r}")

    def cell(self) -> str:
        """The text used for expected-answer files: IRIs as CURIEs, literals by lexical form."""
        if self.kind == "iri":
            return ns.curie(self.value)
        if self.kind == "bnode":
            return "_:" + self.value
        return self.value

    def python(self, curies: bool = False) -> Any:
        """A plain Python value: str for IRIs and most literals; int, float, Decimal, bool, date and
        datetime for literals of the matching XSD type (left as str if the lexical form is invalid)."""
        if self.kind == "iri" and curies:
            return ns.curie(self.value)
        if self.kind != "literal" or not self.datatype:
            return self.value
        from datetime import date, datetime  # imported when a value is converted, not by every query
        from decimal import Decimal

        local = self.datatype[len(ns.XSD):] if self.datatype.startswith(ns.XSD) else ""
        try:
            if local in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                         "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
                         "unsignedShort", "unsignedByte"):
                return int(self.value)
            if local == "decimal":
                return Decimal(self.value)
            if local in ("double", "float"):
                return float(self.value)
            if local == "boolean":
                return self.value.strip() in ("true", "1")
            if local == "date":
                return date.fromisoformat(self.value)
            if local == "dateTime":
                return datetime.fromisoformat(self.value.replace("Z", "+00:00"))
        except ValueError:
            return self.value
        return self.value


class Answer:
    """What a query answered. ``document`` is the standard serialisation every output format is
    written from, in ``document_format`` (by default SPARQL JSON results, N-Triples for graph forms);
    ``variables``, ``rows``, ``boolean`` and ``triples`` are read from it on first use."""

    def __init__(self, form: str, engine: str, document: bytes,
                 document_format: ox.QueryResultsFormat | ox.RdfFormat | None = None,
                 unknown_graphs: list[str] | None = None):
        self.form = form
        self.engine = engine
        self.document = document
        self.document_format = document_format or (ox.RdfFormat.N_TRIPLES if self.is_graph
                                                   else ox.QueryResultsFormat.JSON)
        self.unknown_graphs = list(unknown_graphs or [])  # FROM / FROM NAMED IRIs the dataset lacks

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    def _results(self):
        return ox.parse_query_results(self.document, format=self.document_format)

    @cached_property
    def boolean(self) -> bool | None:
        parsed = None if self.is_graph else self._results()
        return bool(parsed) if isinstance(parsed, ox.QueryBoolean) else None

    @cached_property
    def variables(self) -> list[str]:
        parsed = None if self.is_graph else self._results()
        return [v.value for v in parsed.variables] if isinstance(parsed, ox.QuerySolutions) else []

    @cached_property
    def rows(self) -> list[tuple[Term | None, ...]]:
        parsed = None if self.is_graph else self._results()
        if not isinstance(parsed, ox.QuerySolutions):
            return []
        variables = [v.value for v in parsed.variables]
        return [tuple(Term.of(sol[v]) if sol[v] is not None else None for v in variables) for sol in parsed]

    @cached_property
    def triples(self) -> list[tuple[Term, Term, Term]]:
        if not self.is_graph:
            return []
        return [(Term.of(t.subject), Term.of(t.predicate), Term.of(t.object))
                for t in ox.parse(self.document, format=ox.RdfFormat.N_TRIPLES)]

    @property
    def empty(self) -> bool:
        if self.form == "ASK":
            return False  # "false" is an answer, not an empty one
        if self.is_graph:
            return not self.document.strip()
        if "rows" in self.__dict__:
            return not self.rows
        parsed = self._results()  # only the first row is read
        return not isinstance(parsed, ox.QuerySolutions) or next(iter(parsed), None) is None

    def cells(self) -> list[dict[str, str]]:
        """Rows as {variable: text} (IRIs as CURIEs, literals by lexical form, unbound as "")."""
        if self.form == "ASK":
            return [{"ask": "true" if self.boolean else "false"}]
        if self.is_graph:
            return [{"subject": s.cell(), "predicate": p.cell(), "object": o.cell()} for s, p, o in self.triples]
        return [{v: (t.cell() if t is not None else "") for v, t in zip(self.variables, row, strict=True)}
                for row in self.rows]

    def serialize(self, fmt: str) -> bytes:
        """The answer in one of SOLUTION_FORMATS (but 'table') or GRAPH_FORMATS, written by Oxigraph."""
        if self.is_graph:
            if fmt not in GRAPH_FORMATS:
                raise UsageError(f"a {self.form} query gives a graph: choose --format "
                                 f"{', '.join(GRAPH_FORMATS)} (not {fmt})")
            triples = ox.parse(self.document, format=ox.RdfFormat.N_TRIPLES)
            used = {p: iri for p, iri in ns.PREFIXES.items() if f"<{iri}".encode() in self.document}
            return as_bytes(ox.serialize(triples, format=mt.GRAPHS[fmt], prefixes=used))
        if fmt not in mt.RESULTS:
            raise UsageError(f"a {self.form} query gives results: choose --format "
                             f"{', '.join(SOLUTION_FORMATS)} (not {fmt})")
        if mt.RESULTS[fmt] == self.document_format:
            return self.document  # already written by the engine in that format
        return as_bytes(self._results().serialize(format=mt.RESULTS[fmt]))

    def spreadsheet_safe(self) -> Answer:
        """This answer with every text cell that a spreadsheet would run as a formula (= + - @)
        behind an apostrophe (sckg.safe_text). Without such a cell, the answer itself: the common
        case costs one scan of the document, no parse."""
        if self.is_graph or self.form == "ASK":
            return self
        if self.document_format == ox.QueryResultsFormat.TSV and not _FORMULA_IN_TSV.search(self.document):
            return self
        from .safe_text import spreadsheet_safe_results

        document = self.serialize("json")
        safe = spreadsheet_safe_results(document)
        if safe is document:
            return self
        return Answer(self.form, self.engine, safe, ox.QueryResultsFormat.JSON, self.unknown_graphs)

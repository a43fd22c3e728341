"""Researchers' own tables: map each row of a CSV file to one of the graph's jurisdictions, and write
the table as RDF that can be queried together with the statement.

Matching uses only the graph: a state's rdfs:label / skos:altLabel (its name), its sckg:fipsCode and
its sckg:iso3166Code (whose part after "US-" is the USPS postal abbreviation), all loaded through
``sckg.load`` from data/links/state-codes.ttl. No table of codes lives in this module.

The RDF follows the shape of CSV on the Web's standard-mode conversion (csvw:Table, csvw:Row,
csvw:rownum, csvw:url with an RFC 7111 ``#row=`` fragment, csvw:describes), with IRIs minted under
https://w3id.org/sckg/id/table/NAME/ instead of blank nodes, so output is stable:

    <table/NAME>               a csvw:Table ; csvw:url "FILE.csv" ; csvw:row <table/NAME/row/N> ...
    <table/NAME/row/N>         a csvw:Row ; csvw:rownum N ; csvw:url "FILE.csv#row=N+1" ;
                               csvw:describes <table/NAME/record/N>
    <table/NAME/record/N>      dcterms:spatial kg:STATE     (only when the row matched)
                               <table/NAME/column/COL> VALUE   (one per non-empty cell)
    <table/NAME/column/COL>    a rdf:Property ; rdfs:label "the column's header"

Cell values are typed: whole numbers without a leading zero as xsd:integer, decimals as xsd:decimal,
YYYY-MM-DD as xsd:date, everything else (codes such as "08" included) as a plain string. A cell of
one of those forms that is not a valid value (2011-13-45, a number of thousands of digits) is an error
naming its line and column, never an ill-typed literal.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import namespaces as ns
from ..errors import DataError, UsageError
from ..graph import KnowledgeGraph
from ..project import display
from .inventory import StateCodes, state_codes

TABLE_BASE = ns.DATA + "table/"
CSVW = "http://www.w3.org/ns/csvw#"
MATCH_MODES = ("auto", "name", "postal", "fips")

if TYPE_CHECKING:  # for type annotations only
    import rdflib


@dataclass
class RowMatch:
    number: int  # data row, from 1
    line: int  # line in the file, from 1 (the header is line 1 in a simple file)
    values: dict[str, str]
    state: StateCodes | None
    how: str = ""  # name | postal | fips | iso, or why it failed


@dataclass
class ImportResult:
    table_iri: str
    columns: list[str]
    rows: list[RowMatch] = field(default_factory=list)

    @property
    def unmatched(self) -> list[RowMatch]:
        return [r for r in self.rows if r.state is None]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "column"


def read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if not path.is_file():
        raise UsageError(f"{display(path)}: file not found")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{display(path)}: not UTF-8 (byte {exc.start}); save the table as UTF-8 CSV") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
    except csv.Error as exc:
        raise DataError(f"{display(path)}:{reader.line_num}: {exc}") from None
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise DataError(f"{display(path)}: the file is empty; it needs a header row and data rows")
    header_line, header = records[0]
    header = [h.strip() for h in header]
    seen: dict[str, str] = {}
    for h in header:
        if not h:
            raise DataError(f"{display(path)}:{header_line}: a column has no name in the header row")
        if slug(h) in seen:
            raise DataError(f"{display(path)}:{header_line}: columns {seen[slug(h)]!r} and {h!r} have the same "
                            "name once written as an IRI; rename one")
        seen[slug(h)] = h
    rows = records[1:]
    for line, cells in rows:
        if len(cells) != len(header):
            raise DataError(f"{display(path)}:{line}: {len(cells)} field(s), but the header has {len(header)}; "
                            "quote cells that contain commas")
    return header, rows


def _lookup_tables(states: list[StateCodes]) -> dict[str, dict[str, StateCodes]]:
    tables: dict[str, dict[str, StateCodes]] = {"name": {}, "postal": {}, "fips": {}, "iso": {}}
    for s in states:
        for name in s.names:
            tables["name"][_name_key(name)] = s
        if s.postal:
            tables["postal"][s.postal.upper()] = s
        if s.fips:
            tables["fips"][str(int(s.fips))] = s
        if s.iso:
            tables["iso"][s.iso.upper()] = s
    return tables


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"\s*\([^)]*\)", "", text).replace(".", "").casefold().split())


def match_value(value: str, mode: str, tables: dict[str, dict[str, StateCodes]]) -> tuple[StateCodes | None, str]:
    value = value.strip()
    if not value:
        return None, "the key cell is empty"
    kinds = [mode] if mode != "auto" else (
        ["fips"] if value.isdigit() else ["iso"] if re.fullmatch(r"(?i)us-[a-z]{2}", value)
        else ["postal", "name"] if re.fullmatch(r"[A-Za-z]{2}", value) else ["name"])
    for kind in kinds:
        if kind == "fips":
            key = str(int(value)) if value.isdigit() else None
        elif kind in ("postal", "iso"):
            key = value.upper()
        else:
            key = _name_key(value)
        if key is not None and key in tables[kind]:
            return tables[kind][key], kind
    if mode == "postal" and re.fullmatch(r"(?i)us-[a-z]{2}", value) and value.upper() in tables["iso"]:
        return tables["iso"][value.upper()], "iso"
    expected = {"fips": "FIPS code", "postal": "postal code", "name": "name", "iso": "ISO 3166-2 code"}
    message = f"{value!r} is not the {' or '.join(expected[k] for k in kinds)} of any state in the graph"
    if "name" in kinds:  # a likely typo of a known name is worth pointing at
        names = sorted({name for state in tables["name"].values() for name in state.names})
        close = difflib.get_close_matches(value, names, n=1, cutoff=0.75)
        if close:
            message += f" (did you mean {close[0]!r}?)"
    return None, message


def import_table(kg: KnowledgeGraph, path: Path, key: str, mode: str = "auto", name: str | None = None) -> ImportResult:
    if mode not in MATCH_MODES:
        raise UsageError(f"--match must be one of {', '.join(MATCH_MODES)}")
    header, rows = read_csv(path)
    if key not in header:
        raise UsageError(f"{display(path)}: no column {key!r}; the columns are {', '.join(header)}")
    states = state_codes(kg)
    tables = _lookup_tables(states)
    result = ImportResult(table_iri=TABLE_BASE + slug(name or path.stem), columns=header)
    index = header.index(key)
    for number, (line, cells) in enumerate(rows, start=1):
        state, how = match_value(cells[index], mode, tables)
        values = dict(zip(header, (c.strip() for c in cells), strict=True))  # read_csv checked the lengths
        result.rows.append(RowMatch(number, line, values, state, how))
    return result


def known_states(kg: KnowledgeGraph) -> str:
    return "; ".join(f"{s.names[0] if s.names else ns.curie(s.iri)} ({s.postal or '?'}, FIPS {s.fips or '?'})"
                     for s in state_codes(kg))


class CellError(ValueError):
    """A cell that looks typed (a number, a date) but cannot be written as that type."""


_MAX_DIGITS = 4000  # below Python's int-from-text limit (4300), which rdflib's typed literals hit


def _typed(value: str):
    """The cell as a typed literal. A cell that looks like a number or a date but is not a valid one
    raises CellError: written as it is, it would be an ill-typed literal that every reader trips on."""
    import datetime

    from rdflib import XSD, Literal

    if re.fullmatch(r"-?(0|[1-9]\d*)", value):
        if len(value.lstrip("-")) > _MAX_DIGITS:
            raise CellError(f"a whole number of {len(value.lstrip('-'))} digits is longer than the "
                            f"{_MAX_DIGITS} digits sckg writes as xsd:integer; shorten it or give it a unit")
        return Literal(int(value), datatype=XSD.integer)
    if re.fullmatch(r"-?\d+\.\d+", value):
        if len(value) > _MAX_DIGITS:
            raise CellError(f"a decimal number of {len(value)} characters is longer than the {_MAX_DIGITS} "
                            "sckg writes as xsd:decimal; shorten it")
        return Literal(value, datatype=XSD.decimal)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError as exc:
            raise CellError(f"{value!r} has the form of a date (YYYY-MM-DD) but is not a valid date ({exc})") \
                from None
        return Literal(value, datatype=XSD.date)
    return Literal(value)


def to_rdf(result: ImportResult, path: Path) -> rdflib.Graph:
    from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS

    csvw = Namespace(CSVW)
    g = Graph()
    for prefix, iri in ns.PREFIXES.items():
        g.bind(prefix, iri, override=True, replace=True)
    g.bind("csvw", CSVW)
    g.bind("col", result.table_iri + "/column/")
    table = URIRef(result.table_iri)
    g.add((table, RDF.type, csvw.Table))
    g.add((table, csvw.url, Literal(path.name)))
    g.add((table, RDFS.label, Literal(f"table {path.name}, imported with sckg import-table")))
    columns = {}
    for h in result.columns:
        columns[h] = URIRef(f"{result.table_iri}/column/{slug(h)}")
        g.add((columns[h], RDF.type, RDF.Property))
        g.add((columns[h], RDFS.label, Literal(h)))
    for r in result.rows:
        row = URIRef(f"{result.table_iri}/row/{r.number}")
        record = URIRef(f"{result.table_iri}/record/{r.number}")
        g.add((table, csvw.row, row))
        g.add((row, RDF.type, csvw.Row))
        g.add((row, csvw.rownum, Literal(r.number, datatype=XSD.integer)))
        g.add((row, csvw.url, Literal(f"{path.name}#row={r.number + 1}")))
        g.add((row, csvw.describes, record))
        if r.state is not None:
            g.add((record, DCTERMS.spatial, URIRef(r.state.iri)))
        for h, value in r.values.items():
            if value:
                try:
                    g.add((record, columns[h], _typed(value)))
                except CellError as exc:
                    raise DataError(f"{display(path)}:{r.line}: row {r.number}, column {h!r}: {exc}; "
                                    "nothing was written") from None
    return g

"""Running SPARQL on the loaded graph, on either engine, and turning the answer into what people read.

One path for both engines: each engine's answer is first written as a standard document (SPARQL
JSON results for SELECT/ASK, N-Triples for CONSTRUCT/DESCRIBE); Oxigraph then parses that document
and writes every output format (csv, tsv, json, xml; turtle, nt, jsonld). So the two engines can
only differ in what they answer, never in how it is printed, and no serialiser is hand-written.

- Oxigraph (pyoxigraph) is the default: fast, and the default graph is the union of all graphs.
- rdflib's engine is the second opinion, over a Dataset whose default graph is the same union.

The project's prefixes are predeclared by prepending ``namespaces.sparql_prologue()``; a PREFIX line
in the user's query comes later and so overrides ours. Error positions are reported relative to
the user's text, not to the prologue.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError
from .library import get_query, query_form
from .oxigraph_bytes import as_bytes
from .project import display

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

ENGINES = ("oxigraph", "rdflib")
SOLUTION_FORMATS = ("table", "csv", "tsv", "json", "xml")  # SELECT and ASK
GRAPH_FORMATS = ("turtle", "nt", "jsonld")                 # CONSTRUCT and DESCRIBE
_RESULTS_FORMAT = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                   "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
_RDF_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
PROLOGUE_LINES = ns.sparql_prologue().count("\n")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")  # a library name, as opposed to SPARQL text


# ---- what the user asked -------------------------------------------------------------------------

@dataclass(frozen=True)
class QuerySource:
    text: str
    origin: str  # for messages: "query stances-matrix", "my.rq", "standard input", "-e expression"
    params: tuple = ()  # the library.Parameter declared in a library query's header


# ---- parameters: values bound to variables, never pasted into the text -----------------------------

_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def parse_param_args(items: list[str] | None) -> dict[str, str]:
    """``["holder=kg:cap", ...]`` (the CLI's repeated --param) as a dict; a malformed item is a UsageError."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name, value = name.strip().lstrip("?$"), value.strip()
        if not sep or not name or not value:
            raise UsageError(f"--param {item!r}: give NAME=VALUE, e.g. --param holder=kg:some-organisation")
        if name in out:
            raise UsageError(f"--param {name} is given twice")
        out[name] = value
    return out


def term_of(value: str, name: str = "") -> ox.NamedNode | ox.Literal:
    """A parameter's value as an RDF term: <IRI>, a CURIE with a project prefix or an http(s) IRI give
    an IRI; an integer gives an xsd:integer; "text" or any other text gives a plain string."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    if re.match(r"^https?://\S+$", value):
        return ox.NamedNode(value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in ns.PREFIXES and " " not in value:
        return ox.NamedNode(ns.PREFIXES[prefix] + local)
    if sep and re.match(r"^[A-Za-z][\w.-]*$", prefix) and " " not in value:
        raise UsageError(f"parameter {name}: unknown prefix '{prefix}:' in {value!r} "
                         "('sckg queries --prefixes' lists the predeclared ones; or give a full <IRI>)")
    if re.match(r"^-?\d+$", value):
        return ox.Literal(value, datatype=ox.NamedNode(ns.XSD + "integer"))
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return ox.Literal(value)


def bind_params(source: QuerySource, given: dict[str, str] | None) -> dict[str, ox.NamedNode | ox.Literal]:
    """The substitutions for a query: the given values, checked against the parameters its header
    declares (a library query) or against its variables (other SPARQL), plus declared defaults."""
    given = dict(given or {})
    declared = {p.name: p for p in source.params}
    allowed = set(declared) if declared else set(_VARIABLE.findall(source.text))
    unknown = sorted(set(given) - allowed)
    if unknown:
        takes = (f"it takes {', '.join(sorted(declared))}" if declared
                 else "it declares no parameters" if source.origin.startswith("query ") else
                 f"its variables are {', '.join(sorted(allowed)) or 'none'}")
        raise UsageError(f"{source.origin}: unknown parameter {', '.join(unknown)}; {takes}")
    if source.origin.startswith("query ") and not declared and given:
        raise UsageError(f"{source.origin}: unknown parameter {', '.join(sorted(given))}; it declares no parameters")
    values = {p.name: p.default for p in declared.values() if p.default is not None}
    values.update(given)
    return {name: term_of(value, name) for name, value in values.items()}


def is_library_name(spec: str) -> bool:
    return bool(_NAME.match(spec)) and not spec.endswith(".rq")


def resolve(spec: str | None, expression: str | None = None, root: Path | None = None,
            stdin=None) -> QuerySource:
    """The query a user means by NAME, FILE.rq, '-' (standard input) or ``-e TEXT``."""
    if expression is not None:
        if spec is not None:
            raise UsageError("give either a query (NAME, FILE.rq or -) or -e 'SPARQL', not both")
        return QuerySource(expression, "-e expression")
    if spec is None:
        raise UsageError("which query? give a NAME from 'sckg queries', a FILE.rq, '-' for standard input, "
                         "or -e 'SELECT ...'")
    if spec == "-":
        return QuerySource((stdin or sys.stdin).read(), "standard input")
    path = Path(spec)
    if spec.endswith(".rq") or path.is_file() or "/" in spec or "\\" in spec:
        if not path.is_file():
            raise UsageError(f"{display(path)}: no such query file")
        try:
            return QuerySource(path.read_text(encoding="utf-8"), display(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{display(path)}: cannot read the query file ({exc})") from exc
    q = get_query(spec, root)
    return QuerySource(q.text, f"query {q.name}", q.params)


def source_of(name_or_sparql: str, root: Path | None = None) -> QuerySource:
    """For the Python API: a library name gives that query (with its parameters); anything else is SPARQL."""
    if is_library_name(name_or_sparql.strip()):
        q = get_query(name_or_sparql.strip(), root)
        return QuerySource(q.text, f"query {q.name}", q.params)
    return QuerySource(name_or_sparql, "query")


def text_of(name_or_sparql: str, root: Path | None = None) -> str:
    """For the Python API: a library name gives that query's text; anything else is SPARQL."""
    return get_query(name_or_sparql, root).text if is_library_name(name_or_sparql.strip()) else name_or_sparql


# ---- terms -----------------------------------------------------------------------------------------

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


# ---- answers -------------------------------------------------------------------------------------

@dataclass
class Answer:
    """What a query answered, engine-neutral. ``document`` is the standard serialisation every
    output format is written from (SPARQL JSON results, or N-Triples for graph forms)."""

    form: str
    engine: str
    document: bytes
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)
    unknown_graphs: list[str] = field(default_factory=list)  # FROM / FROM NAMED IRIs the dataset lacks

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def empty(self) -> bool:
        if self.form == "ASK":
            return False  # "false" is an answer, not an empty one
        return not (self.triples if self.is_graph else self.rows)

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
            return as_bytes(ox.serialize(triples, format=_RDF_FORMAT[fmt], prefixes=used))
        if fmt not in _RESULTS_FORMAT:
            raise UsageError(f"a {self.form} query gives results: choose --format "
                             f"{', '.join(SOLUTION_FORMATS)} (not {fmt})")
        parsed = ox.parse_query_results(self.document, format=ox.QueryResultsFormat.JSON)
        return as_bytes(parsed.serialize(format=_RESULTS_FORMAT[fmt]))


def _from_results_json(form: str, engine: str, document: bytes) -> Answer:
    parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return Answer(form="ASK", engine=engine, document=document, boolean=bool(parsed))
    variables = [v.value for v in parsed.variables]
    rows = [tuple(Term.of(sol[v]) if sol[v] is not None else None for v in variables) for sol in parsed]
    return Answer(form=form, engine=engine, document=document, variables=variables, rows=rows)


def _from_ntriples(form: str, engine: str, document: bytes) -> Answer:
    triples = [(Term.of(t.subject), Term.of(t.predicate), Term.of(t.object))
               for t in ox.parse(document, format=ox.RdfFormat.N_TRIPLES)]
    return Answer(form=form, engine=engine, document=document, triples=triples)


# ---- running -------------------------------------------------------------------------------------

def run(kg: KnowledgeGraph, text: str, engine: str = "oxigraph", origin: str = "query",
        bindings: dict[str, ox.NamedNode | ox.Literal] | None = None) -> Answer:
    """Run SPARQL ``text`` on ``kg`` with the project's prefixes predeclared. The query's FROM / FROM
    NAMED define its dataset; a query that names none sees the union of all named graphs as its
    default graph (sckg.query_dataset, the rule the endpoint follows too). ``Answer.unknown_graphs``
    lists the graphs it names that the dataset lacks. A malformed query raises UsageError naming
    line, column and text. ``bindings`` (from ``bind_params``) are substituted for variables by the
    engine itself (Oxigraph's substitutions, rdflib's initBindings): values are never pasted into the
    text."""
    from .query_dataset import declared, missing_graphs

    dataset = declared(text)
    answer = _run(kg, text, engine, origin, dataset, bindings or {})
    answer.unknown_graphs = missing_graphs(dataset.graphs, kg.store)
    return answer


def _run(kg: KnowledgeGraph, text: str, engine: str, origin: str, dataset, bindings: dict) -> Answer:
    from .query_dataset import oxigraph_options

    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}'; choose {' or '.join(ENGINES)}")
    form = query_form(text)
    full = ns.sparql_prologue() + text
    if engine == "oxigraph":
        try:
            substitutions = {ox.Variable(k): v for k, v in bindings.items()} or None
            result = kg.store.query(full, substitutions=substitutions, **oxigraph_options(dataset))
        except SyntaxError as exc:
            if is_update(text):
                raise UsageError(update_message(origin)) from None
            raise UsageError(oxigraph_syntax_message(str(exc), text, origin)) from None
        # Oxigraph evaluates lazily: errors during evaluation (a SERVICE endpoint that cannot be
        # reached, for one) surface while the results are serialised, as OSError or RuntimeError.
        try:
            if isinstance(result, ox.QueryTriples):
                return _from_ntriples(form, engine, as_bytes(result.serialize(format=ox.RdfFormat.N_TRIPLES)))
            if isinstance(result, ox.QueryBoolean):
                return Answer(form="ASK", engine=engine,
                              document=as_bytes(result.serialize(format=ox.QueryResultsFormat.JSON)),
                              boolean=bool(result))
            return _from_results_json(form, engine, as_bytes(result.serialize(format=ox.QueryResultsFormat.JSON)))
        except (OSError, RuntimeError) as exc:
            hint = " (a SERVICE endpoint could not be reached: are you offline?)" if "SERVICE" in text.upper() else ""
            raise UsageError(f"{origin}: the query failed while running: {exc}{hint}") from None
    return _run_rdflib(kg, full, text, form, origin, bindings)


def _rdflib_term(term):
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value) if term.datatype else None)


def _run_rdflib(kg: KnowledgeGraph, full: str, text: str, form: str, origin: str,
                bindings: dict | None = None) -> Answer:
    import rdflib
    import rdflib.plugins.sparql
    from pyparsing import ParseException

    # FROM <iri> of a graph the dataset lacks would make rdflib fetch that IRI (file: or http:);
    # sckg never fetches: an unknown graph is empty, as on Oxigraph and the endpoint.
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    # The same quads, seen through a Dataset whose default graph is the union of the named graphs
    # (the store is shared, not copied).
    dataset = rdflib.Dataset(store=kg.dataset.store, default_union=True)
    try:
        with warnings.catch_warnings():  # rdflib 7 warns about its own use of default_context
            warnings.simplefilter("ignore", DeprecationWarning)
            result = dataset.query(full, initBindings={k: _rdflib_term(v) for k, v in (bindings or {}).items()})
            result.bindings  # noqa: B018  evaluate now, inside the filter (rdflib evaluates lazily)
    except ParseException as exc:
        if is_update(text):
            raise UsageError(update_message(origin)) from None
        line = exc.lineno - PROLOGUE_LINES
        raise UsageError(position_message(origin, text, line, exc.col, str(exc.msg))) from None
    except Exception as exc:  # rdflib raises plain exceptions for e.g. unknown prefixes
        raise UsageError(f"{origin}: rdflib cannot run this query: {exc}") from None
    if result.type in ("CONSTRUCT", "DESCRIBE") and result.graph is not None:
        return _from_ntriples(form, "rdflib", result.graph.serialize(format="nt", encoding="utf-8"))
    return _from_results_json(form, "rdflib", as_bytes(result.serialize(format="json")))


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR...): parsed, never executed."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(ns.sparql_prologue() + text)
        return True
    except Exception:  # not an update either: the query's own syntax error is what the user needs
        return False


def update_message(origin: str) -> str:
    return (f"{origin}: this is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR ...); updates are not supported: "
            "sckg query runs SELECT, ASK, CONSTRUCT and DESCRIBE. The graph is built from the files in data/: "
            "edit those and run sckg build")


def oxigraph_syntax_message(message: str, text: str, origin: str) -> str:
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not match:
        return f"{origin}: SPARQL syntax error: {message}"
    line = int(match.group(1)) - PROLOGUE_LINES
    column = int(match.group(2))
    detail = match.group(3)
    if "Prefix not found" in detail:
        lines = text.splitlines()
        before = lines[line - 1][:column] if 1 <= line <= len(lines) else ""
        names = re.findall(r"([A-Za-z][\w.-]*)?:[\w.-]*", before)
        name = f"'{names[-1]}:' " if names else ""
        detail = (f"unknown prefix {name}(declare it with a PREFIX line; "
                  "'sckg queries --prefixes' lists the predeclared ones)")
    else:
        detail = _readable_expectation(detail)
    return position_message(origin, text, line, column, detail)


def _readable_expectation(detail: str) -> str:
    """Oxigraph lists what it expected, character classes included ('A' ..= 'Z' | ...); keep the
    keywords and punctuation a person can act on and drop the Unicode ranges."""
    detail = " ".join(detail.split())
    match = re.match(r"expected one of (.*)", detail)
    if not match:
        return detail if len(detail) <= 160 else detail[:157].rstrip() + "..."
    items = re.findall(r"\[[^\]]*\]|[^,\s][^,]*", match.group(1))
    readable = [i.strip() for i in items if "..=" not in i and "\\u{" not in i and i.strip() != "[_]"]
    return "expected one of " + ", ".join(readable) if readable else "unexpected text here"


def position_message(origin: str, text: str, line: int, column: int, detail: str) -> str:
    """'line L, column C: detail' plus the offending line with a caret under the column."""
    lines = text.splitlines()
    if lines and line > len(lines):  # the engine points past the last line: the query ended too early
        return (f"{origin}: SPARQL syntax error at the end of the query (after line {len(lines)}): {detail}\n"
                f"  {lines[-1]}")
    if line < 1 or line > len(lines):
        return f"{origin}: SPARQL syntax error: {detail}"
    source_line = lines[line - 1]
    caret = " " * max(column - 1, 0) + "^"
    near = source_line[max(column - 1, 0):].strip()[:40]
    where = f" near '{near}'" if near else " at the end of the line"
    return (f"{origin}: SPARQL syntax error at line {line}, column {column}{where}: {detail}\n"
            f"  {source_line}\n  {caret}")


# ---- the Python API ---------------------------------------------------------------------------

class QueryResult(list):
    """Rows of a SELECT as namedtuples (fields named after the variables, plain Python values).

    ``variables`` lists the fields; ``form`` is the query form. For ASK the list is empty and
    ``bool(result)`` and ``result.boolean`` give the answer; for CONSTRUCT/DESCRIBE the rows are
    (subject, predicate, object) triples of strings. ``unknown_graphs`` lists the FROM / FROM NAMED
    graphs the dataset lacks (an UnknownGraphsWarning names them too).
    """

    def __init__(self, rows, variables: list[str], form: str, boolean: bool | None = None):
        super().__init__(rows)
        self.variables = variables
        self.form = form
        self.boolean = boolean
        self.unknown_graphs: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.form == "ASK" else len(self) > 0

    def __repr__(self) -> str:
        if self.form == "ASK":
            return f"QueryResult(ASK: {self.boolean})"
        return f"QueryResult({len(self)} row{'s' if len(self) != 1 else ''} of {', '.join(self.variables)})"


class UnknownGraphsWarning(UserWarning):
    """The query's FROM / FROM NAMED name graphs the dataset does not have (they are empty)."""


def warn_unknown_graphs(answer: Answer) -> None:
    """The Python API's counterpart of the endpoint's X-SCKG-Unknown-Graphs header."""
    if answer.unknown_graphs:
        from .query_dataset import unknown_graphs_warning

        warnings.warn(unknown_graphs_warning(answer.unknown_graphs), UnknownGraphsWarning, stacklevel=4)


def to_python(answer: Answer, curies: bool = False) -> QueryResult:
    warn_unknown_graphs(answer)
    result = _to_python(answer, curies)
    result.unknown_graphs = list(answer.unknown_graphs)
    return result


def _to_python(answer: Answer, curies: bool = False) -> QueryResult:
    if answer.form == "ASK":
        return QueryResult([], [], "ASK", answer.boolean)
    if answer.is_graph:
        Triple = namedtuple("Triple", ["subject", "predicate", "object"])
        return QueryResult([Triple(*(t.python(curies) for t in triple)) for triple in answer.triples],
                           list(Triple._fields), answer.form)
    # SPARQL allows names Python does not (rename=True); the fields are known only at run time
    Row = namedtuple("Row", answer.variables, rename=True)  # type: ignore[misc]
    rows = [Row(*(t.python(curies) if t is not None else None for t in row)) for row in answer.rows]
    return QueryResult(rows, answer.variables, answer.form)


def to_dataframe(answer: Answer, curies: bool = False):
    try:
        import pandas as pd
    except ImportError:
        raise UsageError("to_dataframe needs pandas, an optional extra: pip install -e '.[pandas]' "
                         "(or pip install pandas)") from None
    warn_unknown_graphs(answer)
    result = _to_python(answer, curies)
    if answer.form == "ASK":
        return pd.DataFrame({"ask": [answer.boolean]})
    return pd.DataFrame([tuple(r) for r in result], columns=result.variables)

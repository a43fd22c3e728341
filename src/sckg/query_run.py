"""Running SPARQL: one execution path for ``sckg query``, ``kg.query()`` and the endpoint.

``execute`` is the only place a query meets Oxigraph: the project's prefixes are predeclared by
prepending ``namespaces.sparql_prologue()`` (a PREFIX line in the user's query comes later and so
overrides ours), the dataset follows sckg.query_dataset's rule (FROM / FROM NAMED, or the protocol's
graph lists, else the union of all graphs), parameters are bound by the engine (Oxigraph's
substitutions), and a malformed query becomes a UsageError naming line and column of the user's
text. It returns Oxigraph's lazy result: each caller writes it its own way, the command line and the
API through ``Answer`` (``run``), the endpoint with its row and byte caps (sckg.server.worker).

rdflib's engine is the second opinion (``--engine rdflib``), over a Dataset whose default graph is
the same union; it answers the same ``Answer``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import namespaces as ns
from .errors import UsageError
from .oxigraph_bytes import as_bytes
from .query_answer import Answer
from .query_dataset import QueryDataset, declared, missing_graphs, named_by, oxigraph_options
from .query_messages import PROLOGUE_LINES, is_update, oxigraph_syntax_message, position_message, update_message

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

ENGINES = ("oxigraph", "rdflib")
Bindings = dict[str, ox.NamedNode | ox.Literal]


class GraphListError(ValueError):
    """A default or named graph IRI of the protocol's lists is not an absolute IRI."""


@dataclass
class Execution:
    """A query started on Oxigraph. ``result`` is lazy: evaluation errors (a SERVICE endpoint that
    cannot be reached, for one) surface while it is read, as OSError or RuntimeError."""

    result: Any  # ox.QuerySolutions, ox.QueryBoolean or ox.QueryTriples
    named: list[str] = field(default_factory=list)           # the graph IRIs that select the dataset
    unknown_graphs: list[str] = field(default_factory=list)  # those of them the store lacks


def execute(store: ox.Store, text: str, *, bindings: Bindings | None = None, dataset: QueryDataset | None = None,
            default_graphs=(), named_graphs=(), base_iri: str | None = None, origin: str = "query") -> Execution:
    """Start SPARQL ``text`` on ``store``. ``dataset`` is what the query's FROM / FROM NAMED name
    (read from the text when not given; the endpoint's guard has read it already);
    ``default_graphs`` / ``named_graphs`` are the SPARQL Protocol's lists, which win over them.
    Raises UsageError for a malformed query or an update, and GraphListError for a graph IRI of
    those lists that is not absolute."""
    dataset = declared(text) if dataset is None else dataset
    try:
        options = oxigraph_options(dataset, default_graphs, named_graphs)
    except ValueError as error:
        raise GraphListError(str(error)) from None
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None = (
        {ox.Variable(k): v for k, v in bindings.items()} if bindings else None)
    try:
        result = store.query(ns.sparql_prologue() + text, base_iri=base_iri, substitutions=substitutions, **options)
    except SyntaxError as exc:
        if is_update(text):
            raise UsageError(update_message(origin)) from None
        raise UsageError(oxigraph_syntax_message(str(exc), text, origin)) from None
    named = named_by(dataset, default_graphs, named_graphs)
    return Execution(result, named, missing_graphs(named, store))


def run(kg: KnowledgeGraph, text: str, engine: str = "oxigraph", origin: str = "query",
        bindings: Bindings | None = None) -> Answer:
    """Run SPARQL ``text`` on ``kg`` and read the whole answer: ``execute`` on Oxigraph, or rdflib's
    engine on the same dataset. ``Answer.unknown_graphs`` lists the graphs the query names that the
    dataset lacks. A malformed query raises UsageError naming line, column and text."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}'; choose {' or '.join(ENGINES)}")
    from .library import query_form

    form = query_form(text)
    if engine == "rdflib":
        dataset = declared(text)
        answer = _run_rdflib(kg, text, form, origin, bindings)
        answer.unknown_graphs = missing_graphs(dataset.graphs, kg.store)
        return answer
    execution = execute(kg.store, text, bindings=bindings, origin=origin)
    result = execution.result
    fmt: ox.RdfFormat | ox.QueryResultsFormat
    try:  # Oxigraph evaluates while it writes: errors during evaluation surface here
        if isinstance(result, ox.QueryTriples):
            document, fmt = as_bytes(result.serialize(format=ox.RdfFormat.N_TRIPLES)), ox.RdfFormat.N_TRIPLES
        elif isinstance(result, ox.QueryBoolean):
            form = "ASK"
            document, fmt = as_bytes(result.serialize(format=ox.QueryResultsFormat.JSON)), ox.QueryResultsFormat.JSON
        else:
            document, fmt = as_bytes(result.serialize(format=ox.QueryResultsFormat.TSV)), ox.QueryResultsFormat.TSV
    except (OSError, RuntimeError) as exc:
        hint = " (a SERVICE endpoint could not be reached: are you offline?)" if "SERVICE" in text.upper() else ""
        raise UsageError(f"{origin}: the query failed while running: {exc}{hint}") from None
    return Answer(form, engine, document, fmt, execution.unknown_graphs)


def _rdflib_term(term):
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value) if term.datatype else None)


def _run_rdflib(kg: KnowledgeGraph, text: str, form: str, origin: str, bindings: Bindings | None = None) -> Answer:
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
            result = dataset.query(ns.sparql_prologue() + text,
                                   initBindings={k: _rdflib_term(v) for k, v in (bindings or {}).items()})
            result.bindings  # noqa: B018  evaluate now, inside the filter (rdflib evaluates lazily)
    except ParseException as exc:
        if is_update(text):
            raise UsageError(update_message(origin)) from None
        line = exc.lineno - PROLOGUE_LINES
        raise UsageError(position_message(origin, text, line, exc.col, str(exc.msg))) from None
    except Exception as exc:  # rdflib raises plain exceptions for e.g. unknown prefixes
        raise UsageError(f"{origin}: rdflib cannot run this query: {exc}") from None
    if result.type in ("CONSTRUCT", "DESCRIBE") and result.graph is not None:
        return Answer(form, "rdflib", result.graph.serialize(format="nt", encoding="utf-8"))
    document = as_bytes(result.serialize(format="json"))
    if result.type == "ASK":
        form = "ASK"
    return Answer(form, "rdflib", document)

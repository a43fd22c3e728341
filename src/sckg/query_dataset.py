"""Which RDF dataset a query runs on: one rule for `sckg query`, `kg.query()` and the endpoint.

SPARQL says a query's FROM / FROM NAMED clauses define its dataset (the SPARQL 1.1 Protocol's
default-graph-uri / named-graph-uri win over them). sckg adds one convenience: a query that names no
dataset sees the union of all named graphs as its default graph, so it needs no GRAPH clause. That
convenience must never override a dataset the query does name, or the same query answers
differently on the command line and on the endpoint.

Graph IRIs only select among the local named graphs; nothing is ever fetched. An IRI the dataset does
not have selects an empty graph (what SPARQL says), and ``missing_graphs`` names those IRIs so that an
empty answer explains itself: the endpoint in its X-SCKG-Unknown-Graphs header, the command line and
the Python API in a warning.

The FROM / FROM NAMED IRIs are read with rdflib's SPARQL grammar, as the endpoint's guard reads the
query, so both routes derive the dataset from the same reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class QueryDataset:
    has_dataset: bool               # the query names its own dataset with FROM / FROM NAMED
    graphs: tuple[str, ...] = ()    # the IRIs of those clauses, prefixed names resolved


NO_DATASET = QueryDataset(False)


def declared(query: str) -> QueryDataset:
    """The dataset ``query`` (SPARQL text, without the project's prologue) names. A query rdflib
    cannot parse is treated as naming none: Oxigraph then reports its syntax error itself."""
    if not may_name_dataset(query):  # no FROM can hide in it: skip rdflib's parse (and its import)
        return NO_DATASET
    return _declared_cached(query)


# What a FROM keyword can never be inside: strings (long ones first), IRIs and comments, matched left
# to right as the SPARQL lexer reads them (a '#' in an IRI starts no comment, a '"' in a comment no string).
_NOT_KEYWORDS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                           r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
                           r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*')
_FROM = re.compile(r"(?<![\w?$:-])from(?![\w:-])", re.IGNORECASE)


def may_name_dataset(query: str) -> bool:
    """False only when ``query`` cannot have a FROM clause: no FROM keyword outside its strings, IRIs
    and comments (library questions say "from" in their comments; parsing each of those with rdflib
    would cost a query its start-up time). A codepoint escape could spell the keyword: such a text
    is always parsed."""
    if "\\u" in query.lower():
        return True
    return bool(_FROM.search(_NOT_KEYWORDS.sub(" ", query)))


@lru_cache(maxsize=256)
def _declared_cached(query: str) -> QueryDataset:
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(query)
    except Exception:  # ParseException, RecursionError, ValueError from a bad \u escape
        return NO_DATASET
    body = tree[1]
    if "datasetClause" not in body:
        return NO_DATASET
    return QueryDataset(True, dataset_iris(tree, body))


def dataset_iris(tree, body) -> tuple[str, ...]:
    """The IRIs of FROM / FROM NAMED in rdflib's parse tree, prefixed names resolved with the query's
    and the project's prefixes. An undeclared prefix is left out: Oxigraph refuses that query."""
    from rdflib.plugins.sparql.algebra import translatePrologue

    from . import namespaces as ns

    try:
        prologue = translatePrologue(tree[0], None, ns.PREFIXES)
    except Exception:  # rdflib raises plain Exception for a bad BASE or PREFIX
        return ()
    iris = []
    for clause in body.datasetClause:
        term = clause["default"] if "default" in clause else clause["named"]
        try:
            iris.append(str(prologue.absolutize(term)))
        except Exception:  # noqa: S112  "Unknown namespace prefix": the engine reports it when it runs
            continue
    return tuple(dict.fromkeys(iris))


def oxigraph_options(dataset: QueryDataset, default_graphs=(), named_graphs=()) -> dict:
    """Keyword arguments for ``pyoxigraph.Store.query``: the protocol's graph lists when given (they
    win over FROM / FROM NAMED), else the query's own dataset, else the union of all graphs.
    Raises ValueError for a graph IRI that is not absolute."""
    import pyoxigraph as ox

    if default_graphs or named_graphs:
        return {"default_graph": [ox.NamedNode(iri) for iri in default_graphs],
                "named_graphs": [ox.NamedNode(iri) for iri in named_graphs]}
    if dataset.has_dataset:
        return {}
    return {"use_default_graph_as_union": True}


def named_by(dataset: QueryDataset, default_graphs=(), named_graphs=()) -> list[str]:
    """The graph IRIs that select the dataset (the protocol's lists win, as in ``oxigraph_options``)."""
    if default_graphs or named_graphs:
        return list(default_graphs) + list(named_graphs)
    return list(dataset.graphs)


def missing_graphs(named, store) -> list[str]:
    """The IRIs among ``named`` that are not a named graph of ``store`` (an Oxigraph store), once each."""
    if not named:
        return []
    present = {graph.value for graph in store.named_graphs()}
    return [iri for iri in dict.fromkeys(named) if iri not in present]


def unknown_graphs_warning(missing: list[str]) -> str:
    """The warning the command line and the Python API give (the endpoint's header names the same IRIs)."""
    shown = " ".join(f"<{iri}>" for iri in missing)
    return (f"the query names {len(missing)} graph(s) this dataset does not have, so they are empty: {shown} "
            "(SELECT DISTINCT ?g WHERE { GRAPH ?g { } } lists the graphs there are)")

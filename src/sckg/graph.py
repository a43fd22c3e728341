"""The loaded knowledge graph: an Oxigraph store of named graphs plus what the loader learnt.

Oxigraph answers SPARQL (fast, and it writes every results format); an rdflib view of the same
quads is built only when asked for, for pySHACL and for the pretty serialisers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from . import namespaces as ns
from .oxigraph_bytes import as_bytes

if TYPE_CHECKING:  # rdflib is imported lazily: it costs time that light commands need not pay
    import rdflib

    # Only annotations name these: importing grounding here would cost every query that opens the
    # built store (which never grounds) its import time.
    from .grounding import GroundingResult
    from .project import SourceFile


@dataclass
class KnowledgeGraph:
    root: Path
    store: ox.Store
    files: list[SourceFile]
    groundings: list[GroundingResult]
    origins: dict[str, Path] = field(default_factory=dict)  # subject (N-Triples form) -> first file
    load_seconds: float = 0.0

    # ---- structure --------------------------------------------------------------------------

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def written_graph_names(self) -> list[str]:
        """The named graphs as the data wrote them: every graph but the build's inferred closure."""
        return [g for g in self.graph_names() if g != ns.GRAPH_INFERRED]

    @staticmethod
    def as_written(graph_var: str = "?g") -> str:
        """A SPARQL filter expression that keeps ``graph_var`` to the graphs as written. A question about
        what the data says of a node (its own types, the edges drawn) needs it: the inferred graph adds
        every superclass and super-property, which would blur a node's type and double the edges."""
        return f"{graph_var} != <{ns.GRAPH_INFERRED}>"

    def triples_per_graph(self) -> dict[str, int]:
        counts = {name: 0 for name in self.graph_names()}
        rows = self.store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        if not isinstance(rows, ox.QuerySolutions):  # a SELECT gives solutions; this narrows the type
            raise TypeError(f"expected SELECT solutions, got {type(rows).__name__}")
        for row in rows:
            counts[row["g"].value] = int(row["n"].value)
        return counts

    def __len__(self) -> int:
        return len(self.store)

    def origin_of(self, node: str) -> Path | None:
        """The file a node is first described in (``node`` as an IRI string)."""
        return self.origins.get(f"<{node}>")

    # ---- SPARQL -------------------------------------------------------------------------------

    def sparql(self, query: str, union: bool = True, **kwargs):
        """Run SPARQL on Oxigraph with the project's prefixes predeclared. By default the default
        graph is the union of all named graphs, so queries need no GRAPH clause."""
        return self.store.query(ns.sparql_prologue() + query, use_default_graph_as_union=union, **kwargs)

    def query(self, name_or_sparql: str, engine: str = "oxigraph", curies: bool = False,
              params: dict[str, str] | None = None, **param_values: str):
        """Rows with named fields: a library question by name (``kg.query("stances-matrix")``) or SPARQL
        text, the project's prefixes predeclared, the default graph the union of all graphs.

        Returns a list of namedtuples (fields = the query's variables) with plain Python values: str
        for IRIs and strings, int/float/Decimal/bool/date/datetime for literals of those XSD types,
        None when unbound; ``curies=True`` writes IRIs as CURIEs (sckg:..., kg:...). ``.variables``
        lists the fields; an ASK gives ``bool(result)``. Bad SPARQL or an unknown name: UsageError.

        Parameters a library question declares are given as keywords or as ``params``:
        ``kg.query("stances-welcomed-vs-faulted", holder="kg:some-org")``; the values (CURIEs, IRIs
        or literals) are bound by the engine, never pasted into the text. An unknown one: UsageError."""
        from .query_python import to_python
        from .query_run import run
        from .query_source import bind_params, source_of

        source = source_of(name_or_sparql, self.root)
        bindings = bind_params(source, {**(params or {}), **param_values})
        return to_python(run(self, source.text, engine, source.origin, bindings), curies)

    def to_dataframe(self, name_or_sparql: str, engine: str = "oxigraph", curies: bool = False,
                     params: dict[str, str] | None = None, **param_values: str):
        """The answer of ``query`` as a pandas DataFrame (needs the optional extra: pip install -e '.[pandas]')."""
        from .query_python import to_dataframe
        from .query_run import run
        from .query_source import bind_params, source_of

        source = source_of(name_or_sparql, self.root)
        bindings = bind_params(source, {**(params or {}), **param_values})
        return to_dataframe(run(self, source.text, engine, source.origin, bindings), curies)

    # ---- rdflib views (lazy) ------------------------------------------------------------------

    def _nquads(self) -> bytes:
        return as_bytes(self.store.dump(format=ox.RdfFormat.N_QUADS))

    @cached_property
    def dataset(self) -> rdflib.Dataset:
        """All named graphs as an rdflib Dataset, prefixes bound."""
        import rdflib

        ds = rdflib.Dataset()
        ds.parse(data=self._nquads(), format="nquads")
        for prefix, iri in ns.PREFIXES.items():
            ds.bind(prefix, iri, override=True, replace=True)
        return ds

    @cached_property
    def union(self) -> rdflib.Graph:
        """All triples in one rdflib Graph (what pySHACL validates: shapes follow links across graphs)."""
        import rdflib

        g = rdflib.Graph()
        for prefix, iri in ns.PREFIXES.items():
            g.bind(prefix, iri, override=True, replace=True)
        for s, p, o, _ in self.dataset.quads((None, None, None, None)):
            g.add((s, p, o))
        return g

    def named_graph(self, name: str) -> rdflib.Graph:
        import rdflib

        g = rdflib.Graph()
        for prefix, iri in ns.PREFIXES.items():
            g.bind(prefix, iri, override=True, replace=True)
        # rdflib takes a graph name where its stubs say Graph
        for s, p, o, _ in self.dataset.quads((None, None, None, rdflib.URIRef(name))):  # type: ignore[arg-type]
            g.add((s, p, o))
        return g

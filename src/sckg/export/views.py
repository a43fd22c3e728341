"""The four views of the graph as networkx MultiDiGraphs: the one graph every export format is written from.

Nodes are keyed by IRI and carry ``iri``, ``label``, ``type`` (class CURIE) and ``group`` (for colour);
grounded items also carry ``quote``, ``quote_start``, ``quote_end`` and ``sentence``. Edges carry
``predicate`` (CURIE) and ``label``, ``polarity`` where one applies, and the grounding of the item that
states them: ``quote``, ``quote_start``, ``quote_end``, ``sentence``, ``grounded_by``.

The offsets are called quote_start/quote_end, not start/end, because GEXF reserves ``start`` and ``end``
for time intervals: networkx would write them as a spell and Gephi would put the edges on a timeline.

A relation that the data reifies (a stance, a support or attack, a causal link, an opt-out decision)
becomes one edge whose ``predicate`` is the reifying class (``sckg:Stance``...), whose ``via`` is the
reifying resource and whose ``via_label`` is that resource's label. Every attribute is a str, int,
float or bool, so the GraphML and GEXF writers of networkx accept them (they reject lists).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import networkx as nx

from .. import namespaces as ns
from ..errors import UsageError
from ..graph import KnowledgeGraph
from ..query_answer import Term
from .catalog import Catalog, build_catalog

S = ns.SCKG
ONTOLOGY_GRAPH = ns.GRAPH_ONTOLOGY

VIEW_DESCRIPTIONS = {
    "full": "every resource-to-resource triple of the data (literals as attributes)",
    "actors": "organizations, people, jurisdictions and groups, and how they relate",
    "arguments": "claims, argument and causal links, stances toward their targets, the recommendations",
    "program": "the program, the announcement, its changes, and each statement's evaluation of each change",
}
VIEWS = tuple(VIEW_DESCRIPTIONS)

ARGUMENT_LABELS = {S + "Support": "supports", S + "Attack": "attacks", S + "Inference": "infers"}


# ---- helpers --------------------------------------------------------------------------------------

def _iris(kg: KnowledgeGraph, query: str, var: str = "x") -> set[str]:
    return {row[var].value for row in kg.sparql(query)}


def _data_triples(kg: KnowledgeGraph) -> list[tuple[str, str, str]]:
    """Resource-to-resource triples outside the ontology graph, rdf:type excluded (a node attribute).
    The inferred graph is left out too: the views draw what was written, and its super-property triples
    would double every edge they imply."""
    query = f"""SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
                FILTER(?g != <{ONTOLOGY_GRAPH}> && {kg.as_written("?g")}
                       && isIRI(?s) && isIRI(?o) && ?p != rdf:type) }}"""
    return sorted((r["s"].value, r["p"].value, r["o"].value) for r in kg.sparql(query, union=False))


class _Builder:
    """Adds nodes and edges with their attributes, in a stable order."""

    def __init__(self, view: str, cat: Catalog):
        self.cat = cat
        self.g: nx.MultiDiGraph = nx.MultiDiGraph(name=view, description=VIEW_DESCRIPTIONS[view])

    def node(self, iri: str) -> None:
        if iri not in self.g:
            self.g.add_node(iri, **self.cat.node_attributes(iri))

    def triple(self, s: str, p: str, o: str) -> None:
        self.node(s)
        self.node(o)
        attrs = {"predicate": ns.curie(p), "label": self.cat.label(p)}
        attrs.update(self.cat.triple_grounding(s, p, o))
        self.g.add_edge(s, o, key=ns.curie(p), **attrs)

    def reified(self, source: str, target: str, via: str, predicate: str, label: str,
                grounding_item: str | None = None, **extra) -> None:
        self.node(source)
        self.node(target)
        attrs = {"predicate": ns.curie(predicate), "label": label, "via": via, **extra}
        attrs.update(self.cat.grounding_attributes(grounding_item or via))
        attrs["via"] = via
        # The reifying resource's own rdfs:label says what the relation is ("The traffic-offense figures
        # support the claim that..."): the edge's label is only its kind ("supports").
        if via in self.cat.labels:
            attrs["via_label"] = self.cat.labels[via]
        self.g.add_edge(source, target, key=ns.curie(via), **attrs)

    def stances(self, kg: KnowledgeGraph, keep: Callable[[str, str], bool]) -> None:
        query = """SELECT ?st ?h ?t ?pol ?top WHERE {
                     ?st a sckg:Stance ; sckg:holder ?h ; sckg:target ?t ; sckg:polarity ?pol .
                     ?pol skos:broader* ?top . ?top skos:topConceptOf sckg:PolarityScheme }"""
        for row in sorted(kg.sparql(query), key=lambda r: r["st"].value):
            h, t = row["h"].value, row["t"].value
            if keep(h, t):
                pol = self.cat.label(row["pol"].value)
                self.reified(h, t, row["st"].value, S + "Stance", pol, polarity=pol,
                             polarity_class=self.cat.label(row["top"].value))


# ---- the views ------------------------------------------------------------------------------------

def _full(kg: KnowledgeGraph, b: _Builder) -> None:
    for s, p, o in _data_triples(kg):
        b.triple(s, p, o)
    query = f"""SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
                FILTER(?g != <{ONTOLOGY_GRAPH}> && isIRI(?s) && isLiteral(?o)) }}"""
    literals: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in kg.sparql(query, union=False):
        literals[row["s"].value][ns.curie(row["p"].value)].append(_python_value(row["o"]))
    types_query = f"""SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a ?t }} FILTER(?g != <{ONTOLOGY_GRAPH}>) }}"""
    for s in sorted(_iris(kg, types_query, "s") | set(literals)):
        b.node(s)
    for s in sorted(literals):
        for key, values in sorted(literals[s].items()):
            # Several values of one property become one string: GraphML and GEXF take no lists.
            b.g.nodes[s][key] = values[0] if len(values) == 1 else " | ".join(sorted(str(v) for v in values))
    for s in b.g.nodes:
        b.g.nodes[s]["types"] = " ".join(sorted(ns.curie(t) for t in b.cat.types.get(s, ())))
    _unify_attribute_types(b.g)


def _python_value(lit):
    """The literal as an attribute value the GraphML/GEXF writers accept: the query API's conversion
    (query_answer.Term.python), narrowed to str/int/float/bool (they reject Decimal and dates)."""
    value = Term.of(lit).python()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return lit.value
    return value


def _unify_attribute_types(g: nx.MultiDiGraph) -> None:
    """A GraphML/GEXF attribute has one type: where a key holds mixed types, make all of them strings."""
    seen: dict[str, set[type]] = defaultdict(set)
    for _, data in g.nodes(data=True):
        for k, v in data.items():
            seen[k].add(type(v))
    mixed = {k for k, ts in seen.items() if len(ts) > 1}
    for _, data in g.nodes(data=True):
        for k in mixed & data.keys():
            data[k] = str(data[k])


def _arguments(kg: KnowledgeGraph, b: _Builder) -> None:
    claims = _iris(kg, "SELECT ?x WHERE { ?x rdf:type/rdfs:subClassOf* sckg:Claim }")
    for c in sorted(claims):
        b.node(c)
    # The relation's own class, as written: the inferred graph also types an sckg:Inference as an
    # sckg:Support, and two rows for one relation would make its label depend on row order.
    relations = sorted(kg.sparql(f"""SELECT ?rel ?cls ?p ?c WHERE {{
        GRAPH ?g {{ ?rel a ?cls }} FILTER({kg.as_written("?g")})
        ?rel sckg:premise ?p ; sckg:conclusion ?c . ?cls rdfs:subClassOf* sckg:ArgumentRelation }}"""),
        key=lambda r: (r["rel"].value, r["p"].value))
    for row in relations:
        cls = row["cls"].value
        if cls in ARGUMENT_LABELS:
            b.reified(row["p"].value, row["c"].value, row["rel"].value, cls, ARGUMENT_LABELS[cls])
    links = sorted(kg.sparql("""SELECT ?link ?cause ?effect ?claim WHERE {
        ?link a sckg:CausalLink ; sckg:cause ?cause ; sckg:effect ?effect .
        OPTIONAL { ?link sckg:assertedBy ?claim } }"""), key=lambda r: r["link"].value)
    for row in links:
        claim = row["claim"].value if row["claim"] is not None else None
        extra = {"asserted_by": claim} if claim else {}
        b.reified(row["cause"].value, row["effect"].value, row["link"].value, S + "CausalLink", "causes",
                  grounding_item=claim, **extra)
        if claim and not b.g.has_edge(claim, row["cause"].value, key="sckg:assertedBy"):
            # The claim that asserts a causal link points at the link's cause, so the chain of
            # phenomena hangs off the sentence that states it instead of floating on its own.
            attrs = {"predicate": "sckg:assertedBy", "label": "asserts", "inverse": True}
            attrs.update(b.cat.grounding_attributes(claim))
            b.g.add_edge(claim, row["cause"].value, key="sckg:assertedBy", **attrs)
    b.stances(kg, lambda h, t: True)
    for row in sorted(kg.sparql("SELECT ?c ?a WHERE { ?c sckg:addressedTo ?a }"),
                      key=lambda r: (r["c"].value, r["a"].value)):
        c, a = row["c"].value, row["a"].value
        b.node(c)
        b.node(a)
        attrs = {"predicate": "sckg:addressedTo", "label": b.cat.label(S + "addressedTo")}
        attrs.update(b.cat.grounding_attributes(c))
        b.g.add_edge(c, a, key="sckg:addressedTo", **attrs)
    # The text's own moves between units that are not arguments: a concession granted before the point
    # it is made against ("While ...", "But ..."), a later unit restating an earlier one, and a hope for
    # what a recommendation asks. Without them those units would sit in the "not linked" box although
    # the text joins them. A conceded stance is drawn as a holder-to-target edge, not a node, so only
    # claim-to-claim moves are drawn.
    for prop in ("concededAgainst", "restates", "hopedOutcome"):
        rows = kg.sparql(f"SELECT ?x ?y WHERE {{ ?x sckg:{prop} ?y }}")
        for row in sorted(rows, key=lambda r: (r["x"].value, r["y"].value)):
            x, y = row["x"].value, row["y"].value
            if x in claims and y in claims:
                attrs = {"predicate": f"sckg:{prop}", "label": b.cat.label(S + prop)}
                attrs.update(b.cat.grounding_attributes(x))
                b.g.add_edge(x, y, key=f"sckg:{prop}", **attrs)


def _actors(kg: KnowledgeGraph, b: _Builder) -> None:
    nodes = _iris(kg, """SELECT ?x WHERE { { ?x rdf:type/rdfs:subClassOf* sckg:Actor }
                          UNION { ?x a sckg:Position } UNION { ?x a sckg:Program } }""")
    for n in sorted(nodes):
        b.node(n)
    for s, p, o in _data_triples(kg):
        if s in nodes and o in nodes:
            b.triple(s, p, o)
    # "opted out of": an opt-out decision joins who decided it to the program it concerns.
    rows = sorted(kg.sparql("""SELECT ?d ?who ?prog WHERE {
        ?d a sckg:OptOutDecision ; sckg:decidedBy ?who ; sckg:concernsProgram ?prog }"""),
        key=lambda r: r["d"].value)
    for row in rows:
        d, who, prog = row["d"].value, row["who"].value, row["prog"].value
        if who in nodes and prog in nodes:
            # Grounded by whatever states who decided it: a claim of the statement or a context fact.
            stating = sorted(b.cat.stated_by.get((d, S + "decidedBy", who), []),
                             key=lambda i: (i not in b.cat.anchors, i))
            b.reified(who, prog, d, S + "OptOutDecision", "opted out of",
                      grounding_item=stating[0] if stating else d)
    b.stances(kg, lambda h, t: h in nodes and t in nodes)


def _program(kg: KnowledgeGraph, b: _Builder) -> None:
    core = _iris(kg, """SELECT ?x WHERE { VALUES ?c { sckg:Program sckg:Announcement sckg:ProgramChange
                         sckg:Purpose sckg:PolicyInitiative } ?x rdf:type/rdfs:subClassOf* ?c }""")
    actors = _iris(kg, "SELECT ?x WHERE { ?x rdf:type/rdfs:subClassOf* sckg:Actor }")
    triples = _data_triples(kg)
    nodes = set(core)
    for s, _p, o in triples:  # the actors the program's parts are tied to (who announced, administers...)
        if s in core and o in actors:
            nodes.add(o)
        if o in core and s in actors:
            nodes.add(s)
    for n in sorted(nodes):
        b.node(n)
    for s, p, o in triples:
        if s in nodes and o in nodes:
            b.triple(s, p, o)
    b.stances(kg, lambda h, t: t in core)
    evaluations = sorted(kg.sparql("SELECT ?e ?x WHERE { ?e a sckg:Evaluation ; schema:about ?x }"),
                         key=lambda r: (r["e"].value, r["x"].value))
    for row in evaluations:
        e, x = row["e"].value, row["x"].value
        if x in core:
            b.node(e)
            attrs = {"predicate": "schema:about", "label": "evaluates"}
            attrs.update(b.cat.grounding_attributes(e))
            b.g.add_edge(e, x, key="schema:about", **attrs)


BUILDERS = {"full": _full, "actors": _actors, "arguments": _arguments, "program": _program}


def build_view(kg: KnowledgeGraph, view: str, catalog: Catalog | None = None) -> nx.MultiDiGraph:
    if view not in BUILDERS:
        raise UsageError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
    builder = _Builder(view, catalog or build_catalog(kg))
    BUILDERS[view](kg, builder)
    return builder.g


def to_networkx(view: str, kg: KnowledgeGraph | None = None) -> nx.MultiDiGraph:
    """The networkx MultiDiGraph of a view: the same graph every export of that view is written from.

        import sckg
        g = sckg.to_networkx("arguments")
    """
    if kg is None:
        from ..loader import load

        kg = load()
    return build_view(kg, view)

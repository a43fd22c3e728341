"""``sckg describe NODE``: what the graph says about one node, with the quotes that ground it."""

from __future__ import annotations

EXAMPLES = """examples:
  $ sckg describe kg:ice
  $ sckg describe '<https://w3id.org/sckg/id/secure-communities>' --format turtle

Identifiers are printed so that they paste back into a query: a CURIE where SPARQL reads it as it is,
else the full <IRI>."""

FORMATS = ("text", "turtle", "trig")


def register(sub) -> None:
    p = sub.add_parser("describe", help="print what the graph says about a node, with its grounding quotes",
                       description="Print a node's types and labels, the triples it is the subject of, the "
                                   "triples it is the object of (each with its named graph), and the verbatim "
                                   "quotes that ground it, with their character offsets and sentences. "
                                   "Exits 2 if the graph says nothing about the node.",
                       epilog=EXAMPLES)
    p.add_argument("node", metavar="NODE", help="a CURIE (kg:ice), an IRI, or <IRI>")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text for people (default); turtle or trig: the node's triples as RDF")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys

    from ..describe import describe, describe_graph, resolve_node
    from ..errors import UsageError
    from ..store import open_graph

    node = resolve_node(args.node)
    kg = open_graph(args.root)  # dist/store when current, else a fresh load
    description = describe(kg, node)
    if description.is_empty:
        raise UsageError(f"the graph says nothing about <{node}>; `sckg query -e 'SELECT ?s WHERE "
                         "{ ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), \"...\")) }'` finds nodes by label")
    if args.format == "text":
        sys.stdout.write(_text(description))
    else:
        import pyoxigraph as ox

        from .. import namespaces as ns
        from ..oxigraph_bytes import as_bytes

        quads = describe_graph(description)
        fmt = ox.RdfFormat.TURTLE if args.format == "turtle" else ox.RdfFormat.TRIG
        data = quads if fmt is ox.RdfFormat.TRIG else [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
        sys.stdout.write(as_bytes(ox.serialize(data, format=fmt, prefixes=ns.PREFIXES)).decode("utf-8"))
    return 0


def _term(term) -> str:
    import pyoxigraph as ox

    from .. import namespaces as ns

    if isinstance(term, ox.NamedNode):
        return ns.pasteable(term.value)
    if isinstance(term, ox.Literal):
        from ..safe_text import visible  # control characters never reach the terminal raw

        return visible(str(term))
    return str(term)


def _graph(name: str) -> str:
    from .. import namespaces as ns

    return name[len(ns.GRAPH):] if name.startswith(ns.GRAPH) else name


def _text(d) -> str:
    from .. import namespaces as ns
    from ..console import paint, table
    from ..safe_text import visible

    out = [paint(ns.pasteable(d.node), "bold")]
    if d.types:
        out.append("  a " + ", ".join(ns.pasteable(t) for t in d.types))
    for label in d.labels:
        out.append(f"  label: {visible(label)}")
    out.append("")
    out.append(paint(f"says ({len(d.outgoing)})", "bold"))
    out.append(table([[ns.pasteable(p), _term(o), _graph(g)] for p, o, g in d.outgoing],
                     ["predicate", "object", "graph"]) if d.outgoing else "  nothing")
    out.append("")
    out.append(paint(f"said of it ({len(d.incoming)})", "bold"))
    out.append(table([[_term(s), ns.pasteable(p), _graph(g)] for s, p, g in d.incoming],
                     ["subject", "predicate", "graph"]) if d.incoming else "  nothing")
    out.append("")
    out.append(paint(f"grounded in ({len(d.quotes)})", "bold"))
    if not d.quotes:
        out.append("  no quote: the node is not anchored in a source text")
    for q in d.quotes:
        out.append(f"  \"{visible(q.text)}\"")
        out.append(f"    {ns.pasteable(q.document)}, characters {q.start}-{q.end} (code points from 0, end exclusive)")
        for s in q.sentences:
            out.append(f"    sentence {s.number}: {visible(s.text)}")
    return "\n".join(out) + "\n"

"""The argument view in the Argument Interchange Format (AIF), for the OVA / AIFdb family of tools.

- I-nodes: every claim of the statement, and any other item an argument relation joins (a stance can be
  the conclusion of a support). The text of an I-node is the claim's quote, verbatim from the source.
- RA-nodes: every sckg:Support (sckg:Inference included), edges premise -> RA -> conclusion.
- CA-nodes: every sckg:Attack, edges premise (conflicting) -> CA -> conclusion (conflicted).

Two forms: the JSON that AIFdb serves and OVA loads ({"nodes", "edges", "locutions"}; nodes have
nodeID, text, type; edges edgeID, fromID, toID), and RDF under http://www.arg.dundee.ac.uk/aif#,
where the sckg resources themselves are typed: a claim is an aif:I-node with aif:claimText, a support
is an aif:RA-node with aif:Premise / aif:Conclusion. For a CA-node the AIF ontology's conflict links
aif:Conflicting / aif:Conflicted are written, and also aif:Premise / aif:Conclusion so that a reader
following only the generic S-node links still finds both ends of the attack.

Both are built from the arguments view's networkx graph: the same nodes and edges as every other export.
"""

from __future__ import annotations

import json

import networkx as nx

from ..errors import UsageError
from .style import CLAIM_GROUPS

AIF = "http://www.arg.dundee.ac.uk/aif#"
AIF_FORMS = ("json", "rdf")
AIF_EXTENSIONS = {"json": "aif.json", "rdf": "aif.ttl"}
RELATION_PREDICATES = {"sckg:Support": "RA", "sckg:Inference": "RA", "sckg:Attack": "CA"}
SCHEME_TEXT = {"RA": "Default Inference", "CA": "Default Conflict"}


def _require_arguments(g: nx.MultiDiGraph) -> None:
    if g.graph.get("name") != "arguments":
        raise UsageError(f"AIF is made from the arguments view only (got the {g.graph.get('name')!r} view); "
                         "run: sckg export arguments --format aif")


def argument_structure(g: nx.MultiDiGraph) -> tuple[list[str], list[dict]]:
    """The I-node IRIs (sorted) and the relations: {iri, kind RA|CA, premises, conclusion, label}."""
    _require_arguments(g)
    relations: dict[str, dict] = {}
    for u, v, data in g.edges(data=True):
        kind = RELATION_PREDICATES.get(data.get("predicate", ""))
        if kind is None:
            continue
        rel = relations.setdefault(data["via"], {"iri": data["via"], "kind": kind, "premises": [],
                                                 "conclusion": v, "label": data.get("label", "")})
        rel["premises"].append(u)
    inodes = {n for n, d in g.nodes(data=True) if d.get("group") in CLAIM_GROUPS}
    for rel in relations.values():
        inodes.update(rel["premises"])
        inodes.add(rel["conclusion"])
        rel["premises"].sort()
    return sorted(inodes), [relations[k] for k in sorted(relations)]


def _text(g: nx.MultiDiGraph, node: str) -> str:
    data = g.nodes[node]
    return data.get("quote") or data.get("label") or node


def to_json(g: nx.MultiDiGraph) -> dict:
    inodes, relations = argument_structure(g)
    ids: dict[str, str] = {}
    nodes, edges = [], []
    for iri in inodes:
        ids[iri] = str(len(ids) + 1)
        nodes.append({"nodeID": ids[iri], "text": _text(g, iri), "type": "I", "timestamp": ""})
    for rel in relations:
        ids[rel["iri"]] = str(len(ids) + 1)
        nodes.append({"nodeID": ids[rel["iri"]], "text": SCHEME_TEXT[rel["kind"]], "type": rel["kind"],
                      "timestamp": ""})
        for p in rel["premises"]:
            edges.append({"edgeID": str(len(edges) + 1), "fromID": ids[p], "toID": ids[rel["iri"]]})
        edges.append({"edgeID": str(len(edges) + 1), "fromID": ids[rel["iri"]], "toID": ids[rel["conclusion"]]})
    # Outside the AIF keys: which sckg resource each node is, so the map can be joined back to the graph.
    return {"nodes": nodes, "edges": edges, "locutions": [],
            "sckg": {"view": "arguments", "iris": {ident: iri for iri, ident in ids.items()}}}


def to_rdf(g: nx.MultiDiGraph) -> bytes:
    import rdflib
    from rdflib.namespace import RDF, RDFS

    from .. import namespaces as ns

    inodes, relations = argument_structure(g)
    aif = rdflib.Namespace(AIF)
    out = rdflib.Graph()
    out.bind("aif", aif)
    for prefix in ("sckg", "kg", "rdfs"):
        out.bind(prefix, ns.PREFIXES[prefix])
    for iri in inodes:
        node = rdflib.URIRef(iri)
        out.add((node, RDF.type, aif["I-node"]))
        out.add((node, aif.claimText, rdflib.Literal(_text(g, iri))))
        out.add((node, RDFS.label, rdflib.Literal(g.nodes[iri].get("label", ""), lang="en")))
    for rel in relations:
        node = rdflib.URIRef(rel["iri"])
        out.add((node, RDF.type, aif[f"{rel['kind']}-node"]))
        out.add((node, RDFS.label, rdflib.Literal(rel["label"], lang="en")))
        conclusion = rdflib.URIRef(rel["conclusion"])
        out.add((node, aif.Conclusion, conclusion))
        for p in rel["premises"]:
            out.add((node, aif.Premise, rdflib.URIRef(p)))
            if rel["kind"] == "CA":
                out.add((node, aif.Conflicting, rdflib.URIRef(p)))
        if rel["kind"] == "CA":
            out.add((node, aif.Conflicted, conclusion))
    return out.serialize(format="turtle").encode("utf-8")


def write(g: nx.MultiDiGraph, form: str) -> bytes:
    if form == "json":
        return (json.dumps(to_json(g), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if form == "rdf":
        return to_rdf(g)
    raise UsageError(f"unknown AIF form {form!r}; choose one of: {', '.join(AIF_FORMS)}")

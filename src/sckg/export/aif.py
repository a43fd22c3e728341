"""The argument view in the Argument Interchange Format (AIF), for the OVA / AIFdb family of tools.

What becomes which node (Inference Anchoring Theory's layout):
- I-nodes: the propositions, i.e. every claim of the arguments view, any other item an argument
  relation or a restatement joins (a stance can be the conclusion of a support), and any item given an
  explicit sckg:speechAct (a conceded stance). Units typed
  sckg:DocumentMetadata (headings, the title, the genre and contact lines) are never I-nodes. The text of
  an I-node is the item's quote, verbatim; for an item the annotator reconstructed
  (sckg:annotationStatus sckg:annotationReconstructed) it is the reconstructed proposition, its rdfs:label,
  since its quote is only the span it is reconstructed from.
- L-nodes: one locution per grounded I-node, its quote, spoken by the speaker of the sckg:Locution whose
  anchor contains the item's anchor (else the actor the item is attributed to, or a stance's holder).
  A reconstructed item has no locution: nobody uttered it.
- YA-nodes (illocutions) L -> YA -> I, named from the item's sckg:speechAct (its skos:prefLabel:
  Asserting, Restating, Conceding, Directing, Hoping); without one, Directing for a recommendation,
  Hoping for a hope, Asserting otherwise.
- RA-nodes: every sckg:Support (sckg:Inference included), premise -> RA -> conclusion; CA-nodes: every
  sckg:Attack, premise -> CA -> conclusion. Named from the relation's sckg:argumentScheme (e.g.
  "Argument From Sign"), else "Default Inference" / "Default Conflict".
- MA-nodes: every sckg:restates, the earlier item -> MA -> the restating one, "Default Rephrase".

Three forms:
- "json": the JSON that AIFdb serves and OVA loads ({"nodes", "edges", "locutions", "participants"};
  nodes have nodeID, text, type; edges edgeID, fromID, toID; locutions nodeID, personID).
- "xaif": the same AIF inside the xAIF envelope ({"AIF": {...}, "text": ..., "dialog": ...}) that the
  arg-tech argument-mining pipeline and its reader, the PyPI package xaif, load.
- "rdf": Turtle under http://www.arg.dundee.ac.uk/aif#, where the sckg resources themselves are typed:
  a claim is an aif:I-node with aif:claimText, a support an aif:RA-node with aif:Premise / aif:Conclusion.
  For a CA-node the conflict links aif:Conflicting / aif:Conflicted are written too; for YA- and MA-nodes
  (minted as <item>/aif/illocution and <item>/aif/rephrase/<n>) the generic aif:Premise / aif:Conclusion.

Nodes and edges come from the arguments view's networkx graph (the same as every other export); the
argument layer (speech acts, schemes, locutions, restatements, reconstruction) is read from the loaded
graph with one query each, so that a statement encoded without that layer still exports with the defaults.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field

import networkx as nx

from .. import namespaces as ns
from ..errors import UsageError
from .style import CLAIM_GROUPS

AIF = "http://www.arg.dundee.ac.uk/aif#"
AIF_FORMS = ("json", "rdf", "xaif")
AIF_EXTENSIONS = {"json": "aif.json", "rdf": "aif.ttl", "xaif": "xaif.json"}
RELATION_PREDICATES = {"sckg:Support": "RA", "sckg:Inference": "RA", "sckg:Attack": "CA"}
SCHEME_TEXT = {"RA": "Default Inference", "CA": "Default Conflict", "MA": "Default Rephrase"}
S = ns.SCKG
# The illocution an item gets when it names no sckg:speechAct, by its class (most specific first).
DEFAULT_ACTS = ((S + "Recommendation", "Directing"), (S + "Hope", "Hoping"))
DEFAULT_ACT = "Asserting"


@dataclass
class ArgumentLayer:
    """What the AIF needs beyond the view: read from the graph, empty when the data has none of it."""

    speech_acts: dict[str, str] = field(default_factory=dict)  # item -> illocution name
    schemes: dict[str, str] = field(default_factory=dict)  # relation -> scheme name
    reconstructed: set[str] = field(default_factory=set)
    metadata: set[str] = field(default_factory=set)
    restates: list[tuple[str, str]] = field(default_factory=list)  # (restating item, restated item)
    classes: dict[str, set[str]] = field(default_factory=dict)  # item -> its classes with superclasses
    anchors: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # item -> (document, start, end)
    locutions: list[tuple[str, int, int, str]] = field(default_factory=list)  # (document, start, end, speaker)
    attributed: dict[str, str] = field(default_factory=dict)  # item -> actor it is attributed to / held by
    names: dict[str, str] = field(default_factory=dict)  # actor -> rdfs:label
    # Quote and label of every anchored item, for one that the view holds only as an edge (a stance).
    quotes: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def speech_act(self, item: str) -> str:
        if item in self.speech_acts:
            return self.speech_acts[item]
        classes = self.classes.get(item, set())
        return next((act for cls, act in DEFAULT_ACTS if cls in classes), DEFAULT_ACT)

    def speaker(self, item: str) -> str | None:
        """The utterer of the locution that contains the item's anchor (the narrowest), else its attribution."""
        anchor = self.anchors.get(item)
        if anchor is not None:
            doc, start, end = anchor
            around = [(e - s, who) for d, s, e, who in self.locutions if d == doc and s <= start and end <= e]
            if around:
                return min(around)[1]
        return self.attributed.get(item)


def read_layer(kg) -> ArgumentLayer:
    layer = ArgumentLayer()
    for r in kg.sparql("SELECT ?i ?l WHERE { ?i sckg:speechAct ?a . ?a skos:prefLabel ?l }"):
        layer.speech_acts[r["i"].value] = r["l"].value
    for r in kg.sparql("SELECT ?r ?l WHERE { ?r sckg:argumentScheme ?s . ?s skos:prefLabel ?l }"):
        layer.schemes[r["r"].value] = r["l"].value
    layer.reconstructed = {r["i"].value for r in kg.sparql(
        "SELECT ?i WHERE { ?i sckg:annotationStatus sckg:annotationReconstructed }")}
    layer.metadata = {r["i"].value for r in kg.sparql(
        "SELECT ?i WHERE { ?i rdf:type/rdfs:subClassOf* sckg:DocumentMetadata }")}
    layer.restates = sorted((r["a"].value, r["b"].value) for r in kg.sparql(
        "SELECT ?a ?b WHERE { ?a sckg:restates ?b }"))
    for r in kg.sparql("SELECT DISTINCT ?i ?c WHERE { ?i a/rdfs:subClassOf* ?c ; sckg:hasAnchor ?x }"):
        layer.classes.setdefault(r["i"].value, set()).add(r["c"].value)
    spans = kg.sparql("""SELECT ?i ?doc ?start ?end WHERE {
        ?i sckg:hasAnchor ?a . ?a oa:hasSource ?doc ; oa:hasSelector ?p .
        ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }""")
    for r in spans:
        layer.anchors[r["i"].value] = (r["doc"].value, int(r["start"].value), int(r["end"].value))
    for r in kg.sparql("SELECT ?l ?who WHERE { ?l a sckg:Locution ; sckg:utteredBy ?who }"):
        if r["l"].value in layer.anchors:
            doc, start, end = layer.anchors[r["l"].value]
            layer.locutions.append((doc, start, end, r["who"].value))
    layer.locutions.sort()
    for r in kg.sparql("""SELECT ?i ?who WHERE { { ?i prov:wasAttributedTo ?who } UNION { ?i sckg:holder ?who }
                          ?i sckg:hasAnchor ?x }"""):
        layer.attributed.setdefault(r["i"].value, r["who"].value)
    for r in kg.sparql("SELECT ?i ?q ?l WHERE { ?i sckg:quote ?q ; sckg:hasAnchor ?x OPTIONAL { ?i rdfs:label ?l } }"):
        layer.quotes[r["i"].value] = r["q"].value
        if r["l"] is not None:
            layer.labels[r["i"].value] = r["l"].value
    for r in kg.sparql("SELECT ?a ?n WHERE { ?a rdf:type/rdfs:subClassOf* sckg:Actor ; rdfs:label ?n }"):
        layer.names.setdefault(r["a"].value, r["n"].value)
    return layer


def _require_arguments(g: nx.MultiDiGraph) -> None:
    if g.graph.get("name") != "arguments":
        raise UsageError(f"AIF is made from the arguments view only (got the {g.graph.get('name')!r} view); "
                         "run: sckg export arguments --format aif")


def argument_structure(g: nx.MultiDiGraph, layer: ArgumentLayer | None = None) -> tuple[list[str], list[dict]]:
    """The I-node IRIs (sorted) and the relations: {iri, kind RA|CA|MA, premises, conclusion, label, text}."""
    _require_arguments(g)
    layer = layer or ArgumentLayer()
    relations: dict[str, dict] = {}
    for u, v, data in g.edges(data=True):
        kind = RELATION_PREDICATES.get(data.get("predicate", ""))
        if kind is None:
            continue
        via = data["via"]
        rel = relations.setdefault(via, {"iri": via, "kind": kind, "premises": [], "conclusion": v,
                                         "label": data.get("label", ""),
                                         "text": layer.schemes.get(via, SCHEME_TEXT[kind])})
        rel["premises"].append(u)
    for n, (restating, restated) in enumerate(layer.restates, start=1):
        iri = f"{restating}/aif/rephrase/{n}"
        relations[iri] = {"iri": iri, "kind": "MA", "premises": [restated], "conclusion": restating,
                          "label": "restates", "text": SCHEME_TEXT["MA"]}
    inodes = {n for n, d in g.nodes(data=True) if d.get("group") in CLAIM_GROUPS and n not in layer.metadata}
    # An item the annotator gave a speech act (a conceded stance, say) is an uttered proposition too.
    inodes.update(i for i in layer.speech_acts if i not in layer.metadata)
    for rel in relations.values():
        inodes.update(rel["premises"])
        inodes.add(rel["conclusion"])
        rel["premises"].sort()
    return sorted(inodes), [relations[k] for k in sorted(relations)]


def _label(g: nx.MultiDiGraph, layer: ArgumentLayer, node: str) -> str:
    data = g.nodes[node] if node in g else {}
    return data.get("label") or layer.labels.get(node, "")


def _quote(g: nx.MultiDiGraph, layer: ArgumentLayer, node: str) -> str:
    data = g.nodes[node] if node in g else {}
    return data.get("quote") or layer.quotes.get(node) or _label(g, layer, node) or node


def _proposition(g: nx.MultiDiGraph, layer: ArgumentLayer, node: str) -> str:
    if node in layer.reconstructed:
        return _label(g, layer, node) or _quote(g, layer, node)
    return _quote(g, layer, node)


def _locuted(g: nx.MultiDiGraph, layer: ArgumentLayer, node: str) -> bool:
    """An I-node gets a locution when it was uttered: it has a quote and is not the annotator's reconstruction."""
    if node in layer.reconstructed:
        return False
    return bool((g.nodes[node].get("quote") if node in g else None) or layer.quotes.get(node))


def _split_name(name: str) -> tuple[str, str]:
    first, _, rest = name.partition(" ")
    return first, rest


def _aif(g: nx.MultiDiGraph, layer: ArgumentLayer) -> tuple[dict, dict[str, str], list[tuple[str, str]]]:
    """The AIF core ({nodes, edges, locutions, participants}), the id -> IRI map, and (L-node id, quote)."""
    inodes, relations = argument_structure(g, layer)
    ids: dict[str, str] = {}
    nodes, locutions, spans = [], [], []
    edges: list[dict[str, str]] = []
    people: dict[str, int] = {}

    def node(iri: str, text: str, kind: str) -> str:
        ids[iri] = str(len(ids) + 1)
        nodes.append({"nodeID": ids[iri], "text": text, "type": kind, "timestamp": ""})
        return ids[iri]

    def edge(a: str, b: str) -> None:
        edges.append({"edgeID": str(len(edges) + 1), "fromID": a, "toID": b})

    for iri in inodes:
        node(iri, _proposition(g, layer, iri), "I")
    for iri in inodes:
        if not _locuted(g, layer, iri):
            continue
        loc = node(iri + "/aif/locution", _quote(g, layer, iri), "L")
        speaker = layer.speaker(iri) or "unknown"
        person = people.setdefault(speaker, len(people) + 1)
        locutions.append({"nodeID": loc, "personID": str(person), "timestamp": ""})
        spans.append((loc, _quote(g, layer, iri)))
        ya = node(iri + "/aif/illocution", layer.speech_act(iri), "YA")
        edge(loc, ya)
        edge(ya, ids[iri])
    for rel in relations:
        s = node(rel["iri"], rel["text"], rel["kind"])
        for p in rel["premises"]:
            edge(ids[p], s)
        edge(s, ids[rel["conclusion"]])
    participants = []
    for speaker, person in people.items():
        first, last = _split_name(layer.names.get(speaker, speaker))
        participants.append({"participantID": str(person), "firstname": first, "surname": last})
    core = {"nodes": nodes, "edges": edges, "locutions": locutions, "participants": participants}
    return core, {ident: iri for iri, ident in ids.items()}, spans


def _extra(iris: dict[str, str]) -> dict:
    # Outside the AIF keys: which sckg resource each node is, so the map can be joined back to the graph.
    return {"view": "arguments", "iris": iris}


def to_json(g: nx.MultiDiGraph, layer: ArgumentLayer | None = None) -> dict:
    core, iris, _ = _aif(g, layer or ArgumentLayer())
    return {**core, "sckg": _extra(iris)}


def to_xaif(g: nx.MultiDiGraph, layer: ArgumentLayer | None = None) -> dict:
    """The xAIF envelope: the AIF core under "AIF", the locutions' text with their node ids under "text"."""
    core, iris, spans = _aif(g, layer or ArgumentLayer())
    text = "".join(f'<span class="highlighted" id="{ident}">{html.escape(quote)}</span>.<br><br>'
                   for ident, quote in spans)
    aif = {**core, "schemefulfillments": [], "descriptorfulfillments": []}
    return {"AIF": aif, "text": {"txt": text}, "dialog": False, "OVA": {}, "sckg": _extra(iris)}


def to_rdf(g: nx.MultiDiGraph, layer: ArgumentLayer | None = None) -> bytes:
    import rdflib
    from rdflib.namespace import PROV, RDF, RDFS

    layer = layer or ArgumentLayer()
    inodes, relations = argument_structure(g, layer)
    aif = rdflib.Namespace(AIF)
    out = rdflib.Graph()
    out.bind("aif", aif)
    for prefix in ("sckg", "kg", "rdfs"):
        out.bind(prefix, ns.PREFIXES[prefix])

    def link(s_node, premise, conclusion) -> None:
        out.add((s_node, aif.Premise, premise))
        out.add((s_node, aif.Conclusion, conclusion))

    for iri in inodes:
        node = rdflib.URIRef(iri)
        out.add((node, RDF.type, aif["I-node"]))
        out.add((node, aif.claimText, rdflib.Literal(_proposition(g, layer, iri))))
        out.add((node, RDFS.label, rdflib.Literal(_label(g, layer, iri), lang="en")))
        if not _locuted(g, layer, iri):
            continue
        loc, ya = rdflib.URIRef(iri + "/aif/locution"), rdflib.URIRef(iri + "/aif/illocution")
        out.add((loc, RDF.type, aif["L-node"]))
        out.add((loc, aif.claimText, rdflib.Literal(_quote(g, layer, iri))))
        speaker = layer.speaker(iri)
        if speaker:
            out.add((loc, PROV.wasAttributedTo, rdflib.URIRef(speaker)))
        out.add((ya, RDF.type, aif["YA-node"]))
        out.add((ya, RDFS.label, rdflib.Literal(layer.speech_act(iri), lang="en")))
        link(ya, loc, node)
    for rel in relations:
        node = rdflib.URIRef(rel["iri"])
        out.add((node, RDF.type, aif[f"{rel['kind']}-node"]))
        out.add((node, RDFS.label, rdflib.Literal(rel["label"], lang="en")))
        out.add((node, aif.claimText, rdflib.Literal(rel["text"])))
        conclusion = rdflib.URIRef(rel["conclusion"])
        for p in rel["premises"]:
            link(node, rdflib.URIRef(p), conclusion)
            if rel["kind"] == "CA":
                out.add((node, aif.Conflicting, rdflib.URIRef(p)))
        if rel["kind"] == "CA":
            out.add((node, aif.Conflicted, conclusion))
    return out.serialize(format="turtle").encode("utf-8")


def write(g: nx.MultiDiGraph, form: str, kg=None) -> bytes:
    """The bytes of one AIF form; ``kg`` (the loaded graph) supplies the argument layer."""
    layer = read_layer(kg) if kg is not None else None
    if form == "json":
        return (json.dumps(to_json(g, layer), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if form == "xaif":
        return (json.dumps(to_xaif(g, layer), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if form == "rdf":
        return to_rdf(g, layer)
    raise UsageError(f"unknown AIF form {form!r}; choose one of: {', '.join(AIF_FORMS)}")

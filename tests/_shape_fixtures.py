"""Reading the SHACL micro-fixtures of tests/shapes/ and the constraints of ontology/shapes.ttl.

An invalid fixture declares, in `# expect:` header lines, every result pySHACL must report for it:

    # expect: <focus> <node shape> <path> <constraint component>
    # expect: ex:focus shape:ClaimShape rdfs:label sh:MinCountConstraintComponent

The path is written as a SPARQL property path (`^sckg:announces`, `(^sckg:premise|^sckg:conclusion)`), or `-`
for a node-level constraint; the focus `_:` stands for any blank node. The node shape is the one that owns
the constraint (for a property shape, the node shape whose sh:property it is).
"""

from __future__ import annotations

from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from sckg import namespaces as ns

FIXTURES = Path(__file__).resolve().parent / "shapes"
BASE = FIXTURES / "_base.ttl"
SHAPE = rdflib.Namespace("https://w3id.org/sckg/shapes#")
FOCUS = rdflib.URIRef(ns.DATA + "test/focus")

PREFIXES = {
    "sh": str(SH), "shape": str(SHAPE), "sckg": ns.SCKG, "ex": ns.DATA + "test/",
    "rdf": str(RDF), "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/", "prov": "http://www.w3.org/ns/prov#", "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/", "oa": "http://www.w3.org/ns/oa#", "skos": "http://www.w3.org/2004/02/skos/core#",
}

# Parameters of a shape that are not constraints of their own: targets, wording, and the parameters that
# only qualify another one (sh:qualifiedValueShape belongs to sh:qualifiedMin/MaxCount, sh:flags to sh:pattern).
NOT_CONSTRAINTS = {SH[n] for n in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "path", "message", "severity",
    "name", "description", "order", "group", "deactivated", "defaultValue", "flags", "qualifiedValueShape",
    "qualifiedValueShapesDisjoint", "ignoredProperties", "property")}
# Components whose name is not the parameter's name with a capital letter.
COMPONENT_OF = {SH.sparql: SH.SPARQLConstraintComponent}


def qname(term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.BNode):
        return "_:"
    for prefix, base in PREFIXES.items():
        if str(term).startswith(base) and str(term) != base:
            return f"{prefix}:{str(term)[len(base):]}"
    return f"<{term}>"


def expand(text: str) -> rdflib.URIRef:
    prefix, _, local = text.partition(":")
    return rdflib.URIRef(PREFIXES[prefix] + local)


def path_text(graph: rdflib.Graph, path: rdflib.term.Node | None) -> str:
    """A SHACL path (from the shapes graph or the report) as a SPARQL property path."""
    if path is None:
        return "-"
    if isinstance(path, rdflib.URIRef):
        return qname(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + path_text(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, p) for p in Collection(graph, alternatives)) + ")"
    for modifier, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, modifier)
        if inner is not None:
            return path_text(graph, inner) + mark
    if graph.value(path, RDF.first) is not None:
        return "/".join(path_text(graph, p) for p in Collection(graph, path))
    raise ValueError(f"path form not handled: {list(graph.predicate_objects(path))}")


def component_of(parameter: rdflib.URIRef) -> rdflib.URIRef:
    if parameter in COMPONENT_OF:
        return COMPONENT_OF[parameter]
    local = str(parameter).removeprefix(str(SH))
    return SH[local[0].upper() + local[1:] + "ConstraintComponent"]


TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def node_shapes(shapes: rdflib.Graph) -> list[rdflib.URIRef]:
    """The named top-level shapes: node shapes, and property shapes with a target of their own. A named shape
    that another shape refers to (under sh:property, sh:node, in an sh:or list...) is part of that shape."""
    named = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind)}
    named |= {s for t in TARGETS for s in shapes.subjects(t, None)}
    return sorted(s for s in named if isinstance(s, rdflib.URIRef) and (None, None, s) not in shapes)


def owner(shapes: rdflib.Graph, source_shape: rdflib.term.Node) -> rdflib.term.Node:
    """The named top-level shape a result's sh:sourceShape belongs to."""
    return shapes.value(None, SH.property, source_shape) or source_shape


def constraints(shapes: rdflib.Graph) -> list[tuple[rdflib.URIRef, rdflib.term.Node, str, rdflib.URIRef]]:
    """Every constraint of every named top-level shape: (node shape, the shape holding the parameter, path text,
    constraint component). A property shape with sh:minCount and sh:class gives two constraints."""
    out = []
    for shape in node_shapes(shapes):
        for holder in (shape, *shapes.objects(shape, SH.property)):
            path = path_text(shapes, shapes.value(holder, SH.path))
            for parameter in sorted(set(shapes.predicates(holder, None))):
                if str(parameter).startswith(str(SH)) and parameter not in NOT_CONSTRAINTS:
                    out.append((shape, holder, path, component_of(parameter)))
    return out


def invalid_fixtures() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/invalid*.ttl"))


def expectations(fixture: Path) -> set[tuple[str, str, str, str]]:
    """The `# expect:` lines of a fixture's header, as (focus, shape, path, component) in prefixed form."""
    out = set()
    for line in fixture.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            fields = line.removeprefix("# expect:").split()
            assert len(fields) == 4, f"{fixture.name}: an expect line has focus, shape, path, component: {line}"
            out.add(tuple(fields))
    return out


def reported(shapes: rdflib.Graph, report: rdflib.Graph) -> list[dict]:
    """The results of a pySHACL report, each with its owning node shape and its path in prefixed form."""
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        source = report.value(r, SH.sourceShape)
        path = report.value(r, SH.resultPath)
        # pySHACL copies a complex path into the report; fall back on the shapes graph if it did not.
        paths = report if path is None or isinstance(path, rdflib.URIRef) or (path, None, None) in report else shapes
        out.append({
            "focus": qname(report.value(r, SH.focusNode)),
            "shape": qname(owner(shapes, source)),
            "path": path_text(paths, path),
            "component": qname(report.value(r, SH.sourceConstraintComponent)),
            "source": source,
            "component_iri": report.value(r, SH.sourceConstraintComponent),
            "message": str(report.value(r, SH.resultMessage)),
        })
    return out

"""A Markdown reference of the ontology, generated from the loaded graph so it can never drift:
every class, property and SKOS concept of the sckg namespace with its label, definition and alignments."""

from __future__ import annotations

from . import namespaces as ns
from .errors import DataError
from .graph import KnowledgeGraph
from .library import markdown_cell as _cell

_CLASSES = f"""
SELECT ?term ?label ?definition (GROUP_CONCAT(DISTINCT STR(?super); separator=" ") AS ?supers) WHERE {{
  GRAPH <{ns.GRAPH_ONTOLOGY}> {{
    ?term a owl:Class ; rdfs:label ?label ; skos:definition ?definition .
    OPTIONAL {{ ?term rdfs:subClassOf ?super }}
    FILTER(STRSTARTS(STR(?term), STR(sckg:)))
  }}
}} GROUP BY ?term ?label ?definition ORDER BY ?term
"""

_PROPERTIES = f"""
SELECT ?term ?kind ?label ?definition ?domain ?range (GROUP_CONCAT(DISTINCT STR(?super); separator=" ") AS ?supers) WHERE {{
  GRAPH <{ns.GRAPH_ONTOLOGY}> {{
    VALUES ?kind {{ owl:ObjectProperty owl:DatatypeProperty }}
    ?term a ?kind ; rdfs:label ?label ; skos:definition ?definition .
    OPTIONAL {{ ?term rdfs:domain ?domain }}
    OPTIONAL {{ ?term rdfs:range ?range }}
    OPTIONAL {{ ?term rdfs:subPropertyOf ?super }}
    FILTER(STRSTARTS(STR(?term), STR(sckg:)))
  }}
}} GROUP BY ?term ?kind ?label ?definition ?domain ?range ORDER BY ?term
"""

_CONCEPTS = f"""
SELECT ?scheme ?schemeLabel ?term ?notation ?definition ?broader WHERE {{
  GRAPH <{ns.GRAPH_ONTOLOGY}> {{
    ?term a skos:Concept ; skos:inScheme ?scheme ; skos:definition ?definition .
    ?scheme rdfs:label ?schemeLabel .
    OPTIONAL {{ ?term skos:notation ?notation }}
    OPTIONAL {{ ?term skos:broader ?broader }}
  }}
}} ORDER BY ?scheme ?broader ?term
"""


def _curies(value) -> str:
    if value is None or not value.value:
        return ""
    return ", ".join(f"`{ns.curie(v)}`" for v in sorted(value.value.split()))


def render(kg: KnowledgeGraph) -> str:
    header = next(iter(kg.sparql(f"""SELECT ?title ?version WHERE {{ GRAPH <{ns.GRAPH_ONTOLOGY}> {{
        <{ns.ONTOLOGY_IRI}> dcterms:title ?title ; owl:versionInfo ?version }} }}""")), None)
    if header is None:
        raise DataError(f"ontology/sckg.ttl: <{ns.ONTOLOGY_IRI}> needs a dcterms:title and an owl:versionInfo "
                        "for the reference to name it")
    out = [
        f"# {header['title'].value}",
        "",
        f"Version {header['version'].value}. Namespace `{ns.SCKG}` (prefix `sckg:`). "
        "Generated from `ontology/` by `sckg docs`; a test keeps this file current.",
        "",
        "## Classes",
        "",
        "| class | label | definition | subclass of |",
        "|---|---|---|---|",
    ]
    for r in kg.sparql(_CLASSES):
        out.append(f"| `{ns.curie(r['term'].value)}` | {_cell(r['label'].value)} | {_cell(r['definition'].value)} "
                   f"| {_curies(r['supers'])} |")
    out += ["", "## Properties", "", "| property | kind | label | definition | domain | range | subproperty of |",
            "|---|---|---|---|---|---|---|"]
    for r in kg.sparql(_PROPERTIES):
        kind = "object" if r["kind"].value.endswith("ObjectProperty") else "datatype"
        domain = f"`{ns.curie(r['domain'].value)}`" if r["domain"] is not None else ""
        range_ = f"`{ns.curie(r['range'].value)}`" if r["range"] is not None else ""
        out.append(f"| `{ns.curie(r['term'].value)}` | {kind} | {_cell(r['label'].value)} | "
                   f"{_cell(r['definition'].value)} | {domain} | {range_} | {_curies(r['supers'])} |")
    out += ["", "## Controlled vocabularies (SKOS)"]
    scheme = None
    for r in kg.sparql(_CONCEPTS):
        if r["scheme"].value != scheme:
            scheme = r["scheme"].value
            out += ["", f"### {r['schemeLabel'].value} (`{ns.curie(scheme)}`)", "",
                    "| concept | notation | broader | definition |", "|---|---|---|---|"]
        notation = r["notation"].value if r["notation"] is not None else ""
        broader = f"`{ns.curie(r['broader'].value)}`" if r["broader"] is not None else ""
        out.append(f"| `{ns.curie(r['term'].value)}` | {notation} | {broader} | {_cell(r['definition'].value)} |")
    return "\n".join(out) + "\n"

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
SELECT ?term ?kind ?label ?definition ?domain ?range
       (GROUP_CONCAT(DISTINCT STR(?super); separator=" ") AS ?supers) WHERE {{
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


_NOTES = f"""
SELECT ?term ?note WHERE {{
  GRAPH <{ns.GRAPH_ONTOLOGY}> {{ ?term skos:scopeNote ?note FILTER(STRSTARTS(STR(?term), STR(sckg:))) }}
}} ORDER BY ?term ?note
"""

_REUSED = f"""
SELECT ?term ?kind ?label ?note WHERE {{
  GRAPH <{ns.GRAPH_ONTOLOGY}> {{
    VALUES ?kind {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }}
    ?term a ?kind ; rdfs:label ?label ; skos:scopeNote ?note .
    FILTER(!STRSTARTS(STR(?term), STR(sckg:)))
  }}
}} ORDER BY ?kind ?term
"""

_KINDS = {"Class": "class", "ObjectProperty": "object", "DatatypeProperty": "datatype",
          "AnnotationProperty": "annotation"}

# How the ontology is checked, and the modelling rules the OOPS!-style pitfall scan would ask about.
_CHECKS = """## How OWL tools see it

- **OWL 2 DL.** The OWL API's OWL2DLProfile (the checker ROBOT uses) reports no violation for the
  ontology graph (every file under `ontology/` but the shapes, as `dist/ontology.ttl` ships it);
  `tests/test_ontology_owl.py` runs it. Every reused class and property is declared, with its own
  vocabulary's label and a note on how sckg uses it (see *Reused terms*). `skos:notation` is a datatype
  property, as SKOS declares it, so `sckg:fipsCode` and `sckg:iso3166Code` stay its sub-properties
  without punning. `sckg:ContextFact` is not a subclass of `rdf:Statement` (OWL 2 DL reserves `rdf:`),
  though each one is an RDF reification. `sckg:targetLabel` ranges over `rdf:PlainLiteral`, the
  OWL 2 datatype of language-tagged strings (`rdf:langString` is not in OWL 2's datatype map).
- **Reasoners.** Pellet finds the ontology and all the data consistent, with no unsatisfiable class
  (the same test). `sckg build` runs the OWL 2 RL closure of ontology and data (reasonable, held to the
  owlrl reference rule by rule) as part of its gate: an individual in two disjoint classes, or a
  functional property forced to join two values declared different, fails the build with the rule
  that fired and writes nothing.
- **Disjointness.** Siblings that cannot overlap are disjoint: the kinds of claim (a claim is of one
  kind), of organisation, of activity, and persons, organisations, sets and groups of actors. They are
  stated as pairwise `owl:disjointWith`, the equivalent of `owl:AllDisjointClasses` that needs no
  blank nodes (the ontology has none, so every dump of the build is byte-stable). Siblings left open
  say why in their notes below.
- **Domains and ranges.** Every property has both, except where a note below says why not: a domain or
  range that would have to be `owl:Thing`, or would type a value wrongly, is left out, and the
  SHACL shapes check the values instead.
- **Labels.** No class or concept scheme shares its label with a property, and no label joins two
  concepts with "or" (the second word is a `skos:altLabel`).
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
        "Generated from `ontology/` by `sckg docs`; a test keeps this file current. The same command writes "
        "pyLODE's HTML page of the classes and properties, `docs/ontology.html`, which `sckg serve` gives a browser "
        "at `/ontology` (RDF clients get Turtle there, and `Accept: text/markdown` gets this file).",
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
    out += ["", "## Notes", "",
            "Why a term has no domain or range, or is not disjoint with a sibling; how it is used.", "",
            "| term | note |", "|---|---|"]
    for r in kg.sparql(_NOTES):
        out.append(f"| `{ns.curie(r['term'].value)}` | {_cell(r['note'].value)} |")
    out += ["", "## Reused terms", "",
            "Terms of other vocabularies that the ontology or the data use, declared in "
            "`ontology/reused-terms.ttl`.", "",
            "| term | kind | label | how sckg uses it |", "|---|---|---|---|"]
    for r in kg.sparql(_REUSED):
        kind = _KINDS[r["kind"].value.rsplit("#", 1)[1]]
        out.append(f"| `{ns.curie(r['term'].value)}` | {kind} | {_cell(r['label'].value)} | {_cell(r['note'].value)} |")
    out += ["", _CHECKS.rstrip()]
    return "\n".join(out) + "\n"


# ---- HTML, by pyLODE ------------------------------------------------------------------------------

HTML_FILE = "ontology.html"
CSS_FILE = "pylode.css"  # pyLODE links its stylesheet by this relative name


def pylode_graph(kg: KnowledgeGraph):
    """What pyLODE documents: the owl:Ontology and the terms of its namespace, without the SKOS schemes.

    pyLODE takes any skos:ConceptScheme in its input for the document's subject too, so with the schemes
    beside the ontology it runs their titles into the ontology's and shows a scheme's IRI as the
    ontology's. The schemes are listed in the Markdown reference instead. Reused terms keep only their
    labels, so that pyLODE names the super-classes it links to without listing them as our classes."""
    import rdflib
    from rdflib.namespace import RDF, RDFS, SKOS

    source = kg.named_graph(ns.GRAPH_ONTOLOGY)
    ontology = rdflib.URIRef(ns.ONTOLOGY_IRI)
    vocabulary = set(source.subjects(RDF.type, SKOS.ConceptScheme)) | set(source.subjects(RDF.type, SKOS.Concept))
    graph = rdflib.Graph()
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    for s, p, o in source:
        if s in vocabulary:
            continue
        if s == ontology or str(s).startswith(ns.SCKG) or p == RDFS.label:
            graph.add((s, p, o))
    return graph


def render_html(kg: KnowledgeGraph) -> dict[str, bytes]:
    """pyLODE's page of the ontology and its stylesheet, by file name (the page links the stylesheet
    rather than inlining it, so that a strict Content-Security-Policy can serve it)."""
    import logging
    import tempfile
    from pathlib import Path

    from pylode import OntPub

    graph = pylode_graph(kg)
    logging.disable(logging.INFO)  # pyLODE reports its progress on the root logger
    try:
        with tempfile.TemporaryDirectory() as tmp:
            # pyLODE writes the page and copies its stylesheet beside it; both are read back so that the
            # caller can write them atomically.
            OntPub(graph, sort_subjects=True).make_html(destination=Path(tmp) / HTML_FILE, include_css=False)
            return {name: (Path(tmp) / name).read_bytes() for name in (HTML_FILE, CSS_FILE)}
    finally:
        logging.disable(logging.NOTSET)

"""The SPARQL results and RDF formats sckg writes: short names, media types and file extensions.

pyoxigraph knows every format it reads and writes (``RdfFormat`` and ``QueryResultsFormat``: their
``media_type`` and ``file_extension``, and the reverse lookups ``from_media_type`` and
``from_extension``), so the media types and extensions come from there and are written down nowhere
else. What is kept here by hand is only what pyoxigraph cannot know: which formats sckg offers, the
short names the command line and the endpoint's ``format=`` take, and a few aliases real clients send
(each with the reason it exists). ``sckg query`` (the -o extension), ``sckg serve`` (content
negotiation, ``format=``, download file names) and the loader (RDF file types) all read this module.
"""

from __future__ import annotations

import pyoxigraph as ox

# The results formats, SELECT and ASK, by the short name `sckg query --format` and `format=` take,
# in the endpoint's order of preference.
RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
           "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
# The graph formats, CONSTRUCT and DESCRIBE, the same way. `sckg query` writes the first three; the
# endpoint also offers RDF/XML, which older SPARQL clients ask for.
GRAPHS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
          "rdfxml": ox.RdfFormat.RDF_XML}
CLI_GRAPHS = ("turtle", "nt", "jsonld")

# The RDF file types the loader reads, by extension. pyoxigraph has no extension for OWL files, which
# are RDF/XML by convention (ontologies published as .owl).
RDF_FILE_TYPES = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG,
                  ox.RdfFormat.RDF_XML)
RDF_FILE_EXTENSIONS = {**{"." + f.file_extension: f for f in RDF_FILE_TYPES}, ".owl": ox.RdfFormat.RDF_XML}


def media_type(fmt: ox.RdfFormat | ox.QueryResultsFormat) -> str:
    """The format's media type without parameters (pyoxigraph gives ``text/csv; charset=utf-8``; the
    charset is the HTTP layer's to add, and negotiation compares bare types)."""
    return fmt.media_type.split(";", 1)[0].strip()


_ALL: tuple[ox.RdfFormat | ox.QueryResultsFormat, ...] = (*RESULTS.values(), *GRAPHS.values())

# What the endpoint offers, by media type, its preference first.
RESULTS_BY_MEDIA_TYPE = {media_type(f): f for f in RESULTS.values()}
GRAPHS_BY_MEDIA_TYPE = {media_type(f): f for f in GRAPHS.values()}
FILE_EXTENSIONS = {media_type(f): f.file_extension for f in _ALL}  # for download file names

# Short names for the endpoint's ``format=`` parameter: the names above, each format's own file
# extension (ttl, nt, jsonld, rdf, srj, srx, csv, tsv), and these, which clients send:
_FORMAT_ALIASES = {
    "rdf+xml": "application/rdf+xml",  # SPARQLWrapper's name for RDF/XML
    "json-ld": "application/ld+json",  # SPARQLWrapper's name for JSON-LD
    "n3": "text/turtle",  # SPARQLWrapper asks for N3; Turtle is N3 without its extensions, which every N3 reader reads
}
FORMAT_NAMES = {
    **{name: media_type(f) for name, f in RESULTS.items()},
    **{name: media_type(f) for name, f in GRAPHS.items()},
    **{f.file_extension: media_type(f) for f in _ALL},
    **_FORMAT_ALIASES,
}

# Older or looser media types clients still send in Accept or format=, read as the offered type they
# mean. pyoxigraph's own lookups are ambiguous for exactly these (application/json is JSON-LD to
# RdfFormat and SPARQL JSON to QueryResultsFormat), so the endpoint's reading is written down: the
# results type first, since SELECT is what SPARQL clients send most; CROSS_FORM below moves it to the
# graph family for a CONSTRUCT.
SYNONYMS = {
    "application/json": "application/sparql-results+json",  # clients that do not know the SPARQL type
    "application/xml": "application/sparql-results+xml",    # the same for XML
    "text/xml": "application/sparql-results+xml",           # an older XML media type
    "application/x-turtle": "text/turtle",                  # Turtle's name before it was registered
    "text/plain": "application/n-triples",                  # N-Triples' media type before 2014
}
# A format that names the other family's type, as clients send one setting for every query form
# ("xml" for a CONSTRUCT means RDF/XML, "json-ld"... for a SELECT means JSON results).
CROSS_FORM = {"application/sparql-results+xml": "application/rdf+xml",
              "application/rdf+xml": "application/sparql-results+xml",
              "application/sparql-results+json": "application/ld+json",
              "application/ld+json": "application/sparql-results+json"}


def format_for_extension(suffix: str, graph: bool) -> str | None:
    """The `sckg query` format name an output file's extension means (``.csv`` -> csv), looked up in
    the query's own family first (``.json``: json for results, jsonld for a graph), else in the other
    one (so that ``x.ttl`` for a SELECT can be named as the mismatch it is); None when neither family
    has a format sckg writes for it."""
    ext = suffix.lower().lstrip(".")
    if not ext:
        return None
    results = _name(ox.QueryResultsFormat.from_extension(ext), RESULTS)
    graphs = _name(ox.RdfFormat.from_extension(ext), {n: GRAPHS[n] for n in CLI_GRAPHS})
    return (graphs or results) if graph else (results or graphs)


def _name(fmt, table: dict) -> str | None:
    return next((name for name, f in table.items() if f == fmt), None) if fmt is not None else None

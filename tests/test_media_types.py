"""sckg.media_types: the formats' media types and extensions are pyoxigraph's, and the aliases on top
of them say what clients send."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from sckg import media_types as mt
from sckg.server import negotiation


@pytest.mark.parametrize("media_type", negotiation.SOLUTIONS + negotiation.GRAPHS)
def test_every_offered_media_type_is_the_one_pyoxigraph_reads(media_type):
    fmt = mt.RESULTS_BY_MEDIA_TYPE.get(media_type) or mt.GRAPHS_BY_MEDIA_TYPE[media_type]
    lookup = ox.QueryResultsFormat if media_type in negotiation.SOLUTIONS else ox.RdfFormat
    assert lookup.from_media_type(media_type) == fmt
    assert lookup.from_extension(negotiation.FILE_EXTENSIONS[media_type]) == fmt


@pytest.mark.parametrize(("name", "media_type"), [
    ("json", "application/sparql-results+json"), ("srj", "application/sparql-results+json"),
    ("csv", "text/csv"), ("ttl", "text/turtle"), ("turtle", "text/turtle"), ("rdf", "application/rdf+xml"),
    ("json-ld", "application/ld+json"), ("rdf+xml", "application/rdf+xml"), ("n3", "text/turtle"),
    ("application/json", "application/sparql-results+json"), ("text/plain", "application/n-triples"),
    ("text/csv", "text/csv"), ("application/x-nonsense", None),
])
def test_format_parameter_names(name, media_type):
    assert negotiation.format_media_type(name) == media_type


@pytest.mark.parametrize(("suffix", "graph", "name"), [
    (".csv", False, "csv"), (".srj", False, "json"), (".json", False, "json"), (".json", True, "jsonld"),
    (".xml", False, "xml"), (".srx", False, "xml"), (".ttl", True, "turtle"), (".nt", True, "nt"),
    (".ttl", False, "turtle"),  # named, so that sckg query can refuse results written as Turtle
    (".xml", True, "xml"),      # RDF/XML is not a `sckg query` format: the results format is named
    (".rdf", True, None), (".nq", True, None), (".png", False, None), ("", False, None),
])
def test_the_format_an_output_extension_means(suffix, graph, name):
    assert mt.format_for_extension(suffix, graph) == name


def test_the_loader_reads_the_rdf_file_types_by_their_extensions():
    from sckg.parsing import FORMATS

    assert FORMATS == {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
                       ".trig": ox.RdfFormat.TRIG, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML}

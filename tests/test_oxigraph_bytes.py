"""as_bytes: the bytes of an in-memory pyoxigraph serialisation, and a clear error for a None."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from sckg.oxigraph_bytes import as_bytes


def test_an_in_memory_serialisation_passes_through_unchanged():
    triple = ox.Triple(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"))
    written = ox.serialize([triple], format=ox.RdfFormat.N_TRIPLES)
    assert as_bytes(written) == b'<urn:x:s> <urn:x:p> "o" .\n'


def test_a_serialisation_written_to_an_output_is_refused_by_name(tmp_path):
    triple = ox.Triple(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"))
    returned = ox.serialize([triple], tmp_path / "out.nt", format=ox.RdfFormat.N_TRIPLES)
    with pytest.raises(TypeError, match="written to an output"):
        as_bytes(returned)

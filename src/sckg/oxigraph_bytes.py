"""The bytes of a pyoxigraph serialisation made in memory.

pyoxigraph's ``serialize()`` and ``Store.dump()`` return the document when they are given no output
and None when they write to one; their type stubs can only say ``bytes | None``. Callers that serialise
in memory pass the result through ``as_bytes`` so the type checker knows it is bytes, and a call that
was given an output by mistake fails here, by name, instead of later on a None.
"""

from __future__ import annotations


def as_bytes(serialized: bytes | None) -> bytes:
    if serialized is None:
        raise TypeError("expected the serialised bytes; the serialisation was written to an output instead")
    return serialized

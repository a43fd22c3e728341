"""The bytes of a pyoxigraph serialisation made in memory, and its lines sorted.

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


def sorted_lines(data: bytes) -> bytes:
    """The distinct non-blank lines of an N-Triples or N-Quads dump, sorted, each ending in a newline:
    the same graph gives the same bytes whatever the store's order (dist/, push bodies, cache keys).
    Sorted as bytes, never decoded: UTF-8's byte order is the code points' order, so the lines come
    out as a sort of the text would give them, at half the cost on a large corpus. Split on line
    ends only: str.splitlines also splits at U+2028, U+0085 and form feeds, which N-Triples leaves
    unescaped inside a literal."""
    lines = sorted(set(data.splitlines()))
    if lines and not lines[0].strip():  # blank lines sort first, if there are any
        lines = [line for line in lines if line.strip()]
    return b"\n".join(lines) + b"\n" if lines else b""

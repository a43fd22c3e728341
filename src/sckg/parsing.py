"""Reading one RDF file, with errors that name the file, the line and the column.

pyoxigraph parses (it is much faster than rdflib, and its syntax errors carry line and column);
a file that is not UTF-8 is named with the line of the first bad byte.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .errors import DataError, UsageError
from .media_types import RDF_FILE_EXTENSIONS
from .project import display

# The RDF file types the loader reads, by extension (pyoxigraph names the extensions: sckg.media_types).
FORMATS = RDF_FILE_EXTENSIONS


BOM = "\ufeff"


def refuse_bom(path: Path, text: str) -> None:
    """A source text must not start with a byte order mark: offsets count code points of the text,
    and an invisible U+FEFF would shift them all. Named visibly, since it cannot be seen."""
    if text.startswith(BOM):
        raise DataError(f"{display(path)}: starts with a UTF-8 byte order mark (BOM, the bytes EF BB BF, "
                        "U+FEFF), which offsets would count; save the file as UTF-8 without BOM")


def read_bytes(path: Path, name: str | None = None, folder_hint: str = "not a file") -> bytes:
    """The file's bytes; a missing file, a folder or an unreadable file is a clear error naming the
    file as ``name`` (default: its path as the user reads it), with ``folder_hint`` for a folder."""
    label = name or display(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{label}: file not found") from None
    except IsADirectoryError:
        raise UsageError(f"{label}: is a folder, {folder_hint}") from None
    except OSError as exc:
        raise UsageError(f"{label}: cannot read: {exc.strerror}") from None


def read_text(path: Path) -> str:
    """The file as text; a missing file or one that is not UTF-8 is a clear error."""
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            f"{display(path)}:{line}:{column}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at byte offset "
            f"{exc.start}); save the file as UTF-8"
        ) from None


def parse_file(path: Path, graph: str, keep_graph_names: bool = False) -> list[ox.Quad]:
    """All triples of ``path`` as quads in the named graph ``graph``. With ``keep_graph_names``, the
    triples a TriG or N-Quads file puts in a named graph stay in that graph (only its default graph
    goes into ``graph``): a user's dataset keeps the graph names its queries rely on."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{display(path)}: unknown RDF file type {path.suffix!r}; use one of {', '.join(FORMATS)}")
    text = read_text(path)
    # A UTF-8 byte order mark (Windows editors add one) is not part of the RDF: accepted and dropped.
    text = text[1:] if text.startswith(BOM) else text
    target = ox.NamedNode(graph)
    try:
        triples = ox.parse(text.encode("utf-8"), format=fmt, base_iri=path.resolve().as_uri())
        return [ox.Quad(t.subject, t.predicate, t.object,
                        t.graph_name if keep_graph_names and not isinstance(t.graph_name, ox.DefaultGraph)
                        else target)
                for t in triples]
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        # pyoxigraph appends "(<file>, line N)"; we name the file ourselves.
        message = message.split(" (", 1)[0] if message.endswith(")") and "line" in message else message
        line = getattr(exc, "lineno", None) or 0
        column = getattr(exc, "offset", None) or 0
        raise DataError(f"{display(path)}:{line}:{column}: syntax error: {message}") from None

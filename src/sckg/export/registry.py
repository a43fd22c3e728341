"""The export formats, in one table: every other place reads it.

``sckg export``'s --format and --aif-form choices and help, the format taken from an -o file name,
the default file name, the server's /exports negotiation, the DCAT distributions of the exports in
the VoID description, and the Formats table of docs/exports.md (written by ``sckg docs``) all come
from ``FORMATS`` below. Adding a format is adding one row here and its writer.

One row is one (format, AIF form) pair: AIF is one --format with three forms, each its own file kind.
Where pyoxigraph knows the file kind (AIF RDF is Turtle), the media type and the extension come from
its ``RdfFormat`` lookup rather than being spelled again here; the graph formats are not RDF, so
their types are written out (IANA's where one is registered, the type the tool's own docs use
otherwise). Python's ``mimetypes`` is not used: it reads the machine's /etc/mime.types, which maps
.dot to a Word template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

Writer = Callable[[nx.MultiDiGraph, object], bytes]  # (the view's graph, the loaded KnowledgeGraph)


@dataclass(frozen=True)
class ExportFormat:
    name: str                       # the --format value
    extensions: tuple[str, ...]     # file name endings, the default file's first (".aif.json")
    media_type: str
    help: str                       # one line for --help and docs/exports.md
    made_by: str                    # what writes it, for docs/exports.md
    writer: Writer
    form: str | None = None         # the --aif-form value, for AIF's rows
    views: tuple[str, ...] | None = None  # the views it can be made from; None: every view

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.name, self.form)

    @property
    def extension(self) -> str:
        return self.extensions[0]

    def option(self) -> str:
        """How the command line asks for it."""
        return f"--format {self.name}" + (f" --aif-form {self.form}" if self.form else "")


def _rdf(fmt: ox.RdfFormat, prefix: str = "") -> tuple[tuple[str, ...], str]:
    """Extensions and media type of an RDF serialization, from pyoxigraph (``prefix`` names the kind of
    content, as in .aif.ttl: Turtle that holds AIF)."""
    return (f".{prefix}{fmt.file_extension}",), fmt.media_type


def _graph_writer(name: str) -> Writer:
    def write(g, kg):
        from . import formats

        return getattr(formats, name)(g)
    return write


def _aif_writer(form: str) -> Writer:
    def write(g, kg):
        from . import aif

        return aif.write(g, form, kg)
    return write


_AIF_RDF_EXTENSIONS, _AIF_RDF_TYPE = _rdf(ox.RdfFormat.TURTLE, "aif.")
_ARGUMENTS = ("arguments",)

FORMATS: list[ExportFormat] = [
    ExportFormat("graphml", (".graphml",), "application/graphml+xml", "GraphML (Gephi, yEd, networkx)",
                 "networkx `write_graphml` (typed keys; opens in Gephi, yEd, networkx)", _graph_writer("graphml")),
    ExportFormat("gexf", (".gexf",), "application/gexf+xml", "GEXF 1.2 (Gephi)",
                 "networkx `write_gexf` (Gephi), with each node's group colour as a GEXF `viz:color` so Gephi "
                 "opens it coloured", _graph_writer("gexf")),
    ExportFormat("cytoscape", (".cyjs", ".json"), "application/json",
                 "Cytoscape.js JSON (.cyjs, also imported by Cytoscape desktop)",
                 "networkx `cytoscape_data`, plus an id per edge (Cytoscape.js, Cytoscape desktop import)",
                 _graph_writer("cytoscape")),
    ExportFormat("dot", (".dot", ".gv"), "text/vnd.graphviz", "Graphviz DOT source",
                 "written by sckg (a few lines of quoting; networkx's pydot/pygraphviz bridges would add a "
                 "dependency)", _graph_writer("dot_source")),
    ExportFormat("svg", (".svg",), "image/svg+xml", "SVG drawn by Graphviz",
                 "Graphviz `dot` (the Debian package), run with a 120 s limit", _graph_writer("svg")),
    ExportFormat("png", (".png",), "image/png", "PNG drawn by Graphviz",
                 "Graphviz `dot` (the Debian package), run with a 120 s limit", _graph_writer("png")),
    ExportFormat("html", (".html", ".htm"), "text/html", "one self-contained interactive page (works offline)",
                 "one self-contained page with Cytoscape.js inlined", _graph_writer("html")),
    ExportFormat("aif", (".aif.json",), "application/json", "AIF JSON, as AIFdb serves it and OVA loads it",
                 "see AIF below; `arguments` view only", _aif_writer("json"), form="json", views=_ARGUMENTS),
    ExportFormat("aif", _AIF_RDF_EXTENSIONS, _AIF_RDF_TYPE, "AIF as RDF (Turtle) under the AIF ontology",
                 "see AIF below; `arguments` view only", _aif_writer("rdf"), form="rdf", views=_ARGUMENTS),
    ExportFormat("aif", (".xaif.json",), "application/json", "xAIF: the AIF JSON in the envelope the xaif reader loads",
                 "see AIF below; `arguments` view only", _aif_writer("xaif"), form="xaif", views=_ARGUMENTS),
]

DEFAULT_FORMAT = "html"
# The name of a format made of several forms (rows), for its one line of --help.
FAMILY_HELP = {"aif": "Argument Interchange Format"}


# ---- lookups (functions, not module constants, so that a row added to FORMATS shows up everywhere) ----

def names() -> list[str]:
    """The --format choices, in table order."""
    return list(dict.fromkeys(f.name for f in FORMATS))


def forms(name: str) -> list[str]:
    """The --aif-form choices of a format (empty for a format without forms)."""
    return [f.form for f in FORMATS if f.name == name and f.form is not None]


def get(name: str, form: str | None = None) -> ExportFormat:
    """The row of a format; for a format with forms, ``form`` None means its first (default) form."""
    rows = [f for f in FORMATS if f.name == name]
    if not rows:
        from ..errors import UsageError

        raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(names())}")
    if form is None:
        return rows[0]
    for row in rows:
        if row.form == form:
            return row
    from ..errors import UsageError

    raise UsageError(f"unknown {name} form {form!r}; choose one of: {', '.join(forms(name)) or '(none)'}")


def offered(view: str) -> list[ExportFormat]:
    """The formats a view can be exported in."""
    return [f for f in FORMATS if f.views is None or view in f.views]


def by_extension() -> dict[str, ExportFormat]:
    """File name ending -> the format a file of that name holds (the first row that claims it)."""
    table: dict[str, ExportFormat] = {}
    for row in FORMATS:
        for ext in row.extensions:
            table.setdefault(ext, row)
    return table


def format_help() -> dict[str, str]:
    """--format value -> one line of help (a format with forms names them)."""
    out: dict[str, str] = {}
    for name in names():
        rows = [f for f in FORMATS if f.name == name]
        if len(rows) == 1:
            out[name] = rows[0].help
        else:
            only = sorted({v for r in rows for v in (r.views or ())})
            scope = f"{', '.join(only)} view only; " if only else ""
            out[name] = (f"{FAMILY_HELP.get(name, name)} ({scope}--aif-form "
                         f"{', '.join(str(r.form) for r in rows)})")
    return out


def markdown_table() -> str:
    """docs/exports.md's Formats table."""
    lines = ["| format | file | media type | made by |", "|---|---|---|---|"]
    for row in FORMATS:
        name = f"`{row.name}`" + (f" `--aif-form {row.form}`" if row.form else "")
        files = " or ".join(f"`{e}`" for e in row.extensions)
        lines.append(f"| {name} | {files} | `{row.media_type}` | {row.made_by} |")
    return "\n".join(lines) + "\n"


DOCS_BEGIN = "<!-- formats: written by `sckg docs` from src/sckg/export/registry.py; do not edit by hand -->"
DOCS_END = "<!-- end of formats -->"


def refresh_docs(text: str) -> str:
    """``text`` (docs/exports.md) with the table between the markers replaced by ``markdown_table()``."""
    begin, end = text.find(DOCS_BEGIN), text.find(DOCS_END)
    if begin < 0 or end < begin:
        raise ValueError("docs/exports.md has lost its formats markers")
    return text[:begin + len(DOCS_BEGIN)] + "\n\n" + markdown_table() + "\n" + text[end:]

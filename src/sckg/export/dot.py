"""DOT for Graphviz, written here rather than through networkx's pydot or pygraphviz bridges: those
would add a dependency (pygraphviz needs a C build against Graphviz's headers) for what is a few lines
of quoting. Rendering to SVG and PNG runs Graphviz's own ``dot`` command.

Layout choices, for legibility: the argument map and the program view run left to right with wrapped
labels; nodes are filled by group and stance edges coloured by polarity; nodes with no edge in the
view are packed into a titled box as a grid instead of a long row beside the drawing.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from html import escape

import networkx as nx

from ..errors import UsageError
from .style import GROUP_COLOURS, edge_colour, edge_kind

# Per view: graph attributes, label wrap width, the title of the box of unconnected nodes.
VIEW_LAYOUT = {
    "arguments": ({"rankdir": "LR", "ranksep": "0.5", "nodesep": "0.18"}, 34, "claims not linked to another claim"),
    "actors": ({"rankdir": "LR", "ranksep": "0.7", "nodesep": "0.3"}, 24, "groups and people only mentioned"),
    "program": ({"rankdir": "LR", "ranksep": "0.8", "nodesep": "0.25"}, 30, "not linked"),
    "full": ({"layout": "sfdp", "overlap": "prism", "splines": "false", "outputorder": "edgesfirst"}, 24, ""),
}
GRID_COLUMNS = 4
LEGEND_ID = "legend"
RENDER_TIMEOUT_SECONDS = 120


def quote(text: str) -> str:
    """A DOT double-quoted string; newlines become DOT's centred line breaks."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\r", "").replace("\n", "\\n") + '"'


def wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width=width, break_long_words=False) or [text]
    if len(lines) > 5:  # long claims: five lines and an ellipsis keep the boxes comparable
        lines = lines[:5]
        lines[-1] += " …"
    return "\n".join(lines)


def _attrs(pairs: dict) -> str:
    return ", ".join(f"{k}={quote(v)}" for k, v in pairs.items())


def to_dot(g: nx.MultiDiGraph) -> str:
    view = g.graph.get("name", "full")
    graph_attrs, width, loose_title = VIEW_LAYOUT.get(view, VIEW_LAYOUT["full"])
    ids = {node: f"n{i}" for i, node in enumerate(g.nodes)}
    out = [f"digraph {quote('sckg_' + view)} {{"]
    title_attrs = {'label': 'sckg: ' + view + ' view', 'labelloc': 't', 'fontname': 'Helvetica', 'fontsize': '18',
                   'bgcolor': 'white', **graph_attrs}
    out.append(f"  graph [{_attrs(title_attrs)}];")
    out.append('  node [shape="box", style="rounded,filled", fontname="Helvetica", fontsize="11", '
               'margin="0.12,0.06", penwidth="0.8"];')
    out.append('  edge [fontname="Helvetica", fontsize="9", arrowsize="0.7", penwidth="1.1"];')

    loose = [n for n in g.nodes if g.degree(n) == 0] if loose_title else []
    for node, data in g.nodes(data=True):
        if node in loose:
            continue
        out.append(f"  {ids[node]} [{_node_attrs(data, width)}];")
    if loose:
        out.append("  subgraph cluster_loose {")
        loose_attrs = {'label': loose_title, 'style': 'dashed', 'color': '#999999', 'fontsize': '12'}
        out.append(f"    graph [{_attrs(loose_attrs)}];")
        for node in loose:
            out.append(f"    {ids[node]} [{_node_attrs(g.nodes[node], width)}];")
        # Invisible edges stack the loose nodes into columns so they form a compact grid.
        for i in range(len(loose) - GRID_COLUMNS):
            out.append(f"    {ids[loose[i]]} -> {ids[loose[i + GRID_COLUMNS]]} [style=\"invis\"];")
        out.append("  }")
    if view != "full":
        out.append(f"  {LEGEND_ID} [shape=\"plain\", style=\"filled\", fillcolor=\"white\", label=<{_legend(g)}>];")
        if loose:  # beside the box of loose nodes rather than above it: a shorter drawing
            out.append(f"  {LEGEND_ID} -> {ids[loose[0]]} [style=\"invis\"];")
    for u, v, data in g.edges(data=True):
        colour = edge_colour(data)
        attrs = {"label": data.get("label", ""), "color": colour, "fontcolor": colour}
        if data.get("label") == "attacks":
            attrs["style"] = "bold"
        if data.get("predicate") in ("sckg:Stance",):
            attrs["style"] = "dashed"
        if view == "full":
            attrs["label"] = ""  # a thousand edge labels are unreadable; the predicate stays in the tooltip
        attrs["tooltip"] = data.get("predicate", "")
        out.append(f"  {ids[u]} -> {ids[v]} [{_attrs(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _legend(g: nx.MultiDiGraph) -> str:
    """A key to the colours, as a Graphviz HTML-like table: the node groups of this view, then the
    edge colours it uses."""
    groups = [grp for grp in GROUP_COLOURS if any(d.get("group") == grp for _, d in g.nodes(data=True))]
    rows = [f'<tr><td bgcolor="{GROUP_COLOURS[grp]}" width="18"> </td><td align="left">{escape(grp)}</td></tr>'
            for grp in groups]
    used = {(edge_colour(d), edge_kind(d)) for _, _, d in g.edges(data=True)}
    for colour, kind in sorted(used, key=lambda ck: ck[1]):
        rows.append(f'<tr><td><font color="{colour}"><b>→</b></font></td>'
                    f'<td align="left"><font color="{colour}">{escape(kind)}</font></td></tr>')
    return ('<table border="1" cellborder="0" cellspacing="2" cellpadding="2" color="#999999">'
            '<tr><td colspan="2"><b>legend</b></td></tr>' + "".join(rows) + "</table>")




def _node_attrs(data: dict, width: int) -> str:
    fill = GROUP_COLOURS.get(data.get("group", "other"), "#ffffff")
    return _attrs({"label": wrap(data.get("label", ""), width), "fillcolor": fill,
                   "tooltip": f"{data.get('type', '')} {data.get('iri', '')}".strip()})


def render(dot_source: str, fmt: str, dpi: int = 110) -> bytes:
    """Run Graphviz on DOT source; ``fmt`` is svg or png."""
    exe = shutil.which("dot")
    if exe is None:
        raise UsageError(f"rendering {fmt.upper()} needs Graphviz's dot command, which was not found on PATH; "
                         "install Graphviz (Debian/Ubuntu: apt-get install graphviz) or export --format dot")
    args = [exe, f"-T{fmt}"] + ([f"-Gdpi={dpi}"] if fmt == "png" else [])
    try:
        done = subprocess.run(args, input=dot_source.encode("utf-8"), capture_output=True,  # noqa: S603  dot found on PATH, fixed options
                              timeout=RENDER_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise UsageError(f"Graphviz took longer than {RENDER_TIMEOUT_SECONDS} s to render {fmt.upper()}; "
                         "export --format dot and render it yourself") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"Graphviz failed to render {fmt.upper()} (exit {done.returncode}): {message}")
    return done.stdout

"""One self-contained interactive page: Cytoscape.js, the view's elements and the script, all inline,
so the file works from file:// with no network.

The graph is embedded as JSON inside <script type="application/json">, with every ``<``, ``>`` and ``&``
written as a \\u escape: no quote, label or IRI can close the script element or open a comment, and
JSON.parse reads the escapes back as the same characters.
"""

from __future__ import annotations

import html as html_lib
import json
from importlib import resources

import networkx as nx

from ..errors import UsageError
from .formats import cytoscape_data
from .style import ARGUMENT_COLOURS, DEFAULT_EDGE_COLOUR, GROUP_COLOURS, POLARITY_COLOURS, edge_colour, edge_kind
from .views import VIEW_DESCRIPTIONS

LIBRARY = "cytoscape.min.js"
TEMPLATE = "page.html"

# Cytoscape.js's built-in force-directed layout, run by the page on the linked nodes only (the nodes with
# no edge go in a grid below them); each node is a box the size of its label, and nodeDimensionsIncludeLabels
# makes cose keep the boxes apart. A fixed seed is not offered, so positions differ a little between openings.
# Parameters chosen by counting overlapping label boxes and measuring the drawing's extent in Chromium;
# long edges (idealEdgeLength) leave room for the edge labels between the boxes.
LAYOUTS = {
    "arguments": {"name": "cose", "animate": False, "nodeRepulsion": 100000, "idealEdgeLength": 120,
                  "nodeOverlap": 40, "componentSpacing": 60, "gravity": 80, "numIter": 2500},
    "actors": {"name": "cose", "animate": False, "nodeRepulsion": 100000, "idealEdgeLength": 120,
               "nodeOverlap": 40, "componentSpacing": 60},
    "program": {"name": "cose", "animate": False, "nodeRepulsion": 60000, "idealEdgeLength": 120,
                "nodeOverlap": 20, "componentSpacing": 60},
    "full": {"name": "cose", "animate": False, "nodeRepulsion": 40000, "idealEdgeLength": 50,
             "nodeOverlap": 10, "componentSpacing": 40, "numIter": 1500},
}


def edge_legend(g: nx.MultiDiGraph) -> list[dict]:
    """The kinds of edge this view has, for the page's legend: a view without causal links lists none."""
    kinds: dict[str, dict] = {}
    for _, _, data in g.edges(data=True):
        kind = edge_kind(data)
        kinds.setdefault(kind, {"kind": kind, "colour": edge_colour(data),
                                "dashed": data.get("predicate") == "sckg:Stance"})
    return [kinds[k] for k in sorted(kinds)]


def _asset(name: str) -> str:
    try:
        return resources.files("sckg.export").joinpath("assets", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"the package file sckg/export/assets/{name} is missing; reinstall sckg") from None


def script_safe_json(value) -> str:
    """JSON that can sit inside a <script> element whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def page(g: nx.MultiDiGraph) -> bytes:
    view = g.graph.get("name", "full")
    payload = {
        "view": view,
        "graph": cytoscape_data(g),
        "layout": LAYOUTS.get(view, LAYOUTS["full"]),
        "groupColours": GROUP_COLOURS,
        "edgeColours": {"polarity": POLARITY_COLOURS, "argument": ARGUMENT_COLOURS, "other": DEFAULT_EDGE_COLOUR},
        "edgeLegend": edge_legend(g),
    }
    library = _asset(LIBRARY)
    # The library is inlined in a <script>; a literal "</script" in it would end the element early.
    # The vendored file holds none (a test checks), and this keeps a future update from breaking the page.
    library = library.replace("</script", "<\\/script")
    title = f"sckg: {view} view ({VIEW_DESCRIPTIONS.get(view, '')})"
    # The template is cut at the library's place first and the other placeholders filled in the part
    # before it, so nothing inside the data or the library can be taken for a placeholder.
    head, tail = _asset(TEMPLATE).split("__SCKG_LIBRARY__", 1)
    head = head.replace("__SCKG_TITLE__", html_lib.escape(title))
    head = head.replace("__SCKG_DATA__", script_safe_json(payload))
    return (head + library + tail).encode("utf-8")

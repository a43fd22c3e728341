"""Writers: a view's networkx graph to the bytes of one file format.

GraphML and GEXF come from networkx's own writers; Cytoscape.js JSON from networkx's cytoscape_data
(with edge ids added, so a selection survives a reload); DOT from dot.py, and SVG/PNG from Graphviz.
registry.py says which writer makes which format.
"""

from __future__ import annotations

import io
import json

import networkx as nx

from . import dot
from .style import GROUP_COLOURS


def graphml(g: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    # Default key ids (d0, d1...): named ids would repeat when a node and an edge attribute share a name,
    # and GraphML requires key ids to be unique.
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def gexf(g: nx.MultiDiGraph) -> bytes:
    """GEXF with each node's group colour as a GEXF viz colour, so Gephi opens the graph coloured.
    The colour is added to a copy: the view's graph keeps only flat attributes.

    The graph's name goes in <meta><description>, not in <graph name>: networkx writes a name
    attribute that the GEXF 1.2 XSD does not allow on <graph>. (The viz colours stay <viz:color>, as
    the GEXF primer, Gephi and networkx write them, although the 1.2draft XSD declares <color> in the
    core namespace: see docs/exports.md.)"""
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    coloured = g.copy()
    for _, data in coloured.nodes(data=True):
        hex_colour = GROUP_COLOURS.get(data.get("group", "other"), GROUP_COLOURS["other"]).lstrip("#")
        r, gr, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
        data["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}}
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(coloured)
    name = writer.graph_element.attrib.pop("name", "")
    if name:
        SubElement(writer.xml.find("meta"), "description").text = f"sckg: the {name} view"
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def cytoscape_data(g: nx.MultiDiGraph) -> dict:
    """Cytoscape.js elements JSON (what Cytoscape desktop imports as .cyjs), one id per edge."""
    data = nx.cytoscape_data(g, name="label", ident="id")
    # networkx writes the graph's attributes as a list of pairs; Cytoscape.js (cy.json) and Cytoscape
    # desktop read an object, and drop the list, with the graph's name in it.
    data["data"] = dict(g.graph)
    for i, edge in enumerate(data["elements"]["edges"]):
        edge["data"]["id"] = f"e{i}"
    data["format_version"] = "1.0"
    data["generated_by"] = "sckg"
    data["target_cytoscapejs_version"] = "~3"
    return data


def cytoscape(g: nx.MultiDiGraph) -> bytes:
    return (json.dumps(cytoscape_data(g), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def dot_source(g: nx.MultiDiGraph) -> bytes:
    return dot.to_dot(g).encode("utf-8")


def svg(g: nx.MultiDiGraph) -> bytes:
    return dot.render(dot.to_dot(g), "svg")


def png(g: nx.MultiDiGraph) -> bytes:
    return dot.render(dot.to_dot(g), "png")


def html(g: nx.MultiDiGraph) -> bytes:
    from .html import page

    return page(g)

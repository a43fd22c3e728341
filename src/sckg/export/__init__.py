"""Graph exports for visualisation: four views of the knowledge graph (full, actors, arguments,
program) written as GraphML, GEXF, Cytoscape.js JSON, DOT/SVG/PNG, a self-contained interactive HTML
page, and AIF for the arguments view.

Every format is written from the networkx graph that ``to_networkx(view)`` returns, and that graph
is built with SPARQL on the KnowledgeGraph from ``sckg.load()``.
"""

from __future__ import annotations

from .views import VIEWS, to_networkx

__all__ = ["VIEWS", "FORMATS", "to_networkx", "render", "default_path"]

FORMATS = ("graphml", "gexf", "cytoscape", "dot", "svg", "png", "html", "aif")


def default_path(root, view: str, fmt: str, aif_form: str = "json"):
    """dist/exports/<view>.<ext> under the project folder."""
    from pathlib import Path

    from .aif import AIF_EXTENSIONS
    from .formats import FORMAT_EXTENSIONS

    ext = AIF_EXTENSIONS.get(aif_form, "aif.json") if fmt == "aif" else FORMAT_EXTENSIONS[fmt]
    return Path(root) / "dist" / "exports" / f"{view}.{ext}"


def render(kg, view: str, fmt: str, aif_form: str = "json") -> bytes:
    """The bytes of one export of one view (raises UsageError on an unknown view, format or AIF form)."""
    from ..errors import UsageError
    from . import aif, formats
    from .views import build_view

    if view not in VIEWS:
        raise UsageError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if fmt == "aif":
        if view != "arguments":
            raise UsageError(f"AIF is made from the arguments view only, not {view!r}; "
                             "run: sckg export arguments --format aif")
        if aif_form not in aif.AIF_FORMS:
            raise UsageError(f"unknown AIF form {aif_form!r}; choose one of: {', '.join(aif.AIF_FORMS)}")
        return aif.write(build_view(kg, view), aif_form, kg)
    return formats.write(build_view(kg, view), fmt)

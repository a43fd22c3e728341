"""Graph exports for visualisation: four views of the knowledge graph (full, actors, arguments,
program) written as GraphML, GEXF, Cytoscape.js JSON, DOT/SVG/PNG, a self-contained interactive HTML
page, and AIF for the arguments view. The formats are one table, registry.FORMATS.

Every format is written from the networkx graph that ``to_networkx(view)`` returns, and that graph
is built with SPARQL on the KnowledgeGraph from ``sckg.load()``.
"""

from __future__ import annotations

from .views import VIEWS, to_networkx

__all__ = ["VIEWS", "default_path", "render", "to_networkx"]


def default_path(root, view: str, fmt: str, aif_form: str | None = None):
    """dist/exports/<view><ext> under the project folder."""
    from pathlib import Path

    from . import registry

    return Path(root) / "dist" / "exports" / f"{view}{registry.get(fmt, aif_form).extension}"


def render(kg, view: str, fmt: str, aif_form: str | None = None) -> bytes:
    """The bytes of one export of one view (raises UsageError on an unknown view, format or form, or
    a format the view cannot be made in)."""
    from ..errors import UsageError
    from . import registry
    from .views import build_view

    if view not in VIEWS:
        raise UsageError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
    row = registry.get(fmt, aif_form)
    if row.views is not None and view not in row.views:
        raise UsageError(f"{fmt.upper()} is made from the {' or '.join(row.views)} view only, not {view!r}; "
                         f"run: sckg export {row.views[0]} {row.option()}")
    return row.writer(build_view(kg, view), kg)

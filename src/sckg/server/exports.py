"""``/exports/VIEW``: the graph exports of ``sckg export``, drawn on request from the served graph.

The formats are the export table's (sckg.export.registry): ``/exports/arguments`` picks one by the
Accept header among the formats the view has (a browser gets the interactive page, as its Accept
puts HTML first); ``/exports/arguments.gexf`` names one by the file extension ``sckg export -o``
reads, so every format, AIF's JSON forms included, has an address of its own. The VoID description
lists these addresses as DCAT distributions.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ..errors import SckgError
from ..export import VIEWS, registry
from ..export.filenames import extension_of
from . import negotiation

log = logging.getLogger("sckg.server")
_VARY = {"Vary": "Accept"}


def offered_media_types(view: str) -> tuple[str, ...]:
    """The media types /exports/VIEW negotiates among, in table order (a type two formats share, like
    application/json, goes to the first; the other has its extension's address)."""
    return tuple(dict.fromkeys(row.media_type for row in registry.offered(view)))


def address(view: str, row: registry.ExportFormat) -> str:
    """The path of one export, under the server's base URL."""
    return f"exports/{view}{row.extension}"


def _text(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=_VARY)


def routes(kg) -> list[Route]:
    # The served graph does not change while the server runs, so each export is drawn once.
    drawn: dict[tuple[str, tuple[str, str | None]], bytes] = {}

    def _draw(view: str, row: registry.ExportFormat) -> bytes:
        key = (view, row.key)
        if key not in drawn:
            drawn[key] = row.writer(_view(view), kg)
        return drawn[key]

    views: dict = {}

    def _view(view: str):
        if view not in views:
            from ..export.views import build_view

            views[view] = build_view(kg, view)
        return views[view]

    async def export(request: Request) -> Response:
        name = request.path_params["name"]
        ext = extension_of(name)
        view = name[:-len(ext)] if ext else name
        if view not in VIEWS:
            return _text(404, f"no view named '{view[:40]}'; views: {', '.join(VIEWS)}")
        if ext is not None:
            row = registry.by_extension()[ext]
            if row.views is not None and view not in row.views:
                return _text(404, f"{row.name} is made from the {' or '.join(row.views)} view only")
        else:
            media = negotiation.choose(request.headers.get("accept"), offered_media_types(view), synonyms=False)
            if media is None:
                return _text(406, "none of the accepted media types is available here; available: "
                             + ", ".join(offered_media_types(view)))
            row = next(r for r in registry.offered(view) if r.media_type == media)
        try:
            body = await asyncio.get_running_loop().run_in_executor(None, _draw, view, row)
        except SckgError as error:  # Graphviz missing or failing: say so, as the CLI does
            log.error("export %s as %s failed: %s", view, row.option(), error.message)
            return _text(503, f"{view} as {row.name} cannot be drawn here: {error.message}")
        headers = dict(_VARY) if ext is None else {}
        # The interactive page runs inline scripts, which this server's Content-Security-Policy forbids
        # (rightly, for its own pages): it is handed over as a file, to be opened from disk, as
        # `sckg export` writes it.
        disposition = "attachment" if row.media_type == "text/html" else "inline"
        headers["Content-Disposition"] = f'{disposition}; filename="{view}{row.extension}"'
        return Response(body, media_type=row.media_type, headers=headers)

    return [Route("/exports/{name}", export)]

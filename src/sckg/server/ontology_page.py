"""``/ontology``: the ontology by content negotiation. A browser (Accept naming text/html above the
rest) gets pyLODE's page, docs/ontology.html, with its stylesheet at /pylode.css; ``text/markdown``
gets the Markdown reference, docs/ontology.md; RDF clients get dist/ontology.ttl as Turtle (also for
``*/*``), N-Triples, RDF/XML or JSON-LD. The files come from ``sckg docs`` and ``sckg build``; a
missing one is a 404 that says which command writes it."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from . import negotiation

HTML = "text/html"
MARKDOWN = "text/markdown"
# The server's preference first: a client that accepts anything is most likely an RDF tool.
OFFERED = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", MARKDOWN, HTML)
_RDFLIB = {"application/n-triples": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
_VARY = {"Vary": "Accept"}


def _missing(name: str, command: str) -> Response:
    return PlainTextResponse(f"{name} has not been written yet: run '{command}' in the project\n",
                             status_code=404, headers=_VARY)


def routes(kg) -> list[Route]:
    """The routes to add to the application of the loaded graph ``kg``. Its project folder is read per
    request, like the other handlers do, so that nothing about it is fixed when the app is made."""
    converted: dict[tuple[str, float], bytes] = {}  # (media type, mtime of the Turtle) -> body

    def _convert(turtle: Path, media: str) -> bytes:
        key = (media, turtle.stat().st_mtime)
        if key not in converted:
            import rdflib

            graph = rdflib.Graph().parse(turtle, format="turtle")
            converted.clear()  # one version of the ontology at a time
            converted[key] = graph.serialize(format=_RDFLIB[media]).encode("utf-8")
        return converted[key]

    async def ontology(request: Request) -> Response:
        root: Path = kg.root
        turtle = root / "dist" / "ontology.ttl"
        html, markdown = root / "docs" / "ontology.html", root / "docs" / "ontology.md"
        media = negotiation.choose(request.headers.get("accept"), OFFERED)
        if media is None:
            return PlainTextResponse("none of the accepted media types is available here; available: "
                                     + ", ".join(OFFERED) + "\n", status_code=406, headers=_VARY)
        if media == HTML:
            if not html.is_file():
                return _missing("docs/ontology.html", "sckg docs")
            return FileResponse(html, media_type="text/html; charset=utf-8", headers=_VARY)
        if media == MARKDOWN:
            if not markdown.is_file():
                return _missing("docs/ontology.md", "sckg docs")
            return FileResponse(markdown, media_type="text/markdown; charset=utf-8", headers=_VARY)
        if not turtle.is_file():
            return _missing("dist/ontology.ttl", "sckg build")
        if media == "text/turtle":
            return FileResponse(turtle, media_type="text/turtle", headers=_VARY)
        return Response(_convert(turtle, media), media_type=media, headers=_VARY)

    async def stylesheet(request: Request) -> Response:
        css = kg.root / "docs" / "pylode.css"
        if not css.is_file():
            return _missing("docs/pylode.css", "sckg docs")
        return FileResponse(css, media_type="text/css")

    return [Route("/ontology", ontology), Route("/pylode.css", stylesheet)]

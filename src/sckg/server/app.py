"""The Starlette application: the SPARQL 1.1 Protocol at /sparql, the page at /, the dataset's
description at /.well-known/void, and the dist/ dumps for download.

Handlers never run a query themselves: they check the request, hand the query to the worker pool and
await the answer, so a slow query holds up neither the page nor other queries. No response body ever
carries a traceback or an exception's text; details go to the server log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import namespaces as ns
from ..errors import SckgError
from ..library import list_queries
from ..void import DUMPS as VOID_DUMPS, describe as describe_dataset
from . import exports, negotiation, ontology_page
from .config import ServerConfig
from .description import PREFIXES as SD_PREFIXES, service_description
from .serialize import RDF_FORMATS
from .worker import UNKNOWN_GRAPHS_HEADER, Answer, WorkerPool, WorkerStartError

log = logging.getLogger("sckg.server")

STATIC = Path(__file__).parent / "static"
# The files of dist/ that are served (at /dist/<name>, where the VoID description says they are):
# the dumps sckg.void lists, plus the JSON-LD context and the VoID file itself. Nothing else is.
DUMPS = {**VOID_DUMPS, "context.jsonld": "application/ld+json", "void.ttl": "text/turtle"}
_RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                   "application/rdf+xml": "xml"}
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    # The page loads nothing from elsewhere and runs no inline script: injected markup cannot run.
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; "
                                 b"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                                 b"base-uri 'none'; form-action 'self'"),
]


class _BodyTooLarge(Exception):
    pass


def _text(status: int, message: str, **headers) -> PlainTextResponse:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers or None)


def create_app(config: ServerConfig, kg, on_ready=None) -> Starlette:
    """The application for a loaded graph ``kg`` (used for the descriptions; queries go to workers,
    which load their own copy). ``on_ready(pool)`` is called once the workers are up."""
    pool = WorkerPool(config, kg)
    graph_sizes = kg.triples_per_graph()
    void_cache: dict[tuple[str, str], bytes] = {}
    start_problems: list[str] = []  # why the workers could not start, for StartupErrors to say

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            await pool.start()
        except WorkerStartError as error:
            start_problems.append(str(error))
            raise
        if on_ready is not None:
            on_ready(pool)
        try:
            yield
        finally:
            await pool.close()

    # ---- /sparql ---------------------------------------------------------------------------------

    async def sparql(request: Request) -> Response:
        if request.method in ("GET", "HEAD"):  # HEAD: the GET's status and headers (uvicorn drops the body)
            params = list(request.query_params.multi_items())
        else:
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type == "application/sparql-update":
                return _text(403, "this endpoint is read-only: SPARQL updates are not accepted")
            try:
                body = await _read_body(request, 3 * config.max_query_bytes + 8192)
            except _BodyTooLarge:
                return _too_large()
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return _text(400, "the request body is not valid UTF-8")
            params = list(request.query_params.multi_items())
            if content_type == "application/x-www-form-urlencoded":
                params += parse_qsl(text, keep_blank_values=True)
            elif content_type == "application/sparql-query":
                params.append(("query", text))
            else:
                return _text(415, "send the query as application/sparql-query or as an "
                                  "application/x-www-form-urlencoded form with a 'query' field")
        names = [name for name, _ in params]
        if "update" in names:
            return _text(403, "this endpoint is read-only: SPARQL updates are not accepted")
        queries = [value for name, value in params if name == "query"]
        if len(queries) > 1:
            return _text(400, "send exactly one 'query' parameter")
        media_type = None
        formats = [value for name, value in params if name == "format"]
        if formats:
            media_type = negotiation.format_media_type(formats[0])
            if media_type is None:
                return _text(400, f"unknown format '{formats[0][:40]}'; use one of "
                                  + ", ".join(sorted(negotiation.FORMAT_ALIASES)))
        if (request.method in ("GET", "HEAD") and media_type is None
                and not {"default-graph-uri", "named-graph-uri"} & set(names)
                and negotiation.prefers_html(request.headers.get("accept"))):
            # A browser (it asks for HTML first): show the page, with the query in the editor.
            target = "/?" + urlencode({"query": queries[0]}) if queries and queries[0].strip() else "/"
            return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})
        if not queries:
            return _describe_service(request, media_type)
        query = queries[0]
        if len(query.encode("utf-8")) > config.max_query_bytes:
            return _too_large()
        if not query.strip():
            return _text(400, "the 'query' parameter is empty")
        job = {"query": query, "accept": request.headers.get("accept"), "media_type": media_type,
               "default_graphs": [v for n, v in params if n == "default-graph-uri"],
               "named_graphs": [v for n, v in params if n == "named-graph-uri"],
               "row_limit": config.row_limit, "byte_limit": config.max_response_bytes,
               # relative IRIs in the query resolve against the endpoint's own URL (as the W3C tests expect)
               "base_iri": str(request.base_url) + "sparql"}
        answer = await _answer_unless_gone(request, job)
        if answer is None:  # the client hung up: its query was stopped, and nobody reads a response
            return Response(status_code=499)
        headers = dict(answer.headers)
        headers["Vary"] = "Accept"
        if media_type and answer.status == 200:
            ext = negotiation.FILE_EXTENSIONS[answer.media_type]
            headers["Content-Disposition"] = f'attachment; filename="results.{ext}"'
        return Response(answer.body, status_code=answer.status, headers=headers, media_type=answer.media_type)

    async def _answer_unless_gone(request: Request, job: dict) -> Answer | None:
        """The pool's answer, or None when the client disconnects first: uvicorn does not cancel a
        handler whose client went away, so without this an abandoned query would keep its worker
        until the time limit (two such requests held every worker)."""
        running = asyncio.ensure_future(pool.run(job))
        gone = asyncio.ensure_future(_disconnected(request))
        try:
            await asyncio.wait({running, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not running.done():
                running.cancel()  # the pool stops the query and replaces its worker
            gone.cancel()
        if running.cancelled():
            return None
        try:
            return running.result()
        except asyncio.CancelledError:
            return None

    def _too_large() -> Response:
        return _text(413, f"the query is larger than this endpoint's limit of {config.max_query_bytes} bytes")

    def _describe_service(request: Request, media_type: str | None = None) -> Response:
        if media_type is not None and media_type not in negotiation.GRAPHS:
            return _text(406, f"the service description is RDF: use format= one of ttl, nt, jsonld, rdf "
                              f"(not {media_type})")
        media_type = media_type or negotiation.choose(request.headers.get("accept"), negotiation.GRAPHS)
        if media_type is None:
            return _not_acceptable(negotiation.GRAPHS)
        base = str(request.base_url)
        triples = service_description(base + "sparql", base + ".well-known/void", graph_sizes, config)
        body = ox.serialize(triples, format=RDF_FORMATS[media_type], prefixes=SD_PREFIXES)
        return Response(body, media_type=media_type, headers={"Vary": "Accept"})

    # ---- descriptions, dumps, examples, the page ---------------------------------------------------

    async def void(request: Request) -> Response:
        media_type = negotiation.choose(request.headers.get("accept"), negotiation.GRAPHS)
        if media_type is None:
            return _not_acceptable(negotiation.GRAPHS)
        base = str(request.base_url)
        key = (base, media_type)
        if key not in void_cache:
            # Built off the event loop; a few entries (the hosts HostCheck lets in), the oldest dropped.
            graph = await asyncio.get_running_loop().run_in_executor(None, describe_dataset, kg, base)
            void_cache[key] = graph.serialize(format=_RDFLIB_FORMATS[media_type], encoding="utf-8")
            while len(void_cache) > _VOID_CACHE_SIZE:
                void_cache.pop(next(iter(void_cache)))
        return Response(void_cache[key], media_type=media_type, headers={"Vary": "Accept"})

    async def download(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in DUMPS:
            return _text(404, f"no dump named '{name[:60]}'; available: {', '.join(DUMPS)}")
        path = kg.root / "dist" / name
        if not path.is_file():
            return _text(404, f"dist/{name} has not been built yet: run 'sckg build' in the project, "
                              "then reload")
        return FileResponse(path, media_type=DUMPS[name], filename=name)

    async def ontology_docs(request: Request) -> Response:
        path = kg.root / "docs" / "ontology.md"
        if not path.is_file():
            return _text(404, "docs/ontology.md has not been written yet: run 'sckg docs' in the project")
        # Markdown shown as plain text: readable in any browser, and nothing in it can run.
        return FileResponse(path, media_type="text/plain; charset=utf-8")

    async def examples(request: Request) -> Response:
        try:
            queries = list_queries(kg.root)
        except SckgError as error:  # a broken query file must not take the page down; log it
            log.error("the query library could not be read: %s", error.message)
            return JSONResponse([])
        return JSONResponse([{"name": q.name, "group": q.group, "group_title": q.group_title, "title": q.title,
                              "question": q.question, "notes": q.notes, "form": q.form, "text": q.text,
                              "scope": q.scope, "params": [{"name": p.name, "description": p.description,
                                                            "default": p.default} for p in q.params]}
                             for q in queries])

    async def info(request: Request) -> Response:
        return JSONResponse({
            "row_limit": config.row_limit, "timeout": config.timeout, "max_query_bytes": config.max_query_bytes,
            "max_response_bytes": config.max_response_bytes,
            "dataset_sha256": pool.snapshot_sha256,
            "dumps": [name for name in DUMPS if (kg.root / "dist" / name).is_file()],
            "graphs": graph_sizes, "prefixes": ns.PREFIXES, "workers": pool.counts(),
        })

    async def health(request: Request) -> Response:
        # For monitors and for tests that need free workers: 200 while at least one query worker is
        # live, 503 when none is (every query would wait and fail), whatever the page still answers.
        counts = pool.counts()
        if counts["live"] == 0:
            status = "unhealthy"
        elif counts["live"] < counts["configured"]:
            status = "degraded"
        else:
            status = "ok"
        return JSONResponse({"status": status, "workers": counts}, status_code=503 if status == "unhealthy" else 200,
                            headers={"Cache-Control": "no-store"})

    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return _text(500, "internal server error; the details are in the server log")

    def _not_acceptable(offered) -> Response:
        return _text(406, "none of the accepted media types is available here; available: " + ", ".join(offered))

    middleware = [Middleware(StartupErrors, problems=start_problems),
                  Middleware(HostCheck, allowed=config.allowed_hosts)]
    if config.cors:  # read-only GET from any origin, never with credentials
        middleware.append(Middleware(CorsForGetOnly, allow_origins=["*"], allow_methods=["GET"],
                                     allow_credentials=False, allow_headers=["Accept"],
                                     expose_headers=["X-SCKG-Truncated", "X-SCKG-Row-Limit", "X-SCKG-Rows",
                                                     "X-SCKG-Truncated-By", "X-SCKG-Byte-Limit",
                                                     "X-SCKG-Query-Form", UNKNOWN_GRAPHS_HEADER]))
    middleware.append(Middleware(SecurityHeaders))
    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/.well-known/void", void),
        Route("/dist/{name}", download),
        *ontology_page.routes(kg),  # /ontology by content negotiation, /pylode.css
        *exports.routes(kg),  # /exports/VIEW, drawn from the export table's formats
        Route("/ontology/docs", ontology_docs),
        Route("/api/examples", examples),
        Route("/api/info", info),
        Route("/health", health),
        Route("/favicon.ico", no_icon),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={Exception: internal_error})
    app.state.pool = pool
    return app


async def _disconnected(request: Request) -> None:
    """Returns once the client has disconnected (the body, if any, has been read already)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (without reading on) once it exceeds ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _BodyTooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


_VOID_CACHE_SIZE = 16


class CorsForGetOnly(CORSMiddleware):
    """Starlette's CORS, applied to GET and HEAD (and preflights) only. A form POST needs no preflight
    (it is a CORS "simple request"), so with plain CORSMiddleware its answer carried
    Access-Control-Allow-Origin and was readable by any page: POST answers carry no CORS header."""

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        return await super().__call__(scope, receive, send)


def _host_name(host: str) -> str:
    """The name part of a Host header value: without the port, IPv6 brackets kept off."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_ip_literal(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


class HostCheck:
    """Refuses (400) a request whose Host names none of the server's names. A page on another site
    that points its own name at 127.0.0.1 (DNS rebinding) then reaches nothing, and no foreign name
    ends up in the Service Description or the VoID. An IP address is always accepted: rebinding needs
    a name. ``allowed``: the names given at start (localhost, the machine's names, --allow-host)."""

    def __init__(self, app, allowed: tuple[str, ...]):
        self.app = app
        self.allowed = {name.lower().strip("[]") for name in allowed}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = next((value.decode("latin-1") for name, value in scope["headers"] if name == b"host"), None)
        name = _host_name(host) if host else None
        if name is None or name in self.allowed or _is_ip_literal(name):
            return await self.app(scope, receive, send)
        response = _text(400, f"this server does not answer to the host name '{name[:60]}'; start it with "
                              "--allow-host NAME to serve under that name")
        await response(scope, receive, send)


class StartupErrors:
    """Words a failed worker start as one line for the user. Starlette reports a failed start-up to
    uvicorn with the traceback as its message, which uvicorn prints as it is; a worker that cannot
    load the graph is a clear message instead (the worker logs its own details). Any other start-up
    failure, a bug, keeps its traceback."""

    def __init__(self, app, problems: list[str]):
        self.app = app
        self.problems = problems

    async def __call__(self, scope, receive, send):
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)

        async def send_worded(message):
            if message["type"] == "lifespan.startup.failed" and self.problems:
                message = {**message, "message": f"the query workers could not start: {self.problems[0]}"}
            await send(message)

        await self.app(scope, receive, send_worded)


class SecurityHeaders:
    """Adds the headers that keep browsers from sniffing, framing or loading foreign code (pure ASGI,
    so it costs almost nothing per request)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + _SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)

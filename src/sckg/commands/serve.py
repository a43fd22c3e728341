"""``sckg serve``: the local SPARQL endpoint and its web page, safe by default (docs/server.md)."""

from __future__ import annotations

from ..server import config as defaults


def register(sub) -> None:
    from . import with_data

    p = sub.add_parser(
        "serve", help="run a read-only SPARQL endpoint with a web page (127.0.0.1 by default)",
        description="Serve the knowledge graph over the SPARQL 1.1 Protocol at /sparql, with a query page at /. "
                    "Read-only: updates and SERVICE are refused. FROM, FROM NAMED and the default-graph-uri/"
                    "named-graph-uri parameters only choose among the local named graphs and never fetch "
                    "anything: a graph IRI the dataset lacks selects an empty graph, and the response names it "
                    "in its X-SCKG-Unknown-Graphs header. Every query has a time limit and a row limit. Binds to "
                    "127.0.0.1 unless --host says otherwise.")
    p.add_argument("--host", default=defaults.DEFAULT_HOST,
                   help=f"address to listen on (default: {defaults.DEFAULT_HOST}; 0.0.0.0 exposes the endpoint)")
    p.add_argument("--port", type=int, default=defaults.DEFAULT_PORT,
                   help=f"port (default: {defaults.DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--timeout", type=float, default=defaults.DEFAULT_TIMEOUT,
                   help=f"seconds a query may run before it is stopped (default: {defaults.DEFAULT_TIMEOUT:g})")
    p.add_argument("--row-limit", type=int, default=defaults.DEFAULT_ROW_LIMIT,
                   help=f"most rows or triples per response (default: {defaults.DEFAULT_ROW_LIMIT})")
    p.add_argument("--max-query-bytes", type=int, default=defaults.DEFAULT_MAX_QUERY_BYTES,
                   help=f"largest accepted query (default: {defaults.DEFAULT_MAX_QUERY_BYTES})")
    p.add_argument("--queue-wait", type=float, default=None, metavar="SECONDS",
                   help="seconds a query waits for a free worker before a 503 (default: the --timeout)")
    p.add_argument("--worker-memory", type=int, default=defaults.DEFAULT_WORKER_MEMORY_MIB, metavar="MIB",
                   help="address space each query worker may use, in MiB (default: "
                        f"{defaults.DEFAULT_WORKER_MEMORY_MIB}; 0: no cap); a query that needs more stops its worker")
    p.add_argument("--max-response-bytes", type=int, default=defaults.DEFAULT_MAX_RESPONSE_BYTES, metavar="BYTES",
                   help=f"largest response body, signalled like the row limit (default: "
                        f"{defaults.DEFAULT_MAX_RESPONSE_BYTES})")
    p.add_argument("--short-query", type=float, default=defaults.DEFAULT_SHORT_QUERY, metavar="SECONDS",
                   help="a query running longer is long; at most workers - 1 long queries run at once, so one "
                        f"worker stays free for short ones (default: {defaults.DEFAULT_SHORT_QUERY:g}; 0: no reserve)")
    p.add_argument("--workers", type=int, default=defaults.DEFAULT_WORKERS,
                   help=f"query worker processes (default: {defaults.DEFAULT_WORKERS})")
    p.add_argument("--cors", action="store_true",
                   help="allow cross-origin GET requests from any web page (without credentials)")
    with_data.add(p, "also serve PATH: an RDF file (TriG and N-Quads keep their graph names) or a statement folder "
                     "(repeatable), validated as 'sckg build' would (a warning, or --strict refuses)", "--extra")
    p.add_argument("--strict", action="store_true",
                   help="refuse --with data that fails validation (exit 1) instead of warning")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="also answer requests whose Host header is NAME (repeatable); by default only IP "
                        "addresses, localhost and, when listening on all addresses, this machine's names are "
                        "accepted (a guard against DNS rebinding)")
    p.add_argument("--quiet", action="store_true", help="do not log each request")
    p.set_defaults(func=run)


def _is_address(text: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(text.strip("[]"))
        return True
    except ValueError:
        return False


def run(args) -> int:
    import dataclasses
    import logging
    import socket
    import sys

    import uvicorn

    from ..errors import UsageError
    from ..server.app import create_app
    from ..server.config import ServerConfig
    from ..server.http_limits import LimitedHttpToolsProtocol
    from ..server.worker import WorkerStartError
    from ..store import open_graph

    for name, value, low in (("--timeout", args.timeout, 0), ("--row-limit", args.row_limit, 0),
                             ("--max-query-bytes", args.max_query_bytes, 0), ("--workers", args.workers, 0)):
        if not value > low:
            raise UsageError(f"{name} must be greater than {low} (got {value:g})")
    if args.worker_memory < 0:
        raise UsageError(f"--worker-memory must be 0 (no cap) or more (got {args.worker_memory})")
    if 0 < args.worker_memory < 256:
        raise UsageError("--worker-memory must be at least 256 MiB, what a worker needs to load "
                         f"(got {args.worker_memory})")
    if not args.max_response_bytes > 0:
        raise UsageError(f"--max-response-bytes must be greater than 0 (got {args.max_response_bytes})")
    if args.short_query < 0:
        raise UsageError(f"--short-query must be 0 (no reserve) or more (got {args.short_query:g})")
    if args.queue_wait is not None and not args.queue_wait > 0:
        raise UsageError(f"--queue-wait must be greater than 0 (got {args.queue_wait:g})")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535 (got {args.port})")

    kg = open_graph(args.root, args.extra or None)  # a DataError here stops us before anything listens
    from ..extension_check import check_extra

    check_extra(kg, args.extra, args.strict, "sckg serve")  # --with data is validated as a build would
    config = ServerConfig(root=kg.root, extra=tuple(args.extra), timeout=args.timeout, row_limit=args.row_limit,
                          max_query_bytes=args.max_query_bytes, workers=args.workers, cors=args.cors,
                          queue_wait=args.queue_wait, worker_memory_mib=args.worker_memory or None,
                          max_response_bytes=args.max_response_bytes, short_query=args.short_query or None)

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it every keep-alive response waits ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as error:
        sock.close()
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}; "
                         "choose another --port or --host") from None
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if family == socket.AF_INET6 else host

    def on_ready(pool) -> None:
        print(f"sckg serve: ready at http://{shown}:{port}/ (SPARQL endpoint http://{shown}:{port}/sparql; "
              f"{config.workers} workers, timeout {config.timeout:g} s, row limit {config.row_limit}"
              f"{', CORS on for GET' if config.cors else ''})", flush=True)
        if pool.isolation_problem:
            barrier = ("and the workers cannot open new sockets (their descriptor limit)" if pool.descriptors_locked
                       else "and that check is now the only barrier")
            print(f"sckg serve: warning: query workers are not isolated from the network "
                  f"({pool.isolation_problem}); SERVICE is still refused by the query check before anything "
                  f"runs, {barrier}", flush=True)
        if host not in ("127.0.0.1", "::1", "localhost"):
            print(f"sckg serve: warning: listening on {host}, reachable from other machines", flush=True)

    names = {"localhost", *args.allow_host}
    if args.host and not _is_address(args.host):
        names.add(args.host)
    if host in ("0.0.0.0", "::"):  # noqa: S104  compared, not bound: every interface: the machine's own names are its names too
        names.update({socket.gethostname(), socket.getfqdn()})
    config = dataclasses.replace(config, allowed_hosts=tuple(sorted(n.lower() for n in names if n)))

    logging.basicConfig(level=logging.INFO, format="sckg serve: %(levelname)s %(message)s")
    app = create_app(config, kg, on_ready=on_ready)
    server = uvicorn.Server(uvicorn.Config(app, log_level="info", access_log=not args.quiet,
                                           http=LimitedHttpToolsProtocol,  # head size and read-time limits
                                           lifespan="on", timeout_graceful_shutdown=3))
    try:
        server.run(sockets=[sock])
    except WorkerStartError as error:
        raise UsageError(f"the query workers could not start: {error}") from None
    except SystemExit:
        # uvicorn exits with its own code 3 when start-up fails (the reason is already logged);
        # fall through so the documented code 2 is returned instead.
        if server.started:
            raise
    finally:
        sock.close()
    if not server.started:
        print("sckg serve: the server did not start; see the messages above", file=sys.stderr)
        return 2
    return 0

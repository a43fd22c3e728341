"""``sckg push --endpoint URL``: upload each named graph to a triple store (SPARQL 1.1 Graph Store
HTTP Protocol), after the same gate as ``sckg build``.

The data comes through the one loader (sckg.loader.load), not from dist/: what is pushed is exactly
what ``sckg query`` and ``sckg serve`` answer from, validated in the same run, and never a stale or
hand-edited dump. A graph the gate refuses is never sent.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from ..errors import UsageError

DESCRIPTION = """Upload each named graph of the dataset to a triple store through the SPARQL 1.1 Graph
Store HTTP Protocol: one request per graph, PUT (--mode replace, the default: the graph on the
server becomes exactly ours) or POST (--mode append: our triples are added to what it holds). The
data is loaded and validated as by 'sckg build'; nothing is sent if the gate fails.

--endpoint is the Graph Store's own URL; the graph goes in ?graph=IRI:

  Oxigraph (oxigraph serve)      http://HOST:7878/store
  Virtuoso, no login             http://HOST:8890/sparql-graph-crud
  Virtuoso, with a login         http://HOST:8890/sparql-graph-crud-auth   (--user; Digest)
  Apache Jena Fuseki             http://HOST:3030/DATASET/data
  GraphDB                        http://HOST:7200/repositories/REPO/rdf-graphs/service

Credentials: --user NAME (or SCKG_PUSH_USER) with the password in the SCKG_PUSH_PASSWORD environment
variable, or read from standard input with --password-stdin, or asked for on a terminal; or a bearer
token in SCKG_PUSH_TOKEN. They are never printed. The scheme (Basic or Digest) is the one the server
asks for; --auth fixes it.

  $ sckg push --endpoint http://127.0.0.1:7878/store --dry-run
  $ SCKG_PUSH_PASSWORD=... sckg push --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --user loader
  $ sckg push --endpoint http://127.0.0.1:7878/store --graph entities --graph statement/cap-2011-06-17

For corpora too large for one request per graph, see docs/scale.md (bulk loaders).
"""

EPILOG = """exit codes:
  0  every selected graph was accepted by the server (or, with --dry-run, listed)
  1  invalid data: the validation gate fails, so nothing is sent
  2  usage or runtime error: a bad argument, no password, the endpoint cannot be reached, refuses the
     credentials (401) or answers with an HTTP error (its message is shown); graphs sent before the
     failure stay on the server, and the message says which
"""

PASSWORD_ENV = "SCKG_PUSH_PASSWORD"  # noqa: S105  (the name of a variable, not a password)
USER_ENV = "SCKG_PUSH_USER"
TOKEN_ENV = "SCKG_PUSH_TOKEN"  # noqa: S105  (likewise a name)


def register(sub) -> None:
    p = sub.add_parser("push", help="upload the named graphs to a triple store (SPARQL Graph Store Protocol)",
                       description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--endpoint", required=True, metavar="URL", help="the Graph Store URL (see above)")
    p.add_argument("--mode", choices=("replace", "append"), default="replace",
                   help="replace: PUT, each graph on the server becomes ours (default); append: POST, add to it")
    p.add_argument("--graph", action="append", default=[], metavar="IRI",
                   help="push only this graph (its IRI, or the part after https://w3id.org/sckg/graph/, "
                        "e.g. entities or statement/ID); repeatable")
    p.add_argument("--dry-run", action="store_true",
                   help="list what would be sent (graph, triples, bytes, method, URL) and send nothing")
    p.add_argument("--user", default=None, help=f"user name (default: ${USER_ENV}); the password comes from "
                                                f"${PASSWORD_ENV}, --password-stdin or a prompt")
    p.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of standard input")
    p.add_argument("--auth", choices=("auto", "basic", "digest"), default="auto",
                   help="authentication scheme (default: the one the server asks for)")
    p.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                   help="give up on a request after this long (default: 300)")
    p.set_defaults(func=run)


def _credentials(args):
    from ..push.transport import Credentials

    token = os.environ.get(TOKEN_ENV) or None
    user = args.user or os.environ.get(USER_ENV) or None
    if args.password_stdin and not user:
        raise UsageError("--password-stdin needs --user (or SCKG_PUSH_USER)")
    if not user:
        return Credentials(token=token)
    if token:
        raise UsageError(f"give either a user (--user) or a token (${TOKEN_ENV}), not both")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif os.environ.get(PASSWORD_ENV):
        password = os.environ[PASSWORD_ENV]
    elif sys.stdin.isatty():
        import getpass

        password = getpass.getpass(f"password for {user}: ")
    else:
        raise UsageError(f"no password for user '{user}': set ${PASSWORD_ENV}, or use --password-stdin")
    if not password:
        raise UsageError(f"the password for user '{user}' is empty")
    return Credentials(user=user, password=password)


def run(args) -> int:
    from .. import namespaces as ns
    from ..console import paint, table
    from ..loader import load
    from ..progress import Progress, size
    from ..push.plan import plan_uploads, resolve_graphs
    from ..push.transport import GraphStore, UnreachableError, check_endpoint
    from ..validation import validate

    check_endpoint(args.endpoint)
    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    credentials = _credentials(args)

    started = time.perf_counter()
    if sys.stderr.isatty():
        sys.stderr.write("loading and validating ...")
        sys.stderr.flush()
    kg = load(args.root)
    report = validate(kg)
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    if not report.ok:
        raise report.failure("nothing was pushed", show=10)
    graphs = resolve_graphs(kg.graph_names(), args.graph)
    uploads = plan_uploads(kg.store, graphs, args.endpoint, args.mode)
    total_triples = sum(u.triples for u in uploads)
    total_bytes = sum(len(u.body) for u in uploads)

    if args.dry_run:
        rows = [[u.graph, str(u.triples), str(len(u.body)), u.method, u.url] for u in uploads]
        print(paint("sckg push --dry-run", "bold") + ": nothing is sent")
        print(table(rows, ["graph", "triples", "bytes", "method", "target URL"]))
        print(f"would send {len(uploads)} graph(s), {total_triples} triples, {total_bytes} bytes "
              f"(Content-Type: application/n-triples)")
        return 0

    sent: list[str] = []
    current: str | None = None  # the graph whose request is under way, if a failure interrupts it
    rows = []
    # One request per graph, each seconds long on a slow link: every step is drawn.
    progress = Progress(len(uploads), "graphs", total_bytes=total_bytes, redraw_seconds=0)
    with GraphStore(args.endpoint, credentials, auth=args.auth, timeout=args.timeout) as store:
        try:
            progress.show("connecting")
            store.check(uploads[0].url)
            for u in uploads:
                progress.show(f"{u.method} {u.graph.removeprefix(ns.GRAPH)}")
                t0 = time.perf_counter()
                current = u.graph
                response = store.upload(u)
                current = None
                progress.advance(len(u.body))
                sent.append(u.graph)
                rows.append([u.graph, str(u.triples), str(len(u.body)), u.method,
                             str(response.status_code), f"{time.perf_counter() - t0:.2f}"])
        except UsageError as exc:
            progress.close()
            if sent:
                exc.message += (f"\n{len(sent)} of {len(uploads)} graph(s) were sent before the failure: "
                                + ", ".join(sent))
            uncertain = current is not None and isinstance(exc, UnreachableError)
            if uncertain:
                exc.message += f"\n{current} may or may not have been applied by the server"
            elif not sent:
                exc.message += "\nnothing was sent"
            raise
        progress.close()
    print(table(rows, ["graph", "triples", "bytes", "method", "status", "seconds"]))
    print(paint("OK", "green") + f": pushed {len(uploads)} graph(s), {total_triples} triples ({size(total_bytes)}) "
          f"to {args.endpoint} ({args.mode}, auth: {store.scheme_used}) in {time.perf_counter() - started:.2f} s")
    return 0

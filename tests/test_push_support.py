"""Real triple stores for the `sckg push` tests, started on 127.0.0.1 by the tests themselves:

- Oxigraph's read-write server (`oxigraph serve`, PyPI `oxigraph`, a test dependency), Graph Store at /store;
- OpenLink Virtuoso (Debian `virtuoso-opensource`, binary `virtuoso-t`), with a database of its own in a
  temporary folder, a user created through `isql-vt` with the SPARQL_UPDATE role, Graph Store at
  /sparql-graph-crud-auth (HTTP Digest).

A server that is not installed skips its tests with the reason, except in CI (CI=true), where it fails
them: `.ci/run` installs both, so a missing server there is a broken install, not a reason to pass.
Also here: asking a server the library's questions over the SPARQL protocol, and the answers as sets
of rows comparable across engines.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def missing(reason: str):
    """Skip locally, fail in CI: a server the CI installs must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: .ci/run must install it)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            detail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode} before listening: {detail}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{what} did not listen on port {port} within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass
class Server:
    name: str
    gsp: str                    # the Graph Store URL to give --endpoint
    sparql: str                 # the SPARQL query endpoint
    user: str | None = None
    password: str | None = None
    # Whether a query without a dataset sees the union of all graphs (Virtuoso does; Oxigraph's
    # server sees its default graph only, so its dataset is given with default-graph-uri).
    union_default: bool = False


# ---- Oxigraph ---------------------------------------------------------------------------------------

def oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


def start_oxigraph(folder: Path):
    """Start `oxigraph serve` on a free port with its store in ``folder``; returns (process, Server)."""
    binary = oxigraph_binary()
    if binary is None:
        missing("the Oxigraph server is not installed (pip install -e '.[test]' installs it)")
    port = free_port()
    log = folder / "oxigraph.log"
    process = subprocess.Popen([binary, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"],
                               stdout=log.open("wb"), stderr=subprocess.STDOUT)
    wait_for_port(port, process, 30, "oxigraph serve", log)
    base = f"http://127.0.0.1:{port}"
    return process, Server("oxigraph", gsp=f"{base}/store", sparql=f"{base}/query")


# ---- Virtuoso ---------------------------------------------------------------------------------------

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 8
ServerThreads = 8
Charset = UTF-8
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


def virtuoso_binaries() -> tuple[str | None, str | None]:
    return shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql-v")


def isql(isql_binary: str, sql_port: int, statements: str) -> str:
    """Run SQL as the database administrator (a fresh database's dba password is 'dba')."""
    done = subprocess.run([isql_binary, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statements}"],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql failed: {done.stdout}{done.stderr}")
    return done.stdout


def start_virtuoso(folder: Path):
    """Start Virtuoso on free ports with a new database in ``folder`` and a user allowed to write
    graphs over the Graph Store Protocol; returns (process, Server)."""
    server_binary, isql_binary = virtuoso_binaries()
    if server_binary is None or isql_binary is None:
        missing("Virtuoso is not installed (Debian: apt-get install virtuoso-opensource; .ci/run installs it)")
    sql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso.log"
    process = subprocess.Popen([server_binary, "+foreground", "+configfile", str(folder / "virtuoso.ini")],
                               cwd=folder, stdout=(folder / "stdout.log").open("wb"), stderr=subprocess.STDOUT)
    try:
        # A new database takes 10-30 s to initialise on a loaded machine; the SQL port opens last.
        wait_for_port(http_port, process, 180, "virtuoso-t", log)
        wait_for_port(sql_port, process, 180, "virtuoso-t", log)
        user, password = "sckg_loader", "pw-" + secrets.token_urlsafe(12)
        for attempt in range(20):  # the server may accept connections before it accepts logins
            try:
                isql(isql_binary, sql_port,
                     f"DB.DBA.USER_CREATE('{user}', '{password}'); GRANT SPARQL_UPDATE TO \"{user}\"; "
                     f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('{user}', 15);")
                break
            except RuntimeError:
                if attempt == 19:
                    raise
                time.sleep(1)
    except BaseException:
        stop(process)
        raise
    base = f"http://127.0.0.1:{http_port}"
    return process, Server("virtuoso", gsp=f"{base}/sparql-graph-crud-auth", sparql=f"{base}/sparql",
                           user=user, password=password, union_default=True)


# ---- asking a server ------------------------------------------------------------------------------------

def _term_key(term: dict | None):
    """One solution value as a comparable tuple. Engines differ in how they spell the same term in
    SPARQL JSON: Virtuoso writes "typed-literal" and may add xsd:string; both mean the same literal."""
    if term is None:
        return None
    kind = term["type"]
    if kind in ("literal", "typed-literal"):
        datatype = term.get("datatype")
        if datatype == XSD_STRING:
            datatype = None
        return ("literal", term["value"], datatype, term.get("xml:lang", "").lower())
    return (kind, term["value"])


def rows_from_json(doc: dict) -> set | bool:
    if "boolean" in doc:
        return bool(doc["boolean"])
    names = doc["head"]["vars"]
    return {tuple(_term_key(b.get(n)) for n in names) for b in doc["results"]["bindings"]}


def ask_server(server: Server, query: str, graphs: list[str]) -> set | bool:
    """Run ``query`` on the server over the SPARQL 1.1 Protocol, its default graph the union of
    ``graphs`` and ``graphs`` its named graphs too (what the library's questions assume: several keep
    each statement apart with GRAPH ?g). Naming default graphs without named ones would leave GRAPH
    patterns nothing to match. Virtuoso's default graph is the union already, and naming five default
    graphs there changes some answers of its path engine, so it gets none."""
    dataset = [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
    params = [("query", query)] + ([] if server.union_default else dataset)
    response = httpx.post(server.sparql, content=str(httpx.QueryParams(params)).encode("ascii"), timeout=120,
                          headers={"Accept": "application/sparql-results+json",
                                   "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200, f"{server.name}: HTTP {response.status_code}: {response.text[:500]}"
    return rows_from_json(response.json())

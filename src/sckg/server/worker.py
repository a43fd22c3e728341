"""Query workers: processes that each load the graph once and answer queries, killed on timeout.

Oxigraph cannot interrupt a running query, and a thread cannot be stopped, so every query runs in a
worker process of its own pool; when a query outlives the timeout its worker is killed (the work
really stops) and a fresh worker is started in the background. The async side waits for answers in
threads of a small executor, so the event loop (and with it the page and every other request) never
waits for a query.

Each worker gets the graph from ``sckg.loader.load`` (the one way in) and, on Linux, first moves into
a user and network namespace of its own with no network interface but loopback (down): even a query
that the guard failed to refuse could not open an outbound connection.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .config import ServerConfig

log = logging.getLogger("sckg.server")

_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


@dataclass
class Answer:
    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_answer(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode("utf-8"))


# ---- inside the worker process ---------------------------------------------------------------------

def isolate_network() -> str | None:
    """Leave the machine's network (Linux namespaces, no privileges needed where user namespaces are
    enabled). Returns None on success, else why not: the guard then stays the only barrier."""
    if not sys.platform.startswith("linux"):
        return f"network isolation is not available on {sys.platform}"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
            return f"unshare failed: {os.strerror(ctypes.get_errno())}"
    except (OSError, AttributeError) as error:
        return f"unshare is not available: {error}"
    return None


class Snapshot:
    """The dataset as the server took it at start, loaded in a worker: what ``answer`` needs of a graph."""

    def __init__(self, store):
        self.store = store


def load_snapshot(path: str) -> Snapshot:
    """Every worker, the first and each replacement, reads the one snapshot the server wrote at start,
    never the project's files: all workers answer from the same data for the server's life, whatever
    is edited on disk meanwhile (a reload is a restart). A snapshot folder is a copy of the built
    dist/store: every worker opens it read-only, so they share its pages instead of each holding a
    copy of the graph; a snapshot file is N-Quads, loaded into memory."""
    import pyoxigraph as ox

    if os.path.isdir(path):
        _few_malloc_arenas()
        store = ox.Store.read_only(path)
        if _all_tables_open(path):
            return Snapshot(store)
        # A table file RocksDB did not open yet would be opened by a later query, after the worker
        # has forbidden itself new descriptors, and that query would fail: hold the data in memory.
        log.info("the store has table files not opened at start; this worker copies it into memory")
        memory = ox.Store()
        memory.bulk_extend(store)
        return Snapshot(memory)
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    return Snapshot(store)


def _few_malloc_arenas() -> None:
    """RocksDB answers from several threads, and glibc reserves address space for a malloc arena per
    thread (64 MiB each): under the worker's address-space cap (RLIMIT_AS) that reservation, not
    the data, could make a small query fail. Two arenas are plenty for one query at a time."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def _all_tables_open(folder: str) -> bool:
    """Whether this process holds every table (.sst) file of the store in ``folder`` open."""
    fd_dir = "/proc/self/fd"
    if not os.path.isdir(fd_dir):
        return False  # cannot tell: the memory copy is the safe choice
    tables = {os.path.realpath(os.path.join(folder, name)) for name in os.listdir(folder) if name.endswith(".sst")}
    held = set()
    for fd in os.listdir(fd_dir):
        try:
            held.add(os.path.realpath(os.readlink(os.path.join(fd_dir, fd))))
        except OSError:
            pass
    return tables <= held


def limit_memory(limit_bytes: int | None) -> str | None:
    """Cap the worker's address space (RLIMIT_AS): a query that would grow beyond it fails to allocate
    and the worker stops, instead of pushing the machine into its out-of-memory killer. None on
    success, else why the cap could not be set."""
    if not limit_bytes:
        return None
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    except (ImportError, ValueError, OSError) as error:
        return f"the memory cap could not be set: {error}"
    return None


def forbid_new_descriptors() -> str | None:
    """Lower the worker's open-file limit to the descriptors it already holds. A worker needs nothing
    new once it is ready (its pipe is open, its data in memory), but an outbound connection needs a
    socket: with this, a SERVICE call that slipped past the guard fails in the evaluator itself, on
    any POSIX system, namespaces or not. None on success, else why not."""
    try:
        import resource

        fd_dir = "/proc/self/fd" if os.path.isdir("/proc/self/fd") else "/dev/fd"
        open_now = {int(name) for name in os.listdir(fd_dir)}
        highest = max(open_now)
        # A new descriptor takes the lowest free number, so every gap below the limit is filled first.
        filler = os.open(os.devnull, os.O_RDONLY)
        for number in range(highest):
            if number not in open_now and number != filler:
                os.dup2(filler, number, inheritable=False)
        highest = max(highest, filler)
        resource.setrlimit(resource.RLIMIT_NOFILE, (highest + 1, highest + 1))
    except (ImportError, ValueError, OSError) as error:
        return f"the descriptor limit could not be set: {error}"
    return None


def _warm_up() -> None:
    """Import now everything answering needs: once descriptors are forbidden, no module file can be
    opened, and the first user's query should not pay for the imports either."""
    import json  # noqa: F401
    import urllib.parse  # noqa: F401

    import pyoxigraph as ox
    from rdflib.plugins.sparql import algebra  # noqa: F401  (the guard resolves FROM IRIs with it)
    from rdflib.term import Variable  # noqa: F401

    from .. import namespaces, query_messages, query_run  # noqa: F401
    from . import negotiation, serialize  # noqa: F401
    from .guard import Refused, inspect

    # Every path of the guard once: a plain query, SELECT * with FROM, an update, a syntax error.
    for query in ("ASK {}", "SELECT * FROM <urn:x:a> FROM NAMED kg:b WHERE { ?s ?p ?o }",
                  "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", "SELECT ?s WHERE { ?s ?p }",
                  "SELECT * WHERE { ?s nope:p ?o }"):
        try:
            inspect(query)
        except Refused:
            pass
    store = ox.Store()
    for form in ("ASK {}", "SELECT * WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { ?s ?p ?o }"):
        store.query(form)
    results = store.query("SELECT * WHERE { ?s ?p ?o }")
    if isinstance(results, ox.QuerySolutions):  # always: the narrowing is for the type checker
        serialize.solutions(results, "text/csv", 1)


def worker_main(conn, snapshot: str, isolate: bool, memory_limit: int | None = None) -> None:
    """A worker's life: isolate (while still single-threaded), load the snapshot, lock itself down,
    answer jobs until EOF."""
    import signal

    # Ctrl+C in a terminal reaches the whole process group: the server shuts the workers down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    isolation_problem = isolate_network() if isolate else "network isolation was turned off"
    logging.basicConfig(level=logging.INFO, format="sckg serve worker %(process)d: %(levelname)s %(message)s")
    from ..errors import SckgError

    try:
        kg = load_snapshot(snapshot)
        _warm_up()
    except SckgError as error:
        conn.send(("failed", error.message))
        return
    except Exception:  # a worker that cannot load must say so rather than hang the server's start
        log.exception("loading the graph failed")
        conn.send(("failed", "the worker could not load the graph; see the server log"))
        return
    problems = [p for p in (limit_memory(memory_limit), forbid_new_descriptors()) if p]
    for problem in problems:
        log.warning("%s", problem)
    conn.send(("ready", {"isolation": isolation_problem, "descriptors": not any("descriptor" in p for p in problems)}))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(answer(kg, job))


def answer(kg, job: dict) -> Answer:
    """Check, run and serialise one query. Never raises: any failure becomes a short message, with
    the details in the log only (no exception text or traceback ever reaches a client)."""
    from ..errors import UsageError
    from ..query_dataset import QueryDataset
    from ..query_run import GraphListError, execute
    from . import negotiation, serialize
    from .guard import ORIGIN, Refused, inspect

    try:
        plan = inspect(job["query"])
        offered = negotiation.SOLUTIONS if plan.form in ("SELECT", "ASK") else negotiation.GRAPHS
        media_type = job.get("media_type")
        if media_type is not None and media_type not in offered:
            media_type = negotiation.CROSS_FORM.get(media_type, media_type)  # format=xml for a CONSTRUCT
        if media_type is not None and media_type not in offered:
            raise Refused(406, f"{media_type} is not available for a {plan.form} query; "
                               f"available: {', '.join(offered)}")
        media_type = media_type or negotiation.choose(job.get("accept"), offered)
        if media_type is None:
            raise Refused(406, f"none of the accepted media types is available for a {plan.form} query; "
                               f"available: {', '.join(offered)}")
        # The one execution path `sckg query` and kg.query() take (sckg.query_run.execute): the same
        # prologue, the same dataset rule (default-graph-uri / named-graph-uri win over FROM / FROM
        # NAMED, as the SPARQL 1.1 Protocol says), the same syntax messages. plan.text: the very text
        # the guard checked (escapes expanded once), never the raw request; the dataset as it read it.
        try:
            execution = execute(kg.store, plan.text, dataset=QueryDataset(plan.has_dataset, tuple(plan.graphs)),
                                default_graphs=job.get("default_graphs") or [],
                                named_graphs=job.get("named_graphs") or [],
                                base_iri=job.get("base_iri"), origin=ORIGIN)
        except GraphListError:
            raise Refused(400, "default-graph-uri and named-graph-uri must be absolute IRIs") from None
        except UsageError as error:  # what rdflib's grammar let through and Oxigraph's parser did not
            raise Refused(400, error.message) from None
        result = execution.result
        limit, byte_limit = int(job["row_limit"]), job.get("byte_limit")
        if plan.form == "ASK":
            out = serialize.boolean(bool(result), media_type)
        elif plan.form == "SELECT":
            out = serialize.solutions(result, media_type, limit, order=plan.star_order, byte_limit=byte_limit)
        else:
            out = serialize.triples(result, media_type, limit, byte_limit=byte_limit)
        headers = {"X-SCKG-Query-Form": plan.form, "X-SCKG-Rows": str(out.rows),
                   "X-SCKG-Row-Limit": str(limit), "X-SCKG-Truncated": "true" if out.truncated else "false"}
        if byte_limit is not None:
            headers["X-SCKG-Byte-Limit"] = str(byte_limit)
        if out.truncated:
            headers["X-SCKG-Truncated-By"] = out.truncated_by  # which cap cut the answer: rows or bytes
        unknown = unknown_graphs_header(execution.unknown_graphs)
        if unknown:
            headers[UNKNOWN_GRAPHS_HEADER] = unknown
        return Answer(200, media_type, out.body, headers)
    except Refused as refusal:
        return text_answer(refusal.status, refusal.message)
    except MemoryError:
        log.error("query ran out of the worker's memory cap: %.300s", job.get("query", ""))
        return text_answer(507, "the query needed more memory than a query worker may use; narrow it down")
    except Exception:
        log.exception("query failed: %.500s", job.get("query", ""))
        return text_answer(500, "the query could not be answered because of an internal error; "
                                "the details are in the server log")


UNKNOWN_GRAPHS_HEADER = "X-SCKG-Unknown-Graphs"
_MAX_REPORTED_GRAPHS = 20  # keeps the header short whatever the query names


def unknown_graphs_header(missing: list[str]) -> str:
    """The graph IRIs a query or request named that the dataset does not have (sckg.query_run
    finds them, with the same test as sckg query and kg.query()), as ``<iri> <iri>`` (non-ASCII
    percent-encoded, as HTTP headers need): they select an empty graph, and this says why an answer
    came back empty. Empty when every named graph exists."""
    from urllib.parse import quote

    if not missing:
        return ""
    shown = " ".join(f"<{quote(iri, safe=_IRI_SAFE)}>" for iri in missing[:_MAX_REPORTED_GRAPHS])
    return shown + (" ..." if len(missing) > _MAX_REPORTED_GRAPHS else "")


_IRI_SAFE = "!#$&'()*+,/:;=?@[]~%-._"


# ---- the pool, on the server's side ------------------------------------------------------------------

class _Worker:
    def __init__(self, process, conn):
        self.process = process
        self.conn = conn

    def ask(self, job: dict) -> Answer:
        self.conn.send(job)
        return self.conn.recv()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerStartError(Exception):
    pass


def _link_or_copy_tree(source: str, target: str) -> None:
    import shutil

    os.mkdir(target)
    for name in os.listdir(source):
        if name == "LOCK":
            continue  # the read-write lock file: a read-only open makes no use of it
        src, dst = os.path.join(source, name), os.path.join(target, name)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)


class _NoReserve(Exception):
    """A query turned long while every other worker but the reserve runs a long query."""


class WorkerPool:
    """The query workers. ``kg`` is the graph the server loaded at start: the pool writes it once as
    a snapshot that every worker, first or replacement, loads (one dataset per server)."""

    def __init__(self, config: ServerConfig, kg=None):
        self.config = config
        self.kg = kg
        self._context = multiprocessing.get_context("spawn")  # no inherited locks or event loops
        self._executor = ThreadPoolExecutor(max_workers=2 * config.workers + 2, thread_name_prefix="sckg-io")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task] = set()
        self.isolation_problem: str | None = None
        self.descriptors_locked = True  # every worker so far forbade itself new sockets
        self.closed = False
        self._starting = 0  # worker processes started but not yet ready (loading the graph)
        self._long = 0  # queries running past short_query seconds
        self._snapshot_dir: str | None = None
        self.snapshot: str | None = None
        self.snapshot_sha256: str | None = None
        self.failed_starts = 0  # replacement starts that failed (each is retried, with backoff)

    def counts(self) -> dict[str, int]:
        """How many workers the pool was asked for, how many are live (ready: idle or answering), how
        many of those are idle, and how many are still starting. Readiness checks and tests read these
        instead of guessing how long a replacement takes to load."""
        live = len(self._all)
        idle = self._idle.qsize() if self._idle is not None else 0
        return {"configured": self.config.workers, "live": live, "idle": idle, "busy": live - idle,
                "starting": self._starting}

    def _write_snapshot(self) -> None:
        import hashlib
        import tempfile

        import pyoxigraph as ox

        self._snapshot_dir = tempfile.mkdtemp(prefix="sckg-serve-")
        store_path = getattr(self.kg, "store_path", None)  # the graph came from a current dist/store
        if store_path is not None:
            # A copy of the built store (hard links where the file system allows: its files are never
            # written again), so that a build replacing dist/ meanwhile cannot change what a
            # replacement worker opens.
            self.snapshot = os.path.join(self._snapshot_dir, "store")
            _link_or_copy_tree(str(store_path), self.snapshot)
            digest = hashlib.sha256(self.kg.store.dump(format=ox.RdfFormat.N_QUADS))
        else:
            self.snapshot = os.path.join(self._snapshot_dir, "snapshot.nq")
            self.kg.store.dump(self.snapshot, format=ox.RdfFormat.N_QUADS)
            digest = hashlib.sha256()
            with open(self.snapshot, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        self.snapshot_sha256 = digest.hexdigest()

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._write_snapshot)
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.config.workers)),
                                       return_exceptions=True)
        failures = [w for w in workers if isinstance(w, BaseException)]
        for w in workers:
            if not isinstance(w, BaseException):
                self._idle.put_nowait(w)
        if failures:
            await self.close()
            raise WorkerStartError(str(failures[0]))

    async def _spawn(self) -> _Worker:
        self._starting += 1
        try:
            return await self._spawn_one()
        finally:
            self._starting -= 1

    async def _spawn_one(self) -> _Worker:
        loop = asyncio.get_running_loop()
        parent, child = self._context.Pipe()
        memory = self.config.worker_memory_mib * 1024 * 1024 if self.config.worker_memory_mib else None
        process = self._context.Process(
            target=worker_main, name="sckg-query-worker", daemon=True,
            args=(child, self.snapshot, self.config.isolate_network, memory))
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            status, detail = await loop.run_in_executor(self._executor, parent.recv)
        except (EOFError, OSError):
            await loop.run_in_executor(self._executor, worker.kill)
            raise WorkerStartError("a query worker exited while loading the graph; see the log above") from None
        if status != "ready":
            await loop.run_in_executor(self._executor, worker.kill)
            raise WorkerStartError(detail)
        self.isolation_problem = detail["isolation"]
        self.descriptors_locked = self.descriptors_locked and detail["descriptors"]
        self._all.add(worker)
        return worker

    async def run(self, job: dict) -> Answer:
        """Answer one job within the configured timeout; 503 when no worker frees up in time. When the
        caller is cancelled (its client went away), a worker running its query is stopped."""
        if self._idle is None:
            raise RuntimeError("start() the pool first")
        timeout, wait = self.config.timeout, self.config.wait_for_worker
        try:
            worker = await asyncio.wait_for(self._idle.get(), wait)
        except TimeoutError:
            return text_answer(503, f"the server is busy: no query worker became free within {wait:g} s; "
                                    "try again shortly")
        loop = asyncio.get_running_loop()
        pending = loop.run_in_executor(self._executor, worker.ask, job)
        try:
            answer_ = await self._await_answer(pending, timeout)
        except _NoReserve:
            log.warning("query stopped after %g s: another long query runs and a worker is kept for short "
                        "ones: %.300s", self.config.short_query, job.get("query", ""))
            self._retire(worker)
            return Answer(503, "text/plain; charset=utf-8",
                          (f"the query was stopped after {self.config.short_query:g} s: another long query is "
                           "running, and one worker is kept free for short queries; try again when it has "
                           "finished\n").encode(), {"Retry-After": str(int(timeout))})
        except TimeoutError:
            log.warning("query stopped after %g s (its worker is replaced): %.300s", timeout, job.get("query", ""))
            self._retire(worker)
            return text_answer(504, f"the query was stopped after the time limit of {timeout:g} s; "
                                    "narrow it down (add LIMIT, more specific patterns) and try again")
        except (EOFError, OSError):
            log.error("a query worker died while answering; starting a new one")
            self._retire(worker)
            return text_answer(500, "the query could not be answered because its worker stopped (a query "
                                    "that needs more memory than a worker may use stops it); the details "
                                    "are in the server log")
        except asyncio.CancelledError:  # the client went away: stop its query, free the worker slot
            log.info("client gone: its query is stopped (the worker is replaced): %.300s", job.get("query", ""))
            self._retire(worker)
            raise
        self._idle.put_nowait(worker)
        return answer_

    async def _await_answer(self, pending, timeout: float):
        """The answer within ``timeout``. A query still running after ``short_query`` seconds is long;
        at most workers - 1 long queries run at once, so one worker always stays for short queries:
        a query that would become the last long one raises _NoReserve (the caller stops it)."""
        short = self.config.short_query
        if self.config.workers < 2 or not short or short >= timeout:
            return await asyncio.wait_for(pending, timeout)
        try:
            return await asyncio.wait_for(asyncio.shield(pending), short)
        except TimeoutError:
            pass
        if self._long >= self.config.workers - 1:
            raise _NoReserve
        self._long += 1
        try:
            return await asyncio.wait_for(pending, timeout - short)
        finally:
            self._long -= 1

    def _retire(self, worker: _Worker) -> None:
        """Kill a worker (the only way to stop a running query) and start its replacement."""
        self._all.discard(worker)
        task = asyncio.ensure_future(self._replace(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    RETRY_FIRST, RETRY_MAX = 0.5, 30.0  # seconds between attempts to start a replacement, doubling

    async def _replace(self, worker: _Worker) -> None:
        """Start a replacement, retrying with backoff until one starts: a passing cause (too few file
        descriptors, memory pressure) must not shrink the pool for the rest of the server's life."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, worker.kill)
        delay = self.RETRY_FIRST
        while not self.closed:
            try:
                fresh = await self._spawn()
            except Exception as error:
                self.failed_starts += 1
                log.error("could not start a replacement query worker (%s); retrying in %g s", error, delay)
                await asyncio.sleep(delay)
                delay = min(2 * delay, self.RETRY_MAX)
                continue
            if self.closed or self._idle is None:  # closed, or never started: no queue to hand it to
                await loop.run_in_executor(self._executor, fresh.kill)
                return
            self._idle.put_nowait(fresh)
            return

    async def close(self) -> None:
        self.closed = True
        loop = asyncio.get_running_loop()
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._all):
            await loop.run_in_executor(self._executor, worker.kill)
        self._all.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._snapshot_dir:
            import shutil

            shutil.rmtree(self._snapshot_dir, ignore_errors=True)

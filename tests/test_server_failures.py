"""The endpoint's two error paths that a healthy run never takes, made to fire through a real server:

1. a query worker that fails to start after the main process loaded the graph fine: `sckg serve` must
   stop with one clear line on stderr (no traceback of its own) and a non-zero exit, never listen
   without workers;
2. an unexpected exception inside a request handler: a short 500, nothing of the exception in the body.

No hook in the server code: for (1) the test puts a ``sitecustomize.py`` on the server's PYTHONPATH
that acts only in multiprocessing's spawned children (the query workers, recognisable by the
``--multiprocessing-fork`` argument), so the main process loads the real graph as usual. For (2)
uvicorn runs in a thread over an app whose graph object raises on one attribute a handler reads.
"""

from __future__ import annotations

import os
import socket
import threading
import time

import httpx
import pytest
import test_server
import uvicorn
from _support import run_cli
from test_server import CROSS_PRODUCT, WELCOMED, WELCOMED_QUERY, Server, assert_no_internals, select_values

project = test_server.project  # the scratch, built copy of the project (a module-scoped fixture)

# Written as sitecustomize.py for the server process only; its spawned workers import it too.
WORKER_FAULT = '''
import os
import sys

if "--multiprocessing-fork" in sys.argv:  # a multiprocessing spawn child: a query worker
    fault = {fault!r}
    failing = {failing!r}  # which worker starts fail (1 = the first worker started), None: all
    counter = {counter!r}
    start = 0
    if counter:  # count this start: one byte appended per worker process
        with open(counter, "ab") as handle:
            handle.write(b"x")
        start = os.path.getsize(counter)
    if failing is None or start in failing:
        if fault == "exit":  # the worker dies at start-up, before it says anything
            os._exit(3)
        import sckg.server.worker

        def load_snapshot(*args, **kwargs):
            if fault == "data":
                from sckg.errors import DataError
                raise DataError("data/entities/actors.ttl line 3: the worker's copy is broken")
            raise RuntimeError("SECRET-INTERNAL-DETAIL")

        sckg.server.worker.load_snapshot = load_snapshot  # what worker_main calls to get the data
'''


def fault_hook(tmp_path, fault: str, failing=None, counter=None) -> dict:
    """The environment that makes the chosen worker starts fail with ``fault``."""
    hook = tmp_path / f"hook-{fault}"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(WORKER_FAULT.format(fault=fault, failing=failing,
                                                                counter=str(counter) if counter else None))
    return {"PYTHONPATH": os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH", "")) if p)}


def serve_with_faulty_workers(project, tmp_path, fault: str):
    return run_cli("--root", str(project), "serve", "--port", "0", "--workers", "2", "--quiet",
                   env=fault_hook(tmp_path, fault))


def test_the_main_process_loads_the_graph_with_the_hook_in_place(project, tmp_path):
    # The hook must hit the workers only: the main process got as far as starting the workers.
    result = serve_with_faulty_workers(project, tmp_path, "exit")
    assert "Waiting for application startup" in result.stderr, result.stderr


@pytest.mark.parametrize("fault, reason", [
    ("exit", "a query worker exited while loading the graph"),
    ("data", "data/entities/actors.ttl line 3: the worker's copy is broken"),
    ("bug", "the worker could not load the graph; see the server log"),
])
def test_workers_that_cannot_start_stop_the_server_with_a_clear_message(project, tmp_path, fault, reason):
    result = serve_with_faulty_workers(project, tmp_path, fault)
    assert result.returncode == 2  # the documented code for a runtime error
    assert "ready at http://" not in result.stdout
    assert f"the query workers could not start: {reason}" in result.stderr, result.stderr
    server_lines = [line for line in result.stderr.splitlines() if not line.startswith("sckg serve worker")]
    if fault != "bug":  # an unexpected error in a worker is logged with its traceback, by the worker
        assert "Traceback" not in result.stderr, result.stderr
    else:
        assert "loading the graph failed" in result.stderr
    # What the server itself says holds no traceback of its own start-up.
    assert not any("starlette" in line or "lifespan" in line for line in server_lines), result.stderr


# ---- replacements that fail to start are retried ------------------------------------------------------

@pytest.mark.parametrize("fault", ["exit", "bug"])
def test_the_server_recovers_when_replacement_workers_fail_to_start(project, tmp_path, fault):
    # Worker start 1 (at start-up) succeeds; starts 2 and 3, the replacements after a timeout, fail
    # (as with too few file descriptors, or a passing fault); start 4 must happen, and succeed.
    counter = tmp_path / "starts"
    srv = Server(project, "--workers", "1", "--timeout", "2", env=fault_hook(tmp_path, fault, {2, 3}, counter))
    try:
        srv.wait_for_workers(idle=1)
        stopped = srv.client.get("/sparql", params={"query": CROSS_PRODUCT})
        assert stopped.status_code == 504
        counts = srv.wait_for_workers(idle=1)  # a replacement that works, after two that did not
        assert counts["live"] == 1
        assert counter.stat().st_size == 4
        assert srv.client.get("/health").json()["status"] == "ok"
        assert set(select_values(srv.client.get("/sparql", params={"query": WELCOMED_QUERY}), "target")) == WELCOMED
        assert srv.log.read_text().count("could not start a replacement query worker") == 2
    finally:
        srv.stop()


def test_health_is_503_while_no_worker_is_live(project, tmp_path):
    # Every replacement fails: after a timeout the only worker is gone and stays gone, and /health
    # says so with a 503, although the page itself still answers.
    srv = Server(project, "--workers", "1", "--timeout", "2",
                 env=fault_hook(tmp_path, "bug", set(range(2, 10_000)), tmp_path / "starts"))
    try:
        srv.wait_for_workers(idle=1)
        assert srv.client.get("/sparql", params={"query": CROSS_PRODUCT}).status_code == 504
        deadline = time.monotonic() + 240  # waiting for the kill to be noticed, not timing it
        while (health := srv.client.get("/health")).status_code != 503:
            assert time.monotonic() < deadline, health.text
            time.sleep(0.05)
        assert health.json()["status"] == "unhealthy" and health.json()["workers"]["live"] == 0
        assert srv.client.get("/").status_code == 200
    finally:
        srv.stop()


# ---- an unexpected exception inside a handler ------------------------------------------------------------

class GraphWithABrokenRoot:
    """The loaded graph, except that reading ``.root`` (as /api/info does) raises an unexpected error."""

    def __init__(self, kg):
        self._kg = kg

    def __getattr__(self, name):
        return getattr(self._kg, name)

    @property
    def root(self):
        raise RuntimeError("SECRET-INTERNAL-DETAIL at /some/internal/path")


@pytest.fixture(scope="module")
def broken_handler_server(project):
    import sckg
    from sckg.server.app import create_app
    from sckg.server.config import ServerConfig

    kg = sckg.load(project)
    app = create_app(ServerConfig(root=kg.root, workers=1, timeout=10), GraphWithABrokenRoot(kg))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=3))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started, "uvicorn did not start"
    host, port = sock.getsockname()[:2]
    yield f"http://{host}:{port}"
    server.should_exit = True
    thread.join(30)
    sock.close()


def test_an_unexpected_error_in_a_handler_is_a_short_500(broken_handler_server):
    response = httpx.get(broken_handler_server + "/api/info", timeout=60)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "internal server error; the details are in the server log\n"
    assert "SECRET-INTERNAL-DETAIL" not in response.text and "RuntimeError" not in response.text
    assert_no_internals(response)


def test_the_server_keeps_answering_after_a_handler_error(broken_handler_server):
    assert httpx.get(broken_handler_server + "/api/info", timeout=60).status_code == 500
    response = httpx.get(broken_handler_server + "/sparql", params={"query": WELCOMED_QUERY}, timeout=60)
    assert set(select_values(response, "target")) == WELCOMED

"""A real SPARQL server for the link tests: `oxigraph serve-read-only` (PyPI package `oxigraph`) on
127.0.0.1 and a free port, loaded with the Wikidata-shaped fixture. No HTTP is mocked anywhere.
(This module holds helpers only; pytest finds no tests in it.)"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "wikidata"


def oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_port_url() -> str:
    """A URL on a port nothing listens on (bound, released, never served)."""
    return f"http://127.0.0.1:{free_port()}/query"


@contextmanager
def stand_in(tmp: Path, *files: str):
    """Yield the query URL of an oxigraph server holding ``files`` (names under fixtures/wikidata)."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    store = tmp / "store"
    tmp.mkdir(parents=True, exist_ok=True)
    subprocess.run([binary, "load", "--location", str(store), "--file", *(str(FIXTURES / f) for f in files)],
                   check=True, capture_output=True, timeout=120)
    port = free_port()
    server = subprocess.Popen([binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30  # waiting for start-up, not a timing assertion
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph did not start: "
                                       f"{server.stderr.read().decode(errors='replace')}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

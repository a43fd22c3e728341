"""The endpoint's settings, with the safe defaults documented in docs/server.md."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"  # loopback only: exposing the endpoint is a deliberate choice (--host)
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 10.0      # seconds per query, enforced by killing the worker process
DEFAULT_ROW_LIMIT = 10_000  # rows (SELECT) or triples (CONSTRUCT/DESCRIBE) per response
DEFAULT_MAX_QUERY_BYTES = 64 * 1024
DEFAULT_WORKERS = 2         # sized for the project's 2-core machines
DEFAULT_WORKER_MEMORY_MIB = 1024  # address space per worker (RLIMIT_AS); a ready worker peaks near 0.25 GiB
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024  # per response, besides the row cap
DEFAULT_SHORT_QUERY = 2.0   # seconds after which a query counts as long (one worker is kept for short ones)


@dataclass(frozen=True)
class ServerConfig:
    root: Path
    extra: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    row_limit: int = DEFAULT_ROW_LIMIT
    max_query_bytes: int = DEFAULT_MAX_QUERY_BYTES
    workers: int = DEFAULT_WORKERS
    cors: bool = False
    isolate_network: bool = True  # workers drop their network access (Linux), see worker.py
    queue_wait: float | None = None  # seconds a request waits for a free worker; None: the timeout
    worker_memory_mib: int | None = DEFAULT_WORKER_MEMORY_MIB  # None or 0: no cap
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    short_query: float | None = DEFAULT_SHORT_QUERY  # None or 0: no reserve
    allowed_hosts: tuple[str, ...] = ("localhost",)  # Host names accepted besides IP addresses

    @property
    def wait_for_worker(self) -> float:
        return self.timeout if self.queue_wait is None else self.queue_wait

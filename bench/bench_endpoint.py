"""`sckg serve` against `oxigraph serve-read-only`: throughput and latency of the library's questions.

Not a test: it prints figures and ratios. Run it from the project folder after `sckg build`:

    python bench/bench_endpoint.py                      # concurrency 1, 4, 16; 8 s per level and server
    python bench/bench_endpoint.py --seconds 5 --max-requests 2000 --workers 2

Both servers run on 127.0.0.1 over the same data (Oxigraph loads dist/sckg.nq; sckg serve loads the
project through its loader), with the union of the named graphs as the default graph, and answer the
same requests: every query of the library (queries/*.rq), cycled in order, each prefixed with the
project's PREFIX lines (Oxigraph does not predeclare them), POSTed as a form and asked for SPARQL JSON
results. Clients are threads with one keep-alive connection each, so both servers pay the same client
cost on the same 2 cores. Each level is bounded in time and in requests. An error is any answer other
than 200; the goal is at least half of Oxigraph's throughput, with no errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"  # git-ignored


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited early with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {limit:g} s")


def start_sckg(workers: int) -> tuple[subprocess.Popen, int]:
    cmd = [sys.executable, "-c", "import sys; from sckg.cli import main; sys.exit(main())", "--root", str(ROOT),
           "serve", "--port", "0", "--quiet", "--workers", str(workers), "--timeout", "30"]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if select.select([process.stdout], [], [], 0.5)[0]:
            line = process.stdout.readline()
            if "ready at http://" in line:
                port = int(line.split("ready at http://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
                return process, port
        if process.poll() is not None:
            break
    process.kill()
    raise SystemExit("sckg serve did not start")


def start_oxigraph(dump: Path, store: Path) -> tuple[subprocess.Popen, int]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    subprocess.run([binary, "load", "--location", str(store), "--file", str(dump)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    process = subprocess.Popen([binary, "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph", "--timeout-s", "30"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, process)
    return process, port


def run_level(port: int, path: str, bodies: list[bytes], concurrency: int, seconds: float,
              max_requests: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    issued = [0]
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = offset
        while time.monotonic() < stop_at:
            with lock:
                if issued[0] >= max_requests:
                    break
                issued[0] += 1
            body = bodies[i % len(bodies)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = f"{type(error).__name__}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors.append(str(status))
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(k * 7,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {"requests": len(latencies) + len(errors), "ok": len(latencies), "errors": len(errors),
            "error_kinds": sorted(set(errors)), "seconds": wall, "throughput": len(latencies) / wall,
            "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seconds", type=float, default=8.0, help="time per level and server (default 8)")
    parser.add_argument("--max-requests", type=int, default=5000, help="requests per level and server")
    parser.add_argument("--workers", type=int, default=2, help="sckg serve --workers (default 2)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from sckg.library import list_queries
    from sckg.namespaces import sparql_prologue

    dump = ROOT / "dist" / "sckg.nq"
    if not dump.is_file():
        print("dist/sckg.nq is missing: run 'sckg build' first", file=sys.stderr)
        return 2
    queries = [q for q in list_queries(ROOT) if q.form in ("SELECT", "ASK")]
    bodies = [urlencode({"query": sparql_prologue() + q.text}).encode() for q in queries]
    print(f"{len(queries)} library questions, concurrency {args.concurrency}, up to {args.seconds:g} s and "
          f"{args.max_requests} requests per level; {os.cpu_count()} CPUs; sckg serve with {args.workers} workers")

    results: dict[str, dict[int, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="sckg-bench-") as tmp:
        for name in ("oxigraph", "sckg"):
            if name == "sckg":
                process, port = start_sckg(args.workers)
                path = "/sparql"
            else:
                process, port = start_oxigraph(dump, Path(tmp) / "store")
                path = "/query"
            try:
                run_level(port, path, bodies, 1, 2.0, len(bodies) * 2)  # warm-up: caches, parsers, connections
                results[name] = {c: run_level(port, path, bodies, c, args.seconds, args.max_requests)
                                 for c in args.concurrency}
            finally:
                process.terminate()
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()

    print(f"\n{'server':10} {'conc':>4} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, levels in results.items():
        for c, r in levels.items():
            print(f"{name:10} {c:>4} {r['requests']:>8} {r['errors']:>6} {r['throughput']:>8.1f} "
                  f"{r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f}" + (f"  {r['error_kinds']}" if r["errors"] else ""))
    print("\nthroughput ratio sckg / oxigraph (goal >= 0.5, with 0 errors)")
    ok = True
    for c in args.concurrency:
        ratio = results["sckg"][c]["throughput"] / results["oxigraph"][c]["throughput"]
        errors = results["sckg"][c]["errors"] + results["oxigraph"][c]["errors"]
        verdict = "ok" if ratio >= 0.5 and errors == 0 else "BELOW GOAL"
        ok &= verdict == "ok"
        print(f"  concurrency {c:>2}: {ratio:.2f}  ({errors} errors)  {verdict}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "endpoint.json"
    out.write_text(json.dumps({"args": vars(args), "results": results}, indent=2))
    print(f"\nfigures written to {out.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
